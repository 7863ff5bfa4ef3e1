/**
 * Client-assertion rules as data: each partner is one file under rules/ holding what its
 * documentation and its SDK say an assertion must be. One generic evaluator (../evaluate.ts) checks
 * a token against them and one builder (../build.ts) signs from them; no partner has code of its own.
 */
import type { ErrorCode } from '../../../errors';
import type { FormField } from '../../../scheme/contract';
import type { PartnerId } from '../../../partner-profile';
import type { Vars } from '../template';

/** Where a rule comes from: a documentation page or an SDK file, as a URL or `package/path`. */
export type Source = string;

/** A rule applies only when a card/form option has one of these values (e.g. Apple's API). */
export interface When {
  option: string;
  is: readonly string[];
}

interface RuleBase {
  /** Stable check name (the finding's `check`); never changes. */
  check: string;
  /** Short label shown on the card. */
  label: string;
  /** keybench's words: what the rule requires, and why. */
  words: string;
  source: Source;
  when?: When;
  /**
   * True when the rule decides whether the partner accepts and its value is the user's (a client id,
   * a tenant, a certificate): the card is green only when it was compared with a known value (typed
   * on the card, or a stored certificate); otherwise its finding is `unchecked` and the card amber.
   */
  decides: boolean;
}

/** `alg` must be one of `allowed` (or `undocumented`). */
export interface AlgRule extends RuleBase {
  kind: 'alg';
  allowed: readonly string[];
  /** The code when alg is none of them (default ERR_ASSERT_ALG). */
  code?: ErrorCode;
  /** The finding's words instead of keybench's (`{alg}`: the token's alg, untrusted if it fails). */
  says?: { ok: string; fail: string };
  /** Algorithms accepted though the docs do not name them: OK, `note` says where from (`{alg}`). */
  undocumented?: { algs: readonly string[]; note: string };
}

/** A header parameter must be present (a non-empty string); optionally equal to a typed option. */
export interface HeaderRule extends RuleBase {
  kind: 'header';
  param: string;
  /** `error`: refused without; `warning`: recommended (kid with several keys); `optional`: fine without. */
  severity: 'error' | 'warning' | 'optional';
  /** The option the value must equal when the user typed it (e.g. `keyId`). */
  equalsOption?: string;
}

/** The certificate thumbprint a partner looks the key up by: `x5t` (SHA-1) or `x5t#S256` (SHA-256). */
export interface ThumbprintPair {
  param: 'x5t' | 'x5t#S256';
  alg: string;
  /** The option value choosing this pair. */
  choice: string;
  source: Source;
}

/** The thumbprint header: present, of the right hash, paired with its alg, equal to the certificate's. */
export interface ThumbprintRule extends RuleBase {
  kind: 'thumbprint';
  pairs: readonly ThumbprintPair[];
  /** Option holding the user's choice among `pairs` (any pair when empty or another value). */
  choiceOption: string;
  /** Option holding the uploaded certificate (PEM), to compare the thumbprint with. */
  certificateOption: string;
}

/** What a claim must be (a token without it fails). */
export interface ClaimRule extends RuleBase {
  kind: 'claim';
  claim: string;
  /** `id`: a string or an integer (GitHub's numeric app id). Default `string`. */
  type?: 'string' | 'string[]' | 'id';
  /** The value must equal this template (`{clientId}` → the option), when its options are typed. */
  equals?: string;
  /** Else (or when the options are not typed) the value (each value, for string[]) must match. */
  pattern?: RegExp;
  /**
   * An option the partner takes in two forms naming the same thing (Entra's tenant: its id, a GUID,
   * or a domain), which keybench cannot map offline: a value that differs from the typed one only
   * there, in the other form, is not compared (never red). A value of neither form (Entra's
   * `common`) is compared as usual.
   */
  twoForms?: { option: string; id: RegExp; name: RegExp };
  /** The code when it is wrong (when missing too, if it is a `_MISSING` one). */
  code: ErrorCode;
  severity?: 'error' | 'warning';
}

/** Two claims must be equal (`iss` = `sub`); `in` says where each is (default: both in the payload). */
export interface SameRule extends RuleBase {
  kind: 'same';
  claims: readonly [string, string];
  in?: readonly ['header' | 'payload', 'header' | 'payload'];
  /** The code when they differ (default ERR_ASSERT_ISS_SUB). */
  code?: ErrorCode;
}

/**
 * `exp` at most `maxLifetimeSec` after the first of `from` present (`nbf`, else `iat`, as MSAL
 * sends no nbf), and, if set, at most `maxAheadSec` after now. With `fromOptional`, a token with
 * none of `from` is judged by `maxAheadSec` alone (Salesforce asks for no iat).
 */
export interface LifetimeRule extends RuleBase {
  kind: 'lifetime';
  from: readonly ('iat' | 'nbf')[];
  fromOptional?: boolean;
  maxLifetimeSec?: number;
  maxAheadSec?: number;
  /** A warning (not a failure) when exp is further ahead than this but within `maxAheadSec`. */
  warnAheadSec?: number;
}

/** `exp` not passed, `iat`/`nbf` not in the future beyond `skewSec`. */
export interface ClockRule extends RuleBase {
  kind: 'clock';
  claim: 'exp' | 'iat' | 'nbf';
  skewSec: number;
}

/**
 * Times read as a pair (`iat` and `exp`), as a partner whose SDK writes milliseconds reads them:
 * both seconds, or both milliseconds (then read as such, and the `time-unit` rule says so). A
 * rule on the pair says nothing when they are not numbers of one unit: the `time-unit` rule (mixed
 * units) or the `pair-lifetime` rule (not numbers) says why. Words are templates: `{life}`, `{age}`
 * (a duration as people read it), `{max}`, `{skew}`, `{withSkew}` (the inspector's clock-skew
 * tolerance, when there is one), `{unit}` (', read as milliseconds' or nothing); an outcome
 * without a code is OK.
 */
export interface PairRule<Outcome extends string> extends RuleBase {
  codes: Partial<Record<Outcome, ErrorCode>>;
  says: Record<Outcome, string>;
}

/** The pair's `exp` after `iat`, at most `maxLifetimeSec` after it. */
export interface PairLifetimeRule extends PairRule<'missing' | 'lifetime' | 'notAfter' | 'ok'> {
  kind: 'pair-lifetime';
  maxLifetimeSec: number;
}

/** The pair's `exp` not passed, or its `iat` not ahead, beyond the inspector's clock-skew setting. */
export interface PairClockRule extends PairRule<'beyond' | 'within' | 'ok'> {
  kind: 'pair-clock';
  claim: 'exp' | 'iat';
}

/**
 * The unit of a pair of times: a finding only when they are in milliseconds (a warning: read as
 * such) or in two units (an error: `{inMs}` is in milliseconds (`{msValue}`), `{inSec}` in seconds).
 */
export interface TimeUnitRule extends RuleBase {
  kind: 'time-unit';
  code: ErrorCode;
  says: { ms: string; mixed: string };
}

/** One finding a structured claim's rule makes: its stable name, label, code and words. */
export interface Says<Outcome extends string> {
  check: string;
  label: string;
  code: ErrorCode;
  says: Record<Outcome, string>;
}

/**
 * A principal named in two claims (Snowflake's `iss` = `<ACCOUNT>.<USER>.SHA256:<fingerprint>`,
 * `sub` = `<ACCOUNT>.<USER>`): `<first>[.<qualifier>].<second>`, the second name possibly holding
 * dots. Its findings, in order: each claim's shape; when either reads, each name upper-case, no
 * qualifier left after the first name, no `.` that looks like an organisation's; when both read,
 * the same principal in both; when the second claim reads, each name equal to what is typed on the
 * card once read by `normalise` (unchecked when nothing is typed: these decide acceptance).
 * Templates: `{value}`, `{upper}`, `{first}`, `{qualifier}`, `{second}`, `{head}`, `{joined}`,
 * `{keyed}`, `{plain}`, `{want}` are untrusted; `{part}` is the name's (keybench's) word.
 */
export interface PrincipalRule {
  kind: 'principal';
  when?: When;
  /** True: the names typed on the card decide whether the partner accepts. */
  decides: boolean;
  /** The claim holding the principal, then `.`, then the key's fingerprint (`iss`). */
  keyed: string;
  /** The claim holding the principal alone (`sub`). */
  plain: string;
  /** What the text after the keyed claim's last `.` must look like. */
  fingerprint: RegExp;
  /** How many pieces after the first name, from the first, are a qualifier (a region) left in. */
  qualifier(rest: readonly string[]): number;
  /** A `.` in the second name (that `unless` does not match) may be a first name split in two. */
  dotUnless: RegExp;
  /** The two names, and the card option each is compared with once read by `normalise`. */
  names: readonly [PrincipalName, PrincipalName];
  source: Source;
  keyedShape: Says<'missing' | 'wrong' | 'ok'>;
  plainShape: Says<'missing' | 'wrong' | 'ok'>;
  /** `check` and `label` are templates of `{part}` (`account-case`, `Account`). */
  upperCase: Says<'wrong' | 'ok'>;
  qualifierLeft: Says<'wrong' | 'ok'>;
  dot: Says<'wrong' | 'ok'>;
  same: Says<'wrong' | 'ok'>;
  /** `check` and `label` are templates of `{part}`; `unreadable` is followed by the reason. */
  expected: Says<'untyped' | 'unreadable' | 'wrong' | 'ok'>;
}

/** One name of a principal: its word, its label, its card option and how a typed value is read. */
export interface PrincipalName {
  part: string;
  title: string;
  option: string;
  /** @throws KeybenchError with the reason when the typed value cannot be read. */
  normalise(typed: string): { value: string };
}

/**
 * The key's fingerprint written in a claim after its last `.` (when it has the right `shape`): it
 * must be the SHA-256 fingerprint of the SPKI (`SHA256:` + base64) of the trusted key that verified
 * the signature. Templates: `{print}`, `{key}` (a trusted key's label), `{signer}` (the verifying
 * key's label) untrusted; `{n}` the number of trusted keys.
 */
export interface KeyPrintRule extends RuleBase {
  kind: 'key-print';
  claim: string;
  shape: RegExp;
  codes: { otherKey: ErrorCode; unverified: ErrorCode; unknown: ErrorCode };
  says: {
    otherKey: string;
    otherPrint: string;
    /** After `otherKey` or `otherPrint`. */
    lookedUp: string;
    ok: string;
    unverified: string;
    unknown: string;
    noKeys: string;
  };
}

/**
 * `aud` is one of `fixed` (an endpoint everyone shares, so known), or else equals the typed
 * `option` (an API URL only the user knows; matching `pattern` but untyped: unchecked); a token
 * without aud passes only when it carries `orClaim` (Google's self-signed JWT with scope).
 */
export interface AudienceRule extends RuleBase {
  kind: 'audience';
  fixed: readonly string[];
  option: string;
  pattern: RegExp;
  orClaim?: string;
  /** With `aud` one of `fixed` (a token endpoint), one of these claims too; else `fixedNeedsWords`. */
  fixedNeeds?: readonly string[];
  fixedNeedsWords?: string;
  code: ErrorCode;
}

/** One rule of a partner. */
export type Rule =
  | AlgRule
  | HeaderRule
  | ThumbprintRule
  | ClaimRule
  | SameRule
  | LifetimeRule
  | ClockRule
  | PairLifetimeRule
  | PairClockRule
  | AudienceRule
  | TimeUnitRule
  | KeyPrintRule;

/** One rule of a card: a rule, or a principal rule (which makes several findings). */
export type CardRule = Rule | PrincipalRule;

/** How a token is recognised as this partner's (the highest score wins; 0: not this partner). */
export interface Recognise {
  /** +3 when `aud` (any of an array) matches. */
  aud?: RegExp;
  /** +2 when `iss` matches. */
  iss?: RegExp;
  /** +1 for each header parameter present. */
  header?: readonly string[];
  /** +1 for each claim present. */
  claims?: readonly string[];
  /** Required for any score: the token has no `aud` (GitHub App JWTs). */
  noAud?: boolean;
  /** What a matching `iss` scores, where it alone names the partner (default 2). */
  issScore?: number;
}

/** How keybench makes this partner's assertion (values are templates: `{now+600}`, `{clientId}`, `{jti}`…). */
export interface Make {
  header: Readonly<Record<string, string>>;
  claims: Readonly<Record<string, string | readonly string[]>>;
  /** The token request the assertion is sent in. */
  request: {
    url: string;
    /** Form parameters (templates); `{assertion}` is the token. Empty: sent as `Authorization: Bearer`. */
    form: Readonly<Record<string, string>>;
    method?: string;
  };
  /** Options that must be typed to sign. */
  requires: readonly string[];
}

/** A partner card's rules: what the one evaluator runs. */
export interface CardRules {
  /** The TokenCheck's id (`client-assertion/<partner>`; `snowflake-jwt`). */
  id: string;
  partnerName: string;
  /** The card's heading and what it checks (default: "<partnerName> checks", nothing). */
  title?: string;
  about?: string;
  /** The card's fields (names shared across partners mean the same). */
  options: readonly FormField[];
  recognise: Recognise;
  rules: readonly CardRule[];
  /**
   * `false`: the card does not open with the signature as the inspector judged it (the summary
   * says it), and a payload that is not an object of claims is read as no claims. Default true.
   */
  signatureFinding?: boolean;
  /** The documentation and SDK the rules follow. */
  sources: readonly Source[];
}

/** One partner's assertion rules. */
export interface PartnerRules extends CardRules {
  /**
   * The partner's short id: its profile's id where keybench has a profile (partners whose users
   * upload a key or certificate), else the same kind of slug (GitHub, Apple and Coinbase generate
   * the key themselves: the user imports it).
   */
  profile: PartnerId | 'github' | 'apple' | 'coinbase';
  rules: readonly Rule[];
  make: Make;
}

/** Define a partner's rules (identity function, for types). */
export function defineRules(rules: PartnerRules): PartnerRules {
  return rules;
}

/** Define a card's rules that keybench does not sign from (identity function, for types). */
export function defineCardRules(rules: CardRules): CardRules {
  return rules;
}

/** What a rule reads of a token and of the card (the evaluator makes it). */
export interface Ctx {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  vars: Vars;
  nowSec: number;
  /** The clock to the millisecond (times in milliseconds are compared with it). */
  nowMs: number;
  /** The stored certificates (DER) of the key that verified the signature: known thumbprints. */
  certificates: readonly Uint8Array<ArrayBuffer>[];
  /** The card's labels of the option fields, by name (to say what to type). */
  labels: Readonly<Record<string, string>>;
  /** The inspector's clock-skew setting, in seconds (0 or more). */
  skewSec: number;
  /** The trusted public keys, and the one that verified the signature (if a public key did). */
  keys: readonly { label: string; spki: Uint8Array }[];
  signer?: { label: string; spki: Uint8Array };
}
