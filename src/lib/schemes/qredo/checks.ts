/**
 * The Qredo checks read from the request alone (its headers, x-timestamp, x-api-key, body) and the
 * keys it is given: findings, each small. Whether x-sign verifies is verify.ts.
 */
import type { VerificationKey } from '../../jwt/verify';
import { ok, problem, type Finding } from '../../partners/scheme';
import {
  header,
  trustedKeysOf,
  type Diagnosis,
  type ParsedRequest,
  type TrustedKey,
} from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import type { SchemeResult } from '../../trust/verdict';
import { unitOf, UNIT_WORDS } from './mistakes-timestamp';
import { rsaNumbers } from './rsa';
import { inspectQredoApiKey } from './sign';

/** How far x-timestamp may be from now before keybench warns (Qredo does not publish its window). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** What Qredo answers to a request it refuses. */
export const REFUSED = 'Qredo answers 401 {"code":401,"msg":"errPartnerAuth"}';

/** A Qredo request's headers, read once. */
export interface QredoRequest {
  request: ParsedRequest;
  xSign: string;
  /** The value that leads the message: x-timestamp, or else x-nonce ('' when neither). */
  value: string;
  isTimestamp: boolean;
  valueHeader: 'x-timestamp' | 'x-nonce';
  apiKey: string | undefined;
  /** The message as sent: value ‖ URL ‖ body. */
  sentText: string;
}

/** Read the headers Qredo signs with. */
export function readQredo(request: ParsedRequest): QredoRequest {
  const xTimestamp = header(request, 'x-timestamp')?.trim();
  const isTimestamp = xTimestamp !== undefined && xTimestamp !== '';
  const value = isTimestamp ? xTimestamp : (header(request, 'x-nonce')?.trim() ?? '');
  return {
    request,
    xSign: header(request, 'x-sign')?.trim() ?? '',
    value,
    isTimestamp,
    valueHeader: isTimestamp ? 'x-timestamp' : 'x-nonce',
    apiKey: header(request, 'x-api-key'),
    sentText: `${value}${request.url}${request.body}`,
  };
}

/** x-sign, x-timestamp (or x-nonce) and x-api-key must each be sent. */
export function headerFindings(r: QredoRequest): Finding[] {
  const missing: string[] = [];
  if (!r.xSign) missing.push('x-sign');
  if (!r.value) missing.push('x-timestamp');
  if (!r.apiKey?.trim()) missing.push('x-api-key');
  if (!missing.length)
    return [ok('headers', 'Headers', `x-api-key, ${r.valueHeader} and x-sign are present.`)];
  return missing.map((name) =>
    problem(
      `header:${name}`,
      'ERR_REQUEST_MISSING_HEADER',
      'error',
      name,
      name === 'x-timestamp'
        ? `The request has neither x-timestamp nor x-nonce (or it is empty). ${REFUSED} to a request without one.`
        : `The request has no ${name} header (or it is empty). ${REFUSED} to a request without it.`,
    ),
  );
}

function fmtDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min (${s} s)`;
  if (s < 172800) return `${Math.round(s / 3600)} h (${s} s)`;
  return `${Math.round(s / 86400)} days (${s} s)`;
}

/** x-timestamp is Unix seconds near now; an x-nonce leads the message instead. */
export function timestampFindings(r: QredoRequest, nowMs: number): Finding[] {
  if (!r.isTimestamp) {
    return r.value
      ? [ok('timestamp', 'x-nonce', 'x-nonce leads the signed message in place of a timestamp.')]
      : [];
  }
  const unit = unitOf(r.value);
  if (unit !== 's') {
    const detail =
      unit === null
        ? 'x-timestamp is not a Unix time in seconds (decimal digits). Qredo reads Unix seconds, so it refuses this value.'
        : `x-timestamp has ${r.value.length} digits: that is ${UNIT_WORDS[unit]}. Qredo reads Unix seconds (10 digits), so it sees a time far in the future and refuses the request.`;
    return [problem('timestamp', 'ERR_QREDO_TIMESTAMP_UNIT', 'error', 'x-timestamp', detail)];
  }
  const skew = Number(r.value) * 1000 - nowMs;
  if (Math.abs(skew) <= CLOCK_SKEW_MS)
    return [ok('timestamp', 'x-timestamp', 'Unix seconds, within a few minutes of now.')];
  return [
    problem(
      'timestamp',
      'ERR_REQUEST_CLOCK_SKEW',
      'warning',
      'x-timestamp',
      `x-timestamp is ${fmtDuration(skew)} ${skew > 0 ? 'ahead of' : 'behind'} this computer's clock. Qredo may refuse a request whose timestamp is far from its own time (its window is not published): sign just before sending, and check the server's clock (NTP). A request pasted from an old log is expected to differ.`,
    ),
  ];
}

/** x-api-key decodes to a Qredo API key; a body ending in CRLF is noted. */
export function apiKeyAndBodyFindings(r: QredoRequest): Finding[] {
  const out: Finding[] = [];
  if (r.apiKey?.trim()) {
    const info = inspectQredoApiKey(r.apiKey);
    out.push(
      info.keyId !== undefined
        ? ok('api-key', 'x-api-key', rich`Decodes to a Qredo API key with key_id ${info.keyId}.`)
        : problem(
            'api-key',
            'ERR_QREDO_API_KEY',
            'warning',
            'x-api-key',
            info.warning ?? 'Not a Qredo API key.',
          ),
    );
  }
  if (r.request.body.endsWith('\r\n')) {
    out.push(
      problem(
        'body',
        'ERR_QREDO_BODY_LINE_ENDINGS',
        'info',
        'Body',
        "The body ends in \\r\\n. Qredo's interactive signing client turns that into \\n before signing; its file mode and keybench sign the bytes as they are.",
      ),
    );
  }
  return out;
}

/**
 * The RSA keys to verify with, and a finding naming those set aside: keys WebCrypto would not
 * import (a huge exponent, a giant modulus) are left out before any arithmetic on them.
 */
export function usableKeys(keys: readonly VerificationKey[]): {
  trusted: TrustedKey[];
  unusable: TrustedKey[];
} {
  const rsaKeys = trustedKeysOf(keys, ['RSA']);
  const trusted = rsaKeys.filter((k) => rsaNumbers(k.spki) !== null);
  return { trusted, unusable: rsaKeys.filter((k) => !trusted.includes(k)) };
}

/** The warning for keys set aside, or none. */
export function unusableFindings(unusable: readonly TrustedKey[]): Finding[] {
  if (!unusable.length) return [];
  const n = unusable.length;
  return [
    problem(
      'keys',
      'ERR_KEY_UNSUPPORTED',
      'warning',
      'Keys',
      rich`${ours(`${n} trusted RSA key${n === 1 ? ' was' : 's were'}`)} not used: ${unusable.map((k) => k.label).join(', ')}. WebCrypto imports RSA keys whose public exponent is odd and at most 2³²−1 and whose modulus has at most 16384 bits; keybench does no arithmetic with any other.`,
    ),
  ];
}

/** The scheme's result: everything but the state, which only the one rule (trust/verdict.ts) sets. */
export function resultOf(
  r: QredoRequest,
  findings: Finding[],
  diagnoses: Diagnosis[],
  parts: Rich,
  signedBy?: VerificationKey,
  keyLabel?: string,
): SchemeResult {
  const { method, url, body } = r.request;
  return {
    scheme: 'qredo',
    findings,
    diagnoses,
    signInput: { method, url, body, ...(r.apiKey !== undefined ? { apiKey: r.apiKey.trim() } : {}) },
    fallback: 'ERR_QREDO_SIGNATURE',
    parts,
    ...(signedBy ? { signedBy } : {}),
    ...(keyLabel !== undefined ? { keyLabel } : {}),
  };
}
