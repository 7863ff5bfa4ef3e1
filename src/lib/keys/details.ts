import type { JWK } from 'jose';
import { jwkThumbprint, publicJwk, spkiFingerprint, spkiToPem } from './export';
import type { StoredKey } from './stored-key';

/** What a key card shows and exports, all derived from the public key. */
export interface KeyDetails {
  pem: string;
  fingerprint: string;
  thumbprint: string;
  jwk: JWK;
}

/** Compute the public PEM, SHA-256 fingerprint, RFC 7638 thumbprint and public JWK of a stored key. */
export async function keyDetails(key: StoredKey): Promise<KeyDetails> {
  const [fingerprint, thumbprint, jwk] = await Promise.all([
    spkiFingerprint(key.spki),
    jwkThumbprint(key.publicKey),
    publicJwk(key.publicKey, key.jwsAlg),
  ]);
  return { pem: spkiToPem(key.spki), fingerprint, thumbprint, jwk };
}
