/**
 * The page's one Trusted Types policy of its own. The CSP (`require-trusted-types-for 'script'`)
 * makes every script URL sink, `navigator.serviceWorker.register` included, refuse plain strings;
 * this policy turns exactly one URL, keybench's own service worker, into a TrustedScriptURL and
 * throws for anything else. It is created when this module loads, with the first script, so no
 * later code can take its name (the CSP allows each name once).
 */
import type { TrustedScriptURL, TrustedTypePolicyFactory } from 'trusted-types/lib';

/** The policy's name; index.html's CSP lists it in `trusted-types`. */
export const SW_POLICY_NAME = 'keybench-sw';

/** Turns the service worker's URL, and only it, into a TrustedScriptURL. */
export interface ServiceWorkerPolicy {
  /** The one URL this policy vouches for (absolute). */
  readonly url: string;
  /** @throws TypeError for any URL but `url`. */
  createScriptURL(url: string): TrustedScriptURL | string;
}

/**
 * A one-URL policy for `url`. Without Trusted Types (other browsers, Node) it checks the URL the
 * same way and returns the string, which is then all the browser asks for.
 * @throws TypeError (from the factory) when the name is taken or not allowed by the CSP.
 */
export function createServiceWorkerPolicy(
  factory: TrustedTypePolicyFactory | undefined,
  url: string,
): ServiceWorkerPolicy {
  const only = (input: string) => {
    if (input !== url) throw new TypeError(`${SW_POLICY_NAME} vouches only for ${url}, not ${input}`);
    return input;
  };
  const policy = factory?.createPolicy(SW_POLICY_NAME, { createScriptURL: only });
  return { url, createScriptURL: (input) => (policy ? policy.createScriptURL(input) : only(input)) };
}

/** keybench's service worker, `sw.js` next to index.html (the build's base is `./`). */
function serviceWorkerUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}sw.js`, document.baseURI).href;
}

/** The page's policy, or null where there is no page (unit tests in Node). */
export const serviceWorkerPolicy: ServiceWorkerPolicy | null =
  typeof window === 'undefined'
    ? null
    : createServiceWorkerPolicy(
        (window as { trustedTypes?: TrustedTypePolicyFactory }).trustedTypes,
        serviceWorkerUrl(),
      );
