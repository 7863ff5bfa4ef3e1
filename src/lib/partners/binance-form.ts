/** The Binance signer's form input (issue 14; both forms of issue 18). */
import { KeybenchError } from '../errors';

/** How a parameter box was written: one `name=value` a line, or a query string (`a=1&b=2`, `?a=1`). */
export type BinanceParamsForm = 'lines' | 'query';

/**
 * Which form a box holds: a query string when it is one line that starts with `?` or holds `&`
 * (as Binance's docs and curl examples write it); otherwise one `name=value` a line.
 */
export function binanceParamsForm(text: string): BinanceParamsForm {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length !== 1) return 'lines';
  const only = lines[0]!.trim();
  return only.startsWith('?') || only.includes('&') ? 'query' : 'lines';
}

/**
 * Parameters in either form. One a line: blank lines skipped, the first `=` splits (values may hold
 * `=`), names and values taken as typed (keybench percent-encodes them). A query string: split at
 * `&`, each name and value percent-decoded (`+` is a space), since it is already encoded.
 * @throws KeybenchError ERR_PARTNER_INPUT for a line or part without `=` or with an empty name, a
 * line holding `&` among several lines (it would silently become one parameter holding `&…`), or
 * a query string with a broken `%` escape.
 */
export function parseBinanceParams(text: string, what: string): [string, string][] {
  return binanceParamsForm(text) === 'query' ? parseQuery(text.trim(), what) : parseLines(text, what);
}

function parseLines(text: string, what: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const l = line.replace(/\r$/, '');
    if (!l.trim()) continue;
    if (l.includes('&')) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `${what}, line ${i + 1} holds "&". Put each parameter on its own line, or paste the whole query string (a=1&b=2) alone on one line. A value with "&" in it: write it %26 in a query string.`,
      );
    }
    const eq = l.indexOf('=');
    if (eq <= 0) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `${what}, line ${i + 1}: write one name=value a line (got "${l.slice(0, 40)}").`,
      );
    }
    out.push([l.slice(0, eq).trim(), l.slice(eq + 1)]);
  }
  return out;
}

function parseQuery(text: string, what: string): [string, string][] {
  const out: [string, string][] = [];
  const parts = text.replace(/^\?/, '').split('&');
  for (const [i, part] of parts.entries()) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `${what}, parameter ${i + 1} of the query string: write name=value (got "${part.slice(0, 40)}").`,
      );
    }
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        throw new KeybenchError(
          'ERR_PARTNER_INPUT',
          `${what}, parameter ${i + 1} of the query string: "${part.slice(0, 40)}" has a broken % escape (write % itself as %25).`,
        );
      }
    };
    out.push([decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return out;
}
