/**
 * The request doctor for Qredo (issue 12), as today's callers use it: the scheme's check
 * (check.ts) decided by the one rule (trust/verdict.ts). The engine's doctor calls the check itself.
 */
import type { DoctorInput, RequestVerdict } from '../../request/types';
import type { VerificationContext } from '../../trust/roles';
import { decideRequest } from '../../trust/verdict';
import check from './check';

/** A pasted request is one sent to Qredo: the user's own keys verify it (trust/roles.ts). */
export const REQUEST_TO_QREDO: VerificationContext = { direction: 'request-to', partner: 'qredo' };

/**
 * Verify a pasted Qredo Partner API request with the keys the user trusts, and when x-sign does not
 * verify over the bytes sent, find which mistake explains it (each confirmed by a signature check).
 * Only RSA public keys from `input.keys` are used; nothing the request carries is trusted.
 */
export async function diagnoseQredo(input: DoctorInput): Promise<RequestVerdict> {
  const result = await check.verify(input);
  if (Array.isArray(result)) throw new Error('The Qredo check returns one result per request.');
  return decideRequest(REQUEST_TO_QREDO, result);
}
