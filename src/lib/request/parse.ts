/**
 * Reading a pasted signed HTTP request: a curl command, a raw HTTP/1.1 request, a HAR
 * (log, entry or bare request) or Chrome's "Copy as fetch" / "Copy as fetch (Node.js)".
 *
 * Each form is recognised from its first characters only, strictly, so a JWT, a PEM block, a JWK
 * or any other text is 'not-request' and goes elsewhere. All work is linear in the text: no eval,
 * no regular expression over the whole paste that could backtrack.
 */
import { base64ToBytes } from '../encoding/base64url';
import { ReadError } from './command-words';
import { CURL_START, readCurl } from './curl';
import { ours, plain, rich, type Rich } from '../rich';
import { sniffRequest } from './sniff';
import { HTTP_TOKEN, trimOws, UTF8, withoutFragment } from './text';
import { header, type ParsedRequest, type RequestParse, type RequestSource } from './types';

/** The largest paste read: 8 MiB of UTF-8. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** An error result for a form. */
function parseError(
  source: RequestSource,
  parts: Rich,
  code: 'ERR_REQUEST_PARSE' | 'ERR_REQUEST_TOO_LARGE' = 'ERR_REQUEST_PARSE',
): RequestParse {
  return { kind: 'error', source, code, parts, message: plain(parts) };
}

/** UTF-8 length of a string, without building the bytes. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** An HTTP/1.x request line: method, target, version. Matched against the first line only. */
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) ([^\s]+) HTTP\/(\d(?:\.\d)?)$/;

/** The first line of a text (without its CR), looked at no further than `limit` characters. */
function firstLine(text: string, limit = 64 * 1024): string {
  const nl = text.indexOf('\n');
  const end = nl === -1 ? Math.min(text.length, limit) : Math.min(nl, limit);
  const line = text.slice(0, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Which form a text is, from its start alone. */
function recognise(text: string): RequestSource | undefined {
  const head = text.slice(0, 64);
  if (CURL_START.test(head)) return 'curl';
  if (/^(?:await\s+)?fetch\s*\(/.test(head)) return 'fetch';
  if (head.startsWith('{')) return 'har';
  if (REQUEST_LINE.test(firstLine(text))) return 'http';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// raw HTTP

/** Reads a raw HTTP/1.x request: request line, headers to the first blank line, then the body. */
function readHttp(text: string): ParsedRequest {
  const notes: Rich[] = [];
  const m = REQUEST_LINE.exec(firstLine(text));
  if (!m) throw new ReadError('The first line is not an HTTP request line (METHOD target HTTP/1.1).');
  const method = m[1] ?? '';
  const version = m[3] ?? '';
  if (version !== '1.1' && version !== '1.0')
    notes.push(rich`The request line says HTTP/${version}: it is read as HTTP/1.1 text.`);

  const headers: [string, string][] = [];
  let pos = text.indexOf('\n');
  let body = '';
  /** HTTP/2 pseudo-headers as a browser shows them (:authority, :scheme), for the URL only. */
  const pseudo = new Map<string, string>();
  const folded = new Set<[string, string]>();
  while (pos !== -1) {
    const start = pos + 1;
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      body = nl === -1 ? '' : text.slice(nl + 1);
      break;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = headers[headers.length - 1];
      if (!last) throw new ReadError('The first header line starts with a space: it continues nothing.');
      last[1] += ' ' + trimOws(line);
      // (one note per header, however many lines it is folded over)
      if (!folded.has(last)) {
        folded.add(last);
        notes.push(rich`The header ${last[0]} is folded over several lines (obsolete): read as one line.`);
      }
    } else {
      const colon = line.indexOf(':', line.startsWith(':') ? 1 : 0);
      if (colon <= 0)
        throw new ReadError(
          rich`Header line ${headers.length + 1} (${line.slice(0, 60)}) has no colon. Headers end at the first empty line; the body follows it.`,
        );
      const name = line.slice(0, colon);
      const value = trimOws(line.slice(colon + 1));
      if (name.startsWith(':')) pseudo.set(name, value);
      else if (!HTTP_TOKEN.test(name))
        throw new ReadError(
          rich`Header line ${headers.length + 1} (${line.slice(0, 60)}) is not "Name: value": is the empty line between the headers and the body missing?`,
        );
      else headers.push([name, value]);
    }
    pos = nl;
  }
  let url: string;
  const target = withoutFragment(m[2] ?? '');
  if (target !== m[2])
    notes.push(
      rich`The request target ${m[2] ?? ''} holds a #fragment: a server never receives one, so the target read is ${target}.`,
    );
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) url = target;
  else if (target.startsWith('/')) {
    const hostHeader = header({ headers }, 'host');
    const host = hostHeader ?? pseudo.get(':authority');
    if (!host)
      throw new ReadError(
        rich`The request line has only a path (${target.slice(0, 60)}) and there is no Host header, so the URL is not known. Add the Host header or write the full URL in the request line.`,
      );
    const scheme = pseudo.get(':scheme') ?? 'https';
    url = `${scheme}://${host}${target}`;
    notes.push(
      rich`The URL is built as ${scheme}:// + ${ours(hostHeader === undefined ? ':authority' : 'Host')} + ${target.length > 40 ? ours('the path') : target}.`,
    );
  } else
    throw new ReadError(
      rich`The request target ${target.slice(0, 60)} is neither a path (/…) nor a full URL.`,
    );

  body = framedBody(headers, body, notes, version);
  return { source: 'http', method, url, headers, body, notes };
}

/**
 * The body a server reads from a raw HTTP request, by its framing (RFC 9112 §6):
 * - `Transfer-Encoding: chunked` (it wins over Content-Length): the chunks are decoded and the
 *   body is their data, with a note; chunks that do not decode, or any other transfer coding, are
 *   an error.
 * - `Content-Length: N`: a server reads N bytes. A longer body is cut to N bytes, with a note (the
 *   rest would be read as the next request); a shorter one is an error naming both numbers (the
 *   server would wait for bytes the paste does not hold), as is a value that is not a number.
 */
function framedBody(headers: [string, string][], body: string, notes: Rich[], version: string): string {
  const values = (name: string): string[] =>
    headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
  /** The comma-separated members of a field's lines, each without the whitespace around it. */
  const members = (lines: string[]): string[] => lines.join(',').split(',').map(trimOws);
  const te = values('transfer-encoding');
  const cls = values('content-length');
  if (te.length > 0) {
    if (version === '1.0')
      throw new ReadError(
        rich`Transfer-Encoding: ${te.join(', ')} on an HTTP/1.0 request is faulty framing (RFC 9112 §6.1): HTTP/1.0 has no chunked coding, so servers disagree on where the body ends. Send Content-Length, or HTTP/1.1.`,
      );
    const codings = members(te)
      .map((c) => c.toLowerCase())
      .filter((c) => c !== '');
    if (codings.length !== 1 || codings[0] !== 'chunked')
      throw new ReadError(
        rich`Transfer-Encoding is ${te.join(', ')}: keybench reads only "chunked", so the body bytes a server would read cannot be known.`,
      );
    const data = dechunk(body);
    notes.push(
      rich`The body is sent chunked (Transfer-Encoding: chunked): the body read is the data of its chunks, ${data.length} characters.`,
    );
    if (cls.length > 0)
      notes.push(['The request has both Transfer-Encoding and Content-Length: a server reads the chunks.']);
    return data;
  }
  if (cls.length === 0) {
    // RFC 9112 §6.3: an HTTP/1.x request with neither has no body; the bytes after the blank line
    // would be read as the next request (HTTP/2 and 3 frame the body themselves)
    if (!version.startsWith('1')) return body;
    if (body !== '')
      notes.push([
        `The request has no Content-Length and no Transfer-Encoding, so it has no body (RFC 9112 §6.3): a server reads the ${utf8Length(body)} bytes after the blank line as the start of another request. The body read is empty; add Content-Length if the body is meant to be sent.`,
      ]);
    return '';
  }
  const lengths = new Set(members(cls));
  const [cl] = lengths;
  if (lengths.size !== 1 || cl === undefined || !/^\d{1,15}$/.test(cl))
    throw new ReadError(
      rich`Content-Length is ${cls.join(', ')}, which is not one number: a server would refuse the request or read a length keybench cannot know.`,
    );
  const want = Number(cl);
  const bytes = utf8Length(body);
  if (bytes === want) return body;
  if (bytes < want)
    throw new ReadError([
      `Content-Length says ${want} but the body is ${bytes} bytes of UTF-8: a server would wait for ${want - bytes} more bytes. The paste may have changed line ends (CR LF to LF) or lost a trailing newline, or the body was edited. Paste the request exactly as sent, or fix Content-Length.`,
    ]);
  let cut: string;
  try {
    cut = UTF8.decode(new TextEncoder().encode(body).subarray(0, want));
  } catch {
    throw new ReadError([
      `Content-Length says ${want} but the body is ${bytes} bytes of UTF-8, and byte ${want} falls inside a character: the body a server reads is not text.`,
    ]);
  }
  notes.push([
    `Content-Length says ${want} but the body is ${bytes} bytes of UTF-8: a server reads the first ${want} bytes only, so the body read is cut there (the rest would be taken as the next request).`,
  ]);
  return cut;
}

/** The data of a chunked body (RFC 9112 §7.1); line ends CR LF or LF (a paste may lose the CRs). */
function dechunk(body: string): string {
  const bytes = new TextEncoder().encode(body);
  const parts: Uint8Array[] = [];
  let pos = 0;
  const fail = (why: string): ReadError =>
    new ReadError([`The body is sent chunked (Transfer-Encoding: chunked) but does not decode: ${why}.`]);
  /** The line from pos (without its CR LF / LF); moves pos past it. */
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl === -1) throw fail('a chunk-size line has no line end');
    let end = nl;
    if (end > pos && bytes[end - 1] === 0x0d) end--;
    let text = '';
    for (let k = pos; k < end && k < pos + 200; k++) text += String.fromCharCode(bytes[k] ?? 0);
    pos = nl + 1;
    return text;
  };
  for (;;) {
    const sizeLine = line();
    const m = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(sizeLine);
    if (!m) throw fail(`the chunk-size line at byte ${pos} is not a hex size`);
    const size = parseInt(m[1] ?? '', 16);
    if (size === 0) break;
    if (pos + size > bytes.length) throw fail(`a chunk of ${size} bytes runs past the end of the body`);
    parts.push(bytes.subarray(pos, pos + size));
    pos += size;
    if (bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) pos += 2;
    else if (bytes[pos] === 0x0a) pos += 1;
    else throw fail(`a chunk of ${size} bytes is not followed by a line end`);
  }
  // trailer fields, to the empty line
  while (pos < bytes.length && line() !== '');
  if (pos < bytes.length) throw fail(`${bytes.length - pos} bytes follow the last chunk`);
  // (a streaming decoder reads a character split across chunks as one, as a server does)
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return parts.map((p) => decoder.decode(p, { stream: true })).join('') + decoder.decode();
  } catch {
    throw fail('its data is not UTF-8 text');
  }
}

// ---------------------------------------------------------------------------------------------
// HAR

/** A plain JSON object. */
type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Headers from a HAR array of {name, value} (or an object of name → value), pseudo-headers skipped. */
function harHeaders(raw: unknown, notes: Rich[], where: string): [string, string][] {
  const out: [string, string][] = [];
  if (raw === undefined || raw === null) return out;
  if (Array.isArray(raw)) {
    for (const [k, h] of raw.entries()) {
      if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string')
        throw new ReadError(rich`${ours(where)} headers[${k}] is not {"name": …, "value": …}.`);
      if (h.name.startsWith(':')) continue;
      out.push([h.name, h.value]);
    }
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') throw new ReadError(rich`${ours(where)} header ${k} is not a string.`);
      if (!k.startsWith(':')) out.push([k, v]);
    }
  } else throw new ReadError(rich`${ours(where)} headers is neither a list nor an object.`);
  if (out.length === 0 && Array.isArray(raw) && raw.length > 0)
    notes.push(['Only HTTP/2 pseudo-headers were given.']);
  return out;
}

/**
 * The URL as a browser sends it: the WHATWG URL serialisation (`new URL(url).href`) without the
 * fragment. When it differs from the URL written, a note carries both.
 */
function browserSentUrl(written: string, notes: Rich[], form: 'HAR' | 'fetch'): string {
  let href: string;
  try {
    href = new URL(written).href;
  } catch {
    throw new ReadError(
      rich`The ${ours(form)} URL ${written} is not a valid absolute URL: the browser would not send it.`,
    );
  }
  const sent = withoutFragment(href);
  if (sent !== written)
    notes.push(
      rich`The browser sends the URL ${sent}, not ${written} as written (it normalises the URL and never sends the #fragment): the URL sent is the one read.`,
    );
  return sent;
}

/** Refuses a method that is not an RFC 9110 token: it goes into the request line as written. */
function methodToken(method: string, form: 'HAR' | 'fetch'): void {
  if (!HTTP_TOKEN.test(method))
    throw new ReadError(
      rich`The ${ours(form)} method ${method} is not an HTTP method (letters, digits and !#$%&'*+.^_\`|~- only): written into the request line, a space or a line break in it makes another request than the one shown.`,
    );
}

/** The body of a HAR postData.text in base64: its bytes, which must be UTF-8 text. */
function fromBase64(text: string): string {
  const clean = text.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean))
    throw new ReadError(
      'postData.encoding is base64 but postData.text is not base64: the body bytes cannot be known.',
    );
  const bytes = base64ToBytes(clean);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ReadError(
      'postData is base64 of bytes that are not UTF-8 text: keybench reads text bodies only, so it cannot show the bytes sent.',
    );
  }
}

/** Reads a HAR request object ({method, url, headers, postData}). */
function harRequest(req: JsonObject, notes: Rich[]): ParsedRequest {
  if (typeof req.url !== 'string' || req.url === '') throw new ReadError('The HAR request has no "url".');
  const method = typeof req.method === 'string' && req.method !== '' ? req.method : 'GET';
  if (typeof req.method !== 'string') notes.push(['The HAR request has no "method": GET assumed.']);
  methodToken(method, 'HAR');
  const headers = harHeaders(req.headers, notes, 'The HAR request');
  let body = '';
  const pd = req.postData;
  if (isObject(pd)) {
    if (typeof pd.text === 'string') body = pd.encoding === 'base64' ? fromBase64(pd.text) : pd.text;
    else if (Array.isArray(pd.params) && pd.params.length > 0)
      throw new ReadError(
        'The HAR request has form params but no postData.text, so the body bytes cannot be known. Export the HAR with content (Chrome: "Save all as HAR with content").',
      );
    if (pd.encoding === 'base64')
      notes.push(['postData.encoding is base64: the body sent is the decoded bytes.']);
    else if (pd.encoding !== undefined)
      notes.push(rich`postData.encoding is ${String(pd.encoding)}: the text is used as written.`);
  } else if (pd !== undefined && pd !== null) throw new ReadError('postData is not an object.');
  return { source: 'har', method, url: browserSentUrl(req.url, notes, 'HAR'), headers, body, notes };
}

/** Reads a HAR log, a single entry ({request}) or a bare request object. */
function readHar(text: string): ParsedRequest | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // strict: only text that names HAR parts is taken as a broken HAR
    const head = text.slice(0, 4096);
    if (/"(?:log|entries|request)"\s*:/.test(head))
      throw new ReadError(
        rich`The HAR is not valid JSON (${e instanceof Error ? e.message : String(e)}): the paste may be cut off.`,
      );
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  const notes: Rich[] = [];
  if (isObject(doc.log)) {
    const entries = doc.log.entries;
    if (!Array.isArray(entries)) throw new ReadError('The HAR log has no "entries" list.');
    if (entries.length === 0)
      throw new ReadError('The HAR has no entries: record the request, then export it again.');
    if (entries.length > 1)
      throw new ReadError(
        rich`The HAR has ${entries.length} entries; keybench reads one request and picks none of them. In the browser's Network panel, right-click the one request and use "Copy as HAR" (or "Copy as cURL").`,
      );
    const entry: unknown = entries[0];
    if (!isObject(entry) || !isObject(entry.request))
      throw new ReadError('The HAR entry has no "request" object.');
    return harRequest(entry.request, notes);
  }
  if (isObject(doc.request)) return harRequest(doc.request, notes);
  if (typeof doc.url === 'string' && typeof doc.method === 'string') return harRequest(doc, notes);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// fetch

/** End (exclusive) of the JSON string literal starting at `start` (a `"`), or -1. */
function jsonStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return -1;
}

/**
 * Headers as the browser's `Headers` holds them: each value loses leading and trailing HTTP
 * whitespace (HTAB, LF, CR, SP), and values of the same name (any case) are combined into one
 * header, `A, B`, under the first name as written. A name or value fetch refuses is an error.
 */
function fetchHeaders(given: [string, string][], notes: Rich[]): [string, string][] {
  const out: [string, string][] = [];
  const at = new Map<string, number>();
  for (const [name, raw] of given) {
    if (!HTTP_TOKEN.test(name))
      throw new ReadError(
        rich`The fetch header name ${name} is not a valid header name: fetch would refuse it.`,
      );
    let a = 0;
    let b = raw.length;
    const ws = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    while (a < b && ws(raw.charCodeAt(a))) a++;
    while (b > a && ws(raw.charCodeAt(b - 1))) b--;
    const value = raw.slice(a, b);
    if (/[\0\r\n]/.test(value))
      throw new ReadError(rich`The fetch header ${name} holds a NUL, CR or LF: fetch would refuse it.`);
    if (value !== raw) notes.push(rich`fetch strips the whitespace around the value of ${name}.`);
    const k = name.toLowerCase();
    const prev = at.get(k);
    const entry = prev === undefined ? undefined : out[prev];
    if (entry) {
      entry[1] += ', ' + value;
      notes.push(
        rich`The fetch headers name ${entry[0]} and ${name}: the browser sends them as one header, the values joined with a comma.`,
      );
    } else {
      at.set(k, out.length);
      out.push([name, value]);
    }
  }
  return out;
}

/** Reads Chrome's `fetch("url", {…});`. The options object is strict JSON as Chrome writes it. */
function readFetch(text: string): ParsedRequest {
  const notes: Rich[] = [];
  const open = text.indexOf('(');
  let i = open + 1;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  if (text[i] !== '"')
    throw new ReadError(
      'The fetch call does not start with a URL in double quotes, as Chrome writes it ("Copy as fetch").',
    );
  const urlEnd = jsonStringEnd(text, i);
  if (urlEnd === -1)
    throw new ReadError('The URL string of the fetch call is not closed: the paste may be cut off.');
  let url: unknown;
  try {
    url = JSON.parse(text.slice(i, urlEnd));
  } catch (e) {
    throw new ReadError(rich`The URL of the fetch call is not a valid string: ${(e as Error).message}`);
  }
  if (typeof url !== 'string' || url === '') throw new ReadError('The fetch call has an empty URL.');

  // the rest: `, {…});` or `);`
  let rest = text.slice(urlEnd).trimEnd();
  if (rest.endsWith(';')) rest = rest.slice(0, -1).trimEnd();
  if (!rest.endsWith(')'))
    throw new ReadError('The fetch call is not closed with ")": the paste may be cut off.');
  rest = rest.slice(0, -1).trim();
  let options: JsonObject = {};
  if (rest !== '') {
    if (!rest.startsWith(','))
      throw new ReadError('Expected "," and the options object after the URL of the fetch call.');
    const objText = rest.slice(1).trim();
    if (objText !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(objText);
      } catch (e) {
        throw new ReadError(
          rich`The options of the fetch call are not strict JSON as Chrome writes them (${(e as Error).message}). Use Chrome's "Copy as fetch" output unchanged.`,
        );
      }
      if (!isObject(parsed)) throw new ReadError('The options of the fetch call are not an object.');
      options = parsed;
    }
  }
  const method = typeof options.method === 'string' ? options.method : options.body != null ? 'POST' : 'GET';
  methodToken(method, 'fetch');
  if (typeof options.method !== 'string' && options.body != null)
    notes.push(['fetch has a body but no method: fetch itself would refuse a GET with a body.']);
  const headers = fetchHeaders(harHeaders(options.headers, notes, 'The fetch'), notes);
  let body = '';
  if (typeof options.body === 'string') body = options.body;
  else if (options.body != null) throw new ReadError('The fetch body is not a string.');
  if (typeof options.referrer === 'string' && options.referrer !== '')
    notes.push(
      rich`The browser also sends a Referer header (from "referrer": ${options.referrer.slice(0, 80)}) per its referrer policy.`,
    );
  if (options.credentials === 'include')
    notes.push(['"credentials": "include": the browser also sends its cookies for the site.']);
  return { source: 'fetch', method, url: browserSentUrl(url, notes, 'fetch'), headers, body, notes };
}

// ---------------------------------------------------------------------------------------------

/**
 * What a paste is: a request, something else, or a request that cannot be read. Never throws.
 * Agrees with {@link sniffRequest}: text it takes for a request is never 'not-request' here (the
 * page would wait for a request that never comes), but an error naming the form it looks like.
 */
export function parseRequest(text: string): RequestParse {
  const r = parseForms(text);
  if (r.kind !== 'not-request') return r;
  const sniffed = sniffRequest(text);
  if (sniffed === null) return r;
  const what = { curl: 'a curl command', http: 'a raw HTTP request', har: 'a HAR', fetch: 'a fetch call' }[
    sniffed
  ];
  return parseError(sniffed, [
    `This looks like ${what} but could not be read as one. Paste the request exactly as copied: a curl command starting with "curl", an HTTP request line such as "POST /path HTTP/1.1", a HAR (log, entry or request with "url"), or Chrome's "Copy as fetch".`,
  ]);
}

function parseForms(text: string): RequestParse {
  const start =
    text.length > 0 && (text.charCodeAt(0) <= 0x20 || text.charCodeAt(0) === 0xfeff)
      ? text.replace(/^[\s\uFEFF]+/, '')
      : text;
  const source = recognise(start);
  if (source === undefined) return { kind: 'not-request' };
  if (
    start.length > MAX_REQUEST_BYTES ||
    (start.length * 3 > MAX_REQUEST_BYTES && utf8Length(start) > MAX_REQUEST_BYTES)
  )
    return parseError(
      source,
      [
        `The pasted request is over ${MAX_REQUEST_BYTES / 1024 / 1024} MB: keybench reads requests up to that size.`,
      ],
      'ERR_REQUEST_TOO_LARGE',
    );
  try {
    const request = READERS[source](start);
    return request ? { kind: 'request', request } : { kind: 'not-request' };
  } catch (e) {
    if (e instanceof ReadError) return parseError(source, e.parts, e.code);
    const why = e instanceof Error ? e.message : String(e);
    return parseError(
      source,
      source === 'curl'
        ? rich`The curl command could not be read: ${why}`
        : rich`The request could not be read: ${why}`,
    );
  }
}

/** The reader of each form; a HAR reader finds no request in JSON that names none. */
const READERS: Record<RequestSource, (text: string) => ParsedRequest | undefined> = {
  curl: readCurl,
  http: readHttp,
  har: readHar,
  fetch: readFetch,
};
