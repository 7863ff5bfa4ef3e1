/**
 * The one mistake search (issue 19): after a signature fails, try each mistake's alternatives with
 * each trusted key, bounded, and report a mistake only when WebCrypto confirms the signature over
 * what the mistaken signer signed. Schemes supply the mistakes (data) and how to verify bytes.
 */
import type { Diagnosis } from '../../request/types';
import { ours, rich } from '../../rich';
import type { Alternative, Candidate, Mistake } from './types';

/** Most alternatives tried per failed signature (each costs one verify per candidate). */
export const MAX_ALTERNATIVES = 200;

/** What the search needs. */
export interface SearchInput<Ctx> {
  mistakes: readonly Mistake<Ctx>[];
  ctx: Ctx;
  candidates: readonly Candidate[];
  signature: Uint8Array<ArrayBuffer>;
  /** The signature base as sent, as text, for the byte diff of signed vs sent. */
  sentText: string;
  /** Does `signature` hold over `bytes` with this candidate (and the alternative's variant)? */
  verifyOver(
    candidate: Candidate,
    bytes: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
    variant?: string,
  ): Promise<boolean>;
  /** Cap on alternatives tried (default {@link MAX_ALTERNATIVES}). */
  budget?: number;
  /** Report at most this many mistakes (default: all confirmed, one per mistake). */
  limit?: number;
}

const decoder = new TextDecoder();

/** The confirmed mistakes, in the order the scheme lists them; at most one diagnosis per mistake. */
export async function searchMistakes<Ctx>(input: SearchInput<Ctx>): Promise<Diagnosis[]> {
  const out: Diagnosis[] = [];
  let budget = input.budget ?? MAX_ALTERNATIVES;
  const limit = input.limit ?? Infinity;
  for (const m of input.mistakes) {
    let alternatives: Alternative[];
    try {
      alternatives = m.alternatives(input.ctx);
    } catch {
      continue; // a mistake that cannot apply to this request (e.g. a body that is not JSON)
    }
    found: for (const alt of alternatives) {
      if (budget-- <= 0) return out;
      for (const c of input.candidates) {
        if (!(await input.verifyOver(c, alt.bytes, input.signature, alt.variant))) continue;
        out.push({
          code: m.code,
          title: m.title,
          explanation: rich`${ours(m.explanation)} It verifies with the key ${c.key.label} when ${ours(alt.part)} is taken as ${alt.signed} instead of ${alt.sent}.`,
          remedy: m.remedy,
          signed: decoder.decode(alt.bytes),
          sent: input.sentText,
          confirmed: true,
        });
        if (out.length >= limit) return out;
        break found;
      }
    }
  }
  return out;
}
