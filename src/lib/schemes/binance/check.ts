/**
 * Binance Spot API request signing with a self-generated Ed25519 or RSA key (issue 14), and the
 * request doctor for it. Domain code only: no UI.
 *
 * Sources (binance/binance-spot-api-docs, rest-api.md, commit a5e0bc3d):
 * - "SIGNED Endpoint security": `signature` is sent "in the query string or request body".
 * - "SIGNED Endpoint Examples for POST /api/v3/order" (HMAC, RSA and Ed25519 sections): "The
 *   signature payload of your request is the query string concatenated without separator to the
 *   HTTP body. Any non-ASCII character must be percent-encoded before signing." RSA is
 *   RSASSA-PKCS1-v1_5 with SHA-256; the signature is base64, then percent-encoded.
 * - "Timing security": `timestamp` in ms or µs; `recvWindow` default 5000, max 60000; the server
 *   processes a request when `timestamp < serverTime + 1 second` and `serverTime − timestamp ≤ recvWindow`.
 * - The docs' Python example and binance-connector-python (common/src/binance_common/utils.py,
 *   `encoded_string` → `urllib.parse.urlencode`; `get_signature` → base64 of the signature over
 *   the UTF-8 payload) encode parameters as application/x-www-form-urlencoded: unreserved
 *   `A-Z a-z 0-9 - _ . ~` kept, space as `+`, everything else `%XX` (upper-case hex) of UTF-8.
 */
import { base64ToBytes, base64urlToBytes, bytesToBase64 } from '../../encoding/base64url';
import { KeybenchError, type ErrorCode } from '../../errors';
import { ours, rich, type Rich } from '../../rich';
import type { Diagnosis, DoctorInput, ParsedRequest, RequestVerdict } from '../../request/types';
import { header, trustedKeysOf, type TrustedKey } from '../../request/types';
import { decideRequest } from '../../trust/verdict';
import type { VerificationContext } from '../../trust/roles';
import type { VerificationKey } from '../../jwt/verify';
import { curlCommand, shellQuote } from '../../partners/shell';
import { ok, problem, type Finding } from '../../partners/scheme';

/** A pasted request is one sent to Binance: the user's own keys verify it (trust/roles.ts). */
const REQUEST_TO_BINANCE: VerificationContext = { direction: 'request-to', partner: 'binance' };

/** Binance's default and largest `recvWindow`, in ms ("Timing security"). */
export const BINANCE_DEFAULT_RECV_WINDOW = 5000;
export const BINANCE_MAX_RECV_WINDOW = 60000;

/** Most payload bytes the doctor's search verifies over (each check hashes the whole payload). */
export const MAX_VERIFIED_BYTES = 64 * 1024 * 1024;

const enc = new TextEncoder();
const REFUSED = 'Binance refuses it';
const RESERVED = new Set(['timestamp', 'recvWindow', 'signature']);

/**
 * One value as Python's `urllib.parse.urlencode` writes it (what Binance's connector sends and
 * signs): application/x-www-form-urlencoded, space as `+`, `~` kept.
 * @throws KeybenchError ERR_PARTNER_INPUT for text that is not valid Unicode (a lone surrogate).
 */
export function binanceEncode(text: string): string {
  let e: string;
  try {
    e = encodeURIComponent(text);
  } catch {
    throw new KeybenchError('ERR_PARTNER_INPUT', rich`Not valid Unicode (a lone surrogate): ${text}.`);
  }
  return e.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

function encodePairs(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${binanceEncode(k)}=${binanceEncode(v)}`).join('&');
}

/** Input to {@link binancePayload}. */
export interface BinancePayloadInput {
  /** Query parameters, in the order sent. */
  params: [string, string][];
  /** Form body parameters, in the order sent; given (even empty) means the request has a form body. */
  body?: [string, string][];
  /** Now, in ms. */
  timestampMs: number;
  /** Send `timestamp` in microseconds. */
  micro?: boolean;
  /** `recvWindow` in ms (up to three decimals); omitted: not sent, Binance uses 5000. */
  recvWindow?: number;
}

/** The query, the form body and the exact payload signed (query ‖ body, no separator). */
export interface BinancePayload {
  query: string;
  body: string;
  payload: string;
}

/**
 * The signature payload of a Spot API request: parameters form-encoded, `timestamp` (and
 * `recvWindow` when given) appended to the body when there is one, else to the query; payload =
 * query string ‖ body with no separator (rest-api.md, "SIGNED Endpoint Examples").
 * @throws KeybenchError ERR_PARTNER_INPUT for a bad timestamp or recvWindow, or a parameter named
 *   timestamp, recvWindow or signature (keybench adds those).
 */
export function binancePayload(input: BinancePayloadInput): BinancePayload {
  const { params, body, timestampMs, micro, recvWindow } = input;
  if (!Number.isFinite(timestampMs) || timestampMs <= 0) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The timestamp must be a positive time in milliseconds.');
  }
  if (
    recvWindow !== undefined &&
    (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > BINANCE_MAX_RECV_WINDOW)
  ) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `recvWindow must be more than 0 and at most ${BINANCE_MAX_RECV_WINDOW} ms (Binance's maximum).`,
    );
  }
  for (const [k] of [...params, ...(body ?? [])]) {
    if (RESERVED.has(k)) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        rich`Leave out the parameter ${k}: keybench adds timestamp, recvWindow and signature itself.`,
      );
    }
  }
  const ts = micro ? Math.floor(timestampMs * 1000) : Math.floor(timestampMs);
  const added: [string, string][] = [['timestamp', String(ts)]];
  if (recvWindow !== undefined) added.push(['recvWindow', String(Math.round(recvWindow * 1000) / 1000)]);
  const q = body === undefined ? [...params, ...added] : params;
  const b = body === undefined ? [] : [...body, ...added];
  const query = encodePairs(q);
  const bodyText = encodePairs(b);
  // "the query string concatenated without separator to the HTTP body" (rest-api.md).
  return { query, body: bodyText, payload: `${query}${bodyText}` };
}

/** The WebCrypto algorithm for a Binance key: Ed25519, or RSASSA-PKCS1-v1_5 (SHA-256 at import). */
function signAlgorithm(key: CryptoKey): AlgorithmIdentifier {
  if (key.algorithm.name === 'Ed25519') return { name: 'Ed25519' };
  if (key.algorithm.name === 'RSASSA-PKCS1-v1_5') {
    const hash = (key.algorithm as RsaHashedKeyAlgorithm).hash?.name;
    if (hash !== 'SHA-256') {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        'Binance verifies RSA signatures with SHA-256: this RSA key is bound to another hash.',
      );
    }
    return { name: 'RSASSA-PKCS1-v1_5' };
  }
  throw new KeybenchError(
    'ERR_PARTNER_INPUT',
    'Binance signs with Ed25519 (recommended) or RSA: choose an Ed25519 or RSA key pair.',
  );
}

/**
 * Sign a payload: Ed25519 or RSASSA-PKCS1-v1_5 SHA-256 by the key's algorithm. `signature` is
 * standard base64 with padding; `encoded` is the same percent-encoded for the request.
 */
export async function signBinance(
  privateKey: CryptoKey,
  payload: string,
): Promise<{ signature: string; encoded: string }> {
  const alg = signAlgorithm(privateKey);
  const sig = new Uint8Array(await crypto.subtle.sign(alg, privateKey, enc.encode(payload)));
  const signature = bytesToBase64(sig);
  return { signature, encoded: encodeURIComponent(signature) };
}

/** Input to {@link binanceRequest}. */
export interface BinanceRequestInput extends BinancePayloadInput {
  privateKey: CryptoKey;
  apiKey: string;
  method: string;
  /** Endpoint URL without a query, e.g. https://api.binance.com/api/v3/order. */
  url: string;
}

/** A signed request, ready to send. */
export interface BinanceRequest {
  method: string;
  /** The full URL as sent (query included; `signature=` last when there is no form body). */
  url: string;
  headers: [string, string][];
  /** The form body as sent, `signature=` last ("" for none). */
  body: string;
  curl: string;
  /** What was signed: query string ‖ body (without the signature), and its parts. */
  payload: BinancePayload;
  /** Standard base64 with padding, and the same percent-encoded as sent. */
  signature: string;
  encoded: string;
}

/**
 * Sign a Spot API request. `signature=` is appended last: to the form body when the request has one
 * (the docs' Python example sends every parameter and then the signature as the form body), else to
 * the query string (the docs' curl examples).
 * @throws KeybenchError ERR_PARTNER_INPUT as {@link binancePayload}, for a URL with a query or a key
 *   that is neither Ed25519 nor RSA.
 */
export async function binanceRequest(input: BinanceRequestInput): Promise<BinanceRequest> {
  const { privateKey, apiKey, url } = input;
  const method = input.method.toUpperCase();
  if (!/^https?:\/\/[^?#]+$/.test(url)) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'The URL must be the endpoint without a query (https://api.binance.com/api/v3/order): keybench adds the parameters.',
    );
  }
  const p = binancePayload(input);
  const { signature, encoded } = await signBinance(privateKey, p.payload);
  const hasBody = input.body !== undefined;
  const query = hasBody ? p.query : `${p.query}&signature=${encoded}`;
  const sentBody = hasBody ? `${p.body ? `${p.body}&` : ''}signature=${encoded}` : '';
  const full = query ? `${url}?${query}` : url;
  // Binance reads a body only as a form (rest-api "Request security"): the header goes with it.
  const headers: [string, string][] = [
    ['X-MBX-APIKEY', apiKey.trim()],
    ...(hasBody ? [['Content-Type', 'application/x-www-form-urlencoded'] as [string, string]] : []),
  ];
  const extra = hasBody ? [`  --data-raw ${shellQuote(sentBody)}`] : [];
  return {
    method,
    url: full,
    headers,
    body: sentBody,
    curl: curlCommand(method, shellQuote(full), Object.fromEntries(headers), extra),
    payload: p,
    signature,
    encoded,
  };
}

// ---------------------------------------------------------------------------------------------
// The request doctor

interface Mistake {
  code: ErrorCode;
  title: string;
  explanation: Rich;
  remedy: string;
}

/** One `name=value` segment of a query or body, as sent. */
interface Segment {
  raw: string;
  name: string;
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function segments(text: string): Segment[] {
  if (!text) return [];
  return text.split('&').map((raw) => {
    const eq = raw.indexOf('=');
    return { raw, name: formDecode(eq < 0 ? raw : raw.slice(0, eq)) };
  });
}

function valueOf(s: Segment): string {
  const eq = s.raw.indexOf('=');
  return eq < 0 ? '' : s.raw.slice(eq + 1);
}

const join = (segs: readonly Segment[]): string => segs.map((s) => s.raw).join('&');

/** Percent-encoded runs of non-ASCII UTF-8 turned back into text (what was signed by mistake). */
function decodeNonAscii(raw: string): string {
  return raw.replace(/(?:%[89a-fA-F][0-9a-fA-F])+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function fmtMs(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(a)} ms`;
  if (a < 120_000) return `${(a / 1000).toFixed(1)} s`;
  if (a < 7_200_000) return `${(a / 60_000).toFixed(1)} min`;
  if (a < 172_800_000) return `${(a / 3_600_000).toFixed(1)} h`;
  return `${(a / 86_400_000).toFixed(1)} days`;
}

async function importTrusted(key: TrustedKey): Promise<{ key: CryptoKey; alg: AlgorithmIdentifier } | null> {
  try {
    if (key.type.kty === 'OKP') {
      const k = await crypto.subtle.importKey('spki', key.spki, { name: 'Ed25519' }, false, ['verify']);
      return { key: k, alg: { name: 'Ed25519' } };
    }
    if (key.type.kty === 'RSA') {
      const k = await crypto.subtle.importKey(
        'spki',
        key.spki,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        false,
        ['verify'],
      );
      return { key: k, alg: { name: 'RSASSA-PKCS1-v1_5' } };
    }
  } catch {
    // Not importable: skipped.
  }
  return null;
}

/** One way of reading the signature parameter as bytes. */
interface SigReading {
  bytes: Uint8Array<ArrayBuffer>;
  mistakes: Mistake[];
}

const NOT_ENCODED: Mistake = {
  code: 'ERR_BINANCE_SIGNATURE_NOT_ENCODED',
  title: 'Signature sent without percent-encoding',
  explanation: [
    'The signature is sent with a raw + in it. A + in a query string or form body decodes to a space on the server, so Binance reads another signature than the one made; it verifies only when the + is read as +.',
  ],
  remedy:
    'Percent-encode the base64 signature before appending it (encodeURIComponent in JavaScript, urllib.parse.quote(sig, safe="") or urlencode in Python, url.QueryEscape in Go): + becomes %2B, / %2F and = %3D.',
};

const BASE64URL: Mistake = {
  code: 'ERR_BINANCE_BASE64URL',
  title: 'Signature encoded as base64url instead of base64',
  explanation: [
    'The signature is base64url (- and _, often without = padding). Binance reads standard base64 (+ and /, with padding), so it decodes other bytes.',
  ],
  remedy:
    'Encode the signature with standard base64 and padding (Buffer.toString("base64"), base64.b64encode, base64.StdEncoding), then percent-encode it.',
};

function sigReadings(raw: string): SigReading[] {
  const out: SigReading[] = [];
  const add = (read: () => Uint8Array<ArrayBuffer>, mistakes: Mistake[]) => {
    try {
      const bytes = read();
      if (bytes.length) out.push({ bytes, mistakes });
    } catch {
      // Not this reading.
    }
  };
  const asServer = formDecode(raw);
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(asServer)) add(() => base64ToBytes(asServer), []);
  if (raw.includes('+')) {
    let literal = raw;
    try {
      literal = decodeURIComponent(raw);
    } catch {
      // Keep raw.
    }
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(literal)) add(() => base64ToBytes(literal), [NOT_ENCODED]);
  }
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(asServer) && (/[-_]/.test(asServer) || asServer.length % 4 !== 0)) {
    add(() => base64urlToBytes(asServer.replace(/=+$/, '')), [BASE64URL]);
  }
  return out;
}

/** One candidate for the signed payload. */
/**
 * A payload the signature may have been made over. Lazy: `text()` builds it only when the search
 * reaches it (each is megabytes for a large body), and gives null when it is no other payload.
 */
interface Candidate {
  text: () => string | null;
  mistakes: Mistake[];
}

/** A function's value, computed on first call and kept. */
function once<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** Segments, rewritten only when first asked for. */
interface SegmentVariant {
  q: () => Segment[];
  b: () => Segment[];
  mistakes: Mistake[];
}

function tsMistake(sentDigits: number, signedDigits: number): Mistake {
  return {
    code: 'ERR_BINANCE_TIMESTAMP_SECONDS',
    title:
      sentDigits === 10
        ? 'Timestamp sent in seconds, signed in milliseconds'
        : 'Timestamp signed in seconds, sent in milliseconds',
    explanation: [
      `The timestamp was signed with ${signedDigits} digits but sent with ${sentDigits}: the code converts between seconds and milliseconds in one place only. Binance reads milliseconds (13 digits) or microseconds (16).`,
    ],
    remedy:
      'Take the timestamp once, in milliseconds (Date.now(), int(time.time() * 1000)), and use that same string in the signed payload and the request.',
  };
}

/** Timestamp and non-ASCII variants of the segments (query and body together), built lazily. */
function segmentVariants(q: Segment[], b: Segment[]): SegmentVariant[] {
  const out: SegmentVariant[] = [{ q: () => q, b: () => b, mistakes: [] }];
  const ts = q.find((s) => s.name === 'timestamp') ?? b.find((s) => s.name === 'timestamp');
  const v = ts ? valueOf(ts) : '';
  const alts: { value: string; m: Mistake }[] = [];
  if (/^\d{10}$/.test(v)) alts.push({ value: `${v}000`, m: tsMistake(10, 13) });
  if (/^\d{13}$/.test(v)) alts.push({ value: v.slice(0, 10), m: tsMistake(13, 10) });
  for (const a of alts) {
    const swap = (s: Segment): Segment =>
      s === ts ? { raw: `${s.raw.split('=')[0]}=${a.value}`, name: s.name } : s;
    out.push({ q: once(() => q.map(swap)), b: once(() => b.map(swap)), mistakes: [a.m] });
  }
  // Only segments holding a percent sign can decode to other text: no join of the whole payload.
  if ([...q, ...b].some((s) => s.raw.includes('%') && decodeNonAscii(s.raw) !== s.raw)) {
    const m: Mistake = {
      code: 'ERR_BINANCE_NON_ASCII',
      title: 'Non-ASCII text signed without percent-encoding',
      explanation: [
        'The request sends the non-ASCII characters percent-encoded, but the signature was made over the raw UTF-8 text. Binance signs and verifies the percent-encoded form.',
      ],
      remedy:
        'Percent-encode every parameter (urlencode / URLSearchParams-style, UTF-8) first, then sign exactly the encoded string you send.',
    };
    const dec = (s: Segment): Segment => ({ raw: decodeNonAscii(s.raw), name: s.name });
    for (const base of [...out])
      out.push({
        q: once(() => base.q().map(dec)),
        b: once(() => base.b().map(dec)),
        mistakes: [...base.mistakes, m],
      });
  }
  // python-binance (and Binance's own signature examples) join name=value with the values as they
  // are, sign that, and let requests percent-encode what it sends: the payload signed is decoded.
  const raw = (s: Segment): Segment => {
    const eq = s.raw.indexOf('=');
    return {
      raw:
        eq < 0 ? formDecode(s.raw) : `${formDecode(s.raw.slice(0, eq))}=${formDecode(s.raw.slice(eq + 1))}`,
      name: s.name,
    };
  };
  // Segment by segment (no join of a whole multi-megabyte payload): some value decodes to other text
  // than the non-ASCII decoding above already tries.
  const differs = (s: Segment) => {
    if (!s.raw.includes('%') && !s.raw.includes('+')) return false;
    const r = raw(s).raw;
    return r !== s.raw && r !== decodeNonAscii(s.raw);
  };
  if ([...q, ...b].some(differs)) {
    const m: Mistake = {
      code: 'ERR_BINANCE_SIGNED_DECODED',
      title: 'Values signed as they are, sent percent-encoded',
      explanation: [
        "The signature was made over the parameters with their values not percent-encoded (a space, ':', '@', '/', ',' … as they are), while the request sends them percent-encoded. python-binance does this: it joins name=value with the raw values, signs that, and lets requests encode what it sends. Binance verifies the percent-encoded bytes it receives (-1022).",
      ],
      remedy:
        'Percent-encode the parameters first (urllib.parse.urlencode(params) in Python), sign exactly that string, and send that same string as the query or body (not the dict, which requests encodes again).',
    };
    // The non-ASCII variants are already decoded where they differ: only the others are decoded whole.
    for (const base of out.filter((o) => !o.mistakes.some((x) => x.code === 'ERR_BINANCE_NON_ASCII')))
      out.push({
        q: once(() => base.q().map(raw)),
        b: once(() => base.b().map(raw)),
        mistakes: [...base.mistakes, m],
      });
  }
  return out;
}

function arrangements(sv: SegmentVariant): Candidate[] {
  const Q = once(() => join(sv.q()));
  const B = once(() => join(sv.b()));
  const out: Candidate[] = [{ text: () => `${Q()}${B()}`, mistakes: [] }];
  const concat = (title: string, how: string): Mistake => ({
    code: 'ERR_BINANCE_CONCAT',
    title,
    explanation: [
      `The signature was made over ${how}. Binance signs the query string followed directly by the body, with no separator.`,
    ],
    remedy:
      'Sign query string ‖ body exactly as sent, with nothing between them (and nothing left out); or send every parameter in one place.',
  });
  const order = (title: string, how: string): Mistake => ({
    code: 'ERR_BINANCE_PARAM_ORDER',
    title,
    explanation: [
      `The signature was made over the same parameters in another order (${how}). Binance verifies the parameters in the order they are sent.`,
    ],
    remedy:
      'Build the parameter string once and sign exactly that string; do not sort or rebuild the parameters for the request after signing.',
  });
  const both = (f: () => string) => () => (Q() && B() ? f() : null);
  out.push({
    text: both(() => `${Q()}&${B()}`),
    mistakes: [concat('Query and body joined with & before signing', 'query & body, with an & between them')],
  });
  out.push({
    text: both(() => `${B()}${Q()}`),
    mistakes: [concat('Body signed before the query', 'body ‖ query')],
  });
  out.push({
    text: both(Q),
    mistakes: [concat('Only the query string signed', 'the query string alone, without the body')],
  });
  out.push({
    text: both(B),
    mistakes: [concat('Only the body signed', 'the body alone, without the query string')],
  });
  out.push({
    text: both(() => `${B()}&${Q()}`),
    mistakes: [order('Body parameters signed before the query parameters', 'body parameters first')],
  });
  out.push({
    text: () => {
      const all = [...sv.q(), ...sv.b()];
      const sorted = join([...all].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)));
      return sorted !== join(all) && sorted !== `${Q()}${B()}` ? sorted : null;
    },
    mistakes: [order('Parameters signed in sorted order', 'sorted by name')],
  });
  return out;
}

/**
 * What makes Binance read a request otherwise than its text suggests (binance-spot-api-docs,
 * rest-api "Request security" and errors.md): a GET's body and a body that is not
 * application/x-www-form-urlencoded are not read (-1102: the parameters in them are missing); a
 * parameter sent twice is refused (-1101), so the doctor cannot say which value was checked; the
 * signature must be the last parameter of the request (else -1022). Each is an error: a signature
 * that holds over the text pasted would not hold over what Binance reads.
 */
function readingProblems(request: ParsedRequest, q: readonly Segment[], b: readonly Segment[]): Finding[] {
  const out: Finding[] = [];
  if (request.body !== '') {
    const type = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const fix =
      'To Binance they are missing (-1102), signature included. Send them in the query string, or as a form body with Content-Type: application/x-www-form-urlencoded.';
    const why: Rich | null =
      request.method === 'GET' || request.method === 'HEAD'
        ? rich`Binance does not read the parameters in this body: it is the body of a ${request.method}, and Binance reads a GET's parameters from the query string only. ${ours(fix)}`
        : type !== 'application/x-www-form-urlencoded'
          ? rich`Binance does not read the parameters in this body: its Content-Type is ${type || 'missing'}, and Binance reads a body only as application/x-www-form-urlencoded. ${ours(fix)}`
          : null;
    if (why) out.push(problem('body-read', 'ERR_BINANCE_BODY_NOT_READ', 'error', 'Body', why));
  }
  const seen = new Map<string, number>();
  for (const s of [...q, ...b]) seen.set(s.name, (seen.get(s.name) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([name]) => name);
  if (twice.length)
    out.push(
      problem(
        'duplicates',
        'ERR_BINANCE_DUPLICATE_PARAM',
        'error',
        'Parameters',
        rich`${twice.join(', ')} ${ours(twice.length > 1 ? 'are' : 'is')} sent more than once (query string and body together). Binance refuses duplicate parameters (-1101), and keybench cannot say which value a server would check. Send each parameter once.`,
      ),
    );
  const last = b.length ? b.at(-1) : q.at(-1);
  if (seen.has('signature') && last?.name !== 'signature')
    out.push(
      problem(
        'signature-last',
        'ERR_BINANCE_SIGNATURE_NOT_LAST',
        'error',
        'signature',
        rich`signature is not the last parameter of the request (${last?.name ?? ''} comes after it). Binance takes the signature as the end of the query string or body and refuses it elsewhere (-1022). Append signature= last, after every parameter it signs.`,
      ),
    );
  return out;
}

/**
 * Examine a pasted Binance Spot API request: verify its `signature` with the keys the user trusts
 * over the payload as sent (query ‖ body, minus the signature) and, when it does not hold, find the
 * mistake, each confirmed by a signature check over the mistaken bytes.
 */
export async function diagnoseBinance(input: DoctorInput): Promise<RequestVerdict> {
  const { request, nowMs } = input;
  const findings: Finding[] = [];
  const diagnoses: Diagnosis[] = [];
  const apiKey = header(request, 'x-mbx-apikey');
  const signInput = {
    method: request.method,
    url: request.url,
    body: request.body,
    ...(apiKey !== undefined ? { apiKey: apiKey.trim() } : {}),
  };
  const qi = request.url.indexOf('?');
  const query = qi < 0 ? '' : request.url.slice(qi + 1).replace(/#.*$/, '');
  const q = segments(query);
  const b = segments(request.body);
  // How Binance reads a request, before any signature: the checks below are over the bytes it reads.
  findings.push(...readingProblems(request, q, b));

  // Where the signature is: the last `signature` parameter, in the body first.
  let sigRaw: string | undefined;
  let where: 'query' | 'body' | undefined;
  for (const [list, w] of [
    [b, 'body'],
    [q, 'query'],
  ] as const) {
    const i = list.map((s) => s.name).lastIndexOf('signature');
    if (i >= 0) {
      sigRaw = valueOf(list[i]!);
      where = w;
      list.splice(i, 1);
      break;
    }
  }
  const sentText = `${join(q)}${join(b)}`;

  // The scheme reports what it found; only the one rule (trust/verdict.ts) decides "verified".
  const finish = (signedBy: VerificationKey | undefined, parts: Rich, keyLabel?: string): RequestVerdict =>
    decideRequest(REQUEST_TO_BINANCE, {
      scheme: 'binance',
      findings,
      diagnoses,
      signInput,
      fallback: 'ERR_BINANCE_SIGNATURE',
      parts,
      ...(signedBy ? { signedBy } : {}),
      ...(keyLabel !== undefined ? { keyLabel } : {}),
    });

  // The API key header.
  if (!apiKey?.trim()) {
    findings.push(
      problem(
        'header:x-mbx-apikey',
        'ERR_REQUEST_MISSING_HEADER',
        'error',
        'X-MBX-APIKEY',
        `The request has no X-MBX-APIKEY header (or it is empty). ${REFUSED}.`,
      ),
    );
  } else findings.push(ok('header:x-mbx-apikey', 'X-MBX-APIKEY', 'The API key header is present.'));

  // Timestamp and recvWindow.
  const all = [...q, ...b];
  const tsSeg = all.find((s) => s.name === 'timestamp');
  const tsText = tsSeg ? formDecode(valueOf(tsSeg)) : '';
  const rwSeg = all.find((s) => s.name === 'recvWindow');
  const rwText = rwSeg ? formDecode(valueOf(rwSeg)) : undefined;
  let recvWindow = BINANCE_DEFAULT_RECV_WINDOW;
  if (rwText !== undefined) {
    const n = /^\d+(\.\d{1,3})?$/.test(rwText) ? Number(rwText) : NaN;
    if (!Number.isFinite(n) || n > BINANCE_MAX_RECV_WINDOW) {
      findings.push(
        problem(
          'recvWindow',
          'ERR_BINANCE_RECV_WINDOW',
          'error',
          'recvWindow',
          rich`recvWindow is ${rwText}: Binance takes milliseconds (up to three decimals), at most ${BINANCE_MAX_RECV_WINDOW}. ${ours(REFUSED)}.`,
        ),
      );
    } else {
      recvWindow = n;
      findings.push(ok('recvWindow', 'recvWindow', `${n} ms (at most ${BINANCE_MAX_RECV_WINDOW}).`));
    }
  }
  if (!tsSeg) {
    findings.push(
      problem(
        'timestamp',
        'ERR_BINANCE_TIMESTAMP',
        'error',
        'timestamp',
        `The request has no timestamp parameter. ${REFUSED}.`,
      ),
    );
  } else if (/^\d{10}$/.test(tsText)) {
    findings.push(
      problem(
        'timestamp',
        'ERR_BINANCE_TIMESTAMP_SECONDS',
        'error',
        'timestamp',
        rich`timestamp is ${tsText}: 10 digits, Unix seconds. Binance reads milliseconds (13 digits) or microseconds (16), so it sees a time in January 1970, far outside recvWindow, and refuses the request.`,
      ),
    );
  } else if (/^\d{13}$|^\d{16}$/.test(tsText)) {
    const tsMs = tsText.length === 16 ? Number(tsText) / 1000 : Number(tsText);
    const unit = tsText.length === 16 ? 'microseconds' : 'milliseconds';
    const behind = nowMs - tsMs;
    const note =
      'A request pasted from a log is expected to be old: this is a warning and does not change the verdict on the signature.';
    if (tsMs >= nowMs + 1000) {
      findings.push(
        problem(
          'clock',
          'ERR_BINANCE_TIMESTAMP_AHEAD',
          'warning',
          'timestamp',
          `timestamp (${unit}) is ${fmtMs(-behind)} ahead of this computer's clock; Binance refuses a timestamp 1 s or more ahead of its own time. Check the signing server's clock (NTP). ${note}`,
        ),
      );
    } else if (behind > recvWindow) {
      findings.push(
        problem(
          'clock',
          'ERR_BINANCE_STALE_TIMESTAMP',
          'warning',
          'timestamp',
          `timestamp (${unit}) is ${fmtMs(behind)} behind this computer's clock, more than recvWindow (${recvWindow} ms): sent now, Binance would refuse it. ${note}`,
        ),
      );
    } else
      findings.push(
        ok('clock', 'timestamp', `${unit}, ${fmtMs(behind)} old: within recvWindow (${recvWindow} ms).`),
      );
  } else {
    findings.push(
      problem(
        'timestamp',
        'ERR_BINANCE_TIMESTAMP',
        'error',
        'timestamp',
        rich`timestamp is ${tsText}: Binance reads Unix time in milliseconds (13 digits) or microseconds (16). ${ours(REFUSED)}.`,
      ),
    );
  }

  // Non-ASCII sent raw.
  if (/[^\p{ASCII}]/u.test(sentText)) {
    findings.push(
      problem(
        'non-ascii',
        'ERR_BINANCE_NON_ASCII',
        'error',
        'Parameters',
        'The request sends non-ASCII characters without percent-encoding. Binance requires every non-ASCII character to be percent-encoded (UTF-8) before signing and sending.',
      ),
    );
  }

  // Keys.
  const trusted = trustedKeysOf(input.keys, ['OKP', 'RSA']);
  if (!trusted.length) {
    findings.push(
      problem(
        'signature',
        'ERR_REQUEST_NO_KEY',
        'error',
        'signature',
        'No trusted Ed25519 or RSA public key to check the signature with: add the public key registered with Binance (or the key pair that made it).',
      ),
    );
    return finish(undefined, [
      'Cannot check this Binance request: keybench has no trusted Ed25519 or RSA public key. Add the public key registered in Binance API Management, or select the key pair that signs these requests.',
    ]);
  }
  if (sigRaw === undefined || sigRaw === '') {
    findings.push(
      problem(
        'signature',
        'ERR_BINANCE_NO_SIGNATURE',
        'error',
        'signature',
        `The request has no signature parameter. ${REFUSED}.`,
      ),
    );
    return finish(undefined, [
      'Cannot check this Binance request: it has no signature parameter (query string or form body).',
    ]);
  }
  const readings = sigReadings(sigRaw);
  if (!readings.length) {
    findings.push(
      problem(
        'signature',
        'ERR_BINANCE_SIGNATURE',
        'error',
        'signature',
        'The signature parameter is not base64.',
      ),
    );
    return finish(undefined, [
      'The signature cannot be read: it is not base64 (what Binance expects), nor base64url.',
    ]);
  }
  const imported = (await Promise.all(trusted.map(async (k) => ({ k, c: await importTrusted(k) })))).filter(
    (x): x is { k: TrustedKey; c: { key: CryptoKey; alg: AlgorithmIdentifier } } => x.c !== null,
  );

  // Every (signature reading, payload) pair, fewest mistakes first; the first is what was sent.
  const cands: Candidate[] = [];
  for (const sv of segmentVariants(q, b)) {
    for (const a of arrangements(sv)) cands.push({ text: a.text, mistakes: [...sv.mistakes, ...a.mistakes] });
  }
  const pairs = readings
    .flatMap((r) => cands.map((c) => ({ r, c, n: r.mistakes.length + c.mistakes.length })))
    .sort((x, y) => x.n - y.n);
  let tried = 0;
  let hashed = 0;
  // Each payload is built when the search reaches it, once for every signature reading.
  const texts = new Map<Candidate, string | null>();
  for (const { r, c } of pairs) {
    if (tried > 0 && hashed >= MAX_VERIFIED_BYTES) break;
    if (!texts.has(c)) texts.set(c, c.text());
    const text = texts.get(c);
    if (text === null || text === undefined) continue;
    const data = enc.encode(text);
    if (tried > 0 && hashed + data.length * imported.length > MAX_VERIFIED_BYTES) break;
    tried++;
    hashed += data.length * imported.length;
    for (const { k, c: ck } of imported) {
      if (!(await crypto.subtle.verify(ck.alg, ck.key, r.bytes, data))) continue;
      const mistakes = [...r.mistakes, ...c.mistakes];
      const algName = k.type.kty === 'OKP' ? 'Ed25519' : 'RSASSA-PKCS1-v1_5 SHA-256';
      if (!mistakes.length) {
        if (where && /[/=]/.test(sigRaw)) {
          findings.push(
            problem(
              'signature-encoding',
              'ERR_BINANCE_SIGNATURE_NOT_ENCODED',
              'warning',
              'signature',
              'The signature is sent with a raw / or = in it. Servers decode these the same, but Binance documents the signature as percent-encoded (%2F, %3D): encode it.',
            ),
          );
        }
        findings.push(
          ok(
            'signature',
            'signature',
            rich`${ours(algName)} over query ‖ body, as sent, holds with key ${k.label}.`,
          ),
        );
        const refused = findings.find((f) => f.severity === 'error');
        if (!refused) {
          return finish(
            k,
            rich`Signature verified with key ${k.label}: ${ours(algName)} over the query string ‖ body, exactly as sent.`,
            k.label,
          );
        }
        for (const f of findings) {
          if (f.severity !== 'error') continue;
          diagnoses.push({
            code: f.code as ErrorCode,
            title: `${f.label}: Binance would refuse this request`,
            explanation: f.parts,
            remedy:
              f.code === 'ERR_BINANCE_TIMESTAMP_SECONDS'
                ? 'Send timestamp in milliseconds (Date.now(), int(time.time() * 1000)) and sign that same string.'
                : 'Fix the parameter as described, sign again and send exactly the signed string.',
            signed: sentText,
            sent: sentText,
            confirmed: false,
          });
        }
        return finish(
          k,
          [
            ...rich`The signature holds (key ${k.label}) but Binance would refuse the request: `,
            ...refused.parts,
          ],
          k.label,
        );
      }
      for (const m of mistakes) diagnoses.push({ ...m, signed: text, sent: sentText, confirmed: true });
      const first = mistakes[0]!;
      findings.push(
        problem('signature', first.code, 'error', 'signature', [first.title, '. ', ...first.explanation]),
      );
      return finish(
        undefined,
        rich`The signature does not verify as Binance reads the request. Key ${k.label} made it; it verifies when: ${ours(first.title)}.`,
        k.label,
      );
    }
  }
  const n = imported.length;
  const m: Mistake = {
    code: 'ERR_BINANCE_SIGNATURE',
    title: `No trusted key verifies this signature (keybench tried ${tried} variants)`,
    explanation: [
      `None of the ${n} trusted key${n === 1 ? '' : 's'} verifies the signature over the payload as sent, nor over ${tried - 1} mistaken variants (timestamp units, parameter order, query/body concatenation, non-ASCII, signature encoding). Another private key signed it, or the signed bytes differ in a way keybench does not know.`,
    ],
    remedy:
      'Sign with the private key whose public key is registered in Binance API Management, and log the exact payload your code signs (query string ‖ body) to compare with what is sent.',
  };
  diagnoses.push({ ...m, sent: sentText, confirmed: false });
  findings.push(problem('signature', m.code, 'error', 'signature', m.explanation));
  return finish(undefined, [
    `The signature does not verify: none of the ${n} trusted key${n === 1 ? '' : 's'} made it over the payload as sent or any of ${tried - 1} mistaken variants.`,
  ]);
}
