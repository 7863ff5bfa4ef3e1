/** Registered claims (RFC 7519 §4.1 and common ones), explained for people. */
export const CLAIM_NAMES: Record<string, string> = {
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

/** The claims table rows for a JSON payload (object), registered claims first. */
export function claimRows(payload: Record<string, unknown>, now: number): ClaimRow[] {
  const names = Object.keys(payload);
  const known = Object.keys(CLAIM_NAMES).filter((n) => names.includes(n));
  const rest = names.filter((n) => !(n in CLAIM_NAMES));
  return [...known, ...rest].map((name) => {
    const v = payload[name];
    const row: ClaimRow = { name, description: CLAIM_NAMES[name] ?? null, value: JSON.stringify(v) };
    if ((TIME_CLAIMS as readonly string[]).includes(name) && typeof v === 'number' && Number.isFinite(v)) {
      const ms = v * 1000;
      const d = new Date(ms);
      if (!Number.isNaN(d.getTime()))
        row.time = { ms, iso: d.toISOString(), relative: relativeTime(ms, now) };
    }
    return row;
  });
}

/** The time-claims verdict, separate from the signature verdict. */
export interface TimeStatus {
  state: 'valid' | 'expired' | 'not-yet-valid' | 'issued-in-future' | 'no-times' | 'invalid-times';
  message: string;
}

/**
 * Judge exp/nbf/iat against `now` with a clock-skew tolerance in seconds (RFC 7519 §4.1.4–6).
 */
export function timeStatus(payload: Record<string, unknown>, now: number, skewSeconds: number): TimeStatus {
  const skew = skewSeconds * 1000;
  const bad = (['exp', 'nbf', 'iat'] as const).filter((k) => k in payload && typeof payload[k] !== 'number');
  if (bad.length) {
    return {
      state: 'invalid-times',
      message: `${bad.join(', ')} must be NumericDate numbers (seconds since 1970).`,
    };
  }
  const exp = payload.exp as number | undefined;
  const nbf = payload.nbf as number | undefined;
  const iat = payload.iat as number | undefined;
  if (exp !== undefined && now - skew >= exp * 1000) {
    return {
      state: 'expired',
      message: `Expired ${relativeTime(exp * 1000, now)} (exp ${new Date(exp * 1000).toISOString()}).`,
    };
  }
  if (nbf !== undefined && now + skew < nbf * 1000) {
    return {
      state: 'not-yet-valid',
      message: `Not valid yet: becomes valid ${relativeTime(nbf * 1000, now)}.`,
    };
  }
  if (iat !== undefined && now + skew < iat * 1000) {
    return {
      state: 'issued-in-future',
      message: `Issued in the future (${relativeTime(iat * 1000, now)}): the issuer's clock or yours is off.`,
    };
  }
  if (exp === undefined && nbf === undefined) {
    return { state: 'no-times', message: 'No exp or nbf: this token never expires by itself.' };
  }
  return {
    state: 'valid',
    message:
      exp !== undefined
        ? `Within its validity: expires ${relativeTime(exp * 1000, now)}.`
        : 'Within its validity.',
  };
}
