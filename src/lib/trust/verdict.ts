/**
 * The one rule for "verified": a signature holds over the bytes the request model says
 * are sent, AND the key that checked it fits the context (whose key: see roles.ts), AND no finding
 * is an error. Schemes supply their findings, the bytes they sign and the key that checked them;
 * only this module turns that into a verified state. The key's role is checked here again, never
 * taken from the scheme.
 */
import type { ErrorCode } from '../errors';
import type { VerificationKey, Verified } from './keys';
import type { Diagnosis, RequestVerdict, SchemeId } from '../request/types';
import { noErrors, problem, type Finding, type SignedPart } from './finding';
import { plain, rich, u, type Rich } from '../rich';
import { PARTNER_NAMES, keyFits, type KeyOwner, type VerificationContext } from './roles';

const VERIFIED = 'verified' as Verified;

/** Whose key, in words, for a message ("QI Tech's key", "one of your own keys"). */
function whose(owner: KeyOwner | undefined): string {
  if (owner === undefined) return 'a key with no owner set';
  if (owner === 'mine') return 'one of your own keys';
  return `${PARTNER_NAMES[owner]}'s key`;
}

/** Whose keys the context wants, in words. */
function wanted(context: VerificationContext): string {
  switch (context.direction) {
    case 'request-to':
      return `a request sent to ${PARTNER_NAMES[context.partner]} is signed with your own key`;
    case 'response-from':
      return `a response from ${PARTNER_NAMES[context.partner]} is signed with ${PARTNER_NAMES[context.partner]}'s key`;
    case 'none':
      return 'only a key you trust verifies';
  }
}

/** The finding that refuses a key whose role does not fit the context, or null when it fits. */
function roleFinding(context: VerificationContext, key: VerificationKey | undefined): Finding | null {
  if (!key || keyFits(context, key)) return null;
  const owner = key.kind === 'public' ? key.owner : undefined;
  const parts = rich`The signature holds with ${key.label}, but that is ${whose(owner)}, and ${wanted(context)}: it proves nothing here.`;
  return problem('key-role', 'ERR_TRUST_KEY_ROLE', 'error', 'Whose key', parts);
}

/**
 * The rule itself, for any check: the signature holds with `signedBy` (undefined when it does not
 * hold), that key fits `context`, and no finding is an error.
 */
export function isVerified(
  context: VerificationContext,
  signedBy: VerificationKey | undefined,
  findings: readonly Finding[],
): boolean {
  return signedBy !== undefined && keyFits(context, signedBy) && noErrors(findings);
}

/** What a request scheme found: everything but the state, which only {@link decideRequest} sets. */
export interface SchemeResult {
  scheme: SchemeId;
  /** The signature's label, when the message carries several (each is judged on its own). */
  label?: string;
  /** The signature base as sent, part by part, for the report. */
  base?: SignedPart[];
  /** The base is its parts as lines (RequestVerdict.baseLines). */
  baseLines?: true;
  /** Every check made, in order. */
  findings: Finding[];
  diagnoses: Diagnosis[];
  signInput: RequestVerdict['signInput'];
  /** The key whose signature holds over the bytes sent; absent when none does. */
  signedBy?: VerificationKey;
  /** The key the headline names (it may have signed other bytes). */
  keyLabel?: string;
  /** The scheme's headline (the rule replaces it when it refuses what the scheme would have verified). */
  parts: Rich;
  /** The code when the verdict fails and nothing else names one. */
  fallback: ErrorCode;
  /** The code to report when the verdict fails, if the scheme orders its codes itself. */
  failCode?: ErrorCode;
  /**
   * Something the partner would refuse that is not an error finding (a diagnosis): its code. It can
   * only fail a verdict, never make one.
   */
  refusal?: ErrorCode;
}

/** True when the scheme's headline claims a verified signature. */
function claimsVerified(parts: Rich): boolean {
  return /^\s*(?:✔\s*)?Signature verified/i.test(plain(parts));
}

/**
 * The request verdict, by the one rule: `verified` only when the scheme's signature holds with a
 * key whose role fits `context`, no finding is an error and the scheme names nothing the partner
 * would refuse. A key of the wrong role adds an error finding and the headline says so.
 */
export function decideRequest(context: VerificationContext, r: SchemeResult): RequestVerdict {
  const role = roleFinding(context, r.signedBy);
  const findings = role ? [...r.findings, role] : r.findings;
  const signatureVerified = r.signedBy !== undefined && !role;
  const verified = isVerified(context, r.signedBy, findings) && r.refusal === undefined;
  const firstError = findings.find((f) => f.severity === 'error');
  const code: ErrorCode | 'OK' = verified
    ? 'OK'
    : role
      ? role.code
      : (r.refusal ?? r.failCode ?? firstError?.code ?? r.diagnoses[0]?.code ?? r.fallback);
  let parts = r.parts;
  if (role) parts = ['Not verified. ', ...role.parts];
  else if (!verified && claimsVerified(parts)) {
    // A scheme's "verified" headline for a verdict the rule refuses: say what refused it instead.
    const why = firstError ? [u(firstError.label), ': ', ...firstError.parts] : [u(code)];
    parts = ['Not verified: the signature holds, but a check fails. ', ...why];
  }
  const keyLabel = r.keyLabel ?? r.signedBy?.label;
  return {
    scheme: r.scheme,
    ...(r.label !== undefined ? { label: r.label } : {}),
    ...(r.base !== undefined ? { base: r.base } : {}),
    ...(r.baseLines ? { baseLines: true as const } : {}),
    state: verified ? VERIFIED : 'failed',
    signatureVerified,
    code,
    parts,
    ...(keyLabel !== undefined ? { keyLabel } : {}),
    findings,
    diagnoses: r.diagnoses,
    signInput: r.signInput,
  };
}
