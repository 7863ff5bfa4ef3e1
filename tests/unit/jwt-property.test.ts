import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeToken } from '../../src/lib/jwt/decode';
import { verifyToken, type VerificationKey } from '../../src/lib/jwt/verify';
import { keysFromText } from '../../src/lib/jwt/candidates';
import { nodeJws, toolKey } from './jwt-helpers';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function mutate(token: string, at: number, ch: string, op: 'replace' | 'insert' | 'delete'): string {
  const i = at % token.length;
  if (op === 'insert') return token.slice(0, i) + ch + token.slice(i);
  if (op === 'delete') return token.slice(0, i) + token.slice(i + 1);
  return token.slice(0, i) + ch + token.slice(i + 1);
}

/** The bytes a verifier sees: header and payload as signed (their ASCII), and the decoded signature. */
function signedBytes(token: string): string {
  const d = decodeToken(token);
  return `${d.segments[0]}.${d.segments[1]}|${d.signature ? Buffer.from(d.signature).toString('hex') : 'none'}`;
}

describe('property: decode never throws and is bounded; altered tokens never verify', () => {
  it('decodes 10 000 random strings and mutated tokens without throwing, each quickly', () => {
    const token = nodeJws('ES256', toolKey('p256').privateKey, { sub: 'x', n: 1 });
    const anyText = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 7 }).map((a) => a.join('.')),
      fc
        .tuple(
          fc.nat(),
          fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
          fc.constantFrom('replace', 'insert', 'delete') as fc.Arbitrary<'replace' | 'insert' | 'delete'>,
        )
        .map(([at, ch, op]) => mutate(token, at, ch, op)),
    );
    let slowest = 0;
    fc.assert(
      fc.property(anyText, (input) => {
        const t0 = performance.now();
        const d = decodeToken(input);
        slowest = Math.max(slowest, performance.now() - t0);
        expect(['empty', 'jws', 'jwe', 'malformed']).toContain(d.form);
        if (d.form !== 'jws' && d.form !== 'empty') expect(d.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 10_000 },
    );
    // Bounded: no input of this size takes anywhere near a frame budget.
    expect(slowest).toBeLessThan(200);
  });

  it('10 000 single-character mutations of a valid ES256 token: none whose bytes changed verifies', async () => {
    const k = toolKey('p256');
    const token = nodeJws('ES256', k.privateKey, { sub: 'property', admin: false });
    const keys = (await keysFromText(k.publicPem, 'ES256', 'text')).candidates as VerificationKey[];
    expect((await verifyToken(decodeToken(token), keys)).verified).toBe(true);
    const original = signedBytes(token);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom(...B64URL.split(''), '.', '=', ' ', '+'),
        fc.constantFrom('replace', 'insert', 'delete') as fc.Arbitrary<'replace' | 'insert' | 'delete'>,
        async (at, ch, op) => {
          const altered = mutate(token, at, ch, op);
          const v = await verifyToken(decodeToken(altered), keys);
          if (signedBytes(altered) !== original) {
            checked++;
            expect(v.verified).toBe(false);
          }
        },
      ),
      { numRuns: 10_000 },
    );
    expect(checked).toBeGreaterThan(9_000);
  });
});
