import { ALGORITHMS } from '../crypto/algorithms';
import { signBytes, verifySignature } from '../crypto/signature';
import { KeybenchError } from '../errors';
import { esAlgForCurve } from '../jwt/algorithms';
import type { SigningAlg } from './key-specs';
import { pssAllows, type KeyType } from './key-type';
import type { ParsedPrivateKey, ParsedPublicKey } from './parse';

/** The JWS algorithm an imported key signs with: RS256 for RSA, ES256/384/512 by curve, EdDSA. */
export function defaultAlgFor(type: KeyType): SigningAlg {
  if (type.kty === 'RSA' && type.pss) return `PS${(type.pss.hash ?? 'SHA-512').slice(4)}` as SigningAlg;
  if (type.kty === 'RSA') return 'RS256';
  if (type.kty === 'OKP') return 'EdDSA';
  return (esAlgForCurve(type.curve) as SigningAlg | undefined) ?? 'ES512';
}

/** How WebCrypto imports a key of this type: as the table's entry for the alg it signs. */
function importParams(type: KeyType): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  // An id-RSASSA-PSS key stays PSS-only in WebCrypto too; without a hash of its own, RFC 9421's SHA-512.
  if (type.kty === 'RSA' && type.pss) return { name: 'RSA-PSS', hash: type.pss.hash ?? 'SHA-512' };
  return ALGORITHMS[defaultAlgFor(type)].importParams;
}

/** A trusted public key ready to store: verify only. */
export async function importPublicKey(parsed: ParsedPublicKey): Promise<{ publicKey: CryptoKey }> {
  const publicKey = await crypto.subtle.importKey('spki', parsed.spki, importParams(parsed.type), true, [
    'verify',
  ]);
  return { publicKey };
}

/**
 * Import a private key as a non-extractable signing key, with its public half. Checks that the two
 * halves belong together by signing and verifying a test message, then zeroes the PKCS#8 bytes it
 * was given and drops the JWK's private members.
 * @throws KeybenchError ERR_KEY_INVALID when the browser refuses the key or the halves do not match.
 */
export async function importPrivateKey(parsed: ParsedPrivateKey): Promise<{
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwsAlg: SigningAlg;
  /** RSA only: the same key imported again for RSA-PSS (PS256), also non-extractable. */
  pssPrivateKey?: CryptoKey;
}> {
  const params = importParams(parsed.type);
  return withPrivateBytes(parsed, async (load) => {
    const privateKey = await load(params, 'sign');
    // WebCrypto ties a key to one algorithm, and the bytes are forgotten below: an RSA key is
    // imported a second time now, so it can sign PS256 (Entra's current docs) as well as RS256.
    // Not for an id-RSASSA-PSS key whose parameters forbid PS256 (another hash, a larger salt).
    const pssPrivateKey =
      parsed.type.kty === 'RSA' && pssAllows(parsed.type, 'SHA-256', 32)
        ? await load({ name: 'RSA-PSS', hash: 'SHA-256' }, 'sign')
        : undefined;
    const publicKey = await crypto.subtle.importKey('spki', parsed.spki, params, true, ['verify']);
    const probe = new TextEncoder().encode('keybench key pair check');
    const jwsAlg = defaultAlgFor(parsed.type);
    // An id-RSASSA-PSS key signs with its own hash (SHA-1 too: WebCrypto takes it from the key, so
    // any PS entry does) and may require a salt longer than the hash (RFC 4055 §3.1).
    const pss = parsed.type.kty === 'RSA' && parsed.type.pss;
    const probeAlg = pss ? 'PS512' : jwsAlg;
    const salt = pss ? Math.max(32, pss.saltLength ?? 0) : undefined;
    const sig = await signBytes(probeAlg, privateKey, probe, salt);
    if (!(await verifySignature(probeAlg, publicKey, sig, probe, salt))) throw halvesDiffer();
    return { privateKey, publicKey, jwsAlg, ...(pssPrivateKey ? { pssPrivateKey } : {}) };
  });
}

/** The two halves of a pasted private key do not belong together. */
function halvesDiffer(): KeybenchError {
  return new KeybenchError(
    'ERR_KEY_INVALID',
    'The private key does not match the public key stored inside it: the file is damaged.',
  );
}

/**
 * Runs `use` with a loader of the private key (non-extractable), then forgets its bytes whatever
 * happens; a browser that refuses the key is ERR_KEY_INVALID.
 */
async function withPrivateBytes<T>(
  parsed: ParsedPrivateKey,
  use: (
    load: (p: RsaHashedImportParams | EcKeyImportParams | Algorithm, usage: KeyUsage) => Promise<CryptoKey>,
  ) => Promise<T>,
): Promise<T> {
  try {
    return await use((p, usage) =>
      parsed.pkcs8
        ? crypto.subtle.importKey('pkcs8', parsed.pkcs8, p, false, [usage])
        : crypto.subtle.importKey('jwk', jwkForImport(parsed), p, false, [usage]),
    );
  } catch (e) {
    if (e instanceof KeybenchError) throw e;
    throw new KeybenchError(
      'ERR_KEY_INVALID',
      `The browser refused this private key: ${e instanceof Error ? e.message : e}`,
      { cause: e },
    );
  } finally {
    forgetPrivate(parsed);
  }
}

function jwkForImport(parsed: ParsedPrivateKey): JsonWebKey {
  const jwk = { ...(parsed.jwk as JsonWebKey) };
  delete jwk.alg;
  delete jwk.key_ops;
  delete jwk.ext;
  delete jwk.use;
  return jwk;
}

/** Zero the private bytes held by a parsed key and drop its private JWK members. */
export function forgetPrivate(parsed: ParsedPrivateKey): void {
  parsed.pkcs8?.fill(0);
  if (parsed.jwk) {
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const)
      delete (parsed.jwk as Record<string, unknown>)[m];
  }
}

/**
 * Import an RSA private key as a non-extractable RSA-OAEP-256 decryption key (message-level
 * encryption), with its public half for encrypting. Checks the halves belong together by encrypting
 * and decrypting a test message, then forgets the private bytes. It decrypts only: it never signs.
 * @throws KeybenchError ERR_KEY_UNSUPPORTED for a key that is not RSA, ERR_KEY_INVALID when the browser
 *   refuses it or the halves do not match.
 */
export async function importDecryptionKey(
  parsed: ParsedPrivateKey,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  const params = { name: 'RSA-OAEP', hash: 'SHA-256' };
  return withPrivateBytes(parsed, async (load) => {
    if (parsed.type.kty !== 'RSA' || parsed.type.pss) {
      throw new KeybenchError(
        'ERR_KEY_UNSUPPORTED',
        'Message-level encryption (RSA-OAEP-256) needs an RSA key: this one is not. Choose Mine to import it as a signing key.',
      );
    }
    const privateKey = await load(params, 'decrypt');
    const publicKey = await crypto.subtle.importKey('spki', parsed.spki, params, true, ['encrypt']);
    const probe = new TextEncoder().encode('keybench key pair check');
    const back = new Uint8Array(
      await crypto.subtle.decrypt(params, privateKey, await crypto.subtle.encrypt(params, publicKey, probe)),
    );
    if (back.length !== probe.length || back.some((b, i) => b !== probe[i])) throw halvesDiffer();
    return { privateKey, publicKey };
  });
}
