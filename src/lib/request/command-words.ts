/**
 * The words of a pasted command line as the shell hands them to the program: bash (or any POSIX
 * shell: '…', "…", $'…' whose \xHH and \NNN are bytes read as strict UTF-8, `\` escapes and
 * continuations, comments, operators, redirections) or Windows cmd.exe (carets, then the C
 * runtime's argv rules). One linear pass each; nothing is run. What bash would change before the
 * program runs (`$(…)`, backticks, `~`, `{a,b}`, here-documents) is refused; `$NAME` is kept as
 * written, with a note. The real bash + curl differential
 * (tests/unit/request/curl-differential.test.ts) is the judge.
 */
import { ours, plain, rich, type Rich } from '../rich';
import { UTF8 } from './text';

/** A failure to read a form that is clearly meant, with a message for the person who pasted it. */
export class ReadError extends Error {
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

/** The most words read from a command (a real one has tens). */
const MAX_WORDS = 10_000;

/** The refusal for a command of more than {@link MAX_WORDS} words. */
const tooManyWords = (): ReadError =>
  new ReadError(
    [`The curl command has more than ${MAX_WORDS} words: keybench reads commands up to that size.`],
    'ERR_REQUEST_TOO_LARGE',
  );

/** Plain unquoted word characters: nothing bash reads specially. */
const BARE = /[^ \t\r\n|&;<>()'"\\$#`]+/y;
/** The characters that mean something inside double quotes. */
const SPECIAL_IN_DOUBLE = /[\\"$`]/g;
/** Characters that end a word for bash, apart from blanks. */
const OPERATORS = ';|&()<>';
/** bash's control and redirection operators, longest first (`&>` is read as `>`). */
const OPERATOR = /\|\||&&|;;&?|[;|]&|<<<|>>|>[&|]|<[&>]|[;|&()<>]/y;
/** The operators that redirect a file: the word after one is its file, not curl's. */
const REDIRECTIONS = new Set(['>', '>>', '<', '>&', '<&', '>|', '<>', '<<<']);

/** Whether `$` + this character is something bash expands (`$NAME`, `${X}`, `$1`, `$$`…). */
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_{(0-9@*#?!$-]/.test(c);

/** 1-based line number of a position, for messages. */
function lineOf(text: string, at: number): number {
  return text.slice(0, at).split('\n').length;
}

/** The refusal for a command substitution (`$(…)`, backticks) or a process substitution (`<(…)`). */
function substitution(text: string, at: number): ReadError {
  return new ReadError(
    rich`The command runs another command inside it (${text.slice(at, at + 24)}…): bash replaces that with its output before curl runs, so the bytes sent cannot be known from the paste. Paste the command with the value written out.`,
  );
}

/** The refusal for a quote that never closes. */
function unterminated(what: string, text: string, at: number): ReadError {
  return new ReadError(
    rich`The curl command has an unterminated ${ours(what)}, opened on line ${lineOf(text, at)}: the paste may be cut off. Copy the whole command again.`,
  );
}

/** The text inside bash double quotes: `\` + newline vanishes, `\` before `\ " $ `` is dropped. */
function decodeDouble(raw: string): string {
  // (a replacement pattern, not a callback: native speed on a 1 MB body; $1 is empty for a newline)
  return raw.replace(/\\(?:\r?\n|([\\"$`]))/g, '$1');
}

/** The single-character escapes of `$'…'`, by the letter after the backslash. */
const ANSI_C_LETTERS: Record<string, string> = Object.fromEntries(
  [...'abeEfnrtv\\\'"?'].map((c, k) => [c, '\x07\b\x1b\x1b\f\n\r\t\v\\\'"?'[k] ?? '']),
);

/** The refusal for $'…' bytes that are not UTF-8 text. */
function notUtf8(bytes: number[]): ReadError {
  const shown = bytes
    .slice(0, 8)
    .map((b) => '\\x' + b.toString(16).padStart(2, '0'))
    .join('');
  return new ReadError(
    rich`A $'…' string in the command holds bytes that are not UTF-8 text (${shown}): the body or header curl would send is not text, so keybench cannot show exactly what would be sent.`,
  );
}

/**
 * The text inside bash `$'…'`, as bash reads it: \a \b \e \E \f \n \r \t \v \\ \' \" \?,
 * \cX, \uHHHH and \UHHHHHHHH (a character, UTF-8 in a UTF-8 locale), and \nnn octal and \xHH,
 * which are BYTES: `$'caf\xc3\xa9'` is "café". Any other `\X` stays as written; a NUL ends the
 * string. The bytes must be UTF-8 text (a run of byte escapes is decoded strictly), else a
 * ReadError: the body or header would not be text, and keybench cannot show what is sent. A plain
 * loop over the backslashes: a regex replace with a callback took ~200 ms on a 1 MB body.
 */
export function decodeAnsiC(raw: string): string {
  const out: string[] = [];
  let seg = 0;
  const n = raw.length;
  /** Bytes from \xHH and \nnn not yet decoded (a character may take several escapes). */
  let bytes: number[] = [];
  const push = (text: string): void => {
    if (bytes.length > 0) {
      try {
        out.push(UTF8.decode(new Uint8Array(bytes)));
      } catch {
        throw notUtf8(bytes);
      }
      bytes = [];
    }
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
      for (len = 1; len < 4 && i + len < n; len++) {
        const d = raw.charCodeAt(i + len) - 0x30;
        if (d < 0 || d > 7) break;
        v = v * 8 + d;
      }
      bytes.push(v & 0xff);
    } else if (c === 'x' || c === 'u' || c === 'U') {
      const max = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      let v = 0;
      let k = 0;
      for (; k < max; k++) {
        const d = parseInt(raw[i + 2 + k] ?? '', 16);
        if (Number.isNaN(d)) break;
        v = v * 16 + d;
      }
      len = 2 + k;
      if (k === 0) push(raw.slice(i, i + len));
      else if (c === 'x') bytes.push(v);
      else if (v >= 0xd800 && v <= 0xdfff)
        // bash writes a lone surrogate as its 3-byte form (ED A0 80), which is not UTF-8 text
        throw new ReadError(
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

/**
 * The quoted string at `at` ('…', "…", $"…" or $'…'): its text as bash reads it, where it ends,
 * and whether it holds a `$` bash would expand. ($"…", a translated string, is read as "…".)
 */
function quoted(text: string, at: number): { value: string; end: number; dollar: boolean } {
  const ansi = text.startsWith("$'", at);
  const quote = ansi ? "'" : (text[at + (text[at] === '$' ? 1 : 0)] ?? '');
  const start = text.indexOf(quote, at) + 1;
  let dollar = false;
  for (let j = start; ;) {
    if (quote === "'") {
      // in $'…', a ' after an odd run of backslashes is escaped
      j = text.indexOf("'", j);
      if (j === -1) throw unterminated(ansi ? "$'…' string" : "single quote (')", text, at);
      let slashes = 0;
      while (ansi && text[j - slashes - 1] === '\\' && j - slashes - 1 >= start) slashes++;
      if (slashes % 2 === 0) {
        const raw = text.slice(start, j);
        return { value: ansi ? decodeAnsiC(raw) : raw, end: j + 1, dollar };
      }
      j++;
      continue;
    }
    SPECIAL_IN_DOUBLE.lastIndex = j;
    const m = SPECIAL_IN_DOUBLE.exec(text);
    if (!m) throw unterminated('double quote (")', text, at);
    j = m.index + 1;
    if (m[0] === '\\') j++;
    else if (m[0] === '`' || (m[0] === '$' && text[j] === '(')) throw substitution(text, m.index);
    else if (m[0] === '$') dollar ||= isNameStart(text[j]);
    else return { value: decodeDouble(text.slice(start, j - 1)), end: j, dollar };
  }
}

/**
 * Refuses what bash would expand in an unquoted run of word characters: a `~` that starts a word
 * or follows `=` or `:` (the home directory), and braces with a `,` or `..` inside (one word
 * becomes several). `brace` carries the braces open in the word across its runs.
 */
function expansions(w: string, wordStart: boolean, brace: { depth: number; sep: boolean }): void {
  for (let k = 0; k < w.length; k++) {
    const ch = w[k];
    const before = w[k - 1];
    if (
      ch === '~' &&
      ((k === 0 && wordStart) || before === '=' || (before === ':' && w.slice(0, k).includes('=')))
    )
      throw new ReadError(
        rich`The unquoted ~ in ${w} is replaced by bash with a home directory before curl runs, so the bytes sent are not the ones written. Quote it ('~') or write the path out.`,
      );
    if (ch === '{') brace.depth++;
    else if (brace.depth > 0 && (ch === ',' || (ch === '.' && w[k + 1] === '.'))) brace.sep = true;
    else if (ch === '}' && brace.depth > 0) {
      if (brace.sep)
        throw new ReadError(
          rich`The unquoted braces in ${w} are expanded by bash into several words ({a,b} becomes a b) before curl runs, so curl does not get the text written. Quote the word ('…').`,
        );
      brace.depth--;
    }
  }
}

/**
 * The words bash hands to the command, as one linear pass reads them; notes on what the shell
 * does go to `notes`. The command ends at a newline, a comment or a control operator (`|`, `;`,
 * `&&`…); the text after it is still checked for what bash would refuse or run. A redirection
 * takes the next word as its file; a file descriptor before one (`2>`) is not a word.
 */
export function shellWords(text: string, notes: Rich[]): string[] {
  const words: string[] = [];
  const said: Rich[] = [];
  const n = text.length;
  let word = '';
  /** A word is open (it may be empty: `''`). */
  let open = false;
  /** A control operator ended the command: later words belong to another command. */
  let stopped = false;
  /** A redirection waiting for its file. */
  let redirect: string | undefined;
  let dollar = false;
  let ended = false;
  let brace = { depth: 0, sep: false };
  const add = (part: string): void => {
    word += part;
    open = true;
  };
  const noFile = (): ReadError =>
    new ReadError(
      rich`The redirection ${redirect ?? ''} has no file after it: bash would refuse the command.`,
    );
  const endWord = (): void => {
    if (open && redirect !== undefined) redirect = undefined;
    else if (open && !stopped && words.push(word) > MAX_WORDS) throw tooManyWords();
    word = '';
    open = false;
    brace = { depth: 0, sep: false };
  };
  let i = 0;
  while (i < n) {
    const c = text[i] ?? '';
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
    } else if (c === '\n' || (c === '#' && !open)) {
      // a comment runs to the end of the line, and a newline ends the command: what follows is
      // another command for bash, never curl's arguments (only blank text after it: nothing ends)
      ended = c === '#' ? /\n\s*\S/.test(text.slice(i)) : text.slice(i).trim() !== '';
      break;
    } else if (c === '\\') {
      const k = next === '\n' ? 2 : next === '\r' && text[i + 2] === '\n' ? 3 : 0;
      if (k === 0) add(next ?? '\\');
      i += k || 2;
    } else if (c === "'" || c === '"' || (c === '$' && (next === '"' || next === "'"))) {
      const q = quoted(text, i);
      add(q.value);
      dollar ||= q.dollar;
      i = q.end;
    } else if (c === '`' || (c === '$' && next === '(') || ((c === '<' || c === '>') && next === '('))
      throw substitution(text, i);
    else if (c === '$' || c === '#') {
      // a `$` that bash would expand is kept as written, with a note; `#` inside a word is literal
      if (c === '$') dollar ||= isNameStart(next);
      add(c);
      i++;
    } else if (c === '<' && next === '<' && text[i + 2] !== '<')
      throw new ReadError(
        rich`The command feeds curl a here-document (${text.slice(i, i + 20)}…): keybench reads one command line, not the lines after it.`,
      );
    else if (OPERATORS.includes(c)) {
      // (bash's &>file, stdout and stderr to a file, is a redirection like >file)
      const at = c === '&' && next === '>' ? i + 1 : i;
      OPERATOR.lastIndex = at;
      const op = OPERATOR.exec(text)?.[0] ?? c;
      endWord();
      if (redirect !== undefined && !stopped) throw noFile();
      if (REDIRECTIONS.has(op)) {
        redirect = op;
        if (!stopped)
          said.push(
            rich`The redirection ${op} is bash's, not curl's: the words after its file are still read.`,
          );
      } else if (!stopped) {
        said.push(
          rich`Stopped reading at the shell operator ${op}: what follows it is another command, not part of the request.`,
        );
        stopped = true;
      }
      i = at + op.length;
    } else {
      BARE.lastIndex = i;
      const w = BARE.exec(text)?.[0] ?? c;
      expansions(w, !open, brace);
      // a file descriptor before a redirection (2>/dev/null) is not a word curl sees
      if (open || !/^\d+$/.test(w) || !/[<>]/.test(text[i + w.length] ?? '')) add(w);
      i += w.length;
    }
  }
  endWord();
  if (redirect !== undefined && !stopped) throw noFile();
  if (dollar)
    notes.push([
      'The command holds $… (a shell variable or command substitution): a shell would replace it before curl runs; keybench keeps the text as written.',
    ]);
  notes.push(...said);
  if (ended) notes.push(['Stopped reading at the end of the line: a newline ends a bash command.']);
  return words;
}

/**
 * Whether the command is written for Windows cmd.exe (Chrome's "Copy as cURL (cmd)"): its first
 * line ends with the `^` continuation, or the first argument is quoted as `^"…^"`.
 */
function isCmdStyle(text: string): boolean {
  const nl = text.indexOf('\n');
  const first = (nl === -1 ? text : text.slice(0, nl)).trimEnd();
  return CHROME_CMD.test(text.slice(0, 20)) || (nl !== -1 && / \^$/.test(first));
}
/** The start of Chrome's "Copy as cURL (cmd)": every argument in `^"…^"`. */
const CHROME_CMD = /^curl(?:\.exe)?[ \t]+\^"/i;

/**
 * The words of a cmd.exe command line, in two steps as Windows reads them:
 * 1. cmd.exe: CRs are dropped; outside "…", `^X` is X and `^` + newline joins the next line,
 *    whose first character is then literal (Chrome writes a newline in a string as `^` + two
 *    newlines); inside "…" a `^` is literal.
 * 2. The C runtime's argv rules (which curl.exe uses): whitespace outside quotes splits words, `"`
 *    opens and closes quoting, `""` inside quotes is one `"`, and 2n backslashes before a `"` are n
 *    backslashes (the quote then counts) while 2n+1 are n and a literal `"`; other backslashes are
 *    literal.
 */
function cmdWords(command: string): string[] {
  // step 1: cmd.exe's carets (cmd.exe drops every CR as it reads a line)
  const text = command.replaceAll('\r', '');
  // Chrome's form (`curl ^"…^"`) escapes every quote, so cmd.exe sees none: one native pass
  const line = CHROME_CMD.test(text.slice(0, 20)) ? text.replace(/\^\n?([\s\S])/g, '$1') : cmdCarets(text);

  // step 2: the C runtime's argv
  const words: string[] = [];
  /** The word being read; undefined between words. */
  let word: string | undefined;
  let quoted = false;
  /** Backslashes before a quote, a quote, other backslashes, a blank, or other text. */
  const TOKEN = /(\\*)"|\\+|[ \t\n]|[^\\" \t\n]+/g;
  for (let m = TOKEN.exec(line); m; m = TOKEN.exec(line)) {
    const [t, slashes] = m;
    if (!quoted && (t === ' ' || t === '\t' || t === '\n')) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    word ??= '';
    if (slashes === undefined) word += t;
    else {
      word += '\\'.repeat(slashes.length >> 1);
      if (slashes.length % 2 === 1) word += '"';
      else if (quoted && line[TOKEN.lastIndex] === '"') {
        word += '"';
        TOKEN.lastIndex++;
      } else quoted = !quoted;
    }
  }
  if (quoted)
    throw new ReadError(
      'The curl command (Windows cmd style) has an unterminated double quote: the paste may be cut off. Copy the whole command again.',
    );
  if (word !== undefined) words.push(word);
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

/** The words of a curl command as its shell hands them to curl (cmd.exe's when written for it). */
export function commandWords(text: string, notes: Rich[]): string[] {
  const words = isCmdStyle(text) ? cmdWords(text) : shellWords(text, notes);
  if (words.length > MAX_WORDS) throw tooManyWords();
  return words;
}
