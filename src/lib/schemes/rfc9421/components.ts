/**
 * RFC 9421 §2.1–2.2: the value of each component a request can cover, read from the request model
 * (`ParsedRequest`) and never changed. Derived components (`@method`, `@path`, …) come from the
 * method and the URL as sent; header fields from the header lines, with `;sf`, `;key` and `;bs`.
 */
import {
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  type Item,
  type Parameters,
} from 'structured-headers';
import { bytesToBase64 } from '../../encoding/base64url';
import type { ErrorCode } from '../../errors';
import { rich, type Rich } from '../../rich';
import { trimOws } from '../../request/text';
import type { ParsedRequest } from '../../request/types';

/** The parts of a request the scheme reads: method, URL, header lines (and the body, for Content-Digest). */
export type RequestParts = Pick<ParsedRequest, 'method' | 'url' | 'headers' | 'body'>;

/** A component value, or why it has none. A component may give several lines (`@query-param` twice). */
export type ComponentValue = { ok: true; values: string[] } | { ok: false; code: ErrorCode; parts: Rich };

/** The derived components of §2.2 that a request has. */
export const DERIVED_COMPONENTS =
  '@method @target-uri @authority @scheme @request-target @path @query @query-param'.split(' ');

/** Structured-field types of fields keybench knows (RFC 8941/9651 and the fields that use them). */
const SF_TYPES: Record<string, 'dictionary' | 'list' | 'item'> = {
  ...Object.fromEntries(
    'content-digest repr-digest want-content-digest want-repr-digest signature-input signature accept-signature priority example-dict'
      .split(' ')
      .map((n) => [n, 'dictionary']),
  ),
  ...Object.fromEntries(
    'cache-status proxy-status accept-ch example-list'.split(' ').map((n) => [n, 'list']),
  ),
  'example-integer': 'item',
};

/** The URL as sent, split without normalising: scheme, authority, path and query (undefined when there is no `?`). */
export interface RawUrl {
  scheme: string;
  authority: string;
  path: string;
  query: string | undefined;
}

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/;

/** The last URL split, so that each derived component of a long list does not split it again. */
let lastUrl: { url: string; raw: RawUrl | null } | undefined;

/** The URL split as sent (the path is "/" when empty), or null when it is not an absolute URL. */
export function rawUrl(url: string): RawUrl | null {
  if (lastUrl?.url === url) return lastUrl.raw && { ...lastUrl.raw };
  const m = URL_PARTS.exec(url);
  const raw = m ? { scheme: m[1] ?? '', authority: m[2] ?? '', path: m[3] || '/', query: m[4] } : null;
  lastUrl = { url, raw };
  return raw && { ...raw };
}

/** The request target as sent (§2.2.5): the path and the query. */
export function requestTarget(raw: Pick<RawUrl, 'path' | 'query'>): string {
  return raw.path + (raw.query === undefined ? '' : `?${raw.query}`);
}

/** The target URI as sent (§2.2.2), without a fragment. */
export function targetUri(raw: RawUrl): string {
  return `${raw.scheme}://${raw.authority}${requestTarget(raw)}`;
}

/**
 * WHATWG "percent-encode after encoding" with the application/x-www-form-urlencoded set and
 * spaceAsPlus false (§2.2.8): only ASCII alphanumerics and `*-._` stay as they are.
 */
export function formEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()~]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** The last query read, by re-encoded name: a signature covering many @query-param reads it once. */
let lastQuery: { query: string; values: Map<string, string[]> } | undefined;

/** §2.2.8: the re-encoded values of every query parameter whose re-encoded name is `name`, in order. */
function queryParamValues(query: string, name: string): string[] {
  if (lastQuery?.query !== query) {
    const values = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(query)) {
      const key = formEncode(k);
      const list = values.get(key);
      if (list) list.push(formEncode(v));
      else values.set(key, [formEncode(v)]);
    }
    lastQuery = { query, values };
  }
  return [...(lastQuery.values.get(name) ?? [])];
}

/**
 * An authority as HTTP normalises it (RFC 9110 §4.2.3): lower case, and without the port only when
 * it is the default of this scheme (80 for http, 443 for https; http://host:443 keeps :443).
 */
function normaliseAuthority(scheme: string, authority: string): string {
  const lower = authority.toLowerCase();
  if (!/^[a-z0-9.\-_~%]*(?::\d*)?$|^\[[0-9a-f:.]+\](?::\d*)?$/.test(lower)) return lower;
  try {
    return new URL(`${scheme.toLowerCase()}://${lower}/`).host;
  } catch {
    return lower;
  }
}

/**
 * §2.2.3: the authority of the target URI. An HTTP/1.1 server takes it from the Host header, so a
 * Host sent besides the URL (curl -H 'Host: …') is what it signs over; otherwise the URL's.
 */
function authorityOf(req: RequestParts, raw: RawUrl): string {
  const host = req.headers.find(([k]) => k.toLowerCase() === 'host');
  return normaliseAuthority(raw.scheme, host ? trimOws(host[1]) : raw.authority);
}

const fail = (code: ErrorCode, parts: Rich): ComponentValue => ({ ok: false, code, parts });
const bad = (parts: Rich): ComponentValue => fail('ERR_HTTPSIG_COMPONENT', parts);
const one = (value: string): ComponentValue => ({ ok: true, values: [value] });

/** The component parameters of §2.1 (fields) and §2.2 (derived), with the type each takes. */
const FIELD_PARAMS: ReadonlySet<string> = new Set(['sf', 'key', 'bs', 'req', 'tr']);
const DERIVED_PARAMS: ReadonlySet<string> = new Set(['req', 'name']);

/**
 * Why a request's component identifier has parameters RFC 9421 does not allow there (§2.1, §2.2,
 * §2.5: a verifier refuses an unknown parameter), or null. `;req` belongs to a response's signature
 * only: on a request's own component it would make a signed response pass as a signed request.
 */
function parameterProblem(name: string, params: Parameters): ComponentValue | null {
  const derived = name.startsWith('@');
  const allowed = derived ? DERIVED_PARAMS : FIELD_PARAMS;
  for (const [p, v] of params) {
    const why =
      p === 'name' && (!allowed.has(p) || name !== '@query-param')
        ? rich`${name} has ;name, which only @query-param takes (RFC 9421 §2.2.8).`
        : !allowed.has(p)
          ? rich`${name} has the parameter ;${p}, which RFC 9421 does not define for ${derived ? 'a derived component' : 'a header field'}: a verifier refuses it (§2.5).`
          : p === 'req'
            ? rich`${name};req names a component of the request a response answers: it belongs in a response's signature, never in a request's (RFC 9421 §2.4).`
            : p === 'name' || p === 'key'
              ? typeof v === 'string'
                ? null
                : rich`${name};${p} needs a quoted string, e.g. ;${p}="value" (RFC 9421 §2.1).`
              : v === true
                ? null
                : rich`${name};${p} is a flag: write ;${p} alone, without a value (RFC 9421 §2.1).`;
    if (why) return bad(why);
  }
  return null;
}

/** The derived components of §2.2 that are one value read off the method or the URL as sent. */
const DERIVED_VALUES: Record<string, (req: RequestParts, raw: RawUrl) => string> = {
  '@method': (req) => req.method,
  '@target-uri': (_, raw) => targetUri(raw),
  '@authority': authorityOf,
  '@scheme': (_, raw) => raw.scheme.toLowerCase(),
  '@request-target': (_, raw) => requestTarget(raw),
  '@path': (_, raw) => raw.path,
  '@query': (_, raw) => `?${raw.query ?? ''}`,
};

/** The value of a derived component (§2.2) for a request. */
function derivedValue(req: RequestParts, name: string, params: Parameters): ComponentValue {
  const raw = rawUrl(req.url);
  if (!raw) return bad(rich`The URL ${req.url} is not absolute, so ${name} is not known.`);
  if (Object.hasOwn(DERIVED_VALUES, name)) return one(DERIVED_VALUES[name]!(req, raw));
  if (name === '@status') return bad(['@status belongs to a response: a request has none.']);
  if (name !== '@query-param') return bad(rich`${name} is not a derived component of RFC 9421 §2.2.`);
  const n = params.get('name');
  if (typeof n !== 'string') return bad(['@query-param needs a name parameter (a string).']);
  const values = queryParamValues(raw.query ?? '', n);
  if (values.length === 0)
    return fail('ERR_HTTPSIG_MISSING_COMPONENT', rich`The query has no parameter named ${n}.`);
  return { ok: true, values };
}

/** A request's header lines by lower-case name: the trimmed values in order, and the name as first written. */
interface HeaderIndex {
  size: number;
  lines: Map<string, { written: string; values: string[] }>;
}

const INDEXES = new WeakMap<readonly (readonly [string, string])[], HeaderIndex>();

/**
 * The header lines indexed once per request, so that a signature covering thousands of fields reads
 * each in constant time rather than scanning every header for each (quadratic in the request).
 */
function headerIndex(headers: readonly (readonly [string, string])[]): HeaderIndex {
  const cached = INDEXES.get(headers);
  if (cached && cached.size === headers.length) return cached;
  const lines: HeaderIndex['lines'] = new Map();
  for (const [k, v] of headers) {
    const n = k.toLowerCase();
    const entry = lines.get(n);
    if (entry) entry.values.push(trimOws(v));
    else lines.set(n, { written: k, values: [trimOws(v)] });
  }
  const index = { size: headers.length, lines };
  INDEXES.set(headers, index);
  return index;
}

/** The field lines of a header, by case-insensitive name, each without surrounding whitespace. */
export function fieldLines(req: Pick<RequestParts, 'headers'>, name: string): string[] {
  return [...(headerIndex(req.headers).lines.get(name.toLowerCase())?.values ?? [])];
}

/** Does the request carry an RFC 9421 signature (Signature-Input and Signature headers)? */
export function recognise(req: Pick<RequestParts, 'headers'>): boolean {
  return fieldLines(req, 'signature-input').length > 0 && fieldLines(req, 'signature').length > 0;
}

/** The name of a header as the request first writes it (any case), or undefined when it is absent. */
export function writtenName(req: Pick<RequestParts, 'headers'>, name: string): string | undefined {
  return headerIndex(req.headers).lines.get(name.toLowerCase())?.written;
}

/** The canonical serialisation of a structured field (§2.1.1), by its known type or, failing that, the first that parses. */
export function sfSerialise(name: string, value: string): string {
  const known = SF_TYPES[name];
  const order: ('dictionary' | 'list' | 'item')[] = known ? [known] : ['dictionary', 'list', 'item'];
  let last: unknown;
  for (const t of order) {
    try {
      if (t === 'dictionary') return serializeDictionary(parseDictionary(value));
      if (t === 'list') return serializeList(parseList(value));
      return serializeItem(parseItem(value));
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error('not a structured field');
}

/** The serialisation of one dictionary member (§2.1.2), or undefined when the key is absent. */
function dictionaryMember(value: string, key: string): string | undefined {
  const member = parseDictionary(value).get(key);
  if (member === undefined) return undefined;
  return Array.isArray(member[0])
    ? serializeInnerList(member as [Item[], Parameters])
    : serializeItem(member as Item);
}

/** The value of a header field component (§2.1), with its `sf`, `key` and `bs` parameters. */
function fieldValue(req: RequestParts, name: string, params: Parameters): ComponentValue {
  if (name !== name.toLowerCase())
    return bad(rich`The component name ${name} is not lower case, as RFC 9421 §2.1 requires.`);
  if (params.has('tr'))
    return bad(
      rich`${name};tr names a trailer field, sent after a chunked body: a pasted request has no trailers, so keybench cannot read it.`,
    );
  const lines = fieldLines(req, name);
  if (lines.length === 0)
    return fail(
      'ERR_HTTPSIG_MISSING_COMPONENT',
      rich`The request has no ${name} header, yet the signature covers it.`,
    );
  const bs = params.has('bs');
  if (bs && (params.has('sf') || params.has('key')))
    return bad(rich`${name} has ;bs together with ;sf or ;key, which RFC 9421 forbids.`);
  if (bs) return one(lines.map((l) => `:${bytesToBase64(new TextEncoder().encode(l))}:`).join(', '));
  const combined = lines.join(', ');
  const key = params.get('key');
  try {
    // parameterProblem let only a string key through.
    if (typeof key === 'string') {
      const member = dictionaryMember(combined, key);
      if (member === undefined)
        return fail('ERR_HTTPSIG_MISSING_COMPONENT', rich`The ${name} dictionary has no member ${key}.`);
      return one(member);
    }
    if (params.has('sf')) return one(sfSerialise(name, combined));
  } catch (e) {
    return bad(
      rich`${name} is covered as a structured field but does not parse as one: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return one(combined);
}

/** The value of any component identifier (an sf Item: name and parameters). */
export function componentValue(req: RequestParts, id: Item): ComponentValue {
  const [name, params] = id;
  if (typeof name !== 'string')
    return bad(rich`A component identifier must be a string, not ${String(name)}.`);
  return (
    parameterProblem(name, params) ??
    (name.startsWith('@') ? derivedValue(req, name, params) : fieldValue(req, name, params))
  );
}
