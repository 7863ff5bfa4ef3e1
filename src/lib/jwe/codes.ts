/**
 * The codes message-level encryption, JWE (parse.ts, decrypt.ts, encrypt.ts, inspect.ts) raise.
 * errors.ts joins them into ErrorCode; a test checks each is raised in this folder. The file
 * imports nothing, so errors.ts takes it without an import cycle.
 */
export type JweCode =
  | 'ERR_JWE_NOT_FOUND'
  | 'ERR_JWE_TOO_LARGE'
  | 'ERR_JWE_SEGMENTS'
  | 'ERR_JWE_BASE64URL'
  | 'ERR_JWE_HEADER'
  | 'ERR_JWE_ALG'
  | 'ERR_JWE_ENC'
  | 'ERR_JWE_ZIP'
  | 'ERR_JWE_KEY_TYPE'
  | 'ERR_JWE_WRONG_KEY'
  | 'ERR_JWE_TAG'
  | 'ERR_JWE_KID_UNKNOWN'
  | 'ERR_JWE_NO_KEY'
  | 'ERR_JWE_INPUT';
