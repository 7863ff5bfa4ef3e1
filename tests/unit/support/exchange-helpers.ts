// What the exchanges' SDK tests share: a node:crypto key pair as the SDK and keybench each take it,
// an axios adapter that records what an SDK would send, and keybench's verdict on a request.
import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'vitest';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { spkiKeyType } from '../../../src/lib/keys/parse';
import { PARTNER_PROFILES } from '../../../src/lib/partners/profiles';
import type { ParsedRequest, RequestVerdict } from '../../../src/lib/request/types';
import { examineRequest, type RequestExamination } from '../../../src/lib/scheme/doctor';
import { verifyScheme } from '../../../src/lib/scheme/check';
import type { RequestScheme } from '../../../src/lib/scheme/types';
import type { SignerKey } from '../../../src/lib/scheme/contract';
import { contextOfScheme } from '../../../src/lib/trust/roles';
import { decideRequest } from '../../../src/lib/trust/verdict';

/** The moment every request here is signed and checked at. */
export const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

/** An RSA-2048 pair made by node:crypto: the SDK's PEM, keybench's trusted key and signer. */
export async function rsaPair(webCryptoName: 'RSA-PSS' | 'RSASSA-PKCS1-v1_5') {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const params = { name: webCryptoName, hash: 'SHA-256' };
  const signer: SignerKey = {
    kind: 'pair',
    label: 'exchange key',
    privateKey: await crypto.subtle.importKey('pkcs8', pkcs8, params, false, ['sign']),
    publicKey: await crypto.subtle.importKey('spki', spki, params, true, ['verify']),
    spki,
  };
  const trusted: VerificationKey = {
    kind: 'public',
    label: 'exchange key',
    origin: 'stored',
    owner: 'mine',
    spki,
    type: spkiKeyType(spki),
  };
  return { pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, publicKey, signer, trusted };
}

/** An axios adapter that records the request the SDK would send and answers 200 {}. */
export function recorder() {
  const sent: ParsedRequest[] = [];
  const adapter = async (config: {
    method?: string;
    url?: string;
    params?: unknown;
    headers: { toJSON(): Record<string, unknown> };
    data?: unknown;
  }) => {
    expect(config.params).toBeUndefined(); // the URL below is the whole URL sent
    sent.push({
      source: 'curl',
      notes: [],
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
      headers: Object.entries(config.headers.toJSON()).map(([n, v]) => [n, String(v)]),
      body: typeof config.data === 'string' ? config.data : '',
    });
    return { data: {}, status: 200, statusText: 'OK', headers: {}, config };
  };
  return { sent, adapter };
}

/** keybench's verdict on a request sent to the scheme's partner, with the user's own key. */
export async function verdict(scheme: RequestScheme, request: ParsedRequest, key: VerificationKey) {
  const context = contextOfScheme(scheme.id, PARTNER_PROFILES);
  return decideRequest(context, await verifyScheme(scheme, { request, keys: [key], nowMs: NOW }));
}

/** The request with another URL. */
export const withPath = (r: ParsedRequest, url: string): ParsedRequest => ({ ...r, url });
/** A header's value ('' when absent). */
export const hdr = (r: { headers: [string, string][] }, name: string) =>
  r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? '';

/**
 * The doctor as the page runs it, for a pasted request to one scheme: `examine` (with the trusted
 * keys `keys()` gives, read when the test runs), `verdictOf` (which must be that scheme's) and
 * `outcome`, the exact [state, code] ('refused' when the doctor refuses the text itself).
 */
export function doctorOf(schemeId: string, nowMs: number, trusted: () => VerificationKey[]) {
  const examine = (text: string, keys: () => VerificationKey[] = trusted) =>
    examineRequest(text, async () => keys(), nowMs);
  const verdictOf = (e: RequestExamination | null): RequestVerdict => {
    if (e?.kind !== 'verdict') throw new Error(`expected a verdict, got ${JSON.stringify(e)}`);
    expect(e.scheme.id).toBe(schemeId);
    return e.verdict;
  };
  const outcome = async (text: string, keys?: () => VerificationKey[]): Promise<[string, string]> => {
    const e = await examine(text, keys);
    if (e?.kind === 'error') return ['refused', e.code];
    const v = verdictOf(e);
    return [v.state, v.code];
  };
  return { examine, verdictOf, outcome };
}
