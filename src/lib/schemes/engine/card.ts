/**
 * The partner card's summary, the same for every token scheme (issues 17, 20): "All <partner>
 * checks pass" / "No <partner> check fails; N warnings" / "N <partner> checks fail". Green only
 * beside a signature a key the user trusts verified (the one verdict rule): passing claim checks
 * beside any other signature say nothing about the token, and the summary says so.
 */
import type { Finding } from '../../partners/scheme';

/** How a partner card's summary reads, and its tone. */
export interface CardSummary {
  text: string;
  /** `ok` (green) only beside a signature a trusted key verified; `warn` (amber); `bad` (red). */
  tone: 'ok' | 'warn' | 'bad';
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/**
 * The card's summary for `partner`'s findings. Errors make it red whatever the signature; without
 * errors it is green only when `signatureVerified` (a trusted key verified the signature), else
 * amber with the reason: the partner checks the signature first.
 */
export function cardSummary(
  partner: string,
  findings: readonly Finding[],
  signatureVerified: boolean,
): CardSummary {
  const errors = findings.filter((x) => x.severity === 'error').length;
  const warnings = findings.filter((x) => x.severity === 'warning').length;
  if (errors > 0) {
    return {
      text: `${errors} ${partner} ${plural(errors, 'check fails', 'checks fail')}.`,
      tone: 'bad',
    };
  }
  const head =
    warnings > 0
      ? `No ${partner} check fails; ${warnings} ${plural(warnings, 'warning', 'warnings')}.`
      : `All ${partner} checks pass.`;
  return signatureVerified
    ? { text: head, tone: 'ok' }
    : {
        text: `${head} But no key you trust verified the signature, and ${partner} checks it first: this says nothing about whether ${partner} accepts the token.`,
        tone: 'warn',
      };
}
