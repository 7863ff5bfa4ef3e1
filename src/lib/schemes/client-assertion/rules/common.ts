/** Fields and rules several partners share (RFC 7523 §3), written once. */
import type { FormField } from '../../../scheme/contract';
import type { ClaimRule, ClockRule, SameRule } from './types';

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
  return {
    kind: 'claim',
    check: 'iss',
    label: `iss = ${label}`,
    words: `iss is the ${label}.`,
    claim: 'iss',
    equals: `{${option}}`,
    code: 'ERR_ASSERT_CLIENT_ID',
    source,
    decides: true,
  };
}

/** A `jti` is sent (a fresh one per assertion: the partner refuses a replay). */
export function jtiRequired(source: string, severity: 'error' | 'warning' = 'error'): ClaimRule {
  return {
    kind: 'claim',
    check: 'jti',
    label: 'jti present',
    words: 'a unique jti (a fresh UUID per assertion): the partner refuses an assertion it has seen.',
    claim: 'jti',
    code: 'ERR_ASSERT_JTI_MISSING',
    severity,
    source,
    decides: false,
  };
}

/**
 * `exp` not passed (no leeway: an expired token is refused) and `iat`/`nbf` not ahead of now by more
 * than the skew.
 */
export function clock(source: string, skewSec = 60): ClockRule[] {
  return [
    {
      kind: 'clock',
      check: 'expired',
      label: 'not expired',
      words: 'exp is still ahead.',
      claim: 'exp',
      skewSec: 0,
      source,
      decides: false,
    },
    {
      kind: 'clock',
      check: 'iat-skew',
      label: 'iat not in the future',
      words: `iat is not more than ${skewSec} s ahead of now (the partner's clock refuses tokens from the future).`,
      claim: 'iat',
      skewSec,
      source,
      decides: false,
    },
    {
      kind: 'clock',
      check: 'nbf-skew',
      label: 'nbf not in the future',
      words: `nbf is not more than ${skewSec} s ahead of now.`,
      claim: 'nbf',
      skewSec,
      source,
      decides: false,
    },
  ];
}
