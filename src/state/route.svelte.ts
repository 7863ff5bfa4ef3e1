import { parseHash, queryParam, type View } from './hash-route';

export type { View };

/** The current hash route (`#/keys`, `#/inspect`, `#/sign`), with parameters after `?` in the fragment. */
class Route {
  #view = $state<View>('home');
  #query = $state('');

  constructor() {
    if (typeof window === 'undefined') return;
    this.#read();
    // Follow the address bar: links and back/forward change the hash.
    window.addEventListener('hashchange', () => this.#read());
  }

  #read() {
    const r = parseHash(window.location.hash);
    this.#view = r.view;
    this.#query = r.query;
  }

  get view() {
    return this.#view;
  }
  /** A parameter from the fragment's query part (`#/inspect?token=…`), or null. */
  param(name: string): string | null {
    return queryParam(this.#query, name);
  }

  /** Drop parameters from the address bar without a new history entry (e.g. a token in the fragment). */
  clearParams() {
    history.replaceState(null, '', this.#view === 'home' ? '#/' : `#/${this.#view}`);
    this.#query = '';
  }
}

/** The app's one route. */
export const route = new Route();
