/**
 * Check a QI Tech request signed elsewhere, by scheme or by recognising it: "QIT …" is v1, a
 * bare JWT whose timestamp has no fraction and no Z is QI DTVM, any other bare JWT is v2.
 */
import { decodeToken } from '../jwt/decode';
import { verifyQitRequest } from './qitech';
import { claimsOf, type QitRequestInput, type QitRequestVerdict } from './qitech-shared';
import { V2, verifyV2Request } from './qitech-v2';
import { QI_DTVM } from './qi-dtvm';

/** Which scheme to check a request against. */
export type QitSchemeChoice = 'auto' | 'v1' | 'v2' | 'qi-dtvm';

/** The scheme a pasted AUTHORIZATION value looks like. */
export function recogniseQitScheme(authorization: string): 'v1' | 'v2' | 'qi-dtvm' {
  const text = authorization.replace(/^\s*AUTHORIZATION:\s*/i, '').trim();
  if (/^QIT\s/i.test(text)) return 'v1';
  const ts = claimsOf(decodeToken(text))?.timestamp;
  return typeof ts === 'string' && QI_DTVM.timestampPattern.test(ts) ? 'qi-dtvm' : 'v2';
}

/** Check a request under the chosen (or recognised) scheme. */
export function verifyQitechRequest(
  scheme: QitSchemeChoice,
  input: QitRequestInput,
): Promise<QitRequestVerdict> {
  const s = scheme === 'auto' ? recogniseQitScheme(input.authorization) : scheme;
  if (s === 'v1') return verifyQitRequest(input);
  return verifyV2Request(s === 'v2' ? V2 : QI_DTVM, input);
}
