import { importHmacSigner, signBytes } from '../crypto/signature';
import { bytesToBase64url, textToBase64url } from '../encoding/base64url';
import { KeybenchError } from '../errors';
import type { SigningAlg } from '../keys/key-specs';

/**
 * Sign a compact JWS with a (non-extractable) private or HMAC key. The payload is used exactly as
 * given: a string is signed as its UTF-8 bytes, an object as `JSON.stringify` of it.
 * @throws KeybenchError ERR_JWT_HEADER when the header's alg differs from the key's algorithm.
 */
export async function signJws(
  header: Record<string, unknown>,
  payload: string | Record<string, unknown>,
  privateKey: CryptoKey,
  alg: SigningAlg | HmacAlg,
): Promise<string> {
  if (header.alg !== undefined && header.alg !== alg) {
    throw new KeybenchError(
      'ERR_JWT_HEADER',
      `The header says alg ${String(header.alg)}, but this key signs ${alg}.`,
    );
  }
  const h = textToBase64url(JSON.stringify({ ...header, alg }));
  const p = textToBase64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const sig = await signBytes(alg, privateKey, new TextEncoder().encode(`${h}.${p}`));
  return `${h}.${p}.${bytesToBase64url(sig)}`;
}

/** The HMAC algorithms the Test JWT signer offers besides the stored key pairs. */
export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'] as const;
/** One of {@link HMAC_ALGS}. */
export type HmacAlg = (typeof HMAC_ALGS)[number];

/**
 * An HMAC signing key for `alg` made from the secret's bytes (non-extractable, sign only).
 * @throws KeybenchError ERR_JWT_NO_KEY for an empty secret (WebCrypto refuses a zero-length HMAC key).
 */
export async function hmacSigningKey(secret: Uint8Array<ArrayBuffer>, alg: HmacAlg): Promise<CryptoKey> {
  if (secret.length === 0) {
    throw new KeybenchError('ERR_JWT_NO_KEY', `Type a secret to sign ${alg} with.`);
  }
  return importHmacSigner(secret, alg);
}

/**
 * Sign a compact JWS with a shared secret (HS256/384/512). The payload is used as {@link signJws} uses it.
 * @throws KeybenchError ERR_JWT_HEADER when the header's alg differs from `alg`; ERR_JWT_NO_KEY for an empty secret.
 */
export async function signJwsHmac(
  header: Record<string, unknown>,
  payload: string | Record<string, unknown>,
  secret: Uint8Array<ArrayBuffer>,
  alg: HmacAlg,
): Promise<string> {
  if (header.alg !== undefined && header.alg !== alg) {
    throw new KeybenchError(
      'ERR_JWT_HEADER',
      `The header says alg ${String(header.alg)}, but you chose ${alg}.`,
    );
  }
  return signJws(header, payload, await hmacSigningKey(secret, alg), alg);
}
