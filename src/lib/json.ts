/**
 * Reading untrusted JSON safely: own members only (a claim named "constructor" or "__proto__" is a
 * claim, not something inherited), duplicate member names found, and pretty-printing that is
 * bounded in depth and size and never throws.
 */

/** `obj[key]` when `obj` has it as its own member, otherwise undefined (never an inherited value). */
export function own(obj: unknown, key: string): unknown {
  return hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** True when `obj` has `key` as its own member. */
export function hasOwn(obj: unknown, key: string): boolean {
  return typeof obj === 'object' && obj !== null && Object.hasOwn(obj, key);
}

/** The end (exclusive) of the JSON string literal starting at `text[at]` (a quote). */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22 /* " */) return i + 1;
    else i++;
  }
  return text.length;
}

/**
 * Member names that occur more than once in the same object, anywhere in a JSON text (which must
 * already parse). Names are compared after unescaping, so `"alg"` and `"\u0061lg"` are the same.
 * Linear in the text's length, no recursion.
 */
export function duplicateMembers(text: string): string[] {
  const dups: string[] = [];
  const stack: (Set<string> | null)[] = []; // one entry per open object ({) or array ([ → null)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) stack.push(new Set());
    else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const names = stack[stack.length - 1];
      if (names) {
        let j = end;
        while (j < text.length && /[ \t\n\r]/.test(text[j]!)) j++;
        if (text[j] === ':') {
          let name: string;
          try {
            name = JSON.parse(text.slice(i, end)) as string;
          } catch {
            name = text.slice(i + 1, end - 1);
          }
          if (names.has(name)) {
            if (!dups.includes(name)) dups.push(name);
          } else names.add(name);
        }
      }
      i = end - 1;
    }
  }
  return dups;
}

/** How deeply a JSON text nests (objects and arrays), counted without recursion. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x22) i = stringEnd(text, i) - 1;
  }
  return max;
}

/** Limits for showing JSON. */
export const JSON_LIMITS = { depth: 64, chars: 200_000 } as const;

/** JSON ready to show: pretty-printed when it is within the limits, otherwise the text as it came. */
export interface FormattedJson {
  text: string;
  /** Why the text is shown as it came instead of pretty-printed (or only in part). */
  note?: string;
  /** True when `text` is only the start of the original (which the page offers to copy whole). */
  truncated?: boolean;
}

/** Text to show as it came, cut to `JSON_LIMITS.chars` characters (the page offers the whole to copy). */
export function boundedText(text: string): FormattedJson {
  if (text.length <= JSON_LIMITS.chars) return { text };
  return {
    text: `${text.slice(0, JSON_LIMITS.chars)}…`,
    note: `Showing the first ${JSON_LIMITS.chars / 1000} K of ${Math.round(text.length / 1000)} K characters, as they came (not pretty-printed). Copy it to see all of it.`,
    truncated: true,
  };
}

/**
 * Pretty-print parsed JSON for display (two-space indent), or fall back to the original text when
 * it nests deeper than `JSON_LIMITS.depth` or is longer than `JSON_LIMITS.chars`. Never throws.
 */
export function formatJson(value: unknown, original: string): FormattedJson {
  if (original.length > JSON_LIMITS.chars) return boundedText(original);
  const depth = jsonDepth(original);
  if (depth > JSON_LIMITS.depth) {
    return {
      text: original,
      note: `Shown as it came, not pretty-printed: it nests ${depth} levels deep (keybench formats up to ${JSON_LIMITS.depth}).`,
    };
  }
  try {
    return { text: JSON.stringify(value, null, 2) };
  } catch (e) {
    return {
      text: original,
      note: `Shown as it came: it could not be formatted (${e instanceof Error ? e.message : String(e)}).`,
    };
  }
}

/**
 * Any value (already parsed, e.g. claims a partner check read) pretty-printed for display, bounded
 * like `formatJson`; a value nested too deeply for JSON.stringify is described instead. Never throws.
 */
export function formatValue(value: unknown): FormattedJson {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch (e) {
    return {
      text: '',
      note: `It could not be shown (${e instanceof Error ? e.name : 'error'}): nested too deeply.`,
    };
  }
  return boundedText(text);
}
