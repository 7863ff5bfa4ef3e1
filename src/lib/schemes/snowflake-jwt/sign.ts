/**
 * Signing a Snowflake key-pair JWT (docs.snowflake.com user-guide/key-pair-auth,
 * developer-guide/sql-api/authenticating): for a stored RSA pair, the `ALTER USER … SET
 * RSA_PUBLIC_KEY='…'` statement, the `SHA256:…` fingerprint `DESCRIBE USER` prints as
 * RSA_PUBLIC_KEY_FP, the JWT (`iss`/`sub` from the normalised account and user, `exp` at most an
 * hour after `iat`), its two headers and a curl for the SQL API.
 */
import { bytesToBase64 } from '../../encoding/base64url';
import { spkiSha256Base64 } from '../../keys/export';
import { KeybenchError } from '../../errors';
import { signJws } from '../../jwt/sign';
import { rich } from '../../rich';
import { curlCommand, shellQuote } from '../../partners/shell';
import {
  FINGERPRINT_SHAPE,
  accountPart,
  SNOWFLAKE_MAX_LIFETIME_SEC,
  normaliseAccount,
  normaliseUser,
  regionQualifierLength,
  snowflakeIdentifier,
} from './account';

/**
 * The fingerprint `DESCRIBE USER` prints as RSA_PUBLIC_KEY_FP: `SHA256:` followed by the standard
 * base64 (with padding) of SHA-256 over the SPKI DER of the public key. Equal to
 * `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`.
 */
export async function snowflakeFingerprint(spki: Uint8Array): Promise<string> {
  return spkiSha256Base64(spki);
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
  const s = accountPart(account);
  const rest = s.split('.').slice(1);
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
