/**
 * The Qredo doctor as the app runs it: the engine's verification of src/lib/schemes/qredo/scheme.ts
 * with the keys whose role fits a request sent to Qredo, decided by the one rule.
 */
import type { DoctorInput, RequestVerdict } from '../../src/lib/request/types';
import { verifyScheme } from '../../src/lib/scheme/check';
import qredo from '../../src/lib/schemes/qredo/scheme';
import { keysFor, type VerificationContext } from '../../src/lib/trust/roles';
import { decideRequest } from '../../src/lib/trust/verdict';

/** A pasted request is one sent to Qredo: the user's own keys verify it. */
export const REQUEST_TO_QREDO: VerificationContext = { direction: 'request-to', partner: 'qredo' };

/** Verify a Qredo request; `filter: false` passes every key to the scheme (the role rule then refuses). */
export async function diagnoseQredo(input: DoctorInput, filter = true): Promise<RequestVerdict> {
  const keys = filter ? keysFor(REQUEST_TO_QREDO, input.keys) : input.keys;
  return decideRequest(REQUEST_TO_QREDO, await verifyScheme(qredo, { ...input, keys }));
}
