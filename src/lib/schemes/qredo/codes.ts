/**
 * The codes Qredo's `x-sign` scheme (scheme.ts) and its profile's mistakes raise. errors.ts joins
 * them into ErrorCode; a test checks each is raised in this folder. The file imports nothing, so
 * errors.ts takes it without an import cycle.
 */
export type QredoCode =
  | 'ERR_QREDO_SIGNATURE'
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
  | 'ERR_QREDO_UNKNOWN_KEY'
  | 'ERR_QREDO_BODY_EMPTY'
  | 'ERR_QREDO_API_KEY';
