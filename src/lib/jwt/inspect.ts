import { candidatesFromHeader, type KeyBoxResult } from './candidates';
import type { DecodedToken } from './decode';
import { fail, HMAC_CONFUSION_REMEDY, verifyToken, type Verdict, type VerificationKey } from './verify';

/**
 * The inspector's verdict for a decoded token: with the keys from the key box when it holds text
 * (`box`), otherwise with the stored keys. Keys the token carries itself are passed apart, so they
 * can never give "verified". This is the one path from the page's inputs to the verdict.
 */
export async function verdictFor(
  decoded: DecodedToken,
  box: KeyBoxResult | null,
  stored: readonly VerificationKey[],
): Promise<Verdict> {
  const embedded = decoded.form === 'jws' ? await candidatesFromHeader(decoded.header) : [];
  let verdict: Verdict;
  if (box?.error && box.candidates.length === 0) {
    const { code, message, parts, remedy } = box.error;
    verdict =
      code === 'ERR_JWT_HMAC_WITH_PUBLIC_KEY'
        ? fail(code, [message], [], remedy ? `${HMAC_CONFUSION_REMEDY} ${remedy}` : HMAC_CONFUSION_REMEDY)
        : fail(code, ['The verification key was not understood: ', ...(parts ?? [message])], []);
  } else {
    verdict = await verifyToken(decoded, box ? box.candidates : stored, embedded);
  }
  // The verifier's "Weak secret" note and the key box's "short secret" note say one thing: keep one.
  const weakSaid = verdict.notes.some((n) => typeof n[0] === 'string' && n[0].startsWith('Weak secret'));
  const boxNotes = (box?.notes ?? []).filter((n) => !(weakSaid && n.startsWith('This secret is')));
  if (boxNotes.length) verdict = { ...verdict, notes: [...verdict.notes, ...boxNotes.map((n) => [n])] };
  return verdict;
}

/** A verdict for an unexpected failure while verifying (never "verified"). */
export function unexpectedFailure(e: unknown): Verdict {
  return fail('ERR_JWT_MALFORMED', [`Could not verify: ${e instanceof Error ? e.name : 'error'}.`], []);
}
