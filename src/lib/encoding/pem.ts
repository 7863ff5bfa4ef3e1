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

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/**
 * Every PEM block in a text, in order. RFC 7468 "lax" parsing: whitespace anywhere in the body,
 * RFC 1421 headers (Proc-Type, DEK-Info) kept so encrypted keys can be recognised.
 * @throws KeybenchError ERR_PEM_ARMOUR when BEGIN and END labels differ or the body is not base64.
 */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const [, begin = '', body = '', end = ''] = m;
    if (begin !== end) {
      throw new KeybenchError('ERR_PEM_ARMOUR', `PEM armour mismatch: BEGIN ${begin} but END ${end}.`);
    }
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
      throw new KeybenchError('ERR_PEM_ARMOUR', `The body of the ${begin} block is not base64.`, {
        cause: e,
      });
    }
    blocks.push({ label: begin, headers, der });
  }
  return blocks;
}

/** True when the text holds at least one BEGIN line. */
export function looksLikePem(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text);
}
