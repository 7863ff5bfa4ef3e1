/**
 * Trying keys over a base, and, after a failure, trying each mistake's alternatives with the
 * engine's one search: a mistake is reported only when WebCrypto confirms the signature over what
 * the mistaken signer signed.
 */
import { derToRaw } from '../../crypto/encoding';
import { importVerifier, verifySignature } from '../../crypto/signature';
import type { VerificationKey } from '../../jwt/verify';
import type { Diagnosis } from '../../request/types';
import { searchMistakes } from '../../scheme/search';
import { ALGORITHMS, type HttpSigAlg } from './algorithms';
import { MISTAKES, type HttpSigAlternative, type MistakeContext } from './mistakes';

/** A trusted key and an algorithm to try it with. */
export interface Candidate {
  key: VerificationKey;
  alg: HttpSigAlg;
}

/** A candidate with its key imported for its algorithm. */
type Imported = Candidate & { crypto: CryptoKey };

const encoder = new TextEncoder();

/** Import each candidate once; a key that does not import for an algorithm is left out. */
async function imported(candidates: readonly Candidate[]): Promise<Imported[]> {
  const out: Imported[] = [];
  for (const c of candidates) {
    const k = await importVerifier(c.key, ALGORITHMS[c.alg].id);
    if (k) out.push({ ...c, crypto: k });
  }
  return out;
}

/** The first candidate the signature holds with over `text`, if any. */
export async function tryKeys(
  candidates: readonly Candidate[],
  text: string,
  signature: Uint8Array<ArrayBuffer>,
): Promise<Candidate | undefined> {
  const data = encoder.encode(text);
  for (const c of await imported(candidates))
    if (await holds(c, data, signature)) return { key: c.key, alg: c.alg };
  return undefined;
}

/** The largest RSA-PSS salt for a key and SHA-512 (RFC 8017 §9.1.1: emLen - hLen - 2). */
function maxSalt(key: VerificationKey): number {
  const bits = key.kind === 'public' && key.type.kty === 'RSA' ? key.type.bits : 2048;
  return Math.ceil((bits - 1) / 8) - 64 - 2;
}

/** Does the signature hold over `data` with this candidate, read as the alternative says? */
async function holds(
  c: Imported,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  how: Pick<HttpSigAlternative, 'salt' | 'der'> = {},
): Promise<boolean> {
  const id = ALGORITHMS[c.alg].id;
  if (how.salt !== undefined) {
    if (c.alg !== 'rsa-pss-sha512') return false;
    return verifySignature(id, c.crypto, signature, data, how.salt === 'max' ? maxSalt(c.key) : how.salt);
  }
  if (how.der !== undefined) {
    const raw = c.alg.startsWith('ecdsa-') ? derToRaw(signature, how.der) : undefined;
    return raw !== undefined && verifySignature(id, c.crypto, raw, data);
  }
  return verifySignature(id, c.crypto, signature, data);
}

/**
 * The mistakes that explain a signature that does not hold, each confirmed by a signature check:
 * the engine's one bounded search (scheme/search.ts) over RFC 9421's mistakes.
 */
export async function diagnose(
  candidates: readonly Candidate[],
  signature: Uint8Array<ArrayBuffer>,
  ctx: MistakeContext,
): Promise<Diagnosis[]> {
  const keys = await imported(candidates);
  return searchMistakes({
    mistakes: MISTAKES.map((m) => ({ ...m, alternatives: () => m.alternatives(ctx) })),
    candidates: keys,
    sentText: ctx.base.text,
    fair: true,
    verifyOver: (c, alt) => holds(c, alt.bytes, signature, alt),
  });
}
