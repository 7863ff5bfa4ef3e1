/**
 * The request doctor (issue 12): read a pasted request, recognise its partner scheme from its
 * headers, verify it with keys the user trusts, and diagnose why it fails. Loaded lazily.
 */
import { decodeToken } from '../jwt/decode';
import { own } from '../json';
import type { VerificationKey } from '../jwt/verify';
import type { ErrorCode } from '../errors';
import { rich, type Rich } from '../rich';
import { recogniseQitScheme } from '../partners/qitech-request';
import { diagnoseQredo } from '../partners/qredo-doctor';
import { diagnoseQitech } from '../partners/qitech-doctor';
import { parseRequest } from './parse';
import { header, type ParsedRequest, type RequestScheme, type RequestVerdict } from './types';

export { parseRequest };

/** What keybench makes of a pasted request. */
export type RequestExamination =
  | { kind: 'error'; code: ErrorCode; parts: Rich; request?: ParsedRequest }
  /** A plain bearer JWT: it goes to the token inspector. */
  | { kind: 'bearer'; request: ParsedRequest; token: string }
  | { kind: 'verdict'; request: ParsedRequest; verdict: RequestVerdict };

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The partner scheme a request's headers show, a bearer JWT, or null. */
export function schemeOf(req: ParsedRequest): RequestScheme | { bearer: string } | null {
  if (header(req, 'x-sign') !== undefined) return 'qredo';
  const auth = header(req, 'authorization')?.trim();
  if (auth) {
    if (/^QIT\s/i.test(auth)) return 'qit-v1';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const jwt = bearer ?? auth;
    if (JWT.test(jwt)) {
      const claims = decodeToken(jwt).payload;
      const value = claims?.kind === 'json' ? claims.value : undefined;
      const qi = own(value, 'uri') !== undefined || own(value, 'payload_md5') !== undefined;
      if (qi && !bearer) return recogniseQitScheme(jwt) === 'qi-dtvm' ? 'qi-dtvm' : 'qit-v2';
      return { bearer: jwt };
    }
  }
  return null;
}

/** The key family a scheme's signatures use (to read the key box with). */
export function algOfScheme(s: RequestScheme): 'RS256' | 'ES512' {
  return s === 'qredo' ? 'RS256' : 'ES512';
}

/** Read the pasted text as a request and, when it is one, examine it with the given trusted keys. */
export async function examineRequest(
  text: string,
  keysFor: (scheme: RequestScheme) => Promise<VerificationKey[] | { code: ErrorCode; parts: Rich }>,
  nowMs: number,
): Promise<RequestExamination | null> {
  const parsed = parseRequest(text);
  if (parsed.kind === 'not-request') return null;
  if (parsed.kind === 'error') return { kind: 'error', code: parsed.code, parts: [parsed.message] };
  const request = parsed.request;
  const scheme = schemeOf(request);
  if (scheme === null) {
    const names = request.headers.map(([n]) => n).join(', ') || 'none';
    return {
      kind: 'error',
      code: 'ERR_REQUEST_NO_SCHEME',
      parts: rich`This request carries no signature keybench knows. It looks for Qredo's x-sign, QI Tech's AUTHORIZATION (QIT … or a JWT with payload_md5/uri) or an Authorization: Bearer JWT. Headers seen: ${names}.`,
      request,
    };
  }
  if (typeof scheme === 'object') return { kind: 'bearer', request, token: scheme.bearer };
  const keys = await keysFor(scheme);
  if (!Array.isArray(keys)) return { kind: 'error', code: keys.code, parts: keys.parts, request };
  const input = { request, keys, nowMs };
  const verdict = scheme === 'qredo' ? await diagnoseQredo(input) : await diagnoseQitech(input, scheme);
  return { kind: 'verdict', request, verdict };
}
