/**
 * Decrypting a compact JWE with a non-extractable RSA-OAEP-256 private key. jose's compactDecrypt
 * does the work; only what jose refuses but a partner's SDK writes (a 16-byte AES-GCM IV, a header
 * part with `/` in it) is decrypted with WebCrypto's AES-GCM directly, over the same AAD (the
 * header's text as sent), with the content key the private key unwrapped.
 */
import { compactDecrypt, errors } from 'jose';
import { KeybenchError } from '../errors';
import { bytesToBase64url } from '../encoding/base64url';
import type { ParsedJwe } from './parse';

/** The content encryption algorithms keybench decrypts (Mastercard also accepts A128CBC-HS256). */
const CONTENT_ALGS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'];

/**
 * Refuse what no key of keybench's can decrypt, before any key is tried.
 * @throws KeybenchError ERR_JWE_ALG (RSA1_5 with the reason), ERR_JWE_ENC, ERR_JWE_ZIP.
 */
export function checkDecryptable(jwe: ParsedJwe): void {
  const { alg, enc, zip } = jwe.header;
  if (alg === 'RSA1_5') {
    throw new KeybenchError(
      'ERR_JWE_ALG',
      'Refused: alg RSA1_5 (RSA PKCS#1 v1.5) lets an attacker recover the content key by padding-oracle attacks. Ask the sender for RSA-OAEP-256.',
    );
  }
  if (alg !== 'RSA-OAEP-256') {
    throw new KeybenchError(
      'ERR_JWE_ALG',
      `The JWE's alg is ${JSON.stringify(alg) ?? 'missing'}; keybench's encryption keys decrypt RSA-OAEP-256, what Visa, CyberSource and Mastercard use.`,
    );
  }
  if (typeof enc !== 'string' || !CONTENT_ALGS.includes(enc)) {
    throw new KeybenchError(
      'ERR_JWE_ENC',
      `The JWE's enc is ${JSON.stringify(enc) ?? 'missing'}: use A128GCM, A256GCM or A128CBC-HS256.`,
    );
  }
  if (zip !== undefined) {
    throw new KeybenchError(
      'ERR_JWE_ZIP',
      'This JWE is compressed ("zip"); keybench does not decompress it (a small JWE can inflate to gigabytes).',
    );
  }
}

/**
 * Check a key can decrypt RSA-OAEP-256.
 * @throws KeybenchError ERR_JWE_KEY_TYPE.
 */
function checkDecryptionKey(key: CryptoKey): void {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  const hash = typeof a.hash === 'string' ? a.hash : a.hash?.name;
  if (
    key.type !== 'private' ||
    a.name !== 'RSA-OAEP' ||
    hash !== 'SHA-256' ||
    !key.usages.includes('decrypt')
  ) {
    throw new KeybenchError(
      'ERR_JWE_KEY_TYPE',
      `This key is ${a.name ?? 'unknown'}${key.type === 'private' ? '' : ' (public)'}, not an RSA-OAEP-256 decryption key: generate an encryption key pair on Keys.`,
    );
  }
}

/** AES-GCM decryption with WebCrypto, for the IV lengths jose refuses. Throws ERR_JWE_TAG when the tag fails. */
async function gcmDecrypt(jwe: ParsedJwe, cek: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const bits = Number((jwe.header.enc as string).slice(1, 4));
  if (cek.length * 8 !== bits) {
    throw new KeybenchError(
      'ERR_JWE_WRONG_KEY',
      `The content key is ${cek.length * 8} bits, not the ${bits} ${String(jwe.header.enc)} needs.`,
    );
  }
  if (jwe.tag.length !== 16) {
    throw new KeybenchError(
      'ERR_JWE_TAG',
      `The authentication tag is ${jwe.tag.length} bytes, not 16: it was cut off or changed.`,
    );
  }
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const data = new Uint8Array(jwe.ciphertext.length + 16);
  data.set(jwe.ciphertext);
  data.set(jwe.tag, jwe.ciphertext.length);
  try {
    const aad = new TextEncoder().encode(jwe.parts[0]);
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: jwe.iv, additionalData: aad, tagLength: 128 },
        key,
        data,
      ),
    );
  } catch (e) {
    throw tagFailure(e);
  }
}

/** The refusal for a tag that does not hold. */
function tagFailure(cause: unknown): KeybenchError {
  return new KeybenchError(
    'ERR_JWE_TAG',
    'The authentication tag does not hold: the header, IV, ciphertext or tag was changed after encryption (or cut off).',
    { cause },
  );
}

/** jose's errors as keybench codes. */
function fromJose(e: unknown): KeybenchError {
  if (e instanceof errors.JWEDecryptionFailed) return tagFailure(e);
  if (e instanceof errors.JOSENotSupported)
    return new KeybenchError('ERR_JWE_ENC', `Not supported: ${e.message}`, { cause: e });
  if (e instanceof errors.JOSEError)
    return new KeybenchError('ERR_JWE_INPUT', `This JWE is malformed: ${e.message}`, { cause: e });
  return new KeybenchError(
    'ERR_JWE_INPUT',
    `This JWE could not be decrypted: ${e instanceof Error ? e.message : String(e)}`,
    { cause: e },
  );
}

/**
 * Decrypt with one private key. Returns the plaintext only when the tag held.
 * @throws KeybenchError ERR_JWE_KEY_TYPE, ERR_JWE_WRONG_KEY (the key did not wrap the content key),
 *   ERR_JWE_TAG (a changed byte), and the refusals of {@link checkDecryptable}.
 */
export async function decryptWithKey(jwe: ParsedJwe, key: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
  checkDecryptable(jwe);
  checkDecryptionKey(key);
  let cek: Uint8Array<ArrayBuffer>;
  try {
    cek = new Uint8Array(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, key, jwe.encryptedKey));
  } catch (e) {
    throw new KeybenchError(
      'ERR_JWE_WRONG_KEY',
      'This key did not encrypt the content key: the JWE was encrypted to another public key.',
      { cause: e },
    );
  }
  const enc = jwe.header.enc as string;
  const headerBent = /[+/=]/.test(jwe.parts[0]);
  if (enc.endsWith('GCM') && (jwe.iv.length !== 12 || headerBent)) return gcmDecrypt(jwe, cek);
  if (headerBent) {
    throw new KeybenchError(
      'ERR_JWE_BASE64URL',
      'The JWE header part holds "+", "/" or "=": not base64url. Ask the sender to encode it as base64url.',
    );
  }
  // The header part stays as sent (it is the AAD); the others are re-encoded as strict base64url.
  const compact = [
    jwe.parts[0],
    ...[jwe.encryptedKey, jwe.iv, jwe.ciphertext, jwe.tag].map(bytesToBase64url),
  ].join('.');
  try {
    const out = await compactDecrypt(compact, key, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: CONTENT_ALGS,
    });
    return out.plaintext as Uint8Array<ArrayBuffer>;
  } catch (e) {
    throw fromJose(e);
  }
}
