/** What kind of asymmetric key something is, as far as choosing a JWS algorithm goes. */
export type KeyType =
  { kty: 'RSA'; bits: number } | { kty: 'EC'; curve: string } | { kty: 'OKP'; curve: 'Ed25519' };

/** A short description: "RSA-2048", "ECDSA P-521", "Ed25519". */
export function describeKeyType(t: KeyType): string {
  if (t.kty === 'RSA') return `RSA-${t.bits}`;
  if (t.kty === 'EC') return `ECDSA ${t.curve}`;
  return 'Ed25519';
}

/** The key type of a WebCrypto key. */
export function keyTypeOf(key: CryptoKey): KeyType {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.modulusLength) return { kty: 'RSA', bits: a.modulusLength };
  if (a.namedCurve) return { kty: 'EC', curve: a.namedCurve };
  return { kty: 'OKP', curve: 'Ed25519' };
}
