/**
 * The one mistake search: after a signature fails, try each mistake's alternatives with
 * each trusted key, bounded, and report a mistake only when WebCrypto confirms the signature over
 * what the mistaken signer signed. Schemes supply the mistakes (data) and how to verify bytes.
 */
import type { Diagnosis } from '../request/types';
import { ours, rich } from '../rich';
import type { Alternative, Candidate, Mistake } from './contract';

/** Most alternatives tried per failed signature (each costs one verify per candidate). */
export const MAX_ALTERNATIVES = 200;

/** Most bytes verified per failed signature, over every alternative and candidate (a large base costs more per try). */
const MAX_BYTES_VERIFIED = 32 * 1024 * 1024;

/** What the search needs. */
export interface SearchInput<Ctx> {
  mistakes: readonly Mistake<Ctx, Iterable<Alternative>>[];
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
  /** Cap on bytes verified (default {@link MAX_BYTES_VERIFIED}). */
  maxBytes?: number;
  /** Report at most this many mistakes (default: all confirmed, one per mistake). */
  limit?: number;
  /**
   * Share the budget: every mistake first gets an equal part of it, then the rest goes in order.
   * Without it, a mistake with many alternatives (one per header of a large request) can use the
   * whole budget before the next mistake is tried.
   */
  fair?: boolean;
}

const decoder = new TextDecoder();

/** One mistake's lazy alternatives, and whether it is done (found, exhausted, or failed). */
interface Cursor<Ctx> {
  mistake: Mistake<Ctx, Iterable<Alternative>>;
  next: Iterator<Alternative> | null;
}

function cursorOf<Ctx>(m: Mistake<Ctx, Iterable<Alternative>>, ctx: Ctx): Cursor<Ctx> {
  try {
    return { mistake: m, next: m.alternatives(ctx)[Symbol.iterator]() };
  } catch {
    return { mistake: m, next: null }; // a mistake that cannot apply to this request
  }
}

/** The next alternative of a cursor, or null when it has no more (or cannot make one). */
function step<Ctx>(c: Cursor<Ctx>): Alternative | null {
  if (!c.next) return null;
  try {
    const r = c.next.next();
    if (!r.done) return r.value;
  } catch {
    // a mistake that cannot apply to this request (e.g. a body that is not JSON)
  }
  c.next = null;
  return null;
}

/** The confirmed mistakes, in the order the scheme lists them; at most one diagnosis per mistake. */
export async function searchMistakes<Ctx>(input: SearchInput<Ctx>): Promise<Diagnosis[]> {
  const found = new Map<number, Diagnosis>();
  const budget = {
    alternatives: input.budget ?? MAX_ALTERNATIVES,
    bytes: input.maxBytes ?? MAX_BYTES_VERIFIED,
  };
  const limit = input.limit ?? Infinity;
  const cursors = input.mistakes.map((m) => cursorOf(m, input.ctx));
  const share = input.fair
    ? Math.max(1, Math.floor(budget.alternatives / Math.max(1, cursors.length)))
    : Infinity;
  const passes = input.fair ? [share, Infinity] : [Infinity];
  for (const perMistake of passes) {
    for (const [i, c] of cursors.entries()) {
      for (let n = 0; n < perMistake && c.next; n++) {
        if (budget.alternatives <= 0 || budget.bytes <= 0 || found.size >= limit) return ordered(found);
        const alt = step(c);
        if (!alt) break;
        budget.alternatives--;
        const d = await tryAlternative(input, c.mistake, alt, budget);
        if (d) {
          found.set(i, d);
          c.next = null;
        }
      }
    }
  }
  return ordered(found);
}

function ordered(found: Map<number, Diagnosis>): Diagnosis[] {
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, d]) => d);
}

/** The diagnosis when the signature holds over one alternative with some candidate. */
async function tryAlternative<Ctx>(
  input: SearchInput<Ctx>,
  m: Mistake<Ctx, Iterable<Alternative>>,
  alt: Alternative,
  budget: { bytes: number },
): Promise<Diagnosis | null> {
  for (const c of input.candidates) {
    budget.bytes -= alt.bytes.length;
    if (!(await input.verifyOver(c, alt.bytes, input.signature, alt.variant))) continue;
    return {
      code: m.code,
      title: m.title,
      explanation: rich`${ours(m.explanation)} It verifies with the key ${c.key.label} when ${ours(alt.part)} is taken as ${alt.signed} instead of ${alt.sent}.`,
      remedy: m.remedy,
      signed: alt.text ?? decoder.decode(alt.bytes),
      sent: input.sentText,
      confirmed: true,
    };
  }
  return null;
}
