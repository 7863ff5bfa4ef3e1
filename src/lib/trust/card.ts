/**
 * The one rule for a partner card (every token scheme: Snowflake and each client-assertion
 * partner). A card is green only when the signature verified with a trusted key whose role fits,
 * no rule fails, and every rule that decides whether the partner accepts was compared with a known
 * value. A rule the card could not compare (`unchecked`) is never a pass: the card stays amber and
 * says what to type. Cards and schemes report findings; only this module turns them into a tone.
 */
import type { Verdict, VerificationKey } from '../jwt/verify';
import type { Finding } from './finding';

/** How a partner card's summary reads, and its tone. */
export interface CardSummary {
  text: string;
  /** `ok` (green) only by {@link cardSummary}'s rule; `warn` (amber); `bad` (red). */
  tone: 'ok' | 'warn' | 'bad';
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/**
 * What the inspector's verdict lets a card rely on: `signatureVerified` only in the `verified`
 * state (never `embedded`, `kid-mismatch` or `failed`), with a key the token does not carry, and
 * not a stored key of a partner's or of no owner (a partner's token is made with your own key), and
 * not the example's key (made for "Try an example": no partner knows it).
 */
export function signatureFacts(verdict: Verdict | null): {
  signatureVerified: boolean;
  verifiedBy?: VerificationKey;
} {
  if (verdict?.state !== 'verified' || !verdict.key) return { signatureVerified: false };
  const key = verdict.key;
  const carried = key.kind === 'public' && (key.origin === 'x5c' || key.origin === 'jwk-header');
  const otherRole = key.kind === 'public' && key.origin === 'stored' && key.owner !== 'mine';
  const example = key.kind === 'public' && key.example === true;
  return carried || otherRole || example
    ? { signatureVerified: false }
    : { signatureVerified: true, verifiedBy: key };
}

/**
 * The card's summary for `partner`'s findings. Any error: red. Else amber when a deciding rule
 * was not compared (it names them) or when `signatureVerified` is false (the partner checks the
 * signature first); green only when neither. `signatureVerified` must come from
 * {@link signatureFacts} (use {@link decideCard} with the verdict).
 */
export function cardSummary(
  partner: string,
  findings: readonly Finding[],
  signatureVerified: boolean,
): CardSummary {
  const errors = findings.filter((x) => x.severity === 'error').length;
  const warnings = findings.filter((x) => x.severity === 'warning').length;
  const open = findings.filter((x) => x.severity === 'unchecked');
  if (errors > 0) {
    return {
      text: `${errors} ${partner} ${plural(errors, 'check fails', 'checks fail')}.`,
      tone: 'bad',
    };
  }
  const warned = warnings > 0 ? `; ${warnings} ${plural(warnings, 'warning', 'warnings')}` : '';
  const unverified = signatureVerified
    ? ''
    : ` But no key you trust verified the signature, and ${partner} checks it first: this says nothing about whether ${partner} accepts the token.`;
  if (open.length > 0) {
    const names = open.map((f) => f.label).join(', ');
    return {
      text: `No ${partner} check fails${warned}, but ${open.length} ${plural(open.length, 'check was', 'checks were')} not compared (${names}): type or paste what the card asks for below.${unverified}`,
      tone: 'warn',
    };
  }
  const head = warned ? `No ${partner} check fails${warned}.` : `All ${partner} checks pass.`;
  return signatureVerified ? { text: head, tone: 'ok' } : { text: `${head}${unverified}`, tone: 'warn' };
}

/** The card's summary from the inspector's verdict itself (the signature facts are read here). */
export function decideCard(
  partner: string,
  findings: readonly Finding[],
  verdict: Verdict | null,
): CardSummary {
  return cardSummary(partner, findings, signatureFacts(verdict).signatureVerified);
}
