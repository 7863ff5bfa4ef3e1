/**
 * The one definition of "this text holds a key": used by the inspector before it treats text as an
 * HMAC secret, before it keeps text in the key box (private keys), and by the key parser to find
 * armourless DER inside other text. It finds keys anywhere in the text (after a heading, inside
 * `openssl x509 -text` output, glued to other characters), in linear time, without the ASN.1
 * libraries.
 */

import { readLength } from '../encoding/der';

/** Where key material was found, for the message. */
export type KeyMaterialKind =
  | 'PEM block'
  | 'private PEM block'
  | 'JWK'
  | 'private JWK'
  | 'DER (base64)'
  | 'private key DER (base64)'
  | 'DER (hex)'
  | 'private key DER (hex)'
  | 'OpenSSH public key'
  | 'SSH2 public key'
  | 'OpenSSH or PuTTY private key'
  | 'openssl -text output'
  | 'openssl -text private key output'
  | 'DER (byte list)'
  | 'private key DER (byte list)'
  | 'EC public key (raw point)'
  | 'text too large to read';

/** A DER structure found in armourless text. */
export interface FoundDer {
  der: Uint8Array<ArrayBuffer>;
  private: boolean;
}

/** What `scanKeyMaterial` found. */
export interface KeyMaterialScan {
  /** Every kind found, in order of first sight, without repeats. */
  kinds: KeyMaterialKind[];
  /** True when any private key material is present (whatever else is). */
  hasPrivate: boolean;
  /** DER structures found outside PEM armour (SPKI, certificates, PKCS#8, PKCS#1, SEC1). */
  der: FoundDer[];
  /** Byte strings shaped like uncompressed EC points (0x04 ‖ x ‖ y), for `findKeyMaterial` to check. */
  points: Uint8Array<ArrayBuffer>[];
}

/** Key text larger than this is refused before any parsing (a key, a certificate chain, a JWKS fit easily). */
export const MAX_KEY_TEXT = 256 * 1024;

/**
 * Why key text is refused before any scan, or null when its size is fine. Larger text is never
 * searched (a regular expression over megabytes overflows its stack, and the text may be anything).
 */
export function keyTextTooLarge(text: string): string | null {
  if (text.length <= MAX_KEY_TEXT) return null;
  const kb = Math.round(text.length / 1024);
  return `The key text is ${kb} KB; keybench reads key text up to ${MAX_KEY_TEXT / 1024} KB (a key, a certificate chain or a JWKS is far smaller) and did not read this text. Paste only the key.`;
}

// OIDs as DER (tag, length, value): the algorithms and curves of keys and certificates.
const KEY_OIDS: number[][] = [
  [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01], // rsaEncryption
  [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a], // RSASSA-PSS
  [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], // id-ecPublicKey
  [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01], // DSA
  [0x06, 0x03, 0x2b, 0x65, 0x70], // Ed25519
  [0x06, 0x03, 0x2b, 0x65, 0x71], // Ed448
  [0x06, 0x03, 0x2b, 0x65, 0x6e], // X25519
  [0x06, 0x03, 0x2b, 0x65, 0x6f], // X448
  [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], // P-256 (SEC1 parameters)
  [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22], // P-384
  [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23], // P-521
  [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a], // secp256k1
];

/** Bytes of OID search allowed across one scan; past it the text is treated as holding a key (fail safe). */
const OID_SEARCH_BUDGET = 4 * 1024 * 1024;

function oidAt(b: Uint8Array, at: number, to: number, oid: number[]): boolean {
  if (at + oid.length > to) return false;
  for (let j = 1; j < oid.length; j++) if (b[at + j] !== oid[j]) return false;
  return true;
}

function hasOid(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (b[i] === 0x06 && KEY_OIDS.some((oid) => oidAt(b, i, to, oid))) return true;
  }
  return false;
}

/**
 * Does `b` start with a DER SEQUENCE that is a key or a certificate? Recognises SPKI, certificates,
 * PKCS#8 and SEC1 (by their algorithm or curve OID), and PKCS#1 RSA keys (by their integers).
 */
function sniffDer(b: Uint8Array<ArrayBuffer>, budget: { left: number }): FoundDer | null {
  if (b[0] !== 0x30) return null;
  const seq = readLength(b, 1);
  if (!seq || seq.length < 20 || seq.next + seq.length > b.length) return null;
  const end = seq.next + seq.length;
  const der = b.slice(0, end);
  const first = b[seq.next];
  // PKCS#1 RSAPrivateKey: INTEGER 0, INTEGER n (large) …; SEC1: INTEGER 1, OCTET STRING …;
  // PKCS#8: INTEGER 0 (or 1), SEQUENCE AlgorithmIdentifier …
  if (first === 0x02 && b[seq.next + 1] === 0x01 && (b[seq.next + 2] === 0 || b[seq.next + 2] === 1)) {
    const after = b[seq.next + 3];
    if (after === 0x02 || after === 0x04 || after === 0x30) {
      if (after === 0x02) {
        const n = readLength(b, seq.next + 4);
        if (n && n.length >= 64) return { der, private: true };
      } else {
        budget.left -= end;
        if (budget.left < 0 || hasOid(b, seq.next, end)) return { der, private: true };
      }
    }
  }
  // PKCS#1 RSAPublicKey: SEQUENCE { INTEGER n (≥ 512 bits), INTEGER e }.
  if (first === 0x02) {
    const n = readLength(b, seq.next + 1);
    if (n && n.length >= 64 && n.next + n.length < end && b[n.next + n.length] === 0x02) {
      return { der, private: false };
    }
  }
  if (first !== 0x30) return null;
  budget.left -= end;
  if (budget.left < 0 || hasOid(b, seq.next, end)) return { der, private: false };
  return null;
}

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((c, i) => (B64[c.charCodeAt(0)] = i));
B64['-'.charCodeAt(0)] = 62;
B64['_'.charCodeAt(0)] = 63;

function isB64(code: number): boolean {
  return code < 128 && B64[code]! >= 0;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Decode base64 (either alphabet) from `text[start]`, skipping whitespace, until a character that
 * is neither, or until `maxBytes` bytes.
 */
function decodeRun(text: string, start: number, maxBytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(maxBytes);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < text.length && n < maxBytes; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (!isB64(c)) break;
    acc = (acc << 6) | B64[c]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return out.slice(0, n);
}

/** How many bytes the DER at `text[start]` (base64) says it has, from its first 4–8 characters. */
function derSizeAt(text: string, start: number): number | null {
  const head = decodeRun(text, start, 6);
  if (head[0] !== 0x30) return null;
  const len = readLength(head, 1);
  return len ? len.next + len.length : null;
}

function scanBase64Der(text: string, found: FoundDer[], budget: { left: number }): void {
  // A DER SEQUENCE in base64 starts with "M". Try every "M" that begins a run of base64 characters
  // or follows one glued to other text; each try decodes only the bytes the DER header announces.
  for (let i = text.indexOf('M'); i >= 0 && budget.left > 0; i = text.indexOf('M', i + 1)) {
    const size = derSizeAt(text, i);
    if (size === null || size < 22 || size > MAX_KEY_TEXT) continue;
    budget.left -= size; // decoding is charged too, so the whole scan stays linear
    const bytes = decodeRun(text, i, size);
    if (bytes.length < size) continue;
    const hit = sniffDer(bytes, budget);
    if (hit) {
      found.push(hit);
      i += Math.floor((size * 4) / 3) - 1; // skip past it (whitespace inside only makes this shorter)
    }
  }
}

// Runs of hex digits (with the ":", space and line-break separators openssl and xxd print), 64 or more.
const HEX_RUN = /[0-9a-fA-F][0-9a-fA-F: \r\n]{63,}/g;
// Byte lists: C arrays (`xxd -i`: 0x30, 0x82, …) and JSON/decimal arrays ([48, 130, …]).
const BYTE_LIST_HEX = /0x[0-9a-fA-F]{2}(?:\s*,\s*0x[0-9a-fA-F]{2}){31,}/g;
const BYTE_LIST_DEC = /\b\d{1,3}(?:\s*,\s*\d{1,3}){31,}/g;
// Base64 or base64url runs (lines joined), which may hold text: a base64-encoded PEM file or JWK.
// Padding ends a run: text on the next line is not part of it (joined, the '=' in the middle made
// the whole run undecodable, and a base64 PEM file with a line after it read as no key at all).
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9+/_-]{4,})*={0,2}/g;

function hexBytes(hex: string, at: number, count: number): Uint8Array<ArrayBuffer> {
  const n = Math.max(0, Math.min(count, (hex.length - at) >> 1));
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = parseInt(hex.slice(at + 2 * k, at + 2 * k + 2), 16);
  return out;
}

function scanHexDer(text: string, found: FoundDer[], budget: { left: number }): void {
  for (const m of text.matchAll(HEX_RUN)) {
    const hex = m[0].replace(/[: \r\n]/g, '');
    if (hex.length < 64) continue;
    // Every offset, not just even ones: text glued before the DER may have an odd number of hex digits.
    for (let at = 0; at + 4 <= hex.length && budget.left > 0; at++) {
      if (hex[at] !== '3' || hex[at + 1] !== '0') continue;
      const head = hexBytes(hex, at, 6);
      const len = readLength(head, 1);
      const size = len ? len.next + len.length : 0;
      if (size < 22 || size > MAX_KEY_TEXT || at + 2 * size > hex.length) continue;
      budget.left -= size;
      const hit = sniffDer(hexBytes(hex, at, size), budget);
      if (hit) {
        found.push(hit);
        at += 2 * size - 2;
      }
    }
  }
}

/** DER at any 0x30 in raw bytes (from a byte list or decoded text). */
function scanBytesDer(bytes: Uint8Array<ArrayBuffer>, found: FoundDer[], budget: { left: number }): void {
  for (let at = bytes.indexOf(0x30); at >= 0 && budget.left > 0; at = bytes.indexOf(0x30, at + 1)) {
    const len = readLength(bytes, at + 1);
    const size = len ? len.next - at + len.length : 0;
    if (size < 22 || at + size > bytes.length) continue;
    budget.left -= size;
    const hit = sniffDer(bytes.slice(at, at + size), budget);
    if (hit) {
      found.push(hit);
      at += size - 1;
    }
  }
}

function byteLists(text: string): Uint8Array<ArrayBuffer>[] {
  const lists: Uint8Array<ArrayBuffer>[] = [];
  for (const m of text.matchAll(BYTE_LIST_HEX)) {
    lists.push(new Uint8Array(m[0].split(',').map((x) => parseInt(x.trim(), 16))));
  }
  for (const m of text.matchAll(BYTE_LIST_DEC)) {
    const nums = m[0].split(',').map((x) => Number(x.trim()));
    if (nums.every((n) => n <= 255)) lists.push(new Uint8Array(nums));
  }
  return lists;
}

/** Uncompressed EC point sizes: P-256, P-384, P-521. */
const POINT_SIZES: Record<number, string> = { 65: 'P-256', 97: 'P-384', 133: 'P-521' };
/** At most this many byte strings are checked as EC points (each check is one WebCrypto import). */
const MAX_POINTS = 64;

/** Candidates for an uncompressed EC point (0x04 ‖ x ‖ y) starting at `at`, one per curve size that fits. */
function pointsAt(bytes: Uint8Array<ArrayBuffer>, at: number, into: Uint8Array<ArrayBuffer>[]): void {
  if (bytes[at] !== 0x04) return;
  for (const size of [65, 97, 133]) {
    if (at + size <= bytes.length && into.length < MAX_POINTS) into.push(bytes.slice(at, at + size));
  }
}

/** Base64 or base64url text to bytes, from `skip` characters in, ignoring a lone trailing character. */
function base64Bytes(run: string, skip = 0): Uint8Array<ArrayBuffer> | null {
  const clean = run.replace(/\s+/g, '').replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/').slice(skip);
  if (!/^[A-Za-z0-9+/]*$/.test(clean)) return null;
  // Unpadded groups of 2 or 3 characters still hold bytes; a lone trailing character does not.
  const whole = clean.length % 4 === 1 ? clean.slice(0, -1) : clean;
  const bin = atob(whole.padEnd(Math.ceil(whole.length / 4) * 4, '='));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const utf8 = new TextDecoder('utf-8');

/**
 * The bytes as text, when they mostly are printable text (a base64-encoded PEM file, JWK or JSON,
 * perhaps with a few damaged bytes where other text was glued to it).
 */
function asText(bytes: Uint8Array): string | null {
  if (bytes.length < 12) return null;
  const text = utf8.decode(bytes);
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  return bad * 10 <= text.length ? text : null;
}

/** JSON-style escapes undone (\u006b, \/, \n…): key text copied out of a JSON string or an .env file. */
function unescaped(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_, hex: string | undefined, c: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
  );
}

const PEM_BEGIN = /-{4,5} ?BEGIN ([A-Z0-9 ]{1,64}?) ?-{4,5}/g;
const SSH_PUBLIC =
  /\b(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA/;
// The start of an SSH public key blob, base64: "\0\0\0\x07ssh-rsa", "…\x0bssh-ed25519", "…\x13ecdsa-sha2-nistp".
const SSH_BLOB = /AAAAB3NzaC1yc2E|AAAAC3NzaC1lZDI1NTE5|AAAAE2VjZHNhLXNoYTItbmlzdHA|AAAAB3NzaC1kc3M/;
const OPENSSL_TEXT_PUBLIC =
  /Public-Key:|Subject Public Key Info|Modulus[:=]|publicExponent:|\bpub:\s*\n?\s*[0-9a-f]{2}:/i;
const OPENSSL_TEXT_PRIVATE = /Private-Key:|privateExponent:|\bpriv:\s*\n?\s*[0-9a-f]{2}:/i;
// "kty" as a JSON, Python, JavaScript or YAML member name.
const KTY = /(?:["']kty["']|kty)\s*[:=]/;
const PRIVATE_JWK_MEMBER = /(?:^|[\s{,])["']?(?:d|p|q|dp|dq|qi)["']?\s*[:=]\s*["']?[A-Za-z0-9_-]{16,}/m;

interface Scan extends Omit<KeyMaterialScan, 'hasPrivate'> {
  budget: { left: number };
}

function add(scan: Pick<KeyMaterialScan, 'kinds'>, k: KeyMaterialKind): void {
  if (!scan.kinds.includes(k)) scan.kinds.push(k);
}

/** One text, as it stands: armour, SSH and openssl -text forms, JWK members, DER in base64, hex, byte lists. */
function scanText(text: string, scan: Scan): void {
  for (const m of text.matchAll(PEM_BEGIN)) {
    const label = m[1]!;
    if (label.includes('PRIVATE'))
      add(scan, label.includes('OPENSSH') ? 'OpenSSH or PuTTY private key' : 'private PEM block');
    else add(scan, label.includes('SSH2') ? 'SSH2 public key' : 'PEM block');
  }
  if (/PuTTY-User-Key-File/.test(text)) add(scan, 'OpenSSH or PuTTY private key');
  if (SSH_PUBLIC.test(text) || SSH_BLOB.test(text)) add(scan, 'OpenSSH public key');
  if (OPENSSL_TEXT_PRIVATE.test(text)) add(scan, 'openssl -text private key output');
  else if (OPENSSL_TEXT_PUBLIC.test(text)) add(scan, 'openssl -text output');
  if (KTY.test(text) && !isOctJwkText(text)) add(scan, PRIVATE_JWK_MEMBER.test(text) ? 'private JWK' : 'JWK');

  const base64Found: FoundDer[] = [];
  scanBase64Der(text, base64Found, scan.budget);
  for (const f of base64Found) add(scan, f.private ? 'private key DER (base64)' : 'DER (base64)');
  const hexFound: FoundDer[] = [];
  scanHexDer(text, hexFound, scan.budget);
  for (const f of hexFound) add(scan, f.private ? 'private key DER (hex)' : 'DER (hex)');
  const listFound: FoundDer[] = [];
  for (const bytes of byteLists(text)) scanBytesDer(bytes, listFound, scan.budget);
  for (const f of listFound) add(scan, f.private ? 'private key DER (byte list)' : 'DER (byte list)');
  scan.der.push(...base64Found, ...hexFound, ...listFound);
}

/**
 * Find every key, certificate or JWK in a text, wherever it stands, and in the forms key text takes
 * when it is stored elsewhere: JSON-escaped (`\u006bty`, `\/`, literal `\n`), percent-encoded, or
 * base64-encoded (a Kubernetes secret holding a PEM file or a JWK). Linear in the text's length
 * (text over `MAX_KEY_TEXT` is not searched at all: it counts as unreadable, possibly private, key
 * material — fail safe). A symmetric JWK (`"kty":"oct"`) on its own is not key material here: it is
 * an HMAC secret written as JSON.
 */
export function scanKeyMaterial(text: string): KeyMaterialScan {
  // The cap comes before any regular expression: none runs over an unbounded run of input.
  if (keyTextTooLarge(text))
    return { kinds: ['text too large to read'], hasPrivate: true, der: [], points: [] };
  const scan: Scan = { kinds: [], der: [], points: [], budget: { left: OID_SEARCH_BUDGET } };
  const texts = [text];
  if (text.includes('\\')) texts.push(unescaped(text));
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    // Percent-encoded ASCII (what URL-encoding does to base64 and PEM), leniently: a stray % stays.
    texts.push(
      text.replace(/%([0-9A-Fa-f]{2})/g, (m, h: string) =>
        parseInt(h, 16) < 0x80 ? String.fromCharCode(parseInt(h, 16)) : m,
      ),
    );
  }
  for (const t of [...texts]) {
    for (const m of t.matchAll(BASE64_RUN)) {
      if (m[0].length < 24) continue;
      // Other text glued before the run shifts the base64 groups: try each of the four alignments.
      let found = false;
      for (let skip = 0; skip < 4; skip++) {
        const bytes = base64Bytes(m[0], skip);
        if (!bytes) continue;
        // A point may follow a few bytes of glued text.
        for (let at = 0; at < Math.min(bytes.length, 8); at++) pointsAt(bytes, at, scan.points);
        const inner = found ? null : asText(bytes);
        if (inner === null) continue;
        texts.push(inner, ...(inner.includes('\\') ? [unescaped(inner)] : []));
        found = true;
      }
    }
  }
  for (const m of text.matchAll(HEX_RUN)) {
    const hex = m[0].replace(/[: \r\n]/g, '');
    for (
      let at = hex.indexOf('04');
      at >= 0 && scan.points.length < MAX_POINTS;
      at = hex.indexOf('04', at + 1)
    ) {
      pointsAt(hexBytes(hex, at, 133), 0, scan.points);
    }
  }
  for (const t of texts) scanText(t, scan);
  if (scan.budget.left <= 0) add(scan, 'DER (base64)'); // too much to search: fail safe, treat as a key
  const hasPrivate = scan.kinds.some((k) => /private/i.test(k));
  return { kinds: scan.kinds, hasPrivate, der: scan.der, points: scan.points };
}

/**
 * `scanKeyMaterial`, and also raw EC public keys (an uncompressed point in base64, base64url or hex,
 * as VAPID keys and JWK coordinates travel) confirmed on their curve by WebCrypto.
 */
export async function findKeyMaterial(text: string): Promise<KeyMaterialScan> {
  const scan = scanKeyMaterial(text);
  for (const point of scan.points) {
    try {
      await crypto.subtle.importKey(
        'raw',
        point,
        { name: 'ECDSA', namedCurve: POINT_SIZES[point.length]! },
        false,
        ['verify'],
      );
      add(scan, 'EC public key (raw point)');
    } catch {
      // Not a point on that curve: random bytes that happened to start with 0x04.
    }
  }
  return scan;
}

/** True when the whole text is one JSON object with `"kty":"oct"` (an HMAC secret as a JWK). */
export function isOctJwkText(text: string): boolean {
  if (text.length > MAX_KEY_TEXT) return false;
  const t = text.trim();
  if (!t.startsWith('{')) return false;
  try {
    const j = JSON.parse(t) as unknown;
    return (
      typeof j === 'object' && j !== null && Object.hasOwn(j, 'kty') && (j as { kty: unknown }).kty === 'oct'
    );
  } catch {
    return false;
  }
}

/**
 * Cheap check, run on every change of the key box: does the text hold private key material?
 * (PEM `… PRIVATE KEY` armour, a JWK with private members, PuTTY/OpenSSH private keys, `openssl
 * -text` of a private key, armourless PKCS#8/PKCS#1/SEC1 DER.) Text over `MAX_KEY_TEXT` is not
 * read and counts as holding one: the page must not keep what it could not check.
 */
export function holdsPrivateKey(text: string): boolean {
  return scanKeyMaterial(text).hasPrivate;
}
