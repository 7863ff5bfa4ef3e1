import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { claimRows, timeStatus, MAX_CLAIM_ROWS } from '../../../src/lib/jwt/claims';
import { duplicateMembers, formatJson, formatValue, JSON_LIMITS, own } from '../../../src/lib/json';
import { hasInvisible, plain, revealInvisible, rich, u } from '../../../src/lib/rich';
import { parsePem, looksLikePem } from '../../../src/lib/encoding/pem';
import { holdsPrivateKey, scanKeyMaterial, MAX_KEY_TEXT } from '../../../src/lib/keys/key-material';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { b64u, segment } from '../support/attack-corpus';
import { nodeJws, toolKey } from '../support/jwt-helpers';

const now = Date.UTC(2026, 10, 24);

describe('#10.4 panes are bounded and never throw', () => {
  it('a payload nested 6 000 levels deep decodes, and is shown as it came with a note', () => {
    const deep = `${'['.repeat(6000)}1${']'.repeat(6000)}`;
    const payload = `{"sub":"x","deep":${deep}}`;
    const d = decodeToken(`${segment({ alg: 'HS256' })}.${b64u(payload)}.AAAA`);
    expect(d.payload?.kind).toBe('json');
    const shown = formatJson(d.payload!.kind === 'json' ? d.payload!.value : null, payload);
    expect(shown.text).toBe(payload);
    expect(shown.note).toMatch(/6001 levels deep/);
    // The pretty-printer it replaces overflows the stack on deeper input: formatting must not.
    const deeper = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(() => formatJson(null, deeper)).not.toThrow();
  });

  it('within the limits it pretty-prints; over the size limit it shows the text as it came', () => {
    expect(formatJson({ a: 1 }, '{"a":1}')).toEqual({ text: '{\n  "a": 1\n}' });
    const big = JSON.stringify({ a: 'x'.repeat(JSON_LIMITS.chars) });
    const shown = formatJson(JSON.parse(big), big);
    expect(shown.note).toMatch(/Showing the first 200 K of 200 K characters/);
    expect(shown.truncated).toBe(true);
    expect(shown.text).toBe(`${big.slice(0, JSON_LIMITS.chars)}…`);
  });

  it('partner panes (claims, decoded bodies) format any parsed value without throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(formatValue(deep).note).toMatch(/nested too deeply/);
    expect(formatValue({ a: 1 })).toEqual({ text: '{\n  "a": 1\n}' });
    expect(formatValue({ a: 'x'.repeat(JSON_LIMITS.chars) }).truncated).toBe(true);
  });

  it('exp of -1e13 (outside what a Date holds) does not throw and is reported as invalid', () => {
    const payload = { exp: -1e13, iat: 1e300, nbf: Number.MAX_SAFE_INTEGER };
    expect(() => claimRows(payload, now)).not.toThrow();
    const status = timeStatus(payload, now, 60);
    expect(status.state).toBe('invalid-times');
    expect(status.message).toContain('exp');
    expect(claimRows(payload, now).rows.find((r) => r.name === 'exp')?.time).toBeUndefined();
  });

  it('claim rows are capped, with the rest counted', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, i]));
    const { rows, more } = claimRows(many, now);
    expect(rows).toHaveLength(MAX_CLAIM_ROWS);
    expect(more).toBe(5000 - MAX_CLAIM_ROWS);
  });

  it('a claim value nested too deeply for JSON.stringify is described, not thrown', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(() => claimRows({ deep: v }, now)).not.toThrow();
  });
});

describe('#10.5 claims named like Object.prototype members are claims', () => {
  it('constructor, toString, __proto__, hasOwnProperty are listed', () => {
    const text = '{"constructor":"c","toString":"t","__proto__":{"admin":true},"hasOwnProperty":1,"sub":"x"}';
    const d = decodeToken(`${segment({ alg: 'HS256' })}.${b64u(text)}.AAAA`);
    const value = d.payload?.kind === 'json' ? (d.payload.value as Record<string, unknown>) : {};
    const names = claimRows(value, now).rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['constructor', 'toString', '__proto__', 'hasOwnProperty']));
    expect(claimRows(value, now).rows.find((r) => r.name === 'constructor')?.description).toBeNull();
    expect(timeStatus({ constructor: 1 }, now, 0).state).toBe('no-times');
  });

  it('own() never returns an inherited member', () => {
    expect(own({}, 'toString')).toBeUndefined();
    expect(own({}, 'constructor')).toBeUndefined();
    expect(own(JSON.parse('{"__proto__":5}'), '__proto__')).toBe(5);
  });

  it('a header whose alg is only inherited has no alg', () => {
    const d = decodeToken(`${b64u('{"typ":"JWT"}')}.${segment({})}.AAAA`);
    expect(d.errors.map((e) => e.code)).toContain('ERR_JWT_HEADER');
  });
});

describe('#10.6 untrusted text never reads as keybench words', () => {
  it('bidi controls and invisible characters are made visible', () => {
    const rlo = 'admin\u202Eeurt=nimda';
    expect(hasInvisible(rlo)).toBe(true);
    expect(revealInvisible(rlo)).toBe('admin⟨U+202E⟩eurt=nimda');
    expect(revealInvisible('a\u200Bb\uFEFFc\u2066d\u0000e')).toBe('a⟨U+200B⟩b⟨U+FEFF⟩c⟨U+2066⟩d⟨U+0000⟩e');
    expect(revealInvisible('tab\tand\nnewline é 日本 🙂')).toBe('tab\tand\nnewline é 日本 🙂');
    expect(revealInvisible('tag\u{E0041}')).toBe('tag⟨U+E0041⟩');
  });

  it('interpolated strings are untrusted parts; plain() quotes them', () => {
    const parts = rich`The signature does not match ${"✔ Signature verified with your key 'Production'"}.`;
    expect(parts[1]).toEqual(u("✔ Signature verified with your key 'Production'"));
    expect(plain(parts)).toBe(
      'The signature does not match "✔ Signature verified with your key \'Production\'".',
    );
  });

  it('decode diagnostics keep the offending text apart', () => {
    const d = decodeToken(`${b64u('{"alg":"RS256","x":}')}.e30.AAAA`);
    const err = d.errors[0]!;
    expect(err.code).toBe('ERR_JWT_JSON');
    expect(err.parts.some((p) => typeof p !== 'string')).toBe(true);
  });
});

describe('#10.7 duplicate member names', () => {
  it('are found at any depth, after unescaping', () => {
    expect(duplicateMembers('{"alg":"none","alg":"RS256"}')).toEqual(['alg']);
    expect(duplicateMembers('{"alg":"RS256","\\u0061lg":"none"}')).toEqual(['alg']);
    expect(duplicateMembers('{"a":{"b":1,"b":2},"c":[{"d":1},{"d":2}]}')).toEqual(['b']);
    expect(duplicateMembers('{"a":"\\"a\\":1","b":"a"}')).toEqual([]);
  });
  it('make the token malformed, naming the member', () => {
    const d = decodeToken(`${b64u('{"alg":"none","alg":"RS256"}')}.${segment({})}.AAAA`);
    expect(d.form).toBe('malformed');
    expect(d.errors[0]!.code).toBe('ERR_JWT_DUPLICATE_MEMBER');
    expect(d.errors[0]!.message).toContain('"alg"');
  });
});

// No clock in these tests (a busy machine makes any time limit flaky; speed is npm run bench): the
// inputs are big enough that quadratic work could not finish within the test's timeout, while linear
// work takes a small part of it.
describe('#10.11 key text parsing is linear and capped', () => {
  it('4 MB of BEGIN lines without END parse (1 MB took ~23 s when the scan was quadratic)', () => {
    const text = '-----BEGIN A-----\n'.repeat((4 * 1024 * 1024) / 18);
    expect(parsePem(text)).toEqual([]);
    expect(looksLikePem(text)).toBe(true);
    expect(scanKeyMaterial(text)).toBeDefined();
  });

  it('8 MB of "M" and base64 noise are scanned', () => {
    const text = 'MIH/'.repeat(2 * 1024 * 1024);
    expect(scanKeyMaterial(text)).toBeDefined();
  });

  it('key text over the cap is refused with a message', async () => {
    const box = await keysFromText('A'.repeat(MAX_KEY_TEXT + 1), 'RS256', 'text');
    expect(box.error?.code).toBe('ERR_KEY_TOO_LARGE');
    expect(box.candidates).toEqual([]);
  });
});

describe('#10.9 private key material is detected whatever surrounds it', () => {
  it('armour, JWK members, DER, PuTTY and openssl -text', () => {
    const rsa = toolKey('rsa2048');
    const p256 = toolKey('p256');
    expect(holdsPrivateKey(`notes\n${rsa.privatePem}\nmore`)).toBe(true);
    expect(holdsPrivateKey(JSON.stringify({ keys: [rsa.privateKey.export({ format: 'jwk' })] }))).toBe(true);
    expect(
      holdsPrivateKey(
        (p256.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'),
      ),
    ).toBe(true);
    expect(
      holdsPrivateKey((rsa.privateKey.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64')),
    ).toBe(true);
    expect(holdsPrivateKey('PuTTY-User-Key-File-3: ssh-ed25519')).toBe(true);
    expect(
      holdsPrivateKey(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----',
      ),
    ).toBe(true);
    expect(holdsPrivateKey(rsa.publicPem)).toBe(false);
    expect(holdsPrivateKey(rsa.certPem)).toBe(false);
    expect(holdsPrivateKey('a secret with "d" in it')).toBe(false);
  });

  it('a random HMAC secret is not key material, in any encoding', () => {
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(
        Array.from({ length: 32 + (i % 64) }, (_, j) => (i * 131 + j * 17 + 0x30) & 0xff),
      );
      for (const text of [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')]) {
        expect(scanKeyMaterial(text).kinds, text).toEqual([]);
      }
    }
  });
});

describe('#10.12 notes', () => {
  it('a short HMAC secret is noted in the key box result', async () => {
    const box = await keysFromText('short', 'HS512', 'text');
    expect(box.notes?.[0]).toMatch(/5 bytes; HS512 needs at least 64/);
    expect((await keysFromText('x'.repeat(64), 'HS512', 'text')).notes).toBeUndefined();
  });

  it('tokens still decode when they carry the notes', () => {
    expect(decodeToken(nodeJws('ES256', toolKey('p256').privateKey)).form).toBe('jws');
  });
});
