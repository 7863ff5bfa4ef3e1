/** The views, by their hash route; `home` is the landing at the site root (`#/` or no fragment). */
export type View = 'home' | 'keys' | 'inspect' | 'sign';

const VIEWS: readonly View[] = ['keys', 'inspect', 'sign'];

/** Split `#/view?query` into its view (the landing for an empty or unknown one) and query text. */
export function parseHash(hash: string): { view: View; query: string } {
  const m = /^#\/([a-z]*)(?:\?(.*))?$/.exec(hash);
  const view = (VIEWS as readonly string[]).includes(m?.[1] ?? '') ? (m![1] as View) : 'home';
  return { view, query: m?.[2] ?? '' };
}

/** One parameter of a query string, or null. */
export function queryParam(query: string, name: string): string | null {
  return new URLSearchParams(query).get(name);
}
