/**
 * Re-signing an edited token in place, and the example token: each signature is checked with
 * node:crypto, and a token that cannot be signed carries its text with an empty signature (the
 * signature shown always belongs to the text shown).
 */
import { createHmac, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_KEY_LABEL, makeExample } from '../../../src/lib/jwt/example';
import { resignToken } from '../../../src/lib/jwt/resign';

const part = (token: string, i: number) => Buffer.from(token.split('.')[i]!, 'base64url').toString();

describe('the example token', () => {
  it('is RS256, verifies with its public key, and its private key cannot be exported', async () => {
    const ex = await makeExample(Date.UTC(2026, 0, 1));
    const [h, p, s] = ex.token.split('.');
    expect(JSON.parse(part(ex.token, 0))).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(part(ex.token, 1))).toMatchObject({
      sub: '1234567890',
      iat: 1767225600,
      exp: 1767229200,
    });
    const ok = nodeVerify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      createPublicKey(ex.publicPem),
      Buffer.from(s!, 'base64url'),
    );
    expect(ok).toBe(true);
    expect(ex.signer.privateKey.extractable).toBe(false);
    expect(ex.signer.label).toBe(EXAMPLE_KEY_LABEL);
    await expect(crypto.subtle.exportKey('pkcs8', ex.signer.privateKey)).rejects.toThrow();
  });
});

describe('resignToken', () => {
  it('signs the edited header and payload with the key pair, as compact JSON', async () => {
    const ex = await makeExample(Date.now());
    const r = await resignToken(
      '{\n  "alg": "RS256",\n  "typ": "JWT"\n}',
      '{\n  "sub": "edited"\n}',
      ex.signer,
    );
    expect(r.signed).toBe(true);
    const [h, p, s] = r.token.split('.');
    expect(part(r.token, 0)).toBe('{"alg":"RS256","typ":"JWT"}');
    expect(part(r.token, 1)).toBe('{"sub":"edited"}');
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        createPublicKey(ex.publicPem),
        Buffer.from(s!, 'base64url'),
      ),
    ).toBe(true);
  });

  it('signs HS256 with the secret', async () => {
    const secret = new TextEncoder().encode('a secret');
    const r = await resignToken('{"alg":"HS256"}', '{"a":1}', { kind: 'secret', secret });
    const [h, p, s] = r.token.split('.');
    expect(r.signed).toBe(true);
    expect(s).toBe(createHmac('sha256', 'a secret').update(`${h}.${p}`).digest('base64url'));
  });

  it('never keeps an old signature beside new text: unsigned, with what to do', async () => {
    const ex = await makeExample(Date.now());
    const cases: [string, string, Parameters<typeof resignToken>[2], RegExp][] = [
      ['{"alg":"RS256"}', '{"a":1}', null, /choose a key/],
      ['{"alg":"ES512"}', '{"a":1}', ex.signer, /signs RS256/],
      ['{"alg":"RS256"}', '{"a":', ex.signer, /payload is not valid JSON/],
      ['{"alg":', '{"a":1}', ex.signer, /header is not valid JSON/],
      ['[1]', '{"a":1}', ex.signer, /JSON object/],
      ['{"typ":"JWT"}', '{"a":1}', ex.signer, /no "alg"/],
      ['{"alg":"RS256"}', '{"a":1}', { kind: 'secret', secret: new TextEncoder().encode('s') }, /only HS256/],
      ['{"alg":"HS256"}', '{"a":1}', { kind: 'secret', secret: new Uint8Array(0) }, /Type a secret/],
    ];
    for (const [header, payload, signer, why] of cases) {
      const r = await resignToken(header, payload, signer);
      expect(r.signed, header + payload).toBe(false);
      expect(r.token.endsWith('.'), r.token).toBe(true);
      expect(r.token.split('.')).toHaveLength(3);
      if (!r.signed) expect(r.problem).toMatch(why);
    }
    // The text shown is the text in the token, even when it is not JSON.
    const bad = await resignToken('{"alg":"RS256"}', '{"a":', ex.signer);
    expect(part(bad.token, 1)).toBe('{"a":');
  });
});
