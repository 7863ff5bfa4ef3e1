import { calculateJwkThumbprint, type JWK } from 'jose';
import { toPem } from '../encoding/pem';
import { bytesToBase64, toHex } from '../encoding/base64url';
import type { KeyAlg } from './key-specs';

/** The public key as PEM, byte for byte what `openssl pkey -pubin -pubout` prints. */
export function spkiToPem(spki: Uint8Array): string {
  return toPem(spki, 'PUBLIC KEY');
}

/** SHA-256 of the SPKI DER as lowercase hex pairs joined by ":" (`openssl dgst -sha256 -c`). */
export async function spkiFingerprint(spki: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', spki)), ':');
}

/**
 * SHA-256 of the SPKI DER as `SHA256:` + standard base64 with padding: what Snowflake's DESCRIBE USER
 * prints as RSA_PUBLIC_KEY_FP (`openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`).
 */
export async function spkiSha256Base64(spki: Uint8Array): Promise<string> {
  return `SHA256:${bytesToBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(spki))))}`;
}

/** The RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key. */
export async function jwkThumbprint(publicKey: CryptoKey): Promise<string> {
  const jwk = (await crypto.subtle.exportKey('jwk', publicKey)) as JWK;
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** The public JWK to publish: only public members, plus `kid` (thumbprint), `alg` and `use` (`enc` for an encryption key). */
export async function publicJwk(publicKey: CryptoKey, alg: KeyAlg): Promise<JWK> {
  const full = (await crypto.subtle.exportKey('jwk', publicKey)) as JWK;
  const kid = await calculateJwkThumbprint(full, 'sha256');
  const pub: JWK =
    full.kty === 'RSA'
      ? { kty: 'RSA', n: full.n, e: full.e }
      : full.kty === 'OKP'
        ? { kty: 'OKP', crv: full.crv, x: full.x }
        : { kty: full.kty, crv: full.crv, x: full.x, y: full.y };
  return { ...pub, kid, alg, use: alg === 'RSA-OAEP-256' ? 'enc' : 'sig' };
}
