import { own } from '../json';

/** Registered claims (RFC 7519 §4.1 and common ones), explained for people. */
const CLAIM_NAMES: Record<string, string> = {
  iss: 'Issuer — who made the token',
  sub: 'Subject — whom the token is about',
  aud: 'Audience — who should accept it',
  exp: 'Expires at — not valid from this time on',
  nbf: 'Not before — not valid before this time',
  iat: 'Issued at — when it was made',
  jti: 'JWT ID — unique id, to stop replays',
  azp: 'Authorized party — the client it was issued to',
  scope: 'Scope — permissions granted',
  nonce: 'Nonce — binds the token to one request or session',
  auth_time: 'Authentication time — when the user logged in',
  sid: 'Session id',
  uri: 'URI — the request path it authorises (Fireblocks)',
  bodyHash: 'Body hash — SHA-256 of the request body (Fireblocks)',
  signature: 'String to sign — method, MD5, content type, date, endpoint (QI Tech)',
};

const TIME_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time'] as const;

/** One row of the claims table. */
export interface ClaimRow {
  name: string;
  description: string | null;
  /** The value as JSON text. */
  value: string;
  /** For NumericDate claims: the time as Unix ms, plus its forms for display. */
  time?: { ms: number; iso: string; relative: string };
}

/** "in 4 min", "2 h ago", "just now": a coarse relative time. */
export function relativeTime(ms: number, now: number): string {
  const diff = ms - now;
  const abs = Math.abs(diff) / 1000;
  if (abs < 5) return 'just now';
  const units: [number, string][] = [
    [365 * 86400, 'y'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const [size, unit] = units.find(([s]) => abs >= s) ?? [1, 's'];
  const n = Math.floor(abs / size);
  return diff > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/** At most this many rows in the claims table; the rest are counted and left to the raw payload. */
export const MAX_CLAIM_ROWS = 200;
/** A claim value longer than this is cut in the table (the payload pane has all of it). */
const MAX_CLAIM_VALUE = 500;

/** A Unix time in ms as ISO 8601, or null when it is outside what a Date can hold (never throws). */
export function safeIso(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function describeValue(v: unknown): string {
  try {
    // A long string is cut before it is quoted, so a megabyte claim costs no more than a short one.
    const text =
      typeof v === 'string' && v.length > MAX_CLAIM_VALUE
        ? JSON.stringify(v.slice(0, MAX_CLAIM_VALUE))
        : (JSON.stringify(v) ?? String(v));
    return text.length > MAX_CLAIM_VALUE ? `${text.slice(0, MAX_CLAIM_VALUE)}…` : text;
  } catch {
    return '(nested too deeply to show here: see the payload)';
  }
}

/** The claims table: registered claims first, at most `MAX_CLAIM_ROWS`, and how many were left out. */
export function claimRows(payload: Record<string, unknown>, now: number): { rows: ClaimRow[]; more: number } {
  const names = Object.keys(payload);
  const known = Object.keys(CLAIM_NAMES).filter((n) => names.includes(n));
  const rest = names.filter((n) => !Object.hasOwn(CLAIM_NAMES, n));
  const all = [...known, ...rest];
  const rows = all.slice(0, MAX_CLAIM_ROWS).map((name) => {
    const v = payload[name];
    const description = Object.hasOwn(CLAIM_NAMES, name) ? CLAIM_NAMES[name]! : null;
    const row: ClaimRow = { name, description, value: describeValue(v) };
    if ((TIME_CLAIMS as readonly string[]).includes(name) && typeof v === 'number' && Number.isFinite(v)) {
      const ms = v * 1000;
      const iso = safeIso(ms);
      if (iso !== null) row.time = { ms, iso, relative: relativeTime(ms, now) };
    }
    return row;
  });
  return { rows, more: all.length - rows.length };
}

/** The time-claims verdict, separate from the signature verdict. */
export interface TimeStatus {
  state: 'valid' | 'expired' | 'not-yet-valid' | 'issued-in-future' | 'no-times' | 'invalid-times';
  message: string;
}

const status = (state: TimeStatus['state'], message: string): TimeStatus => ({ state, message });

/**
 * Judge exp/nbf/iat against `now` with a clock-skew tolerance in seconds (RFC 7519 §4.1.4–6).
 */
export function timeStatus(payload: Record<string, unknown>, now: number, skewSeconds: number): TimeStatus {
  const skew = skewSeconds * 1000;
  const bad = (['exp', 'nbf', 'iat'] as const).filter(
    (k) =>
      Object.hasOwn(payload, k) &&
      (typeof payload[k] !== 'number' || safeIso(Number(payload[k]) * 1000) === null),
  );
  if (bad.length) {
    return status(
      'invalid-times',
      `${bad.join(', ')} must be NumericDate numbers (seconds since 1970) within the range a date can hold.`,
    );
  }
  const exp = own(payload, 'exp') as number | undefined;
  const nbf = own(payload, 'nbf') as number | undefined;
  const iat = own(payload, 'iat') as number | undefined;
  if (exp !== undefined && now - skew >= exp * 1000) {
    return status('expired', `Expired ${relativeTime(exp * 1000, now)} (exp ${safeIso(exp * 1000)}).`);
  }
  if (nbf !== undefined && now + skew < nbf * 1000) {
    return status('not-yet-valid', `Not valid yet: becomes valid ${relativeTime(nbf * 1000, now)}.`);
  }
  if (iat !== undefined && now + skew < iat * 1000) {
    return status(
      'issued-in-future',
      `Issued in the future (${relativeTime(iat * 1000, now)}): the issuer's clock or yours is off.`,
    );
  }
  if (exp === undefined && nbf === undefined) {
    return status('no-times', 'No exp or nbf: this token never expires by itself.');
  }
  return status(
    'valid',
    exp !== undefined
      ? `Within its validity: expires ${relativeTime(exp * 1000, now)}.`
      : 'Within its validity.',
  );
}
