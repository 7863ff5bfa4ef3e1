/**
 * Time rules that read `iat` and `exp` as a pair (rules/types.ts `PairRule`): both in seconds, or
 * both in milliseconds and read as such (a partner's SDK writes Date.now()), with the inspector's skew.
 */
import { ok, problem, type Finding } from '../../trust/finding';
import type { Ctx, PairClockRule, PairLifetimeRule, PairRule, TimeUnitRule } from './rules/types';
import { say } from './template';

/** Above this, a JWT time is not Unix seconds (year 5138) but milliseconds (since 1973). */
export const MS_THRESHOLD = 1e11;

/** What `{unit}` says of times read as milliseconds. */
const MS_UNIT = ', read as milliseconds';

/** A duration as people read it: seconds, minutes or hours. */
function age(sec: number): string {
  const a = Math.abs(sec);
  if (a < 120) return `${a} s`;
  if (a < 7200) return `${Math.round(a / 60)} min`;
  return `${(a / 3600).toFixed(1)} h`;
}

/**
 * The pair as Unix seconds and exp − iat; `numbers` when either is not a number, `mixed` when in two
 * units. Not floored: 3 600 999 ms is more than an hour, as 3600.5 s is.
 */
type Read = { iat: number; exp: number; life: number; inMs: boolean } | 'numbers' | 'mixed';

function readPair(payload: Record<string, unknown>): Read {
  const { iat, exp } = payload;
  const numeric = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!numeric(iat) || !numeric(exp)) return 'numbers';
  const [iatMs, expMs] = [iat > MS_THRESHOLD, exp > MS_THRESHOLD];
  if (iatMs !== expMs) return 'mixed';
  // The lifetime from the difference as written (exact in ms, where two quotients may not be).
  const k = iatMs ? 1000 : 1;
  return { iat: iat / k, exp: exp / k, life: (exp - iat) / k, inMs: iatMs };
}

/** A finding of a pair rule: `outcome` with its words, OK or a problem with its code. */
function said<O extends string>(r: PairRule<O>, outcome: O, vars: Record<string, string | number>): Finding {
  const words = say(r.says[outcome], {}, vars);
  const code = r.codes[outcome];
  return code ? problem(r.check, code, 'error', r.label, words) : ok(r.check, r.label, words);
}

/** `time-unit`: a finding only for milliseconds (a warning) or two units (an error). */
export function timeUnitRule(r: TimeUnitRule, c: Ctx): Finding | null {
  const read = readPair(c.payload);
  const { iat, exp } = c.payload;
  if (read === 'mixed') {
    const iatMs = (iat as number) > MS_THRESHOLD;
    const [inMs, inSec, msValue, secValue] = iatMs ? ['iat', 'exp', iat, exp] : ['exp', 'iat', exp, iat];
    const vars = { inMs, inSec, msValue: String(msValue), secValue: String(secValue) };
    return problem(r.check, r.code, 'error', r.label, say(r.says.mixed, {}, vars));
  }
  if (read === 'numbers' || !read.inMs) return null;
  return problem(r.check, r.code, 'warning', r.label, say(r.says.ms, {}, { digits: String(iat).length }));
}

/** The lifetime of a pair: exp after iat, at most `maxLifetimeSec`. */
export function pairLifetimeRule(r: PairLifetimeRule, c: Ctx) {
  const read = readPair(c.payload);
  if (read === 'mixed') return null;
  if (read === 'numbers') return said(r, 'missing', {});
  const life = read.life;
  const vars = { life, age: age(life), max: r.maxLifetimeSec, unit: read.inMs ? MS_UNIT : '' };
  if (life > r.maxLifetimeSec) return said(r, 'lifetime', vars);
  return said(r, life > 0 ? 'ok' : 'notAfter', vars);
}

/** A clock rule on a pair: exp not passed, iat not ahead, beyond the skew. */
export function pairClockRule(r: PairClockRule, c: Ctx) {
  const read = readPair(c.payload);
  if (typeof read === 'string') return null;
  const skew = c.skewSec;
  const v = read[r.claim];
  // How far past (exp) or ahead (iat) of now the claim is: positive is the wrong side.
  const now = read.inMs ? c.nowMs / 1000 : c.nowSec;
  const wrong = r.claim === 'exp' ? now - v : v - now;
  const vars = {
    // In ms, shown to the second (the decision below is not rounded).
    age: age(read.inMs ? Math.round(wrong) : wrong),
    skew,
    withSkew: skew ? ` (with the ${skew} s clock-skew tolerance)` : '',
    unit: read.inMs ? MS_UNIT : '',
  };
  const past = r.claim === 'exp' ? wrong >= 0 : wrong > 0;
  const beyond = r.claim === 'exp' ? wrong >= skew : wrong > skew;
  return said(r, beyond ? 'beyond' : past ? 'within' : 'ok', vars);
}
