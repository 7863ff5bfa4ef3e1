import type { JWK } from 'jose';
import { jwkThumbprint, publicJwk, spkiFingerprint, spkiSha256Base64, spkiToPem } from './export';
import type { StoredKey } from './stored-key';

/** What a key card shows and exports, all derived from the public key. */
export interface KeyDetails {
  pem: string;
  fingerprint: string;
  /** `SHA256:` + base64 of the same digest (Snowflake's RSA_PUBLIC_KEY_FP). */
  fingerprintBase64: string;
  thumbprint: string;
  jwk: JWK;
}

/** Compute the public PEM, SHA-256 fingerprint, RFC 7638 thumbprint and public JWK of a stored key. */
export async function keyDetails(key: StoredKey): Promise<KeyDetails> {
  const [fingerprint, fingerprintBase64, thumbprint, jwk] = await Promise.all([
    spkiFingerprint(key.spki),
    spkiSha256Base64(key.spki),
    jwkThumbprint(key.publicKey),
    publicJwk(key.publicKey, key.jwsAlg),
  ]);
  return { pem: spkiToPem(key.spki), fingerprint, fingerprintBase64, thumbprint, jwk };
}
