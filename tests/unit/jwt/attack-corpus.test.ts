import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import type { Verdict, VerificationKey } from '../../../src/lib/jwt/verify';
import { own } from '../../../src/lib/json';
import { holdsPrivateKey } from '../../../src/lib/keys/key-material';
import { spkiKeyType } from '../../../src/lib/keys/parse';
import type { Rich } from '../../../src/lib/rich';
import { attackCorpus, type AttackCase } from '../support/attack-corpus';
import { nodeJoseVerify } from '../support/node-jose';

/** The stored-key candidates the page would build for these keys. */
export function storedCandidates(stored: AttackCase['stored']): VerificationKey[] {
  return (stored ?? []).map(({ label, publicPem }) => {
    const spki = new Uint8Array(createPublicKey(publicPem).export({ type: 'spki', format: 'der' }));
    return { kind: 'public', label, origin: 'stored', spki, type: spkiKeyType(spki) };
  });
}

/** keybench's verdict for a corpus case, through the same path the page takes. */
async function keybench(c: AttackCase) {
  const decoded = decodeToken(c.token);
  const alg = own(decoded.header, 'alg');
  const box =
    c.keyText === undefined
      ? null
      : await keysFromText(c.keyText, typeof alg === 'string' ? alg : undefined, c.encoding ?? 'text', {
          ticked: c.ticked ?? false,
        });
  return { verdict: await verdictFor(decoded, box, storedCandidates(c.stored)), box };
}

/** keybench's own words in a message (untrusted parts left out). */
function ownWords(parts: Rich): string {
  return parts.map((p) => (typeof p === 'string' ? p : '')).join('');
}

function allOwnWords(v: Verdict): string {
  return [ownWords(v.parts), ...v.notes.map(ownWords), v.remedy ?? ''].join('\n');
}

const corpus = attackCorpus();

describe('attack corpus: every input gets exactly its expected outcome', () => {
  it('has entries for every item of the trust issue and the classics', () => {
    const items = new Set(corpus.map((c) => c.item));
    for (const item of [
      '#10.1',
      '#10.2',
      '#10.6',
      '#10.7',
      '#10.8',
      '#10.9',
      '#10.12',
      '#17.5',
      '#24.6',
      'classic',
    ]) {
      expect(items, item).toContain(item);
    }
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { verdict, box } = await keybench(c);
    expect(verdict.state, verdict.message).toBe(c.expect.state);
    expect(verdict.verified).toBe(c.expect.state === 'verified');
    if (c.expect.code) expect(verdict.code, verdict.message).toBe(c.expect.code);
    if (c.expect.state === 'verified') expect(verdict.code).toBeUndefined();
    for (const pattern of c.expect.notes ?? []) {
      expect(verdict.notes.map((n) => ownWords(n)).concat(box?.notes ?? []), `${pattern}`).toContainEqual(
        expect.stringMatching(pattern),
      );
    }
    // "Signature verified" is keybench's to say, and only for a verified token.
    expect(allOwnWords(verdict).includes('Signature verified')).toBe(verdict.verified);
    if (c.keyText !== undefined) {
      expect(holdsPrivateKey(c.keyText)).toBe(Boolean(c.expect.privateKey));
      expect(Boolean(box?.privateKeyPasted)).toBe(Boolean(c.expect.privateKey));
      expect(JSON.stringify(box?.candidates ?? [])).not.toMatch(/PRIVATE/);
    }
  });
});

describe('differential: keybench says "verified" exactly when a by-hand node:crypto verifier does', () => {
  const withKeys = corpus.filter((c) => c.trusted);
  it('covers most of the corpus', () => {
    expect(withKeys.length).toBeGreaterThan(corpus.length * 0.8);
  });
  it.each(withKeys.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { verdict } = await keybench(c);
    expect(verdict.verified, verdict.message).toBe(nodeJoseVerify(c.token, c.trusted!));
  });
});
