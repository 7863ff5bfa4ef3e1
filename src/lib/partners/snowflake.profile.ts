import { definePartner } from '../partner-profile';

/** Snowflake key-pair authentication (PARTNERS.md, "Snowflake key-pair authentication"). */
export default definePartner({
  id: 'snowflake',
  name: 'Snowflake',
  order: 4,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 16384 }],
  generate: ['rsa-2048'],
  upload: {
    format: 'spki-base64',
    fileName: 'rsa_key.pub',
    where:
      "ALTER USER <name> SET RSA_PUBLIC_KEY='<the public key without its armour lines>' (RSA_PUBLIC_KEY_2 to rotate); the Sign → Snowflake form writes the statement.",
  },
  fingerprint: {
    format: 'sha256-base64',
    where: 'DESCRIBE USER <name> shows it as RSA_PUBLIC_KEY_FP.',
  },
  checklist: [
    {
      title: 'Generate an RSA-2048 key pair',
      detail:
        'keybench replaces openssl genrsa … | openssl pkcs8 and openssl rsa -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Assign the public key to your user',
      detail:
        "Run ALTER USER <name> SET RSA_PUBLIC_KEY='…' (the Sign → Snowflake form writes it), then check that DESCRIBE USER shows the same RSA_PUBLIC_KEY_FP as this key.",
      action: 'upload',
    },
    {
      title: 'Sign a key-pair JWT',
      detail:
        'iss = ACCOUNT.USER.SHA256:fingerprint, sub = ACCOUNT.USER, exp at most one hour after iat; send it as Authorization: Bearer with X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT.',
      action: 'sign',
    },
  ],
  schemes: ['snowflake-jwt'],
  mistakes: [
    { code: 'ERR_SNOWFLAKE_CASE', title: 'Account or user not in upper case' },
    { code: 'ERR_SNOWFLAKE_REGION', title: 'Region or cloud left in the account locator' },
    { code: 'ERR_SNOWFLAKE_ACCOUNT', title: 'Account identifier that is not an account' },
    { code: 'ERR_SNOWFLAKE_USER', title: 'Empty user name' },
    { code: 'ERR_SNOWFLAKE_ISS_SUB', title: 'iss and sub name different users' },
    { code: 'ERR_SNOWFLAKE_FINGERPRINT', title: 'Fingerprint not in the SHA256:… form' },
    { code: 'ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY', title: 'Fingerprint of another key than the signing one' },
    {
      code: 'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED',
      title: 'Fingerprint of a stored key that did not verify the token',
    },
    { code: 'ERR_SNOWFLAKE_ALG', title: 'Signed with another algorithm than RS256 or ES256/384/512' },
    { code: 'ERR_SNOWFLAKE_LIFETIME', title: 'Lifetime over one hour' },
    { code: 'ERR_SNOWFLAKE_EXPIRED', title: 'Token expired' },
    { code: 'ERR_SNOWFLAKE_IAT_FUTURE', title: 'iat in the future' },
    { code: 'ERR_SNOWFLAKE_TIME_UNIT', title: 'iat and exp in milliseconds (snowflake-sdk for Node)' },
    { code: 'ERR_SNOWFLAKE_CLAIMS_SHAPE', title: 'iss, sub, iat or exp missing or of the wrong type' },
    { code: 'ERR_SNOWFLAKE_OTHER_PRINCIPAL', title: 'Another account or user than the one expected' },
  ],
  source: 'PARTNERS.md, "Snowflake key-pair authentication"',
});
