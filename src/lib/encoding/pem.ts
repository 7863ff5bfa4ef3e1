import { KeybenchError } from '../errors';
import { base64ToBytes, bytesToBase64 } from './base64url';

/** One armoured block found in a text: its label (e.g. "PUBLIC KEY"), headers, and DER bytes. */
export interface PemBlock {
  label: string;
  headers: Record<string, string>;
  der: Uint8Array<ArrayBuffer>;
}

/**
 * Armour DER bytes as PEM exactly as OpenSSL writes it: base64 in 64-character lines,
 * BEGIN/END lines, one final newline.
 */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = bytesToBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
const LABEL = /^[A-Z0-9 ]{1,64}$/;

/** The label after `marker` at `at` (up to the closing dashes on the same line), or null. */
function labelAt(text: string, at: number, marker: string): { label: string; next: number } | null {
  const start = at + marker.length;
  const close = text.indexOf(DASHES, start);
  if (close < 0 || close - start > 64) return null;
  const label = text.slice(start, close);
  return LABEL.test(label) ? { label, next: close + DASHES.length } : null;
}

/**
 * Every PEM block in a text, in order. RFC 7468 "lax" parsing: whitespace anywhere in the body,
 * RFC 1421 headers (Proc-Type, DEK-Info) kept so encrypted keys can be recognised. Linear in the
 * text's length: each BEGIN is matched with the next END, and a BEGIN without an END ends the scan.
 * @throws KeybenchError ERR_PEM_ARMOUR when BEGIN and END labels differ or the body is not base64.
 */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let at = text.indexOf(BEGIN);
  while (at >= 0) {
    const begin = labelAt(text, at, BEGIN);
    if (!begin) {
      at = text.indexOf(BEGIN, at + BEGIN.length);
      continue;
    }
    const endAt = text.indexOf(END, begin.next);
    if (endAt < 0) break; // no END after this BEGIN, so none after any later one either
    const end = labelAt(text, endAt, END);
    if (!end) {
      throw new KeybenchError('ERR_PEM_ARMOUR', `The ${begin.label} block has a malformed END line.`);
    }
    if (begin.label !== end.label) {
      throw new KeybenchError(
        'ERR_PEM_ARMOUR',
        `PEM armour mismatch: BEGIN ${begin.label} but END ${end.label}.`,
      );
    }
    blocks.push(pemBlock(begin.label, text.slice(begin.next, endAt)));
    at = text.indexOf(BEGIN, end.next);
  }
  return blocks;
}

function pemBlock(label: string, body: string): PemBlock {
  const headers: Record<string, string> = {};
  const bodyLines: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const h = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
    if (h?.[1] && h[2] !== undefined) headers[h[1]] = h[2];
    else bodyLines.push(line);
  }
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = base64ToBytes(bodyLines.join(''));
  } catch (e) {
    throw new KeybenchError('ERR_PEM_ARMOUR', `The body of the ${label} block is not base64.`, {
      cause: e,
    });
  }
  return { label, headers, der };
}

/** True when the text holds at least one BEGIN line. */
export function looksLikePem(text: string): boolean {
  for (let at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at + 1)) {
    if (labelAt(text, at, BEGIN)) return true;
  }
  return false;
}
