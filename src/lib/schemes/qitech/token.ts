/**
 * What QI Tech's three schemes share: an ES512 JWS whose claims say what the server compares with
 * the request, MD5 hex, the request's endpoint, and the clock. The engine's base for such a token
 * is its signing input with each claim set to a part: the token's own bytes where they agree, so
 * the signature holds exactly when the token verifies and says what was sent.
 */
import { field, keyField, methodField, text } from '../../scheme/fields';
import { md5 } from '@noble/hashes/legacy.js';
import { base64urlToBytes, textToBase64url, toHex } from '../../encoding/base64url';
import { header, type ParsedRequest } from '../../request/types';
import { ours, rich, u, type Rich } from '../../rich';
import { KeybenchError } from '../../errors';
import { duplicateMembers, own } from '../../json';
import { signedAs } from '../../scheme/mistakes';
import type { Parts, RequestScheme, SchemeMistake } from '../../scheme/types';
import type { FormField, FormValues } from '../../scheme/contract';
import { ok, problem, type Finding } from '../../trust/finding';
import type { SignedPart } from '../../trust/finding';

/** The JWS header every QI Tech token carries, as its base64url segment. */
const ES512_HEADER = textToBase64url(JSON.stringify({ alg: 'ES512', typ: 'JWT' }));

/** Lowercase hex MD5 of a string's UTF-8 bytes (@noble/hashes: WebCrypto has no MD5). */
export function md5Hex(text: string): string {
  return toHex(md5(new TextEncoder().encode(text)));
}

/** An ES512 JWS's signing input over a text payload. */
export const textToken = (text: string) => `${ES512_HEADER}.${textToBase64url(text)}`;

/** A compact JWS with a JSON object payload, or undefined: its segments, its payload's text and claims. */
export function readJws(token: string) {
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(token);
  if (!m) return undefined;
  try {
    const text = new TextDecoder().decode(base64urlToBytes(m[2]!));
    const claims: unknown = JSON.parse(text);
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    return { head: m[1]!, payload: m[2]!, text, claims: claims as Record<string, unknown>, signature: m[3]! };
  } catch {
    return undefined;
  }
}

/**
 * Why a token's header is refused before any key, or undefined: QI Tech tokens are {"alg":"ES512"}
 * (a duplicate member, another alg or a crit the server does not know are not verified).
 */
export function headerProblem(head: string): string | undefined {
  try {
    const text = new TextDecoder().decode(base64urlToBytes(head));
    const h: unknown = JSON.parse(text);
    if (duplicateMembers(text).length)
      return 'The token header repeats a member: parsers disagree on which counts.';
    if (own(h, 'alg') !== 'ES512')
      return `The token says alg ${JSON.stringify(own(h, 'alg'))}; QI Tech tokens are ES512.`;
    if (own(h, 'crit') !== undefined)
      return 'The token header has crit: QI Tech knows no extension, so it refuses it.';
    return undefined;
  } catch {
    return 'The token header is not JSON.';
  }
}

/** The token parts every QI Tech scheme carries: its header and payload segments and payload text. */
export type TokenParts = { head: string; payload: string; text: string };

/** The token parts of claims a signer makes (compact JSON, in the order given). */
export function tokenOf(claims: Record<string, string>): TokenParts {
  const text = JSON.stringify(claims);
  return { head: ES512_HEADER, payload: textToBase64url(text), text };
}

/** The claims the token sent carries. */
export const claimsOf = (t: TokenParts) => readJws(`${t.head}.${t.payload}.`)?.claims ?? {};

/**
 * The signing input with each claim of `want` set (undefined: absent). A claim that already has the
 * value keeps its bytes (an encoder may escape differently, e.g. PHP's `\/`).
 */
export function signingInput(t: TokenParts, want: Record<string, string | undefined>): SignedPart[] {
  const claims = claimsOf(t);
  let text = t.text;
  let changed = false;
  for (const [name, value] of Object.entries(want)) {
    if (claims[name] === value) continue;
    changed = true;
    const re = new RegExp(`("${name}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\s]+)`);
    const literal = value === undefined ? 'null' : JSON.stringify(value);
    text = re.test(text)
      ? text.replace(re, (_m, head: string) => `${head}${literal}`)
      : text.replace(/^\s*\{/, () => `{"${name}":${literal},`);
  }
  return [
    { label: 'JWS header', text: `${t.head}.` },
    { label: 'claims (base64url of the JSON)', text: changed ? textToBase64url(text) : t.payload },
  ];
}

/** The path and query of a URL as written (no host, no fragment), "/" when it has no path. */
export function endpointOfUrl(url: string): string {
  const rest = url
    .trim()
    .replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '')
    .replace(/#.*$/s, '');
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/** A string claim, or "". */
export const claim = (c: Record<string, unknown>, name: string) =>
  typeof c[name] === 'string' ? (c[name] as string) : '';

/** "3 min 20 s ahead of" / "2 h behind": a readable clock difference. */
function describeSkew(thenMs: number, nowMs: number): string {
  const d = Math.round((thenMs - nowMs) / 1000);
  const a = Math.abs(d);
  const text =
    a >= 86400
      ? `${Math.round(a / 86400)} days`
      : a >= 3600
        ? `${Math.round(a / 360) / 10} h`
        : `${Math.floor(a / 60)} min ${a % 60} s`;
  return `${text} ${d > 0 ? 'ahead of' : 'behind'}`;
}

/** QI Tech documents no tolerance: a signed time further than this from now is worth a warning. */
const SKEW_MINUTES = 5;

/** A warning when a signed time is far from this computer's clock (a pasted request may be old). */
export function clockSkew(what: string, text: string, whenMs: number, nowMs: number): Finding[] {
  if (!Number.isFinite(whenMs) || Math.abs(whenMs - nowMs) <= SKEW_MINUTES * 60_000) return [];
  const half = 30 * 60_000;
  const off = Math.abs(whenMs - nowMs) % half;
  // Close to a whole number of half hours: local time written as UTC.
  const zone = Math.abs(whenMs - nowMs) >= half - 120_000 && (off < 120_000 || half - off < 120_000);
  const parts: Rich = [
    `The signed ${what} `,
    u(text),
    ` is ${describeSkew(whenMs, nowMs)} this computer's clock (more than ${SKEW_MINUTES} min). QI Tech does not document its tolerance; sign just before sending.`,
    ...(zone
      ? [' The difference is close to whole half hours: local time may have been written as UTC.']
      : []),
  ];
  return [problem('clock-skew', 'ERR_REQUEST_CLOCK_SKEW', 'warning', 'Clock', parts)];
}

/** The API-CLIENT-KEY header, which QI Tech checks before the signature (GDF000003). */
export function apiKeyHeader(req: ParsedRequest): Finding {
  return header(req, 'API-CLIENT-KEY')
    ? ok('api-key-header', 'API-CLIENT-KEY', 'Sent.')
    : problem(
        'api-key-header',
        'ERR_REQUEST_MISSING_HEADER',
        'error',
        'API-CLIENT-KEY',
        'No API-CLIENT-KEY header, or an empty one: QI Tech answers GDF000003. Send API-CLIENT-KEY: <your integration key> with every request.',
      );
}

/** What every QI Tech variant is: ES512 JWS (raw r‖s, base64url) with P-521 keys, and its codes. */
export const ES512_SCHEME = {
  partner: 'qitech',
  algorithms: ['ES512'],
  encoding: 'base64url',
  keyHint: 'ES512',
  codes: { noKey: 'ERR_QIT_NO_KEY', differ: 'ERR_QIT_OTHER_KEY', noSignature: 'ERR_QIT_AUTH_HEADER' },
} as const satisfies Partial<RequestScheme>;

/** The refusal of a request without AUTHORIZATION. */
export const NO_AUTHORIZATION = {
  code: 'ERR_REQUEST_MISSING_HEADER',
  words: ['Not verified: the request has no AUTHORIZATION header (QI Tech answers GDF000014).'],
} as const;

/** The token's ECDSA signature written as DER where JWS wants raw r‖s. */
export function derSignature<P extends Parts>(): SchemeMistake<P> {
  return {
    code: 'ERR_QIT_DER_SIGNATURE',
    title: 'The signature is DER-encoded, not raw r‖s',
    explanation:
      'The ES512 signature is an ASN.1 DER SEQUENCE of r and s; JWS requires raw r‖s (132 bytes). Converted, it verifies: the key is right, only the encoding is wrong.',
    remedy:
      'Sign with an API that writes JWS signatures (node:crypto with dsaEncoding "ieee-p1363", or a JWT library), or convert DER to r‖s, each left-padded to 66 bytes.',
    *variants() {
      yield { der: true, part: 'signature', signed: 'DER', sent: 'raw r‖s' };
    },
  };
}

/** The method signed in lower case, or as the token's `claimOf` says where it differs. */
export function methodClaim<P extends Parts & TokenParts & { method: string }>(
  claimOf: (c: Record<string, unknown>) => string | undefined,
): SchemeMistake<P> {
  const words = {
    code: 'ERR_QIT_METHOD_CASE',
    title: 'The method signed is not the request method',
    explanation:
      'The method signed differs from the method the request is sent with (HTTP methods are case-sensitive).',
    remedy: 'Send the request with the method in upper case (e.g. POST), and sign that same method.',
  } as const;
  return signedAs<P>(words, 'method', (p) => [p.method.toLowerCase(), claimOf(claimsOf(p)) ?? null]);
}

/** Sentences about an ISO 8601 timestamp in another form than the one wanted. */
export function timestampForm(ts: string, want: RegExp, example: string, label: string): Finding {
  if (want.test(ts)) return ok('timestamp-format', 'timestamp', rich`${ts}: the ${ours(label)} form.`);
  const why = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(ts)
    ? 'milliseconds (3 digits) where the samples write microseconds (6)'
    : /[+-]\d{2}:?\d{2}$/.test(ts)
      ? 'a UTC offset (local time) instead of UTC'
      : /^\d{9,13}$/.test(ts)
        ? 'Unix time, not ISO 8601'
        : `another form than ${label}'s`;
  return problem(
    'timestamp-format',
    'ERR_QIT_TIMESTAMP_FORMAT',
    'error',
    'timestamp',
    rich`The timestamp ${ts} has ${ours(why)}; write it in UTC like ${ours(example)}.`,
  );
}

/** The fields every QI Tech form starts with. */
export const LEAD: readonly FormField[] = [
  keyField('A P-521 key pair: QI Tech signs with ES512.'),
  methodField(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], 'The HTTP method, signed.', 'POST'),
  field('baseUrl', 'Base URL', 'text', 'The base URL QI Tech gave you (not signed).', {
    default: 'https://api-auth.sandbox.qitech.app',
    remember: true,
  }),
  field('endpoint', 'Endpoint', 'text', 'The path sent, starting with "/", with any query string.', {
    default: '/test',
    remember: true,
  }),
];

/** The body field, shown `when` the method sends one. */
export const bodyField = (help: string, when: FormField['when']) =>
  field('body', 'Body', 'textarea', help, { default: '{"name":"QI Tech"}', when });

/** The API key field every QI Tech form ends with. */
export const API_KEY = field(
  'apiKey',
  'API key',
  'text',
  'Your integration key (a UUID), sent as API-CLIENT-KEY.',
);

/** Requests every variant's conformance run signs: a POST with a body, a GET with a query. */
export const EXAMPLES: readonly FormValues[] = [
  { apiKey: '3f6b2c1e-8a4d-4f5e-9b7a-2d1c0e9f8a7b' },
  { apiKey: 'k', method: 'GET', endpoint: '/account/balance?page=2' },
];

/** The endpoint a form signs. @throws KeybenchError ERR_PARTNER_INPUT when it is not a path. */
export function endpointOf(values: FormValues): string {
  const e = text(values['endpoint']).trim();
  if (!e.startsWith('/'))
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The endpoint is the path, starting with "/", e.g. /test.');
  return e;
}

/** The URL a form sends to. */
const urlOf = (values: FormValues) =>
  `${text(values['baseUrl']).trim().replace(/\/$/, '')}${endpointOf(values)}`;

/** The request a form sends: AUTHORIZATION, API-CLIENT-KEY and a Content-Type when there is one. */
export function requestOf(method: string, values: FormValues, auth: string, type: string, body: string) {
  const headers: [string, string][] = [
    ['AUTHORIZATION', auth],
    ['API-CLIENT-KEY', text(values['apiKey']).trim()],
  ];
  if (type) headers.push(['Content-Type', type]);
  return { method, url: urlOf(values), headers, body };
}

/** The form's values every variant reads back from a request ("Sign it correctly"). */
export function valuesOf(req: ParsedRequest): FormValues {
  const endpoint = endpointOfUrl(req.url);
  const baseUrl = req.url.slice(0, Math.max(0, req.url.length - endpoint.length));
  return { method: req.method.toUpperCase(), baseUrl, endpoint, body: req.body };
}

/** A form's body made into the bytes sent. @throws KeybenchError ERR_PARTNER_INPUT when not JSON. */
export function jsonInput<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `The body is not valid JSON: ${e instanceof Error ? e.message : e}`,
    );
  }
}
