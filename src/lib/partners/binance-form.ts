/** The Binance signer's form input (issue 14). */
import { KeybenchError } from '../errors';

/** Form decoding (`+` is a space), strict: undefined for a malformed `%` escape. */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Parameters typed one `name=value` a line (blank lines skipped; the first `=` splits, so values
 * may hold `=`). Names and values are taken as typed: keybench percent-encodes them. With `encoded`,
 * each line is written percent-encoded, as sent (`note=a%0Ab`), and is decoded first: that is how a
 * value holding a line break fits on one line.
 * @throws KeybenchError ERR_PARTNER_INPUT for a line without `=` or with an empty name, or (encoded)
 *   a malformed `%` escape.
 */
export function parseBinanceParams(text: string, what: string, encoded = false): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const l = line.replace(/\r$/, '');
    if (!l.trim()) continue;
    const eq = l.indexOf('=');
    if (eq <= 0) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `${what}, line ${i + 1}: write one name=value a line (got "${l.slice(0, 40)}").`,
      );
    }
    const name = l.slice(0, eq).trim();
    const value = l.slice(eq + 1);
    if (!encoded) {
      out.push([name, value]);
      continue;
    }
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
  const breaks = [...q, ...b].some((p) => /[\r\n]/.test(decoded(p)));
  if (breaks) return { query: q.join('\n'), body: b.join('\n'), encoded: true };
  return { query: q.map(decoded).join('\n'), body: b.map(decoded).join('\n'), encoded: false };
}
