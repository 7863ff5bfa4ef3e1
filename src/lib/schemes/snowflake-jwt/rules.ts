/**
 * Snowflake key-pair authentication (PARTNERS.md, "Snowflake key-pair authentication"; sources:
 * docs.snowflake.com user-guide/key-pair-auth, developer-guide/sql-api/authenticating,
 * sql-reference/identifiers-syntax, user-guide/key-pair-auth-troubleshooting). Checked against two
 * drivers: snowflake-connector-python (src/snowflake/connector/auth/keypair.py: account and user
 * upper-cased, iss = ACCOUNT.USER.SHA256:<base64 SHA-256 of the SPKI>, sub = ACCOUNT.USER, iat,
 * exp = iat + LIFETIME) and snowflake-connector-nodejs (lib/authentication/auth_keypair.js: the same
 * claims, upper-cased, SHA256: fingerprint). Whether Snowflake accepts depends on the account and
 * user the token names: the card compares them only with what is typed, else they stay unchecked.
 *
 * For a stored RSA pair: the `ALTER USER … SET RSA_PUBLIC_KEY='…'` statement, the `SHA256:…`
 * fingerprint `DESCRIBE USER` prints as RSA_PUBLIC_KEY_FP, the key-pair JWT (`iss`/`sub` from the
 * normalised account and user, `exp` at most an hour after `iat`), its two headers and a curl for
 * the SQL API; and the checks the inspector runs on a Snowflake key-pair JWT.
 */
import { ours, rich, type Rich } from '../../rich';
import { ok, problem, unchecked, type Finding } from '../../partners/scheme';
import { cardSummary, type CardSummary } from '../../trust/card';
import {
  ANSWER,
  FINGERPRINT_SHAPE,
  SNOWFLAKE_ANSWER,
  normaliseAccount,
  normaliseUser,
  regionQualifierLength,
} from './account';
import { checkTimes } from './times';
import { KeybenchError } from '../../errors';

export type { CardSummary };

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
  /** The account and user the user expects (typed on the card, as typed); unset or empty: not checked. */
  expected?: { account?: string; user?: string };
}

/** ECDSA algorithms snowflake-connector-python ≥ 4.5.0 signs with (PARTNERS.md). */
const ECDSA_ALGS = new Set(['ES256', 'ES384', 'ES512']);

/**
 * The summary of the Snowflake card: "All Snowflake checks pass" / "No Snowflake check fails" or
 * how many fail (trust/card.ts, the same for every partner card). Green only when
 * `signatureVerified` (the one verdict rule).
 */
export function snowflakeSummary(findings: readonly Finding[], signatureVerified: boolean): CardSummary {
  return cardSummary('Snowflake', findings, signatureVerified);
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

/** `alg`: RS256 as documented, or ECDSA as snowflake-connector-python ≥ 4.5.0 signs. */
function checkAlg(alg: unknown): Finding {
  if (alg === 'RS256') return ok('alg', 'alg', 'RS256, the algorithm Snowflake documents.');
  if (typeof alg === 'string' && ECDSA_ALGS.has(alg)) {
    return ok(
      'alg',
      'alg',
      rich`${ours(alg)}: an ECDSA key, as snowflake-connector-python ≥ 4.5.0 signs ("Added ECDSA key support"). Snowflake's documentation still names RSA keys and RS256 only; the other drivers sign RS256.`,
    );
  }
  return problem(
    'alg',
    'ERR_SNOWFLAKE_ALG',
    'error',
    'alg',
    rich`The header's alg is ${String(alg)}; Snowflake's documentation names RS256 only (snowflake-connector-python ≥ 4.5.0 also signs ES256/384/512). ${ANSWER} Sign with RS256 (RSASSA-PKCS1-v1_5, SHA-256).`,
  );
}

/** What `iss` holds once read: its principal and fingerprint, when they have the right form. */
interface Issuer {
  principal?: Principal;
  fingerprint?: string;
}

/** `iss-shape`: `<ACCOUNT>.<USER>.SHA256:<fingerprint>`. */
function checkIss(iss: unknown, out: Finding[]): Issuer {
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
    return {};
  }
  const dot = iss.lastIndexOf('.');
  let fingerprint = dot >= 0 ? iss.slice(dot + 1) : undefined;
  const principal = dot >= 0 ? splitPrincipal(iss.slice(0, dot)) : undefined;
  if (!principal || !fingerprint || !FINGERPRINT_SHAPE.test(fingerprint)) {
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
  return { principal, fingerprint };
}

/** `sub-shape`: `<ACCOUNT>.<USER>`. */
function checkSub(sub: unknown, out: Finding[]): Principal | undefined {
  const principal = typeof sub === 'string' ? splitPrincipal(sub) : undefined;
  if (!principal) {
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
  return principal;
}

/** `account-case`, `user-case`, `account-region`, `account-dot` over the principals of iss and sub. */
function checkPrincipals(principals: readonly Principal[], out: Finding[]): void {
  if (!principals.length) return;
  for (const [part, title] of [
    ['account', 'Account'],
    ['user', 'User'],
  ] as const) {
    const bad = principals.find((p) => p[part] !== p[part].toUpperCase());
    out.push(
      bad
        ? problem(
            `${part}-case`,
            'ERR_SNOWFLAKE_CASE',
            'error',
            title,
            rich`The ${ours(part)} ${bad[part]} is not upper-case; Snowflake compares it as ${bad[part].toUpperCase()}. ${ANSWER} Upper-case the ${ours(part)} in iss and sub.`,
          )
        : ok(`${part}-case`, title, `The ${part} is upper-case.`),
    );
  }
  const withRegion = principals.find((p) => p.region !== '');
  out.push(
    withRegion
      ? problem(
          'account-region',
          'ERR_SNOWFLAKE_REGION',
          'error',
          'Account',
          rich`The account ${withRegion.account} is followed by the region/cloud qualifier ${'.' + withRegion.region}. ${ANSWER} Use the account locator alone (${withRegion.account.toUpperCase()}) in iss and sub.`,
        )
      : ok('account-region', 'Account', 'No region qualifier is left in the account.'),
  );
  // An organisation-account identifier with its '.' kept reads as account ORG, user ACCOUNT.USER.
  // A user name may hold dots too (e-mail addresses do, with an '@'), so this is a warning.
  const dotted = principals.find((p) => p.region === '' && p.user.includes('.') && !p.user.includes('@'));
  if (!dotted) {
    out.push(ok('account-dot', 'Account', "No '.' is left between organisation and account."));
    return;
  }
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
}

/** `iss-sub`: iss and sub name the same account and user. */
function checkIssSub(iss: string, sub: string): Finding {
  const issPrefix = iss.slice(0, iss.lastIndexOf('.'));
  if (issPrefix !== sub) {
    return problem(
      'iss-sub',
      'ERR_SNOWFLAKE_ISS_SUB',
      'error',
      'iss / sub',
      rich`iss names ${issPrefix} but sub is ${sub}. ${ANSWER} Make sub exactly iss without its last part (.SHA256:…).`,
    );
  }
  return ok('iss-sub', 'iss / sub', 'iss and sub name the same account and user.');
}

/**
 * `account-expected`, `user-expected` (unchecked when nothing is typed on the card): the account
 * and user in sub are the ones expected, once normalised as the signer normalises them.
 */
function checkExpected(sub: Principal, expected: SnowflakeCheckOptions['expected'], out: Finding[]): void {
  for (const [part, title] of [
    ['account', 'Account'],
    ['user', 'User'],
  ] as const) {
    const typed = expected?.[part]?.trim();
    if (!typed) {
      // Snowflake accepts the token only for the account and user it names: unless the user says
      // which they expect, that was not compared, and the card cannot be green.
      out.push(
        unchecked(
          `${part}-expected`,
          title,
          rich`sub names the ${ours(part)} ${sub[part]}. To compare it, type the Expected ${ours(part)} on the card.`,
        ),
      );
      continue;
    }
    let want: string;
    try {
      want = part === 'account' ? normaliseAccount(typed).value : normaliseUser(typed).value;
    } catch (e) {
      const parts = e instanceof KeybenchError ? e.parts : [String(e)];
      out.push(
        problem(`${part}-expected`, 'ERR_SNOWFLAKE_OTHER_PRINCIPAL', 'warning', title, [
          ...rich`The ${ours(part)} typed on the card cannot be read: `,
          ...parts,
        ]),
      );
      continue;
    }
    const got = sub[part];
    out.push(
      got.toUpperCase() === want
        ? ok(`${part}-expected`, title, rich`The ${ours(part)} is ${want}, as expected.`)
        : problem(
            `${part}-expected`,
            'ERR_SNOWFLAKE_OTHER_PRINCIPAL',
            'error',
            title,
            rich`sub names the ${ours(part)} ${got}, but you expect ${want}. ${ANSWER} Sign with the ${ours(part)} ${want}.`,
          ),
    );
  }
}

/** `fingerprint`: the fingerprint in iss names a trusted key, and the key that signed when known. */
function checkFingerprint(fingerprint: string, opts: SnowflakeCheckOptions): Finding {
  const match = opts.keyFingerprints.find((k) => k.fingerprint === fingerprint);
  if (opts.signedBy && opts.signedBy.fingerprint !== fingerprint) {
    const detail: Rich = match
      ? rich`iss carries the fingerprint of ${match.label}, but the token was signed by ${opts.signedBy.label}. `
      : rich`iss carries a fingerprint that is not that of ${opts.signedBy.label}, which signed the token. `;
    return problem('fingerprint', 'ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY', 'error', 'Fingerprint', [
      ...detail,
      `Snowflake looks up the key by this fingerprint, so the signature will not verify. ${SNOWFLAKE_ANSWER} Put the fingerprint of the signing key in iss.`,
    ]);
  }
  if (match && opts.signedBy) {
    return ok(
      'fingerprint',
      'Fingerprint',
      rich`The fingerprint in iss is that of ${match.label}, which verified the signature; compare with RSA_PUBLIC_KEY_FP or RSA_PUBLIC_KEY_2_FP in DESCRIBE USER.`,
    );
  }
  if (match) {
    return problem(
      'fingerprint',
      'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED',
      'warning',
      'Fingerprint',
      rich`iss carries the fingerprint of ${match.label}, but ${match.label} did not verify this token's signature. Anyone can write a fingerprint into iss: it says nothing about who signed the token.`,
    );
  }
  const n = opts.keyFingerprints.length;
  return problem(
    'fingerprint',
    'ERR_SNOWFLAKE_FINGERPRINT',
    n ? 'error' : 'warning',
    'Fingerprint',
    n
      ? rich`The fingerprint ${fingerprint} matches none of the ${n} trusted keys. Unless the user has that key assigned, ${ANSWER} Compare with RSA_PUBLIC_KEY_FP in DESCRIBE USER, or assign the key with ALTER USER … SET RSA_PUBLIC_KEY.`
      : rich`No trusted key to compare the fingerprint ${fingerprint} with. Compare it with RSA_PUBLIC_KEY_FP in DESCRIBE USER.`,
  );
}

/**
 * Check a decoded payload against Snowflake's key-pair JWT rules, one finding per check (each
 * `check` name appears once): `alg`, `iss-shape`, `sub-shape`, `account-case`, `user-case`,
 * `account-region`, `account-dot`, `iss-sub`, `account-expected` and `user-expected` (`unchecked`
 * when nothing is typed on the card), `fingerprint`, `time-unit` (only for times in milliseconds),
 * `lifetime`, `exp`, `iat`. Claims and key labels are untrusted and kept apart in the messages.
 */
export function checkSnowflakeJwt(claims: Record<string, unknown>, opts: SnowflakeCheckOptions): Finding[] {
  const out: Finding[] = [checkAlg(opts.alg)];
  const { iss, sub } = claims;
  const issuer = checkIss(iss, out);
  const subPrincipal = checkSub(sub, out);
  checkPrincipals(
    [issuer.principal, subPrincipal].filter((p): p is Principal => !!p),
    out,
  );
  if (issuer.principal && subPrincipal && typeof iss === 'string' && typeof sub === 'string') {
    out.push(checkIssSub(iss, sub));
  }
  if (subPrincipal) checkExpected(subPrincipal, opts.expected, out);
  if (issuer.fingerprint !== undefined) out.push(checkFingerprint(issuer.fingerprint, opts));
  out.push(...checkTimes(claims, opts));
  return out;
}
