/**
 * The only place that calls `crypto.subtle.sign` and `crypto.subtle.verify`: every scheme, the JWT
 * verifier and the doctor go through these, so an algorithm's parameters (PSS salt, ECDSA hash,
 * what an id-RSASSA-PSS key may do) are decided once, in algorithms.ts.
 */
import type { VerificationKey } from '../trust/keys';
import { ALGORITHMS, type AlgId } from './algorithms';

/**
 * Import a trusted key (or secret) for verifying with `alg`, non-extractable; null when it does
 * not fit (the caller skips it).
 */
export async function importVerifier(key: VerificationKey, alg: AlgId): Promise<CryptoKey | null> {
  if (!ALGORITHMS[alg].fits(key.kind === 'public' ? key.type : null)) return null;
  const params = ALGORITHMS[alg].importParams;
  try {
    return key.kind === 'secret'
      ? await crypto.subtle.importKey('raw', key.secret, params, false, ['verify'])
      : await crypto.subtle.importKey('spki', key.spki, params, false, ['verify']);
  } catch {
    return null;
  }
}

/**
 * Does `signature` hold over `data`? False for any failure (a signature of the wrong length, a key
 * of another algorithm). `saltLength` overrides an RSA-PSS salt (the doctor tries the usual wrong
 * ones); it never makes a verdict.
 */
export async function verifySignature(
  alg: AlgId,
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
  saltLength?: number,
): Promise<boolean> {
  const spec = ALGORITHMS[alg];
  if (spec.signatureLength !== undefined && signature.length !== spec.signatureLength) return false;
  const params = saltLength === undefined ? spec.signParams : { ...spec.signParams, saltLength };
  try {
    return await crypto.subtle.verify(params, key, signature, data);
  } catch {
    return false;
  }
}

/**
 * Sign `data` with a private key (non-extractable: it never leaves WebCrypto) or an HMAC key.
 * `saltLength` overrides an RSA-PSS salt (an id-RSASSA-PSS key may demand a longer one).
 * @throws DOMException when the key cannot sign with the algorithm.
 */
export async function signBytes(
  alg: AlgId,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
  saltLength?: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const spec = ALGORITHMS[alg];
  const params = saltLength === undefined ? spec.signParams : { ...spec.signParams, saltLength };
  return new Uint8Array(await crypto.subtle.sign(params, key, data));
}

/** Import an HMAC secret for signing with `alg` (HS256/384/512), non-extractable. */
export async function importHmacSigner(secret: Uint8Array<ArrayBuffer>, alg: AlgId): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, ALGORITHMS[alg].importParams, false, ['sign']);
}
