/**
 * Every request scheme's check, for the doctor. Eager on purpose: recognising a request needs every
 * scheme's `recognise()`, and the doctor runs in its own worker chunk, so one chunk holding them all
 * costs nothing on the page (lazy chunks per scheme only added preload lists to the first load).
 */
import { toRequestCheck } from './check';
import type { RequestScheme } from './types';
import { schemesIn } from './metas';
import type { RequestCheck } from './contract';

const declared = import.meta.glob<RequestScheme | readonly RequestScheme[]>('../schemes/*/scheme.ts', {
  eager: true,
  import: 'default',
});

/** The request checks (token checks are the inspector's), in folder order. */
export const REQUEST_CHECKS: readonly RequestCheck[] = Object.keys(declared)
  .sort()
  .flatMap((path) => schemesIn(declared[path]!).map((s) => toRequestCheck(s)));
