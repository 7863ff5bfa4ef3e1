/**
 * The codes QI Tech's schemes (scheme.ts, v1.ts, token.ts, response.ts) raise. errors.ts joins them
 * into ErrorCode; a test checks each is raised in this folder. The file imports nothing, so
 * errors.ts takes it without an import cycle.
 */
export type QiTechCode =
  | 'ERR_QIT_AUTH_HEADER'
  | 'ERR_QIT_API_KEY'
  | 'ERR_QIT_TOKEN_SIGNATURE'
  | 'ERR_QIT_MD5'
  | 'ERR_QIT_METHOD'
  | 'ERR_QIT_ENDPOINT'
  | 'ERR_QIT_BODY_SIGNATURE'
  | 'ERR_QIT_NO_TRUSTED_KEY'
  | 'ERR_QIT_NO_KEY'
  | 'ERR_QIT_DATE'
  | 'ERR_QIT_CLAIMS'
  | 'ERR_QIT_URI'
  | 'ERR_QIT_CONTENT_TYPE'
  | 'ERR_QIT_TIMESTAMP_FORMAT'
  | 'ERR_QIT_EXTRA_CLAIMS'
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
  | 'ERR_QIT_UNSIGNED_BODY';
