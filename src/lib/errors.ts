import { plain, type Rich } from './rich';

/** Every failure the domain layer reports, by a stable code the UI maps to words. */
export type ErrorCode =
  // encoding
  | 'ERR_BASE64'
  | 'ERR_PEM_ARMOUR'
  | 'ERR_DER'
  // keys
  | 'ERR_KEY_UNSUPPORTED'
  | 'ERR_KEY_WEAK'
  | 'ERR_KEY_ENCRYPTED'
  | 'ERR_KEY_PRIVATE_WHERE_PUBLIC'
  | 'ERR_KEY_UNRECOGNISED'
  | 'ERR_KEY_INVALID'
  | 'ERR_KEY_TOO_LARGE'
  | 'ERR_GENERATION_FAILED'
  // storage
  | 'ERR_STORAGE_UNAVAILABLE'
  | 'ERR_STORAGE_WRITE'
  | 'ERR_STORAGE_NOT_FOUND'
  | 'ERR_STORAGE_EXTRACTABLE'
  // jwt
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_SEGMENTS'
  | 'ERR_JWT_BASE64URL'
  | 'ERR_JWT_JSON'
  | 'ERR_JWT_HEADER'
  | 'ERR_JWT_JWE'
  | 'ERR_JWT_UNSECURED'
  | 'ERR_JWT_ALG_UNSUPPORTED'
  | 'ERR_JWT_ALG_KEY_MISMATCH'
  | 'ERR_JWT_CURVE_MISMATCH'
  | 'ERR_JWT_ECDSA_DER'
  | 'ERR_JWT_ECDSA_LENGTH'
  | 'ERR_JWT_RS_PS_CONFUSION'
  | 'ERR_JWT_HMAC_WITH_PUBLIC_KEY'
  | 'ERR_JWT_CRIT'
  | 'ERR_JWT_B64_FALSE'
  | 'ERR_JWT_SIGNATURE'
  | 'ERR_JWT_NO_KEY'
  | 'ERR_JWKS_NO_MATCH'
  | 'ERR_JWKS_KID_MISMATCH'
  | 'ERR_JWKS_KID_AMBIGUOUS'
  | 'ERR_JWK_NOT_FOR_VERIFYING'
  | 'ERR_JWT_DUPLICATE_MEMBER'
  | 'ERR_JWT_EMBEDDED_KEY_ONLY'
  // partners
  | 'ERR_PARTNER_INPUT'
  | 'ERR_QIT_AUTH_HEADER'
  | 'ERR_QIT_API_KEY'
  | 'ERR_QIT_TOKEN_SIGNATURE'
  | 'ERR_QIT_MD5'
  | 'ERR_QIT_METHOD'
  | 'ERR_QIT_ENDPOINT'
  | 'ERR_QIT_BODY_SIGNATURE'
  // partners (issue 11: QI Tech v2 / QI DTVM, request verification, trusted response keys, Qredo nonce)
  | 'ERR_QIT_NO_TRUSTED_KEY'
  | 'ERR_QIT_NO_KEY'
  | 'ERR_QIT_DATE'
  | 'ERR_QIT_CLAIMS'
  | 'ERR_QIT_URI'
  | 'ERR_QIT_CONTENT_TYPE'
  | 'ERR_QIT_TIMESTAMP_FORMAT'
  | 'ERR_QIT_CLOCK_SKEW'
  | 'ERR_QIT_EXTRA_CLAIMS'
  | 'ERR_PARTNER_BODY_BYTES'
  | 'ERR_QREDO_SIGNATURE'
  // request doctor (issue 12): reading a pasted request
  | 'ERR_REQUEST_PARSE'
  | 'ERR_REQUEST_TOO_LARGE'
  | 'ERR_REQUEST_NO_SCHEME'
  | 'ERR_REQUEST_MISSING_HEADER'
  | 'ERR_REQUEST_CLOCK_SKEW'
  | 'ERR_REQUEST_NO_KEY'
  | 'ERR_REQUEST_DUPLICATE_HEADER'
  | 'ERR_REQUEST_DUPLICATE_MEMBER'
  | 'ERR_REQUEST_UNSIGNED_MEMBER'
  | 'ERR_REQUEST_HEADER_VALUE'
  // request doctor: Qredo mistakes, each confirmed by a signature check over the mistaken bytes
  | 'ERR_QREDO_TIMESTAMP_UNIT'
  | 'ERR_QREDO_TIMESTAMP_DIFFERS'
  | 'ERR_QREDO_URL_NO_QUERY'
  | 'ERR_QREDO_URL_PATH_ONLY'
  | 'ERR_QREDO_URL_TRAILING_SLASH'
  | 'ERR_QREDO_URL_ENCODING'
  | 'ERR_QREDO_BODY_PRETTY'
  | 'ERR_QREDO_BODY_COMPACT'
  | 'ERR_QREDO_BODY_LINE_ENDINGS'
  | 'ERR_QREDO_BODY_TRAILING_NEWLINE'
  | 'ERR_QREDO_BODY_BOM'
  | 'ERR_QREDO_SIGN_ENCODING'
  | 'ERR_QREDO_MESSAGE_SEPARATORS'
  | 'ERR_QREDO_MESSAGE_METHOD'
  | 'ERR_QREDO_HASH'
  | 'ERR_QREDO_PSS'
  | 'ERR_QREDO_OTHER_KEY'
  | 'ERR_QREDO_UNKNOWN_KEY'
  | 'ERR_QREDO_BODY_EMPTY'
  | 'ERR_QREDO_API_KEY'
  // request doctor: QI Tech mistakes
  | 'ERR_QIT_MD5_RAW_JSON'
  | 'ERR_QIT_GET_CONTENT_TYPE'
  | 'ERR_QIT_ENDPOINT_QUERY'
  | 'ERR_QIT_SUB_API_KEY'
  | 'ERR_QIT_DER_SIGNATURE'
  | 'ERR_QIT_BODY_OTHER_KEY'
  | 'ERR_QIT_V2_SERIALISATION'
  | 'ERR_QIT_V2_EMPTY_PAYLOAD'
  | 'ERR_QIT_METHOD_CASE'
  | 'ERR_QIT_OTHER_KEY'
  | 'ERR_QIT_UNSIGNED_BODY'
  // key roles (issue 17): a key whose owner does not fit what is checked
  | 'ERR_TRUST_KEY_ROLE'
  | 'ERR_TRUST_NO_OWNER'
  // Snowflake (issue 14)
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
  | 'ERR_SNOWFLAKE_OTHER_PRINCIPAL'
  // Binance (issue 14)
  | 'ERR_BINANCE_SIGNATURE'
  | 'ERR_BINANCE_NO_SIGNATURE'
  | 'ERR_BINANCE_TIMESTAMP'
  | 'ERR_BINANCE_TIMESTAMP_SECONDS'
  | 'ERR_BINANCE_PARAM_ORDER'
  | 'ERR_BINANCE_CONCAT'
  | 'ERR_BINANCE_SIGNATURE_NOT_ENCODED'
  | 'ERR_BINANCE_BASE64URL'
  | 'ERR_BINANCE_DUPLICATE_PARAM'
  | 'ERR_BINANCE_SIGNATURE_NOT_LAST'
  | 'ERR_BINANCE_BODY_NOT_READ'
  | 'ERR_BINANCE_NON_ASCII'
  | 'ERR_BINANCE_SIGNED_DECODED'
  | 'ERR_BINANCE_STALE_TIMESTAMP'
  | 'ERR_BINANCE_TIMESTAMP_AHEAD'
  | 'ERR_BINANCE_RECV_WINDOW'
  // HTTP Message Signatures (RFC 9421, issue 19)
  | 'ERR_HTTPSIG_NO_SIGNATURE'
  | 'ERR_HTTPSIG_MALFORMED'
  | 'ERR_HTTPSIG_LABEL'
  | 'ERR_HTTPSIG_COMPONENT'
  | 'ERR_HTTPSIG_MISSING_COMPONENT'
  | 'ERR_HTTPSIG_DUPLICATE_COMPONENT'
  | 'ERR_HTTPSIG_PARAM'
  | 'ERR_HTTPSIG_ALG_UNKNOWN'
  | 'ERR_HTTPSIG_ALG_KEY_MISMATCH'
  | 'ERR_HTTPSIG_NO_KEY'
  | 'ERR_HTTPSIG_KEYID_UNKNOWN'
  | 'ERR_HTTPSIG_SIGNATURE'
  | 'ERR_HTTPSIG_EXPIRED'
  | 'ERR_HTTPSIG_CREATED_FUTURE'
  | 'ERR_HTTPSIG_CREATED_MS'
  | 'ERR_HTTPSIG_NO_CREATED'
  | 'ERR_HTTPSIG_DIGEST_MISMATCH'
  | 'ERR_HTTPSIG_DIGEST_MALFORMED'
  | 'ERR_HTTPSIG_DIGEST_UNSUPPORTED'
  | 'ERR_HTTPSIG_DIGEST_OTHER_BYTES'
  | 'ERR_HTTPSIG_DIGEST_NOT_COVERED'
  | 'ERR_HTTPSIG_BODY_NOT_COVERED'
  | 'ERR_HTTPSIG_EMPTY_COVERAGE'
  | 'ERR_HTTPSIG_AUTHORITY_PORT'
  | 'ERR_HTTPSIG_AUTHORITY_CASE'
  | 'ERR_HTTPSIG_PATH_TARGET'
  | 'ERR_HTTPSIG_QUERY_ENCODING'
  | 'ERR_HTTPSIG_HEADER_CASE'
  | 'ERR_HTTPSIG_HEADER_WHITESPACE'
  | 'ERR_HTTPSIG_HEADER_COMBINED'
  | 'ERR_HTTPSIG_SF_SERIALISATION'
  | 'ERR_HTTPSIG_BASE_FORMAT'
  | 'ERR_HTTPSIG_PSS_SALT'
  | 'ERR_HTTPSIG_ECDSA_DER'
  | 'ERR_HTTPSIG_SIGN_INPUT';

/**
 * An error from keybench's domain code, carrying a stable `code` and a message a developer can act
 * on. `parts` is the message with untrusted text (from the input) kept apart, for the page to show
 * in code spans; without it the message is all keybench's own words.
 */
export class KeybenchError extends Error {
  readonly code: ErrorCode;
  readonly parts: Rich;
  constructor(code: ErrorCode, message: string | Rich, options?: { cause?: unknown }) {
    super(typeof message === 'string' ? message : plain(message), options);
    this.name = 'KeybenchError';
    this.code = code;
    this.parts = typeof message === 'string' ? [message] : message;
  }
}

/** True when `e` is a KeybenchError, optionally with the given code. */
export function isKeybenchError(e: unknown, code?: ErrorCode): e is KeybenchError {
  return e instanceof KeybenchError && (code === undefined || e.code === code);
}

/** A readable message for anything thrown, for the UI. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
