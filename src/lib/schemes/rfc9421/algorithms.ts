/**
 * RFC 9421 §3.3's view of the one algorithm table (lib/crypto/algorithms.ts): the registry names
 * keybench handles, each an entry of that table (ECDSA raw r‖s; RSASSA-PSS SHA-512 with a 64-byte salt).
 */
import { byRfc9421, type AlgId, type Algorithm } from '../../crypto/algorithms';
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

/** The engine's id of a §3.3 name, or undefined for a name keybench does not handle. */
export function algId(name: string | undefined): AlgId | undefined {
  return name !== undefined && isHttpSigAlg(name) ? ALGORITHMS[name].id : undefined;
}
