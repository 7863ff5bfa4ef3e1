/**
 * RFC 9421 §3.3: the algorithms, as WebCrypto parameters. ECDSA signatures are raw r‖s (what
 * WebCrypto makes); RSASSA-PSS uses SHA-512, MGF1-SHA-512 and a 64-byte salt.
 */
import type { VerificationKey } from '../../jwt/verify';
import { pssAllows, type KeyType } from '../../keys/key-type';

/** The algorithm names of the HTTP Signature Algorithms registry that keybench handles. */
export type HttpSigAlg =
  | 'rsa-pss-sha512'
  | 'rsa-v1_5-sha256'
  | 'hmac-sha256'
  | 'ecdsa-p256-sha256'
  | 'ecdsa-p384-sha384'
  | 'ed25519';

/** How an algorithm maps onto WebCrypto. */
export interface AlgSpec {
  id: HttpSigAlg;
  /** What key it needs, in words. */
  needs: string;
  /** Parameters for importKey. */
  importParams: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm;
  /** Parameters for sign/verify. */
  signParams: RsaPssParams | EcdsaParams | Algorithm;
  /** Does a key of this type (or a secret, when null) fit? */
  fits(type: KeyType | null): boolean;
  /** The length of a valid signature in bytes, when fixed. */
  signatureLength?: number;
}

/** The §3.3 table. */
export const ALGORITHMS: Record<HttpSigAlg, AlgSpec> = {
  'rsa-pss-sha512': {
    id: 'rsa-pss-sha512',
    needs: 'an RSA key',
    importParams: { name: 'RSA-PSS', hash: 'SHA-512' },
    signParams: { name: 'RSA-PSS', saltLength: 64 } as RsaPssParams,
    // An id-RSASSA-PSS key fits when its own hash and minimum salt allow SHA-512 with 64 bytes.
    fits: (t) => t !== null && pssAllows(t, 'SHA-512', 64),
  },
  'rsa-v1_5-sha256': {
    id: 'rsa-v1_5-sha256',
    needs: 'an RSA key',
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signParams: { name: 'RSASSA-PKCS1-v1_5' },
    // Never with an id-RSASSA-PSS key: it is PSS-only.
    fits: (t) => t?.kty === 'RSA' && !t.pss,
  },
  'hmac-sha256': {
    id: 'hmac-sha256',
    needs: 'a shared secret',
    importParams: { name: 'HMAC', hash: 'SHA-256' } as HmacImportParams,
    signParams: { name: 'HMAC' },
    fits: (t) => t === null,
    signatureLength: 32,
  },
  'ecdsa-p256-sha256': {
    id: 'ecdsa-p256-sha256',
    needs: 'an ECDSA P-256 key',
    importParams: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyImportParams,
    signParams: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    fits: (t) => t?.kty === 'EC' && t.curve === 'P-256',
    signatureLength: 64,
  },
  'ecdsa-p384-sha384': {
    id: 'ecdsa-p384-sha384',
    needs: 'an ECDSA P-384 key',
    importParams: { name: 'ECDSA', namedCurve: 'P-384' } as EcKeyImportParams,
    signParams: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams,
    fits: (t) => t?.kty === 'EC' && t.curve === 'P-384',
    signatureLength: 96,
  },
  ed25519: {
    id: 'ed25519',
    needs: 'an Ed25519 key',
    importParams: { name: 'Ed25519' },
    signParams: { name: 'Ed25519' },
    fits: (t) => t?.kty === 'OKP',
    signatureLength: 64,
  },
};

/** Is this one of the §3.3 algorithm names keybench handles? */
export function isHttpSigAlg(alg: string): alg is HttpSigAlg {
  return Object.hasOwn(ALGORITHMS, alg);
}

/** The key type of a verification key, or null for a shared secret. */
export function typeOfKey(key: VerificationKey): KeyType | null {
  return key.kind === 'public' ? key.type : null;
}

/** The algorithms a key can verify, most likely first (RSA: PSS, then v1.5). */
export function algorithmsForKey(key: VerificationKey): HttpSigAlg[] {
  const t = typeOfKey(key);
  return (Object.keys(ALGORITHMS) as HttpSigAlg[]).filter((a) => ALGORITHMS[a].fits(t));
}

/** The algorithm a WebCrypto key signs with by default (RSA-PSS key: rsa-pss-sha512; RSASSA key: rsa-v1_5-sha256). */
export function algorithmForCryptoKey(key: CryptoKey): HttpSigAlg | undefined {
  const a = key.algorithm as Partial<EcKeyAlgorithm> & { name: string };
  switch (a.name) {
    case 'RSA-PSS':
      return 'rsa-pss-sha512';
    case 'RSASSA-PKCS1-v1_5':
      return 'rsa-v1_5-sha256';
    case 'HMAC':
      return 'hmac-sha256';
    case 'ECDSA':
      return a.namedCurve === 'P-256'
        ? 'ecdsa-p256-sha256'
        : a.namedCurve === 'P-384'
          ? 'ecdsa-p384-sha384'
          : undefined;
    case 'Ed25519':
      return 'ed25519';
    default:
      return undefined;
  }
}

/**
 * Import a trusted key for verifying with `alg`, non-extractable.
 * @throws DOMException when the key does not fit the algorithm.
 */
export async function importVerifyKey(key: VerificationKey, alg: HttpSigAlg): Promise<CryptoKey> {
  const spec = ALGORITHMS[alg];
  if (key.kind === 'secret')
    return crypto.subtle.importKey('raw', key.secret, spec.importParams, false, ['verify']);
  return crypto.subtle.importKey('spki', key.spki, spec.importParams, false, ['verify']);
}

/** Verify a signature over bytes; `saltLength` overrides RSA-PSS's 64 (for diagnoses only). False on any failure. */
export async function verifyBytes(
  alg: HttpSigAlg,
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
 * Sign bytes with `alg`. For RSA, the key's own WebCrypto algorithm decides (an RSA-PSS key signs
 * rsa-pss-sha512 only).
 * @throws DOMException when the key cannot sign with the algorithm.
 */
export async function signBytes(
  alg: HttpSigAlg,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign(ALGORITHMS[alg].signParams, key, data));
}
