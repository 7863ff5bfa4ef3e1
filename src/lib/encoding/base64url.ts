import { KeybenchError } from '../errors';

const STD_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/** Bytes to base64 (standard alphabet, with padding). */
export function bytesToBase64(bytes: Uint8Array): string {
  // Chunked so that a megabyte of input does not overflow the argument list.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes to base64url without padding (RFC 7515 §2). */
export function bytesToBase64url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Base64 (standard alphabet; padding optional; whitespace ignored) to bytes.
 * @throws KeybenchError ERR_BASE64 naming the first offending character.
 */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/\s+/g, '');
  if (!STD_ALPHABET.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    const bad = [...clean.replace(/=+$/, '')].findIndex((c) => !/[A-Za-z0-9+/]/.test(c));
    throw new KeybenchError(
      'ERR_BASE64',
      bad >= 0
        ? `Not base64: character ${JSON.stringify(clean[bad])} at position ${bad + 1}.`
        : 'Not base64: the length is impossible for base64 text.',
    );
  }
  return binaryToBytes(atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '=')));
}

/** Position (0-based) of the first character outside the base64url alphabet, or -1. */
export function firstNonBase64urlChar(text: string): number {
  return text.search(/[^A-Za-z0-9_-]/);
}

/**
 * Base64url without padding to bytes.
 * @throws KeybenchError ERR_BASE64 naming the first offending character and its position.
 */
export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const i = firstNonBase64urlChar(text);
  if (i >= 0) {
    throw new KeybenchError(
      'ERR_BASE64',
      `Not base64url: character ${JSON.stringify(text[i])} at position ${i + 1}.`,
    );
  }
  if (text.length % 4 === 1) {
    throw new KeybenchError(
      'ERR_BASE64',
      `Not base64url: a length of ${text.length} characters is impossible.`,
    );
  }
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  return binaryToBytes(atob(std.padEnd(Math.ceil(std.length / 4) * 4, '=')));
}

function binaryToBytes(binary: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** UTF-8 text to base64url without padding. */
export function textToBase64url(text: string): string {
  return bytesToBase64url(new TextEncoder().encode(text));
}

/** Lowercase hex of bytes, optionally joined by a separator (":" for openssl's `-c` form). */
export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator);
}

/** True when two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
