/**
 * What QI Tech refuses from the request alone, before any key (issue 17), moved here from the
 * generic doctor (issue 19): a v1 token the server cannot decode as sent, a v1 body read more than
 * one way, members of a v1 body no signature covers, and a v2 / QI DTVM token behind "Bearer ".
 */
import type { ErrorCode } from '../../errors';
import { duplicateMembers, own } from '../../json';
import { problem } from '../../partners/scheme';
import { header, type Diagnosis, type ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import type { SchemeResult } from '../../trust/verdict';
import type { Refusal } from '../engine/types';

/** A JWS in compact form, as a server splits and base64url-decodes it: nothing around it. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A QIT v1 token the server cannot decode as sent: header values are bytes, so quotes, backticks, a
 * `Bearer ` or `Authorization:` prefix or spaces around the token are not cleaned away and
 * verified, they are refused.
 */
export function tokenProblem(req: ParsedRequest): Refusal | null {
  const auth = header(req, 'authorization') ?? '';
  const m = /^QIT[ \t]+([^:\s]+):([\s\S]*)$/i.exec(auth);
  if (m && COMPACT_JWS.test(m[2] ?? '')) return null;
  return {
    code: 'ERR_QIT_AUTH_HEADER',
    parts: rich`AUTHORIZATION is ${auth}. QI Tech reads it as "QIT <api_key>:<token>" with the token a bare JWS (three base64url parts joined by dots): quotes, backticks, a prefix or spaces around the token are sent as they are, and the server cannot decode it (GDF000014). Send the token alone after "QIT <api_key>:".`,
  };
}

/**
 * The QIT v1 body read one way only: JSON whose `encoded_body` member appears once (JSON parsers
 * keep the first or the last of two, so keybench cannot say which one the server verifies) and
 * holds a bare compact JWS.
 */
export function signedBodyProblem(req: ParsedRequest): Refusal | null {
  if (req.body.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(req.body);
  } catch {
    return null; // not JSON: the QI Tech doctor explains what the body should be
  }
  if (duplicateMembers(req.body).includes('encoded_body'))
    return {
      code: 'ERR_REQUEST_DUPLICATE_MEMBER',
      parts: [
        'The body sends encoded_body more than once. JSON parsers disagree on which one counts (the first or the last), so keybench cannot say which was verified: send it once.',
      ],
    };
  const encoded = own(value, 'encoded_body');
  if (typeof encoded === 'string' && !COMPACT_JWS.test(encoded))
    return {
      code: 'ERR_QIT_AUTH_HEADER',
      parts: rich`encoded_body is ${encoded.slice(0, 80)}${ours(encoded.length > 80 ? '…' : '')}, not a bare JWS (three base64url parts joined by dots): the server cannot decode it as sent. Send the JWS alone as the value of encoded_body.`,
    };
  return null;
}

/** Top-level members of a QIT v1 body besides encoded_body: sent, but covered by no signature. */
export function uncoveredMembers(req: ParsedRequest): string[] {
  try {
    const value: unknown = JSON.parse(req.body);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.keys(value).filter((k) => k !== 'encoded_body');
  } catch {
    return [];
  }
}

/** The result with a warning finding naming the members no signature covers (QIT v1). */
export function withUncovered(result: SchemeResult, req: ParsedRequest): SchemeResult {
  const extra = uncoveredMembers(req);
  if (extra.length === 0) return result;
  const finding = problem(
    'body:uncovered',
    'ERR_REQUEST_UNSIGNED_MEMBER',
    'warning',
    'Body members',
    rich`The body also sends ${extra.slice(0, 10).join(', ')}${ours(extra.length > 10 ? ', …' : '')} beside encoded_body: no signature covers them, so anyone on the way could change them. The server should read only encoded_body.`,
  );
  return { ...result, findings: [...result.findings, finding] };
}

/** The length of a `Bearer ` prefix before the AUTHORIZATION token, or 0. */
export function bearerPrefix(req: ParsedRequest): number {
  return /^[ \t]*Bearer[ \t]+/i.exec(header(req, 'authorization') ?? '')?.[0].length ?? 0;
}

/** The request with the first `n` characters of AUTHORIZATION taken off (to check the token behind a prefix). */
export function withoutPrefix(req: ParsedRequest, n: number): ParsedRequest {
  return {
    ...req,
    headers: req.headers.map(([k, v]): [string, string] =>
      k.toLowerCase() === 'authorization' ? [k, v.slice(n)] : [k, v],
    ),
  };
}

const PREFIX_DIAGNOSIS: Diagnosis = {
  code: 'ERR_QIT_AUTH_HEADER',
  title: 'AUTHORIZATION carries a "Bearer " prefix',
  explanation: [
    'QI Tech v2 and QI DTVM send the JWT itself as AUTHORIZATION, with no prefix. With "Bearer " in front the server cannot decode the token and answers GDF000014. The token behind the prefix was checked as well: see below.',
  ],
  remedy: 'Send AUTHORIZATION: <jwt>, without "Bearer ".',
  confirmed: false,
};

/**
 * The result for a v2 / QI DTVM token sent behind "Bearer ": what the token behind it shows, plus
 * the refusal. The prefix can only fail the verdict, which the rule decides.
 */
export function bearerRefused(found: SchemeResult): SchemeResult {
  const code: ErrorCode = 'ERR_QIT_AUTH_HEADER';
  const parts: Rich = found.signedBy
    ? ['The token verifies, but QI Tech would refuse the request: AUTHORIZATION carries a "Bearer " prefix.']
    : [
        'Not verified: AUTHORIZATION carries a "Bearer " prefix, and the token behind it does not verify either.',
      ];
  return {
    ...found,
    refusal: code,
    failCode: code,
    parts,
    diagnoses: [PREFIX_DIAGNOSIS, ...found.diagnoses],
  };
}
