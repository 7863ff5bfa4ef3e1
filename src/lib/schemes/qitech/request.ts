/**
 * Check a QI Tech request signed elsewhere, by scheme or by recognising it: "QIT …" is v1, a
 * bare JWT whose timestamp has no fraction and no Z is QI DTVM, any other bare JWT is v2.
 */
import { decodeToken } from '../../jwt/decode';
import { holdsPrivateKey, keyTextTooLarge } from '../../keys/key-material';
import type { VerificationKey } from '../../jwt/verify';
import { verifyQitRequest } from '../qit-v1/verify';
import { claimsOf, type QitRequestInput, type QitRequestVerdict } from './shared';
import { V2 } from '../qit-v2/sign';
import { verifyV2Request } from '../qit-v2/verify';
import { QI_DTVM } from '../qi-dtvm/sign';

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

/** What a pasted key text gives the request checker: a public key, or a plain refusal. */
export interface PastedKey {
  key?: VerificationKey;
  /** Why the text was not used. `privateKey` is true when it held a private key (the caller must clear it). */
  refused?: { message: string; privateKey: boolean };
}

/**
 * Read one public key from pasted text for the request checker. A private key is refused (and its
 * parsed bytes zeroed): only the public key belongs here. The key parser loads on first use.
 */
export async function pastedPublicKey(text: string, label = 'pasted public key'): Promise<PastedKey> {
  // Before any scan: too much text is not read, and is cleared (it could hold a private key).
  const tooLarge = keyTextTooLarge(text);
  if (tooLarge) return { refused: { message: `${tooLarge} The box was cleared.`, privateKey: true } };
  const { parseKeyText } = await import('../../keys/parse');
  const { forgetPrivate } = await import('../../keys/import');
  // The same test as the inspector's key box: private material anywhere, even where the parser fails.
  if (holdsPrivateKey(text)) {
    return {
      refused: {
        message:
          'That was a private key: it was cleared and not used. Paste the public key (e.g. jwtECDSASHA512.key.pub), or leave the box empty to use your stored key pairs.',
        privateKey: true,
      },
    };
  }
  let parsed;
  try {
    parsed = await parseKeyText(text);
  } catch (e) {
    return { refused: { message: e instanceof Error ? e.message : String(e), privateKey: false } };
  }
  if (parsed.kind === 'private') {
    // holdsPrivateKey found none, yet the parser did: refuse all the same.
    forgetPrivate(parsed);
    return { refused: { message: 'That was a private key: it was cleared and not used.', privateKey: true } };
  }
  return { key: { kind: 'public', label, origin: 'pasted', spki: parsed.spki, type: parsed.type } };
}
