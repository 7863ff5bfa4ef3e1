/**
 * Every request scheme's check, for the doctor. Eager on purpose: recognising a request needs every
 * scheme's `recognise()`, and the doctor runs in its own worker chunk, so one chunk holding them all
 * costs nothing on the page (lazy chunks per scheme only added preload lists to the first load).
 */
import { toRequestCheck } from './check';
import { REQUEST_SCHEMES } from './metas';
import type { RequestCheck } from './contract';

/** The request checks (token checks are the inspector's), in folder order. */
export const REQUEST_CHECKS: readonly RequestCheck[] = [...REQUEST_SCHEMES.values()].map((s) =>
  toRequestCheck(s),
);
