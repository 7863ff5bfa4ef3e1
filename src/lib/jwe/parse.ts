/**
 * Reading a JWE (RFC 7516 compact serialisation), bare or inside a partner's JSON body. Pure: no
 * keys, no decryption. Lenient where a partner's SDK is known to bend the format (Mastercard's
 * `+`-only "base64url" leaves `/` in the text; its GCM IV is 16 bytes), and each bend is noted.
 */
import { KeybenchError } from '../errors';
import { base64ToBytes } from '../encoding/base64url';
import { own } from '../json';

/** Largest JWE text read (a megabyte payload is about 1.4 MB of text). */
const MAX_JWE_CHARS = 8_000_000;

/** Where the compact JWE was found. */
export type JweWrapper = 'compact' | 'encData' | 'encryptedRequest' | 'encryptedResponse' | 'encryptedValue';

/** The partner each wrapper is the convention of, in words. */
export const WRAPPER_NAMES: Readonly<Record<JweWrapper, string>> = {
  compact: 'a compact JWE',
  encData: 'Visa MLE body ({"encData": …})',
  encryptedRequest: 'CyberSource MLE request ({"encryptedRequest": …})',
  encryptedResponse: 'CyberSource MLE response ({"encryptedResponse": …})',
  encryptedValue: 'Mastercard encrypted field ("encryptedValue")',
};

/** A compact JWE as read: the five parts' text and bytes, the header, and what was bent to read it. */
export interface ParsedJwe {
  wrapper: JweWrapper;
  /** The five parts exactly as given (the header's text is the AAD the tag covers). */
  parts: readonly [string, string, string, string, string];
  header: Record<string, unknown>;
  encryptedKey: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
  tag: Uint8Array<ArrayBuffer>;
  /** True when some part held `+`, `/` or `=`: read as base64, not strict base64url. */
  lenientBase64: boolean;
  /** Notes on what is unusual but accepted (a 16-byte IV, `/` in the text). */
  notes: string[];
}

/** Five dot-separated parts of base64url or base64 characters, the header not empty. */
const COMPACT =
  /^[A-Za-z0-9_\-+/=]+\.[A-Za-z0-9_\-+/=]*\.[A-Za-z0-9_\-+/=]*\.[A-Za-z0-9_\-+/=]*\.[A-Za-z0-9_\-+/=]*$/;
/** The members a partner's body puts the compact JWE in. */
const WRAPPER_KEYS = (Object.keys(WRAPPER_NAMES) as JweWrapper[]).filter((k) => k !== 'compact');

/** The first wrapper member holding a string, searched a few levels deep (Mastercard's field may be nested). */
function findWrapped(value: unknown, depth: number): { wrapper: JweWrapper; text: string } | null {
  if (depth > 6 || value === null || typeof value !== 'object') return null;
  for (const k of WRAPPER_KEYS) {
    const v = own(value, k);
    if (typeof v === 'string') return { wrapper: k, text: v };
  }
  for (const v of Object.values(value)) {
    const found = findWrapped(v, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The compact JWE in a pasted text: the text itself, or the string under `encData`,
 * `encryptedRequest`, `encryptedResponse` or `encryptedValue` in a JSON body. Null when there is
 * none (the text is something else: a JWT, a request).
 */
export function findJwe(text: string): { wrapper: JweWrapper; compact: string } | null {
  const t = text.trim();
  if (t.length > MAX_JWE_CHARS) return null;
  if (t.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch {
      return null;
    }
    const found = findWrapped(json, 0);
    return found ? { wrapper: found.wrapper, compact: found.text.trim() } : null;
  }
  return COMPACT.test(t) ? { wrapper: 'compact', compact: t } : null;
}

const PART_NAMES = [
  'protected header',
  'encrypted key',
  'initialisation vector',
  'ciphertext',
  'authentication tag',
];

/** One part's bytes: base64url, or base64 with `+`, `/`, `=` (noted by the caller). */
function partBytes(text: string, index: number): Uint8Array<ArrayBuffer> {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  const refusal = (options?: { cause: unknown }) =>
    new KeybenchError(
      'ERR_JWE_BASE64URL',
      `The JWE's ${PART_NAMES[index]} (part ${index + 1} of 5) is not base64url: check it was copied whole.`,
      options,
    );
  // Mixed alphabets stay unambiguous (`-` and `+` are both 62, `_` and `/` both 63): Mastercard's
  // SDK writes `-` and `/` side by side. Padding inside the text is not.
  if (/=[^=]/.test(text) || std.replace(/=+$/, '').length % 4 === 1) throw refusal();
  try {
    return base64ToBytes(std);
  } catch (e) {
    throw refusal({ cause: e });
  }
}

/** The header as a JSON object, or a clear refusal. */
function readHeader(part: string): Record<string, unknown> {
  const bytes = partBytes(part, 0);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new KeybenchError(
      'ERR_JWE_HEADER',
      'The JWE header is not JSON: the first part is damaged or not a JWE.',
      { cause: e },
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new KeybenchError('ERR_JWE_HEADER', 'The JWE header is JSON but not an object: this is not a JWE.');
  }
  return header as Record<string, unknown>;
}

/**
 * Parse a compact JWE (or a partner body around one).
 * @throws KeybenchError ERR_JWE_NOT_FOUND, ERR_JWE_TOO_LARGE, ERR_JWE_SEGMENTS, ERR_JWE_BASE64URL,
 *   ERR_JWE_HEADER.
 */
export function parseJwe(text: string): ParsedJwe {
  if (text.length > MAX_JWE_CHARS) {
    throw new KeybenchError(
      'ERR_JWE_TOO_LARGE',
      `This JWE is over ${MAX_JWE_CHARS / 1_000_000} million characters: too large to read here.`,
    );
  }
  const found =
    findJwe(text) ??
    (text.trim().startsWith('{') ? null : { wrapper: 'compact' as const, compact: text.trim() });
  if (!found) {
    throw new KeybenchError(
      'ERR_JWE_NOT_FOUND',
      'No JWE here: paste a compact JWE or a body with "encData", "encryptedRequest", "encryptedResponse" or "encryptedValue".',
    );
  }
  const split = found.compact.split('.');
  if (split.length !== 5) {
    throw new KeybenchError(
      'ERR_JWE_SEGMENTS',
      `A compact JWE has 5 parts separated by dots; this one has ${split.length}. Check it was copied whole.`,
    );
  }
  const parts = split as unknown as [string, string, string, string, string];
  const empty = [0, 1, 2, 4].find((i) => parts[i] === '');
  if (empty !== undefined) {
    throw new KeybenchError(
      'ERR_JWE_SEGMENTS',
      `The JWE's ${PART_NAMES[empty]} (part ${empty + 1} of 5) is empty: it was cut off or is not a JWE for a key pair.`,
    );
  }
  const header = readHeader(parts[0]);
  const [encryptedKey, iv, ciphertext, tag] = [1, 2, 3, 4].map((i) => partBytes(parts[i]!, i)) as [
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
  ];
  const lenientBase64 = parts.some((p) => /[+/=]/.test(p));
  const notes: string[] = [];
  if (lenientBase64) {
    notes.push(
      'The text holds "+", "/" or "=", which base64url does not use (Mastercard\'s SDK leaves "/" in). Read as base64; strict libraries refuse it.',
    );
  }
  if (typeof header.enc === 'string' && header.enc.endsWith('GCM') && iv.length === 16) {
    notes.push(
      "The IV is 16 bytes, not the 12 JOSE uses (Mastercard's SDK writes 16). AES-GCM accepts it; strict libraries refuse it.",
    );
  }
  return { wrapper: found.wrapper, parts, header, encryptedKey, iv, ciphertext, tag, lenientBase64, notes };
}

/** One header member, with what it means. */
export interface HeaderMember {
  name: string;
  /** The value as JSON text. */
  value: string;
  meaning: string;
}

const MEANINGS: Readonly<Record<string, string>> = {
  alg: "How the content key is encrypted to the recipient's public key.",
  enc: 'How the content is encrypted with that content key.',
  kid: 'Which recipient key was used (Visa: Key-ID; CyberSource: certificate serial; Mastercard: SHA-256 fingerprint of the public key).',
  cty: 'The type of the plaintext.',
  typ: 'The type of this object.',
  zip: 'The plaintext was compressed before encryption.',
  jku: 'A URL of keys (not fetched).',
  x5t: "SHA-1 thumbprint of the recipient's certificate.",
  'x5t#S256': "SHA-256 thumbprint of the recipient's certificate.",
  crit: 'Members the recipient must understand.',
};

/** What an alg value means (RSA1_5 flagged: it is refused). */
function algMeaning(alg: unknown): string {
  if (alg === 'RSA-OAEP-256') return 'RSA-OAEP with SHA-256: what Visa, CyberSource and Mastercard use.';
  if (alg === 'RSA-OAEP') return 'RSA-OAEP with SHA-1.';
  if (alg === 'RSA1_5')
    return 'RSA PKCS#1 v1.5: refused, it leaks the content key to padding-oracle attacks.';
  return MEANINGS.alg!;
}

/** What an iat value is: milliseconds or seconds, named, with the date. */
function iatMeaning(iat: unknown): string {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'Issued at: not a number.';
  const ms = iat > 1e11;
  const date = new Date(ms ? iat : iat * 1000);
  const when = Number.isNaN(date.getTime()) ? 'an impossible date' : date.toISOString();
  return `Issued at, in ${ms ? "milliseconds (Visa's convention)" : 'seconds'}: ${when}.`;
}

/** Every header member, in order, with its meaning. */
export function explainHeader(header: Record<string, unknown>): HeaderMember[] {
  return Object.entries(header).map(([name, v]) => {
    let meaning = Object.hasOwn(MEANINGS, name) ? MEANINGS[name]! : 'Not a member keybench knows.';
    if (name === 'alg') meaning = algMeaning(v);
    if (name === 'iat') meaning = iatMeaning(v);
    if (name === 'enc' && typeof v === 'string')
      meaning = `${MEANINGS.enc!} ${v}: AES-${v.slice(1, 4)} ${v.includes('GCM') ? 'GCM' : 'CBC with HMAC'}.`;
    if (name === 'zip')
      meaning = v === 'DEF' ? 'DEFLATE-compressed before encryption (not read here).' : MEANINGS.zip!;
    return { name, value: JSON.stringify(v) ?? 'undefined', meaning };
  });
}
