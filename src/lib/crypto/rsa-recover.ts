/**
 * Which RSA key made a signature, whatever the bytes signed: RSA's public operation (m = s^e mod n)
 * recovers the encoded message a signature carries, and only the key that made it gives a valid
 * encoding (PKCS#1 v1.5 with a DigestInfo, or PSS). scheme/who-made.ts uses it to tell "your key,
 * other bytes" from "another key"; it never verifies anything (lib/crypto/signature.ts does).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa';
import { toHex } from '../encoding/base64url';
import { unsignedLength } from '../encoding/der';
import { decodeAs } from './encoding';

/** A hash a recovered signature names. */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** DigestInfo prefixes of EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1). */
const DIGEST_INFO: readonly { hash: HashName; prefix: string; length: number }[] = [
  { hash: 'SHA-256', prefix: '3031300d060960864801650304020105000420', length: 32 },
  { hash: 'SHA-512', prefix: '3051300d060960864801650304020305000440', length: 64 },
  { hash: 'SHA-384', prefix: '3041300d060960864801650304020205000430', length: 48 },
  { hash: 'SHA-1', prefix: '3021300906052b0e03021a05000414', length: 20 },
];
const HASH_LENGTH: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** What the public-key operation recovered from a signature under one key. */
export type Recovered =
  { kind: 'pkcs1'; hash: HashName; digest: Uint8Array } | { kind: 'pss'; hash: HashName; salt: Uint8Array };

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length ? BigInt(`0x${toHex(bytes)}`) : 0n;
}

/** I2OSP: a non-negative integer as exactly `len` big-endian bytes, or null when it does not fit. */
function bigIntToBytes(x: bigint, len: number): Uint8Array | null {
  const hex = x.toString(16);
  return hex.length > len * 2 ? null : (decodeAs(hex.padStart(len * 2, '0'), 'hex') ?? null);
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % mod;
    e >>= 1n;
    b = (b * b) % mod;
  }
  return r;
}

/** WebCrypto's largest RSA modulus (16384 bits), in bytes. */
const MAX_RSA_BYTES = 16_384 / 8;

/**
 * The RSA public key (n, e) inside an SPKI, or null when it is not an rsaEncryption key WebCrypto
 * would import (e odd, 3 ≤ e ≤ 2³²−1; n of at most 16384 bits).
 */
export function rsaNumbers(spki: Uint8Array): { n: bigint; e: bigint; bits: number; bytes: number } | null {
  try {
    const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
    if (info.algorithm.algorithm !== id_rsaEncryption) return null;
    const rsa = AsnConvert.parse(info.subjectPublicKey, RSAPublicKey);
    // What WebCrypto would not import is refused before any arithmetic: modPow with a 17 KB
    // exponent froze the page for seconds per key. These bounds keep each recovery to ~32 steps.
    if (unsignedLength(rsa.publicExponent) > 4 || unsignedLength(rsa.modulus) > MAX_RSA_BYTES) return null;
    const n = bytesToBigInt(new Uint8Array(rsa.modulus));
    const e = bytesToBigInt(new Uint8Array(rsa.publicExponent));
    if (n <= 0n || e < 3n || e % 2n === 0n) return null;
    const bits = n.toString(2).length;
    return { n, e, bits, bytes: Math.ceil(bits / 8) };
  } catch {
    return null;
  }
}

async function mgf1(hash: HashName, seed: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let at = 0;
  for (let counter = 0; at < length; counter++) {
    const input = new Uint8Array(seed.length + 4);
    input.set(seed);
    new DataView(input.buffer).setUint32(seed.length, counter); // seed ‖ I2OSP(counter, 4), big-endian
    const block = new Uint8Array(await crypto.subtle.digest(hash, input));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** Recover what a signature carries under one key: a PKCS#1 v1.5 DigestInfo, or a PSS encoding. */
export async function recover(spki: Uint8Array, sig: Uint8Array): Promise<Recovered | null> {
  const rsa = rsaNumbers(spki);
  if (!rsa || sig.length !== rsa.bytes) return null;
  const s = bytesToBigInt(sig);
  if (s >= rsa.n) return null;
  const em = bigIntToBytes(modPow(s, rsa.e, rsa.n), rsa.bytes);
  if (!em) return null;
  return pkcs1Of(em) ?? (await pssOf(em, rsa.bits));
}

/** EMSA-PKCS1-v1_5: 00 01 FF…FF 00 DigestInfo. */
function pkcs1Of(em: Uint8Array): Recovered | null {
  if (em[0] !== 0 || em[1] !== 1) return null;
  let i = 2;
  while (i < em.length && em[i] === 0xff) i++;
  if (i - 2 < 8 || em[i] !== 0) return null;
  const t = toHex(em.subarray(i + 1));
  for (const d of DIGEST_INFO) {
    if (t.startsWith(d.prefix) && t.length === d.prefix.length + d.length * 2)
      return { kind: 'pkcs1', hash: d.hash, digest: em.slice(em.length - d.length) };
  }
  return null;
}

/** EMSA-PSS (RFC 8017 §9.1.2): maskedDB ‖ H ‖ BC, emLen = ceil((modBits - 1) / 8). */
async function pssOf(em: Uint8Array, bits: number): Promise<Recovered | null> {
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const pss = emLen < em.length ? (em[0] === 0 ? em.subarray(1) : null) : em;
  if (!pss || pss[pss.length - 1] !== 0xbc) return null;
  for (const hash of ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'] as const) {
    const hLen = HASH_LENGTH[hash];
    if (emLen < hLen + 2) continue;
    const masked = pss.subarray(0, emLen - hLen - 1);
    const h = pss.slice(emLen - hLen - 1, emLen - 1);
    const mask = await mgf1(hash, h, masked.length);
    const db = masked.map((b, j) => b ^ mask[j]!);
    db[0] = db[0]! & (0xff >>> (8 * emLen - emBits));
    let j = 0;
    while (j < db.length && db[j] === 0) j++;
    if (db[j] === 1) return { kind: 'pss', hash, salt: db.slice(j + 1) };
  }
  return null;
}
