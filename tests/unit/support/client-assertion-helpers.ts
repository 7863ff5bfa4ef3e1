// Shared by the client-assertion tests: keys in WebCrypto (non-extractable, as keybench stores
// them) from openssl's keys, the card run on a token, and the findings by check name.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeToken } from '../../../src/lib/jwt/decode';
import type { Finding } from '../../../src/lib/trust/finding';
import checks from '../../../src/lib/schemes/client-assertion/token-check';
import type { TokenCheck } from '../../../src/lib/scheme/contract';
import { toolKey, type ToolKey } from './jwt-helpers';

/** A non-extractable WebCrypto private key for a JWS alg, from an openssl key. */
export async function webKey(k: ToolKey, alg: string): Promise<CryptoKey> {
  const der = k.privateKey.export({ type: 'pkcs8', format: 'der' });
  const params =
    alg === 'EdDSA'
      ? { name: 'Ed25519' }
      : alg.startsWith('ES')
        ? {
            name: 'ECDSA',
            namedCurve: ({ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' } as const)[alg as 'ES256'],
          }
        : { name: alg.startsWith('PS') ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${alg.slice(2)}` };
  return crypto.subtle.importKey('pkcs8', der, params, false, ['sign']);
}

/** The card of a partner, by its name. */
export function card(partner: string): TokenCheck {
  const c = checks.find((x) => x.partnerName === partner);
  if (!c) throw new Error(`no card ${partner}`);
  return c;
}

/** Run a partner's card on a token; the signature counts as verified unless told otherwise. */
export async function runCard(
  partner: string,
  token: string,
  options: Record<string, string> = {},
  opts: { verified?: boolean; nowMs?: number } = {},
): Promise<Finding[]> {
  return card(partner).check({
    token: decodeToken(token),
    signatureVerified: opts.verified ?? true,
    nowMs: opts.nowMs ?? Date.now(),
    options,
  });
}

/** The codes that are not OK, by check name. */
export function failing(findings: readonly Finding[]): Record<string, string> {
  return Object.fromEntries(findings.filter((f) => f.code !== 'OK').map((f) => [f.check, f.code]));
}

/** Which card recognises a token best (the inspector's choice), or null. */
export function recognised(token: string): string | null {
  const t = decodeToken(token);
  const scored = checks.map((c) => [c.partnerName, c.recognise(t)] as const).filter(([, s]) => s > 0);
  scored.sort((a, b) => b[1] - a[1]);
  return scored[0]?.[0] ?? null;
}

/** A certificate's DER from PEM, and its x5t / x5t#S256 computed by node:crypto. */
export function nodeThumbprints(certPem: string): { der: Buffer; x5t: string; x5tS256: string } {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    der,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

/** The public KeyObject of a tool key. */
export function publicOf(k: ToolKey): KeyObject {
  return createPublicKey(k.publicPem);
}

export { toolKey };
