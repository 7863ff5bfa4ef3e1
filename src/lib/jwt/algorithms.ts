/** The JWS view of the one algorithm table (lib/crypto/algorithms.ts): what a token's alg names. */
import { ALGORITHMS, type AlgId, type Algorithm } from '../crypto/algorithms';

/** An algorithm of the table, with what the verifier's messages read off it. */
export interface AlgInfo extends Algorithm {
  family: 'RS' | 'PS' | 'ES' | 'EdDSA' | 'HS';
  /** ES only: the curve and the byte length of r (and of s). */
  curve?: 'P-256' | 'P-384' | 'P-521';
  size?: number;
}

/** Facts about `alg`, or null when keybench does not verify it ("Ed25519" is RFC 9864's name for EdDSA). */
export function algInfo(alg: string): AlgInfo | null {
  const id = alg === 'Ed25519' ? 'EdDSA' : alg;
  if (!Object.hasOwn(ALGORITHMS, id)) return null;
  const a = ALGORITHMS[id as AlgId];
  const family = (a.id === 'EdDSA' ? 'EdDSA' : a.id.slice(0, 2)) as AlgInfo['family'];
  const curve = (a.importParams as Partial<EcKeyImportParams>).namedCurve as AlgInfo['curve'];
  return curve ? { ...a, family, curve, size: a.signatureLength! / 2 } : { ...a, family };
}

/** The ES algorithm for a curve. */
export function esAlgForCurve(curve: string): string | undefined {
  return Object.values(ALGORITHMS).find(
    (a) => (a.importParams as Partial<EcKeyImportParams>).namedCurve === curve,
  )?.id;
}
