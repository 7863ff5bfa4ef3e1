import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import {
  base64ToBytes,
  base64urlToBytes,
  bytesToBase64,
  bytesToBase64url,
  toHex,
} from '../../../src/lib/encoding/base64url';
import { parsePem, toPem } from '../../../src/lib/encoding/pem';
import { droppedTextProblem } from '../../../src/lib/encoding/dropped-text';
import { KeybenchError } from '../../../src/lib/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof KeybenchError ? e.code : `not a KeybenchError: ${String(e)}`;
  }
  return undefined;
}

describe('base64url', () => {
  it('matches Node for every length 0..300', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
      const ours = bytesToBase64url(bytes);
      expect(ours).toBe(Buffer.from(bytes).toString('base64url'));
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64urlToBytes(ours))).toEqual(Array.from(bytes));
    }
  });

  it('handles a megabyte without overflowing the call stack', () => {
    const big = new Uint8Array(1 << 20).fill(0xab);
    expect(base64urlToBytes(bytesToBase64url(big)).length).toBe(1 << 20);
  });

  it('names the offending character and its position', () => {
    expect(() => base64urlToBytes('abc+def')).toThrow(/character "\+" at position 4/);
    expect(codeOf(() => base64urlToBytes('abc=def'))).toBe('ERR_BASE64');
    expect(codeOf(() => base64urlToBytes('abcde'))).toBe('ERR_BASE64');
    expect(codeOf(() => base64ToBytes('ab$d'))).toBe('ERR_BASE64');
  });

  it('standard base64 tolerates whitespace and missing padding', () => {
    expect(Array.from(base64ToBytes('AQID\nBA'))).toEqual([1, 2, 3, 4]);
  });

  it('hex with separators like openssl -c', () => {
    expect(toHex(new Uint8Array([0, 15, 255]), ':')).toBe('00:0f:ff');
  });
});

describe('PEM', () => {
  it('writes 64-character lines with a final newline', () => {
    const der = new Uint8Array(100).fill(7);
    const pem = toPem(der, 'PUBLIC KEY');
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith('-----END PUBLIC KEY-----\n')).toBe(true);
    expect(parsePem(pem)[0]?.der).toEqual(der);
  });

  it('reads several blocks, CRLF and headers', () => {
    const text = [
      '-----BEGIN EC PARAMETERS-----\r\nBgUrgQQAIw==\r\n-----END EC PARAMETERS-----',
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----',
    ].join('\n');
    const blocks = parsePem(text);
    expect(blocks.map((b) => b.label)).toEqual(['EC PARAMETERS', 'RSA PRIVATE KEY']);
    expect(blocks[1]?.headers['Proc-Type']).toBe('4,ENCRYPTED');
  });

  it('refuses mismatched armour and a non-base64 body', () => {
    expect(codeOf(() => parsePem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----'))).toBe(
      'ERR_PEM_ARMOUR',
    );
    expect(codeOf(() => parsePem('-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----'))).toBe(
      'ERR_PEM_ARMOUR',
    );
  });
});

describe('droppedTextProblem', () => {
  it('accepts the text of a PEM, JWK or token file', () => {
    expect(droppedTextProblem('public.pem', 451, '-----BEGIN PUBLIC KEY-----\nMFkw…\n')).toBeNull();
    expect(droppedTextProblem('key.jwk', 80, '{"kty":"EC"}')).toBeNull();
  });

  it('refuses a binary (DER) file with the openssl command that makes it PEM, quoting the name', () => {
    const der = new TextDecoder().decode(new Uint8Array([0x30, 0x82, 0x01, 0x22, 0x00, 0xff, 0xfe]));
    expect(droppedTextProblem('my cert.der', 7, der)).toBe(
      "my cert.der is a binary file (DER or PKCS#12?), and keybench reads text: PEM, JWK/JWKS JSON or a token. Convert DER first: openssl x509 -inform der -in 'my cert.der' (a certificate) or openssl pkey -pubin -inform der -in 'my cert.der' (a public key).",
    );
  });

  it('refuses empty and oversized files', () => {
    expect(droppedTextProblem('empty.pem', 0, '\n')).toBe('empty.pem is empty.');
    expect(droppedTextProblem('big.json', 5_300_000, '')).toBe(
      'big.json is 5.3 MB: too large for a key, certificate or token file.',
    );
  });
});
