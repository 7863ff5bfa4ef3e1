/**
 * Snowflake account and user names as a key-pair JWT needs them (PARTNERS.md, "Snowflake key-pair
 * authentication"; docs.snowflake.com sql-reference/identifiers-syntax, user-guide/key-pair-auth):
 * the normalisation the signer applies step by step, and the constants the rules share.
 */
import { KeybenchError } from '../../errors';
import { rich, shownUntrusted, type Rich } from '../../rich';

/** The longest lifetime Snowflake accepts for a key-pair JWT: `exp` at most one hour after `iat`. */
export const SNOWFLAKE_MAX_LIFETIME_SEC = 3600;

/** What Snowflake answers to a key-pair JWT it refuses, whatever the reason. */
export const SNOWFLAKE_ANSWER =
  "Snowflake answers 'JWT token is invalid' (390144); an administrator can read the precise reason with SYSTEM$GET_LOGIN_FAILURE_DETAILS('<uuid from the error>').";

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
export const FINGERPRINT_SHAPE = /^SHA256:[A-Za-z0-9+/]{43}=$/;

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

/** A value and its steps, also as plain sentences (untrusted fragments in single quotes). */
function normalised(value: string, stepParts: Rich[]): Normalised {
  const quoted = (parts: Rich) =>
    parts.map((p) => (typeof p === 'string' ? p : `'${shownUntrusted(p.untrusted)}'`)).join('');
  return { value, steps: stepParts.map(quoted), stepParts };
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

/** What a pasted URL has around the account identifier, removed in this order, and the step saying so. */
const URL_PARTS: readonly (readonly [RegExp, (found: string) => Rich])[] = [
  [
    /^[a-z][a-z0-9+.-]*:\/\//i,
    (m) => rich`removed the scheme ${m} (a URL was pasted, not the account identifier)`,
  ],
  [/[/?#].*$/s, (m) => rich`removed the path ${m} after the host`],
  [/:\d+$/, (m) => rich`removed the port ${m}`],
  [HOST_SUFFIX, (m) => rich`removed the host suffix ${m} (the account identifier is the part before it)`],
];

/** The account as typed, trimmed, without a URL's scheme, path, port and host suffix (each a step). */
export function accountPart(account: string, steps?: Rich[]): string {
  let s = account.trim();
  if (s !== account) steps?.push(['removed spaces around the account identifier']);
  for (const [re, step] of URL_PARTS) {
    const m = re.exec(s);
    if (m) {
      s = s.slice(0, m.index) + s.slice(m.index + m[0].length);
      steps?.push(step(m[0]));
    }
  }
  return s;
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
  const steps: Rich[] = [];
  let s = accountPart(account, steps);
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
      steps.push(
        rich`removed the region/cloud suffix ${'.' + rest.join('.')} (an account locator goes into the JWT without its region)`,
      );
    } else if (rest.length === 1 && n === 0) {
      s = `${parts[0]}-${rest[0]}`;
      steps.push([
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
  if (upper !== s) steps.push(rich`upper-cased (${s} → ${upper})`);
  return normalised(upper, steps);
}

/**
 * The user name as a Snowflake key-pair JWT needs it: trimmed and upper-cased (the drivers do the
 * same: the login name is matched upper-cased).
 * @throws KeybenchError ERR_SNOWFLAKE_USER when the name is empty.
 */
export function normaliseUser(user: string): Normalised {
  const steps: Rich[] = [];
  const s = user.trim();
  if (s !== user) steps.push(['removed spaces around the user name']);
  if (s === '') throw new KeybenchError('ERR_SNOWFLAKE_USER', 'The user name is empty.');
  const upper = s.toUpperCase();
  if (upper !== s) steps.push(rich`upper-cased (${s} → ${upper})`);
  return normalised(upper, steps);
}
