/** The Binance signer's form input (issue 14). */
import { KeybenchError } from '../errors';

/**
 * Parameters typed one `name=value` a line (blank lines skipped; the first `=` splits, so values
 * may hold `=`). Names and values are taken as typed: keybench percent-encodes them.
 * @throws KeybenchError ERR_PARTNER_INPUT for a line without `=` or with an empty name.
 */
export function parseBinanceParams(text: string, what: string): [string, string][] {
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
    out.push([l.slice(0, eq).trim(), l.slice(eq + 1)]);
  }
  return out;
}
