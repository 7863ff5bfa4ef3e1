/**
 * Binance SIGNED endpoints: `signature` = HMAC-SHA256 (hex, the API secret), RSASSA-PKCS1-v1_5
 * SHA-256 or Ed25519 (base64, self-generated keys) over the query string ‖ form body as sent, with
 * nothing between them, sent percent-encoded as the last parameter; X-MBX-APIKEY names the key.
 * Binance reads a body only as a form, refuses a parameter sent twice (-1101) and a timestamp
 * (ms or µs) older than recvWindow (≤ 60000, default 5000) or 1 s ahead.
 *
 * Sources: binance-spot-api-docs rest-api.md "Request security", "SIGNED Endpoint Examples for POST
 * /api/v3/order", "Timing security", errors.md; binance-connector-python binance_common/utils.py
 * (parameters encoded as urllib.parse.urlencode does).
 */
import { KeybenchError, type ErrorCode } from '../../errors';
import { header, type ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import { together } from '../../scheme/mistakes';
import { defineScheme, type SchemeMistake } from '../../scheme/types';
import { ok, problem, type Finding } from '../../trust/finding';
import { field, keyField, methodField, text } from '../../scheme/fields';
import type { FormValues } from '../../scheme/contract';

type P = { query: string; body: string };
type Mistake = SchemeMistake<P>;

const MAX_WINDOW = 60000;
const input = (message: string) => new KeybenchError('ERR_PARTNER_INPUT', message);
/** Form decoding (`+` is a space); undefined for a broken `%` escape. */
function decode(t: string): string | undefined {
  try {
    return decodeURIComponent(t.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
const lenient = (t: string) => decode(t) ?? t;
const split = (t: string) => (t ? t.split('&') : []);
const nameOf = (seg: string) => lenient(seg.split('=', 1)[0]!);
const valueOf = (seg: string) => (seg.includes('=') ? seg.slice(seg.indexOf('=') + 1) : '');
const ADDED = /^(timestamp|recvWindow|signature)$/;

/** The query and body segments as sent, and the last `signature` taken out (the body's first). */
function sent(req: ParsedRequest) {
  const qi = req.url.indexOf('?');
  const all = { q: split(qi < 0 ? '' : req.url.slice(qi + 1).replace(/#.*$/s, '')), b: split(req.body) };
  const [q, b] = [[...all.q], [...all.b]];
  const list = [b, q].find((l) => l.some((s) => nameOf(s) === 'signature'));
  const sig = list?.splice(list.map(nameOf).lastIndexOf('signature'), 1)[0];
  return { all, q, b, sigRaw: sig === undefined ? undefined : valueOf(sig) };
}

/** One value as Python's urlencode writes it (the connector's encoder): space as +, `~` kept. */
function formEncode(text: string): string {
  // encodeURIComponent throws on a lone surrogate, which no UTF-8 can carry.
  if (/\p{Surrogate}/u.test(text)) throw input('A parameter is not valid Unicode (a lone surrogate).');
  const e = encodeURIComponent(text);
  return e.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

/**
 * A parameter box: one name=value a line (typed as is, or percent-encoded as sent with `encoded`),
 * or one query string a=1&b=2 (?a=1), already encoded. Never one parameter holding `&…`.
 */
function parseParams(text: string, what: string, encoded: boolean): [string, string][] {
  const lines = text
    .split('\n')
    .flatMap((l, i) => (l.trim() ? [[l.replace(/\r$/, ''), i + 1] as const] : []));
  const one = lines.length === 1 ? lines[0]![0].trim() : '';
  const query = !encoded && /^\?|&/.test(one);
  const items = query
    ? one
        .replace(/^\?/, '')
        .split('&')
        .map((p, i) => [p, i + 1] as const)
    : lines;
  return items.flatMap(([l, n]): [string, string][] => {
    const at = query ? `${what}, parameter ${n} of the query string` : `${what}, line ${n}`;
    const eq = l.indexOf('=');
    if (!l) return [];
    if (!query && !encoded && l.includes('&'))
      throw input(
        `${at} holds "&". Put each parameter on its own line, or paste the whole query string (a=1&b=2) alone on one line. A value with "&" in it: write it %26 in a query string.`,
      );
    if (eq <= 0) throw input(`${at}: write name=value (got "${l.slice(0, 40)}").`);
    if (!query && !encoded) return [[l.slice(0, eq).trim(), l.slice(eq + 1)]];
    const [name, value] = [decode(l.slice(0, eq).trim()), decode(l.slice(eq + 1))];
    if (name !== undefined && value !== undefined) return [[name, value]];
    throw input(
      query
        ? `${at}: "${l.slice(0, 40)}" has a broken % escape (write % itself as %25).`
        : `${at}: not valid percent-encoding (a % must be followed by two hex digits of UTF-8). Untick "percent-encoded" to type values as they are.`,
    );
  });
}

const STEPS = { days: 86_400_000, h: 3_600_000, min: 60_000 };
/** A duration in words (ms, s, min, h, days). */
function fmtMs(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(a)} ms`;
  const [unit, size] = Object.entries(STEPS).find(([, s]) => a >= 2 * s) ?? ['s', 1000];
  return `${(a / size).toFixed(1)} ${unit}`;
}

const REFUSED = 'Binance refuses it.';
const OLD = 'A request pasted from a log is expected to be old: this warning does not change the verdict.';
/** What each check says when it fails (text from the request kept apart). */
const SAY = {
  body: (why: string) =>
    rich`Binance does not read the parameters in this body: ${ours(why)}. To Binance they are missing (-1102), signature included. Send them in the query string, or as a form body with Content-Type: application/x-www-form-urlencoded.`,
  twice: (names: string[]) =>
    rich`${names.join(', ')} ${ours(names.length > 1 ? 'are' : 'is')} sent more than once. Binance refuses duplicate parameters (-1101), and keybench cannot say which value it would check. Send each parameter once.`,
  last: (name: string) =>
    rich`signature is not the last parameter (${name} comes after it). Binance takes the signature as the end of the query string or body and refuses it elsewhere (-1022). Append signature= last.`,
  raw: 'The signature is sent with a raw / or = in it. Servers decode these the same, but Binance documents it percent-encoded (%2F, %3D): encode it.',
  apiKey: `The request has no X-MBX-APIKEY header (or it is empty). ${REFUSED}`,
  window: (rw: string) =>
    rich`recvWindow is ${rw}: Binance takes milliseconds (up to three decimals), at most ${ours(String(MAX_WINDOW))}. ${ours(REFUSED)}`,
  noTime: `The request has no timestamp parameter. ${REFUSED}`,
  seconds: (ts: string) =>
    rich`timestamp is ${ts}: 10 digits, Unix seconds. Binance reads milliseconds (13 digits) or microseconds (16), so it sees a time in January 1970 and refuses the request.`,
  time: (ts: string) =>
    rich`timestamp is ${ts}: Binance reads Unix time in milliseconds (13 digits) or microseconds (16). ${ours(REFUSED)}`,
  ahead: (t: string) =>
    `timestamp (${t} ahead of this computer's clock; Binance refuses one 1 s or more ahead of its time. Check the signer's clock (NTP). ${OLD}`,
  stale: (t: string, w: number) =>
    `timestamp (${t} behind this computer's clock, more than recvWindow (${w} ms): sent now, Binance would refuse it. ${OLD}`,
  ascii:
    'The request sends non-ASCII characters raw. Binance wants every non-ASCII character percent-encoded (UTF-8) before signing and sending.',
};

/** Every check of the request that needs no key: how Binance reads it, then its values. */
function checks(req: ParsedRequest, nowMs: number): Finding[] {
  const { all, q, b, sigRaw } = sent(req);
  const out: Finding[] = [];
  const no = (check: string, label: string, code: ErrorCode, detail: string | Rich, warn = false) =>
    out.push(problem(check, code, warn ? 'warning' : 'error', label, detail));
  const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const form = type === 'application/x-www-form-urlencoded';
  const get = /^(GET|HEAD)$/.test(req.method);
  const why = get
    ? `it is the body of a ${req.method}, and Binance reads a GET's parameters from the query string only`
    : `its Content-Type is ${type || 'missing'}, and Binance reads a body only as a form`;
  if (req.body && (get || !form)) no('body-read', 'Body', 'ERR_BINANCE_BODY_NOT_READ', SAY.body(why));
  const seen = new Set<string>();
  const twice = [...new Set([...all.q, ...all.b].map(nameOf).filter((n) => seen.has(n) || !seen.add(n)))];
  if (twice.length) no('duplicates', 'Parameters', 'ERR_BINANCE_DUPLICATE_PARAM', SAY.twice(twice));
  const last = nameOf((all.b.length ? all.b : all.q).at(-1) ?? '');
  if (sigRaw !== undefined && last !== 'signature')
    no('signature-last', 'signature', 'ERR_BINANCE_SIGNATURE_NOT_LAST', SAY.last(last));
  if (/[/=]/.test(sigRaw ?? ''))
    no('signature-encoding', 'signature', 'ERR_BINANCE_SIGNATURE_NOT_ENCODED', SAY.raw, true);
  if (header(req, 'x-mbx-apikey')?.trim()) out.push(ok('header:x-mbx-apikey', 'X-MBX-APIKEY', 'Present.'));
  else no('header:x-mbx-apikey', 'X-MBX-APIKEY', 'ERR_REQUEST_MISSING_HEADER', SAY.apiKey);
  const param = (n: string) => [...q, ...b].find((x) => nameOf(x) === n);
  const [rw, ts] = [param('recvWindow'), param('timestamp')].map((s) => s && lenient(valueOf(s)));
  const n = /^\d+(\.\d{1,3})?$/.test(rw ?? '') ? Number(rw) : NaN;
  const window = n <= MAX_WINDOW ? n : 5000;
  if (rw !== undefined && window !== n)
    no('recvWindow', 'recvWindow', 'ERR_BINANCE_RECV_WINDOW', SAY.window(rw));
  const micro = ts?.length === 16;
  const behind = nowMs - Number(ts) / (micro ? 1000 : 1);
  const at = `${micro ? 'microseconds' : 'milliseconds'}) is ${fmtMs(behind)}`;
  if (ts === undefined) no('timestamp', 'timestamp', 'ERR_BINANCE_TIMESTAMP', SAY.noTime);
  else if (/^\d{10}$/.test(ts))
    no('timestamp', 'timestamp', 'ERR_BINANCE_TIMESTAMP_SECONDS', SAY.seconds(ts));
  else if (!/^\d{13}$|^\d{16}$/.test(ts)) no('timestamp', 'timestamp', 'ERR_BINANCE_TIMESTAMP', SAY.time(ts));
  else if (behind <= -1000) no('clock', 'timestamp', 'ERR_BINANCE_TIMESTAMP_AHEAD', SAY.ahead(at), true);
  else if (behind > window)
    no('clock', 'timestamp', 'ERR_BINANCE_STALE_TIMESTAMP', SAY.stale(at, window), true);
  else out.push(ok('clock', 'timestamp', `timestamp (${at} old: within recvWindow (${window} ms).`));
  if (/[^\p{ASCII}]/u.test(`${q.join('&')}${b.join('&')}`))
    no('non-ascii', 'Parameters', 'ERR_BINANCE_NON_ASCII', SAY.ascii);
  return out;
}

/** What a variant shows: the part that differs, as signed and as sent. */
const shown = (part: string, signed: string, sent: string) => ({ part, signed, sent });
/** A mistake from its words and variants. */
const mistake = (
  code: ErrorCode,
  title: string,
  explanation: string,
  remedy: string,
  variants: Mistake['variants'],
): Mistake => ({ code, title, explanation, remedy, variants });

/** Every segment rewritten by `f`, when one `changes` (the first that changes is shown). */
const rewrite = (f: (s: string) => string, changes: (s: string) => boolean): Mistake['variants'] =>
  function* (p) {
    const first = [...split(p.query), ...split(p.body)].find(changes);
    const all = (t: string) => split(t).map(f).join('&');
    if (first)
      yield { parts: { query: all(p.query), body: all(p.body) }, ...shown('a parameter', f(first), first) };
  };
/** Percent-encoded runs of non-ASCII UTF-8 turned back into text. */
const rawNonAscii = (s: string) => s.replace(/(?:%[89a-fA-F][0-9a-fA-F])+/g, lenient);
/** A segment with its name and value form-decoded (python-binance signs them so). */
const decodedSeg = (s: string) => (s.includes('=') ? `${nameOf(s)}=${lenient(valueOf(s))}` : lenient(s));

const TIMESTAMP = mistake(
  'ERR_BINANCE_TIMESTAMP_SECONDS',
  'Timestamp signed in seconds or milliseconds, sent in the other',
  'The timestamp was signed with 10 digits and sent with 13, or the reverse: the code converts between seconds and milliseconds in one place only. Binance reads milliseconds (13 digits) or microseconds (16).',
  'Take the timestamp once, in milliseconds (Date.now(), int(time.time() * 1000)), and use that same string in the signed payload and the request.',
  function* (p) {
    const k = split(p.query).some((s) => nameOf(s) === 'timestamp') ? 'query' : 'body';
    const list = split(p[k]);
    const i = list.findIndex((s) => nameOf(s) === 'timestamp');
    const v = i < 0 ? '' : valueOf(list[i]!);
    const to = /^\d{13}$/.test(v) ? v.slice(0, 10) : /^\d{10}$/.test(v) ? `${v}000` : '';
    if (!to) return;
    list[i] = `${list[i]!.split('=', 1)[0]}=${to}`;
    yield { parts: { [k]: list.join('&') }, ...shown('timestamp', to, v) };
  },
);

const NON_ASCII = mistake(
  'ERR_BINANCE_NON_ASCII',
  'Non-ASCII text signed without percent-encoding',
  'The request sends the non-ASCII characters percent-encoded, but the signature was made over the raw UTF-8 text. Binance signs and verifies the percent-encoded form.',
  'Percent-encode every parameter (urlencode / URLSearchParams-style, UTF-8) first, then sign exactly the encoded string you send.',
  rewrite(rawNonAscii, (s) => s.includes('%') && rawNonAscii(s) !== s),
);

// python-binance joins name=value with the raw values, signs that, and lets requests encode what it sends.
const DECODED = mistake(
  'ERR_BINANCE_SIGNED_DECODED',
  'Values signed as they are, sent percent-encoded',
  "The signature was made over the parameters with their values not percent-encoded (a space, ':', '@', '/', ',' … as they are), while the request sends them percent-encoded. python-binance does this: it joins name=value with the raw values, signs that, and lets requests encode what it sends. Binance verifies the percent-encoded bytes it receives (-1022).",
  'Percent-encode the parameters first (urllib.parse.urlencode(params) in Python), sign exactly that string, and send that same string as the query or body (not the dict, which requests encodes again).',
  rewrite(decodedSeg, (s) => /[%+]/.test(s) && decodedSeg(s) !== s && decodedSeg(s) !== rawNonAscii(s)),
);

/** A mistake in how query and body are joined (0) or ordered (1): the payload signed instead ('': none). */
function join(
  order: 0 | 1,
  title: string,
  how: string,
  make: (q: string, b: string, all: string[]) => string,
) {
  const explanation = order
    ? `The signature was made over the same parameters in another order (${how}). Binance verifies the parameters in the order they are sent.`
    : `The signature was made over ${how}. Binance signs the query string followed directly by the body, with no separator.`;
  const remedy = order
    ? 'Build the parameter string once and sign exactly that string; do not sort or rebuild the parameters for the request after signing.'
    : 'Sign query string ‖ body exactly as sent, with nothing between them (and nothing left out); or send every parameter in one place.';
  const code = order ? 'ERR_BINANCE_PARAM_ORDER' : 'ERR_BINANCE_CONCAT';
  return mistake(code, title, explanation, remedy, function* (p) {
    const all = [...split(p.query), ...split(p.body)];
    const text = make(p.query, p.body, all);
    if (text && text !== `${p.query}${p.body}` && !(order && text === all.join('&')))
      yield { parts: { query: text, body: '' }, ...shown('the payload', how, 'query string ‖ body') };
  });
}
/** Parameters in another order: `timestamp` moved first or last (a map the client sends in its order). */
const moved = (first: boolean) => (_q: string, _b: string, all: string[]) => {
  const ts = all.find((s) => nameOf(s) === 'timestamp');
  const rest = all.filter((s) => s !== ts);
  return ts === undefined ? '' : (first ? [ts, ...rest] : [...rest, ts]).join('&');
};
/** Parameters sorted by name (each name decoded once: a body may hold hundreds of thousands). */
const sorted = (_q: string, _b: string, all: string[]) =>
  all
    .map((s) => [nameOf(s), s] as const)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([, s]) => s)
    .join('&');
// Those of query and body only when the request has both.
const JOINS = [
  join(0, 'Query and body joined with & before signing', 'query & body', (q, b) => q && b && `${q}&${b}`),
  join(0, 'Body signed before the query', 'body ‖ query', (q, b) => q && b && `${b}${q}`),
  join(0, 'Only the query string signed', 'the query string alone', (q, b) => b && q),
  join(0, 'Only the body signed', 'the body alone', (q, b) => q && b),
  join(
    1,
    'Body parameters signed before the query parameters',
    'body first',
    (q, b) => q && b && `${b}&${q}`,
  ),
  join(1, 'Parameters signed with timestamp moved first', 'timestamp moved first', moved(true)),
  join(1, 'Parameters signed with timestamp moved last', 'timestamp moved last', moved(false)),
  join(1, 'Parameters signed in sorted order', 'sorted by name', sorted),
];

// A raw + in a query or form body reads as a space: the signature Binance decodes is another.
const NOT_ENCODED: Mistake = {
  ...mistake(
    'ERR_BINANCE_SIGNATURE_NOT_ENCODED',
    'Signature sent without percent-encoding',
    'The signature is sent with a raw + in it. A + in a query string or form body decodes to a space on the server, so Binance reads another signature than the one made; it verifies only when the + is read as +.',
    'Percent-encode the base64 signature before appending it (encodeURIComponent in JavaScript, urllib.parse.quote(sig, safe="") or urlencode in Python, url.QueryEscape in Go): + becomes %2B, / %2F and = %3D.',
    function* (_p, req) {
      const raw = sent(req).sigRaw ?? '';
      const literal = lenient(raw.replace(/\+/g, '%2B'));
      if (raw.includes('+')) yield { signature: literal, ...shown('signature', literal, lenient(raw)) };
    },
  ),
  sentAs(req) {
    const raw = sent(req).sigRaw ?? '';
    const text = lenient(raw);
    // The signature ends the request: written as it is, its + unencoded.
    const swap = (t: string) => (t.endsWith(`signature=${raw}`) ? `${t.slice(0, -raw.length)}${text}` : t);
    return text.includes('+') ? { ...req, url: swap(req.url), body: swap(req.body) } : undefined;
  },
};

const BASE64URL = mistake(
  'ERR_BINANCE_BASE64URL',
  'Signature encoded as base64url instead of base64',
  'The signature is base64url (- and _, often without = padding). Binance reads standard base64 (+ and /, with padding), so it decodes other bytes.',
  'Encode the signature with standard base64 and padding (Buffer.toString("base64"), base64.b64encode, base64.StdEncoding), then percent-encode it.',
  function* () {
    yield { encoding: 'base64url', ...shown('signature', 'base64url', 'base64') };
  },
);

/** The single mistakes by rank (timestamp, encoding, join, signature): two of different ranks make a pair. */
const RANKS: Mistake[][] = [[TIMESTAMP], [NON_ASCII, DECODED], JOINS, [NOT_ENCODED, BASE64URL]];
const later = (i: number) => RANKS.slice(i + 1).flat();
const PAIRS = RANKS.flatMap((a, i) => a.flatMap((x) => later(i).map((y) => together(x, y))));

/** What the Sign form asks to change. */
const ASK = {
  url: 'The URL must be the endpoint without a query (https://api.binance.com/api/v3/order): keybench adds the parameters.',
  reserved: 'keybench adds timestamp, recvWindow and signature itself.',
  window: `recvWindow must be a number of milliseconds more than 0 and at most ${MAX_WINDOW} (Binance's maximum).`,
};
const UNITS = ['ms (milliseconds, 13 digits)', 'µs (microseconds, 16 digits)'];
const HELP = {
  method: 'The HTTP method sent.',
  key: 'An Ed25519 or RSA key pair registered with Binance, or the API secret (HMAC-SHA256).',
  url: 'The endpoint without a query: keybench adds the parameters.',
  query: 'One name=value a line (keybench encodes it), or a query string a=1&b=2 on one line.',
  body: 'As the query parameters. timestamp, recvWindow and signature go in the body if any, else the query.',
  unit: 'The timestamp is taken when you sign: send the request within the window.',
  recvWindow: `Milliseconds, at most ${MAX_WINDOW}; leave empty to omit it (Binance then uses 5000).`,
};
const ENCODED =
  'Lines are percent-encoded, as sent (note=a%0Ab): keybench decodes each, then encodes it its way';
const BODY = 'side=BUY\ntype=LIMIT\ntimeInForce=GTC\nquantity=1\nprice=0.2';
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';

export default defineScheme<P>({
  id: 'binance',
  name: 'Binance SIGNED endpoints (HMAC-SHA256, RSA or Ed25519 over the query string and body)',
  partner: 'binance',
  recognisedBy: 'X-MBX-APIKEY with a signature= parameter',
  source: 'binance-spot-api-docs, rest-api "Request security"; Binance connectors\' signature.py',
  // Below Qredo's x-sign (4), above QI Tech's AUTHORIZATION (2) and RFC 9421 (1).
  recognise: (req) =>
    header(req, 'x-mbx-apikey') !== undefined && /(?:^|[?&])signature=/.test(`${req.url}&${req.body}`)
      ? 3
      : 0,
  signedHeaders: ['x-mbx-apikey', 'content-type'],
  // RSA first: the padding an RSA key that signed with the other one should have used.
  algorithms: ['RS256', 'EdDSA', 'HS256'],
  encoding: 'base64',
  encodingOf: { HS256: 'hex' },
  // The key box may hold the Ed25519 or RSA public key, or the API secret (HMAC-SHA256).
  keyHint: 'HS256',
  read(req) {
    const s = sent(req);
    // Whitespace is no base64: kept encoded, so it is not trimmed into a signature Binance never reads.
    const signature = lenient(s.sigRaw ?? '').replace(/\s/g, '%20');
    return { signature, parts: { query: s.q.join('&'), body: s.b.join('&') } };
  },
  base: (p) => [{ label: 'query string ‖ body', text: `${p.query}${p.body}` }],
  baseWords: 'the query string ‖ body',
  checks: (_p, req, nowMs) => checks(req, nowMs),
  mistakes: RANKS.flat(),
  pairs: PAIRS,
  codes: {
    noSignature: 'ERR_BINANCE_NO_SIGNATURE',
    unreadable: 'ERR_BINANCE_SIGNATURE',
    differ: 'ERR_BINANCE_SIGNATURE',
    otherBytes: 'ERR_BINANCE_OTHER_BYTES',
    otherKey: 'ERR_BINANCE_OTHER_KEY',
    padding: 'ERR_BINANCE_RSA_PSS',
  },
  signer: {
    fields: [
      keyField(HELP.key),
      methodField(['GET', 'POST', 'DELETE'], HELP.method, 'POST'),
      field('url', 'URL', 'text', HELP.url, {
        default: 'https://api.binance.com/api/v3/order',
        remember: true,
      }),
      field('query', 'Query parameters', 'textarea', HELP.query, { default: 'symbol=BTCUSDT' }),
      field('body', 'Body parameters', 'textarea', HELP.body, {
        default: BODY,
        when: (v: FormValues) => v['method'] !== 'GET',
      }),
      field('encoded', ENCODED, 'checkbox', 'How a value holding a line break or & fits on one line.', {
        default: false,
      }),
      field('apiKey', 'API key', 'text', 'Sent as X-MBX-APIKEY (it is not signed).'),
      field('unit', 'Timestamp unit', 'choice', HELP.unit, { default: UNITS[0]!, options: UNITS }),
      field('recvWindow', 'recvWindow', 'integer', HELP.recvWindow, { default: 5000 }),
    ],
    parts(values, nowMs) {
      const method = text(values['method']).toUpperCase() || 'POST';
      if (!/^https?:\/\/[^?#]+$/.test(text(values['url']).trim())) throw input(ASK.url);
      const encoded = values['encoded'] === true;
      const params = parseParams(text(values['query']), 'Query parameters', encoded);
      const bodyParams =
        method === 'GET' ? [] : parseParams(text(values['body']), 'Body parameters', encoded);
      const reserved = [...params, ...bodyParams].find(([k]) => ADDED.test(k));
      if (reserved) throw input(`Leave out ${reserved[0]}: ${ASK.reserved}`);
      const rw = ['', undefined].includes(values['recvWindow'] as string)
        ? null
        : Number(values['recvWindow']);
      if (rw !== null && !(rw > 0 && rw <= MAX_WINDOW)) throw input(ASK.window);
      const ts = text(values['unit']).startsWith('µs') ? Math.floor(nowMs * 1000) : Math.floor(nowMs);
      const added = [
        ['timestamp', String(ts)],
        ...(rw === null ? [] : [['recvWindow', String(Math.round(rw * 1000) / 1000)]]),
      ];
      const enc = (l: string[][]) => l.map(([k, v]) => `${formEncode(k!)}=${formEncode(v!)}`).join('&');
      // No body parameters: everything in the query, as Binance's curl examples send it.
      return bodyParams.length
        ? { query: enc(params), body: enc([...bodyParams, ...added]) }
        : { query: enc([...params, ...added]), body: '' };
    },
    request(p, signature, values) {
      const sig = `signature=${encodeURIComponent(signature)}`;
      const query = p.body ? p.query : `${p.query}&${sig}`;
      const url = text(values['url']).trim();
      // Binance reads a body only as a form.
      const form: [string, string][] = p.body ? [['Content-Type', 'application/x-www-form-urlencoded']] : [];
      return {
        method: text(values['method']).toUpperCase() || 'POST',
        url: query ? `${url}?${query}` : url,
        headers: [['X-MBX-APIKEY', text(values['apiKey']).trim()], ...form],
        body: p.body ? `${p.body}&${sig}` : '',
      };
    },
    // What the user typed, one name=value a line; encoded as sent when a value holds a line break or &.
    values(p, req) {
      const keep = (t: string) => split(t).filter((s) => s && !ADDED.test(nameOf(s)));
      const [q, b] = [keep(p.query), keep(p.body)];
      const encoded = [...q, ...b].some((s) => /[\r\n&]|^\?/.test(lenient(s)));
      const lines = (l: string[]) => (encoded ? l : l.map(lenient)).join('\n');
      const method = /^(GET|DELETE)$/i.test(req.method) ? req.method.toUpperCase() : 'POST';
      const apiKey = header(req, 'x-mbx-apikey')?.trim();
      const url = req.url.split('?', 1)[0]!;
      return { method, url, query: lines(q), body: lines(b), encoded, ...(apiKey ? { apiKey } : {}) };
    },
    examples: [{ apiKey: API_KEY }, { apiKey: API_KEY, query: 'symbol=BTCUSDT\nnote=café au lait:1' }],
    shown: ['X-MBX-APIKEY'],
  },
});
