import { esAlgForCurve } from '../jwt/algorithms';
import type { SigningAlg } from './profiles';

/** A human description of a CryptoKey's algorithm, e.g. "RSA-2048" or "ECDSA P-521". */
export function describeKey(key: CryptoKey): string {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.modulusLength) return `RSA-${a.modulusLength}`;
  if (a.namedCurve) return `ECDSA ${a.namedCurve}`;
  return a.name ?? 'unknown';
}

/** The JWS algorithm a key was made or imported for (RS256 for PKCS#1 v1.5 RSA, ES* by curve). */
export function jwsAlgOf(key: CryptoKey): SigningAlg {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.namedCurve) {
    const alg = esAlgForCurve(a.namedCurve);
    if (alg) return alg as SigningAlg;
  }
  const hash = (a.hash as KeyAlgorithm | undefined)?.name ?? 'SHA-256';
  const bits = hash.replace('SHA-', '') as '256' | '384' | '512';
  return (a.name === 'RSA-PSS' ? `PS${bits}` : `RS${bits}`) as SigningAlg;
}
