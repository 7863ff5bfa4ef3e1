/**
 * Reading a pasted curl command (issue 12): the words come from the `shell-quote` package, the
 * meaning of each option from curl's own rules. Nothing here runs a shell or reads a file.
 *
 * shell-quote (1.12) already reads single quotes and double quotes with backslash escapes.
 * {@link prepareShellText} does what it does not, or does differently from bash:
 * - bash `$'…'` strings are decoded here ({@link decodeAnsiC}: `\xHH` and `\NNN` are bytes, read as
 *   strict UTF-8; shell-quote made each a character) and handed on as single-quoted words;
 * - a `\` + newline continuation becomes an empty word (`curl x \⏎ -H y` → `['curl','x','','-H','y']`),
 *   and inside double quotes it keeps both characters, where bash drops them: we remove the pair
 *   outside single quotes and `$'…'` (where bash keeps it);
 * - inside double quotes `\`` keeps its backslash, where bash drops it: we drop it;
 * - an unterminated quote is silently skipped: we report it;
 * - `#` anywhere in an unquoted word starts a comment (`https://h/p#frag` loses `#frag`), where bash
 *   only starts one at the beginning of a word: we escape a `#` inside a word;
 * - `$NAME`, `${NAME}` and `$(…)` are expanded from `env` (and `${…}` loses its braces): we escape
 *   every `$` that does not open `$'…'`, so the text stays as written, and note that a shell would
 *   have expanded it;
 * - speed: shell-quote spends about 120 ms on a 1 MB quoted body (a lazy regex, then one string
 *   append per character). A run of adjacent quoted strings and `\X` escapes (one word part, e.g.
 *   `'it'\''s'`) longer than {@link LONG_QUOTED} is therefore read here (single quotes: as is;
 *   double quotes and `$'…'`: by {@link decodeDouble} / {@link decodeAnsiC}, checked against bash
 *   in the tests) and replaced by a placeholder that is put back after shell-quote has split the
 *   words. Plain unquoted word characters, `$` and `#` join such a run too: shell-quote's regular
 *   expression overflows the stack on a word of megabytes. Short strings, and so every usual
 *   header, still go through shell-quote.
 * - a command of more than {@link MAX_WORDS} words is refused (shell-quote takes seconds on a
 *   million).
 */
import { parse as shellParse } from 'shell-quote';
import { ours, plain, rich, u, type Rich } from '../rich';
import { isCBlank, removeDotSegments, trimOws, withoutFragment } from './text';
import type { ParsedRequest, RequestParse } from './types';

/** A failure to read the command, with a message for the person who pasted it. */
class CurlError extends Error {
  readonly parts: Rich;
  readonly code: 'ERR_REQUEST_PARSE' | 'ERR_REQUEST_TOO_LARGE';
  /** A plain string is keybench's own words; a `Rich` keeps the pasted text apart. */
  constructor(
    parts: Rich | string,
    code: 'ERR_REQUEST_PARSE' | 'ERR_REQUEST_TOO_LARGE' = 'ERR_REQUEST_PARSE',
  ) {
    const p = typeof parts === 'string' ? [parts] : parts;
    super(plain(p));
    this.parts = p;
    this.code = code;
  }
}

/** The most words read from a curl command (a real one has tens; shell-quote is slow on a million). */
export const MAX_WORDS = 10_000;
/** Plain unquoted word characters: nothing shell-quote or bash reads specially. */
const BARE = /[^\s|&;<>()'"\\$#`]+/y;

/** Quoted strings longer than this (in characters) are read without shell-quote, for speed. */
export const LONG_QUOTED = 1024;
/** Placeholder brackets (private-use characters); not used when the text holds them already. */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARK = /\uE000(\d+)\uE001/g;
/** The characters that mean something inside double quotes. */
const SPECIAL_IN_DOUBLE = /[\\"$`]/g;

/** The command text made ready for shell-quote. */
interface Prepared {
  text: string;
  /** A `$` that a shell would expand (`$TOKEN`, `${X}`, `$(date)`) is in the command. */
  dollar: boolean;
  /** The long quoted strings taken out, by placeholder number. */
  literals: string[];
  /** A newline or a comment ended the command before the end of the text. */
  ended: boolean;
}

const isSpace = (c: string | undefined): boolean =>
  c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_{(0-9@*#?!$-]/.test(c);

/** 1-based line number of a position, for messages. */
function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The refusal for a command substitution (`$(…)`, backticks) or a process substitution (`<(…)`). */
function substitution(text: string, at: number): CurlError {
  return new CurlError(
    rich`The command runs another command inside it (${text.slice(at, at + 24)}…): bash replaces that with its output before curl runs, so the bytes sent cannot be known from the paste. Paste the command with the value written out.`,
  );
}

/** The text inside bash double quotes: `\` + newline vanishes, `\` before `\ " $ `` is dropped. */
export function decodeDouble(raw: string): string {
  // (a replacement pattern, not a callback: native speed on a 1 MB body; $1 is empty for a newline)
  return raw.replace(/\\(?:\r?\n|([\\"$`]))/g, '$1');
}

/** The single-character escapes of `$'…'`, by the letter after the backslash. */
const ANSI_C_LETTERS: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The value of a hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** A strict UTF-8 decoder: bytes that are not UTF-8 text are an error, never U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text inside bash `$'…'`, as bash reads it: \a \b \e \E \f \n \r \t \v \\ \' \" \?,
 * \cX, \uHHHH and \UHHHHHHHH (a character, UTF-8 in a UTF-8 locale), and \nnn octal and \xHH,
 * which are BYTES: `$'caf\xc3\xa9'` is "café". Any other `\X` stays as written; a NUL ends the
 * string. The bytes must be UTF-8 text (a run of byte escapes is decoded strictly), else a
 * CurlError: the body or header would not be text, and keybench cannot show what is sent. A plain
 * loop over the backslashes: a regex replace with a callback took ~200 ms on a 1 MB body.
 */
export function decodeAnsiC(raw: string): string {
  const out: string[] = [];
  let seg = 0;
  const n = raw.length;
  /** Bytes from \xHH and \nnn not yet decoded (a character may take several escapes). */
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    {
      try {
        out.push(UTF8.decode(new Uint8Array(bytes)));
      } catch {
        throw new CurlError(
          rich`A $'…' string in the command holds bytes that are not UTF-8 text (${bytes
            .slice(0, 8)
            .map((b) => '\\x' + b.toString(16).padStart(2, '0'))
            .join(
              '',
            )}): the body or header curl would send is not text, so keybench cannot show exactly what would be sent.`,
        );
      }
    }
    bytes = [];
  };
  const push = (text: string): void => {
    flush();
    out.push(text);
  };
  for (let i = raw.indexOf('\\'); i !== -1 && i + 1 < n; i = raw.indexOf('\\', i)) {
    if (i > seg) push(raw.slice(seg, i));
    const c = raw[i + 1] ?? '';
    const letter = ANSI_C_LETTERS[c];
    let len = 2;
    if (letter !== undefined) push(letter);
    else if (c >= '0' && c <= '7') {
      let v = 0;
      len = 1;
      while (len < 4 && i + len < n) {
        const d = raw.charCodeAt(i + len) - 0x30;
        if (d < 0 || d > 7) break;
        v = v * 8 + d;
        len++;
      }
      bytes.push(v & 0xff);
    } else if (c === 'x' || c === 'u' || c === 'U') {
      const max = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      let v = 0;
      let k = 0;
      for (; k < max && i + 2 + k < n; k++) {
        const d = hexValue(raw.charCodeAt(i + 2 + k));
        if (d < 0) break;
        v = v * 16 + d;
      }
      len = 2 + k;
      if (k === 0) push(raw.slice(i, i + len));
      else if (c === 'x') bytes.push(v);
      else if (v >= 0xd800 && v <= 0xdfff)
        // bash writes a lone surrogate as its 3-byte form (ED A0 80), which is not UTF-8 text
        throw new CurlError(
          rich`${raw.slice(i, i + len)} is a lone UTF-16 surrogate: bash sends bytes that are not UTF-8 text, so keybench cannot show exactly what would be sent.`,
        );
      else push(v > 0x10ffff ? raw.slice(i, i + len) : String.fromCodePoint(v));
    } else if (c === 'c' && i + 2 < n) {
      const ctrl = raw[i + 2] ?? '';
      len = ctrl === '\\' && raw[i + 3] === '\\' ? 4 : 3;
      push(ctrl === '?' ? '\x7f' : String.fromCharCode(ctrl.charCodeAt(0) & 0x1f));
    } else push(raw.slice(i, i + 2));
    i += len;
    seg = i;
  }
  push(raw.slice(seg));
  const text = out.join('');
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

/** A string as one bash single-quoted word (`'` written `'\\''`), read back as the same text. */
const singleQuoted = (s: string): string => "'" + s.replaceAll("'", "'\\''") + "'";

/** Where the pass is: outside quotes, or inside '…', "…" or $'…'. */
type QuoteState = 'none' | 'single' | 'double' | 'ansi';

/**
 * The run of adjacent quoted strings and `\X` escapes being read (one word part for bash, e.g.
 * `'it'\''s'`): where it starts in `out`, its text, its length in the command, where it ends.
 */
interface Run {
  outMark: number;
  parts: string[];
  length: number;
  end: number;
}

/** {@link ShellPass.step}'s answer when the pass stops before the end of the text. */
const STOP = -1;

/** Characters that end a word for bash, apart from whitespace. */
const OPERATORS = ';|&()<>';

/**
 * The state of one {@link prepareShellText} pass over a command, and its steps. Each step reads
 * from a position in the current quote state and returns where to go on (or {@link STOP}).
 */
class ShellPass {
  readonly out: string[] = [];
  readonly literals: string[] = [];
  /** Whether long runs may be taken out (the text holds no placeholder bracket of its own). */
  readonly extract: boolean;
  /** Start of the text not yet copied to `out`. */
  seg = 0;
  dollar = false;
  state: QuoteState = 'none';
  /** Where the open quote starts. */
  opened = 0;
  /** Where the open quote's text starts. */
  contentStart = 0;
  run: Run | undefined;
  words = 0;
  /** A $'…' string wrote a placeholder bracket (`\uE000`): the placeholders could not be told apart. */
  marked = false;
  /** A comment or an unquoted newline ended the command before the end of the text. */
  ended = false;
  /** Unquoted braces in the current word, for bash's brace expansion ({a,b}, {1..3}). */
  brace = { depth: 0, sep: false };

  constructor(readonly text: string) {
    this.extract = !text.includes(MARK_OPEN) && !text.includes(MARK_CLOSE);
  }

  /** Copy text[seg, i), then add `replacement`, and continue copying from `next`. */
  replace(i: number, replacement: string, next: number): void {
    this.out.push(this.text.slice(this.seg, i), replacement);
    this.seg = next;
  }

  /** A part of a run starts at i: the run goes on if it ended there, else a new one starts. */
  runPart(i: number): void {
    if (!this.extract) return;
    if (this.run?.end !== i) {
      this.endRun();
      this.replace(i, '', i); // flush, so that the run can be taken out of `out` whole
      this.run = { outMark: this.out.length, parts: [], length: 0, end: i };
    }
  }

  /** Adds a part of `length` command characters, read as `part`, to the run; it now ends at `end`. */
  extendRun(part: string, length: number, end: number): void {
    if (!this.run) return;
    this.run.parts.push(part);
    this.run.length += length;
    this.run.end = end;
  }

  /** Whether the current run is already long (it is taken out whole: nothing inside is rewritten). */
  runIsLong(): boolean {
    return this.run !== undefined && this.run.length > LONG_QUOTED;
  }

  /** The run ends: a long one is taken out and replaced by a placeholder. */
  endRun(): void {
    if (this.run && this.run.length > LONG_QUOTED) {
      this.literals.push(this.run.parts.join(''));
      this.out.length = this.run.outMark;
      this.out.push(MARK_OPEN + String(this.literals.length - 1) + MARK_CLOSE);
      this.seg = this.run.end;
    }
    this.run = undefined;
  }

  /** A quote opens at i; its text starts at `start`. */
  open(i: number, to: QuoteState, start: number): void {
    this.runPart(i);
    this.opened = i;
    this.contentStart = start;
    this.state = to;
  }

  /** The open quote closes at `close` (its last character). */
  close(close: number): void {
    const raw = this.text.slice(this.contentStart, close);
    // shell-quote would read a short $'…' itself, with \xHH as a character: it gets the text
    // decoded here (bytes, then UTF-8), as a single-quoted word
    const ansi = this.state === 'ansi' ? decodeAnsiC(raw) : undefined;
    if (ansi !== undefined && this.extract && (ansi.includes(MARK_OPEN) || ansi.includes(MARK_CLOSE)))
      this.marked = true;
    if (this.run)
      this.extendRun(
        ansi ?? (this.state === 'single' ? raw : decodeDouble(raw)),
        close + 1 - this.opened,
        close + 1,
      );
    if (ansi !== undefined && !this.runIsLong()) this.replace(this.opened, singleQuoted(ansi), close + 1);
    this.state = 'none';
  }

  /** An unquoted character that must reach shell-quote escaped (`$`, `#`): part of a run. */
  literal(i: number, c: string, escaped: string): void {
    this.runPart(i);
    if (!this.runIsLong()) this.replace(i, escaped, i + 1);
    this.extendRun(c, 1, i + 1);
  }

  /** A `\` + LF or `\` + CR LF at i: its length, else 0. */
  continuation(i: number): number {
    const { text } = this;
    return text[i + 1] === '\n' ? 2 : text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 0;
  }

  /** Whether a word starts at i (bash's tilde expansion applies there). */
  wordStart(i: number): boolean {
    return i === 0 || isSpace(this.text[i - 1]) || OPERATORS.includes(this.text[i - 1] ?? '');
  }

  /**
   * Refuses what bash would expand in an unquoted run of word characters at `at`: a `~` that
   * starts a word or follows `=` or `:` (the home directory), and braces with a `,` or `..` inside
   * (one word becomes several).
   */
  expansions(w: string, at: number): void {
    for (let k = 0; k < w.length; k++) {
      const ch = w[k];
      const before = k === 0 ? undefined : w[k - 1];
      if (
        ch === '~' &&
        ((k === 0 && this.wordStart(at)) || before === '=' || (before === ':' && w.slice(0, k).includes('=')))
      )
        throw new CurlError(
          rich`The unquoted ~ in ${w} is replaced by bash with a home directory before curl runs, so the bytes sent are not the ones written. Quote it ('~') or write the path out.`,
        );
      this.braceChar(w, k);
    }
  }

  /** Follows bash's brace expansion through character k of an unquoted word; refuses `{a,b}`. */
  braceChar(w: string, k: number): void {
    const ch = w[k];
    const { brace } = this;
    if (ch === '{') brace.depth++;
    else if (brace.depth > 0 && (ch === ',' || (ch === '.' && w[k + 1] === '.'))) brace.sep = true;
    else if (ch === '}' && brace.depth > 0) {
      if (brace.sep)
        throw new CurlError(
          rich`The unquoted braces in ${w} are expanded by bash into several words ({a,b} becomes a b) before curl runs, so curl does not get the text written. Quote the word ('…').`,
        );
      brace.depth--;
    }
  }

  /** One step from i in the current quote state. */
  step(i: number): number {
    switch (this.state) {
      case 'single':
        return this.inSingle(i);
      case 'ansi':
        return this.inAnsi(i);
      case 'double':
        return this.inDouble(i);
      default:
        return this.unquoted(i);
    }
  }

  /** Inside '…': to the closing quote. */
  inSingle(i: number): number {
    const end = this.text.indexOf("'", i);
    if (end === -1) return STOP; // unterminated: reported by finish
    this.close(end);
    return end + 1;
  }

  /** Inside $'…': to the next ' that an odd number of backslashes does not escape. */
  inAnsi(i: number): number {
    const { text } = this;
    let end = text.indexOf("'", i);
    while (end !== -1) {
      let slashes = 0;
      while (end - slashes - 1 >= i && text[end - slashes - 1] === '\\') slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf("'", end + 1);
    }
    if (end === -1) return STOP; // unterminated: reported by finish
    this.close(end);
    return end + 1;
  }

  /** Inside "…": jump to the next character that matters there, and handle it. */
  inDouble(from: number): number {
    const { text } = this;
    SPECIAL_IN_DOUBLE.lastIndex = from;
    const next = SPECIAL_IN_DOUBLE.exec(text);
    if (!next) return STOP; // unterminated: reported by finish
    const i = next.index;
    const d = text[i];
    if (d === '\\') {
      const k = this.continuation(i);
      if (k) this.replace(i, '', i + k);
      else if (text[i + 1] === '`') this.replace(i, '', i + 1); // bash reads \` as `
      return i + (k || 2);
    }
    if (d === '$') {
      if (text[i + 1] === '(') throw substitution(text, i);
      this.dollar ||= isNameStart(text[i + 1]);
      this.replace(i, '\\$', i + 1);
      return i + 1;
    }
    if (d === '`') throw substitution(text, i);
    if (d === '"') this.close(i);
    return i + 1;
  }

  /** Outside quotes: the character at i decides. */
  unquoted(i: number): number {
    const { text } = this;
    const c = text[i];
    if (c === '\\') return this.backslash(i);
    if (c === "'" || c === '"') {
      this.open(i, c === "'" ? 'single' : 'double', i + 1);
      return i + 1;
    }
    if (c === '$') return this.dollarSign(i);
    if (c === '`' || ((c === '<' || c === '>') && text[i + 1] === '(')) throw substitution(text, i);
    if (c === '#' && i > 0 && !isSpace(text[i - 1]) && !OPERATORS.includes(text[i - 1] ?? '')) {
      this.literal(i, '#', '\\#');
      return i + 1;
    }
    if (c === '#' || c === '\n') {
      // a comment runs to the end of the line, and a newline ends the command: what follows is
      // another command for bash, never curl's arguments (only blank text after it: nothing ends)
      this.ended = c === '#' ? /\n\s*\S/.test(text.slice(i)) : text.slice(i).trim() !== '';
      return STOP;
    }
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<')
      throw new CurlError(
        rich`The command feeds curl a here-document (${text.slice(i, i + 20)}…): keybench reads one command line, not the lines after it.`,
      );
    if (c === '&' && text[i + 1] === '>') {
      // bash's &>file (stdout and stderr to a file) is a redirection like >file
      this.replace(i, '', i + 1);
      return i + 1;
    }
    return this.bare(i);
  }

  /** An unquoted `\`: a line continuation (dropped), or an escaped character (part of a run). */
  backslash(i: number): number {
    const k = this.continuation(i);
    if (k) this.replace(i, '', i + k);
    else if (i + 1 < this.text.length) {
      this.runPart(i);
      this.extendRun(this.text[i + 1] ?? '', 2, i + 2);
    }
    return i + (k || 2);
  }

  /** An unquoted `$`: opens $'…' or $"…", else a literal `$` (a shell would expand it). */
  dollarSign(i: number): number {
    const { text } = this;
    if (text[i + 1] === "'") {
      this.open(i, 'ansi', i + 2);
      return i + 2;
    }
    if (text[i + 1] === '"') {
      // bash's $"…" (a translated string) is a plain double-quoted string here
      this.open(i, 'double', i + 2);
      this.replace(i, '', i + 1);
      return i + 2;
    }
    if (text[i + 1] === '(') throw substitution(text, i);
    this.dollar ||= isNameStart(text[i + 1]);
    this.literal(i, '$', '\\$');
    return i + 1;
  }

  /**
   * A run of plain word characters: part of the run too, so that a long word (a 7 MB unquoted
   * body, a URL with ?) never reaches shell-quote, whose regular expression overflows the stack.
   * Else whitespace or an operator between words.
   */
  bare(i: number): number {
    const { text } = this;
    const c = text[i];
    BARE.lastIndex = i;
    const m = !isSpace(c) ? BARE.exec(text) : null;
    if (!m) return this.between(i);
    const w = m[0];
    this.expansions(w, i);
    if (/^\d+$/.test(w) && this.wordStart(i) && /[<>]/.test(text[i + w.length] ?? '')) {
      // a file descriptor before a redirection (2>/dev/null): not a word curl sees
      this.replace(i, '', i + w.length);
    } else if (this.extract) {
      this.runPart(i);
      this.extendRun(w, w.length, i + w.length);
    }
    return i + w.length;
  }

  /** Whitespace or an operator at i: a new word starts after it (counted, up to MAX_WORDS). */
  between(i: number): number {
    const { text } = this;
    const c = text[i];
    if (c !== undefined && (isSpace(c) || OPERATORS.includes(c))) this.brace = { depth: 0, sep: false };
    if (c !== undefined && isSpace(c) && !isSpace(text[i + 1]) && ++this.words > MAX_WORDS)
      throw new CurlError(
        [`The curl command has more than ${MAX_WORDS} words: keybench reads commands up to that size.`],
        'ERR_REQUEST_TOO_LARGE',
      );
    return i + 1;
  }

  /** The end of the pass at i: refuses an unterminated quote, and returns the prepared text. */
  finish(i: number): Prepared {
    const { text, state } = this;
    if (state !== 'none') {
      const what =
        state === 'single' ? "single quote (')" : state === 'double' ? 'double quote (")' : "$'…' string";
      throw new CurlError(
        rich`The curl command has an unterminated ${ours(what)}, opened on line ${lineOf(text, this.opened)}: the paste may be cut off. Copy the whole command again.`,
      );
    }
    this.endRun();
    if (this.marked && this.literals.length > 0)
      throw new CurlError(
        "A $'…' string in the command writes U+E000 or U+E001, private-use characters keybench uses to read long strings: it cannot read this command exactly.",
      );
    this.out.push(text.slice(this.seg, this.ended ? i : text.length));
    return { text: this.out.join(''), dollar: this.dollar, literals: this.literals, ended: this.ended };
  }
}

/**
 * One linear pass over the command that fixes what shell-quote does not handle (see the module
 * comment). It tracks the quote state only to know where each fix applies; the words themselves
 * are still split and unquoted by shell-quote.
 */
export function prepareShellText(text: string): Prepared {
  const pass = new ShellPass(text);
  let i = 0;
  while (i < text.length) {
    const next = pass.step(i);
    if (next === STOP) break;
    i = next;
    if (pass.state === 'none' && pass.run && pass.run.end < i) pass.endRun();
  }
  return pass.finish(i);
}

/** Options that do not change the request and take no argument (long names, without `--`). */
const FLAGS = new Set(
  (
    'silent show-error verbose include insecure location location-trusted compressed compressed-ssh ' +
    'http0.9 http1.0 http1.1 http2 http2-prior-knowledge http3 http3-only fail fail-with-body fail-early ' +
    'no-buffer progress-bar netrc netrc-optional remote-name remote-name-all remote-header-name globoff ' +
    'ipv4 ipv6 tcp-nodelay tcp-fastopen no-keepalive keepalive no-sessionid sessionid path-as-is raw ' +
    'tr-encoding ssl ssl-reqd ssl-allow-beast ssl-no-revoke ssl-revoke-best-effort ssl-auto-client-cert ' +
    'tlsv1 tlsv1.0 tlsv1.1 tlsv1.2 tlsv1.3 sslv2 sslv3 no-progress-meter styled-output disable parallel ' +
    'parallel-immediate anyauth basic digest ntlm ntlm-wb negotiate no-alpn no-npn create-dirs remote-time ' +
    'retry-connrefused retry-all-errors junk-session-cookies proxytunnel proxy-insecure proxy-anyauth ' +
    'proxy-basic proxy-digest proxy-ntlm proxy-negotiate cert-status false-start list-only append use-ascii ' +
    'xattr doh-insecure haproxy-protocol suppress-connect-headers disallow-username-in-url post301 post302 ' +
    'post303 ignore-content-length skip-existing clobber no-clobber manual help version trace-time ca-native ' +
    'proxy-ca-native proxy-http2 show-headers'
  ).split(' '),
);

/** Options that do not change the request and take one argument, which is skipped. */
const IGNORED_WITH_ARG = new Set(
  (
    'output write-out connect-timeout max-time retry retry-delay retry-max-time proxy proxy-user cacert ' +
    'capath cert key cert-type key-type pass resolve connect-to interface dns-servers cookie-jar dump-header ' +
    'trace trace-ascii stderr limit-rate speed-limit speed-time max-redirs ciphers tls13-ciphers tls-max ' +
    'noproxy output-dir unix-socket abstract-unix-socket expect100-timeout keepalive-time local-port proto ' +
    'proto-redir proto-default proxy-header max-filesize ftp-port quote telnet-option ' +
    'happy-eyeballs-timeout-ms pinnedpubkey crlfile egd-file random-file netrc-file dns-interface ' +
    'dns-ipv4-addr dns-ipv6-addr etag-save hsts alt-svc parallel-max rate sasl-authzid ' +
    'login-options mail-from mail-rcpt mail-auth proxy-cacert proxy-capath proxy-cert proxy-key proxy-pass ' +
    'proxy-ciphers proxy-cert-type proxy-key-type socks4 socks4a socks5 socks5-hostname preproxy ' +
    'create-file-mode doh-url ip-tos vlan-priority curves engine delegation service-name krb ftp-account ' +
    'ftp-alternative-to-user ftp-method ftp-ssl-ccc-mode tftp-blksize mail-rcpt-allowfails ' +
    'proxy-service-name socks5-gssapi-service proxy-tlsuser proxy-tlspassword proxy-tlsauthtype ' +
    'tlsuser tlspassword tlsauthtype pubkey hostpubmd5 hostpubsha256 ssl-sessions'
  ).split(' '),
);

/** Short options: the long name each stands for. */
const SHORT: Record<string, string> = {
  A: 'user-agent',
  b: 'cookie',
  c: 'cookie-jar',
  C: 'continue-at',
  d: 'data',
  D: 'dump-header',
  e: 'referer',
  E: 'cert',
  F: 'form',
  H: 'header',
  K: 'config',
  m: 'max-time',
  o: 'output',
  P: 'ftp-port',
  Q: 'quote',
  r: 'range',
  t: 'telnet-option',
  T: 'upload-file',
  u: 'user',
  U: 'proxy-user',
  w: 'write-out',
  x: 'proxy',
  X: 'request',
  y: 'speed-time',
  Y: 'speed-limit',
  z: 'time-cond',
  G: 'get',
  I: 'head',
  i: 'include',
  k: 'insecure',
  L: 'location',
  s: 'silent',
  S: 'show-error',
  v: 'verbose',
  f: 'fail',
  g: 'globoff',
  n: 'netrc',
  N: 'no-buffer',
  O: 'remote-name',
  J: 'remote-header-name',
  '4': 'ipv4',
  '6': 'ipv6',
  '0': 'http1.0',
  '1': 'tlsv1',
  '2': 'sslv2',
  '3': 'sslv3',
  a: 'append',
  B: 'use-ascii',
  j: 'junk-session-cookies',
  l: 'list-only',
  M: 'manual',
  p: 'proxytunnel',
  q: 'disable',
  R: 'remote-time',
  V: 'version',
  Z: 'parallel',
  '#': 'progress-bar',
  h: 'help',
  ':': 'next',
};

/** Options that change the request and take an argument. */
const REQUEST_WITH_ARG = new Set(
  (
    'request header data data-ascii data-raw data-binary data-urlencode json url user-agent referer ' +
    'cookie user oauth2-bearer form form-string upload-file config range request-target aws-sigv4 url-query ' +
    'variable time-cond etag-compare continue-at'
  ).split(' '),
);
/** Options that change the request and take no argument. */
const REQUEST_FLAGS = new Set(['get', 'head', 'next']);

/** Whether an option (long name) takes an argument. */
const takesArg = (name: string): boolean => IGNORED_WITH_ARG.has(name) || REQUEST_WITH_ARG.has(name);

/**
 * Percent-encoding as curl's --data-urlencode does it: curl_easy_escape (everything but
 * `A-Z a-z 0-9 - . _ ~` becomes %XX of its UTF-8 bytes, upper-case hex), then a space's %20
 * becomes `+` (curl's tool_getparam.c, replace_url_encoded_space_by_plus).
 */
export function curlUrlEncode(s: string): string {
  try {
    return encodeURIComponent(s).replace(/[!'()*]|%20/g, (c) =>
      c === '%20' ? '+' : '%' + c.charCodeAt(0).toString(16).toUpperCase(),
    );
  } catch {
    throw new CurlError('--data-urlencode holds text that is not valid Unicode (a lone surrogate).');
  }
}

/** UTF-8 base64 for -u user:password. */
function base64Utf8(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** One piece of request data, in the order given; `json` pieces join without `&`. */
interface DataPiece {
  text: string;
  json: boolean;
}

/**
 * Whether the command is written for Windows cmd.exe (Chrome's "Copy as cURL (cmd)"): its first
 * line ends with the `^` continuation, or the first argument is quoted as `^"…^"`.
 */
export function isCmdStyle(text: string): boolean {
  const nl = text.indexOf('\n');
  const first = (nl === -1 ? text : text.slice(0, nl)).trimEnd();
  return CHROME_CMD.test(text.slice(0, 20)) || (nl !== -1 && / \^$/.test(first));
}
/** The start of Chrome's "Copy as cURL (cmd)": every argument in `^"…^"`. */
const CHROME_CMD = /^curl(?:\.exe)?[ \t]+\^"/i;

/**
 * The words of a cmd.exe command line. shell-quote reads only POSIX shells, so this is the one
 * place with a hand-written reader, in two steps as Windows does it:
 * 1. cmd.exe: CRs are dropped; outside "…", `^X` is X and `^` + newline joins the next line,
 *    whose first character is then literal (Chrome writes a newline in a string as `^` + two
 *    newlines); inside "…" a `^` is literal.
 * 2. The C runtime's argv rules (which curl.exe uses): whitespace outside quotes splits words, `"`
 *    opens and closes quoting, `""` inside quotes is one `"`, and 2n backslashes before a `"` are n
 *    backslashes (the quote then counts) while 2n+1 are n and a literal `"`; other backslashes are
 *    literal.
 */
export function cmdWords(command: string): string[] {
  // step 1: cmd.exe's carets (cmd.exe drops every CR as it reads a line)
  const text = command.replaceAll('\r', '');
  // Chrome's form (`curl ^"…^"`) escapes every quote, so cmd.exe sees none: one native pass
  const line = CHROME_CMD.test(text.slice(0, 20)) ? text.replace(/\^\n?([\s\S])/g, '$1') : cmdCarets(text);

  // step 2: the C runtime's argv
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let inQuote = false;
  let seg = 0;
  const OUTSIDE = /[\\" \t\n]/g;
  const INSIDE = /[\\"]/g;
  for (;;) {
    const SPECIAL = inQuote ? INSIDE : OUTSIDE;
    SPECIAL.lastIndex = seg;
    const m = SPECIAL.exec(line);
    if (!m) break;
    let i = m.index;
    const c = m[0];
    if (c !== '\\' && c !== '"') {
      // whitespace outside quotes ends a word
      word += line.slice(seg, i);
      if (inWord || word !== '') words.push(word);
      word = '';
      inWord = false;
      seg = i + 1;
      continue;
    }
    word += line.slice(seg, i);
    inWord = true;
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        word += '\\'.repeat(n >> 1);
        if (n % 2 === 1) {
          word += '"';
          i += n + 1; // past the quote
        } else i += n; // the quote is read next
      } else {
        word += '\\'.repeat(n);
        i += n;
      }
    } else if (inQuote && line[i + 1] === '"') {
      word += '"';
      i += 2;
    } else {
      inQuote = !inQuote;
      i += 1;
    }
    seg = i;
  }
  if (inQuote)
    throw new CurlError(
      'The curl command (Windows cmd style) has an unterminated double quote: the paste may be cut off. Copy the whole command again.',
    );
  word += line.slice(seg);
  if (inWord || word !== '') words.push(word);
  return words;
}

/** cmd.exe's carets, when the text has quotes cmd.exe sees (inside them a ^ is literal). */
function cmdCarets(text: string): string {
  const parts: string[] = [];
  let seg = 0;
  let quoted = false;
  const CARET_OR_QUOTE = /[\^"]/g;
  for (let m = CARET_OR_QUOTE.exec(text); m; m = CARET_OR_QUOTE.exec(text)) {
    const i = m.index;
    if (m[0] === '"') quoted = !quoted;
    else if (!quoted) {
      parts.push(text.slice(seg, i));
      // ^X is X; ^ + newline drops the newline and takes the next character as it is
      const skip = text[i + 1] === '\n' ? 2 : 1;
      seg = i + skip;
      CARET_OR_QUOTE.lastIndex = seg + 1; // the escaped character is never special
    }
  }
  parts.push(text.slice(seg));
  return parts.join('');
}

/** The words of the command (after `curl`), and notes on what the shell step did. */
function words(text: string, notes: Rich[]): string[] {
  const prepared = prepareShellText(text);
  if (prepared.dollar)
    notes.push([
      'The command holds $… (a shell variable or command substitution): a shell would replace it before curl runs; keybench keeps the text as written.',
    ]);
  const entries = shellParse(prepared.text, (name: string) => '$' + name);
  const { literals } = prepared;
  /** Puts the long quoted strings back into a word. */
  const restore = (w: string): string =>
    literals.length > 0 && w.includes(MARK_OPEN)
      ? w.replace(MARK, (_m, k: string) => literals[Number(k)] ?? '')
      : w;
  const out: string[] = [];
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k];
    if (e === undefined) break;
    if (typeof e === 'string') out.push(restore(e));
    else if ('comment' in e) break;
    else if (e.op === 'glob') out.push(restore(e.pattern));
    else if (REDIRECTIONS.has(e.op)) {
      // bash takes the word after a redirection as its file; the words after it are still curl's
      const target = entries[k + 1];
      if (target === undefined || (typeof target === 'object' && 'op' in target && target.op !== 'glob'))
        throw new CurlError(
          rich`The redirection ${e.op} has no file after it: bash would refuse the command.`,
        );
      notes.push(
        rich`The redirection ${e.op} is bash's, not curl's: the words after its file are still read.`,
      );
      k++;
    } else {
      notes.push(
        rich`Stopped reading at the shell operator ${e.op}: what follows it is another command, not part of the request.`,
      );
      break;
    }
  }
  if (prepared.ended) notes.push(['Stopped reading at the end of the line: a newline ends a bash command.']);
  return out;
}

/** The shell-quote operators that redirect a file, not end the command (`2>` is read in prepareShellText). */
const REDIRECTIONS = new Set(['>', '>>', '<', '>&', '<&', '>|', '<>', '<<<']);

/** The error message for data read from a file or stdin, which the paste does not hold. */
function fromFile(option: string, value: string): CurlError {
  const what: Rich = value === '@-' ? ['standard input'] : rich`the file ${value.slice(1)}`;
  return new CurlError([
    ...rich`${option} ${value} sends the bytes of `,
    ...what,
    ", which are not in the paste, so the body cannot be known. Paste the command with the body written out (e.g. --data-raw '…'), or the request as raw HTTP or HAR.",
  ]);
}

/** What the options of one curl command say about the request, gathered in order. */
interface CurlOptions {
  notes: Rich[];
  method?: string;
  get: boolean;
  head: boolean;
  pathAsIs: boolean;
  globOff: boolean;
  requestTarget?: string;
  urls: string[];
  /** -H headers, as sent. */
  custom: [string, string][];
  /** Headers an empty -H stops curl adding itself (lower case). */
  removed: Set<string>;
  /** Headers curl derives from other options (-A, -e, -b, -u…). */
  derived: [string, string][];
  cookies: string[];
  data: DataPiece[];
  json: boolean;
  /** The first option keybench does not know (it may take an argument). */
  unknown?: string;
  user?: string;
  /** -C N (N > 0) and else the last -r: the Range header curl sends. */
  range?: string;
  resume: number;
  /** curl's --basic/--digest/… choices (`authtype`); none chosen means Basic. */
  auth: Set<string>;
}

/** A fresh {@link CurlOptions}, writing its notes into `notes`. */
function noOptions(notes: Rich[]): CurlOptions {
  return {
    notes,
    get: false,
    head: false,
    pathAsIs: false,
    globOff: false,
    urls: [],
    custom: [],
    removed: new Set(),
    derived: [],
    cookies: [],
    data: [],
    json: false,
    resume: 0,
    auth: new Set(),
  };
}

/** Handles one option: `arg` is its argument (or ''), `shown` the option as written, `name` its long name. */
type OptionHandler = (o: CurlOptions, arg: string, shown: string, name: string) => void;

/** -H: a header curl sends, removes (`Name:`) or sends empty (`Name;`); from a file: refused. */
function headerOption(o: CurlOptions, arg: string, shown: string): void {
  if (arg.startsWith('@'))
    throw new CurlError(
      rich`${shown} ${arg} reads headers from a file, which is not in the paste. Write the headers out with -H 'Name: value'.`,
    );
  const colon = arg.indexOf(':');
  const semi = arg.indexOf(';');
  if (colon === -1) {
    if (semi > 0 && isCBlank(arg.slice(semi + 1))) o.custom.push([arg.slice(0, semi), '']);
    else o.notes.push(rich`Ignored ${shown} ${arg}: it has no colon, so curl sends no such header.`);
    return;
  }
  const hname = arg.slice(0, colon);
  const value = arg.slice(colon + 1);
  if (!HEADER_NAME.test(hname))
    throw new CurlError(
      rich`${shown} ${arg}: ${hname} is not a header name (letters, digits and !#$%&'*+.^_\`|~- only, no spaces). curl sends it as written and servers read it in different ways.`,
    );
  if (/[\r\n\0]/.test(value))
    throw new CurlError(
      rich`${shown} ${arg}: the value holds a line break or NUL. curl sends it as written, so the server reads more header lines than the paste shows.`,
    );
  if (isCBlank(value)) {
    // curl: "Name:" with no value is not sent; it only stops curl adding a header of its own
    // (Host, User-Agent, Accept, Content-Type…), never another -H of the same name
    o.removed.add(hname.toLowerCase());
    o.notes.push(rich`${shown} ${arg} is not sent: it only stops curl adding a ${hname} header of its own.`);
    return;
  }
  // curl sends the line as written; a server reads the value without the SP/HTAB around it
  o.custom.push([hname, trimOws(value)]);
}

/** -d, --data-ascii, --data-binary, --json: data as written; from a file (`@…`): refused. */
const dataOption: OptionHandler = (o, arg, shown, name) => {
  if (arg.startsWith('@')) throw fromFile(shown, arg);
  o.data.push({ text: arg, json: name === 'json' });
  if (name === 'json') o.json = true;
};

/** --data-urlencode: `content`, `=content`, `name=content` encoded; `name@file`: refused. */
const urlencodeOption: OptionHandler = (o, arg, shown) => {
  let at = arg.indexOf('=');
  if (at === -1) at = arg.indexOf('@');
  if (at !== -1 && arg[at] === '@') throw fromFile(shown, arg);
  const content = at === -1 ? arg : arg.slice(at + 1);
  const prefix = at > 0 ? arg.slice(0, at) + '=' : '';
  o.data.push({ text: prefix + curlUrlEncode(content), json: false });
};

/** An option whose request keybench cannot know from the paste: refused with this message. */
const refused =
  (message: (shown: string, arg: string) => Rich): OptionHandler =>
  (_o, arg, shown) => {
    throw new CurlError(message(shown, arg));
  };

/** -F, --form-string: a multipart body, whose boundary curl picks at random: refused. */
const multipart = refused(
  (shown) =>
    rich`${shown} builds a multipart/form-data body whose boundary curl picks at random when it runs, so the bytes sent cannot be known from the paste. Paste the request as raw HTTP or HAR (from the browser or curl -v) instead.`,
);

/** --basic, --digest, --ntlm…: an authentication scheme curl may use (`--no-…` takes it back). */
const authOption: OptionHandler = (o, _arg, shown, name) => {
  if (shown.startsWith('--no-')) o.auth.delete(name);
  else o.auth.add(name);
};

/** The options that change the request, by long name; every other known option changes nothing. */
const REQUEST_OPTIONS: Record<string, OptionHandler> = {
  request: (o, arg) => void (o.method = arg),
  get: (o) => void (o.get = true),
  head: (o) => void (o.head = true),
  url: (o, arg) => void o.urls.push(arg),
  header: headerOption,
  data: dataOption,
  'data-ascii': dataOption,
  'data-binary': dataOption,
  json: dataOption,
  'data-raw': (o, arg) => void o.data.push({ text: arg, json: false }),
  'data-urlencode': urlencodeOption,
  form: multipart,
  'form-string': multipart,
  'upload-file': refused(
    (shown, arg) =>
      rich`${shown} ${arg} sends the bytes of a file, which are not in the paste, so the body cannot be known. Paste the request with the body written out.`,
  ),
  config: refused(
    (shown, arg) =>
      rich`${shown} ${arg} reads more options from a file, which is not in the paste. Paste the full command.`,
  ),
  next: refused(
    (shown) =>
      rich`${shown} starts a second request in the same command: keybench reads one request. Paste one at a time.`,
  ),
  'user-agent': (o, arg) => void o.derived.push(['User-Agent', arg]),
  referer: (o, arg) => {
    const ref = arg.endsWith(';auto') ? arg.slice(0, -5) : arg;
    if (ref !== '') o.derived.push(['Referer', ref]);
  },
  cookie: (o, arg, shown) => {
    if (arg.includes('=')) o.cookies.push(arg);
    else
      o.notes.push(
        rich`${shown} ${arg} reads cookies from a file that is not in the paste: no Cookie header is shown.`,
      );
  },
  user: (o, arg, shown) => {
    if (!arg.includes(':'))
      o.notes.push(
        rich`${shown} ${arg} has no password: curl would ask for it, so the Authorization header is not known.`,
      );
    else o.user = arg;
  },
  'oauth2-bearer': (o, arg) => void o.derived.push(['Authorization', 'Bearer ' + arg]),
  range: (o, arg) => void (o.range = arg),
  // curl sends this in place of the URL's path and query: that is what the server reads
  'request-target': (o, arg) => void (o.requestTarget = arg),
  'aws-sigv4': refused(
    (shown) =>
      rich`${shown}: curl computes an AWS signature (Authorization, X-Amz-Date) when it runs, from the clock: the headers sent are not in the paste. Paste the request as raw HTTP (curl -v shows it).`,
  ),
  'time-cond': refused(
    (shown, arg) =>
      rich`${shown} ${arg}: curl adds an If-Modified-Since or If-Unmodified-Since header it computes from a date or a file's time, which keybench does not model. Write the header out with -H.`,
  ),
  'etag-compare': refused(
    (shown, arg) =>
      rich`${shown} ${arg} sends an If-None-Match header read from a file, which is not in the paste. Write the header out with -H.`,
  ),
  'continue-at': (o, arg, shown) => {
    if (!/^\d{1,15}$/.test(arg))
      throw new CurlError(
        rich`${shown} ${arg}: curl computes the Range header from the size of the output file, which is not in the paste.`,
      );
    o.resume = Number(arg);
  },
  'url-query': refused((shown) => rich`${shown} is not supported: write the query into the URL instead.`),
  variable: (o, arg, shown) =>
    void o.notes.push(rich`${shown} ${arg}: curl variables ({{name}}) are not expanded by keybench.`),
  'path-as-is': (o, _arg, shown) => void (o.pathAsIs = !shown.startsWith('--no-')),
  globoff: (o, _arg, shown) => void (o.globOff = !shown.startsWith('--no-')),
  basic: authOption,
  digest: authOption,
  ntlm: authOption,
  'ntlm-wb': authOption,
  negotiate: authOption,
  anyauth: (o) => {
    for (const a of ['basic', 'digest', 'ntlm', 'negotiate']) o.auth.add(a);
  },
  compressed: (o) =>
    void o.notes.push(['--compressed: curl also sends an Accept-Encoding header it chooses itself.']),
};

/** Handles one option by its long name, with its argument if it takes one. */
function applyOption(o: CurlOptions, name: string, shown: string, arg: string): void {
  const handler = Object.hasOwn(REQUEST_OPTIONS, name) ? REQUEST_OPTIONS[name] : undefined;
  handler?.(o, arg, shown, name);
}

/** An option keybench does not know: noted, and the first one kept for the many-URLs message. */
function unknownOption(o: CurlOptions, shown: string): void {
  o.unknown ??= shown;
  o.notes.push(rich`Ignored the curl option ${shown}, which keybench does not know.`);
}

/** A `--long` option word; `next` takes its argument from the next word. */
function longOption(o: CurlOptions, w: string, next: (shown: string) => string): void {
  let name = w.slice(2);
  if (name.startsWith('no-') && FLAGS.has(name.slice(3))) name = name.slice(3);
  if (takesArg(name)) applyOption(o, name, w, next(w));
  else if (FLAGS.has(name) || REQUEST_FLAGS.has(name)) applyOption(o, name, w, '');
  else unknownOption(o, w);
}

/** Short options, possibly combined (-sSL) or with the argument attached (-XPOST). */
function shortOptions(o: CurlOptions, w: string, next: (shown: string) => string): void {
  for (let k = 1; k < w.length; k++) {
    const letter = w[k] ?? '';
    const name = Object.hasOwn(SHORT, letter) ? SHORT[letter] : undefined;
    const shown = '-' + letter;
    if (name === undefined) {
      unknownOption(o, shown);
      continue;
    }
    if (takesArg(name)) {
      const rest = w.slice(k + 1);
      applyOption(o, name, shown, rest !== '' ? rest : next(shown));
      return;
    }
    applyOption(o, name, shown, '');
  }
}

/** Reads the words after `curl` into {@link CurlOptions}: options, their arguments and URLs. */
function readOptions(argv: string[], notes: Rich[]): CurlOptions {
  const o = noOptions(notes);
  let i = 0;
  let endOfOptions = false;
  /** The argument of the option at argv[i], taken from the next word. */
  const next = (shown: string): string => {
    i++;
    const a = argv[i];
    if (a === undefined) throw new CurlError(rich`${shown} needs an argument, and the command ends there.`);
    return a;
  };
  for (; i < argv.length; i++) {
    const w = argv[i] ?? '';
    if (endOfOptions || !w.startsWith('-') || w === '-') {
      if (w !== '') o.urls.push(w);
    } else if (w === '--') endOfOptions = true;
    else if (w.startsWith('--')) longOption(o, w, next);
    else shortOptions(o, w, next);
  }
  return o;
}

/** The one URL the command gives, as written; refused when there is none, several, or curl would refuse it. */
function writtenUrl(o: CurlOptions): string {
  const { urls, unknown } = o;
  if (urls.length === 0)
    throw new CurlError(
      'The curl command has no URL. Copy the whole command, including the https://… address.',
    );
  if (urls.length > 1)
    throw new CurlError([
      `The curl command has ${urls.length} URLs (`,
      ...urls.slice(0, 5).flatMap((w, k) => (k > 0 ? [', ', u(w.slice(0, 60))] : [u(w.slice(0, 60))])),
      urls.length > 5 ? ', …' : '',
      '); keybench reads one request.',
      ...(unknown ? rich` (Perhaps ${unknown}, which keybench does not know, takes an argument.)` : []),
    ]);
  const written = urls[0] ?? '';
  if (!o.globOff && /[{}[\]]/.test(written))
    throw new CurlError(
      rich`The URL ${written} holds { } or [ ]: curl expands them into several requests (URL globbing). Add -g (--globoff) to send it as written, or percent-encode them.`,
    );
  if (/[ \\]/.test(withoutFragment(written)))
    throw new CurlError(
      rich`The URL ${written} holds a space or a backslash: curl refuses it ("URL using bad/illegal format"). Percent-encode it (%20, %5C).`,
    );
  return written;
}

/**
 * The URL curl sends for the written one (before -G adds the data), with --request-target applied;
 * credentials in it (or -u) become a derived Authorization header.
 */
function urlSent(o: CurlOptions, written: string): string {
  // (curl rebuilds a -G URL with its URL parser, which removes dot segments even with --path-as-is)
  const sent = curlSentUrl(written, o.pathAsIs && !(o.get && o.data.length > 0));
  let url = sent.url;
  // curl sends credentials (-u, else user:password@ in the URL) as Authorization: Basic, unless
  // -u or oauth2-bearer says otherwise
  const credentials = o.user ?? (sent.userinfo !== undefined ? decodeUserinfo(sent.userinfo) : undefined);
  if (credentials !== undefined && !o.derived.some(([k]) => k.toLowerCase() === 'authorization'))
    o.derived.push(...authorization(credentials, o.auth, o.notes));
  const { requestTarget } = o;
  if (requestTarget !== undefined) {
    if (!requestTarget.startsWith('/'))
      throw new CurlError(
        rich`--request-target ${requestTarget} is not a path: keybench reads requests sent to a path (/…).`,
      );
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const origin = slash === -1 ? url : url.slice(0, slash);
    o.notes.push(rich`--request-target: curl sends ${requestTarget} in place of the URL's path and query.`);
    url = origin + requestTarget;
  }
  if (url !== written)
    o.notes.push(
      rich`curl sends the URL ${url}, not ${written} as written (${ours(sent.why.join('; '))}): the URL sent is the one read.`,
    );
  return url;
}

/** The data options joined as curl joins them: `&` between pieces, none before a --json piece. */
function joinedData(o: CurlOptions): string {
  const { data } = o;
  let body = '';
  for (const [k, piece] of data.entries()) {
    const prev = data[k - 1];
    // (curl appends --json data with no separator, even after -d: `-d a --json b` sends `ab`)
    body += (prev && !piece.json ? '&' : '') + piece.text;
  }
  if (data.length > 1)
    o.notes.push(
      rich`curl joins the ${data.length} data options into one body${ours(o.json ? '' : ' with &')}.`,
    );
  return body;
}

/** The method curl sends: -X as written (an HTTP token, else refused), else from -I, -G and the data. */
function methodSent(o: CurlOptions): string {
  const { method, head, get, data } = o;
  if (head && data.length > 0 && !get)
    throw new CurlError(
      '-I (HEAD) with data to post: curl refuses the command ("You can only select one HTTP request method!") and sends nothing.',
    );
  if (method === undefined) return head ? 'HEAD' : get ? 'GET' : data.length > 0 ? 'POST' : 'GET';
  if (!HTTP_TOKEN.test(method))
    throw new CurlError(
      rich`-X ${method} is not an HTTP method (letters, digits and !#$%&'*+.^_\`|~- only): curl writes it into the request line as it is, so a space, a line break or a path in it sends another request than the one the paste shows.`,
    );
  return method;
}

/**
 * The headers curl sends: those it derives from options first (Range, Cookie…), unless a -H of
 * the same name replaces one or an empty -H removes it; then the -H headers; then the
 * Content-Type and Accept curl adds for --json and the data.
 */
function headersSent(o: CurlOptions): [string, string][] {
  const { derived, custom, removed, data } = o;
  if (o.resume > 0) derived.push(['Range', `bytes=${o.resume}-`]);
  else if (o.range !== undefined) derived.push(['Range', 'bytes=' + o.range]);
  const given = new Set(custom.map(([k]) => k.toLowerCase()));
  if (o.cookies.length > 0) derived.push(['Cookie', o.cookies.join(';')]); // as curl joins them
  // an empty -H removes only the headers curl adds itself, never a -H header
  const ownKept = ([k]: [string, string]): boolean =>
    !given.has(k.toLowerCase()) && !removed.has(k.toLowerCase());
  const kept: [string, string][] = [...derived.filter(ownKept), ...custom];
  if (o.json) {
    for (const h of ['Content-Type', 'Accept']) if (ownKept([h, ''])) kept.push([h, 'application/json']);
  }
  if (data.length > 0 && !o.get && !kept.some(([k]) => k.toLowerCase() === 'content-type')) {
    if (removed.has('content-type'))
      o.notes.push(['The Content-Type header is removed: curl sends the data with no Content-Type.']);
    else {
      // curl adds this header itself for -d and its kin: it is sent, and some schemes sign it
      kept.push(['Content-Type', 'application/x-www-form-urlencoded']);
      o.notes.push([
        'No Content-Type given: curl adds Content-Type: application/x-www-form-urlencoded for the data (shown among the headers).',
      ]);
    }
  }
  return kept;
}

/** Reads a curl command into a request, or throws a CurlError. */
function readCurl(text: string): ParsedRequest {
  const notes: Rich[] = [];
  const argv = isCmdStyle(text) ? cmdWords(text) : words(text, notes);
  if (argv.length > MAX_WORDS)
    throw new CurlError(
      [`The curl command has ${argv.length} words: keybench reads commands of up to ${MAX_WORDS}.`],
      'ERR_REQUEST_TOO_LARGE',
    );
  argv.shift(); // "curl" or "curl.exe"
  const o = readOptions(argv, notes);
  const written = writtenUrl(o);
  let url = urlSent(o, written);
  let body = joinedData(o);
  if (o.get && o.data.length > 0) {
    url = url + (url.includes('?') ? '&' : '?') + body;
    body = '';
    notes.push(['-G/--get: curl sends the data in the URL query string, not in the body.']);
  }
  const method = methodSent(o);
  return { source: 'curl', method, url, headers: headersSent(o), body, notes };
}

/**
 * The URL as curl sends it: http:// when there is no scheme, no #fragment, and (unless
 * --path-as-is) the path without ./ and ../ segments, as curl 7.88+ does (checked against curl in
 * the tests). An empty path is `/`.
 */
function curlSentUrl(written: string, pathAsIs: boolean): { url: string; why: string[]; userinfo?: string } {
  const why: string[] = [];
  let url = withoutFragment(written);
  if (url !== written) why.push('curl never sends the #fragment');
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) {
    url = 'http://' + url;
    why.push('the URL has no scheme: curl uses http://');
  }
  const afterScheme = url.indexOf('//') + 2;
  let pathStart = afterScheme;
  while (pathStart < url.length && url[pathStart] !== '/' && url[pathStart] !== '?') pathStart++;
  // user:password@ is not part of the URL sent: curl sends it as an Authorization header
  let userinfo: string | undefined;
  const at = url.lastIndexOf('@', pathStart);
  if (at >= afterScheme) {
    userinfo = url.slice(afterScheme, at);
    url = url.slice(0, afterScheme) + url.slice(at + 1);
    pathStart -= at + 1 - afterScheme;
    why.push('curl sends user:password@ as an Authorization header, not in the URL');
  }
  const q = url.indexOf('?', pathStart);
  const pathEnd = q === -1 ? url.length : q;
  const asWritten = url.slice(pathStart, pathEnd);
  let path = asWritten;
  if (path === '') {
    path = '/';
    why.push('an empty path is sent as /');
  } else if (!pathAsIs) {
    path = removeDotSegments(path);
    if (path !== asWritten) why.push('curl removes ./ and ../ segments unless --path-as-is');
  }
  if (/[\u0080-\u{10ffff}]/u.test(path)) {
    // curl 7.88 percent-encodes the UTF-8 bytes of a non-ASCII path, lower-case hex (not the query)
    path = [...new TextEncoder().encode(path)]
      .map((b) => (b < 0x80 ? String.fromCharCode(b) : '%' + b.toString(16).padStart(2, '0')))
      .join('');
    why.push('curl percent-encodes the non-ASCII characters of the path');
  }
  return { url: url.slice(0, pathStart) + path + url.slice(pathEnd), why, userinfo };
}

/** An HTTP header name or method (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** An RFC 9110 token: what a method must be. */
export const HTTP_TOKEN = HEADER_NAME;

/**
 * The Authorization header curl sends on its FIRST request for these credentials: Basic when
 * Basic is the only scheme allowed (the default); none when curl waits for the server's challenge
 * (--digest, --negotiate, --anyauth, or several schemes), and a note says so. NTLM writes a
 * handshake message of its own: refused.
 */
function authorization(credentials: string, auth: Set<string>, notes: Rich[]): [string, string][] {
  if (auth.size === 0 || (auth.size === 1 && auth.has('basic')))
    return [['Authorization', 'Basic ' + base64Utf8(credentials)]];
  if (auth.size === 1 && (auth.has('ntlm') || auth.has('ntlm-wb')))
    throw new CurlError(
      '--ntlm: curl writes an NTLM handshake as the Authorization header, which keybench does not model. Paste the request as raw HTTP (curl -v shows it).',
    );
  notes.push([
    `--${[...auth].join('/--')}: curl sends no Authorization header on its first request; it answers the server's challenge with one it computes then. The request read is the first one.`,
  ]);
  return [];
}

/** user:password from a URL, percent-decoded as curl does (undecodable text is kept as written). */
function decodeUserinfo(userinfo: string): string {
  try {
    return decodeURIComponent(userinfo);
  } catch {
    return userinfo;
  }
}

/** The start of a curl command: `curl` or `curl.exe`, maybe after a `$ ` prompt. */
export const CURL_START = /^(?:\$[ \t]+)?curl(?:\.exe)?(?=[\s\\^]|$)/i;

/** Parses a pasted curl command; the text is known to start with {@link CURL_START}. */
export function parseCurl(text: string): RequestParse {
  const start = text.replace(/^\$[ \t]+/, '');
  try {
    return { kind: 'request', request: readCurl(start) };
  } catch (e) {
    const parts: Rich =
      e instanceof CurlError
        ? e.parts
        : rich`The curl command could not be read: ${e instanceof Error ? e.message : String(e)}`;
    const code = e instanceof CurlError ? e.code : 'ERR_REQUEST_PARSE';
    return { kind: 'error', source: 'curl', code, parts, message: plain(parts) };
  }
}
