/** The Binance signer's form input (issue 14; both forms of issue 18). */
import { KeybenchError } from '../../errors';

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
 * `&`, each name and value percent-decoded (`+` is a space), since it is already encoded. With
 * `encoded`, each line is written percent-encoded, as sent (`note=a%0Ab`), and is decoded first: that
 * is how a value holding a line break or `&` fits on one line.
 * @throws KeybenchError ERR_PARTNER_INPUT for a line or part without `=` or with an empty name, a
 * line holding `&` among several lines (it would silently become one parameter holding `&…`), or
 * a broken `%` escape where the text is percent-encoded.
 */
export function parseBinanceParams(text: string, what: string, encoded = false): [string, string][] {
  if (encoded) return parseEncodedLines(text, what);
  return binanceParamsForm(text) === 'query' ? parseQuery(text.trim(), what) : parseLines(text, what);
}

/** Form decoding (`+` is a space), strict: undefined for a malformed `%` escape. */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Split one `name=value` line at its first `=`. */
function nameValue(l: string, i: number, what: string): [string, string] {
  const eq = l.indexOf('=');
  if (eq <= 0) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `${what}, line ${i + 1}: write one name=value a line (got "${l.slice(0, 40)}").`,
    );
  }
  return [l.slice(0, eq).trim(), l.slice(eq + 1)];
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
    out.push(nameValue(l, i, what));
  }
  return out;
}

function parseEncodedLines(text: string, what: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const l = line.replace(/\r$/, '');
    if (!l.trim()) continue;
    const [name, value] = nameValue(l, i, what);
    const n = formDecode(name);
    const v = formDecode(value);
    if (n === undefined || v === undefined) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `${what}, line ${i + 1}: not valid percent-encoding (a % must be followed by two hex digits of UTF-8). Untick "percent-encoded" to type values as they are.`,
      );
    }
    out.push([n, v]);
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

/** The signer's two parameter boxes, filled from a request as sent. */
export interface BinanceFormLines {
  query: string;
  body: string;
  /** The lines are percent-encoded, as sent (see {@link parseBinanceParams}). */
  encoded: boolean;
}

const ADDED_BY_KEYBENCH = /^(timestamp|recvWindow|signature)=/;

/**
 * One `name=value` line per parameter of a query string and a form body as sent, leaving out
 * timestamp, recvWindow and signature (keybench adds them when it signs). Values are decoded so the
 * user reads them as typed, unless a value holds a line break (`%0A`, `%0D`): a line cannot hold
 * it, and decoding would split it into two parameters. Then every line stays percent-encoded, as
 * sent, and `encoded` is true.
 */
export function binanceFormFromRequest(query: string, body: string): BinanceFormLines {
  const segments = (text: string) => text.split('&').filter((p) => p && !ADDED_BY_KEYBENCH.test(p));
  const q = segments(query);
  const b = segments(body);
  const decoded = (p: string) => formDecode(p) ?? p;
  // A decoded `&` would read as a query string, a line break as two lines: keep those encoded.
  const breaks =
    [...q, ...b].some((p) => /[\r\n&]/.test(decoded(p))) ||
    [...q, ...b].some((p) => decoded(p).startsWith('?'));
  if (breaks) return { query: q.join('\n'), body: b.join('\n'), encoded: true };
  return { query: q.map(decoded).join('\n'), body: b.map(decoded).join('\n'), encoded: false };
}
