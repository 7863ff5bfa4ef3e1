/**
 * adapter (H1): the QI Tech v2 request check (and, through `qitV2Check`, QI DTVM's), wrapping
 * today's qitechResult until H4's checks replace it. Holds the Bearer-prefix diagnosis that was in
 * request/doctor.ts (request/ knows no partner now).
 */
import { decodeToken } from '../../jwt/decode';
import { own } from '../../json';
import { qitechResult } from '../../partners/qitech-doctor';
import { recogniseQitScheme } from '../../partners/qitech-request';
import { header, type ParsedRequest, type RequestVerdict } from '../../request/types';
import type { SchemeResult } from '../../trust/verdict';
import { defineRequestCheck, type RequestCheck } from '../engine/types';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Which of v2 and QI DTVM an AUTHORIZATION JWT (bare or behind "Bearer") is, or null. A QI Tech
 * token is checked as one even behind "Bearer" (a mistake of its own): as a bearer token its claims
 * about the body and URI would go unchecked.
 */
function qiSchemeOf(req: ParsedRequest): 'qit-v2' | 'qi-dtvm' | null {
  const auth = header(req, 'authorization')?.trim();
  if (!auth) return null;
  const jwt = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? auth;
  if (!JWT.test(jwt)) return null;
  const claims = decodeToken(jwt).payload;
  const value = claims?.kind === 'json' ? claims.value : undefined;
  if (own(value, 'uri') === undefined && own(value, 'payload_md5') === undefined) return null;
  return recogniseQitScheme(jwt) === 'qi-dtvm' ? 'qi-dtvm' : 'qit-v2';
}

/** The result when AUTHORIZATION carries "Bearer ": something QI Tech refuses, so it can only fail. */
function withBearerPrefix(found: SchemeResult): SchemeResult {
  const prefix: RequestVerdict['diagnoses'][number] = {
    code: 'ERR_QIT_AUTH_HEADER',
    title: 'AUTHORIZATION carries a "Bearer " prefix',
    explanation: [
      'QI Tech v2 and QI DTVM send the JWT itself as AUTHORIZATION, with no prefix. With "Bearer " in front the server cannot decode the token and answers GDF000014. The token behind the prefix was checked as well: see below.',
    ],
    remedy: 'Send AUTHORIZATION: <jwt>, without "Bearer ".',
    confirmed: false,
  };
  return {
    ...found,
    refusal: 'ERR_QIT_AUTH_HEADER',
    failCode: 'ERR_QIT_AUTH_HEADER',
    parts: found.signedBy
      ? [
          'The token verifies, but QI Tech would refuse the request: AUTHORIZATION carries a "Bearer " prefix.',
        ]
      : [
          'Not verified: AUTHORIZATION carries a "Bearer " prefix, and the token behind it does not verify either.',
        ],
    diagnoses: [prefix, ...found.diagnoses],
  };
}

/** The check of v2 or QI DTVM (they differ in the timestamp form and when payload_md5 is sent). */
export function qitV2Check(id: 'qit-v2' | 'qi-dtvm'): RequestCheck {
  return defineRequestCheck({
    id,
    recognise: (req) => (qiSchemeOf(req) === id ? 2 : 0),
    signedHeaders: ['authorization', 'api-client-key'],
    keyAlg: 'ES512',
    async verify({ request, keys, nowMs }) {
      // QI Tech v2 sends the bare JWT: with a "Bearer " prefix the server cannot decode it (GDF000014).
      const auth = header(request, 'authorization') ?? '';
      const bearer = /^[ \t]*Bearer[ \t]+/i.exec(auth);
      const checked = bearer
        ? {
            ...request,
            headers: request.headers.map(([n, v]): [string, string] =>
              n.toLowerCase() === 'authorization' ? [n, v.slice(bearer[0].length)] : [n, v],
            ),
          }
        : request;
      const found = await qitechResult({ request: checked, keys, nowMs }, id);
      return bearer ? withBearerPrefix(found) : found;
    },
  });
}

export default qitV2Check('qit-v2');
