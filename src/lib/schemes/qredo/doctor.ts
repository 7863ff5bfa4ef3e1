/**
 * The request doctor for Qredo (issue 12): verify a pasted Qredo Partner API request with keys the
 * user trusts and, when x-sign does not verify over the bytes sent, find what was signed instead.
 *
 * How the diagnosis works: RSA's public operation (m = s^e mod n) recovers the encoded message a
 * signature carries. For RSASSA-PKCS1-v1_5 that is the DigestInfo: the hash algorithm and the digest
 * of the bytes that were signed. keybench then hashes likely mistakes (timestamp units, URL forms,
 * body formatting, separators…) and compares digests, so each guess costs one hash, not one RSA
 * operation. A match is then confirmed by a real `crypto.subtle.verify` over the guessed bytes.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa';
import { base64ToBytes, base64urlToBytes, toHex } from '../../encoding/base64url';
import type { ErrorCode } from '../../errors';
import { ours, rich, type Rich } from '../../rich';
import type { Diagnosis, DoctorInput, RequestVerdict } from '../../request/types';
import { header, trustedKeysOf, type TrustedKey } from '../../request/types';
import { decideRequest } from '../../trust/verdict';
import type { VerificationContext } from '../../trust/roles';
import type { VerificationKey } from '../../jwt/verify';
import { pythonJsonDumps } from '../../partners/body-bytes';
import { inspectQredoApiKey } from './sign';
import { ok, problem, type Finding } from '../../partners/scheme';

/** A pasted request is one sent to Qredo: the user's own keys verify it (trust/roles.ts). */
const REQUEST_TO_QREDO: VerificationContext = { direction: 'request-to', partner: 'qredo' };

/** Most candidate messages hashed in one diagnosis (the ±300 s search alone is 600 of them). */
export const MAX_CANDIDATES = 2500;
/** Most bytes hashed in one diagnosis: a 1 MB body is hashed a few dozen times at most. */
export const MAX_HASHED_BYTES = 64 * 1024 * 1024;
/** How far x-timestamp may be from now before keybench warns (Qredo does not publish its window). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const REFUSED = 'Qredo answers 401 {"code":401,"msg":"errPartnerAuth"}';
const enc = new TextEncoder();

type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
type SigEncoding = 'base64url' | 'base64url-padded' | 'base64' | 'hex';

/** DigestInfo prefixes of EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1). */
const DIGEST_INFO: readonly { hash: HashName; prefix: string; length: number }[] = [
  { hash: 'SHA-256', prefix: '3031300d060960864801650304020105000420', length: 32 },
  { hash: 'SHA-512', prefix: '3051300d060960864801650304020305000440', length: 64 },
  { hash: 'SHA-384', prefix: '3041300d060960864801650304020205000430', length: 48 },
  { hash: 'SHA-1', prefix: '3021300906052b0e03021a05000414', length: 20 },
];
const HASH_LENGTH: Record<HashName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** One way of reading x-sign as bytes. */
interface SigVariant {
  encoding: SigEncoding;
  bytes: Uint8Array<ArrayBuffer>;
}

/** What the public-key operation recovered from x-sign under one key. */
type Recovered =
  | { kind: 'pkcs1'; key: TrustedKey; sig: SigVariant; hash: HashName; digest: Uint8Array }
  | { kind: 'pss'; key: TrustedKey; sig: SigVariant; hash: HashName; h: Uint8Array; salt: Uint8Array };

/** One mistake, in keybench's words (untrusted values only inside `explanation`). */
interface Mistake {
  code: ErrorCode;
  title: string;
  explanation: Rich;
  remedy: string;
}

/** One choice along a dimension of the search: index 0 of each dimension is what was sent. */
interface Choice<T> {
  value: T;
  mistakes: Mistake[];
}

interface Shape {
  sep: string;
  method: 'none' | 'first' | 'after-value';
  methodText: string;
}

interface BodyVariant {
  text: string;
  bytes?: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length ? BigInt(`0x${toHex(bytes)}`) : 0n;
}

/** I2OSP: a non-negative integer as exactly `len` big-endian bytes, or null when it does not fit. */
function bigIntToBytes(x: bigint, len: number): Uint8Array | null {
  const hex = x.toString(16);
  if (hex.length > len * 2) return null;
  const padded = hex.padStart(len * 2, '0');
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
  return out;
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

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function digest(hash: HashName, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, data));
}

/** WebCrypto's largest RSA modulus (16384 bits), in bytes. */
const MAX_RSA_BYTES = 16_384 / 8;

/** The length of a big-endian unsigned integer without its leading zero bytes. */
function significantBytes(bytes: ArrayBuffer): number {
  const b = new Uint8Array(bytes);
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.length - i;
}

/**
 * The RSA public key (n, e) inside an SPKI, or null when it is not an rsaEncryption key WebCrypto
 * would import (e odd, 3 ≤ e ≤ 2³²−1; n of at most 16384 bits).
 */
function rsaNumbers(spki: Uint8Array): { n: bigint; e: bigint; bits: number; bytes: number } | null {
  try {
    const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
    if (info.algorithm.algorithm !== id_rsaEncryption) return null;
    const rsa = AsnConvert.parse(info.subjectPublicKey, RSAPublicKey);
    // What WebCrypto would not import is refused before any arithmetic: modPow with a 17 KB
    // exponent froze the page for seconds per key. These bounds keep each recovery to ~32 steps.
    if (significantBytes(rsa.publicExponent) > 4 || significantBytes(rsa.modulus) > MAX_RSA_BYTES)
      return null;
    const n = bytesToBigInt(new Uint8Array(rsa.modulus));
    const e = bytesToBigInt(new Uint8Array(rsa.publicExponent));
    if (n <= 0n || e < 3n || e % 2n === 0n) return null;
    const bits = n.toString(2).length;
    return { n, e, bits, bytes: Math.ceil(bits / 8) };
  } catch {
    return null;
  }
}

/** Every way x-sign can be read as bytes; base64url without padding (Qredo's) first. */
function sigVariants(xSign: string): SigVariant[] {
  const out: SigVariant[] = [];
  const add = (encoding: SigEncoding, read: () => Uint8Array<ArrayBuffer>) => {
    try {
      const bytes = read();
      if (bytes.length && !out.some((v) => equalBytes(v.bytes, bytes))) out.push({ encoding, bytes });
    } catch {
      // Not this encoding.
    }
  };
  if (/^[A-Za-z0-9_-]+$/.test(xSign)) add('base64url', () => base64urlToBytes(xSign));
  if (/^[A-Za-z0-9_-]+={1,2}$/.test(xSign))
    add('base64url-padded', () => base64urlToBytes(xSign.replace(/=+$/, '')));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(xSign) && /[+/=]/.test(xSign)) add('base64', () => base64ToBytes(xSign));
  if (/^(?:[0-9a-fA-F]{2})+$/.test(xSign)) {
    add('hex', () => {
      const b = new Uint8Array(xSign.length / 2);
      for (let i = 0; i < b.length; i++) b[i] = parseInt(xSign.slice(i * 2, i * 2 + 2), 16);
      return b;
    });
  }
  return out;
}

const ENCODING_WORDS: Record<SigEncoding, string> = {
  base64url: 'base64url without padding',
  'base64url-padded': 'base64url with = padding',
  base64: 'standard base64 (+ and /, with padding)',
  hex: 'hexadecimal',
};

async function importRsa(
  key: TrustedKey,
  name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS',
  hash: HashName,
): Promise<CryptoKey | null> {
  try {
    return await crypto.subtle.importKey('spki', key.spki, { name, hash }, false, ['verify']);
  } catch {
    return null;
  }
}

async function verifyPkcs1(
  key: TrustedKey,
  hash: HashName,
  sig: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
) {
  const k = await importRsa(key, 'RSASSA-PKCS1-v1_5', hash);
  return k ? crypto.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, k, sig, data) : false;
}

async function verifyPss(
  key: TrustedKey,
  hash: HashName,
  saltLength: number,
  sig: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
) {
  const k = await importRsa(key, 'RSA-PSS', hash);
  if (!k) return false;
  try {
    return await crypto.subtle.verify({ name: 'RSA-PSS', saltLength }, k, sig, data);
  } catch {
    return false;
  }
}

async function mgf1(hash: HashName, seed: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let at = 0;
  for (let counter = 0; at < length; counter++) {
    const c = new Uint8Array([
      (counter >>> 24) & 255,
      (counter >>> 16) & 255,
      (counter >>> 8) & 255,
      counter & 255,
    ]);
    const block = await digest(hash, concat(seed, c));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** Recover what x-sign carries under one key: a PKCS#1 v1.5 DigestInfo, or a PSS encoding. */
async function recover(key: TrustedKey, sig: SigVariant): Promise<Recovered | null> {
  const rsa = rsaNumbers(key.spki);
  if (!rsa || sig.bytes.length !== rsa.bytes) return null;
  const s = bytesToBigInt(sig.bytes);
  if (s >= rsa.n) return null;
  const m = modPow(s, rsa.e, rsa.n);
  const em = bigIntToBytes(m, rsa.bytes);
  if (!em) return null;
  // EMSA-PKCS1-v1_5: 00 01 FF…FF 00 DigestInfo.
  if (em[0] === 0 && em[1] === 1) {
    let i = 2;
    while (i < em.length && em[i] === 0xff) i++;
    if (i - 2 >= 8 && em[i] === 0) {
      const t = toHex(em.subarray(i + 1));
      for (const d of DIGEST_INFO) {
        if (t.startsWith(d.prefix) && t.length === d.prefix.length + d.length * 2) {
          return { kind: 'pkcs1', key, sig, hash: d.hash, digest: em.slice(em.length - d.length) };
        }
      }
    }
  }
  // EMSA-PSS (RFC 8017 §9.1.2): maskedDB ‖ H ‖ BC, emLen = ceil((modBits - 1) / 8).
  const emBits = rsa.bits - 1;
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
    if (db[j] === 1) return { kind: 'pss', key, sig, hash, h, salt: db.slice(j + 1) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Candidates

const TS_TITLES: Record<string, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
};

function unitOf(v: string): 's' | 'ms' | 'us' | 'ns' | null {
  if (/^\d{9,11}$/.test(v)) return 's';
  if (/^\d{12,14}$/.test(v)) return 'ms';
  if (/^\d{15,17}$/.test(v)) return 'us';
  if (/^\d{18,20}$/.test(v)) return 'ns';
  return null;
}

const UNIT_FACTOR: Record<'s' | 'ms' | 'us' | 'ns', bigint> = {
  s: 1n,
  ms: 1000n,
  us: 1000000n,
  ns: 1000000000n,
};

function unitMistake(sentValue: string, signedValue: string, sentUnit: string, signedUnit: string): Mistake {
  return {
    code: 'ERR_QREDO_TIMESTAMP_UNIT',
    title: `Timestamp signed in ${TS_TITLES[signedUnit]}, sent in ${TS_TITLES[sentUnit]}`,
    explanation: rich`The signed message starts with ${signedValue} (${ours(TS_TITLES[signedUnit]!)}), but x-timestamp is ${sentValue} (${ours(TS_TITLES[sentUnit]!)}). Qredo rebuilds the message from x-timestamp, so the bytes differ.`,
    remedy:
      'Compute the timestamp once as Unix time in seconds (Math.floor(Date.now() / 1000), time.Now().Unix(), int(time.time())), sign that string, and send the same string in x-timestamp.',
  };
}

function valueChoices(value: string, isTimestamp: boolean): Choice<string>[] {
  const out: Choice<string>[] = [{ value, mistakes: [] }];
  const unit = isTimestamp ? unitOf(value) : null;
  if (!unit) return out;
  const seconds = BigInt(value) / UNIT_FACTOR[unit];
  for (const other of ['s', 'ms', 'us', 'ns'] as const) {
    if (other === unit) continue;
    const signed = (
      unit === 's' ? BigInt(value) * UNIT_FACTOR[other] : seconds * UNIT_FACTOR[other]
    ).toString();
    out.push({ value: signed, mistakes: [unitMistake(value, signed, unit, other)] });
  }
  // A sub-second value of the same unit truncated, e.g. ms sent, ms signed a moment earlier, is not guessed here.
  return out;
}

interface UrlParts {
  scheme: string;
  host: string;
  path: string;
  query: string;
  fragment: string;
}

function splitUrl(url: string): UrlParts | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (!m) return null;
  return { scheme: m[1]!, host: m[2]!, path: m[3]!, query: m[4] ?? '', fragment: m[5] ?? '' };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function urlChoices(url: string): Choice<string>[] {
  const out: Choice<string>[] = [{ value: url, mistakes: [] }];
  const add = (value: string, m: Mistake) => {
    if (value && !out.some((c) => c.value === value)) out.push({ value, mistakes: [m] });
  };
  const p = splitUrl(url);
  if (!p) return out;
  const { scheme, host, path, query } = p;
  if (query) {
    add(`${scheme}${host}${path}`, {
      code: 'ERR_QREDO_URL_NO_QUERY',
      title: 'URL signed without its query string',
      explanation: rich`The signed URL stops before ${query}: the query string was left out of the signed message, but it is sent.`,
      remedy:
        'Sign the full URL exactly as sent, query string included (build the URL once, with its query, and use that string both to sign and to send).',
    });
  }
  const pathOrRoot = path || '/';
  add(`${pathOrRoot}${query}`, {
    code: 'ERR_QREDO_URL_PATH_ONLY',
    title: 'Path signed instead of the full URL',
    explanation: rich`The signed message holds ${`${pathOrRoot}${query}`} where Qredo expects the full URL with scheme and host, ${url}.`,
    remedy:
      'Qredo signs the full URL as sent (https://host/path?query), not the path: sign the same string the HTTP client requests.',
  });
  if (query) {
    add(pathOrRoot, {
      code: 'ERR_QREDO_URL_PATH_ONLY',
      title: 'Path without query signed instead of the full URL',
      explanation: rich`The signed message holds only the path ${pathOrRoot}, without scheme, host or query; Qredo expects ${url}.`,
      remedy:
        'Qredo signs the full URL as sent (https://host/path?query): sign the same string the HTTP client requests.',
    });
  }
  add(`${host}${path}${query}`, {
    code: 'ERR_QREDO_URL_PATH_ONLY',
    title: 'URL signed without its scheme',
    explanation: rich`The signed URL is ${`${host}${path}${query}`}: it lacks ${scheme}.`,
    remedy: 'Sign the full URL as sent, scheme included (https://…).',
  });
  const slashed = path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : `${path}/`;
  add(`${scheme}${host}${slashed}${query}`, {
    code: 'ERR_QREDO_URL_TRAILING_SLASH',
    title: path.endsWith('/')
      ? 'URL signed without the trailing slash it is sent with'
      : 'URL signed with a trailing slash it is sent without',
    explanation: rich`The signed path is ${slashed}; the path sent is ${path || '(empty)'}. One slash changes the signed bytes.`,
    remedy:
      'Use one URL string for both signing and sending; watch for a base URL ending in "/" joined to a path starting with "/", or a router that adds or removes the slash.',
  });
  const encoding = (value: string, how: string) =>
    add(value, {
      code: 'ERR_QREDO_URL_ENCODING',
      title: `URL signed with other percent-encoding (${how})`,
      explanation: rich`The signed URL is ${value}; the URL sent is ${url}. They name the same resource but are different bytes.`,
      remedy:
        'Sign the URL string exactly as the HTTP client sends it, after it has been encoded: encode the path and query once, then use that string for both signing and the request.',
    });
  const dPath = safeDecode(path);
  const dQuery = safeDecode(query);
  if (dPath !== null && dQuery !== null) {
    const decoded = `${scheme}${host}${dPath}${dQuery}`;
    encoding(decoded, 'decoded');
    try {
      encoding(encodeURI(decoded), 'encodeURI');
    } catch {
      // Lone surrogates: no encodeURI form.
    }
  }
  encoding(
    url.replace(/%[0-9a-fA-F]{2}/g, (m) => m.toLowerCase()),
    'lower-case hex',
  );
  encoding(
    url.replace(/%[0-9a-fA-F]{2}/g, (m) => m.toUpperCase()),
    'upper-case hex',
  );
  if (query.includes('+')) encoding(`${scheme}${host}${path}${query.replace(/\+/g, '%20')}`, '%20 for +');
  if (query.includes('%20')) encoding(`${scheme}${host}${path}${query.replace(/%20/g, '+')}`, '+ for %20');
  try {
    encoding(new URL(url).href, 'normalised by a URL parser');
  } catch {
    // Not a URL a parser accepts.
  }
  return out;
}

function describeForm(form: string): string {
  return (
    {
      compact: 'compact (JSON.stringify)',
      pretty2: 'pretty-printed with 2 spaces',
      pretty4: 'pretty-printed with 4 spaces',
      python: "with Python json.dumps' default spacing",
      other: 'as typed',
    }[form] ?? form
  );
}

function bodyChoices(body: string): Choice<BodyVariant>[] {
  const out: Choice<BodyVariant>[] = [{ value: { text: body }, mistakes: [] }];
  const add = (text: string, mistakes: Mistake[]) => {
    if (!out.some((c) => c.value.text === text)) out.push({ value: { text }, mistakes });
  };
  const bytes = (t: string) => enc.encode(t).length;
  const bodyLength = bytes(body);
  if (body !== '') {
    // Line endings.
    if (body.includes('\r\n')) {
      if (body.endsWith('\r\n')) {
        add(`${body.slice(0, -2)}\n`, [
          lineEndingMistake(
            'LF',
            'CRLF',
            "Qredo's interactive signing client turns a trailing \\r\\n into \\n before signing.",
          ),
        ]);
      }
      add(body.replace(/\r\n/g, '\n'), [lineEndingMistake('LF', 'CRLF', '')]);
    }
    if (/(^|[^\r])\n/.test(body)) add(body.replace(/\r?\n/g, '\r\n'), [lineEndingMistake('CRLF', 'LF', '')]);
    // Trailing newline.
    if (body.endsWith('\r\n')) add(body.slice(0, -2), [newlineMistake(false)]);
    else if (body.endsWith('\n')) add(body.slice(0, -1), [newlineMistake(false)]);
    else {
      add(`${body}\n`, [newlineMistake(true)]);
      add(`${body}\r\n`, [newlineMistake(true)]);
    }
    // BOM.
    if (body.startsWith('\uFEFF')) add(body.slice(1), [bomMistake(false)]);
    else add(`\uFEFF${body}`, [bomMistake(true)]);
    // JSON formatting.
    let parsed: unknown;
    let isJson = false;
    try {
      parsed = JSON.parse(body);
      isJson = true;
    } catch {
      // Not JSON: no formatting variants.
    }
    if (isJson) {
      // Deeply nested JSON overflows the stack of JSON.stringify: then there are no formatting variants.
      const tryStringify = (space?: number): string | null => {
        try {
          return JSON.stringify(parsed, null, space);
        } catch {
          return null;
        }
      };
      const forms: [string, string | null][] = [
        ['compact', tryStringify()],
        ['pretty2', tryStringify(2)],
        ['pretty4', tryStringify(4)],
        ['python', body.length <= 4 * 1024 * 1024 ? tryPython(body) : null],
      ];
      const sentForm = forms.find(([, t]) => t === body)?.[0] ?? 'other';
      const formMistake = (form: string, text: string): Mistake => ({
        code: form === 'compact' ? 'ERR_QREDO_BODY_COMPACT' : 'ERR_QREDO_BODY_PRETTY',
        title: `Body signed ${describeForm(form)}, sent ${describeForm(sentForm)}`,
        explanation: rich`The signature covers the JSON body ${ours(describeForm(form))} (${bytes(text)} bytes), but the request sends it ${ours(describeForm(sentForm))} (${bodyLength} bytes). Same JSON, different bytes.`,
        remedy:
          'Serialise the body once, sign those exact bytes, and send the same bytes (pass the signed string as the request body; do not let the HTTP client re-serialise the object).',
      });
      for (const [form, text] of forms) {
        if (text === null || text === body) continue;
        add(text, [formMistake(form, text)]);
      }
      for (const [form, text] of forms) {
        if (text === null || form === 'compact' || form === 'python' || `${text}\n` === body) continue;
        add(`${text}\n`, [formMistake(form, `${text}\n`), newlineMistake(true)]);
      }
    }
    // Nothing signed.
    add('', [
      {
        code: 'ERR_QREDO_BODY_EMPTY',
        title: 'Empty body signed, body sent',
        explanation: rich`The signature covers no body at all, but the request sends ${bodyLength} bytes of body.`,
        remedy:
          'Sign the body bytes you send (only a GET or a WebSocket feed signs an empty body); make sure the signing code sees the body before it is attached to the request.',
      },
    ]);
  } else {
    add('{}', [
      {
        code: 'ERR_QREDO_BODY_EMPTY',
        title: 'Body {} signed, no body sent',
        explanation: ['The signature covers the body {}, but the request sends no body.'],
        remedy: 'Sign exactly the bytes you send: with no body, the message is the value and the URL only.',
      },
    ]);
  }
  return out;
}

function tryPython(body: string): string | null {
  try {
    return pythonJsonDumps(body);
  } catch {
    return null;
  }
}

function lineEndingMistake(signed: string, sent: string, extra: string): Mistake {
  return {
    code: 'ERR_QREDO_BODY_LINE_ENDINGS',
    title: `Body signed with ${signed} line endings, sent with ${sent}`,
    explanation: [
      `The signed body has ${signed} line endings where the body sent has ${sent}.${extra ? ` ${extra}` : ''}`,
    ],
    remedy:
      'Sign the body bytes exactly as sent: read files in binary mode, and do not let an editor, git (autocrlf) or the signing tool convert line endings between signing and sending.',
  };
}

function newlineMistake(signedHasIt: boolean): Mistake {
  return {
    code: 'ERR_QREDO_BODY_TRAILING_NEWLINE',
    title: signedHasIt
      ? 'Body signed with a trailing newline it is sent without'
      : 'Body signed without the trailing newline it is sent with',
    explanation: [
      signedHasIt
        ? 'The signed body ends in a newline; the body sent does not (curl -d and many HTTP clients drop it, files and heredocs add it).'
        : 'The body sent ends in a newline that was not signed.',
    ],
    remedy:
      'Sign and send one and the same byte string; strip or keep the final newline in both places (curl --data-binary @file keeps it, -d strips it).',
  };
}

function bomMistake(signedHasIt: boolean): Mistake {
  return {
    code: 'ERR_QREDO_BODY_BOM',
    title: signedHasIt
      ? 'Body signed with a byte-order mark it is sent without'
      : 'Body sent with a byte-order mark that was not signed',
    explanation: [
      signedHasIt
        ? 'The signed body starts with a UTF-8 byte-order mark (EF BB BF) that the body sent lacks.'
        : 'The body sent starts with a UTF-8 byte-order mark (EF BB BF) that the signed body lacks.',
    ],
    remedy: 'Save the body file as UTF-8 without BOM (or strip U+FEFF) before signing and sending.',
  };
}

const SEPARATORS = ['\n', ' ', '|', ':', '.', ','];
const SEP_NAMES: Record<string, string> = {
  '': 'nothing',
  '\n': 'a newline',
  ' ': 'a space',
  '|': '"|"',
  ':': '":"',
  '.': '"."',
  ',': '","',
};

function shapeChoices(method: string): Choice<Shape>[] {
  const out: Choice<Shape>[] = [{ value: { sep: '', method: 'none', methodText: '' }, mistakes: [] }];
  const methods = [...new Set([method.toUpperCase(), method])].filter((m) => m !== '');
  const sepMistake = (sep: string): Mistake => ({
    code: 'ERR_QREDO_MESSAGE_SEPARATORS',
    title: `Parts of the message joined with ${SEP_NAMES[sep]}`,
    explanation: [
      `The signed message puts ${SEP_NAMES[sep]} between its parts. Qredo's message is value ‖ URL ‖ body with nothing between them.`,
    ],
    remedy:
      'Concatenate the value, the full URL and the body with no separator (no newline, space or delimiter) before signing.',
  });
  const methodMistake = (where: 'first' | 'after-value'): Mistake => ({
    code: 'ERR_QREDO_MESSAGE_METHOD',
    title:
      where === 'first'
        ? 'HTTP method signed at the start of the message'
        : 'HTTP method signed after the timestamp',
    explanation: [
      `The signed message holds the HTTP method (${where === 'first' ? 'before the timestamp' : 'between the timestamp and the URL'}). Qredo's message has no method: value ‖ URL ‖ body only.`,
    ],
    remedy:
      "Remove the method from the signed message (a scheme copied from another exchange's API often puts it there).",
  });
  for (const sep of ['', ...SEPARATORS]) {
    if (sep !== '') out.push({ value: { sep, method: 'none', methodText: '' }, mistakes: [sepMistake(sep)] });
    for (const m of methods) {
      for (const where of ['first', 'after-value'] as const) {
        out.push({
          value: { sep, method: where, methodText: m },
          mistakes: sep ? [methodMistake(where), sepMistake(sep)] : [methodMistake(where)],
        });
      }
    }
  }
  return out;
}

function prefixOf(value: string, url: string, shape: Shape): string {
  const { sep, method, methodText } = shape;
  if (method === 'first') return `${methodText}${sep}${value}${sep}${url}${sep}`;
  if (method === 'after-value') return `${value}${sep}${methodText}${sep}${url}${sep}`;
  return `${value}${sep}${url}${sep}`;
}

/** One guess: a choice on each dimension (value, URL, shape, body). */
interface Candidate {
  value: Choice<string>;
  url: Choice<string>;
  shape: Choice<Shape>;
  body: Choice<BodyVariant>;
}

/** Guesses in order: one mistake, then the ±300 s search, then two mistakes, then the millisecond search. */
function* candidates(
  values: Choice<string>[],
  urls: Choice<string>[],
  shapes: Choice<Shape>[],
  bodies: Choice<BodyVariant>[],
  scans: { differs: Choice<string>[]; millis: Choice<string>[] },
): Generator<Candidate> {
  const sent: Candidate = { value: values[0]!, url: urls[0]!, shape: shapes[0]!, body: bodies[0]! };
  const dims = [
    { key: 'value', list: values },
    { key: 'url', list: urls },
    { key: 'body', list: bodies },
    { key: 'shape', list: shapes },
  ] as const;
  for (const d of dims) for (const c of d.list.slice(1)) yield { ...sent, [d.key]: c };
  for (const c of scans.differs) yield { ...sent, value: c };
  for (let i = 0; i < dims.length; i++) {
    for (let j = i + 1; j < dims.length; j++) {
      for (const a of dims[i]!.list.slice(1)) {
        for (const b of dims[j]!.list.slice(1)) yield { ...sent, [dims[i]!.key]: a, [dims[j]!.key]: b };
      }
    }
  }
  for (const c of scans.millis) yield { ...sent, value: c };
}

function scanChoices(
  value: string,
  isTimestamp: boolean,
): { differs: Choice<string>[]; millis: Choice<string>[] } {
  if (!isTimestamp || unitOf(value) !== 's') return { differs: [], millis: [] };
  const base = Number(value);
  const differs: Choice<string>[] = [];
  for (let d = 1; d <= 300; d++) {
    for (const delta of [-d, d]) {
      const signed = String(base + delta);
      differs.push({
        value: signed,
        mistakes: [
          {
            code: 'ERR_QREDO_TIMESTAMP_DIFFERS',
            title: `Signed timestamp differs from x-timestamp by ${delta > 0 ? '+' : ''}${delta} s`,
            explanation: rich`The message was signed with the timestamp ${signed}, but x-timestamp is ${value}: ${ours(`${Math.abs(delta)} s ${delta > 0 ? 'later' : 'earlier'}`)}.`,
            remedy:
              'Read the clock once: compute the timestamp, sign it, and send that same string in x-timestamp (do not call the clock again when building the headers).',
          },
        ],
      });
    }
  }
  const millis: Choice<string>[] = [];
  for (let ms = 1; ms < 1000; ms++) {
    const signed = `${value}${String(ms).padStart(3, '0')}`;
    millis.push({ value: signed, mistakes: [unitMistake(value, signed, 's', 'ms')] });
  }
  return { differs, millis };
}

// ---------------------------------------------------------------------------------------------
// The doctor

function fmtDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min (${s} s)`;
  if (s < 172800) return `${Math.round(s / 3600)} h (${s} s)`;
  return `${Math.round(s / 86400)} days (${s} s)`;
}

/**
 * Verify a pasted Qredo Partner API request with the keys the user trusts, and when x-sign does not
 * verify over the bytes sent, find which mistake explains it (each confirmed by a signature check).
 * Only RSA public keys from `input.keys` are used; nothing the request carries is trusted.
 */
export async function diagnoseQredo(input: DoctorInput): Promise<RequestVerdict> {
  const { request, nowMs } = input;
  const findings: Finding[] = [];
  const diagnoses: Diagnosis[] = [];
  const xSign = header(request, 'x-sign')?.trim() ?? '';
  const xTimestamp = header(request, 'x-timestamp')?.trim();
  const xNonce = header(request, 'x-nonce')?.trim();
  const apiKey = header(request, 'x-api-key');
  const isTimestamp = xTimestamp !== undefined && xTimestamp !== '';
  const value = isTimestamp ? xTimestamp : (xNonce ?? '');
  const valueHeader = isTimestamp ? 'x-timestamp' : 'x-nonce';
  const signInput = {
    method: request.method,
    url: request.url,
    body: request.body,
    ...(apiKey !== undefined ? { apiKey: apiKey.trim() } : {}),
  };
  const sentText = `${value}${request.url}${request.body}`;

  // Headers.
  const missing: string[] = [];
  if (!xSign) missing.push('x-sign');
  if (!value) missing.push('x-timestamp');
  if (!apiKey?.trim()) missing.push('x-api-key');
  for (const name of missing) {
    findings.push(
      problem(
        `header:${name}`,
        'ERR_REQUEST_MISSING_HEADER',
        'error',
        name,
        name === 'x-timestamp'
          ? `The request has neither x-timestamp nor x-nonce (or it is empty). ${REFUSED} to a request without one.`
          : `The request has no ${name} header (or it is empty). ${REFUSED} to a request without it.`,
      ),
    );
  }
  if (!missing.length)
    findings.push(ok('headers', 'Headers', `x-api-key, ${valueHeader} and x-sign are present.`));

  // Timestamp.
  if (isTimestamp) {
    const unit = unitOf(value);
    if (unit === 's') {
      const skew = Number(value) * 1000 - nowMs;
      if (Math.abs(skew) > CLOCK_SKEW_MS) {
        findings.push(
          problem(
            'timestamp',
            'ERR_REQUEST_CLOCK_SKEW',
            'warning',
            'x-timestamp',
            `x-timestamp is ${fmtDuration(skew)} ${skew > 0 ? 'ahead of' : 'behind'} this computer's clock. Qredo may refuse a request whose timestamp is far from its own time (its window is not published): sign just before sending, and check the server's clock (NTP). A request pasted from an old log is expected to differ.`,
          ),
        );
      } else findings.push(ok('timestamp', 'x-timestamp', 'Unix seconds, within a few minutes of now.'));
    } else {
      const detail =
        unit === null
          ? 'x-timestamp is not a Unix time in seconds (decimal digits). Qredo reads Unix seconds, so it refuses this value.'
          : `x-timestamp has ${value.length} digits: that is ${TS_TITLES[unit]}. Qredo reads Unix seconds (10 digits), so it sees a time far in the future and refuses the request.`;
      findings.push(problem('timestamp', 'ERR_QREDO_TIMESTAMP_UNIT', 'error', 'x-timestamp', detail));
    }
  } else if (xNonce) {
    findings.push(ok('timestamp', 'x-nonce', 'x-nonce leads the signed message in place of a timestamp.'));
  }

  // API key.
  if (apiKey?.trim()) {
    const info = inspectQredoApiKey(apiKey);
    findings.push(
      info.keyId !== undefined
        ? ok('api-key', 'x-api-key', rich`Decodes to a Qredo API key with key_id ${info.keyId}.`)
        : problem(
            'api-key',
            'ERR_QREDO_API_KEY',
            'warning',
            'x-api-key',
            info.warning ?? 'Not a Qredo API key.',
          ),
    );
  }

  // Body.
  if (request.body.endsWith('\r\n')) {
    findings.push(
      problem(
        'body',
        'ERR_QREDO_BODY_LINE_ENDINGS',
        'info',
        'Body',
        "The body ends in \\r\\n. Qredo's interactive signing client turns that into \\n before signing; its file mode and keybench sign the bytes as they are.",
      ),
    );
  }

  // Keys.
  const rsaKeys = trustedKeysOf(input.keys, ['RSA']);
  // Keys WebCrypto would not import (a huge exponent, a giant modulus) are set aside before any
  // arithmetic on them, and named.
  const trusted = rsaKeys.filter((k) => rsaNumbers(k.spki) !== null);
  const unusable = rsaKeys.filter((k) => !trusted.includes(k));
  if (unusable.length) {
    findings.push(
      problem(
        'keys',
        'ERR_KEY_UNSUPPORTED',
        'warning',
        'Keys',
        rich`${ours(`${unusable.length} trusted RSA key${unusable.length === 1 ? ' was' : 's were'}`)} not used: ${unusable.map((k) => k.label).join(', ')}. WebCrypto imports RSA keys whose public exponent is odd and at most 2³²−1 and whose modulus has at most 16384 bits; keybench does no arithmetic with any other.`,
      ),
    );
  }

  // The scheme reports what it found; only the one rule (trust/verdict.ts) decides "verified".
  const finish = (signedBy: VerificationKey | undefined, parts: Rich, keyLabel?: string): RequestVerdict =>
    decideRequest(REQUEST_TO_QREDO, {
      scheme: 'qredo',
      findings,
      diagnoses,
      signInput,
      fallback: 'ERR_QREDO_SIGNATURE',
      parts,
      ...(signedBy ? { signedBy } : {}),
      ...(keyLabel !== undefined ? { keyLabel } : {}),
    });

  if (!trusted.length) {
    findings.push(
      problem(
        'signature',
        'ERR_REQUEST_NO_KEY',
        'error',
        'x-sign',
        'No trusted RSA public key to check x-sign with: add the public.pem uploaded to Qredo (or the key pair that made it).',
      ),
    );
    return finish(undefined, [
      `Cannot check this Qredo request: keybench has no ${unusable.length ? 'usable ' : ''}trusted RSA public key${unusable.length ? ` (${unusable.length} with a public exponent or modulus WebCrypto refuses were not used)` : ''}. Add the public key uploaded to Qredo (public.pem), or select the RSA key pair that signs these requests.`,
    ]);
  }
  if (!xSign || !value) {
    return finish(undefined, [
      `Cannot check this Qredo request: the ${!xSign ? 'x-sign' : 'x-timestamp (or x-nonce)'} header is missing. ${REFUSED}.`,
    ]);
  }

  const message = enc.encode(sentText);
  const sigs = sigVariants(xSign);
  if (!sigs.length) {
    findings.push(
      problem(
        'signature',
        'ERR_QREDO_SIGNATURE',
        'error',
        'x-sign',
        'x-sign is neither base64url, base64 nor hex.',
      ),
    );
    return finish(undefined, [
      'x-sign cannot be read: it is neither base64url (what Qredo expects), base64 nor hex. Qredo answers 401 errPartnerAuth.',
    ]);
  }

  const encodingMistake = (encoding: SigEncoding): Mistake => ({
    code: 'ERR_QREDO_SIGN_ENCODING',
    title: `x-sign sent as ${ENCODING_WORDS[encoding]}`,
    explanation: [
      `x-sign is ${ENCODING_WORDS[encoding]}; Qredo reads base64url without padding (342 characters for RSA-2048), so it cannot read this signature even though the signature itself is right.`,
    ],
    remedy:
      'Encode the signature as base64url without padding: Buffer.toString("base64url") in Node, base64.RawURLEncoding in Go, base64.urlsafe_b64encode(sig).rstrip(b"=") in Python.',
  });

  // Direct verification over the exact bytes sent.
  for (const key of trusted) {
    for (const sig of sigs) {
      if (await verifyPkcs1(key, 'SHA-256', sig.bytes, message)) {
        if (sig.encoding !== 'base64url') {
          const m = encodingMistake(sig.encoding);
          findings.push(problem('x-sign', m.code, 'error', 'x-sign', m.title));
          diagnoses.push({ ...m, signed: sentText, sent: sentText, confirmed: true });
        } else findings.push(ok('x-sign', 'x-sign', 'base64url without padding.'));
        findings.push(
          ok(
            'signature',
            'x-sign',
            rich`RSASSA-PKCS1-v1_5 SHA-256 over value ‖ URL ‖ body holds with key ${key.label}.`,
          ),
        );
        const refused = findings.find((f) => f.severity === 'error');
        if (!refused) {
          return finish(
            key,
            rich`Signature verified with key ${key.label}: x-sign is RSASSA-PKCS1-v1_5 SHA-256 over ${ours(valueHeader)} ‖ URL ‖ body, exactly as sent.`,
            key.label,
          );
        }
        for (const f of findings) {
          if (f.severity === 'error' && f.check !== 'x-sign') {
            diagnoses.push({
              code: f.code as ErrorCode,
              title:
                f.check === 'timestamp'
                  ? 'x-timestamp is not Unix time in seconds'
                  : `The ${f.label} header is missing`,
              explanation: [f.detail],
              remedy:
                f.check === 'timestamp'
                  ? 'Send x-timestamp as Unix time in seconds (10 digits), and sign that same string.'
                  : 'Send the missing header: x-api-key, x-timestamp and x-sign on every request.',
              signed: sentText,
              sent: sentText,
              confirmed: false,
            });
          }
        }
        return finish(
          key,
          rich`The signature holds (key ${key.label}) but Qredo would refuse the request: ${ours(refused.detail)}`,
          key.label,
        );
      }
    }
  }

  // Recover what was signed.
  let rec: Recovered | null = null;
  for (const key of trusted) {
    for (const sig of sigs) {
      rec = await recover(key, sig);
      if (rec) break;
    }
    if (rec) break;
  }
  if (!rec) {
    const lengths = [...new Set(sigs.map((s) => s.bytes.length))].join(' or ');
    const sizes = [...new Set(trusted.map((k) => rsaNumbers(k.spki)?.bytes).filter((n) => n !== undefined))];
    const lengthNote = sizes.some((n) => sigs.some((s) => s.bytes.length === n))
      ? ''
      : ` x-sign decodes to ${lengths} bytes, while the trusted keys make signatures of ${sizes.join(' or ')} bytes.`;
    const n = trusted.length;
    const m: Mistake = {
      code: 'ERR_QREDO_UNKNOWN_KEY',
      title: `None of the ${n} trusted RSA keys made this signature`,
      explanation: [
        `The RSA public operation with each of the ${n} trusted RSA key${n === 1 ? '' : 's'} gives no valid PKCS#1 v1.5 or PSS encoding: another private key signed this request (or x-sign was damaged).${lengthNote}`,
      ],
      remedy:
        'Sign with the private key whose public key is uploaded to Qredo (Settings → Partner API), or upload the public key of the private key you sign with; then add that public key here.',
    };
    diagnoses.push({ ...m, sent: sentText, confirmed: false });
    findings.push(problem('signature', m.code, 'error', 'x-sign', m.explanation));
    return finish(undefined, [
      `x-sign does not verify: none of the ${n} trusted RSA key${n === 1 ? '' : 's'} made this signature.${lengthNote}`,
    ]);
  }

  const key = rec.key;
  const sig = rec.sig;
  const pre: Mistake[] = [];
  if (sig.encoding !== 'base64url') pre.push(encodingMistake(sig.encoding));
  if (rec.kind === 'pss') {
    pre.push({
      code: 'ERR_QREDO_PSS',
      title: `Signed with RSA-PSS (${rec.hash}, salt ${rec.salt.length} bytes) instead of PKCS#1 v1.5`,
      explanation: rich`Key ${key.label} made this signature with RSASSA-PSS (${ours(rec.hash)}, ${rec.salt.length}-byte salt). Qredo verifies RSASSA-PKCS1-v1_5 with SHA-256, which PSS signatures never pass.`,
      remedy:
        'Use PKCS#1 v1.5 padding: crypto.sign("sha256", msg, key) with the default padding in Node, rsa.SignPKCS1v15 in Go, padding.PKCS1v15() in Python cryptography, {name: "RSASSA-PKCS1-v1_5"} in WebCrypto.',
    });
  } else if (rec.hash !== 'SHA-256') {
    pre.push({
      code: 'ERR_QREDO_HASH',
      title: `Signed with ${rec.hash} instead of SHA-256`,
      explanation: rich`Key ${key.label} made this PKCS#1 v1.5 signature over a ${ours(rec.hash)} digest. Qredo verifies SHA-256.`,
      remedy:
        'Hash with SHA-256 (RSA-SHA256 / crypto.SHA256 / hashes.SHA256()), and do not pre-hash the message yourself.',
    });
  }
  findings.push(ok('key', 'Signing key', rich`x-sign was made by the trusted key ${key.label}.`));

  const verifyOver = async (data: Uint8Array<ArrayBuffer>): Promise<boolean> =>
    rec.kind === 'pss'
      ? verifyPss(key, rec.hash, rec.salt.length, sig.bytes, data)
      : verifyPkcs1(key, rec.hash, sig.bytes, data);
  const matches = async (data: Uint8Array<ArrayBuffer>): Promise<boolean> => {
    const d = await digest(rec.hash, data);
    if (rec.kind === 'pkcs1') return equalBytes(d, rec.digest);
    const h = await digest(rec.hash, concat(new Uint8Array(8), d, rec.salt));
    return equalBytes(h, rec.h);
  };

  const report = (
    mistakes: Mistake[],
    signed: string | undefined,
    confirmed: boolean,
    label: string,
  ): RequestVerdict => {
    for (const m of mistakes)
      diagnoses.push({ ...m, ...(signed !== undefined ? { signed } : {}), sent: sentText, confirmed });
    const first = mistakes[0]!;
    findings.push(
      problem('signature', first.code, 'error', 'x-sign', [first.title, '. ', ...first.explanation]),
    );
    return finish(
      undefined,
      confirmed
        ? rich`x-sign does not verify over the bytes sent. Key ${label} signed other bytes; it verifies when: ${ours(first.title)}.`
        : rich`x-sign does not verify over the bytes sent. Key ${label} made it: ${ours(first.title)}.`,
      label,
    );
  };

  // The mistake is only in how the signature is made or written, not in the bytes.
  if (pre.length && (await verifyOver(message))) return report(pre, sentText, true, key.label);

  // Search the signed bytes.
  const values = valueChoices(value, isTimestamp);
  const urls = urlChoices(request.url);
  const bodies = bodyChoices(request.body);
  const shapes = shapeChoices(request.method);
  const scans = scanChoices(value, isTimestamp);
  const large = enc.encode(request.body).length > 256 * 1024;
  let tried = 0;
  let hashed = 0;
  for (const c of candidates(values, urls, shapes, bodies, scans)) {
    if (tried >= MAX_CANDIDATES || hashed >= MAX_HASHED_BYTES) break;
    const bodyBytes = c.body.value.bytes ?? enc.encode(c.body.value.text);
    if (!large) c.body.value.bytes = bodyBytes;
    else if (!c.body.value.bytes && c.body === bodies[0]) c.body.value.bytes = bodyBytes;
    const prefix = prefixOf(c.value.value, c.url.value, c.shape.value);
    const data = concat(enc.encode(prefix), bodyBytes);
    tried++;
    hashed += data.length;
    if (await matches(data)) {
      const confirmed = await verifyOver(data);
      const mistakes = [
        ...pre,
        ...c.value.mistakes,
        ...c.url.mistakes,
        ...c.body.mistakes,
        ...c.shape.mistakes,
      ];
      return report(mistakes, `${prefix}${c.body.value.text}`, confirmed, key.label);
    }
  }
  const nothing: Mistake = {
    code: pre[0]?.code ?? 'ERR_QREDO_SIGNATURE',
    title: pre[0]
      ? `${pre[0].title}, and over other bytes`
      : `Key made this signature over other bytes (keybench tried ${tried} variants; none matched)`,
    explanation: [
      ...(pre[0]?.explanation ?? []),
      ...(pre[0] ? [' '] : []),
      ...rich`Key ${key.label} made this signature, but over bytes other than the ones sent. keybench tried ${tried} variants; none matched: the signed bytes differ in a way it does not know.`,
    ],
    remedy:
      pre[0]?.remedy ??
      'Log the exact message your code signs (value ‖ URL ‖ body, as bytes) and compare it with what the HTTP client sends: the URL, the body serialisation and the timestamp must be the same strings.',
  };
  diagnoses.push(...pre.slice(1).map((m) => ({ ...m, sent: sentText, confirmed: false })));
  diagnoses.unshift({ ...nothing, sent: sentText, confirmed: false });
  findings.push(problem('signature', nothing.code, 'error', 'x-sign', nothing.explanation));
  return finish(
    undefined,
    rich`x-sign does not verify over the bytes sent. Key ${key.label} made it, over other bytes: keybench tried ${tried} variants; none matched.`,
    key.label,
  );
}
