/**
 * An id-RSASSA-PSS key's restriction (RFC 4055 §3.1): it verifies RSA-PSS only, and, when its
 * parameters say so, only with this hash (MGF1 too) and a salt of at least this many bytes.
 */
export interface PssOnly {
  hash?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  saltLength?: number;
}

/** What kind of asymmetric key something is, as far as choosing a JWS algorithm goes. */
export type KeyType =
  | { kty: 'RSA'; bits: number; pss?: PssOnly; oaep?: true }
  | { kty: 'EC'; curve: string }
  | { kty: 'OKP'; curve: 'Ed25519' };

/** Does an RSA key verify RSA-PSS with this hash and salt length (an id-RSASSA-PSS key may not)? */
export function pssAllows(t: KeyType, hash: string, saltLength: number): boolean {
  if (t.kty !== 'RSA') return false;
  if (!t.pss) return true;
  return (t.pss.hash === undefined || t.pss.hash === hash) && saltLength >= (t.pss.saltLength ?? 0);
}

/** A short description: "RSA-2048", "RSA-PSS-2048" (a PSS-only key), "ECDSA P-521", "Ed25519". */
export function describeKeyType(t: KeyType): string {
  if (t.kty === 'RSA') return t.pss ? `RSA-PSS-${t.bits}` : `RSA-${t.bits}`;
  if (t.kty === 'EC') return `ECDSA ${t.curve}`;
  return 'Ed25519';
}

/** The key type of a WebCrypto key. */
export function keyTypeOf(key: CryptoKey): KeyType {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  // An RSA-OAEP key decrypts only: told apart so no signing partner is offered it.
  if (a.name === 'RSA-OAEP') return { kty: 'RSA', bits: a.modulusLength!, oaep: true };
  if (a.modulusLength) return { kty: 'RSA', bits: a.modulusLength };
  if (a.namedCurve) return { kty: 'EC', curve: a.namedCurve };
  return { kty: 'OKP', curve: 'Ed25519' };
}
