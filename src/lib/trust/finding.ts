/**
 * What a check reports, independent of any UI or scheme: findings and the named parts of what a
 * scheme signs. Below request/ and every scheme (request/ knows no partner, so these live here).
 */
import type { ErrorCode } from '../errors';
import { plain, type Rich } from '../rich';

/**
 * How a finding weighs: `error` fails the verdict, `warning` is worth a look, `ok`/`info` are fine.
 * `unchecked`: a rule that decides whether the partner accepts could not be compared with a known
 * value (nothing typed, no stored certificate): never a pass, the card stays amber (trust/card.ts).
 */
export type Severity = 'ok' | 'info' | 'warning' | 'error' | 'unchecked';

/**
 * One finding of a verification, independent of any UI. `check` names what was checked and never
 * changes; `code` is 'OK' when it holds, else the stable error code of what is wrong.
 */
export interface Finding {
  check: string;
  code: ErrorCode | 'OK';
  severity: Severity;
  label: string;
  /** The detail as plain text (for tests and reports). */
  detail: string;
  /** The detail as shown: text from the request or a key (claims, labels) kept apart from keybench's words. */
  parts: Rich;
}

/** A named piece of what a scheme signs, shown so the user can compare with their server's. */
export interface SignedPart {
  label: string;
  text: string;
}

/** A finding's detail, as parts and as plain text. */
function details(detail: string | Rich): Pick<Finding, 'detail' | 'parts'> {
  const parts = typeof detail === 'string' ? [detail] : detail;
  return { detail: plain(parts), parts };
}

/** A finding that holds. */
export function ok(check: string, label: string, detail: string | Rich): Finding {
  return { check, code: 'OK', severity: 'ok', label, ...details(detail) };
}

/** A finding that does not hold, at the given severity. */
export function problem(
  check: string,
  code: ErrorCode,
  severity: 'info' | 'warning' | 'error',
  label: string,
  detail: string | Rich,
): Finding {
  return { check, code, severity, label, ...details(detail) };
}

/** A deciding rule that could not be compared: `detail` says what to type or paste to compare it. */
export function unchecked(check: string, label: string, detail: string | Rich): Finding {
  return { check, code: 'ERR_ASSERT_OPTION_MISSING', severity: 'unchecked', label, ...details(detail) };
}

/** True when no finding is an error. */
export function noErrors(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.severity !== 'error');
}
