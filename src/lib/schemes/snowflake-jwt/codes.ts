/**
 * The codes Snowflake's key-pair JWT (the rules in rules.ts, account.ts, sign.ts) raise. errors.ts
 * joins them into ErrorCode; a test checks each is raised in this folder. The file imports nothing,
 * so errors.ts takes it without an import cycle.
 */
export type SnowflakeCode =
  | 'ERR_SNOWFLAKE_ACCOUNT'
  | 'ERR_SNOWFLAKE_USER'
  | 'ERR_SNOWFLAKE_LIFETIME'
  | 'ERR_SNOWFLAKE_CLAIMS_SHAPE'
  | 'ERR_SNOWFLAKE_CASE'
  | 'ERR_SNOWFLAKE_REGION'
  | 'ERR_SNOWFLAKE_ISS_SUB'
  | 'ERR_SNOWFLAKE_FINGERPRINT'
  | 'ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY'
  | 'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED'
  | 'ERR_SNOWFLAKE_ALG'
  | 'ERR_SNOWFLAKE_EXPIRED'
  | 'ERR_SNOWFLAKE_IAT_FUTURE'
  | 'ERR_SNOWFLAKE_TIME_UNIT'
  | 'ERR_SNOWFLAKE_OTHER_PRINCIPAL';
