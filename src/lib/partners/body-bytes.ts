/**
 * The exact body bytes a JSON request sends, for the serialisations servers actually use:
 * the text as typed, JavaScript's JSON.stringify, or Python's json.dumps defaults (", " and ": "
 * separators, ensure_ascii), which QI Tech's samples hash.
 */
import { KeybenchError } from '../errors';

/** How the body text becomes bytes on the wire. */
export type BodySerialisation = 'as-typed' | 'compact' | 'python';

/** The choices, in the order the UI offers them, with what each is. */
export const SERIALISATIONS: readonly { id: BodySerialisation; label: string }[] = [
  { id: 'python', label: "Python's json.dumps (QI Tech's samples; default)" },
  { id: 'compact', label: 'Compact, JSON.stringify (what a JavaScript server sends)' },
  { id: 'as-typed', label: 'Exactly as typed' },
];

type Node =
  | { t: 'obj'; entries: [string, Node][] }
  | { t: 'arr'; items: Node[] }
  | { t: 'str'; v: string }
  | { t: 'num'; lit: string }
  | { t: 'lit'; v: string };

/** Parse JSON text keeping member order and number literals as written (JSON.parse loses both). */
function parseTree(text: string): Node {
  let i = 0;
  const ws = () => {
    for (
      let c = text.charCodeAt(i);
      c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
      c = text.charCodeAt(++i)
    );
  };
  const value = (): Node => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, Node][] = [];
      // Where each key first came: looked up in the list while it is short, then in a Map, so a
      // body with many members stays linear.
      let seen: Map<string, number> | null = null;
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', entries };
      }
      for (;;) {
        ws();
        const key = (value() as { v: string }).v;
        ws();
        i++; // ':'
        const v = value();
        // Python's dict keeps the first position of a repeated key and its last value.
        if (!seen && entries.length > 16) seen = new Map(entries.map(([k], n) => [k, n]));
        const at = seen ? seen.get(key) : entries.findIndex(([k]) => k === key);
        if (at !== undefined && at >= 0) entries[at] = [key, v];
        else {
          seen?.set(key, entries.length);
          entries.push([key, v]);
        }
        ws();
        if (text[i++] === '}') return { t: 'obj', entries };
      }
    }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i++] === ']') return { t: 'arr', items };
      }
    }
    if (c === '"') {
      const start = i++;
      // The closing quote is the first one not escaped (JSON.parse has validated the text).
      let escaped = false;
      for (let d = text.charCodeAt(i); d !== 0x22; d = text.charCodeAt(i)) {
        if (d === 0x5c) {
          escaped = true;
          i += 2;
        } else i++;
      }
      i++;
      const v = escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
      return { t: 'str', v };
    }
    if (c === 't' || c === 'f' || c === 'n') {
      const lit = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      i += lit.length;
      return { t: 'lit', v: lit };
    }
    // A number (JSON.parse has validated the text): its characters, as written.
    const start = i;
    for (
      let d = text.charCodeAt(i);
      (d >= 0x30 && d <= 0x39) || d === 0x2d || d === 0x2b || d === 0x2e || d === 0x65 || d === 0x45;
      d = text.charCodeAt(++i)
    );
    return { t: 'num', lit: text.slice(start, i) };
  };
  return value();
}

/** Python's repr of a float (shortest round trip; fixed notation for exponents -4…15, else 1e+16). */
export function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (exp >= -4 && exp <= 15) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${sign}${int}.${digits.slice(exp + 1) || '0'}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * A string as Python's json.dumps writes it with ensure_ascii: JSON.stringify's escapes (the same
 * short ones, \u00XX for other controls, lone surrogates), then every other unit outside printable
 * ASCII (DEL too) as \uXXXX.
 */
function pythonString(s: string): string {
  return JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function pythonDump(n: Node): string {
  switch (n.t) {
    case 'obj':
      return `{${n.entries.map(([k, v]) => `${pythonString(k)}: ${pythonDump(v)}`).join(', ')}}`;
    case 'arr':
      return `[${n.items.map(pythonDump).join(', ')}]`;
    case 'str':
      return pythonString(n.v);
    case 'lit':
      return n.v;
    case 'num':
      // json.loads makes an int of a literal without fraction or exponent (exact, any size), else a float.
      if (/[.eE]/.test(n.lit)) return pythonFloatRepr(Number(n.lit));
      // An int is written as it was, except -0, which Python's int makes 0.
      return n.lit === '-0' ? '0' : n.lit;
  }
}

/** What Python's json.dumps(json.loads(text)) returns, with its default arguments. */
export function pythonJsonDumps(text: string): string {
  JSON.parse(text); // Validates; the tree parser below trusts its input.
  return pythonDump(parseTree(text));
}

/**
 * The bytes to send for a JSON body text under a serialisation.
 * @throws KeybenchError ERR_PARTNER_INPUT when the text is not JSON.
 */
export function serialiseBody(text: string, how: BodySerialisation): string {
  if (how === 'as-typed' || text.length < MEMO_FROM) return serialise(text, how);
  // The doctor's search and the verifier both ask for a large body's forms: build each once.
  const hit = memo.find((m) => m.how === how && m.text === text);
  if (hit) return hit.bytes;
  const bytes = serialise(text, how);
  memo.unshift({ text, how, bytes });
  memo.length = Math.min(memo.length, 2);
  return bytes;
}

/** Bodies from this length on have their last serialisations kept (one per form, the latest body). */
const MEMO_FROM = 64 * 1024;
const memo: { text: string; how: BodySerialisation; bytes: string }[] = [];

function serialise(text: string, how: BodySerialisation): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (how === 'as-typed') return text;
  if (how === 'compact') return JSON.stringify(value);
  return pythonDump(parseTree(text));
}

/** Every usual serialisation of a body text that is JSON, for naming which one a server hashed. */
export function serialisationsOf(text: string): { id: BodySerialisation; bytes: string }[] {
  try {
    JSON.parse(text);
  } catch {
    return [{ id: 'as-typed', bytes: text }];
  }
  // A body nested too deeply for a serialiser (a stack overflow) just has fewer forms.
  return (['as-typed', 'compact', 'python'] as const).flatMap((id) => {
    try {
      return [{ id, bytes: serialiseBody(text, id) }];
    } catch {
      return [];
    }
  });
}

/**
 * Most characters of other serialisations the doctors build for one body (a real JSON body is
 * kilobytes): a 7 MB body gets its two likeliest forms, not six.
 */
export const MAX_SERIALISED_BYTES = 16 * 1024 * 1024;
