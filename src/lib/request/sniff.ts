/**
 * Whether the first box holds a signed HTTP request (curl, raw HTTP, HAR, "Copy as fetch") rather
 * than a JWT. Cheap and small: it is in the first-load bundle; the parser and the doctor load lazily.
 */

const HEAD = 4096;

/** The form the text looks like, or null for anything else (a JWT, a key, prose). */
export function sniffRequest(text: string): 'curl' | 'http' | 'har' | 'fetch' | null {
  const head = text.slice(0, HEAD).replace(/^[\s\uFEFF]+/, '');
  if (/^(?:\$\s+)?curl(?:\.exe)?\s/i.test(head)) return 'curl';
  if (/^(?:await\s+)?fetch\s*\(/.test(head)) return 'fetch';
  if (/^[A-Za-z]+ \S+ HTTP\/\d(?:\.\d)?\r?\n/.test(head)) return 'http';
  if (head.startsWith('{') && /"(?:log|request|entries)"\s*:/.test(head) && /"url"\s*:/.test(text))
    return 'har';
  return null;
}
