/**
 * Snowflake's time rules for a key-pair JWT: `iat`/`exp` numbers in one unit, `exp` at most an hour
 * after `iat`, not expired, `iat` not in the future (with the inspector's clock-skew tolerance).
 */
import { ok, problem, type Finding } from '../../partners/scheme';
import { SNOWFLAKE_ANSWER, SNOWFLAKE_MAX_LIFETIME_SEC } from './account';

/** Above this, a JWT time is not Unix seconds (year 5138) but milliseconds (since 1973). */
const MS_THRESHOLD = 1e11;

/** A duration as people read it: seconds, minutes or hours. */
export function age(sec: number): string {
  const a = Math.abs(sec);
  if (a < 120) return `${a} s`;
  if (a < 7200) return `${Math.round(a / 60)} min`;
  return `${(a / 3600).toFixed(1)} h`;
}

/** The clock the time rules read: now, and the tolerance for clock skew (both in seconds). */
export interface Clock {
  nowSec: number;
  skewSec?: number;
}

/** `iat` and `exp` as Unix seconds, or the findings that stop the time checks (shape, mixed units). */
type Times = { iat: number; exp: number; inMs: boolean } | { stop: Finding };

function readTimes(rawIat: unknown, rawExp: unknown): Times {
  const numeric = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!numeric(rawIat) || !numeric(rawExp)) {
    return {
      stop: problem(
        'lifetime',
        'ERR_SNOWFLAKE_CLAIMS_SHAPE',
        'error',
        'iat / exp',
        `iat and exp must both be numbers (Unix seconds). ${SNOWFLAKE_ANSWER}`,
      ),
    };
  }
  const iatMs = rawIat > MS_THRESHOLD;
  const expMs = rawExp > MS_THRESHOLD;
  if (iatMs !== expMs) {
    const [inMs, inSec] = iatMs ? ['iat', 'exp'] : ['exp', 'iat'];
    return {
      stop: problem(
        'time-unit',
        'ERR_SNOWFLAKE_TIME_UNIT',
        'error',
        'iat / exp',
        `${inMs} is in milliseconds (${iatMs ? rawIat : rawExp}) but ${inSec} in seconds (${iatMs ? rawExp : rawIat}): they cannot be compared. ${SNOWFLAKE_ANSWER} Write both in Unix seconds.`,
      ),
    };
  }
  return {
    iat: iatMs ? Math.floor(rawIat / 1000) : rawIat,
    exp: expMs ? Math.floor(rawExp / 1000) : rawExp,
    inMs: iatMs,
  };
}

/** `lifetime`: `exp` after `iat`, at most one hour. */
function lifetime(iat: number, exp: number, unit: string): Finding {
  const life = exp - iat;
  if (life > SNOWFLAKE_MAX_LIFETIME_SEC || life <= 0) {
    return problem(
      'lifetime',
      'ERR_SNOWFLAKE_LIFETIME',
      'error',
      'iat / exp',
      life > 0
        ? `exp is ${life} s (${age(life)}) after iat${unit}; Snowflake accepts at most ${SNOWFLAKE_MAX_LIFETIME_SEC} s (one hour). ${SNOWFLAKE_ANSWER} Set exp to at most iat + 3600.`
        : `exp is not after iat (exp − iat = ${life} s${unit}). ${SNOWFLAKE_ANSWER} Set exp to iat + 3600 at most.`,
    );
  }
  return ok('lifetime', 'iat / exp', `exp is ${life} s after iat${unit} (at most one hour).`);
}

/** `exp`: not expired, beyond the skew tolerance. */
function expiry(exp: number, nowSec: number, skew: number, unit: string): Finding {
  const withSkew = skew ? ` (with the ${skew} s clock-skew tolerance)` : '';
  if (exp <= nowSec - skew) {
    return problem(
      'exp',
      'ERR_SNOWFLAKE_EXPIRED',
      'error',
      'exp',
      `The token expired ${age(nowSec - exp)} ago${unit}${withSkew}. ${SNOWFLAKE_ANSWER} Sign a fresh token just before the request.`,
    );
  }
  if (exp <= nowSec) {
    return ok(
      'exp',
      'exp',
      `The token expired ${age(nowSec - exp)} ago${unit}, within the ${skew} s clock-skew tolerance.`,
    );
  }
  return ok('exp', 'exp', `The token expires in ${age(exp - nowSec)}${unit}.`);
}

/** `iat`: not in the future, beyond the skew tolerance. */
function issuedAt(iat: number, nowSec: number, skew: number, unit: string): Finding {
  const withSkew = skew ? ` (with the ${skew} s clock-skew tolerance)` : '';
  if (iat > nowSec + skew) {
    return problem(
      'iat',
      'ERR_SNOWFLAKE_IAT_FUTURE',
      'error',
      'iat',
      `iat is ${age(iat - nowSec)} in the future${unit}${withSkew}. ${SNOWFLAKE_ANSWER} Check the signing machine's clock (NTP) and set iat to now.`,
    );
  }
  if (iat > nowSec) {
    return ok(
      'iat',
      'iat',
      `iat is ${age(iat - nowSec)} ahead of this computer's clock${unit}, within the ${skew} s clock-skew tolerance.`,
    );
  }
  return ok('iat', 'iat', `iat is ${age(nowSec - iat)} ago${unit}.`);
}

/**
 * The time findings of a key-pair JWT: `time-unit` (only for times in milliseconds), `lifetime`,
 * `exp`, `iat`. The Node driver (snowflake-sdk 3.4.0, auth_keypair.js) writes Date.now():
 * milliseconds, read as such with a warning.
 */
export function checkTimes(claims: Record<string, unknown>, clock: Clock): Finding[] {
  const times = readTimes(claims.iat, claims.exp);
  if ('stop' in times) return [times.stop];
  const out: Finding[] = [];
  if (times.inMs) {
    out.push(
      problem(
        'time-unit',
        'ERR_SNOWFLAKE_TIME_UNIT',
        'warning',
        'iat / exp',
        `iat and exp are in milliseconds (${String(claims.iat).length} digits), as the Node driver snowflake-sdk writes them (Date.now() in auth_keypair.js); JWT times are Unix seconds (RFC 7519). keybench checks them below read as milliseconds. Other verifiers read them as seconds, tens of thousands of years ahead.`,
      ),
    );
  }
  const unit = times.inMs ? ', read as milliseconds' : '';
  const skew = Math.max(0, Number.isFinite(clock.skewSec) ? clock.skewSec! : 0);
  out.push(
    lifetime(times.iat, times.exp, unit),
    expiry(times.exp, clock.nowSec, skew, unit),
    issuedAt(times.iat, clock.nowSec, skew, unit),
  );
  return out;
}
