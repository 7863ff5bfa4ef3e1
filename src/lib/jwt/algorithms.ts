/** The JWS algorithms keybench verifies, and what each needs. */
export type JwsAlg =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'HS256'
  | 'HS384'
  | 'HS512';

/** Facts about an algorithm. */
export interface AlgInfo {
  family: 'RS' | 'PS' | 'ES' | 'EdDSA' | 'HS';
  hash: 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** ES only: the curve and the byte length of r (and of s). */
  curve?: 'P-256' | 'P-384' | 'P-521';
  size?: number;
}

const ES: Record<string, Pick<AlgInfo, 'curve' | 'size'>> = {
  '256': { curve: 'P-256', size: 32 },
  '384': { curve: 'P-384', size: 48 },
  '512': { curve: 'P-521', size: 66 },
};

/** Facts about `alg`, or null when keybench does not verify it. */
export function algInfo(alg: string): AlgInfo | null {
  if (alg === 'EdDSA' || alg === 'Ed25519') return { family: 'EdDSA', hash: 'SHA-512' };
  const m = /^(RS|PS|ES|HS)(256|384|512)$/.exec(alg);
  if (!m) return null;
  const family = m[1] as AlgInfo['family'];
  const hash = `SHA-${m[2]}` as AlgInfo['hash'];
  return family === 'ES' ? { family, hash, ...ES[m[2]!] } : { family, hash };
}

/** The ES algorithm for a curve. */
export function esAlgForCurve(curve: string): string | undefined {
  return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[curve];
}

/** WebCrypto import parameters for a public key used with `alg`. */
export function verifyImportParams(
  info: AlgInfo,
): RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm {
  switch (info.family) {
    case 'RS':
      return { name: 'RSASSA-PKCS1-v1_5', hash: info.hash };
    case 'PS':
      return { name: 'RSA-PSS', hash: info.hash };
    case 'ES':
      return { name: 'ECDSA', namedCurve: info.curve! };
    case 'HS':
      return { name: 'HMAC', hash: info.hash };
    case 'EdDSA':
      return { name: 'Ed25519' };
  }
}
