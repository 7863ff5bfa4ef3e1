/**
 * The one algorithm table: each signature algorithm keybench signs or verifies, by its JWS name,
 * with its RFC 9421 name and the WebCrypto parameters it needs (as jose keeps one such table, so
 * that a JWT, an HTTP message signature and a partner's header never disagree about what
 * "ES512" or "rsa-pss-sha512" means).
 */
import type { KeyType } from '../keys/key-type';
import { pssAllows } from '../keys/key-type';

/** The algorithms, by JWS name (RFC 7518 §3.1; EdDSA is Ed25519 only). */
export type AlgId =
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

/** How one algorithm maps onto WebCrypto. */
export interface Algorithm {
  id: AlgId;
  /** Its name in the HTTP Signature Algorithms registry (RFC 9421 §6.2), when it has one. */
  rfc9421?: string;
  /** In words, for headlines ("RSASSA-PKCS1-v1_5 SHA-256"). */
  words: string;
  hash: 'SHA-256' | 'SHA-384' | 'SHA-512';
  importParams: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | { name: string };
  signParams: RsaPssParams | EcdsaParams | { name: string };
  /** ECDSA: the length of r‖s; HMAC: the MAC length. A signature of another length never verifies. */
  signatureLength?: number;
  /** Does a key of this type (null: a shared secret) fit? */
  fits(type: KeyType | null): boolean;
}

const rs = (bits: 256 | 384 | 512, rfc9421?: string): Algorithm => ({
  id: `RS${bits}`,
  ...(rfc9421 ? { rfc9421 } : {}),
  words: `RSASSA-PKCS1-v1_5 SHA-${bits}`,
  hash: `SHA-${bits}`,
  importParams: { name: 'RSASSA-PKCS1-v1_5', hash: `SHA-${bits}` },
  signParams: { name: 'RSASSA-PKCS1-v1_5' },
  // An id-RSASSA-PSS key is PSS-only (RFC 4055 §3.1): it never verifies PKCS#1 v1.5.
  fits: (t) => t?.kty === 'RSA' && !t.pss && !t.oaep,
});

const ps = (bits: 256 | 384 | 512, rfc9421?: string): Algorithm => ({
  id: `PS${bits}`,
  ...(rfc9421 ? { rfc9421 } : {}),
  words: `RSASSA-PSS SHA-${bits}`,
  hash: `SHA-${bits}`,
  importParams: { name: 'RSA-PSS', hash: `SHA-${bits}` },
  // The salt is as long as the digest: RFC 7518 §3.5, RFC 9421 §3.3.1, and every partner SDK here.
  signParams: { name: 'RSA-PSS', saltLength: bits / 8 },
  fits: (t) => t !== null && !(t.kty === 'RSA' && t.oaep) && pssAllows(t, `SHA-${bits}`, bits / 8),
});

const CURVE = { 256: 'P-256', 384: 'P-384', 512: 'P-521' } as const;
const es = (bits: 256 | 384 | 512, rfc9421?: string): Algorithm => ({
  id: `ES${bits}`,
  ...(rfc9421 ? { rfc9421 } : {}),
  words: `ECDSA ${CURVE[bits]} SHA-${bits}`,
  hash: `SHA-${bits}`,
  importParams: { name: 'ECDSA', namedCurve: CURVE[bits] },
  signParams: { name: 'ECDSA', hash: `SHA-${bits}` },
  signatureLength: bits === 512 ? 132 : (bits / 8) * 2,
  fits: (t) => t?.kty === 'EC' && t.curve === CURVE[bits],
});

const hs = (bits: 256 | 384 | 512, rfc9421?: string): Algorithm => ({
  id: `HS${bits}`,
  ...(rfc9421 ? { rfc9421 } : {}),
  words: `HMAC-SHA${bits}`,
  hash: `SHA-${bits}`,
  importParams: { name: 'HMAC', hash: `SHA-${bits}` },
  signParams: { name: 'HMAC' },
  signatureLength: bits / 8,
  fits: (t) => t === null,
});

/** The table. */
export const ALGORITHMS: Readonly<Record<AlgId, Algorithm>> = {
  RS256: rs(256, 'rsa-v1_5-sha256'),
  RS384: rs(384),
  RS512: rs(512),
  PS256: ps(256),
  PS384: ps(384),
  PS512: ps(512, 'rsa-pss-sha512'),
  ES256: es(256, 'ecdsa-p256-sha256'),
  ES384: es(384, 'ecdsa-p384-sha384'),
  ES512: es(512),
  EdDSA: {
    id: 'EdDSA',
    rfc9421: 'ed25519',
    words: 'Ed25519',
    hash: 'SHA-512',
    importParams: { name: 'Ed25519' },
    signParams: { name: 'Ed25519' },
    signatureLength: 64,
    fits: (t) => t?.kty === 'OKP',
  },
  HS256: hs(256, 'hmac-sha256'),
  HS384: hs(384),
  HS512: hs(512),
};

/** The algorithm of an RFC 9421 name, when keybench handles it. */
export function byRfc9421(name: string): Algorithm | undefined {
  return Object.values(ALGORITHMS).find((a) => a.rfc9421 === name);
}

/**
 * The algorithm a WebCrypto key was imported or generated for (WebCrypto ties a key to one), read
 * off the table: its name, hash and curve; undefined for an HMAC key or one the table lacks.
 */
export function algOfCryptoKey(key: CryptoKey): Algorithm | undefined {
  const k = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  return Object.values(ALGORITHMS).find((a) => {
    const p = a.importParams as { name: string; hash?: string; namedCurve?: string };
    return (
      p.name === k.name &&
      p.name !== 'HMAC' &&
      (p.hash === undefined || p.hash === k.hash?.name) &&
      (p.namedCurve === undefined || p.namedCurve === k.namedCurve)
    );
  });
}
