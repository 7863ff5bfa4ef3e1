/**
 * The one mistake search: after a signature fails, try each mistake's alternatives with
 * each trusted key, bounded, and report a mistake only when WebCrypto confirms the signature over
 * what the mistaken signer signed. Schemes supply the mistakes (data) and how to verify bytes.
 */
import type { VerificationKey } from '../jwt/verify';
import type { Diagnosis } from '../request/types';
import { ours, rich } from '../rich';
import type { MistakeWords, Parts, Variant } from './types';

/** Most alternatives tried per failed signature (each costs one verify per candidate). */
export const MAX_ALTERNATIVES = 200;

/** Most bytes verified per failed signature, over every alternative and candidate (a large base costs more per try). */
const MAX_BYTES_VERIFIED = 32 * 1024 * 1024;

/**
 * One thing a signer who made a mistake would have signed instead: which part differs, and the whole
 * signed `bytes` (the signature is verified over them), with their `text` when it is not their UTF-8.
 */
export type Alternative = Pick<Variant<Parts>, 'part' | 'signed' | 'sent' | 'text'> & {
  bytes: Uint8Array<ArrayBuffer>;
};

/**
 * A named mistake as the search tries it: its words, and the alternatives a signer who made it
 * would have signed, best made lazily (a generator; a throw means it cannot apply here).
 */
export interface Searched<A extends Alternative> extends MistakeWords {
  alternatives(): Iterable<A>;
}

/** What the search needs. */
export interface SearchInput<K extends { key: VerificationKey }, A extends Alternative> {
  mistakes: readonly Searched<A>[];
  /** The keys to try (with whatever the scheme verifies them with). */
  candidates: readonly K[];
  /** The signature base as sent, as text, for the byte diff of signed vs sent. */
  sentText: string;
  /** Does the signature hold over this alternative with this candidate? */
  verifyOver(candidate: K, alternative: A): Promise<boolean>;
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

/** A mistake's alternatives, made lazily; a throw ends them. */
function* safely<A extends Alternative>(m: Searched<A>): Generator<A> {
  try {
    yield* m.alternatives();
  } catch {
    // a mistake that cannot apply to this request (e.g. a body that is not JSON)
  }
}

/** The confirmed mistakes, in the order the scheme lists them; at most one diagnosis per mistake. */
export async function searchMistakes<K extends { key: VerificationKey }, A extends Alternative>(
  input: SearchInput<K, A>,
): Promise<Diagnosis[]> {
  const found = new Map<number, Diagnosis>();
  const budget = {
    alternatives: input.budget ?? MAX_ALTERNATIVES,
    bytes: input.maxBytes ?? MAX_BYTES_VERIFIED,
  };
  const limit = input.limit ?? Infinity;
  // Each mistake's alternatives, null once done (found, exhausted, or failed).
  const cursors = input.mistakes.map((mistake) => ({ mistake, next: safely(mistake) as Iterator<A> | null }));
  const share = input.fair
    ? Math.max(1, Math.floor(budget.alternatives / Math.max(1, cursors.length)))
    : Infinity;
  const passes = input.fair ? [share, Infinity] : [Infinity];
  for (const perMistake of passes) {
    for (const [i, c] of cursors.entries()) {
      for (let n = 0; n < perMistake && c.next; n++) {
        if (budget.alternatives <= 0 || budget.bytes <= 0 || found.size >= limit) return ordered(found);
        const alt = c.next.next();
        if (alt.done) {
          c.next = null;
          break;
        }
        budget.alternatives--;
        const d = await tryAlternative(input, c.mistake, alt.value, budget);
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
async function tryAlternative<K extends { key: VerificationKey }, A extends Alternative>(
  input: SearchInput<K, A>,
  m: MistakeWords,
  alt: A,
  budget: { bytes: number },
): Promise<Diagnosis | null> {
  for (const c of input.candidates) {
    budget.bytes -= alt.bytes.length;
    if (!(await input.verifyOver(c, alt))) continue;
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
