/**
 * The codes of the engine and its shared mistake families (mistakes.ts, check.ts), one type that
 * errors.ts joins into ErrorCode. This file imports nothing, so that errors.ts can
 * take its type without an import cycle.
 */
export type EngineCode =
  | 'ERR_SCHEME_NO_SIGNATURE'
  | 'ERR_SCHEME_SIGNATURE_UNREADABLE'
  | 'ERR_SCHEME_SIGNATURE'
  | 'ERR_SCHEME_OTHER_BYTES'
  | 'ERR_SCHEME_OTHER_KEY'
  | 'ERR_SCHEME_RSA_PADDING'
  | 'ERR_SCHEME_PSS_SALT'
  | 'ERR_SCHEME_SIGNATURE_ENCODING'
  | 'ERR_SCHEME_METHOD_CASE'
  | 'ERR_SCHEME_METHOD_SENT'
  | 'ERR_SCHEME_HEADER_VALUE'
  | 'ERR_SCHEME_QUERY_SIGNED'
  | 'ERR_SCHEME_FULL_URL'
  | 'ERR_SCHEME_PATH_PREFIX'
  | 'ERR_SCHEME_TIMESTAMP_UNIT'
  | 'ERR_SCHEME_BODY_REFORMATTED'
  | 'ERR_SCHEME_TIMESTAMP'
  | 'ERR_SCHEME_TIMESTAMP_SECONDS'
  | 'ERR_SCHEME_TIMESTAMP_STALE'
  | 'ERR_SCHEME_TIMESTAMP_AHEAD'
  | 'ERR_SCHEME_HEADER_MISSING'
  | 'ERR_SCHEME_HEADER_UNSIGNED';
