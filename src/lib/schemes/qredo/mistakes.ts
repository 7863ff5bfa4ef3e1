/**
 * Every mistake the Qredo doctor searches, as data, and the order it tries them in: one mistake at
 * a time (timestamp, URL, body, message layout), then the ±300 s clock search, then two mistakes
 * at once, then the 999 millisecond guesses. engine/search.ts tries them, bounded.
 */
import { BODY_MISTAKES } from './mistakes-body';
import { DIFFERS_MISTAKES, MILLIS_MISTAKE, UNIT_MISTAKES } from './mistakes-timestamp';
import { URL_MISTAKES } from './mistakes-url';
import { mistake, together, type QredoCtx, type QredoMistake } from './variants';

const SEPARATORS = ['\n', ' ', '|', ':', '.', ','] as const;
const SEP_WORDS: Record<(typeof SEPARATORS)[number], string> = {
  '\n': 'a newline',
  ' ': 'a space',
  '|': '"|"',
  ':': '":"',
  '.': '"."',
  ',': '","',
};

/** The parts joined with `sep` (Qredo joins them with nothing). */
function separatorMistake(sep: (typeof SEPARATORS)[number]): QredoMistake {
  return mistake({
    id: `message-separator-${JSON.stringify(sep)}`,
    code: 'ERR_QREDO_MESSAGE_SEPARATORS',
    title: `Parts of the message joined with ${SEP_WORDS[sep]}`,
    explanation: `The signed message puts ${SEP_WORDS[sep]} between its parts. Qredo's message is value ‖ URL ‖ body with nothing between them.`,
    remedy:
      'Concatenate the value, the full URL and the body with no separator (no newline, space or delimiter) before signing.',
    variants: () => [(p) => ({ ...p, sep })],
  });
}

/** The HTTP method signed first, or after the value (as the method is written, and in capitals). */
function methodMistake(where: 'first' | 'after-value'): QredoMistake {
  return mistake({
    id: `message-method-${where}`,
    code: 'ERR_QREDO_MESSAGE_METHOD',
    title:
      where === 'first'
        ? 'HTTP method signed at the start of the message'
        : 'HTTP method signed after the timestamp',
    explanation: `The signed message holds the HTTP method (${where === 'first' ? 'before the timestamp' : 'between the timestamp and the URL'}). Qredo's message has no method: value ‖ URL ‖ body only.`,
    remedy:
      "Remove the method from the signed message (a scheme copied from another exchange's API often puts it there).",
    variants: (ctx) =>
      [...new Set([ctx.method.toUpperCase(), ctx.method])]
        .filter((m) => m !== '')
        .map((methodText) => (p) => ({ ...p, method: where, methodText })),
  });
}

const METHOD_MISTAKES = [methodMistake('first'), methodMistake('after-value')];

/** How the message is laid out: the method signed, separators, or both. */
const LAYOUT_MISTAKES: readonly QredoMistake[] = [
  ...METHOD_MISTAKES,
  ...SEPARATORS.flatMap((s) => {
    const sep = separatorMistake(s);
    return [sep, ...METHOD_MISTAKES.map((m) => together(m, sep))];
  }),
];

/** The search's dimensions: one part of the message each. */
const DIMENSIONS: readonly (readonly QredoMistake[])[] = [
  UNIT_MISTAKES,
  URL_MISTAKES,
  BODY_MISTAKES,
  LAYOUT_MISTAKES,
];

/** Whether a mistake can apply to this request (else it costs nothing and is left out of pairs). */
function applies(ctx: QredoCtx, m: QredoMistake): boolean {
  return m.variants(ctx).length > 0;
}

/** The mistakes to try for one request, in order: singles, the clock, pairs, then milliseconds. */
export function qredoMistakes(ctx: QredoCtx): QredoMistake[] {
  const dims = DIMENSIONS.map((d) => d.filter((m) => applies(ctx, m)));
  const pairs: QredoMistake[] = [];
  for (let i = 0; i < dims.length; i++)
    for (let j = i + 1; j < dims.length; j++)
      for (const a of dims[i]!) for (const b of dims[j]!) pairs.push(together(a, b));
  return [...dims.flat(), ...DIFFERS_MISTAKES.filter((m) => applies(ctx, m)), ...pairs, MILLIS_MISTAKE];
}
