import type { SigningAlg } from './profiles';

/** A human description of a CryptoKey's algorithm, e.g. "RSA-2048" or "ECDSA P-521". */
export function describeKey(key: CryptoKey): string {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.modulusLength) return `RSA-${a.modulusLength}`;
  if (a.namedCurve) return `ECDSA ${a.namedCurve}`;
  return a.name ?? 'unknown';
}

const CURVE_ALG: Record<string, SigningAlg> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

/** The JWS algorithm a key was made or imported for (RS256 for PKCS#1 v1.5 RSA, ES* by curve). */
export function jwsAlgOf(key: CryptoKey): SigningAlg {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.namedCurve) {
    const alg = CURVE_ALG[a.namedCurve];
    if (alg) return alg;
  }
  const hash = (a.hash as KeyAlgorithm | undefined)?.name ?? 'SHA-256';
  const bits = hash.replace('SHA-', '') as '256' | '384' | '512';
  return (a.name === 'RSA-PSS' ? `PS${bits}` : `RS${bits}`) as SigningAlg;
}
