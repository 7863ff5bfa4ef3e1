/**
 * RFC 9421 §3.3's view of the one algorithm table (lib/crypto/algorithms.ts): the registry names
 * keybench handles, each an entry of that table (ECDSA raw r‖s; RSASSA-PSS SHA-512 with a 64-byte salt).
 */
import { byRfc9421, type Algorithm } from '../../crypto/algorithms';
import type { VerificationKey } from '../../jwt/verify';

/** The §3.3 names keybench handles; for an RSA key PSS first, then v1.5 (algorithmsForKey keeps this order). */
export const NAMES = [
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'ed25519',
  'hmac-sha256',
] as const;

/** The algorithm names of the HTTP Signature Algorithms registry that keybench handles. */
export type HttpSigAlg = (typeof NAMES)[number];

/** The §3.3 table: each name's entry of the one table. */
export const ALGORITHMS = Object.fromEntries(NAMES.map((n) => [n, byRfc9421(n)!])) as Readonly<
  Record<HttpSigAlg, Algorithm>
>;

/** Is this one of the §3.3 algorithm names keybench handles? */
export function isHttpSigAlg(alg: string): alg is HttpSigAlg {
  return (NAMES as readonly string[]).includes(alg);
}

/** What key `alg` needs, in words ("an RSA key"). */
export function keyNeeded(alg: HttpSigAlg): string {
  const p = ALGORITHMS[alg].importParams as { name: string; namedCurve?: string };
  if (p.name === 'HMAC') return 'a shared secret';
  if (p.name === 'ECDSA') return `an ECDSA ${p.namedCurve} key`;
  return p.name === 'Ed25519' ? 'an Ed25519 key' : 'an RSA key';
}

/** The algorithms a key can verify, most likely first (RSA: PSS, then v1.5). */
export function algorithmsForKey(key: VerificationKey): HttpSigAlg[] {
  const t = key.kind === 'public' ? key.type : null;
  return NAMES.filter((a) => ALGORITHMS[a].fits(t));
}

/** The algorithm a WebCrypto key signs with by default (RSA-PSS key: rsa-pss-sha512; RSASSA key: rsa-v1_5-sha256). */
export function algorithmForCryptoKey(key: CryptoKey): HttpSigAlg | undefined {
  const a = key.algorithm as Partial<EcKeyAlgorithm> & { name: string };
  return NAMES.find((n) => {
    const p = ALGORITHMS[n].importParams as { name: string; namedCurve?: string };
    return p.name === a.name && (p.namedCurve === undefined || p.namedCurve === a.namedCurve);
  });
}
