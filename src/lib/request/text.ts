/**
 * Small text helpers shared by the request readers.
 */
/**
 * The text without leading and trailing SP and HTAB: HTTP's optional whitespace (RFC 9110 §5.6.3),
 * which is all a server strips around a field value. Never `String.prototype.trim`, which also
 * strips U+00A0, \f, \v, U+2028, U+3000 and a BOM: bytes that are sent and signed. A loop, not a
 * regular expression (`[ \t]+$` backtracks on long runs of spaces).
 */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Whether the text is only C `isspace` characters (SP, HT, LF, VT, FF, CR), as curl tests a header value. */
export function isCBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}

/**
 * RFC 3986 §5.2.4 remove_dot_segments on an absolute path (`/a/../b/./c` → `/b/c`), as curl 7.88+
 * does unless --path-as-is. One split and one pass: linear.
 */
export function removeDotSegments(path: string): string {
  if (!path.includes('.')) return path;
  const segs = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segs.length; i++) {
    const s = segs[i] ?? '';
    const last = i === segs.length - 1;
    if (s === '.') {
      if (last) out.push('');
    } else if (s === '..') {
      out.pop();
      if (last) out.push('');
    } else out.push(s);
  }
  return '/' + out.join('/');
}

/** The URL with its `#fragment` removed (no client sends it). */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** An RFC 9110 token: what an HTTP method or header name must be. */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A strict UTF-8 decoder: bytes that are not UTF-8 text are an error, never U+FFFD. */
export const UTF8 = new TextDecoder('utf-8', { fatal: true });
