/**
 * Snowflake key-pair authentication as data, run by the one card evaluator
 * (schemes/client-assertion/evaluate.ts). PARTNERS.md, "Snowflake key-pair authentication";
 * docs.snowflake.com user-guide/key-pair-auth, developer-guide/sql-api/authenticating,
 * sql-reference/identifiers-syntax, user-guide/key-pair-auth-troubleshooting. Checked against two
 * drivers: snowflake-connector-python (src/snowflake/connector/auth/keypair.py: account and user
 * upper-cased, iss = ACCOUNT.USER.SHA256:<base64 SHA-256 of the SPKI>, sub = ACCOUNT.USER, iat,
 * exp = iat + LIFETIME) and snowflake-connector-nodejs (lib/authentication/auth_keypair.js: the same
 * claims, upper-cased, SHA256: fingerprint). Whether Snowflake accepts depends on the account and
 * user the token names: the card compares them only with what is typed, else they stay unchecked.
 * Claims and key labels are untrusted: the templates' `{…}` keep them apart from these words.
 */
import { defineCardRules } from '../client-assertion/rules/types';
import {
  FINGERPRINT_SHAPE,
  SNOWFLAKE_ANSWER as ANSWER,
  SNOWFLAKE_MAX_LIFETIME_SEC,
  normaliseAccount,
  normaliseUser,
  regionQualifierLength,
} from './account';

const KEY_PAIR = 'https://docs.snowflake.com/en/user-guide/key-pair-auth';
const SQL_API = 'https://docs.snowflake.com/en/developer-guide/sql-api/authenticating';
const IDENTIFIERS = 'https://docs.snowflake.com/en/sql-reference/identifiers-syntax';
const TROUBLESHOOTING = 'https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting';
const PY_DRIVER =
  'snowflake-connector-python: src/snowflake/connector/auth/keypair.py (account and user upper-cased, iss = ACCOUNT.USER.SHA256:<fingerprint>, sub = ACCOUNT.USER, iat, exp = iat + LIFETIME; ES256/384/512 since 4.5.0)';
const NODE_DRIVER =
  'snowflake-connector-nodejs (snowflake-sdk 3.4.0): lib/authentication/auth_keypair.js (the same claims, upper-cased; iat and exp from Date.now(), in milliseconds)';

export default defineCardRules({
  id: 'snowflake-jwt',
  partnerName: 'Snowflake',
  title: 'Snowflake key-pair JWT',
  about:
    "Snowflake's rules: account and user upper-case, no region in the account, the fingerprint of the signing key, exp at most one hour after iat. Times are checked against this computer's clock when the token is pasted, with the clock-skew tolerance set under Claims.",
  // The summary says whether a trusted key verified the signature; a payload of no claims is checked as none.
  signatureFinding: false,
  options: [
    {
      name: 'account',
      label: 'Expected account',
      kind: 'text',
      default: '',
      help: 'The account you sign in to (xy12345.us-east-1 or myorg-myaccount); empty: not checked.',
    },
    {
      name: 'user',
      label: 'Expected user',
      kind: 'text',
      default: '',
      help: 'The Snowflake user the key is assigned to; empty: not checked.',
    },
  ],
  // An iss of at least three dot-separated parts ending in SHA256:… is Snowflake's alone (more than
  // three, so that a token with the region left in the account is still recognised, and checked).
  recognise: { iss: /^(?:[^.]*\.){2,}SHA256:[^.]*$/s, issScore: 3 },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg',
      words: 'RS256, or ES256/384/512 as snowflake-connector-python ≥ 4.5.0 signs.',
      allowed: ['RS256'],
      code: 'ERR_SNOWFLAKE_ALG',
      says: {
        ok: 'RS256, the algorithm Snowflake documents.',
        fail: `The header's alg is {alg}; Snowflake's documentation names RS256 only (snowflake-connector-python ≥ 4.5.0 also signs ES256/384/512). ${ANSWER} Sign with RS256 (RSASSA-PKCS1-v1_5, SHA-256).`,
      },
      // PARTNERS.md: snowflake-connector-python 4.5.0's changelog, "Added ECDSA key support".
      undocumented: {
        algs: ['ES256', 'ES384', 'ES512'],
        note: `{alg}: an ECDSA key, as snowflake-connector-python ≥ 4.5.0 signs ("Added ECDSA key support"). Snowflake's documentation still names RSA keys and RS256 only; the other drivers sign RS256.`,
      },
      source: PY_DRIVER,
      decides: false,
    },
    {
      kind: 'principal',
      keyed: 'iss',
      plain: 'sub',
      fingerprint: FINGERPRINT_SHAPE,
      qualifier: regionQualifierLength,
      // A user name may hold dots too (e-mail addresses do, with an '@').
      dotUnless: /@/,
      names: [
        { part: 'account', title: 'Account', option: 'account', normalise: normaliseAccount },
        { part: 'user', title: 'User', option: 'user', normalise: normaliseUser },
      ],
      source: `${KEY_PAIR}; ${IDENTIFIERS}; ${PY_DRIVER}; ${NODE_DRIVER}`,
      decides: true,
      keyedShape: {
        check: 'iss-shape',
        label: 'iss',
        code: 'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        says: {
          missing: `iss is missing or not a string. ${ANSWER} Set iss to <ACCOUNT>.<USER>.SHA256:<fingerprint>.`,
          wrong: `iss is {value}, not <ACCOUNT>.<USER>.SHA256:<fingerprint> with the fingerprint as DESCRIBE USER prints it (SHA256: and 44 base64 characters). ${ANSWER}`,
          ok: 'iss has the form <ACCOUNT>.<USER>.SHA256:<fingerprint>.',
        },
      },
      plainShape: {
        check: 'sub-shape',
        label: 'sub',
        code: 'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        says: {
          missing: `sub is missing or not a string. ${ANSWER} Set sub to <ACCOUNT>.<USER>.`,
          wrong: `sub is {value}, not <ACCOUNT>.<USER>. ${ANSWER}`,
          ok: 'sub has the form <ACCOUNT>.<USER>.',
        },
      },
      // The drivers upper-case both; Snowflake compares them upper-cased.
      upperCase: {
        check: '{part}-case',
        label: '{part}',
        code: 'ERR_SNOWFLAKE_CASE',
        says: {
          wrong: `The {part} {value} is not upper-case; Snowflake compares it as {upper}. ${ANSWER} Upper-case the {part} in iss and sub.`,
          ok: 'The {part} is upper-case.',
        },
      },
      // An account locator goes into the JWT without its region and cloud (key-pair-auth).
      qualifierLeft: {
        check: 'account-region',
        label: 'Account',
        code: 'ERR_SNOWFLAKE_REGION',
        says: {
          wrong: `The account {first} is followed by the region/cloud qualifier {qualifier}. ${ANSWER} Use the account locator alone ({upper}) in iss and sub.`,
          ok: 'No region qualifier is left in the account.',
        },
      },
      // An organisation-account identifier with its '.' kept reads as account ORG, user ACCOUNT.USER.
      dot: {
        check: 'account-dot',
        label: 'Account',
        code: 'ERR_SNOWFLAKE_ACCOUNT',
        says: {
          wrong: `The user part {second} holds a '.'. If {first} is the organisation and {head} the account, the '.' must be '-' ({joined}): ${ANSWER} If the user name really holds a '.', ignore this.`,
          ok: "No '.' is left between organisation and account.",
        },
      },
      same: {
        check: 'iss-sub',
        label: 'iss / sub',
        code: 'ERR_SNOWFLAKE_ISS_SUB',
        says: {
          wrong: `iss names {keyed} but sub is {plain}. ${ANSWER} Make sub exactly iss without its last part (.SHA256:…).`,
          ok: 'iss and sub name the same account and user.',
        },
      },
      // Snowflake accepts the token only for the account and user it names: unless the user says
      // which they expect, that was not compared, and the card cannot be green.
      expected: {
        check: '{part}-expected',
        label: '{part}',
        code: 'ERR_SNOWFLAKE_OTHER_PRINCIPAL',
        says: {
          untyped: 'sub names the {part} {value}. To compare it, type the Expected {part} on the card.',
          unreadable: 'The {part} typed on the card cannot be read: ',
          wrong: `sub names the {part} {value}, but you expect {want}. ${ANSWER} Sign with the {part} {want}.`,
          ok: 'The {part} is {want}, as expected.',
        },
      },
    },
    {
      kind: 'key-print',
      check: 'fingerprint',
      label: 'Fingerprint',
      words: 'the SHA-256 fingerprint of the signing key, as DESCRIBE USER prints RSA_PUBLIC_KEY_FP.',
      claim: 'iss',
      shape: FINGERPRINT_SHAPE,
      codes: {
        otherKey: 'ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY',
        unverified: 'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED',
        unknown: 'ERR_SNOWFLAKE_FINGERPRINT',
      },
      says: {
        otherKey: 'iss carries the fingerprint of {key}, but the token was signed by {signer}. ',
        otherPrint: 'iss carries a fingerprint that is not that of {signer}, which signed the token. ',
        lookedUp: `Snowflake looks up the key by this fingerprint, so the signature will not verify. ${ANSWER} Put the fingerprint of the signing key in iss.`,
        ok: 'The fingerprint in iss is that of {key}, which verified the signature; compare with RSA_PUBLIC_KEY_FP or RSA_PUBLIC_KEY_2_FP in DESCRIBE USER.',
        // Anyone can write a fingerprint: without the signature, a match proves nothing.
        unverified:
          "iss carries the fingerprint of {key}, but {key} did not verify this token's signature. Anyone can write a fingerprint into iss: it says nothing about who signed the token.",
        unknown: `The fingerprint {print} matches none of the {n} trusted keys. Unless the user has that key assigned, ${ANSWER} Compare with RSA_PUBLIC_KEY_FP in DESCRIBE USER, or assign the key with ALTER USER … SET RSA_PUBLIC_KEY.`,
        noKeys:
          'No trusted key to compare the fingerprint {print} with. Compare it with RSA_PUBLIC_KEY_FP in DESCRIBE USER.',
      },
      source: `${KEY_PAIR} (Verify the user's public key fingerprint); ${PY_DRIVER}`,
      decides: false,
    },
    {
      // The Node driver (snowflake-sdk 3.4.0, auth_keypair.js) writes Date.now(): milliseconds,
      // read as such with a warning.
      kind: 'time-unit',
      check: 'time-unit',
      label: 'iat / exp',
      words: 'iat and exp in Unix seconds (RFC 7519).',
      code: 'ERR_SNOWFLAKE_TIME_UNIT',
      says: {
        ms: 'iat and exp are in milliseconds ({digits} digits), as the Node driver snowflake-sdk writes them (Date.now() in auth_keypair.js); JWT times are Unix seconds (RFC 7519). keybench checks them below read as milliseconds. Other verifiers read them as seconds, tens of thousands of years ahead.',
        mixed: `{inMs} is in milliseconds ({msValue}) but {inSec} in seconds ({secValue}): they cannot be compared. ${ANSWER} Write both in Unix seconds.`,
      },
      source: NODE_DRIVER,
      decides: false,
    },
    {
      kind: 'pair-lifetime',
      check: 'lifetime',
      label: 'iat / exp',
      words: 'exp at most one hour after iat.',
      maxLifetimeSec: SNOWFLAKE_MAX_LIFETIME_SEC,
      codes: {
        missing: 'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        lifetime: 'ERR_SNOWFLAKE_LIFETIME',
        notAfter: 'ERR_SNOWFLAKE_LIFETIME',
      },
      says: {
        missing: `iat and exp must both be numbers (Unix seconds). ${ANSWER}`,
        lifetime: `exp is {life} s ({age}) after iat{unit}; Snowflake accepts at most {max} s (one hour). ${ANSWER} Set exp to at most iat + 3600.`,
        notAfter: `exp is not after iat (exp − iat = {life} s{unit}). ${ANSWER} Set exp to iat + 3600 at most.`,
        ok: 'exp is {life} s after iat{unit} (at most one hour).',
      },
      source: `${KEY_PAIR}; ${SQL_API}`,
      decides: false,
    },
    {
      kind: 'pair-clock',
      check: 'exp',
      label: 'exp',
      words: 'exp still ahead, within the clock-skew tolerance.',
      claim: 'exp',
      codes: { beyond: 'ERR_SNOWFLAKE_EXPIRED' },
      says: {
        beyond: `The token expired {age} ago{unit}{withSkew}. ${ANSWER} Sign a fresh token just before the request.`,
        within: 'The token expired {age} ago{unit}, within the {skew} s clock-skew tolerance.',
        ok: 'The token expires in {age}{unit}.',
      },
      source: `${TROUBLESHOOTING}; ${SQL_API}`,
      decides: false,
    },
    {
      kind: 'pair-clock',
      check: 'iat',
      label: 'iat',
      words: 'iat not in the future, within the clock-skew tolerance.',
      claim: 'iat',
      codes: { beyond: 'ERR_SNOWFLAKE_IAT_FUTURE' },
      says: {
        beyond: `iat is {age} in the future{unit}{withSkew}. ${ANSWER} Check the signing machine's clock (NTP) and set iat to now.`,
        within:
          "iat is {age} ahead of this computer's clock{unit}, within the {skew} s clock-skew tolerance.",
        ok: 'iat is {age} ago{unit}.',
      },
      source: `${TROUBLESHOOTING}; ${SQL_API}`,
      decides: false,
    },
  ],
  sources: [KEY_PAIR, SQL_API, IDENTIFIERS, TROUBLESHOOTING, PY_DRIVER, NODE_DRIVER],
});
