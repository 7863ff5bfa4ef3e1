/**
 * The QIT v1 body, shared by the request checker and the response check: {"encoded_body": "<ES512
 * JWS of the JSON>"}, and that JWS's own signature.
 */
import type { VerificationKey } from '../../jwt/verify';
import { rich } from '../../rich';
import { ok, problem } from '../../partners/scheme';
import { checkEs512 } from './shared';

/** The encoded_body string of a v1 body, or why there is none. */
export function encodedBodyOf(body: string): { jws?: string; problem?: string } {
  if (!body.trim()) return {};
  try {
    const parsed = JSON.parse(body) as { encoded_body?: unknown } | null;
    if (parsed && typeof parsed.encoded_body === 'string') return { jws: parsed.encoded_body };
    return { problem: 'The body is JSON but has no "encoded_body" string (QIT v1 wraps the body in one).' };
  } catch {
    return { problem: 'The body is not JSON with an "encoded_body" string.' };
  }
}

/** The `encoded_body` JWS checked with `keys`, as a finding. */
export async function bodySignature(jws: string, keys: VerificationKey[]) {
  const b = await checkEs512(jws, keys);
  const finding = b.verdict.verified
    ? ok('body-signature', 'encoded_body signature', rich`Signed by ${b.verdict.key!.label}.`)
    : problem(
        'body-signature',
        'ERR_QIT_BODY_SIGNATURE',
        'error',
        'encoded_body signature',
        b.verdict.message,
      );
  return { finding, decoded: b.decoded };
}
