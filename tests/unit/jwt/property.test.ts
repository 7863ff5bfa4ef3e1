import { describe, expect, it, vi } from 'vitest';

// Tens of thousands of verifications: on a loaded 2-core machine they need more than the default time.
vi.setConfig({ testTimeout: 180_000 });
import fc from 'fast-check';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verifyToken, type VerificationKey } from '../../../src/lib/jwt/verify';
import { keysFromText, type SecretEncoding } from '../../../src/lib/jwt/candidates';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import { keyTexts } from '../support/attack-corpus';
import { nodeJws, toolKey } from '../support/jwt-helpers';
import { fcSeed } from '../support/helpers';

/** The inputs tried (the seed that found a base64 PEM file with a line after it read as a secret). */
const SEED = -1685862074;

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
    fc.assert(
      fc.property(anyText, (input) => {
        const d = decodeToken(input);
        expect(['empty', 'jws', 'jwe', 'malformed']).toContain(d.form);
        if (d.form !== 'jws' && d.form !== 'empty') expect(d.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 10_000, seed: fcSeed(SEED) },
    );
    // No clock here (a loaded machine can pause a process for seconds, so a time limit is flaky):
    // backtracking that runs for minutes still fails by the test's timeout; speed is npm run bench's.
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
      { numRuns: 10_000, seed: fcSeed(SEED) },
    );
    expect(checked).toBeGreaterThan(9_000);
  });
});

describe('property: key-box text holding a public key is never used as an HMAC secret', () => {
  it('3 000 texts (every key format, random text before and after, glued or not) × HS256 tokens forged with them: never verified', async () => {
    const texts = (['p256', 'p384', 'ed25519', 'rsa2048'] as const).flatMap((name) =>
      keyTexts(toolKey(name), name).map((t) => t.text),
    );
    const junk = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('', 'subject=CN = issuer\n', 'Public key: ', 'key=', '"', 'MM', 'a', '\n\n', '0'),
    );
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...texts),
        junk,
        junk,
        fc.constantFrom('text', 'base64', 'base64url') as fc.Arbitrary<SecretEncoding>,
        fc.constantFrom('HS256', 'HS384', 'HS512'),
        async (keyText, before, after, encoding, alg) => {
          const text = `${before}${keyText}${after}`;
          let secret: Buffer;
          if (encoding === 'text') secret = Buffer.from(text);
          else {
            const clean = text.replace(/\s+/g, '');
            if (!/^[A-Za-z0-9+/_-]*=*$/.test(clean)) return; // the attacker needs decodable text
            secret = Buffer.from(clean, encoding);
          }
          const decoded = decodeToken(nodeJws(alg, secret, { sub: 'attacker' }));
          const box = await keysFromText(text, alg, encoding);
          const v = await verdictFor(decoded, box, []);
          expect(v.verified, `${JSON.stringify(text.slice(0, 80))} ${encoding}`).toBe(false);
          expect(v.state).toBe('failed');
          expect(v.code).toBe('ERR_JWT_HMAC_WITH_PUBLIC_KEY');
          refused++;
        },
      ),
      { numRuns: 3_000, seed: fcSeed(SEED) },
    );
    expect(refused).toBeGreaterThan(800); // a third are text secrets, which always count
  });
});
