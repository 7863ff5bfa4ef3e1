/** Fields and rules several partners share (RFC 7523 §3), written once. */
import type { FormField } from '../../engine/types';
import type { AlgRule, ClaimRule, ClockRule, HeaderRule, LifetimeRule, SameRule } from './types';

/** The client id the partner gave the application (iss = sub). */
export const CLIENT_ID: FormField = {
  name: 'clientId',
  label: 'Client ID',
  kind: 'text',
  default: '',
  help: "The application's client id, as the partner's console shows it (iss and sub).",
  remember: true,
};

/** The key id the partner shows for the uploaded key (the `kid` header). */
export const KEY_ID: FormField = {
  name: 'keyId',
  label: 'Key ID',
  kind: 'text',
  default: '',
  help: 'The key id the partner shows for the uploaded key (sent as the kid header).',
  remember: true,
};

/** The uploaded certificate, to compare thumbprints with (and to compute them when signing). */
export const CERTIFICATE: FormField = {
  name: 'certificate',
  label: 'Certificate (PEM)',
  kind: 'textarea',
  default: '',
  help: 'The certificate you uploaded (the one keybench made on the key card, or yours): its thumbprint goes in x5t / x5t#S256. Empty: the certificates stored with the key that verified are used.',
};

/** `alg` is one of `allowed`. */
export function algIs(allowed: readonly string[], label: string, words: string, source: string): AlgRule {
  return { kind: 'alg', check: 'alg', label, words, allowed, source, decides: false };
}

/** The `kid` header names the key whose id is typed in `option`: the typed id decides acceptance. */
export function kidIs(
  severity: HeaderRule['severity'],
  label: string,
  words: string,
  source: string,
  option = 'keyId',
): HeaderRule {
  return {
    kind: 'header',
    check: 'kid',
    label,
    words,
    param: 'kid',
    severity,
    equalsOption: option,
    source,
    decides: true,
  };
}

/** `exp` within the partner's limits (types.ts `LifetimeRule`). */
export function lifetime(
  label: string,
  words: string,
  source: string,
  limits: Omit<LifetimeRule, 'kind' | 'check' | 'label' | 'words' | 'source' | 'decides'>,
): LifetimeRule {
  return { kind: 'lifetime', check: 'lifetime', label, words, source, decides: false, ...limits };
}

/** What claim `claim` must be (its check has the claim's name). */
export function claimIs(
  claim: string,
  label: string,
  words: string,
  source: string,
  rule: Omit<ClaimRule, 'kind' | 'check' | 'claim' | 'label' | 'words' | 'source'>,
): ClaimRule {
  return { kind: 'claim', check: claim, claim, label, words, source, ...rule };
}

/** `iss` = `sub`. */
export function issIsSub(source: string): SameRule {
  return {
    kind: 'same',
    check: 'iss-sub',
    label: 'iss = sub',
    words: 'iss and sub are both the client id.',
    claims: ['iss', 'sub'],
    source,
    decides: false,
  };
}

/** `iss` is the typed client id. */
export function issIsClientId(source: string, option = 'clientId', label = 'client id'): ClaimRule {
  const rule = { equals: `{${option}}`, code: 'ERR_ASSERT_CLIENT_ID', decides: true } as const;
  return claimIs('iss', `iss = ${label}`, `iss is the ${label}.`, source, rule);
}

/** A `jti` is sent (a fresh one per assertion: the partner refuses a replay). */
export function jtiRequired(source: string, severity: 'error' | 'warning' = 'error'): ClaimRule {
  const words = 'a unique jti (a fresh UUID per assertion): the partner refuses an assertion it has seen.';
  return claimIs('jti', 'jti present', words, source, {
    code: 'ERR_ASSERT_JTI_MISSING',
    severity,
    decides: false,
  });
}

/** `exp` not passed (30 s leeway) and `iat`/`nbf` not ahead of now by more than the skew. */
export function clock(source: string, skewSec = 60): ClockRule[] {
  const rule = (claim: ClockRule['claim'], check: string, label: string, words: string, skew: number) =>
    ({ kind: 'clock', check, label, words, claim, skewSec: skew, source, decides: false }) as const;
  return [
    rule('exp', 'expired', 'not expired', 'exp is still ahead.', 0),
    rule(
      'iat',
      'iat-skew',
      'iat not in the future',
      `iat is not more than ${skewSec} s ahead of now (the partner's clock refuses tokens from the future).`,
      skewSec,
    ),
    rule(
      'nbf',
      'nbf-skew',
      'nbf not in the future',
      `nbf is not more than ${skewSec} s ahead of now.`,
      skewSec,
    ),
  ];
}
