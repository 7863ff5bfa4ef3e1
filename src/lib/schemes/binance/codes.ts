/**
 * The codes Binance's signed requests (scheme.ts) raise. errors.ts joins them into ErrorCode; a
 * test checks each is raised in this folder. The file imports nothing, so errors.ts takes it
 * without an import cycle.
 */
export type BinanceCode =
  | 'ERR_BINANCE_SIGNATURE'
  | 'ERR_BINANCE_OTHER_BYTES'
  | 'ERR_BINANCE_OTHER_KEY'
  | 'ERR_BINANCE_RSA_PSS'
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
  | 'ERR_BINANCE_RECV_WINDOW';
