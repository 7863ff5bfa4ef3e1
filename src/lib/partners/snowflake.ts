/**
 * Snowflake key-pair authentication (PARTNERS.md, "Snowflake key-pair authentication"; sources:
 * docs.snowflake.com user-guide/key-pair-auth, developer-guide/sql-api/authenticating,
 * sql-reference/identifiers-syntax, user-guide/key-pair-auth-troubleshooting).
 *
 * For a stored RSA pair: the `ALTER USER … SET RSA_PUBLIC_KEY='…'` statement, the `SHA256:…`
 * fingerprint `DESCRIBE USER` prints as RSA_PUBLIC_KEY_FP, the key-pair JWT (`iss`/`sub` from the
 * normalised account and user, `exp` at most an hour after `iat`), its two headers and a curl for
 * the SQL API; and the checks the inspector runs on a Snowflake key-pair JWT.
 */
import { bytesToBase64 } from '../encoding/base64url';
import { spkiSha256Base64 } from '../keys/export';
import { KeybenchError } from '../errors';
import { signJws } from '../jwt/sign';
import { ours, rich, shownUntrusted, type Rich } from '../rich';
import { ok, problem, type Finding } from './scheme';
import { curlCommand, shellQuote } from './shell';

/** The longest lifetime Snowflake accepts for a key-pair JWT: `exp` at most one hour after `iat`. */
export const SNOWFLAKE_MAX_LIFETIME_SEC = 3600;

/** What Snowflake answers to a key-pair JWT it refuses, whatever the reason. */
const SNOWFLAKE_ANSWER =
  "Snowflake answers 'JWT token is invalid' (390144); an administrator can read the precise reason with SYSTEM$GET_LOGIN_FAILURE_DETAILS('<uuid from the error>').";

/** The same, marked as keybench's words inside `rich`. */
const ANSWER = ours(SNOWFLAKE_ANSWER);

/** Characters of an unquoted Snowflake identifier (sql-reference/identifiers-syntax). */
const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * AWS region ids as Snowflake writes them (`us-east-1`, `eu-west-1`, `ap-southeast-2`,
 * `us-gov-west-1`, `ca-central-1`); the only regions that may be written without their cloud.
 */
const AWS_REGION =
  /^[a-z]{2}(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

/** GCP region ids (`us-central1`, `europe-west2`, `me-central2`); always followed by `.gcp`. */
const GCP_REGION = /^[a-z]+-[a-z]+\d$/;

/** Azure region ids (`east-us-2`, `west-europe`, `canada-central`); always followed by `.azure`. */
const AZURE_REGION = /^[a-z]+(?:-[a-z0-9]+)+$/;

/** Host suffixes of Snowflake account URLs. */
const HOST_SUFFIX = /\.snowflakecomputing\.(?:com|cn)$/i;

/** A fingerprint as `DESCRIBE USER` prints it: `SHA256:` and base64 of 32 bytes. */
const FINGERPRINT_SHAPE = /^SHA256:[A-Za-z0-9+/]{43}=$/;

/**
 * The fingerprint `DESCRIBE USER` prints as RSA_PUBLIC_KEY_FP: `SHA256:` followed by the standard
 * base64 (with padding) of SHA-256 over the SPKI DER of the public key. Equal to
 * `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`.
 */
export async function snowflakeFingerprint(spki: Uint8Array): Promise<string> {
  return spkiSha256Base64(spki);
}

/**
 * A user name as a Snowflake SQL identifier: unquoted when it matches `^[A-Za-z_][A-Za-z0-9_$]*$`
 * (Snowflake then resolves it upper-cased), else double-quoted with each `"` doubled (the case is
 * then kept as typed). Limit: a reserved word (e.g. `TABLE`) is left unquoted.
 * @throws KeybenchError ERR_SNOWFLAKE_USER when the name is empty.
 */
export function snowflakeIdentifier(name: string): string {
  if (name === '') throw new KeybenchError('ERR_SNOWFLAKE_USER', 'The user name is empty.');
  return UNQUOTED_IDENTIFIER.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * The statement that assigns the public key to a user, ready to copy:
 * `ALTER USER <user> SET RSA_PUBLIC_KEY='<SPKI DER as base64, no armour lines, no newlines>';`.
 * Slot 2 sets `RSA_PUBLIC_KEY_2`, the second key Snowflake keeps for rotation.
 * @throws KeybenchError ERR_SNOWFLAKE_USER when the user name is empty.
 */
export function alterUserStatement(user: string, spki: Uint8Array, slot: 1 | 2): string {
  const property = slot === 2 ? 'RSA_PUBLIC_KEY_2' : 'RSA_PUBLIC_KEY';
  return `ALTER USER ${snowflakeIdentifier(user)} SET ${property}='${bytesToBase64(spki)}';`;
}

/** A value in the form a Snowflake key-pair JWT needs, and the steps that led there, in order. */
export interface Normalised {
  value: string;
  /**
   * One human sentence per change made; empty when the input was already in the right form. Pasted
   * fragments appear in single quotes, invisible characters revealed, long ones elided.
   */
  steps: string[];
  /** The same sentences with pasted fragments kept apart as untrusted, for the page. */
  stepParts: Rich[];
}

/** Collects steps as Rich and as plain sentences with untrusted fragments in single quotes. */
class Steps {
  readonly steps: string[] = [];
  readonly stepParts: Rich[] = [];
  add(parts: Rich): void {
    this.stepParts.push(parts);
    this.steps.push(
      parts.map((p) => (typeof p === 'string' ? p : `'${shownUntrusted(p.untrusted)}'`)).join(''),
    );
  }
}

/**
 * How many of `parts` (the dot-separated pieces after an account locator), from the first, form a
 * region qualifier: an AWS region alone or with `.aws`; a GCP or Azure region with its cloud; each
 * optionally followed by `.privatelink`. 0 when the first piece is not a known region form.
 */
export function regionQualifierLength(parts: readonly string[]): number {
  const p = parts.map((s) => s.toLowerCase());
  let n = 0;
  if (p[0] !== undefined && AWS_REGION.test(p[0])) n = p[1] === 'aws' ? 2 : 1;
  else if (p[0] !== undefined && GCP_REGION.test(p[0]) && p[1] === 'gcp') n = 2;
  else if (p[0] !== undefined && AZURE_REGION.test(p[0]) && p[1] === 'azure') n = 2;
  if (n > 0 && p[n] === 'privatelink') n += 1;
  return n;
}

/**
 * The account identifier as a Snowflake key-pair JWT needs it in `iss` and `sub`, with each step.
 *
 * Rules (PARTNERS.md): a pasted URL loses its scheme, path, port and `.snowflakecomputing.com`;
 * an account locator loses its region/cloud qualifier (`xy12345.us-east-1` → `XY12345`); in the
 * `org.account` form the `.` becomes `-` (`myorg.myaccount` → `MYORG-MYACCOUNT`); then all is
 * upper-cased.
 *
 * Telling `locator.region` from `org.account`: what follows the first `.` is a region when it is
 * an AWS region id (`us-east-1`, optionally `.aws`), or a GCP (`us-central1.gcp`) or Azure
 * (`east-us-2.azure`) region followed by its cloud, optionally then `.privatelink`. Account names
 * hold only letters, digits and underscores, so a piece with a hyphen is never an account name.
 * Anything else after a single `.` is read as `org.account`.
 *
 * Limits: region ids are matched by shape, not against Snowflake's current list; an account URL
 * in which underscores of the account name were written as hyphens cannot be turned back (the
 * JWT needs the underscores); `.global` (connection) URLs do not name an account and are refused.
 * @throws KeybenchError ERR_SNOWFLAKE_ACCOUNT when nothing usable remains or the form is unknown.
 */
export function normaliseAccount(account: string): Normalised {
  const steps = new Steps();
  let s = account.trim();
  if (s !== account) steps.add(['removed spaces around the account identifier']);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) {
    s = s.slice(scheme[0].length);
    steps.add(rich`removed the scheme ${scheme[0]} (a URL was pasted, not the account identifier)`);
  }
  const path = /[/?#].*$/s.exec(s);
  if (path) {
    s = s.slice(0, path.index);
    steps.add(rich`removed the path ${path[0]} after the host`);
  }
  const port = /:\d+$/.exec(s);
  if (port) {
    s = s.slice(0, port.index);
    steps.add(rich`removed the port ${port[0]}`);
  }
  const host = HOST_SUFFIX.exec(s);
  if (host) {
    s = s.slice(0, host.index);
    steps.add(rich`removed the host suffix ${host[0]} (the account identifier is the part before it)`);
  }
  const parts = s.split('.');
  if (parts.some((p) => p.toLowerCase() === 'global')) {
    throw new KeybenchError(
      'ERR_SNOWFLAKE_ACCOUNT',
      rich`${account} is a '.global' (connection) URL, which does not name an account. Give the account identifier: organisation-account (SELECT CURRENT_ORGANIZATION_NAME() || '-' || CURRENT_ACCOUNT_NAME()) or the account locator.`,
    );
  }
  if (parts.length > 1) {
    const rest = parts.slice(1);
    const n = regionQualifierLength(rest);
    if (n > 0 && n === rest.length) {
      s = parts[0]!;
      steps.add(
        rich`removed the region/cloud suffix ${'.' + rest.join('.')} (an account locator goes into the JWT without its region)`,
      );
    } else if (rest.length === 1 && n === 0) {
      s = `${parts[0]}-${rest[0]}`;
      steps.add([
        ...rich`replaced '.' with '-' in the organisation-account form (${parts.join('.')} → ${s}). `,
        ...rich`Snowflake's drivers read it otherwise: snowflake-connector-python and snowflake-sdk take everything after the first '.' as a region and would put ${parts[0]!.toUpperCase()} alone in the JWT, so give them ${s} instead`,
      ]);
    } else {
      throw new KeybenchError(
        'ERR_SNOWFLAKE_ACCOUNT',
        rich`keybench cannot read ${account} as an account locator with a region (xy12345.us-east-1) nor as organisation.account. Give the account identifier as SELECT CURRENT_ORGANIZATION_NAME() || '-' || CURRENT_ACCOUNT_NAME() prints it.`,
      );
    }
  }
  if (!/^[A-Za-z0-9_-]+$/.test(s)) {
    throw new KeybenchError(
      'ERR_SNOWFLAKE_ACCOUNT',
      s === ''
        ? 'The account identifier is empty.'
        : rich`The account identifier ${s} holds characters an account identifier cannot hold (letters, digits, '_' and '-' only).`,
    );
  }
  const upper = s.toUpperCase();
  if (upper !== s) steps.add(rich`upper-cased (${s} → ${upper})`);
  return { value: upper, steps: steps.steps, stepParts: steps.stepParts };
}

/**
 * The user name as a Snowflake key-pair JWT needs it: trimmed and upper-cased (the drivers do the
 * same: the login name is matched upper-cased).
 * @throws KeybenchError ERR_SNOWFLAKE_USER when the name is empty.
 */
export function normaliseUser(user: string): Normalised {
  const steps = new Steps();
  const s = user.trim();
  if (s !== user) steps.add(['removed spaces around the user name']);
  if (s === '') throw new KeybenchError('ERR_SNOWFLAKE_USER', 'The user name is empty.');
  const upper = s.toUpperCase();
  if (upper !== s) steps.add(rich`upper-cased (${s} → ${upper})`);
  return { value: upper, steps: steps.steps, stepParts: steps.stepParts };
}

/** The claims of a Snowflake key-pair JWT. */
export interface SnowflakeClaims {
  /** `<ACCOUNT>.<USER>.SHA256:<fingerprint>` */
  iss: string;
  /** `<ACCOUNT>.<USER>` */
  sub: string;
  iat: number;
  exp: number;
}

/** Input to {@link snowflakeClaims}. */
export interface SnowflakeClaimsInput {
  /** As the user typed it; normalised with {@link normaliseAccount}. */
  account: string;
  /** As the user typed it; normalised with {@link normaliseUser}. */
  user: string;
  /** From {@link snowflakeFingerprint}: `SHA256:…`. */
  fingerprint: string;
  /** Now, in Unix seconds (becomes `iat`). */
  nowSec: number;
  /** Seconds until `exp`; default and maximum 3600. */
  lifetimeSec?: number;
}

/**
 * The claims of a key-pair JWT: `iss` = `<ACCOUNT>.<USER>.<fingerprint>`, `sub` =
 * `<ACCOUNT>.<USER>` (account and user normalised), `iat` = now, `exp` = `iat` + lifetime.
 * @throws KeybenchError ERR_SNOWFLAKE_LIFETIME when the lifetime is over 3600 s or not positive;
 *   ERR_SNOWFLAKE_FINGERPRINT when the fingerprint is not `SHA256:` and 32 bytes of base64;
 *   ERR_SNOWFLAKE_ACCOUNT / ERR_SNOWFLAKE_USER from the normalisation.
 */
export function snowflakeClaims(input: SnowflakeClaimsInput): SnowflakeClaims {
  const lifetime = input.lifetimeSec ?? SNOWFLAKE_MAX_LIFETIME_SEC;
  if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > SNOWFLAKE_MAX_LIFETIME_SEC) {
    throw new KeybenchError(
      'ERR_SNOWFLAKE_LIFETIME',
      `A lifetime of ${lifetime} s is refused: Snowflake accepts exp at most ${SNOWFLAKE_MAX_LIFETIME_SEC} s (one hour) after iat, and keybench asks for a whole number of seconds above 0.`,
    );
  }
  if (!FINGERPRINT_SHAPE.test(input.fingerprint)) {
    throw new KeybenchError(
      'ERR_SNOWFLAKE_FINGERPRINT',
      rich`The fingerprint ${input.fingerprint} is not in the form DESCRIBE USER prints (SHA256: and 44 base64 characters).`,
    );
  }
  const account = normaliseAccount(input.account).value;
  const user = normaliseUser(input.user).value;
  const iat = Math.floor(input.nowSec);
  return {
    iss: `${account}.${user}.${input.fingerprint}`,
    sub: `${account}.${user}`,
    iat,
    exp: iat + lifetime,
  };
}

/**
 * Sign the claims as a compact RS256 JWS (`{"alg":"RS256","typ":"JWT"}`) with a (non-extractable)
 * RSASSA-PKCS1-v1_5 SHA-256 private key.
 */
export async function signSnowflakeJwt(privateKey: CryptoKey, claims: SnowflakeClaims): Promise<string> {
  return signJws(
    { alg: 'RS256', typ: 'JWT' },
    { iss: claims.iss, sub: claims.sub, iat: claims.iat, exp: claims.exp },
    privateKey,
    'RS256',
  );
}

/** The two headers a key-pair JWT travels in. */
export function snowflakeHeaders(jwt: string): Record<string, string> {
  return {
    Authorization: `Bearer ${jwt}`,
    'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT',
  };
}

/**
 * The host's first label(s) for the SQL API URL, from the account as typed: a locator keeps its
 * region (`xy12345.us-east-1`), an organisation-account identifier takes its `-` form.
 * @throws KeybenchError ERR_SNOWFLAKE_ACCOUNT from the normalisation.
 */
export function snowflakeAccountHost(account: string): string {
  const normalised = normaliseAccount(account).value;
  const s = account
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/[/?#].*$/s, '')
    .replace(/:\d+$/, '')
    .replace(/\.snowflakecomputing\.(?:com|cn)$/i, '');
  const parts = s.split('.');
  const rest = parts.slice(1);
  if (rest.length && regionQualifierLength(rest) === rest.length) return s.toLowerCase();
  return normalised.toLowerCase();
}

/**
 * A curl for the SQL API: POST `https://<accountHost>.snowflakecomputing.com/api/v2/statements`
 * with `{"statement": …, "timeout": 60}`, JSON content headers and the two key-pair headers.
 * `accountHost` is the host's first label(s) as in the account URL (`myorg-myaccount`,
 * `xy12345.us-east-1`), not the normalised JWT account.
 * @throws KeybenchError ERR_SNOWFLAKE_ACCOUNT when accountHost holds characters a host cannot.
 */
export function snowflakeCurl(accountHost: string, jwt: string, statement: string): string {
  if (!/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/.test(accountHost)) {
    throw new KeybenchError(
      'ERR_SNOWFLAKE_ACCOUNT',
      rich`${accountHost} cannot be the start of a Snowflake host name (letters, digits, '_', '-' and '.' only).`,
    );
  }
  const url = `https://${accountHost}.snowflakecomputing.com/api/v2/statements`;
  const body = JSON.stringify({ statement, timeout: 60 });
  return curlCommand(
    'POST',
    shellQuote(url),
    { 'Content-Type': 'application/json', Accept: 'application/json', ...snowflakeHeaders(jwt) },
    [`  --data-raw ${shellQuote(body)}`],
  );
}

/**
 * True when the claims look like a Snowflake key-pair JWT: `iss` is a string of at least three
 * dot-separated parts whose last starts with `SHA256:`. (More than three parts are accepted so
 * that a token with the region left in the account is still recognised, and checked.)
 */
export function looksLikeSnowflakeJwt(claims: Record<string, unknown>): boolean {
  const iss = claims.iss;
  if (typeof iss !== 'string') return false;
  const parts = iss.split('.');
  return parts.length >= 3 && parts[parts.length - 1]!.startsWith('SHA256:');
}

/** A trusted key by its Snowflake fingerprint. `label` is the user's and untrusted. */
export interface SnowflakeKeyFingerprint {
  label: string;
  fingerprint: string;
}

/** Options of {@link checkSnowflakeJwt}. */
export interface SnowflakeCheckOptions {
  /** The keys the user trusts (stored or pasted), with {@link snowflakeFingerprint}s. */
  keyFingerprints: SnowflakeKeyFingerprint[];
  nowSec: number;
  /**
   * The trusted public key whose signature verified the token, if one did: `iss` must carry its
   * fingerprint. Without it, a fingerprint that matches a stored key proves nothing about the signer.
   */
  signedBy?: SnowflakeKeyFingerprint;
  /** The token header's `alg` (untrusted): RS256, or ES256/384/512 as snowflake-connector-python ≥ 4.5.0 signs. */
  alg: unknown;
  /** Clock-skew tolerance in seconds (the inspector's setting): iat up to this far ahead, exp this far behind. */
  skewSec?: number;
}

/** ECDSA algorithms snowflake-connector-python ≥ 4.5.0 signs with (PARTNERS.md). */
const ECDSA_ALGS = new Set(['ES256', 'ES384', 'ES512']);

/** Above this, a JWT time is not Unix seconds (year 5138) but milliseconds (since 1973). */
const MS_THRESHOLD = 1e11;

/** How a partner card's summary reads, and its tone. */
export interface CardSummary {
  text: string;
  /** `ok` (green) only beside a signature a trusted key verified. */
  tone: 'ok' | 'warn' | 'bad';
}

/**
 * The summary of the Snowflake card: "All Snowflake checks pass" / "No Snowflake check fails" or
 * how many fail. It is green only when `signatureVerified` (the one verdict rule): beside a
 * signature no trusted key made, passing checks say nothing about the token, and it says so.
 */
export function snowflakeSummary(findings: readonly Finding[], signatureVerified: boolean): CardSummary {
  const errors = findings.filter((x) => x.severity === 'error').length;
  const warnings = findings.filter((x) => x.severity === 'warning').length;
  if (errors > 0) {
    return {
      text: `${errors} Snowflake check${errors === 1 ? '' : 's'} fail${errors === 1 ? 's' : ''}.`,
      tone: 'bad',
    };
  }
  const head =
    warnings > 0
      ? `No Snowflake check fails; ${warnings} warning${warnings === 1 ? '' : 's'}.`
      : 'All Snowflake checks pass.';
  return signatureVerified
    ? { text: head, tone: 'ok' }
    : {
        text: `${head} But no key you trust verified the signature, and Snowflake checks it first: this says nothing about whether Snowflake accepts the token.`,
        tone: 'warn',
      };
}

/** `ACCOUNT.USER` split: the account, a region qualifier left in it (if any), and the user. */
interface Principal {
  account: string;
  region: string;
  user: string;
}

function splitPrincipal(text: string): Principal | undefined {
  const parts = text.split('.');
  if (parts.length < 2 || parts.some((p) => p === '')) return undefined;
  const rest = parts.slice(1);
  const n = regionQualifierLength(rest);
  // A qualifier that would leave no user is read as the user instead.
  const r = n > 0 && n < rest.length ? n : 0;
  return {
    account: parts[0]!,
    region: rest.slice(0, r).join('.'),
    user: rest.slice(r).join('.'),
  };
}

function age(sec: number): string {
  const a = Math.abs(sec);
  if (a < 120) return `${a} s`;
  if (a < 7200) return `${Math.round(a / 60)} min`;
  return `${(a / 3600).toFixed(1)} h`;
}

/**
 * Check a decoded payload against Snowflake's key-pair JWT rules, one finding per check (each
 * `check` name appears once): `alg`, `iss-shape`, `sub-shape`, `account-case`, `user-case`,
 * `account-region`, `account-dot`, `iss-sub`, `fingerprint`, `time-unit` (only for times in
 * milliseconds), `lifetime`, `exp`, `iat`. Claims and key labels
 * are untrusted and kept apart in the messages.
 */
export function checkSnowflakeJwt(claims: Record<string, unknown>, opts: SnowflakeCheckOptions): Finding[] {
  const out: Finding[] = [];
  const { iss, sub } = claims;
  if (opts.alg === 'RS256') out.push(ok('alg', 'alg', 'RS256, the algorithm Snowflake documents.'));
  else if (typeof opts.alg === 'string' && ECDSA_ALGS.has(opts.alg))
    out.push(
      ok(
        'alg',
        'alg',
        rich`${ours(opts.alg)}: an ECDSA key, as snowflake-connector-python ≥ 4.5.0 signs ("Added ECDSA key support"). Snowflake's documentation still names RSA keys and RS256 only; the other drivers sign RS256.`,
      ),
    );
  else
    out.push(
      problem(
        'alg',
        'ERR_SNOWFLAKE_ALG',
        'error',
        'alg',
        rich`The header's alg is ${String(opts.alg)}; Snowflake's documentation names RS256 only (snowflake-connector-python ≥ 4.5.0 also signs ES256/384/512). ${ANSWER} Sign with RS256 (RSASSA-PKCS1-v1_5, SHA-256).`,
      ),
    );

  // iss: <ACCOUNT>.<USER>.SHA256:<fingerprint>
  let issPrincipal: Principal | undefined;
  let fingerprint: string | undefined;
  if (typeof iss !== 'string') {
    out.push(
      problem(
        'iss-shape',
        'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        'error',
        'iss',
        `iss is missing or not a string. ${SNOWFLAKE_ANSWER} Set iss to <ACCOUNT>.<USER>.SHA256:<fingerprint>.`,
      ),
    );
  } else {
    const dot = iss.lastIndexOf('.');
    fingerprint = dot >= 0 ? iss.slice(dot + 1) : undefined;
    issPrincipal = dot >= 0 ? splitPrincipal(iss.slice(0, dot)) : undefined;
    if (!issPrincipal || !fingerprint || !FINGERPRINT_SHAPE.test(fingerprint)) {
      out.push(
        problem(
          'iss-shape',
          'ERR_SNOWFLAKE_CLAIMS_SHAPE',
          'error',
          'iss',
          rich`iss is ${iss}, not <ACCOUNT>.<USER>.SHA256:<fingerprint> with the fingerprint as DESCRIBE USER prints it (SHA256: and 44 base64 characters). ${ANSWER}`,
        ),
      );
      if (fingerprint !== undefined && !FINGERPRINT_SHAPE.test(fingerprint)) fingerprint = undefined;
    } else {
      out.push(ok('iss-shape', 'iss', 'iss has the form <ACCOUNT>.<USER>.SHA256:<fingerprint>.'));
    }
  }

  // sub: <ACCOUNT>.<USER>
  const subPrincipal = typeof sub === 'string' ? splitPrincipal(sub) : undefined;
  if (!subPrincipal) {
    out.push(
      problem(
        'sub-shape',
        'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        'error',
        'sub',
        typeof sub === 'string'
          ? rich`sub is ${sub}, not <ACCOUNT>.<USER>. ${ANSWER}`
          : `sub is missing or not a string. ${SNOWFLAKE_ANSWER} Set sub to <ACCOUNT>.<USER>.`,
      ),
    );
  } else {
    out.push(ok('sub-shape', 'sub', 'sub has the form <ACCOUNT>.<USER>.'));
  }

  const principals = [issPrincipal, subPrincipal].filter((p): p is Principal => !!p);

  // Upper case.
  for (const [part, title] of [
    ['account', 'Account'],
    ['user', 'User'],
  ] as const) {
    const bad = principals.find((p) => p[part] !== p[part].toUpperCase());
    if (bad) {
      out.push(
        problem(
          `${part}-case`,
          'ERR_SNOWFLAKE_CASE',
          'error',
          title,
          rich`The ${ours(part)} ${bad[part]} is not upper-case; Snowflake compares it as ${bad[part].toUpperCase()}. ${ANSWER} Upper-case the ${ours(part)} in iss and sub.`,
        ),
      );
    } else if (principals.length) {
      out.push(ok(`${part}-case`, title, `The ${part} is upper-case.`));
    }
  }

  // Region qualifier left in the account.
  const withRegion = principals.find((p) => p.region !== '');
  if (withRegion) {
    out.push(
      problem(
        'account-region',
        'ERR_SNOWFLAKE_REGION',
        'error',
        'Account',
        rich`The account ${withRegion.account} is followed by the region/cloud qualifier ${'.' + withRegion.region}. ${ANSWER} Use the account locator alone (${withRegion.account.toUpperCase()}) in iss and sub.`,
      ),
    );
  } else if (principals.length) {
    out.push(ok('account-region', 'Account', 'No region qualifier is left in the account.'));
  }

  // An organisation-account identifier with its '.' kept reads as account ORG, user ACCOUNT.USER.
  // A user name may hold dots too (e-mail addresses do, with an '@'), so this is a warning.
  const dotted = principals.find((p) => p.region === '' && p.user.includes('.') && !p.user.includes('@'));
  if (dotted) {
    const [second] = dotted.user.split('.');
    out.push(
      problem(
        'account-dot',
        'ERR_SNOWFLAKE_ACCOUNT',
        'warning',
        'Account',
        rich`The user part ${dotted.user} holds a '.'. If ${dotted.account} is the organisation and ${second ?? ''} the account, the '.' must be '-' (${`${dotted.account}-${second ?? ''}`.toUpperCase()}): ${ANSWER} If the user name really holds a '.', ignore this.`,
      ),
    );
  } else if (principals.length) {
    out.push(ok('account-dot', 'Account', "No '.' is left between organisation and account."));
  }

  // iss and sub name the same account and user.
  if (issPrincipal && subPrincipal && typeof iss === 'string' && typeof sub === 'string') {
    const issPrefix = iss.slice(0, iss.lastIndexOf('.'));
    if (issPrefix !== sub) {
      out.push(
        problem(
          'iss-sub',
          'ERR_SNOWFLAKE_ISS_SUB',
          'error',
          'iss / sub',
          rich`iss names ${issPrefix} but sub is ${sub}. ${ANSWER} Make sub exactly iss without its last part (.SHA256:…).`,
        ),
      );
    } else {
      out.push(ok('iss-sub', 'iss / sub', 'iss and sub name the same account and user.'));
    }
  }

  // The fingerprint names a trusted key (and the key that signed, when known).
  if (fingerprint !== undefined) {
    const match = opts.keyFingerprints.find((k) => k.fingerprint === fingerprint);
    if (opts.signedBy && opts.signedBy.fingerprint !== fingerprint) {
      const detail: Rich = match
        ? rich`iss carries the fingerprint of ${match.label}, but the token was signed by ${opts.signedBy.label}. `
        : rich`iss carries a fingerprint that is not that of ${opts.signedBy.label}, which signed the token. `;
      out.push(
        problem('fingerprint', 'ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY', 'error', 'Fingerprint', [
          ...detail,
          `Snowflake looks up the key by this fingerprint, so the signature will not verify. ${SNOWFLAKE_ANSWER} Put the fingerprint of the signing key in iss.`,
        ]),
      );
    } else if (match && opts.signedBy) {
      out.push(
        ok(
          'fingerprint',
          'Fingerprint',
          rich`The fingerprint in iss is that of ${match.label}, which verified the signature; compare with RSA_PUBLIC_KEY_FP or RSA_PUBLIC_KEY_2_FP in DESCRIBE USER.`,
        ),
      );
    } else if (match) {
      out.push(
        problem(
          'fingerprint',
          'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED',
          'warning',
          'Fingerprint',
          rich`iss carries the fingerprint of ${match.label}, but ${match.label} did not verify this token's signature. Anyone can write a fingerprint into iss: it says nothing about who signed the token.`,
        ),
      );
    } else {
      out.push(
        problem(
          'fingerprint',
          'ERR_SNOWFLAKE_FINGERPRINT',
          opts.keyFingerprints.length ? 'error' : 'warning',
          'Fingerprint',
          opts.keyFingerprints.length
            ? rich`The fingerprint ${fingerprint} matches none of the ${opts.keyFingerprints.length} trusted keys. Unless the user has that key assigned, ${ANSWER} Compare with RSA_PUBLIC_KEY_FP in DESCRIBE USER, or assign the key with ALTER USER … SET RSA_PUBLIC_KEY.`
            : rich`No trusted key to compare the fingerprint ${fingerprint} with. Compare it with RSA_PUBLIC_KEY_FP in DESCRIBE USER.`,
        ),
      );
    }
  }

  // Times. The Node driver (snowflake-sdk 3.4.0, auth_keypair.js) writes Date.now(): milliseconds.
  const { iat: rawIat, exp: rawExp } = claims;
  const numeric = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const skew = Math.max(0, Number.isFinite(opts.skewSec) ? opts.skewSec! : 0);
  const withSkew = skew ? ` (with the ${skew} s clock-skew tolerance)` : '';
  if (!numeric(rawIat) || !numeric(rawExp)) {
    out.push(
      problem(
        'lifetime',
        'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        'error',
        'iat / exp',
        `iat and exp must both be numbers (Unix seconds). ${SNOWFLAKE_ANSWER}`,
      ),
    );
    return out;
  }
  const iatMs = rawIat > MS_THRESHOLD;
  const expMs = rawExp > MS_THRESHOLD;
  if (iatMs !== expMs) {
    const [inMs, inSec] = iatMs ? ['iat', 'exp'] : ['exp', 'iat'];
    out.push(
      problem(
        'time-unit',
        'ERR_SNOWFLAKE_TIME_UNIT',
        'error',
        'iat / exp',
        `${inMs} is in milliseconds (${iatMs ? rawIat : rawExp}) but ${inSec} in seconds (${iatMs ? rawExp : rawIat}): they cannot be compared. ${SNOWFLAKE_ANSWER} Write both in Unix seconds.`,
      ),
    );
    return out;
  }
  const iat = iatMs ? Math.floor(rawIat / 1000) : rawIat;
  const exp = expMs ? Math.floor(rawExp / 1000) : rawExp;
  if (iatMs) {
    out.push(
      problem(
        'time-unit',
        'ERR_SNOWFLAKE_TIME_UNIT',
        'warning',
        'iat / exp',
        `iat and exp are in milliseconds (${String(rawIat).length} digits), as the Node driver snowflake-sdk writes them (Date.now() in auth_keypair.js); JWT times are Unix seconds (RFC 7519). keybench checks them below read as milliseconds. Other verifiers read them as seconds, tens of thousands of years ahead.`,
      ),
    );
  }
  const unit = iatMs ? ', read as milliseconds' : '';
  const life = exp - iat;
  if (life > SNOWFLAKE_MAX_LIFETIME_SEC || life <= 0) {
    out.push(
      problem(
        'lifetime',
        'ERR_SNOWFLAKE_LIFETIME',
        'error',
        'iat / exp',
        life > 0
          ? `exp is ${life} s (${age(life)}) after iat${unit}; Snowflake accepts at most ${SNOWFLAKE_MAX_LIFETIME_SEC} s (one hour). ${SNOWFLAKE_ANSWER} Set exp to at most iat + 3600.`
          : `exp is not after iat (exp − iat = ${life} s${unit}). ${SNOWFLAKE_ANSWER} Set exp to iat + 3600 at most.`,
      ),
    );
  } else {
    out.push(ok('lifetime', 'iat / exp', `exp is ${life} s after iat${unit} (at most one hour).`));
  }
  if (exp <= opts.nowSec - skew) {
    out.push(
      problem(
        'exp',
        'ERR_SNOWFLAKE_EXPIRED',
        'error',
        'exp',
        `The token expired ${age(opts.nowSec - exp)} ago${unit}${withSkew}. ${SNOWFLAKE_ANSWER} Sign a fresh token just before the request.`,
      ),
    );
  } else if (exp <= opts.nowSec) {
    out.push(
      ok(
        'exp',
        'exp',
        `The token expired ${age(opts.nowSec - exp)} ago${unit}, within the ${skew} s clock-skew tolerance.`,
      ),
    );
  } else {
    out.push(ok('exp', 'exp', `The token expires in ${age(exp - opts.nowSec)}${unit}.`));
  }
  if (iat > opts.nowSec + skew) {
    out.push(
      problem(
        'iat',
        'ERR_SNOWFLAKE_IAT_FUTURE',
        'error',
        'iat',
        `iat is ${age(iat - opts.nowSec)} in the future${unit}${withSkew}. ${SNOWFLAKE_ANSWER} Check the signing machine's clock (NTP) and set iat to now.`,
      ),
    );
  } else if (iat > opts.nowSec) {
    out.push(
      ok(
        'iat',
        'iat',
        `iat is ${age(iat - opts.nowSec)} ahead of this computer's clock${unit}, within the ${skew} s clock-skew tolerance.`,
      ),
    );
  } else {
    out.push(ok('iat', 'iat', `iat is ${age(opts.nowSec - iat)} ago${unit}.`));
  }
  return out;
}
