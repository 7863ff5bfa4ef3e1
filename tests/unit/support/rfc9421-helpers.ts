/** Helpers for the RFC 9421 tests: keys as keybench holds them, and requests from raw HTTP text. */
import { base64ToBytes } from '../../../src/lib/encoding/base64url';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { parseKeyText } from '../../../src/lib/keys/parse';
import { parseRequest } from '../../../src/lib/request/parse';
import type { ParsedRequest } from '../../../src/lib/request/types';

/** A trusted public key (as pasted) from PEM text, with a label and optional kid. */
export async function publicKey(pem: string, label: string, kid?: string): Promise<VerificationKey> {
  const parsed = await parseKeyText(pem);
  return {
    kind: 'public',
    label,
    origin: 'pasted',
    spki: parsed.spki,
    type: parsed.type,
    ...(kid !== undefined ? { kid } : {}),
  };
}

/** A pasted shared secret given as base64. */
export function secretKey(base64: string, label: string): VerificationKey {
  return { kind: 'secret', label, origin: 'pasted', secret: base64ToBytes(base64) };
}

/** A request from raw HTTP (or curl) text. */
export function request(text: string): ParsedRequest {
  const r = parseRequest(text);
  if (r.kind !== 'request') throw new Error(`not a request: ${JSON.stringify(r)}`);
  return r.request;
}

/** A request built directly. */
export function req(method: string, url: string, headers: [string, string][], body = ''): ParsedRequest {
  return { source: 'http', method, url, headers, body, notes: [] };
}
