/**
 * Messages that mix keybench's own words with untrusted text (a kid, a key label, an algorithm name
 * from a token). Untrusted text is kept apart so the page shows it in a code span, with invisible
 * and bidi characters made visible: it can never pass for keybench's words.
 */

/** A piece of text that came from input keybench does not control. */
export interface Untrusted {
  untrusted: string;
}

/** One part of a message: keybench's own words, or untrusted text. */
export type Part = string | Untrusted;

/** A message in parts. */
export type Rich = readonly Part[];

/** Longest untrusted text shown inside a message; the rest is elided. */
const MAX_SHOWN = 120;

/**
 * Bidi controls (U+202A–E, U+2066–9, U+200E/F, U+061C), zero-width and invisible format characters,
 * variation selectors, tag characters, other C0/C1 controls and line/paragraph separators: the
 * characters that change how text around them reads, or that cannot be seen. Tab, LF and CR are kept.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x08],
  [0x0b, 0x0c],
  [0x0e, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
  [0xe0000, 0xe0fff],
];

/** The same set as one regular expression, built from the ranges (fast on megabytes of text). */
const INVISIBLE = new RegExp(
  `[${INVISIBLE_RANGES.map(([lo, hi]) => `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`).join('')}]`,
  'gu',
);

/** Mark untrusted text: in a message it is shown as a code span, never as keybench's words. */
export function u(text: unknown): Untrusted {
  return { untrusted: typeof text === 'string' ? text : String(text) };
}

/** True when text holds characters that `revealInvisible` would replace. */
export function hasInvisible(text: string): boolean {
  return text.search(INVISIBLE) !== -1;
}

/**
 * Replace every invisible or direction-changing character with a visible marker such as `⟨U+202E⟩`,
 * so that what is shown reads as it is stored (a right-to-left override cannot reverse the rest).
 * Tabs and line breaks are kept.
 */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    const cp = ch.codePointAt(0)!;
    return `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
}

/** Untrusted text as shown inside a message: invisible characters revealed, long text elided. */
export function shownUntrusted(text: string): string {
  const t = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return revealInvisible(t);
}

/**
 * Build a message: literal parts are keybench's words; interpolated strings are untrusted unless
 * wrapped with `ours()`; numbers are shown as they are.
 */
export function rich(strings: TemplateStringsArray, ...values: (string | number | Part | Ours)[]): Rich {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    if (i < values.length) {
      const v = values[i]!;
      if (typeof v === 'number') parts.push(String(v));
      else if (typeof v === 'string') parts.push(u(v));
      else if ('ours' in v) parts.push(v.ours);
      else parts.push(v);
    }
  });
  return parts;
}

/** Text keybench itself chose (an algorithm name it recognised, a key type it described). */
export interface Ours {
  ours: string;
}

/** Mark a value as keybench's own words inside `rich`. */
export function ours(text: string): Ours {
  return { ours: text };
}

/** A message as one plain string: untrusted parts quoted (JSON), invisible characters revealed. */
export function plain(message: Rich): string {
  return message
    .map((p) => (typeof p === 'string' ? p : JSON.stringify(shownUntrusted(p.untrusted))))
    .join('');
}
