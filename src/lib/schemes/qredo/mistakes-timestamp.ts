/**
 * Timestamp mistakes, as data: signed in another unit than x-timestamp's, signed at another second
 * (the clock read twice), or signed in milliseconds with their sub-second digits.
 */
import { mistake, type QredoCtx, type QredoMistake, type Variant } from './variants';

/** A Unix time unit, told apart by the number of digits. */
export type Unit = 's' | 'ms' | 'us' | 'ns';

const UNITS: readonly Unit[] = ['s', 'ms', 'us', 'ns'];

/** Each unit in words. */
export const UNIT_WORDS: Record<Unit, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
};

const FACTOR: Record<Unit, bigint> = { s: 1n, ms: 1000n, us: 1000000n, ns: 1000000000n };

/** The unit a value's digits say, or null when it is not a Unix time in decimal digits. */
export function unitOf(v: string): Unit | null {
  if (/^\d{9,11}$/.test(v)) return 's';
  if (/^\d{12,14}$/.test(v)) return 'ms';
  if (/^\d{15,17}$/.test(v)) return 'us';
  if (/^\d{18,20}$/.test(v)) return 'ns';
  return null;
}

/** The unit of the x-timestamp sent, when there is one. */
function sentUnit(ctx: QredoCtx): Unit | null {
  return ctx.isTimestamp ? unitOf(ctx.sent.value) : null;
}

const UNIT_REMEDY =
  'Compute the timestamp once as Unix time in seconds (Math.floor(Date.now() / 1000), time.Now().Unix(), int(time.time())), sign that string, and send the same string in x-timestamp.';

/** The sent value converted to another unit (seconds are multiplied; finer units are first truncated to seconds). */
function convert(value: string, from: Unit, to: Unit): string {
  const v = BigInt(value);
  return (from === 's' ? v * FACTOR[to] : (v / FACTOR[from]) * FACTOR[to]).toString();
}

/** Signed in `signed`, sent in `sent`: one mistake per pair of units. */
function unitMistake(sent: Unit, signed: Unit): QredoMistake {
  return mistake({
    id: `timestamp-${signed}-for-${sent}`,
    code: 'ERR_QREDO_TIMESTAMP_UNIT',
    title: `Timestamp signed in ${UNIT_WORDS[signed]}, sent in ${UNIT_WORDS[sent]}`,
    explanation: `The signed message starts with the time in ${UNIT_WORDS[signed]}, but x-timestamp is in ${UNIT_WORDS[sent]}. Qredo rebuilds the message from x-timestamp, so the bytes differ.`,
    remedy: UNIT_REMEDY,
    variants: (ctx) =>
      sentUnit(ctx) === sent ? [(p) => ({ ...p, value: convert(ctx.sent.value, sent, signed) })] : [],
  });
}

/** Every unit mix-up, in the order the search tries them. */
export const UNIT_MISTAKES: readonly QredoMistake[] = UNITS.flatMap((sent) =>
  UNITS.filter((u) => u !== sent).map((signed) => unitMistake(sent, signed)),
);

/** Signed `delta` seconds away from the x-timestamp sent. */
function differsMistake(delta: number): QredoMistake {
  const words = `${Math.abs(delta)} s ${delta > 0 ? 'later' : 'earlier'}`;
  return mistake({
    id: `timestamp-differs-${delta}`,
    code: 'ERR_QREDO_TIMESTAMP_DIFFERS',
    title: `Signed timestamp differs from x-timestamp by ${delta > 0 ? '+' : ''}${delta} s`,
    explanation: `The message was signed with a timestamp ${words} than the x-timestamp sent.`,
    remedy:
      'Read the clock once: compute the timestamp, sign it, and send that same string in x-timestamp (do not call the clock again when building the headers).',
    variants: (ctx) =>
      sentUnit(ctx) === 's' ? [(p) => ({ ...p, value: String(Number(ctx.sent.value) + delta) })] : [],
  });
}

/** Most seconds between the signed and the sent timestamp that the search tries. */
export const MAX_DIFFERENCE_S = 300;

/** ±1 s, ±2 s, … ±300 s: the clock read twice. */
export const DIFFERS_MISTAKES: readonly QredoMistake[] = Array.from({ length: MAX_DIFFERENCE_S }, (_, i) => [
  differsMistake(-(i + 1)),
  differsMistake(i + 1),
]).flat();

/** Signed in milliseconds with any sub-second digits, sent in seconds (tried last: 999 guesses). */
export const MILLIS_MISTAKE: QredoMistake = mistake({
  id: 'timestamp-millis',
  code: 'ERR_QREDO_TIMESTAMP_UNIT',
  title: `Timestamp signed in ${UNIT_WORDS.ms}, sent in ${UNIT_WORDS.s}`,
  explanation:
    'The signed message starts with the time in milliseconds (the x-timestamp sent, followed by three more digits), but x-timestamp is in seconds. Qredo rebuilds the message from x-timestamp, so the bytes differ.',
  remedy: UNIT_REMEDY,
  variants: (ctx) =>
    sentUnit(ctx) === 's'
      ? Array.from({ length: 999 }, (_, i): Variant => (p) => ({
          ...p,
          value: `${ctx.sent.value}${String(i + 1).padStart(3, '0')}`,
        }))
      : [],
});
