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
  type BareItem,
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
export const DERIVED_COMPONENTS = [
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
  '@query-param',
] as const;

/** Structured-field types of fields keybench knows (RFC 8941/9651 and the fields that use them). */
const SF_TYPES: Record<string, 'dictionary' | 'list' | 'item'> = {
  'content-digest': 'dictionary',
  'repr-digest': 'dictionary',
  'want-content-digest': 'dictionary',
  'want-repr-digest': 'dictionary',
  'signature-input': 'dictionary',
  signature: 'dictionary',
  'accept-signature': 'dictionary',
  priority: 'dictionary',
  'cache-status': 'list',
  'proxy-status': 'list',
  'accept-ch': 'list',
  'example-dict': 'dictionary',
  'example-list': 'list',
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

/** The URL split as sent (the path is "/" when empty), or null when it is not an absolute URL. */
export function rawUrl(url: string): RawUrl | null {
  const m = URL_PARTS.exec(url);
  if (!m) return null;
  return { scheme: m[1] ?? '', authority: m[2] ?? '', path: m[3] || '/', query: m[4] };
}

/** The target URI as sent (§2.2.2), without a fragment. */
export function targetUri(raw: RawUrl): string {
  return `${raw.scheme}://${raw.authority}${raw.path}${raw.query === undefined ? '' : `?${raw.query}`}`;
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

/** §2.2.8: the re-encoded values of every query parameter whose re-encoded name is `name`, in order. */
export function queryParamValues(query: string, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of new URLSearchParams(query)) if (formEncode(k) === name) out.push(formEncode(v));
  return out;
}

function fail(code: ErrorCode, parts: Rich): ComponentValue {
  return { ok: false, code, parts };
}

function one(value: string): ComponentValue {
  return { ok: true, values: [value] };
}

/** The value of a derived component (§2.2) for a request. */
export function derivedValue(req: RequestParts, name: string, params: Parameters): ComponentValue {
  const raw = rawUrl(req.url);
  if (!raw)
    return fail('ERR_HTTPSIG_COMPONENT', rich`The URL ${req.url} is not absolute, so ${name} is not known.`);
  switch (name) {
    case '@method':
      return one(req.method);
    case '@target-uri':
      return one(targetUri(raw));
    case '@authority': {
      // HTTP §4.2.3 normalisation: lower-case host, no default port.
      try {
        return one(new URL(req.url).host);
      } catch {
        return one(raw.authority.toLowerCase());
      }
    }
    case '@scheme':
      return one(raw.scheme.toLowerCase());
    case '@request-target':
      return one(raw.path + (raw.query === undefined ? '' : `?${raw.query}`));
    case '@path':
      return one(raw.path);
    case '@query':
      return one(`?${raw.query ?? ''}`);
    case '@query-param': {
      const n = params.get('name');
      if (typeof n !== 'string')
        return fail('ERR_HTTPSIG_COMPONENT', ['@query-param needs a name parameter (a string).']);
      const values = queryParamValues(raw.query ?? '', n);
      if (values.length === 0)
        return fail('ERR_HTTPSIG_MISSING_COMPONENT', rich`The query has no parameter named ${n}.`);
      return { ok: true, values };
    }
    case '@status':
      return fail('ERR_HTTPSIG_COMPONENT', ['@status belongs to a response: a request has none.']);
    default:
      return fail('ERR_HTTPSIG_COMPONENT', rich`${name} is not a derived component of RFC 9421 §2.2.`);
  }
}

/** The field lines of a header, by case-insensitive name, each without surrounding whitespace. */
export function fieldLines(req: Pick<RequestParts, 'headers'>, name: string): string[] {
  const n = name.toLowerCase();
  return req.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => trimOws(v));
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
export function fieldValue(req: RequestParts, name: string, params: Parameters): ComponentValue {
  if (name !== name.toLowerCase())
    return fail(
      'ERR_HTTPSIG_COMPONENT',
      rich`The component name ${name} is not lower case, as RFC 9421 §2.1 requires.`,
    );
  for (const p of ['req', 'tr']) {
    if (params.has(p))
      return fail(
        'ERR_HTTPSIG_COMPONENT',
        rich`The ;${p} parameter does not apply to a request's own fields.`,
      );
  }
  const lines = fieldLines(req, name);
  if (lines.length === 0)
    return fail(
      'ERR_HTTPSIG_MISSING_COMPONENT',
      rich`The request has no ${name} header, yet the signature covers it.`,
    );
  const bs = params.has('bs');
  if (bs && (params.has('sf') || params.has('key')))
    return fail(
      'ERR_HTTPSIG_COMPONENT',
      rich`${name} has ;bs together with ;sf or ;key, which RFC 9421 forbids.`,
    );
  if (bs) return one(lines.map((l) => `:${bytesToBase64(new TextEncoder().encode(l))}:`).join(', '));
  const combined = lines.join(', ');
  const key = params.get('key');
  try {
    if (key !== undefined) {
      if (typeof key !== 'string')
        return fail('ERR_HTTPSIG_COMPONENT', rich`${name};key needs a string key.`);
      const member = dictionaryMember(combined, key);
      if (member === undefined)
        return fail('ERR_HTTPSIG_MISSING_COMPONENT', rich`The ${name} dictionary has no member ${key}.`);
      return one(member);
    }
    if (params.has('sf')) return one(sfSerialise(name, combined));
  } catch (e) {
    return fail(
      'ERR_HTTPSIG_COMPONENT',
      rich`${name} is covered as a structured field but does not parse as one: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return one(combined);
}

/** The value of any component identifier (an sf Item: name and parameters). */
export function componentValue(req: RequestParts, id: Item): ComponentValue {
  const [name, params] = id;
  if (typeof name !== 'string')
    return fail('ERR_HTTPSIG_COMPONENT', rich`A component identifier must be a string, not ${String(name)}.`);
  return name.startsWith('@') ? derivedValue(req, name, params) : fieldValue(req, name, params);
}

/** A bare item as text, for messages. */
export function bareText(v: BareItem): string {
  return typeof v === 'string' ? v : String(v);
}
