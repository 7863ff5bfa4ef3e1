import type { JWK } from 'jose';
import { jwkThumbprint, publicJwk, spkiFingerprint, spkiSha256Base64, spkiToPem } from './export';
import type { StoredKey } from './stored-key';
import { distinctKeyNames } from './names';

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
async function keyDetails(key: StoredKey): Promise<KeyDetails> {
  const [fingerprint, fingerprintBase64, thumbprint, jwk] = await Promise.all([
    spkiFingerprint(key.spki),
    spkiSha256Base64(key.spki),
    jwkThumbprint(key.publicKey),
    publicJwk(key.publicKey, key.jwsAlg),
  ]);
  return { pem: spkiToPem(key.spki), fingerprint, fingerprintBase64, thumbprint, jwk };
}

/**
 * The details of every key (reusing those already `known` by id), and each key's unique name
 * (distinctKeyNames): what the keyring shows, computed off the first load.
 */
export async function describeKeys(
  keys: readonly StoredKey[],
  known: Readonly<Record<string, KeyDetails>>,
): Promise<{ details: Record<string, KeyDetails>; names: Record<string, string> }> {
  const details: Record<string, KeyDetails> = {};
  await Promise.all(keys.map(async (k) => (details[k.id] = known[k.id] ?? (await keyDetails(k)))));
  const names = distinctKeyNames(keys.map((k) => ({ ...k, fingerprint: details[k.id]?.fingerprint })));
  return { details, names };
}
