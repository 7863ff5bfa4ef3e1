/**
 * The Qredo doctor as the app runs it: the engine's verification of src/lib/schemes/qredo/scheme.ts
 * with the keys whose role fits a request sent to Qredo, decided by the one rule.
 */
import type { DoctorInput, RequestVerdict } from '../../../src/lib/request/types';
import { verifyScheme } from '../../../src/lib/scheme/check';
import { signScheme } from '../../../src/lib/scheme/sign';
import type { SignerKey } from '../../../src/lib/scheme/contract';
import qredo, { qredoBodyWarnings } from '../../../src/lib/schemes/qredo/scheme';
import { keysFor, type VerificationContext } from '../../../src/lib/trust/roles';
import { decideRequest } from '../../../src/lib/trust/verdict';

/** A pasted request is one sent to Qredo: the user's own keys verify it. */
export const REQUEST_TO_QREDO: VerificationContext = { direction: 'request-to', partner: 'qredo' };

/** Verify a Qredo request; `filter: false` passes every key to the scheme (the role rule then refuses). */
export async function diagnoseQredo(input: DoctorInput, filter = true): Promise<RequestVerdict> {
  const keys = filter ? keysFor(REQUEST_TO_QREDO, input.keys) : input.keys;
  return decideRequest(REQUEST_TO_QREDO, await verifyScheme(qredo, { ...input, keys }));
}

/** What the Qredo Sign form signs, as its values (the body is sent for every method but GET). */
export interface QredoSignInput {
  privateKey: CryptoKey;
  method: string;
  url: string;
  body: string;
  /** Unix seconds for x-timestamp, or the nonce for x-nonce. */
  timestamp: string;
  apiKey: string;
  authHeader?: 'x-timestamp' | 'x-nonce';
}

/** Sign with the engine and Qredo's scheme, as the Sign view does: headers, x-sign, message, curl. */
export async function signQredoRequest(i: QredoSignInput) {
  const values = {
    method: i.method,
    url: i.url,
    body: i.body,
    crlf: false,
    authHeader: i.authHeader ?? 'x-timestamp',
    timestamp: i.timestamp,
    nonce: i.timestamp,
    apiKey: i.apiKey,
  };
  const key = { kind: 'pair', label: 'test key', privateKey: i.privateKey } as SignerKey;
  const out = await signScheme(qredo, values, key, 0);
  const headers = Object.fromEntries(out.headers);
  return {
    headers,
    xSign: headers['x-sign']!,
    message: out.base.map((p) => p.text).join(''),
    base: out.base,
    curl: out.curl,
    warnings: qredoBodyWarnings(out.request.body),
  };
}
