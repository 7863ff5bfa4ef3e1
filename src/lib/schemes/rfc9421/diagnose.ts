/**
 * Trying keys over a base, and, after a failure, trying each mistake's alternatives: a mistake is
 * reported only when WebCrypto confirms the signature over what the mistaken signer signed.
 */
import { parseDerEcdsaSignature, rawEcdsaSignature } from '../../encoding/der';
import type { VerificationKey } from '../../jwt/verify';
import type { Diagnosis } from '../../request/types';
import { ours, rich } from '../../rich';
import { importVerifyKey, verifyBytes, type HttpSigAlg } from './algorithms';
import { MISTAKES, type Alternative, type MistakeContext } from './mistakes';

/** A trusted key and an algorithm to try it with. */
export interface Candidate {
  key: VerificationKey;
  alg: HttpSigAlg;
}

/** Most alternatives tried per failed signature (each is one WebCrypto verify per candidate). */
const MAX_ALTERNATIVES = 200;

const encoder = new TextEncoder();

/** Import each candidate once; a key that does not import for an algorithm is left out. */
async function imported(candidates: readonly Candidate[]): Promise<(Candidate & { crypto: CryptoKey })[]> {
  const out: (Candidate & { crypto: CryptoKey })[] = [];
  for (const c of candidates) {
    try {
      out.push({ ...c, crypto: await importVerifyKey(c.key, c.alg) });
    } catch {
      // the key cannot be used with this algorithm: it is simply not a candidate
    }
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
  for (const c of await imported(candidates)) {
    if (await verifyBytes(c.alg, c.crypto, signature, data)) return { key: c.key, alg: c.alg };
  }
  return undefined;
}

/** The largest RSA-PSS salt for a key and SHA-512 (RFC 8017 §9.1.1: emLen - hLen - 2). */
function maxSalt(key: VerificationKey): number {
  const bits = key.kind === 'public' && key.type.kty === 'RSA' ? key.type.bits : 2048;
  return Math.ceil((bits - 1) / 8) - 64 - 2;
}

/** Does the alternative hold with this candidate? */
async function holds(
  c: Candidate & { crypto: CryptoKey },
  alt: Alternative,
  base: string,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const data = encoder.encode(alt.text ?? base);
  if (alt.saltLength !== undefined) {
    if (c.alg !== 'rsa-pss-sha512') return false;
    const salt = alt.saltLength === 'max' ? maxSalt(c.key) : alt.saltLength;
    return verifyBytes(c.alg, c.crypto, signature, data, salt);
  }
  if (alt.derToRaw !== undefined) {
    if (!c.alg.startsWith('ecdsa-')) return false;
    const der = parseDerEcdsaSignature(signature);
    if (!der) return false;
    const raw = rawEcdsaSignature(der.r, der.s, alt.derToRaw);
    return raw !== null && verifyBytes(c.alg, c.crypto, raw, data);
  }
  return verifyBytes(c.alg, c.crypto, signature, data);
}

/** The mistakes that explain a signature that does not hold, each confirmed by a signature check. */
export async function diagnose(
  candidates: readonly Candidate[],
  signature: Uint8Array<ArrayBuffer>,
  ctx: MistakeContext,
): Promise<Diagnosis[]> {
  const keys = await imported(candidates);
  const out: Diagnosis[] = [];
  let budget = MAX_ALTERNATIVES;
  for (const m of MISTAKES) {
    found: for (const alt of m.alternatives(ctx)) {
      if (budget-- <= 0) return out;
      for (const c of keys) {
        if (!(await holds(c, alt, ctx.base.text, signature))) continue;
        out.push({
          code: m.code,
          title: m.title,
          explanation: rich`${ours(m.explanation)} It verifies with the key ${c.key.label} when ${alt.part} is taken as ${alt.signed} instead of ${alt.sent}.`,
          remedy: m.remedy,
          signed: alt.text ?? alt.signed,
          sent: ctx.base.text,
          confirmed: true,
        });
        break found;
      }
    }
  }
  return out;
}
