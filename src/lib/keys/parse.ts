/**
 * Recognise key text: PEM (SPKI, PKCS#1, X.509 certificate, PKCS#8, SEC1), armourless base64 DER,
 * and JWK. Converts everything to SPKI (public) or PKCS#8/JWK (private) with @peculiar/asn1-*, and
 * derives the public half of private keys from their own structure.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import {
  RSAPrivateKey,
  RSAPublicKey,
  RsaSaPssParams,
  id_mgf1,
  id_rsaEncryption,
  id_RSASSA_PSS,
  id_sha1,
  id_sha256,
  id_sha384,
  id_sha512,
} from '@peculiar/asn1-rsa';
import {
  ECParameters,
  ECPrivateKey,
  id_ecPublicKey,
  id_secp256r1,
  id_secp384r1,
  id_secp521r1,
} from '@peculiar/asn1-ecc';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import type { JWK } from 'jose';
import { KeybenchError } from '../errors';
import { ours, rich } from '../rich';
import { unsignedLength } from '../encoding/der';
import { looksLikePem, parsePem, type PemBlock } from '../encoding/pem';
import type { KeyType, PssOnly } from './key-type';
import { keyTextTooLarge, scanKeyMaterial } from './key-material';

const ID_ED25519 = '1.3.101.112';
const CURVES: Record<string, string> = {
  [id_secp256r1]: 'P-256',
  [id_secp384r1]: 'P-384',
  [id_secp521r1]: 'P-521',
};
const CURVE_NAMES_FOR_HUMANS: Record<string, string> = {
  '1.3.132.0.10': 'secp256k1',
  '1.2.840.10045.3.1.1': 'P-192',
  '1.3.132.0.33': 'P-224',
};

/** A public key found in text. */
export interface ParsedPublicKey {
  kind: 'public';
  source: 'SPKI PEM' | 'PKCS#1 RSA PUBLIC KEY' | 'X.509 certificate' | 'JWK' | 'DER without armour';
  spki: Uint8Array<ArrayBuffer>;
  type: KeyType;
  /** The certificate's DER, when the key came from one. */
  certificate?: Uint8Array<ArrayBuffer>;
  /** `kid`, `alg`, `use` and `key_ops`, when the key came from a JWK. */
  kid?: string;
  alg?: string;
  use?: string;
  keyOps?: string[];
}

/** A private key found in text, with its public half derived from it. */
export interface ParsedPrivateKey {
  kind: 'private';
  source: 'PKCS#8' | 'PKCS#1 RSA PRIVATE KEY' | 'SEC1 EC PRIVATE KEY' | 'private JWK';
  /** PKCS#8 DER for PEM input; absent for JWK input. */
  pkcs8?: Uint8Array<ArrayBuffer>;
  /** The JWK for JWK input. */
  jwk?: JWK;
  spki: Uint8Array<ArrayBuffer>;
  type: KeyType;
}

/** What `parseKeyText` recognises. A JWKS gives several public keys. */
export type ParsedKey = ParsedPublicKey | ParsedPrivateKey;

/** " at position N" from a JSON.parse error, without the engine's quote of the input. */
function jsonErrorPosition(e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  return m ? ` (at position ${Number(m[1]) + 1})` : '';
}

function curveName(oid: string | undefined): string {
  const name = oid ? CURVES[oid] : undefined;
  if (!name) {
    const human = (oid && CURVE_NAMES_FOR_HUMANS[oid]) ?? oid ?? 'unknown';
    throw new KeybenchError(
      'ERR_KEY_UNSUPPORTED',
      `Unsupported elliptic curve ${human}: browsers' WebCrypto signs with P-256, P-384 and P-521 only (ES256, ES384, ES512).`,
    );
  }
  return name;
}

/** WebCrypto's limits (Chromium's BoringSSL): a modulus of at most 16384 bits, an exponent of at most 2³²−1. */
const MAX_RSA_BITS = 16_384;

/**
 * Refuse an RSA public exponent WebCrypto would not import (over 2³²−1, or even), by its bytes,
 * before any arithmetic: a 17 KB exponent made the Qredo doctor's modular exponentiation freeze the page.
 * @throws KeybenchError ERR_KEY_UNSUPPORTED
 */
function checkRsaExponent(publicExponent: ArrayBuffer): void {
  const bytes = unsignedLength(publicExponent);
  const last = new Uint8Array(publicExponent).at(-1) ?? 0;
  if (bytes > 4 || (last & 1) === 0 || (bytes === 1 && last < 3)) {
    throw new KeybenchError(
      'ERR_KEY_UNSUPPORTED',
      `This RSA key's public exponent is ${bytes > 4 ? `${bytes} bytes long` : 'not an odd number of at least 3'}: WebCrypto imports RSA keys whose exponent is odd, at least 3 and at most 2³²−1 (almost every key uses 65537). Generate or export the key again.`,
    );
  }
}

function checkRsaBits(bits: number): void {
  if (bits > MAX_RSA_BITS) {
    throw new KeybenchError(
      'ERR_KEY_UNSUPPORTED',
      `This RSA key has ${bits} bits: WebCrypto imports RSA keys of up to ${MAX_RSA_BITS} bits.`,
    );
  }
  if (bits < 2048) {
    throw new KeybenchError(
      'ERR_KEY_WEAK',
      `This RSA key has ${bits} bits. Keys under 2048 bits are refused: generate an RSA-2048 (or larger) key instead.`,
    );
  }
}

/**
 * The key type inside an SPKI.
 * @throws KeybenchError ERR_KEY_UNSUPPORTED, ERR_KEY_WEAK, ERR_DER
 */
export function spkiKeyType(spki: Uint8Array): KeyType {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  } catch (e) {
    throw new KeybenchError(
      'ERR_DER',
      'This is not a public key keybench can read: its bytes are damaged or not a public key. Paste the whole PEM, from BEGIN to END.',
      { cause: e },
    );
  }
  return keyTypeOfAlgorithm(info.algorithm, () => {
    const rsa = AsnConvert.parse(info.subjectPublicKey, RSAPublicKey);
    checkRsaExponent(rsa.publicExponent);
    return unsignedLength(rsa.modulus) * 8;
  });
}

const PSS_HASHES: Record<string, PssOnly['hash']> = {
  [id_sha1]: 'SHA-1',
  [id_sha256]: 'SHA-256',
  [id_sha384]: 'SHA-384',
  [id_sha512]: 'SHA-512',
};

/**
 * The restriction an id-RSASSA-PSS AlgorithmIdentifier puts on its key (RFC 4055 §3.1): none beyond
 * PSS when it has no parameters; else its hash (MGF1 must use the same, as WebCrypto does) and
 * minimum salt length.
 * @throws KeybenchError ERR_KEY_UNSUPPORTED for a hash or mask WebCrypto cannot verify with.
 */
function pssRestriction(alg: AlgorithmIdentifier): PssOnly {
  if (!alg.parameters || alg.parameters.byteLength === 0) return {};
  const p = AsnConvert.parse(alg.parameters, RsaSaPssParams);
  const hash = PSS_HASHES[p.hashAlgorithm.algorithm];
  const mgfHash =
    p.maskGenAlgorithm.algorithm === id_mgf1 && p.maskGenAlgorithm.parameters
      ? PSS_HASHES[AsnConvert.parse(p.maskGenAlgorithm.parameters, AlgorithmIdentifier).algorithm]
      : undefined;
  if (!hash || mgfHash !== hash)
    throw new KeybenchError(
      'ERR_KEY_UNSUPPORTED',
      `This RSASSA-PSS key names a hash or mask (${p.hashAlgorithm.algorithm}, ${p.maskGenAlgorithm.algorithm}) WebCrypto cannot verify with: it needs SHA-1, SHA-256, SHA-384 or SHA-512 with MGF1 of the same hash.`,
    );
  return { hash, saltLength: p.saltLength };
}

/**
 * A public key from an SPKI, with an SPKI WebCrypto imports: an id-RSASSA-PSS key rewrapped as
 * rsaEncryption (the same modulus and exponent; its PSS-only restriction is kept in its KeyType).
 */
function fromSpki(der: Uint8Array<ArrayBuffer>, source: ParsedPublicKey['source']): ParsedPublicKey {
  const type = spkiKeyType(der);
  const info = AsnConvert.parse(der, SubjectPublicKeyInfo);
  if (info.algorithm.algorithm !== id_RSASSA_PSS) return { kind: 'public', source, spki: der, type };
  const rsa = AsnConvert.parse(info.subjectPublicKey, RSAPublicKey);
  return { kind: 'public', source, spki: rsaSpki(rsa.modulus, rsa.publicExponent), type };
}

function keyTypeOfAlgorithm(alg: AlgorithmIdentifier, rsaBits: () => number): KeyType {
  switch (alg.algorithm) {
    case id_rsaEncryption:
    case id_RSASSA_PSS: {
      const pss = alg.algorithm === id_RSASSA_PSS ? pssRestriction(alg) : undefined;
      const bits = rsaBits();
      checkRsaBits(bits);
      return pss ? { kty: 'RSA', bits, pss } : { kty: 'RSA', bits };
    }
    case id_ecPublicKey: {
      const params = alg.parameters ? AsnConvert.parse(alg.parameters, ECParameters) : undefined;
      return { kty: 'EC', curve: curveName(params?.namedCurve) };
    }
    case ID_ED25519:
      return { kty: 'OKP', curve: 'Ed25519' };
    default:
      throw new KeybenchError('ERR_KEY_UNSUPPORTED', `Unsupported key algorithm (OID ${alg.algorithm}).`);
  }
}

function rsaAlgorithm(): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null });
}

function ecAlgorithm(curveOid: string): AlgorithmIdentifier {
  const parameters = AsnConvert.serialize(new ECParameters({ namedCurve: curveOid }));
  return new AlgorithmIdentifier({ algorithm: id_ecPublicKey, parameters });
}

function spkiOf(algorithm: AlgorithmIdentifier, subjectPublicKey: ArrayBuffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(AsnConvert.serialize(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey })));
}

function rsaSpki(modulus: ArrayBuffer, publicExponent: ArrayBuffer): Uint8Array<ArrayBuffer> {
  return spkiOf(rsaAlgorithm(), AsnConvert.serialize(new RSAPublicKey({ modulus, publicExponent })));
}

/** A PKCS#1 or SEC1 private key wrapped as PKCS#8 (what WebCrypto imports). */
function pkcs8Of(privateKeyAlgorithm: AlgorithmIdentifier, der: Uint8Array): Uint8Array<ArrayBuffer> {
  const info = new PrivateKeyInfo({ version: 0, privateKeyAlgorithm, privateKey: new OctetString(der) });
  return new Uint8Array(AsnConvert.serialize(info));
}

/** PKCS#1 RSAPrivateKey DER → PKCS#8 and the public SPKI; `pss` when the key is PSS-only. */
function fromPkcs1Private(der: Uint8Array, pss?: PssOnly): ParsedPrivateKey {
  const rsa = AsnConvert.parse(der, RSAPrivateKey);
  const bits = unsignedLength(rsa.modulus) * 8;
  checkRsaBits(bits);
  checkRsaExponent(rsa.publicExponent);
  return {
    kind: 'private',
    source: 'PKCS#1 RSA PRIVATE KEY',
    pkcs8: pkcs8Of(rsaAlgorithm(), der),
    spki: rsaSpki(rsa.modulus, rsa.publicExponent),
    type: pss ? { kty: 'RSA', bits, pss } : { kty: 'RSA', bits },
  };
}

/** SEC1 ECPrivateKey DER → PKCS#8 and the public SPKI. */
function fromSec1(der: Uint8Array, curveOidFromOuter?: string): ParsedPrivateKey {
  const ec = AsnConvert.parse(der, ECPrivateKey);
  const curveOid = ec.parameters?.namedCurve ?? curveOidFromOuter;
  const curve = curveName(curveOid);
  if (!ec.publicKey) {
    throw new KeybenchError(
      'ERR_KEY_INVALID',
      'This EC private key does not carry its public key. Rewrite it with “openssl ec -in key.pem -out full.pem” (OpenSSL adds the public key) and import that.',
    );
  }
  return {
    kind: 'private',
    source: 'SEC1 EC PRIVATE KEY',
    pkcs8: pkcs8Of(ecAlgorithm(curveOid!), der),
    spki: spkiOf(ecAlgorithm(curveOid!), ec.publicKey),
    type: { kty: 'EC', curve },
  };
}

/** PKCS#8 PrivateKeyInfo DER → its public SPKI. */
function fromPkcs8(der: Uint8Array<ArrayBuffer>): ParsedPrivateKey {
  const info = AsnConvert.parse(der, PrivateKeyInfo);
  const alg = info.privateKeyAlgorithm;
  const inner = new Uint8Array(info.privateKey.buffer);
  if (alg.algorithm === id_rsaEncryption) {
    return { ...fromPkcs1Private(inner), source: 'PKCS#8', pkcs8: der };
  }
  if (alg.algorithm === id_RSASSA_PSS) {
    // WebCrypto imports rsaEncryption PKCS#8 only: the same RSAPrivateKey, rewrapped; PSS-only by its type.
    return { ...fromPkcs1Private(inner, pssRestriction(alg)), source: 'PKCS#8' };
  }
  if (alg.algorithm === id_ecPublicKey) {
    const outerCurve = alg.parameters ? AsnConvert.parse(alg.parameters, ECParameters).namedCurve : undefined;
    return { ...fromSec1(inner, outerCurve), source: 'PKCS#8', pkcs8: der };
  }
  if (alg.algorithm === ID_ED25519) {
    // OpenSSL's Ed25519 PKCS#8 (v1) holds only the seed: `parseKeySetText` derives the public key.
    return {
      kind: 'private',
      source: 'PKCS#8',
      pkcs8: der,
      spki: new Uint8Array(0),
      type: { kty: 'OKP', curve: 'Ed25519' },
    };
  }
  throw new KeybenchError('ERR_KEY_UNSUPPORTED', `Unsupported key algorithm (OID ${alg.algorithm}).`);
}

function fromCertificate(der: Uint8Array<ArrayBuffer>, source: ParsedPublicKey['source']): ParsedPublicKey {
  const cert = AsnConvert.parse(der, Certificate);
  const spki = new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo));
  return { ...fromSpki(spki, source), certificate: der };
}

function fromPkcs1Public(der: Uint8Array, source: ParsedPublicKey['source']): ParsedPublicKey {
  const rsa = AsnConvert.parse(der, RSAPublicKey);
  return fromSpki(rsaSpki(rsa.modulus, rsa.publicExponent), source);
}

function wrapDer<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KeybenchError) throw e;
    throw new KeybenchError(
      'ERR_DER',
      `The ${what} block is not valid DER: ${e instanceof Error ? e.message : e}`,
      { cause: e },
    );
  }
}

function fromPemBlock(block: PemBlock): ParsedKey | null {
  const encrypted = block.headers['Proc-Type']?.includes('ENCRYPTED');
  switch (block.label) {
    case 'ENCRYPTED PRIVATE KEY':
      throw new KeybenchError(
        'ERR_KEY_ENCRYPTED',
        'This private key is encrypted with a passphrase. Decrypt it first with “openssl pkey -in encrypted.pem -out private.pem” (it asks for the passphrase), then import private.pem.',
      );
    case 'RSA PRIVATE KEY':
    case 'EC PRIVATE KEY':
      if (encrypted) {
        const tool = block.label === 'RSA PRIVATE KEY' ? 'rsa' : 'ec';
        throw new KeybenchError(
          'ERR_KEY_ENCRYPTED',
          `This private key is encrypted with a passphrase (Proc-Type: 4,ENCRYPTED). Decrypt it first with “openssl ${tool} -in encrypted.pem -out private.pem” (it asks for the passphrase), then import private.pem.`,
        );
      }
      return wrapDer(block.label, () =>
        block.label === 'RSA PRIVATE KEY' ? fromPkcs1Private(block.der) : fromSec1(block.der),
      );
    case 'PRIVATE KEY':
      return wrapDer('PRIVATE KEY', () => fromPkcs8(block.der));
    case 'PUBLIC KEY':
      return wrapDer('PUBLIC KEY', () => fromSpki(block.der, 'SPKI PEM'));
    case 'RSA PUBLIC KEY':
      return wrapDer('RSA PUBLIC KEY', () => fromPkcs1Public(block.der, 'PKCS#1 RSA PUBLIC KEY'));
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
      return wrapDer('CERTIFICATE', () => fromCertificate(block.der, 'X.509 certificate'));
    case 'OPENSSH PRIVATE KEY':
      throw new KeybenchError(
        'ERR_KEY_UNSUPPORTED',
        'This is an OpenSSH-format private key. Convert a copy to PEM with “ssh-keygen -p -m PEM -f copy_of_key” (it rewrites that file in place), then import it.',
      );
    case 'EC PARAMETERS':
      return null; // `openssl ecparam -genkey` writes this before the key; the key block follows.
    default:
      throw new KeybenchError(
        'ERR_KEY_UNRECOGNISED',
        rich`A PEM block labelled ${block.label} is not a key keybench can use.`,
      );
  }
}

/** A JWK's private members, and metadata that would stop WebCrypto importing its public part to verify. */
const NOT_PUBLIC_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'key_ops', 'ext', 'alg', 'use'];

function jwkImportParams(jwk: JWK): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  if (jwk.kty === 'RSA') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (jwk.kty === 'EC') {
    if (!jwk.crv || !Object.values(CURVES).includes(jwk.crv)) {
      throw new KeybenchError(
        'ERR_KEY_UNSUPPORTED',
        rich`Unsupported JWK curve ${jwk.crv === undefined ? ours('(none)') : String(jwk.crv)}: use P-256, P-384 or P-521.`,
      );
    }
    return { name: 'ECDSA', namedCurve: jwk.crv };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return { name: 'Ed25519' };
  if (jwk.kty === 'oct') {
    throw new KeybenchError(
      'ERR_KEY_UNSUPPORTED',
      'This JWK is a symmetric secret (kty "oct"). Use it as an HMAC secret in the inspector; it cannot be a signing key pair.',
    );
  }
  throw new KeybenchError('ERR_KEY_UNSUPPORTED', rich`Unsupported JWK key type ${String(jwk.kty)}.`);
}

/**
 * The SPKI of a JWK's public part (through WebCrypto, which validates the numbers).
 * @throws KeybenchError ERR_KEY_INVALID, ERR_KEY_UNSUPPORTED, ERR_KEY_WEAK
 */
export async function jwkToSpki(jwk: JWK): Promise<Uint8Array<ArrayBuffer>> {
  const pub: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jwk)) if (!NOT_PUBLIC_JWK_MEMBERS.includes(k)) pub[k] = v;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('jwk', pub as JsonWebKey, jwkImportParams(jwk), true, ['verify']);
  } catch (e) {
    if (e instanceof KeybenchError) throw e;
    throw new KeybenchError(
      'ERR_KEY_INVALID',
      rich`This JWK is not a valid ${String(jwk.kty)} public key: the browser refused its numbers (${ours(e instanceof Error ? e.name : 'error')}).`,
      { cause: e },
    );
  }
  return new Uint8Array(await crypto.subtle.exportKey('spki', key));
}

/**
 * An RSA JWK's `n` with a leading zero byte is refused by name: RFC 7518 §6.3.1.1 forbids it,
 * browsers refuse it (DataError) while Node accepts it, so naming it is the only steady answer.
 */
function refuseLeadingZeroModulus(jwk: JWK): void {
  // The first byte is zero exactly when the first character is "A" (6 zero bits) and the second
  // is A–P (its top 2 bits zero).
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || !/^A[A-P]/.test(jwk.n)) return;
  throw new KeybenchError(
    'ERR_KEY_INVALID',
    'This JWK\'s modulus "n" starts with a zero byte. RFC 7518 §6.3.1.1 says n has no leading zero bytes, and browsers refuse such a key. Ask the issuer to encode n without it (the library wrote a signed integer).',
  );
}

async function fromJwk(jwk: JWK): Promise<ParsedKey> {
  if (typeof jwk.kty !== 'string') {
    throw new KeybenchError(
      'ERR_KEY_UNRECOGNISED',
      'This JSON has no "kty": it is not a JWK. If it is a public key, add its "kty" ("RSA", "EC" or "OKP").',
    );
  }
  refuseLeadingZeroModulus(jwk);
  const spki = await jwkToSpki(jwk);
  const type = spkiKeyType(spki);
  if (typeof jwk.d === 'string') return { kind: 'private', source: 'private JWK', jwk, spki, type };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    kind: 'public',
    source: 'JWK',
    spki,
    type,
    kid: str(jwk.kid),
    alg: str(jwk.alg),
    use: str(jwk.use),
    keyOps: Array.isArray(jwk.key_ops) ? jwk.key_ops.map(String) : undefined,
  };
}

/**
 * Recognise one key in pasted or dropped text. A JWKS gives every usable key in it (see
 * `parseKeySetText`). Never keeps anything: the caller decides what to import.
 * @throws KeybenchError ERR_KEY_ENCRYPTED, ERR_KEY_UNSUPPORTED, ERR_KEY_WEAK, ERR_KEY_INVALID,
 *   ERR_KEY_UNRECOGNISED, ERR_KEY_TOO_LARGE, ERR_PEM_ARMOUR, ERR_DER
 */
export async function parseKeyText(text: string): Promise<ParsedKey> {
  const keys = await parseKeySetText(text);
  if (keys.length !== 1) {
    throw new KeybenchError('ERR_KEY_UNRECOGNISED', `This text holds ${keys.length} keys; paste one key.`);
  }
  return keys[0]!;
}

/**
 * Recognise every key in a text: several PEM blocks, a JWKS, or one key.
 * @throws as `parseKeyText`
 */
export async function parseKeySetText(text: string): Promise<ParsedKey[]> {
  const keys = await parseKeySetTextOnly(text);
  return Promise.all(keys.map(withEd25519Public));
}

/**
 * The public half of an Ed25519 PKCS#8 key, which (as OpenSSL writes it) holds only the seed:
 * WebCrypto derives it. The seed is imported into a short-lived key that is only asked for its
 * public `x` and then dropped; what keybench keeps is imported again, non-extractable.
 */
async function withEd25519Public(k: ParsedKey): Promise<ParsedKey> {
  if (k.kind !== 'private' || k.type.kty !== 'OKP' || k.spki.length > 0 || !k.pkcs8) return k;
  let x: string | undefined;
  try {
    const temp = await crypto.subtle.importKey('pkcs8', k.pkcs8, { name: 'Ed25519' }, true, ['sign']);
    x = ((await crypto.subtle.exportKey('jwk', temp)) as JsonWebKey).x;
  } catch (e) {
    throw new KeybenchError(
      'ERR_KEY_INVALID',
      `This browser could not read the Ed25519 private key${e instanceof Error && e.name === 'NotSupportedError' ? ': Ed25519 is not supported by this browser' : ''}.`,
      { cause: e },
    );
  }
  if (!x) throw new KeybenchError('ERR_KEY_INVALID', 'The browser did not give the Ed25519 public key.');
  return { ...k, spki: await jwkToSpki({ kty: 'OKP', crv: 'Ed25519', x }) };
}

async function parseKeySetTextOnly(text: string): Promise<ParsedKey[]> {
  // Before any scan: no regular expression runs over megabytes of pasted text.
  const tooLarge = keyTextTooLarge(text);
  if (tooLarge) throw new KeybenchError('ERR_KEY_TOO_LARGE', tooLarge);
  const trimmed = text.trim();
  if (!trimmed) throw new KeybenchError('ERR_KEY_UNRECOGNISED', 'Nothing to read: the key text is empty.');
  if (looksLikePem(trimmed)) {
    const keys = parsePem(trimmed)
      .map(fromPemBlock)
      .filter((k): k is ParsedKey => k !== null);
    if (keys.length === 0) throw new KeybenchError('ERR_KEY_UNRECOGNISED', 'The PEM text holds no key.');
    return keys;
  }
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new KeybenchError(
        'ERR_KEY_UNRECOGNISED',
        `This looks like JSON but does not parse${jsonErrorPosition(e)}.`,
      );
    }
    const set = json as { keys?: unknown };
    if (Array.isArray(set.keys)) {
      const out: ParsedKey[] = [];
      let firstWhy: KeybenchError | undefined;
      for (const k of set.keys as JWK[]) {
        try {
          out.push(await fromJwk(k));
        } catch (e) {
          // A JWKS may hold keys for other uses (encryption, unsupported curves); skip those.
          if (e instanceof KeybenchError) firstWhy ??= e;
        }
      }
      if (out.length === 0) {
        throw new KeybenchError('ERR_KEY_UNRECOGNISED', [
          'This JWKS holds no usable signature key.',
          ...(firstWhy ? [' The first key: ', ...firstWhy.parts] : []),
        ]);
      }
      return out;
    }
    return [await fromJwk(json as JWK)];
  }
  // Armourless DER (base64 or hex), alone or inside other text: the same scan that decides whether
  // a text holds a key (key-material.ts) finds it.
  for (const { der, private: isPrivate } of scanKeyMaterial(trimmed).der) {
    const attempts: (() => ParsedKey)[] = isPrivate
      ? [() => fromPkcs8(der), () => fromPkcs1Private(der), () => fromSec1(der)]
      : [fromSpki, fromCertificate, fromPkcs1Public].map((read) => () => read(der, 'DER without armour'));
    for (const attempt of attempts) {
      try {
        return [attempt()];
      } catch (e) {
        if (e instanceof KeybenchError && e.code !== 'ERR_DER') throw e;
      }
    }
  }
  throw new KeybenchError(
    'ERR_KEY_UNRECOGNISED',
    'This is not a key keybench recognises. Paste a PEM block (BEGIN PUBLIC KEY, CERTIFICATE, PRIVATE KEY…), a JWK or JWKS, or a PEM body without its armour.',
  );
}
