/**
 * What the three QI Tech request checks (qit-v1, qit-v2, qi-dtvm: each folder's check.ts) share:
 * recognising a request as one of them, and checking it with the doctor (doctor.ts).
 */
import { decodeToken } from '../../jwt/decode';
import { own } from '../../json';
import { header, type DoctorInput, type ParsedRequest } from '../../request/types';
import type { SchemeResult } from '../../trust/verdict';
import { qitechResult, type QitDoctorScheme } from './doctor';
import { bearerPrefix, bearerRefused, withoutPrefix, withUncovered } from './refuse';
import { recogniseQitScheme } from './request';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** QIT v1: `AUTHORIZATION: QIT …` (2), else 0. */
export function recogniseV1(req: ParsedRequest): number {
  return /^QIT\s/i.test(header(req, 'authorization')?.trim() ?? '') ? 2 : 0;
}

/**
 * The AUTHORIZATION JWT of a v2 / QI DTVM request: one whose claims carry uri or payload_md5, with
 * or without a `Bearer ` prefix (a mistake of its own: as a bearer token its claims about the body
 * and URI would go unchecked).
 */
export function qitJwtOf(req: ParsedRequest): string | undefined {
  const auth = header(req, 'authorization')?.trim();
  if (!auth) return undefined;
  const jwt = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? auth;
  if (!JWT.test(jwt)) return undefined;
  const claims = decodeToken(jwt).payload;
  const value = claims?.kind === 'json' ? claims.value : undefined;
  return own(value, 'uri') !== undefined || own(value, 'payload_md5') !== undefined ? jwt : undefined;
}

/** v2 or QI DTVM: 2 for the one the token's timestamp form shows, 1 for the other, 0 for no such JWT. */
export function recogniseV2Family(req: ParsedRequest, id: 'qit-v2' | 'qi-dtvm'): number {
  const jwt = qitJwtOf(req);
  if (jwt === undefined) return 0;
  const dtvm = recogniseQitScheme(jwt) === 'qi-dtvm';
  return dtvm === (id === 'qi-dtvm') ? 2 : 1;
}

/**
 * Check a QI Tech request under `scheme` with the keys the engine passes: the doctor's result, the
 * v1 body members no signature covers (a warning), and a v2 / QI DTVM token behind "Bearer "
 * checked as sent behind it and refused.
 */
export async function verifyQit(input: DoctorInput, scheme: QitDoctorScheme): Promise<SchemeResult> {
  const prefix = scheme === 'qit-v1' ? 0 : bearerPrefix(input.request);
  const request = prefix ? withoutPrefix(input.request, prefix) : input.request;
  const examined = await qitechResult({ ...input, request }, scheme);
  const found = scheme === 'qit-v1' ? withUncovered(examined, input.request) : examined;
  return prefix ? bearerRefused(found) : found;
}
