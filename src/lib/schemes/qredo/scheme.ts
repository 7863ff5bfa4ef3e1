/**
 * Qredo Partner API: `x-sign` = base64url without padding of RSASSA-PKCS1-v1_5 SHA-256 over
 * value ‖ full URL ‖ body, where the value is x-timestamp (Unix seconds) or else x-nonce, the URL is
 * the one requested (scheme, host, path, query) and the body the bytes sent; nothing between them.
 *
 * Sources: Qredo Partner API docs, "Sign requests"; qredo-partner-api-client (sign.go, sign.js).
 */
import { field, keyField, methodField, text } from '../../scheme/fields';
import { base64urlToBytes, bytesToBase64url } from '../../encoding/base64url';
import { decodeAs } from '../../crypto/encoding';
import { KeybenchError, type ErrorCode } from '../../errors';
import { pythonJsonDumps } from '../../partners/body-bytes';
import { header } from '../../request/types';
import { rich } from '../../rich';
import { ok, problem, type Finding } from '../../trust/finding';
import { signedAs, twoOf } from '../../scheme/mistakes';
import { defineScheme, type MistakeWords, type SchemeMistake } from '../../scheme/types';
import type { FormValues } from '../../scheme/contract';

type QredoParts = {
  /** Which header the value came from: x-timestamp or x-nonce. */
  valueHeader: string;
  value: string;
  url: string;
  body: string;
  /** What a mistaken signer put before the value, between value and URL, and between the parts. */
  lead: string;
  mid: string;
  sep: string;
  method: string;
};
type M = SchemeMistake<QredoParts>;
/** Nothing before the value, between value and URL, or between the parts: the message as specified. */
const AS_SPECIFIED = { lead: '', mid: '', sep: '' };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Qredo's sandbox ("play") base URL, where the form starts. */
const PLAY = 'https://play-api.qredo.network/api/v1/p';

/** What `f` returns, or null where it throws (a URL or a body that does not parse). */
const tryOr = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};
/** A header Qredo needs is missing: what it answers. */
const MISSING = (what: string) =>
  `The request has ${what} (or it is empty). Qredo answers 401 {"code":401,"msg":"errPartnerAuth"} to a request without it.`;
const ENCODING =
  'x-sign is not base64url without padding: Qredo reads base64url without padding (342 characters for RSA-2048), so it cannot read it. Encode the signature with Buffer.toString("base64url") in Node, base64.RawURLEncoding in Go.';
const UNITS = ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'] as const;
/** The unit a Unix time's digits say (0: seconds … 3: nanoseconds), or -1. */
const unitOf = (v: string) => (/^\d{9,20}$/.test(v) ? Math.floor((v.length - 9) / 3) : -1);
/** x-sign in hex (an RSA signature is 64 bytes or more; base64url of one is never all hex digits). */
const HEX = /^(?:[0-9a-f]{2}){64,}$/i;
/** How far x-timestamp may be from now before keybench warns (Qredo does not publish its window). */
const SKEW_MS = 5 * 60 * 1000;
/** x-sign as Qredo reads it: the base64url alphabet, no padding. */
const B64URL = /^[A-Za-z0-9_-]+$/;
type Level = 'info' | 'warning' | 'error';

/** Decode an `apikey` file's text to find its `key_id`, or say why it does not look like one. */
export function inspectQredoApiKey(apiKey: string): { keyId?: string; warning?: string } {
  const t = apiKey.trim();
  if (!t) return { warning: 'No API key yet: x-api-key will be empty.' };
  const url = t.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const text = tryOr(() => new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(url)));
  const keyId: unknown = tryOr(() => JSON.parse(text ?? '').key_id);
  if (typeof keyId === 'string') return { keyId };
  return {
    warning:
      'This does not look like a Qredo API key (the Base64 text of the apikey file, which decodes to JSON with key_id). Check that you copied it whole.',
  };
}

/** The note for a body ending in CRLF, which Qredo's interactive client signs ending in LF. */
export function qredoBodyWarnings(body: string): string[] {
  return body.endsWith('\r\n')
    ? [
        "The body ends in \\r\\n. Qredo's interactive signing client turns that into \\n before signing, so its x-sign differs from keybench's for the same text; its file mode and keybench sign the bytes as they are. Send exactly the bytes that were signed.",
      ]
    : [];
}

/** The body exactly as signed and sent: none for GET; a text box cannot hold \r, so CRLF is a choice. */
export function qredoBodyBytes(values: FormValues): string {
  if (values['method'] === 'GET') return '';
  const body = text(values['body']);
  return values['crlf'] === true ? `${body.replace(/\n$/, '')}\r\n` : body;
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?/;
/** The URLs a mistaken signer signed, from the pieces of the one sent (scheme, host, path, query). */
const urls =
  (...f: ((s: string, h: string, p: string, q: string) => string | null)[]) =>
  (p: QredoParts) => {
    const m = URL_RE.exec(p.url);
    return m ? f.map((g) => g(m[1]!, m[2]!, m[3]!, m[4] ?? '')) : [];
  };
/** The x-timestamp's digits in the other units (finer units first cut to seconds). */
const units = (p: QredoParts) => {
  const u = p.valueHeader === 'x-timestamp' ? unitOf(p.value) : -1;
  const s = u > 0 ? p.value.slice(0, -3 * u) : p.value;
  return u < 0 ? [] : [0, 1, 2, 3].filter((w) => w !== u).map((w) => s + '000'.repeat(w));
};
const seconds = (p: QredoParts) => p.valueHeader === 'x-timestamp' && unitOf(p.value) === 0;
/** The JSON body in the layouts signers use (2 and 4 spaces, Python's, compact), or none. */
const layouts = (b: string): string[] => {
  const json = tryOr(() => JSON.stringify(JSON.parse(b)));
  if (json === null) return [];
  const v: unknown = JSON.parse(json);
  return [
    JSON.stringify(v, null, 2),
    JSON.stringify(v, null, 4),
    tryOr(() => pythonJsonDumps(b)) ?? '',
    json,
  ];
};

/** Each mistake's words: its title, what happened, and the fix. */
const W = (code: MistakeWords['code'], title: string, explanation: string, remedy: string) => ({
  code,
  title,
  explanation,
  remedy,
});
const UNIT = W(
  'ERR_QREDO_TIMESTAMP_UNIT',
  'Timestamp signed in another unit than x-timestamp',
  'The signed message starts with the time in another unit than x-timestamp; Qredo rebuilds the message from x-timestamp, so the bytes differ.',
  'Compute the timestamp once as Unix time in seconds (Math.floor(Date.now() / 1000), time.Now().Unix(), int(time.time())), sign that string, and send the same string in x-timestamp.',
);
const BODY_FIX =
  'Serialise the body once, sign those exact bytes, and send the same bytes (do not let the HTTP client re-serialise it).';
const FULL_URL =
  'Qredo signs the full URL as sent (https://host/path?query), not the path: sign the same string the HTTP client requests.';

/** How the signature was made: RSA-PSS, or another hash than SHA-256. */
const HOW: M[] = [
  {
    ...W(
      'ERR_QREDO_PSS',
      'Signed with RSA-PSS instead of PKCS#1 v1.5',
      'The key made this signature with RSASSA-PSS; Qredo verifies RSASSA-PKCS1-v1_5 with SHA-256, which PSS signatures never pass.',
      'Use PKCS#1 v1.5 padding: the default of crypto.sign in Node, rsa.SignPKCS1v15 in Go, padding.PKCS1v15() in Python.',
    ),
    *variants() {
      // The digest's salt, then the largest for RSA-2048 and RSA-4096 (PSS.MAX_LENGTH).
      for (const saltLength of [32, 222, 478])
        yield { alg: 'PS256', saltLength, part: 'padding', signed: 'RSA-PSS', sent: 'PKCS#1 v1.5' };
    },
  },
  {
    ...W(
      'ERR_QREDO_HASH',
      'Signed with another hash than SHA-256',
      'The key made this PKCS#1 v1.5 signature over a SHA-384 or SHA-512 digest; Qredo verifies SHA-256.',
      'Hash with SHA-256, and do not pre-hash the message yourself.',
    ),
    *variants() {
      for (const alg of ['RS512', 'RS384'] as const) yield { alg, part: 'hash', signed: alg, sent: 'RS256' };
    },
  },
];

const TIMESTAMP: M[] = [
  signedAs(
    UNIT,
    'value',
    units,
    (p, s) => `Timestamp signed in ${UNITS[unitOf(s)]}, sent in ${UNITS[unitOf(p.value)]}`,
  ),
];

const URL_MISTAKES: M[] = [
  signedAs(
    W(
      'ERR_QREDO_URL_NO_QUERY',
      'URL signed without its query string',
      'The query string was left out of the signed message, but it is sent.',
      'Sign the full URL exactly as sent, query string included.',
    ),
    'url',
    urls((s, h, p, q) => (q ? s + h + p : null)),
  ),
  signedAs(
    W(
      'ERR_QREDO_URL_PATH_ONLY',
      'Path signed instead of the full URL',
      'The signed message holds the path (or lacks the scheme) where Qredo expects the full URL.',
      FULL_URL,
    ),
    'url',
    urls(
      (_s, _h, p, q) => (p || '/') + q,
      (_s, _h, p, q) => (q ? p || '/' : null),
      (_s, h, p, q) => h + p + q,
    ),
  ),
  signedAs(
    W(
      'ERR_QREDO_URL_TRAILING_SLASH',
      'URL signed with or without a trailing slash, unlike the one sent',
      'One slash at the end of the path changes the signed bytes.',
      'Use one URL string for both signing and sending; watch for a base URL ending in "/" joined to a path starting with "/".',
    ),
    'url',
    urls((s, h, p, q) =>
      p.length > 1 && p.endsWith('/') ? s + h + p.slice(0, -1) + q : `${s}${h}${p}/${q}`,
    ),
  ),
  signedAs(
    W(
      'ERR_QREDO_URL_ENCODING',
      'URL signed with other percent-encoding',
      'The signed URL and the URL sent name the same resource but are different bytes.',
      'Sign the URL string exactly as the HTTP client sends it, after it has been encoded.',
    ),
    'url',
    (p) => [
      tryOr(() => decodeURI(p.url)),
      tryOr(() => encodeURI(decodeURI(p.url))),
      p.url.replace(/%[0-9a-f]{2}/gi, (m) => m.toLowerCase()),
      p.url.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase()),
      p.url.replace(/\?.*/s, (q) => q.replace(/\+/g, '%20')),
      p.url.replace(/\?.*/s, (q) => q.replace(/%20/g, '+')),
      tryOr(() => new URL(p.url).href),
    ],
  ),
];

const BODY: M[] = [
  signedAs(
    W(
      'ERR_QREDO_BODY_LINE_ENDINGS',
      'Body signed with other line endings than sent',
      'The signed body has LF line endings where the body sent has CRLF, or the reverse (Qredo’s interactive client turns a final \\r\\n into \\n).',
      'Sign the body bytes exactly as sent: read files in binary mode, and let no editor, git (autocrlf) or tool convert line endings.',
    ),
    'body',
    (p) => [p.body.replace(/\r\n$/, '\n'), p.body.replace(/\r\n/g, '\n'), p.body.replace(/\r?\n/g, '\r\n')],
  ),
  signedAs(
    W(
      'ERR_QREDO_BODY_TRAILING_NEWLINE',
      'Body signed with or without a trailing newline, unlike the one sent',
      'A newline at the end of the body was signed but not sent, or sent but not signed (curl -d drops it, files keep it).',
      'Sign and send one and the same byte string.',
    ),
    'body',
    (p) => (p.body ? [p.body.replace(/\r?\n$/, ''), `${p.body}\n`, `${p.body}\r\n`] : []),
  ),
  signedAs(
    W(
      'ERR_QREDO_BODY_BOM',
      'Body signed with or without a byte-order mark, unlike the one sent',
      'A UTF-8 byte-order mark (EF BB BF) starts one of the signed and the sent body, not the other.',
      'Save the body as UTF-8 without BOM (or strip U+FEFF) before signing and sending.',
    ),
    'body',
    (p) => (p.body ? [p.body.replace(/^\uFEFF/, ''), `\uFEFF${p.body}`] : []),
  ),
  signedAs(
    W(
      'ERR_QREDO_BODY_PRETTY',
      'Body signed pretty-printed, sent in another layout',
      'The signature covers the JSON body pretty-printed (or with Python’s spacing), but another layout of it is sent. Same JSON, different bytes.',
      BODY_FIX,
    ),
    'body',
    (p) => layouts(p.body).slice(0, 3),
  ),
  signedAs(
    W(
      'ERR_QREDO_BODY_COMPACT',
      'Body signed compact, sent in another layout',
      'The signature covers the JSON body compact (JSON.stringify), but another layout of it is sent. Same JSON, different bytes.',
      BODY_FIX,
    ),
    'body',
    (p) => layouts(p.body).slice(3),
  ),
  signedAs(
    W(
      'ERR_QREDO_BODY_EMPTY',
      'Empty body signed, body sent (or {} signed, none sent)',
      'The signature covers no body while one is sent, or the body {} while none is sent.',
      'Sign exactly the bytes you send.',
    ),
    'body',
    (p) => [p.body ? '' : '{}'],
  ),
];

const SEPS = ['\n', ' ', '|', ':', '.', ','];
const SEPARATORS = W(
  'ERR_QREDO_MESSAGE_SEPARATORS',
  'Parts of the message joined with a separator',
  "The signed message puts a separator (a newline, a space, a delimiter) between its parts; Qredo's message is value ‖ URL ‖ body with nothing between them.",
  'Concatenate the value, the full URL and the body with no separator before signing.',
);
const METHOD = W(
  'ERR_QREDO_MESSAGE_METHOD',
  'HTTP method signed in the message',
  "The signed message holds the HTTP method; Qredo's message has no method: value ‖ URL ‖ body only.",
  "Remove the method from the signed message (a scheme copied from another exchange's API often puts it there).",
);
/** The method signed first or after the value (with or without separators), or separators alone. */
const LAYOUT: M[] = [
  {
    ...METHOD,
    *variants(p) {
      for (const sep of ['', ...SEPS])
        for (const m of new Set([p.method.toUpperCase(), p.method]))
          for (const at of ['lead', 'mid'] as const)
            yield {
              parts: { [at]: m + sep, sep },
              part: at === 'lead' ? 'the start' : 'after the value',
              signed: m,
              sent: '(nothing)',
              ...(sep ? { mistakes: [METHOD, SEPARATORS] } : {}),
            };
    },
  },
  signedAs(SEPARATORS, 'sep', () => SEPS),
];

/** Signed at another second than x-timestamp (the clock read twice), up to 300 s either way. */
const DIFFERS = signedAs<QredoParts>(
  W(
    'ERR_QREDO_TIMESTAMP_DIFFERS',
    'Signed timestamp differs from x-timestamp',
    'The message was signed with another timestamp than the x-timestamp sent: the clock was read twice.',
    'Read the clock once: sign the timestamp and send that same string in x-timestamp.',
  ),
  'value',
  function* (p) {
    if (seconds(p)) for (let d = 1; d <= 300; d++) yield* [-d, d].map((x) => String(Number(p.value) + x));
  },
  (p, s) =>
    `Signed timestamp differs from x-timestamp by ${s > p.value ? '+' : ''}${Number(s) - Number(p.value)} s`,
);
/** Milliseconds with any sub-second digits, sent in seconds: tried last (999 guesses). */
const MILLIS = signedAs<QredoParts>(
  { ...UNIT, title: 'Timestamp signed in milliseconds, sent in seconds' },
  'value',
  function* (p) {
    if (seconds(p)) for (let i = 1; i < 1000; i++) yield `${p.value}${String(i).padStart(3, '0')}`;
  },
);

export default defineScheme<QredoParts>({
  id: 'qredo',
  // As the Sign tab names it: the partner's name, as Bybit's is.
  name: 'Qredo Partner API',
  partner: 'qredo',
  recognisedBy: "Qredo's x-sign header",
  source: 'Qredo Partner API docs, "Sign requests"; qredo-partner-api-client',
  recognise: (req) => (header(req, 'x-sign') !== undefined ? 4 : 0),
  signedHeaders: ['x-sign', 'x-timestamp', 'x-nonce', 'x-api-key'],
  algorithms: ['RS256'],
  encoding: 'base64url',
  keyHint: 'RS256',
  codes: {
    differ: 'ERR_QREDO_SIGNATURE',
    otherBytes: 'ERR_QREDO_SIGNATURE',
    otherKey: 'ERR_QREDO_UNKNOWN_KEY',
    padding: 'ERR_QREDO_PSS',
    unreadable: 'ERR_QREDO_SIGNATURE',
  },
  // The ±300 s clock search and the 999 millisecond guesses are 1600 alone.
  budget: 3000,
  read(req) {
    const ts = header(req, 'x-timestamp')?.trim();
    const sign = header(req, 'x-sign')?.trim() ?? '';
    // Another encoding of the same bytes is refused by checks(); the bytes are verified as base64url.
    const bytes = HEX.test(sign)
      ? decodeAs(sign, 'hex')
      : B64URL.test(sign)
        ? undefined
        : decodeAs(sign.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return {
      signature: bytes ? bytesToBase64url(bytes) : sign,
      parts: {
        valueHeader: ts ? 'x-timestamp' : 'x-nonce',
        value: ts || (header(req, 'x-nonce')?.trim() ?? ''),
        url: req.url,
        body: req.body,
        method: req.method,
        ...AS_SPECIFIED,
      },
    };
  },
  base: (p) => [
    ...(p.lead ? [{ label: 'method', text: p.lead }] : []),
    { label: p.valueHeader, text: p.value },
    ...(p.sep ? [{ label: 'separator', text: p.sep }] : []),
    ...(p.mid ? [{ label: 'method', text: p.mid }] : []),
    { label: 'URL', text: p.url },
    ...(p.sep ? [{ label: 'separator', text: p.sep }] : []),
    { label: 'body', text: p.body },
  ],
  baseWords: 'value ‖ URL ‖ body',
  checks(p, req, nowMs) {
    const sign = header(req, 'x-sign')?.trim() ?? '';
    const apiKey = header(req, 'x-api-key')?.trim() ?? '';
    const out: Finding[] = [];
    const say = (check: string, code: ErrorCode, label: string, text: string, level: Level = 'error') =>
      out.push(problem(check, code, level, label, text));
    for (const [name, value, what] of [
      ['x-api-key', apiKey, 'no x-api-key header'],
      ['x-timestamp', p.value, 'neither x-timestamp nor x-nonce'],
      ['x-sign', sign, 'no x-sign header'],
    ] as const)
      if (!value) say(`header:${name}`, 'ERR_REQUEST_MISSING_HEADER', name, MISSING(what));
    if (sign && (!B64URL.test(sign) || HEX.test(sign)))
      say('x-sign', 'ERR_QREDO_SIGN_ENCODING', 'x-sign', ENCODING);
    const unit = unitOf(p.value);
    const skew = Number(p.value) * 1000 - nowMs;
    if (p.valueHeader === 'x-nonce' && p.value)
      out.push(ok('timestamp', 'x-nonce', 'x-nonce leads the signed message in place of a timestamp.'));
    else if (p.value && unit !== 0)
      say(
        'timestamp',
        'ERR_QREDO_TIMESTAMP_UNIT',
        'x-timestamp',
        `x-timestamp ${unit < 0 ? 'is not a Unix time in decimal digits' : `has ${p.value.length} digits: that is ${UNITS[unit]}`}. Qredo reads Unix seconds (10 digits), so it refuses the request.`,
      );
    else if (p.value && Math.abs(skew) > SKEW_MS)
      say(
        'timestamp',
        'ERR_REQUEST_CLOCK_SKEW',
        'x-timestamp',
        `x-timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'} this computer's clock. Qredo may refuse a request far from its own time: sign just before sending, and check the clock (NTP). A request from an old log is expected to differ.`,
        'warning',
      );
    else if (p.value) out.push(ok('timestamp', 'x-timestamp', 'Unix seconds, within a few minutes of now.'));
    const info = apiKey ? inspectQredoApiKey(apiKey) : {};
    if (info.keyId !== undefined)
      out.push(ok('api-key', 'x-api-key', rich`Decodes to a Qredo API key with key_id ${info.keyId}.`));
    else if (info.warning) say('api-key', 'ERR_QREDO_API_KEY', 'x-api-key', info.warning, 'warning');
    for (const w of qredoBodyWarnings(req.body))
      say('body', 'ERR_QREDO_BODY_LINE_ENDINGS', 'Body', w, 'info');
    return out;
  },
  mistakes: [
    ...HOW,
    ...TIMESTAMP,
    ...URL_MISTAKES,
    ...BODY,
    ...LAYOUT,
    DIFFERS,
    twoOf([HOW, TIMESTAMP, URL_MISTAKES, BODY, LAYOUT]),
    MILLIS,
  ],
  signer: {
    fields: [
      keyField('An RSA-2048 key pair: Qredo signs with RS256.'),
      methodField(METHODS, 'The HTTP method sent (it is not signed).'),
      field(
        'url',
        'URL',
        'text',
        'The full URL as sent, with scheme, host, path and query string; no trailing slash added.',
        { default: `${PLAY}/company`, remember: true },
      ),
      field(
        'body',
        'Body',
        'textarea',
        'The signed bytes must equal the sent bytes: send exactly this text.',
        { when: (v) => v['method'] !== 'GET' },
      ),
      field(
        'crlf',
        'End with a Windows line break (\\r\\n), as a file saved with CRLF would',
        'checkbox',
        'A text box cannot hold \\r: tick this to sign (and send) a body that ends in CRLF.',
        { default: false, when: (v) => v['method'] !== 'GET' },
      ),
      field(
        'authHeader',
        'Signed value header',
        'choice',
        "x-timestamp: Unix seconds (default); x-nonce: a value used once, in place of x-timestamp (Qredo's docs allow either).",
        { default: 'x-timestamp', options: ['x-timestamp', 'x-nonce'] },
      ),
      field(
        'timestamp',
        'Timestamp',
        'text',
        'Unix time in seconds (10 digits), close to now: Qredo refuses a stale one. Empty: now.',
        { default: (now) => String(Math.floor(now / 1000)), when: (v) => v['authHeader'] !== 'x-nonce' },
      ),
      // Milliseconds, so successive nonces increase.
      field(
        'nonce',
        'Nonce',
        'text',
        'A value used once, sent as x-nonce; no spaces. Empty: the time in milliseconds.',
        { default: (now) => String(Math.floor(now)), when: (v) => v['authHeader'] === 'x-nonce' },
      ),
      field('apiKey', 'API key', 'text', 'Your Qredo API key, sent as x-api-key (it is not signed).', {
        remember: true,
      }),
    ],
    parts(values, nowMs) {
      const nonce = values['authHeader'] === 'x-nonce';
      // Empty ("Sign it correctly" leaves it so): taken when signing.
      const now = String(Math.floor(nonce ? nowMs : nowMs / 1000));
      const value = text(nonce ? values['nonce'] : values['timestamp']).trim() || now;
      const url = text(values['url']).trim();
      const refused = !/^(https?|wss?):\/\//.test(url)
        ? 'The URL must be the full URL as sent: scheme, host, path and query (https://…, or wss:// for feeds).'
        : !nonce && !/^\d{9,11}$/.test(value)
          ? 'The timestamp must be Unix time in seconds (10 digits), as sent in x-timestamp.'
          : nonce && !/^\S+$/.test(value)
            ? 'The nonce has spaces: it is sent as x-nonce.'
            : '';
      if (refused) throw new KeybenchError('ERR_PARTNER_INPUT', refused);
      return {
        valueHeader: nonce ? 'x-nonce' : 'x-timestamp',
        value,
        url,
        body: qredoBodyBytes(values),
        method: text(values['method']) || 'GET',
        ...AS_SPECIFIED,
      };
    },
    request: (p, signature, values) => ({
      method: p.method,
      url: p.url,
      headers: [
        ['x-api-key', text(values['apiKey']).trim()],
        [p.valueHeader, p.value],
        ['x-sign', signature],
        ...(p.body ? [['Content-Type', 'application/json'] as [string, string]] : []),
      ],
      body: p.body,
    }),
    values: (p, req) => ({
      method: METHODS.includes(req.method.toUpperCase()) ? req.method.toUpperCase() : 'POST',
      url: req.url,
      // A text box cannot hold \r: a CRLF ending is the "ends in CRLF" choice.
      crlf: req.body.endsWith('\r\n'),
      body: req.body.replace(/\r\n/g, '\n'),
      authHeader: p.valueHeader,
      timestamp: '',
      nonce: '',
      ...(header(req, 'x-api-key') ? { apiKey: header(req, 'x-api-key')!.trim() } : {}),
    }),
    examples: [
      {
        apiKey: 'a2V5',
        method: 'POST',
        body: '{"name":"Acme Ltd","city":"London"}',
        url: `${PLAY}/company?limit=10&name=Acme%20Ltd`,
      },
      { apiKey: 'a2V5', method: 'POST', body: '{\n  "a": 1\n}', crlf: true, url: `${PLAY}/company/` },
      { apiKey: 'a2V5' },
    ],
    shown: ['x-api-key', 'x-timestamp', 'x-nonce', 'x-sign'],
  },
});
