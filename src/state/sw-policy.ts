/**
 * The page's one Trusted Types policy of its own. The CSP (`require-trusted-types-for 'script'`)
 * makes every script URL sink, `navigator.serviceWorker.register` and `new Worker` included, refuse
 * plain strings; this policy turns exactly two URLs, keybench's own service worker and its request
 * doctor's worker, into TrustedScriptURLs and throws for anything else. It is created when this
 * module loads, with the first script, so no later code can take its name (the CSP allows each
 * name once).
 */
import type { TrustedScriptURL, TrustedTypePolicyFactory } from 'trusted-types/lib';
// Only the URL of the worker's chunk (a string): the worker and the doctor load when first used.
import doctorWorkerPath from '../lib/scheme/doctor.worker.ts?worker&url';

/** The policy's name; index.html's CSP lists it in `trusted-types`. */
export const SW_POLICY_NAME = 'keybench-sw';

/** Turns the service worker's URL and the doctor worker's, and only them, into TrustedScriptURLs. */
export interface ServiceWorkerPolicy {
  /** The service worker's URL (absolute). */
  readonly url: string;
  /** @throws TypeError for any URL the policy was not made for. */
  createScriptURL(url: string): TrustedScriptURL | string;
}

/**
 * A policy for `url` and the `others` given, exactly. Without Trusted Types (other browsers, Node)
 * it checks the URL the same way and returns the string, which is then all the browser asks for.
 * @throws TypeError (from the factory) when the name is taken or not allowed by the CSP.
 */
export function createServiceWorkerPolicy(
  factory: TrustedTypePolicyFactory | undefined,
  url: string,
  ...others: string[]
): ServiceWorkerPolicy {
  const urls = [url, ...others];
  const only = (input: string) => {
    if (!urls.includes(input))
      throw new TypeError(`${SW_POLICY_NAME} vouches only for ${urls.join(' and ')}, not ${input}`);
    return input;
  };
  const policy = factory?.createPolicy(SW_POLICY_NAME, { createScriptURL: only });
  return { url, createScriptURL: (input) => (policy ? policy.createScriptURL(input) : only(input)) };
}

/** keybench's service worker, `sw.js` next to index.html (the build's base is `./`). */
function serviceWorkerUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}sw.js`, document.baseURI).href;
}

/** The request doctor's module worker, as built (absolute). */
export function doctorWorkerUrl(): string {
  return new URL(doctorWorkerPath, document.baseURI).href;
}

/** The page's policy, or null where there is no page (unit tests in Node). */
export const serviceWorkerPolicy: ServiceWorkerPolicy | null =
  typeof window === 'undefined'
    ? null
    : createServiceWorkerPolicy(
        (window as { trustedTypes?: TrustedTypePolicyFactory }).trustedTypes,
        serviceWorkerUrl(),
        doctorWorkerUrl(),
      );
