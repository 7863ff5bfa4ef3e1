/**
 * The templates the rules are written with: `{clientId}` is an option's value, `{name?}` the same
 * but dropped when empty, `{now}`, `{now+600}`, `{now-60}` times in seconds, `{jti}` a fresh UUID,
 * `{nonce}` 16 random bytes as hex, `{uri}` Coinbase's `METHOD host/path` of the URL option.
 */
import { toHex } from '../../encoding/base64url';
import { u, type Part, type Rich } from '../../rich';

/** The values a template can use: the options, plus derived ones. */
export type Vars = Readonly<Record<string, string>>;

/** The options with the derived `{uri}` added (when `url` parses). */
export function deriveVars(options: Readonly<Record<string, string>>): Record<string, string> {
  const vars: Record<string, string> = { ...options };
  const url = options.url?.trim();
  if (url) {
    try {
      const u = new URL(url);
      vars.uri = `${(options.method ?? 'GET').toUpperCase()} ${u.host}${u.pathname}`;
    } catch {
      // not a URL: {uri} stays unset and the rule says the option is missing
    }
  }
  return vars;
}

/** The names of the options a template uses (not the derived times, jti or nonce). */
export function optionsUsed(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z]+)\??\}/g)]
    .map((m) => m[1]!)
    .filter((n) => !['now', 'jti', 'nonce', 'assertion'].includes(n));
}

/** A template filled from `vars`, or null when an option it needs is empty. */
export function fill(template: string, vars: Vars): string | null {
  let missing = false;
  const out = template.replace(/\{([A-Za-z]+)(\?)?\}/g, (_, name: string) => {
    const v = vars[name]?.trim() ?? '';
    if (v === '') missing = true;
    return v;
  });
  return missing ? null : out;
}

/** Fresh values for one signature: times, a jti and a nonce. */
export function freshVars(nowMs: number): Record<string, string> {
  return {
    jti: crypto.randomUUID(),
    nonce: toHex(crypto.getRandomValues(new Uint8Array(16))),
    now: String(Math.floor(nowMs / 1000)),
  };
}

/**
 * A claim or header value from its template: `{now±N}` becomes a number, an optional template
 * (`{x?}`) whose option is empty becomes undefined (the claim is left out).
 * @throws Error naming the option when a required one is empty (the form checks `requires` first).
 */
export function value(template: string, vars: Vars): string | number | undefined {
  const time = /^\{now([+-]\d+)?\}$/.exec(template);
  if (time) return Number(vars.now) + Number(time[1] ?? 0);
  const filled = fill(template, vars);
  if (filled !== null) return filled;
  if (/\{[A-Za-z]+\?\}/.test(template)) return undefined;
  throw new Error(`missing ${optionsUsed(template).join(', ')}`);
}

/**
 * A rule's words filled in: `{name}` becomes `untrusted[name]` kept apart as untrusted text, or
 * `ours[name]` as keybench's words; the rest of the template is keybench's words.
 */
export function say(
  template: string,
  untrusted: Readonly<Record<string, string>> = {},
  ours: Readonly<Record<string, string | number>> = {},
): Rich {
  const parts: Part[] = [];
  let at = 0;
  for (const m of template.matchAll(/\{([A-Za-z]+)\}/g)) {
    const name = m[1]!;
    const mine = ours[name];
    if (mine === undefined && !(name in untrusted)) continue;
    if (m.index > at) parts.push(template.slice(at, m.index));
    if (mine !== undefined) {
      if (mine !== '') parts.push(String(mine));
    } else parts.push(u(untrusted[name]));
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return parts;
}
