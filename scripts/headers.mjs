// Reads public/_headers (the format Netlify and Cloudflare Pages use) so that `vite preview`, the
// tests and the size check all see the same headers a static host would send.
import { existsSync, readFileSync } from 'node:fs';

/** @typedef {{ path: string, headers: [string, string][] }} HeaderRule */

/**
 * Parse a _headers file into rules: a path pattern (`*` matches anything) and its headers.
 * A missing file gives no rules. @throws Error on a header line before any path.
 * @param {string} file
 * @returns {HeaderRule[]}
 */
export function readHeadersFile(file) {
  if (!existsSync(file)) return [];
  /** @type {HeaderRule[]} */
  const rules = [];
  for (const [i, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.trimEnd();
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ path: line.trim(), headers: [] });
      continue;
    }
    const rule = rules.at(-1);
    const colon = line.indexOf(':');
    if (!rule || colon < 0) throw new Error(`${file}:${i + 1}: expected "Name: value" under a path`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

/**
 * The headers of every rule whose pattern matches the path, in file order.
 * @param {HeaderRule[]} rules
 * @param {string} path
 * @returns {[string, string][]}
 */
export function headersForPath(rules, path) {
  return rules
    .filter(({ path: pattern }) => {
      const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
      return re.test(path);
    })
    .flatMap((r) => r.headers);
}

/** @param {string} s */
function escape(s) {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
