/**
 * What a signature that no known mistake explains still says about its key. RSA can tell: the
 * public operation on the signature gives a valid encoding (PKCS#1 v1.5 with a DigestInfo, or
 * PSS) only under the key that made it, so that key made it over other bytes (or with the other
 * padding), or another key made it. Ed25519, ECDSA and HMAC cannot: the key or the signed bytes
 * differ, and nothing tells which.
 */
import type { VerificationKey } from '../jwt/verify';
import { recover } from '../crypto/rsa-recover';

/**
 * `made-by`: that key made the signature (PKCS#1 v1.5 over other bytes; a PSS shape names no key,
 * see below); `not-made`: none of the keys did; `unknown`: cannot tell.
 */
export type Authorship =
  { kind: 'made-by'; key: VerificationKey } | { kind: 'not-made' } | { kind: 'unknown' };

/**
 * Who made the signature, as far as the keys tell; `signatures`: every reading of it as bytes (a
 * damaged encoding must not pass for another key). `pkcs1`: the RSA keys verify RSASSA-PKCS1-v1_5 (so
 * one whose public operation gives no PKCS#1 padding did not make it). `not-made` only when every key
 * is such an RSA key.
 */
export async function whoMadeIt(
  keys: readonly VerificationKey[],
  signatures: readonly Uint8Array[],
  pkcs1: boolean,
): Promise<Authorship> {
  let allRsa = keys.length > 0 && signatures.length > 0;
  for (const key of keys) {
    if (key.kind !== 'public' || key.type.kty !== 'RSA' || !pkcs1) {
      allRsa = false;
      continue;
    }
    for (const signature of signatures) {
      const r = await recover(key.spki, signature);
      if (r?.kind === 'pkcs1') return { kind: 'made-by', key };
      // A PSS shape is a trailer byte and a few bits (random bytes have it about once in 2^15): it
      // names no key, and it does not prove another key made the signature either.
      if (r) allRsa = false;
    }
  }
  return allRsa ? { kind: 'not-made' } : { kind: 'unknown' };
}
