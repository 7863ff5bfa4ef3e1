/**
 * The one rule for what the Verification key box holds, for tokens and signed requests alike: a
 * shared secret, or keys. A public key used as an HMAC secret lets anyone who holds that public key
 * forge a "valid" signature (algorithm confusion, RFC 8725 §2.1), so text is read as a secret only
 * when the user says so, or, for an HS* token, when it cannot be read as any key shape.
 */
import { findKeyMaterial } from './key-material';

/** What the box is read as, or why it is refused as a secret. */
export type KeyBoxDecision =
  | { read: 'keys' }
  | { read: 'secret' }
  | {
      read: 'refused';
      /** What key shape was found, in keybench's words. */
      found: string;
      /** True when ticking "Shared secret (HMAC)" would make the text the secret (a guess, not proof). */
      tickHelps: boolean;
    };

/** Where the box is read. */
export interface KeyBoxContext {
  /** The signature takes a secret: an HS* token, or a request scheme that verifies HMAC. */
  hmac: boolean;
  /** The user ticked **Shared secret (HMAC)**. */
  ticked: boolean;
  /** The check may take un-key-like text as the secret unticked: HS* tokens yes, requests never. */
  guess: boolean;
}

/** The public members that make a JSON object a key: RSA (n, e), EC (crv, x, y), OKP (crv, x). */
const SHAPES: readonly { kind: string; members: readonly string[] }[] = [
  { kind: 'RSA', members: ['n', 'e'] },
  { kind: 'EC', members: ['crv', 'x', 'y'] },
  { kind: 'OKP', members: ['crv', 'x'] },
];

/** Objects looked at inside one JSON value, at most (a JWKS, a config holding a JWK). */
const MAX_OBJECTS = 1000;

function shapeOf(obj: Record<string, unknown>): string | null {
  for (const { kind, members } of SHAPES) {
    if (members.every((m) => Object.hasOwn(obj, m) && typeof obj[m] === 'string')) {
      return `${kind} members ${members.join(', ')}`;
    }
  }
  return null;
}

/**
 * The public-key members of the first JSON object in `text` (the whole text, or any object nested
 * in it: a JWKS, a config) that has them, with or without `kty`: "RSA members n, e"; or such members
 * written in text that is not clean JSON. Null when the text holds none.
 */
export function jsonKeyShape(text: string): string | null {
  const t = text.trim();
  let value: unknown;
  try {
    if (!t.startsWith('{') && !t.startsWith('[')) throw new SyntaxError('not an object');
    value = JSON.parse(t);
  } catch {
    return keyMembersInText(t);
  }
  // Breadth-first, bounded: JSON nesting is attacker-controlled.
  const queue: unknown[] = [value];
  for (let seen = 0; queue.length > 0 && seen < MAX_OBJECTS; seen++) {
    const v = queue.shift();
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v)) {
      const shape = shapeOf(v as Record<string, unknown>);
      if (shape) return shape;
    }
    queue.push(...Object.values(v as object));
  }
  return keyMembersInText(t);
}

/**
 * Key members written as JSON in text that is not one clean JSON key: a JWK copied out of a JWKS
 * with its trailing comma, a `"keys": [...]` line, a JWK inside a JSON string (`\"n\"`), `e` as a
 * number. Each is still the public key, and an HMAC keyed with it is forgeable by anyone.
 */
function keyMembersInText(text: string): string | null {
  const t = text.replace(/\\"/g, '"');
  const member = (name: string, value: string) => new RegExp(`"${name}"\\s*:\\s*${value}`).test(t);
  if (member('n', '"[A-Za-z0-9_-]{64,}"') && member('e', '')) return 'RSA members n, e';
  if (member('crv', '"') && member('x', '"[A-Za-z0-9_-]{20,}"')) return 'EC or OKP members crv, x';
  return null;
}

/**
 * Decide what the key box is read as. Text that is key material anywhere (PEM, a JWK with kty,
 * DER in any encoding, an EC point) is never a secret, ticked or not. A JSON object with public-key
 * members but no `kty` is a key shape: a secret only when ticked. Unticked, a request's box is read
 * as keys; an HS* token's box is the secret when it holds no key shape.
 */
export async function decideKeyBox(text: string, context: KeyBoxContext): Promise<KeyBoxDecision> {
  if (!context.hmac) return { read: 'keys' };
  if (!context.ticked && !context.guess) return { read: 'keys' };
  const scan = await findKeyMaterial(text);
  if (scan.kinds.length > 0) {
    return { read: 'refused', found: `key material (${scan.kinds.join(', ')})`, tickHelps: false };
  }
  if (context.ticked) return { read: 'secret' };
  const shape = jsonKeyShape(text);
  if (shape) return { read: 'refused', found: `a public key written as JSON (${shape})`, tickHelps: true };
  return { read: 'secret' };
}
