/**
 * The Snowflake Sign form as data: Account, User, the RSA key pair, the lifetime and
 * the SQL statement the curl runs; `sign` makes the key-pair JWT with the stored (non-extractable)
 * key and returns the token, its two headers, the request and curl for the SQL API, and the
 * signed bytes (header.payload) part by part. What data cannot say (the ALTER USER statement for
 * a key slot, the fingerprint) is the panel src/features/sign/panels/snowflake-jwt.svelte.
 */
import { KeybenchError } from '../../errors';
import { rich, type Rich } from '../../rich';
import { defineForm, type FormValues, type SignerKey, type SignOutput } from '../../scheme/contract';
import { SNOWFLAKE_MAX_LIFETIME_SEC, normaliseAccount, normaliseUser } from './account';
import {
  signSnowflakeJwt,
  snowflakeAccountHost,
  snowflakeClaims,
  snowflakeCurl,
  snowflakeFingerprint,
  snowflakeHeaders,
} from './sign';

/** The statement the curl runs when none is given. */
const DEFAULT_STATEMENT = 'SELECT CURRENT_USER()';

const text = (v: FormValues[string] | undefined): string => (typeof v === 'string' ? v : '');

/** A stored key pair (not a secret). */
type Pair = Extract<SignerKey, { kind: 'pair' }>;

/**
 * The key, when it is a stored RSASSA-PKCS1-v1_5 SHA-256 pair (RS256).
 * @throws KeybenchError ERR_KEY_UNSUPPORTED for a secret or any other key.
 */
function rs256Pair(key: SignerKey): Pair {
  const alg = key.kind === 'pair' ? (key.privateKey.algorithm as RsaHashedKeyAlgorithm) : undefined;
  if (key.kind !== 'pair' || alg?.name !== 'RSASSA-PKCS1-v1_5' || alg.hash.name !== 'SHA-256') {
    throw new KeybenchError(
      'ERR_KEY_UNSUPPORTED',
      rich`${key.label} cannot sign a Snowflake key-pair JWT: Snowflake needs an RSA key pair (RS256, 2048 bits or more). Generate or import one in Keys.`,
    );
  }
  return key;
}

/** What the normalisation did to the account and user, as notes beside the output. */
function normalisationNotes(account: string, user: string): Rich[] {
  const a = normaliseAccount(account);
  const u = normaliseUser(user);
  return [
    rich`Account in the JWT: ${a.value}`,
    ...a.stepParts,
    rich`User in the JWT: ${u.value}`,
    ...u.stepParts,
  ];
}

/** The signed bytes of a compact JWS, part by part: the header, the dot, the payload. */
function jwsBase(jwt: string): SignOutput['base'] {
  const [h = '', p = ''] = jwt.split('.');
  return [
    { label: 'header (base64url of the JSON header)', text: h },
    { label: 'separator', text: '.' },
    { label: 'payload (base64url of the JSON claims)', text: p },
  ];
}

/**
 * Sign a Snowflake key-pair JWT from the form's values with a stored RSA pair.
 * @throws KeybenchError ERR_KEY_UNSUPPORTED, ERR_SNOWFLAKE_ACCOUNT, ERR_SNOWFLAKE_USER,
 *   ERR_SNOWFLAKE_LIFETIME.
 */
async function sign(values: FormValues, key: SignerKey, nowMs: number): Promise<SignOutput> {
  const pair = rs256Pair(key);
  const account = text(values.account);
  const user = text(values.user);
  const minutes = Number(values.lifetime);
  const claims = snowflakeClaims({
    account,
    user,
    fingerprint: await snowflakeFingerprint(pair.spki),
    nowSec: Math.floor(nowMs / 1000),
    lifetimeSec: Math.round(minutes * 60),
  });
  const jwt = await signSnowflakeJwt(pair.privateKey, claims);
  const statement = text(values.statement).trim() || DEFAULT_STATEMENT;
  const host = snowflakeAccountHost(account);
  const headers = Object.entries(snowflakeHeaders(jwt));
  return {
    token: jwt,
    headers,
    base: jwsBase(jwt),
    request: {
      method: 'POST',
      url: `https://${host}.snowflakecomputing.com/api/v2/statements`,
      headers: [['Content-Type', 'application/json'], ['Accept', 'application/json'], ...headers],
      body: JSON.stringify({ statement, timeout: 60 }),
    },
    curl: snowflakeCurl(host, jwt, statement),
    notes: normalisationNotes(account, user),
  };
}

export default defineForm({
  id: 'snowflake-jwt',
  keyTypes: ['RSA'],
  fields: [
    {
      name: 'key',
      label: 'Key pair',
      kind: 'key',
      default: '',
      help: 'An RSA key pair (2048 bits or more) stored in Keys; its public key is assigned to the user.',
    },
    {
      name: 'account',
      label: 'Account',
      kind: 'text',
      default: '',
      help: 'The account identifier: myorg-myaccount, an account locator (xy12345.us-east-1) or the account URL. keybench normalises it for the JWT and shows each step.',
      remember: true,
    },
    {
      name: 'user',
      label: 'User',
      kind: 'text',
      default: '',
      help: 'The Snowflake user (login name) the public key is assigned to.',
      remember: true,
    },
    {
      name: 'lifetime',
      label: 'Lifetime (minutes)',
      kind: 'integer',
      default: SNOWFLAKE_MAX_LIFETIME_SEC / 60,
      help: 'Minutes from iat to exp; Snowflake accepts at most 60.',
    },
    {
      name: 'statement',
      label: 'SQL statement',
      kind: 'text',
      default: DEFAULT_STATEMENT,
      help: 'The statement the curl for the SQL API runs.',
      remember: true,
    },
  ],
  sign,
});
