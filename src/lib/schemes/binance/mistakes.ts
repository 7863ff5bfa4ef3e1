/**
 * The usual Binance signing mistakes, as data (issue 19): each names what a mistaken signer did to
 * the payload (query ‖ body) or to the signature, with a stable code, an explanation and a fix,
 * and gives the whole bytes that signer signed. The engine (engine/search.ts) tries them only after
 * the signature fails, and reports one only when WebCrypto confirms the signature over them.
 *
 * A mistake is a step applied to a draft of the payload: timestamp steps first, then encoding
 * steps, then how query and body are joined, then how the signature is read. Two steps of
 * different ranks combine into one mistake (a timestamp in seconds AND a body signed first), tried
 * after every single one, so the fewest mistakes that explain a signature are the ones reported.
 */
import type { ErrorCode } from '../../errors';
import type { Alternative, Mistake } from '../engine/types';
import { formDecode, joinSegments, valueOf, type Segment, type SigReadings } from './base';

/** What the mistakes look at: the parameters as sent (signature apart) and its readings. */
export interface BinanceCtx {
  q: readonly Segment[];
  b: readonly Segment[];
  /** The signature parameter as sent (still percent-encoded). */
  sigRaw: string;
  readings: SigReadings;
}

/** A payload as a mistaken signer may have had it, step by step. */
interface Draft {
  q: readonly Segment[];
  b: readonly Segment[];
  /** Set by a join step: the whole payload. */
  text?: string;
  /** Set by a signature step: which reading of `signature=` verifies. */
  variant?: keyof SigReadings;
  part: string[];
  signed: string[];
  sent: string[];
}

/** A Binance mistake: its words, and the step that makes what the mistaken signer signed. */
export interface BinanceMistake extends Mistake<BinanceCtx> {
  /** 1 timestamp, 2 encoding, 3 join, 4 signature reading: steps combine in this order. */
  rank: number;
  apply(d: Draft, ctx: BinanceCtx): Draft[];
}

const enc = new TextEncoder();

/** Short enough to read in a sentence. */
const clip = (s: string): string => (s.length > 120 ? `${s.slice(0, 117)}…` : s);

function finish(d: Draft): Alternative {
  const text = d.text ?? `${joinSegments(d.q)}${joinSegments(d.b)}`;
  return {
    part: d.part.join(' and '),
    signed: d.signed.join('; '),
    sent: d.sent.join('; '),
    bytes: enc.encode(text),
    ...(d.variant ? { variant: d.variant } : {}),
  };
}

function start(ctx: BinanceCtx): Draft {
  return { q: ctx.q, b: ctx.b, part: [], signed: [], sent: [] };
}

function step(d: Draft, change: Partial<Draft>, part: string, signed: string, sent: string): Draft {
  return {
    ...d,
    ...change,
    part: [...d.part, part],
    signed: [...d.signed, clip(signed)],
    sent: [...d.sent, clip(sent)],
  };
}

type Spec = Omit<BinanceMistake, 'alternatives'>;

/** A mistake from its step: its alternatives are the step applied to the payload as sent. */
function define(spec: Spec): BinanceMistake {
  return { ...spec, alternatives: (ctx) => spec.apply(start(ctx), ctx).map(finish) };
}

// ─── Timestamp (rank 1) ────────────────────────────────────────────────────────────────────────

const TS_REMEDY =
  'Take the timestamp once, in milliseconds (Date.now(), int(time.time() * 1000)), and use that same string in the signed payload and the request.';

/** The timestamp segment rewritten to `to(value)` when its value matches `from`. */
function timestampStep(from: RegExp, to: (v: string) => string) {
  return (d: Draft): Draft[] => {
    const ts = d.q.find((s) => s.name === 'timestamp') ?? d.b.find((s) => s.name === 'timestamp');
    const v = ts ? valueOf(ts) : '';
    if (!ts || !from.test(v)) return [];
    const value = to(v);
    const swap = (s: Segment): Segment =>
      s === ts ? { raw: `${s.raw.split('=')[0]}=${value}`, name: s.name } : s;
    return [step(d, { q: d.q.map(swap), b: d.b.map(swap) }, 'timestamp', value, v)];
  };
}

function tsExplanation(sentDigits: number, signedDigits: number): string {
  return `The timestamp was signed with ${signedDigits} digits but sent with ${sentDigits}: the code converts between seconds and milliseconds in one place only. Binance reads milliseconds (13 digits) or microseconds (16).`;
}

const TS_SENT_SECONDS = define({
  id: 'timestamp-sent-seconds',
  rank: 1,
  code: 'ERR_BINANCE_TIMESTAMP_SECONDS',
  title: 'Timestamp sent in seconds, signed in milliseconds',
  explanation: tsExplanation(10, 13),
  remedy: TS_REMEDY,
  apply: timestampStep(/^\d{10}$/, (v) => `${v}000`),
});

const TS_SIGNED_SECONDS = define({
  id: 'timestamp-signed-seconds',
  rank: 1,
  code: 'ERR_BINANCE_TIMESTAMP_SECONDS',
  title: 'Timestamp signed in seconds, sent in milliseconds',
  explanation: tsExplanation(13, 10),
  remedy: TS_REMEDY,
  apply: timestampStep(/^\d{13}$/, (v) => v.slice(0, 10)),
});

// ─── Encoding (rank 2) ─────────────────────────────────────────────────────────────────────────

/** Percent-encoded runs of non-ASCII UTF-8 turned back into text (what was signed by mistake). */
export function decodeNonAscii(raw: string): string {
  return raw.replace(/(?:%[89a-fA-F][0-9a-fA-F])+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** A segment with its name and value form-decoded (python-binance signs them so). */
function decodedSegment(s: Segment): Segment {
  const eq = s.raw.indexOf('=');
  const raw =
    eq < 0 ? formDecode(s.raw) : `${formDecode(s.raw.slice(0, eq))}=${formDecode(s.raw.slice(eq + 1))}`;
  return { raw, name: s.name };
}

/**
 * Every segment rewritten by `rewrite`, when one of them `changes` (checked segment by segment: no
 * join of a whole multi-megabyte payload); the first that changes is shown.
 */
function segmentStep(rewrite: (s: Segment) => Segment, changes: (s: Segment) => boolean) {
  return (d: Draft): Draft[] => {
    const first = [...d.q, ...d.b].find(changes);
    if (!first) return [];
    const q = d.q.map(rewrite);
    return [step(d, { q, b: d.b.map(rewrite) }, 'a parameter', rewrite(first).raw, first.raw)];
  };
}

const NON_ASCII = define({
  id: 'non-ascii-raw',
  rank: 2,
  code: 'ERR_BINANCE_NON_ASCII',
  title: 'Non-ASCII text signed without percent-encoding',
  explanation:
    'The request sends the non-ASCII characters percent-encoded, but the signature was made over the raw UTF-8 text. Binance signs and verifies the percent-encoded form.',
  remedy:
    'Percent-encode every parameter (urlencode / URLSearchParams-style, UTF-8) first, then sign exactly the encoded string you send.',
  apply: segmentStep(
    (s) => ({ raw: decodeNonAscii(s.raw), name: s.name }),
    (s) => s.raw.includes('%') && decodeNonAscii(s.raw) !== s.raw,
  ),
});

// python-binance (and Binance's own signature examples) join name=value with the values as they
// are, sign that, and let requests percent-encode what it sends: the payload signed is decoded.
const SIGNED_DECODED = define({
  id: 'signed-decoded',
  rank: 2,
  code: 'ERR_BINANCE_SIGNED_DECODED',
  title: 'Values signed as they are, sent percent-encoded',
  explanation:
    "The signature was made over the parameters with their values not percent-encoded (a space, ':', '@', '/', ',' … as they are), while the request sends them percent-encoded. python-binance does this: it joins name=value with the raw values, signs that, and lets requests encode what it sends. Binance verifies the percent-encoded bytes it receives (-1022).",
  remedy:
    'Percent-encode the parameters first (urllib.parse.urlencode(params) in Python), sign exactly that string, and send that same string as the query or body (not the dict, which requests encodes again).',
  // Only where it differs from the non-ASCII decoding, which NON_ASCII already tries.
  apply: segmentStep(decodedSegment, (s) => {
    if (!s.raw.includes('%') && !s.raw.includes('+')) return false;
    const r = decodedSegment(s).raw;
    return r !== s.raw && r !== decodeNonAscii(s.raw);
  }),
});

// ─── How query and body are joined (rank 3) ────────────────────────────────────────────────────

const CONCAT_REMEDY =
  'Sign query string ‖ body exactly as sent, with nothing between them (and nothing left out); or send every parameter in one place.';
const ORDER_REMEDY =
  'Build the parameter string once and sign exactly that string; do not sort or rebuild the parameters for the request after signing.';

/** How a join mistake makes the payload from the query Q and body B (null: no other payload here). */
type Make = (Q: string, B: string, d: Draft) => string | null;

/** A join mistake from its row in {@link JOINS}. */
function joinMistake([id, code, title, how, make]: readonly [string, ErrorCode, string, string, Make]) {
  const concat = code === 'ERR_BINANCE_CONCAT';
  return define({
    id,
    rank: 3,
    code,
    title,
    explanation: concat
      ? `The signature was made over ${how}. Binance signs the query string followed directly by the body, with no separator.`
      : `The signature was made over the same parameters in another order (${how}). Binance verifies the parameters in the order they are sent.`,
    remedy: concat ? CONCAT_REMEDY : ORDER_REMEDY,
    apply: (d) => {
      if (d.text !== undefined) return [];
      const text = make(joinSegments(d.q), joinSegments(d.b), d);
      return text === null ? [] : [step(d, { text }, 'the payload', how, 'query string ‖ body')];
    },
  });
}

/** Only when the request has both a query and a body. */
const both =
  (f: (Q: string, B: string) => string): Make =>
  (Q, B) =>
    Q && B ? f(Q, B) : null;

const sortedPayload: Make = (Q, B, d) => {
  const all = [...d.q, ...d.b];
  const sorted = joinSegments([...all].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)));
  return sorted !== joinSegments(all) && sorted !== `${Q}${B}` ? sorted : null;
};

/**
 * The payload with `timestamp` moved to the front or the end of all parameters: code that adds the
 * timestamp to a parameter map signs it first or last, and the HTTP client sends the map's order.
 */
const timestampMoved =
  (where: 'first' | 'last'): Make =>
  (Q, B, d) => {
    const all = [...d.q, ...d.b];
    const ts = all.find((s) => s.name === 'timestamp');
    if (!ts) return null;
    const rest = all.filter((s) => s !== ts);
    const moved = joinSegments(where === 'first' ? [ts, ...rest] : [...rest, ts]);
    return moved !== joinSegments(all) && moved !== `${Q}${B}` ? moved : null;
  };

const C = 'ERR_BINANCE_CONCAT';
const O = 'ERR_BINANCE_PARAM_ORDER';
/** id, code, title, what was signed instead, how it is made. */
const JOINS: BinanceMistake[] = (
  [
    [
      'concat-amp',
      C,
      'Query and body joined with & before signing',
      'query & body, with an & between them',
      both((Q, B) => `${Q}&${B}`),
    ],
    ['concat-body-first', C, 'Body signed before the query', 'body ‖ query', both((Q, B) => `${B}${Q}`)],
    [
      'concat-query-only',
      C,
      'Only the query string signed',
      'the query string alone, without the body',
      both((Q) => Q),
    ],
    [
      'concat-body-only',
      C,
      'Only the body signed',
      'the body alone, without the query string',
      both((_Q, B) => B),
    ],
    [
      'order-body-first',
      O,
      'Body parameters signed before the query parameters',
      'body parameters first',
      both((Q, B) => `${B}&${Q}`),
    ],
    [
      'order-timestamp-first',
      O,
      'Parameters signed with timestamp moved first',
      'timestamp moved first',
      timestampMoved('first'),
    ],
    [
      'order-timestamp-last',
      O,
      'Parameters signed with timestamp moved last',
      'timestamp moved last',
      timestampMoved('last'),
    ],
    ['order-sorted', O, 'Parameters signed in sorted order', 'sorted by name', sortedPayload],
  ] as const
).map(joinMistake);

// ─── How the signature is read (rank 4) ────────────────────────────────────────────────────────

function readingStep(variant: 'literal' | 'base64url', signed: (raw: string) => string) {
  return (d: Draft, ctx: BinanceCtx): Draft[] =>
    ctx.readings[variant]
      ? [step(d, { variant }, 'signature', signed(ctx.sigRaw), formDecode(ctx.sigRaw))]
      : [];
}

const NOT_ENCODED = define({
  id: 'signature-not-encoded',
  rank: 4,
  code: 'ERR_BINANCE_SIGNATURE_NOT_ENCODED',
  title: 'Signature sent without percent-encoding',
  explanation:
    'The signature is sent with a raw + in it. A + in a query string or form body decodes to a space on the server, so Binance reads another signature than the one made; it verifies only when the + is read as +.',
  remedy:
    'Percent-encode the base64 signature before appending it (encodeURIComponent in JavaScript, urllib.parse.quote(sig, safe="") or urlencode in Python, url.QueryEscape in Go): + becomes %2B, / %2F and = %3D.',
  apply: readingStep('literal', (raw) => formDecode(raw.replace(/\+/g, '%2B'))),
});

const BASE64URL = define({
  id: 'signature-base64url',
  rank: 4,
  code: 'ERR_BINANCE_BASE64URL',
  title: 'Signature encoded as base64url instead of base64',
  explanation:
    'The signature is base64url (- and _, often without = padding). Binance reads standard base64 (+ and /, with padding), so it decodes other bytes.',
  remedy:
    'Encode the signature with standard base64 and padding (Buffer.toString("base64"), base64.b64encode, base64.StdEncoding), then percent-encode it.',
  apply: readingStep('base64url', (raw) => formDecode(raw)),
});

/** Every single mistake, in the order they are tried. */
export const SINGLE_MISTAKES: readonly BinanceMistake[] = [
  TS_SENT_SECONDS,
  TS_SIGNED_SECONDS,
  NON_ASCII,
  SIGNED_DECODED,
  ...JOINS,
  NOT_ENCODED,
  BASE64URL,
];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Two mistakes made together, as one: `a`'s step, then `b`'s. Reported with `a`'s code. */
function combine(a: BinanceMistake, b: BinanceMistake): BinanceMistake {
  return define({
    id: `${a.id}+${b.id}`,
    rank: b.rank,
    code: a.code,
    title: `${a.title}, and ${lowerFirst(b.title)}`,
    explanation: `${a.explanation} And: ${b.explanation}`,
    remedy: `${a.remedy} ${b.remedy}`,
    apply: (d, ctx) => a.apply(d, ctx).flatMap((x) => b.apply(x, ctx)),
  });
}

/** Every pair of mistakes of different ranks, tried after the single ones. */
export const PAIRED_MISTAKES: readonly BinanceMistake[] = SINGLE_MISTAKES.flatMap((a) =>
  SINGLE_MISTAKES.filter((b) => a.rank < b.rank).map((b) => combine(a, b)),
);

/** What the engine searches, fewest mistakes first. */
export const BINANCE_MISTAKES: readonly BinanceMistake[] = [...SINGLE_MISTAKES, ...PAIRED_MISTAKES];
