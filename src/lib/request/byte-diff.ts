/**
 * What was signed against what was sent, byte by byte: the first difference, with the characters
 * people cannot see (CR, LF, tabs, a BOM, trailing spaces) made visible.
 */

const enc = new TextEncoder();

/**
 * Show the invisible: CR as ⟨CR⟩, LF as ⟨LF⟩ (the line still breaks), tab as ⟨TAB⟩, BOM as ⟨BOM⟩,
 * NUL as ⟨NUL⟩, trailing spaces as ·. The markers follow keybench's ⟨U+202E⟩ style and render in
 * every font (the Unicode control pictures do not).
 */
export function visible(text: string): string {
  return text
    .replace(/[ ]+(?=\r?\n|$)/g, (m) => '·'.repeat(m.length))
    .replace(/\uFEFF/g, '⟨BOM⟩')
    .replace(/\t/g, '⟨TAB⟩')
    .replace(/\0/g, '⟨NUL⟩')
    .replace(/\r/g, '⟨CR⟩')
    .replace(/\n/g, '⟨LF⟩\n');
}

/** One side of a difference: the common text before it, the part that differs, and the text after. */
export interface DiffSide {
  before: string;
  differs: string;
  after: string;
  /** Length in UTF-8 bytes of the whole text. */
  bytes: number;
}

/** The first difference between two texts. */
export interface ByteDiff {
  identical: boolean;
  /** Byte offset (UTF-8) of the first difference. */
  offset: number;
  signed: DiffSide;
  sent: DiffSide;
}

/**
 * Compare what was signed with what was sent. The differing middle is what remains once the common
 * prefix and the common suffix are taken off; `context` characters of each are kept around it.
 */
export function byteDiff(signed: string, sent: string, context = 32): ByteDiff {
  let start = 0;
  const max = Math.min(signed.length, sent.length);
  while (start < max && signed.charCodeAt(start) === sent.charCodeAt(start)) start++;
  // Do not split a surrogate pair.
  if (start > 0 && /[\uD800-\uDBFF]/.test(signed[start - 1] ?? '')) start--;
  let end = 0;
  while (
    end < max - start &&
    signed.charCodeAt(signed.length - 1 - end) === sent.charCodeAt(sent.length - 1 - end)
  )
    end++;
  const side = (t: string): DiffSide => ({
    before: (start > context ? '…' : '') + t.slice(Math.max(0, start - context), start),
    differs: t.slice(start, t.length - end),
    after: t.slice(t.length - end, t.length - end + context) + (end > context ? '…' : ''),
    bytes: enc.encode(t).length,
  });
  return {
    identical: signed === sent,
    offset: enc.encode(signed.slice(0, start)).length,
    signed: side(signed),
    sent: side(sent),
  };
}

/** A plain-text report of what was signed against what was sent, to copy into a ticket or a chat. */
export function diffReport(title: string, signed: string, sent: string): string {
  const d = byteDiff(signed, sent);
  const lines = [title, ''];
  if (d.identical) {
    lines.push('What was signed and what was sent are the same bytes.');
  } else {
    lines.push(
      `First difference at byte ${d.offset}.`,
      `Signed (${d.signed.bytes} bytes): ${visible(d.signed.before)}[${visible(d.signed.differs)}]${visible(d.signed.after)}`,
      `Sent   (${d.sent.bytes} bytes): ${visible(d.sent.before)}[${visible(d.sent.differs)}]${visible(d.sent.after)}`,
    );
  }
  lines.push('', '--- what was signed ---', visible(signed), '--- what was sent ---', visible(sent));
  return lines.join('\n');
}
