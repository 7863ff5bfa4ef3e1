/** The views, by their hash route. */
export type View = 'keys' | 'inspect' | 'sign';

const VIEWS: readonly View[] = ['keys', 'inspect', 'sign'];

/** Split `#/view?query` into its view (default keys) and query text. */
export function parseHash(hash: string): { view: View; query: string } {
  const m = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  const view = (VIEWS as readonly string[]).includes(m?.[1] ?? '') ? (m![1] as View) : 'keys';
  return { view, query: m?.[2] ?? '' };
}

/** One parameter of a query string, or null. */
export function queryParam(query: string, name: string): string | null {
  return new URLSearchParams(query).get(name);
}
