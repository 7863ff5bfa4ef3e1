import { bytesToBase64url, textToBase64url } from '../encoding/base64url';
import { KeybenchError } from '../errors';
import { webCryptoSignParams, type SigningAlg } from '../keys/key-specs';

/**
 * Sign a compact JWS with a (non-extractable) private key. The payload is used exactly as given:
 * a string is signed as its UTF-8 bytes, an object as `JSON.stringify` of it.
 * @throws KeybenchError ERR_JWT_HEADER when the header's alg differs from the key's algorithm.
 */
export async function signJws(
  header: Record<string, unknown>,
  payload: string | Record<string, unknown>,
  privateKey: CryptoKey,
  alg: SigningAlg,
): Promise<string> {
  if (header.alg !== undefined && header.alg !== alg) {
    throw new KeybenchError(
      'ERR_JWT_HEADER',
      `The header says alg ${String(header.alg)}, but this key signs ${alg}.`,
    );
  }
  const h = textToBase64url(JSON.stringify({ ...header, alg }));
  const p = textToBase64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const input = new TextEncoder().encode(`${h}.${p}`);
  const sig = new Uint8Array(await crypto.subtle.sign(webCryptoSignParams(alg), privateKey, input));
  return `${h}.${p}.${bytesToBase64url(sig)}`;
}
