/**
 * Re-signing an edited token in place (Inspect): the header and payload as the user typed them
 * become the token, signed with a stored key pair (its non-extractable private key) or a shared
 * secret. When it cannot be signed, the token carries the text with an empty signature, so the
 * signature shown always belongs to the text shown; the verdict then says it is not verified.
 */
import { textToBase64url } from '../encoding/base64url';
import { messageOf } from '../errors';
import { duplicateMembers } from '../json';
import type { SigningAlg } from '../keys/key-specs';
import { HMAC_ALGS, signJws, signJwsHmac, type HmacAlg } from './sign';

/** What re-signs an edited token: a key pair's private key (never its bytes), or a secret's bytes. */
export type Resigner =
  | { kind: 'pair'; label: string; privateKey: CryptoKey; alg: SigningAlg }
  | { kind: 'secret'; secret: Uint8Array<ArrayBuffer> };

/** The token made from the edited text: signed, or with an empty signature and why. */
export type Resigned = { token: string; signed: true } | { token: string; signed: false; problem: string };

/** Integers in JSON text (outside strings) that a JavaScript number cannot hold exactly. */
function inexactIntegers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    const t = m[0];
    if (/^-?\d+$/.test(t) && !Number.isSafeInteger(Number(t))) out.push(t);
  }
  return out;
}

/**
 * JSON text as one line, or the text as it is when it is not JSON or when its one line would say
 * something else (`problem`): a member named twice (only the last would be signed) or an integer a
 * number cannot hold (another number would be signed).
 */
function compact(text: string): { text: string; value?: unknown; error?: string; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { text, error: messageOf(e) };
  }
  const dups = duplicateMembers(text);
  if (dups.length)
    return { text, value, problem: `names ${dups.join(', ')} twice: keep one (only the last would count)` };
  const inexact = inexactIntegers(text);
  if (inexact.length)
    return {
      text,
      value,
      problem: `holds ${inexact.join(', ')}, too large for a JSON number to keep exactly: write it as a string`,
    };
  return { text: JSON.stringify(value), value };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The token for this header and payload text, signed by `signer` when the header's alg is the one
 * it signs; otherwise unsigned (empty signature) with a sentence saying what to do.
 */
export async function resignToken(
  headerText: string,
  payloadText: string,
  signer: Resigner | null,
): Promise<Resigned> {
  const h = compact(headerText);
  const p = compact(payloadText);
  const unsigned = (problem: string): Resigned => ({
    token: `${textToBase64url(h.text)}.${textToBase64url(p.text)}.`,
    signed: false,
    problem,
  });
  if (h.error !== undefined) return unsigned(`Not signed: the header is not valid JSON (${h.error}).`);
  if (!isObject(h.value)) return unsigned('Not signed: the header must be a JSON object ({ … }).');
  if (p.error !== undefined) return unsigned(`Not signed: the payload is not valid JSON (${p.error}).`);
  if (h.problem !== undefined) return unsigned(`Not signed: the header ${h.problem}.`);
  if (p.problem !== undefined) return unsigned(`Not signed: the payload ${p.problem}.`);
  const alg = h.value.alg;
  if (typeof alg !== 'string')
    return unsigned('Not signed: the header has no "alg". Add one, e.g. "alg": "RS256".');
  if (signer === null) return unsigned('Not signed: choose a key to sign with under "Sign with".');
  try {
    if (signer.kind === 'pair') {
      if (alg !== signer.alg)
        return unsigned(
          `Not signed: the header says alg ${alg}, but this key pair signs ${signer.alg}. Set "alg": "${signer.alg}", or choose another key.`,
        );
      return { token: await signJws(h.value, p.text, signer.privateKey, signer.alg), signed: true };
    }
    if (!(HMAC_ALGS as readonly string[]).includes(alg))
      return unsigned(
        `Not signed: the header says alg ${alg}, but a secret signs only HS256, HS384 or HS512. Set "alg": "HS256", or choose a key pair.`,
      );
    return { token: await signJwsHmac(h.value, p.text, signer.secret, alg as HmacAlg), signed: true };
  } catch (e) {
    return unsigned(`Not signed: ${messageOf(e)}`);
  }
}
