/**
 * adapter (H1): the QIT (v1) request check, wrapping today's qitechResult until H4's check replaces
 * it. Holds the QI-specific refusals that were in request/doctor.ts (request/ knows no partner now).
 */
import type { ErrorCode } from '../../errors';
import { duplicateMembers, own } from '../../json';
import { qitechResult } from '../../partners/qitech-doctor';
import { problem } from '../../partners/scheme';
import { header, type ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import { defineRequestCheck } from '../engine/types';

/** A JWS in compact form, as a server splits and base64url-decodes it: nothing around it. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A token the server cannot decode as sent (issue 17): header values are bytes, so quotes,
 * backticks, a `Bearer ` or `Authorization:` prefix or spaces around a QIT v1 token are not
 * cleaned away and verified, they are refused.
 */
export function tokenProblem(req: ParsedRequest): { code: ErrorCode; parts: Rich } | null {
  const auth = header(req, 'authorization') ?? '';
  const m = /^QIT[ \t]+([^:\s]+):([\s\S]*)$/i.exec(auth);
  if (m && COMPACT_JWS.test(m[2] ?? '')) return null;
  return {
    code: 'ERR_QIT_AUTH_HEADER',
    parts: rich`AUTHORIZATION is ${auth}. QI Tech reads it as "QIT <api_key>:<token>" with the token a bare JWS (three base64url parts joined by dots): quotes, backticks, a prefix or spaces around the token are sent as they are, and the server cannot decode it (GDF000014). Send the token alone after "QIT <api_key>:".`,
  };
}

/**
 * The body the verdict depends on, read one way only (issue 17): JSON whose `encoded_body` member
 * appears once (JSON parsers keep the first or the last of two) and holds a bare compact JWS.
 */
export function signedBodyProblem(req: ParsedRequest): { code: ErrorCode; parts: Rich } | null {
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

/** Top-level members of the body besides encoded_body: sent, but covered by no signature. */
export function uncoveredMembers(req: ParsedRequest): string[] {
  try {
    const value: unknown = JSON.parse(req.body);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.keys(value).filter((k) => k !== 'encoded_body');
  } catch {
    return [];
  }
}

export default defineRequestCheck({
  id: 'qit-v1',
  recognise: (req) => (/^QIT\s/i.test(header(req, 'authorization')?.trim() ?? '') ? 2 : 0),
  signedHeaders: ['authorization', 'api-client-key', 'content-type'],
  keyAlg: 'ES512',
  refuse: (req) => tokenProblem(req) ?? signedBodyProblem(req),
  async verify(input) {
    const examined = await qitechResult(input, 'qit-v1');
    const extra = uncoveredMembers(input.request);
    if (extra.length === 0) return examined;
    const uncovered = problem(
      'body:uncovered',
      'ERR_REQUEST_UNSIGNED_MEMBER',
      'warning',
      'Body members',
      rich`The body also sends ${extra.slice(0, 10).join(', ')}${ours(extra.length > 10 ? ', …' : '')} beside encoded_body: no signature covers them, so anyone on the way could change them. The server should read only encoded_body.`,
    );
    return { ...examined, findings: [...examined.findings, uncovered] };
  },
});
