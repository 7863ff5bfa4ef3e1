import { plain, type Rich } from './rich';
import type { JweCode } from './jwe/codes';
import type { EngineCode } from './scheme/codes';
import type { BinanceCode } from './schemes/binance/codes';
import type { AssertionCode } from './schemes/client-assertion/codes';
import type { QiTechCode } from './schemes/qitech/codes';
import type { QredoCode } from './schemes/qredo/codes';
import type { HttpSigCode } from './schemes/rfc9421/codes';
import type { SnowflakeCode } from './schemes/snowflake-jwt/codes';
import type { TrueLayerCode } from './schemes/truelayer/codes';

/**
 * Every failure the domain layer reports, by a stable code the UI maps to words: the codes shared
 * across the domain below, and each scheme's own, declared in its folder's codes.ts beside the
 * mistakes that raise them.
 */
export type ErrorCode =
  | EngineCode
  | QredoCode
  | QiTechCode
  | BinanceCode
  | TrueLayerCode
  | HttpSigCode
  | JweCode
  | SnowflakeCode
  | AssertionCode
  // encoding
  | 'ERR_BASE64'
  | 'ERR_PEM_ARMOUR'
  | 'ERR_DER'
  // keys
  | 'ERR_KEY_UNSUPPORTED'
  | 'ERR_KEY_WEAK'
  | 'ERR_KEY_ENCRYPTED'
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
  | 'ERR_JWT_B64_INVALID'
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
  // request doctor: reading a pasted request
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
  // key roles: a key whose owner does not fit what is checked
  | 'ERR_TRUST_KEY_ROLE'
  | 'ERR_TRUST_NO_OWNER';

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
  return e instanceof Error ? e.message : String(e);
}
