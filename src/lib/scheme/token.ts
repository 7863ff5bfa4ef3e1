/**
 * The token half of the engine: given a decoded JWT and the inspector's verdict,
 * find the token scheme that recognises it (or the one the user chose under "Check as"), run its
 * rules and make the partner card. Every token scheme (Snowflake, each client-assertion partner)
 * goes through here, so the one rule holds for all: the card is green only beside a signature a
 * key the user trusts verified, and a key the token carries (`x5c`, `jwk`) is never such a key.
 */
import { sameBytes } from '../encoding/base64url';
import type { DecodedToken } from '../jwt/decode';
import type { Verdict } from '../jwt/verify';
import type { Finding } from '../trust/finding';
import { decideCard, signatureFacts, type CardSummary } from '../trust/card';
import { loadTokenChecks } from './registry';
import {
  bestRecognised,
  type FormField,
  type SchemeId,
  type TokenCheck,
  type TrustedKeyInfo,
} from './contract';

/** The "Check as" value that lets recognition choose. */
export const AUTO = 'auto';

/**
 * Which check runs: the one named by `choice` when it is not {@link AUTO} (the user's "Check as"
 * overrides recognition, even for a token no check recognises); else the highest `recognise`
 * above 0, the first in list order on a tie; null when none recognises the token.
 */
export function pickTokenCheck(
  checks: readonly TokenCheck[],
  token: DecodedToken,
  choice: SchemeId = AUTO,
): { check: TokenCheck; chosen: boolean } | null {
  if (choice !== AUTO) {
    const chosen = checks.find((c) => c.id === choice);
    if (chosen) return { check: chosen, chosen: true };
  }
  const best = bestRecognised(checks, (c) => c.recognise(token));
  return best ? { check: best, chosen: false } : null;
}

/** What a verdict lets a card rely on (decided in trust/card.ts). */
export { signatureFacts };

/** What the card is made from. */
export interface TokenCardInput {
  token: DecodedToken;
  /** The inspector's verdict about this token (null: none yet, or no key could be tried). */
  verdict: Verdict | null;
  nowMs: number;
  skewSec?: number;
  /** The user's stored public keys (never one the token carries). */
  trustedKeys?: readonly TrustedKeyInfo[];
  /** Values typed on the card, by check id and field name. */
  options?: Readonly<Record<SchemeId, Readonly<Record<string, string>>>>;
  /** The "Check as" choice; {@link AUTO} or unset: recognition decides. */
  choice?: SchemeId;
}

/** A partner card: which check ran, whether the user chose it, its findings and summary. */
export interface TokenCard {
  check: TokenCheck;
  /** True when "Check as" chose the check (else recognition did). */
  chosen: boolean;
  findings: Finding[];
  summary: CardSummary;
}

/**
 * The values of a check's option fields: the typed ones, else a choice's default. A text field's
 * default is an example (it shows as the field's placeholder), never a value a deciding rule is
 * compared with: untyped, it stays empty.
 */
export function optionValues(check: TokenCheck, typed: Readonly<Record<string, string>> = {}) {
  const out: Record<string, string> = {};
  for (const f of check.options) {
    const d = typeof f.default === 'function' || !isChoice(f) ? '' : f.default;
    out[f.name] = typed[f.name] ?? (Array.isArray(d) ? d.join(',') : String(d));
  }
  return out;
}

/** A field whose value is picked from a list (its default is a real choice, not an example). */
function isChoice(f: FormField): boolean {
  return f.kind === 'choice' || f.kind === 'multi' || f.kind === 'checkbox';
}

/**
 * Run the card for `input` with `checks` (as {@link loadTokenChecks} gives them): null when no check
 * recognises the token and none was chosen. The summary's tone is trust/card.ts's rule.
 */
export async function runTokenCard(
  checks: readonly TokenCheck[],
  input: TokenCardInput,
): Promise<TokenCard | null> {
  const picked = pickTokenCheck(checks, input.token, input.choice);
  if (!picked) return null;
  const { check } = picked;
  const facts = signatureFacts(input.verdict);
  const trustedKeys = [...(input.trustedKeys ?? [])];
  const by = facts.verifiedBy;
  if (by?.kind === 'public' && !trustedKeys.some((k) => sameBytes(k.spki, by.spki))) {
    // A certificate the user pasted as the verification key is a known value, like a stored one.
    const pasted = by.origin === 'pasted' && by.certificate ? { certificates: [by.certificate] } : {};
    trustedKeys.push({ label: by.label, spki: by.spki, ...pasted });
  }
  const findings = await check.check({
    token: input.token,
    ...facts,
    nowMs: input.nowMs,
    skewSec: input.skewSec ?? 0,
    options: optionValues(check, input.options?.[check.id]),
    trustedKeys,
  });
  return {
    check,
    chosen: picked.chosen,
    findings,
    summary: decideCard(check.partnerName, findings, input.verdict),
  };
}

/** Every token check, loaded lazily once (Snowflake's, each client-assertion partner's…). */
let all: Promise<TokenCheck[]> | null = null;

/** The token checks for "Check as" and recognition, in registry order; loaded on first use. */
export function tokenChecks(): Promise<TokenCheck[]> {
  all ??= loadTokenChecks().catch((e: unknown) => {
    all = null;
    throw e;
  });
  return all;
}
