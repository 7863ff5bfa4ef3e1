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
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): Node => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, Node][] = [];
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
        const at = entries.findIndex(([k]) => k === key);
        if (at >= 0) entries[at] = [key, v];
        else entries.push([key, v]);
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
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return { t: 'str', v: JSON.parse(text.slice(start, i)) as string };
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))!;
    i += m[0].length;
    return /^[tfn]/.test(m[0]) ? { t: 'lit', v: m[0] } : { t: 'num', lit: m[0] };
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

const SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A string as Python's json.dumps writes it with ensure_ascii (every non-ASCII unit as \uXXXX). */
function pythonString(s: string): string {
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]!;
    const c = s.charCodeAt(k);
    if (SHORT[ch]) out += SHORT[ch];
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
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
      return /[.eE]/.test(n.lit) ? pythonFloatRepr(Number(n.lit)) : BigInt(n.lit).toString();
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
  try {
    JSON.parse(text);
  } catch (e) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (how === 'as-typed') return text;
  if (how === 'compact') return JSON.stringify(JSON.parse(text));
  return pythonJsonDumps(text);
}

/** Every usual serialisation of a body text that is JSON, for naming which one a server hashed. */
export function serialisationsOf(text: string): { id: BodySerialisation; bytes: string }[] {
  try {
    JSON.parse(text);
  } catch {
    return [{ id: 'as-typed', bytes: text }];
  }
  return (['as-typed', 'compact', 'python'] as const).map((id) => ({ id, bytes: serialiseBody(text, id) }));
}
