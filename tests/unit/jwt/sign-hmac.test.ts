import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { hmacSigningKey, HMAC_ALGS, signJwsHmac } from '../../../src/lib/jwt/sign';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { keysFromText, secretBytes } from '../../../src/lib/jwt/candidates';
import { verdictFor } from '../../../src/lib/jwt/inspect';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe.each(HMAC_ALGS)('%s with a secret (Test JWT signer)', (alg) => {
  const secret = 'a shared secret that is long enough for HS512, 64 bytes or more!!';

  it("signs exactly what node:crypto's createHmac computes over header.payload", async () => {
    const token = await signJwsHmac({ typ: 'JWT' }, { sub: 'hmac', n: 1 }, utf8(secret), alg);
    const [h, p, s] = token.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ typ: 'JWT', alg });
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({ sub: 'hmac', n: 1 });
    const expected = createHmac(`sha${alg.slice(2)}`, Buffer.from(secret))
      .update(`${h}.${p}`)
      .digest('base64url');
    expect(s).toBe(expected);
  });

  it('verifies in the inspector with the same secret, and not with another', async () => {
    const token = await signJwsHmac({}, '{"sub":"x"}', utf8(secret), alg);
    const decoded = decodeToken(token);
    const good = await verdictFor(decoded, await keysFromText(secret, alg, 'text'), []);
    expect(good.state).toBe('verified');
    const bad = await verdictFor(decoded, await keysFromText(`${secret}?`, alg, 'text'), []);
    expect(bad.state).toBe('failed');
    expect(bad.code).toBe('ERR_JWT_SIGNATURE');
  });

  it('takes a base64 secret as its bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff));
    const token = await signJwsHmac({}, { a: 1 }, secretBytes(bytes.toString('base64'), 'base64'), alg);
    const [h, p, s] = token.split('.');
    expect(s).toBe(
      createHmac(`sha${alg.slice(2)}`, bytes)
        .update(`${h}.${p}`)
        .digest('base64url'),
    );
  });
});

describe('HMAC signing refuses what it cannot sign honestly', () => {
  it('an empty secret: a clear message, no token', async () => {
    await expect(signJwsHmac({}, {}, utf8(''), 'HS256')).rejects.toThrow(/Type a secret/);
  });

  it('a header whose alg is not the one chosen', async () => {
    await expect(signJwsHmac({ alg: 'RS256' }, {}, utf8('s'), 'HS256')).rejects.toMatchObject({
      code: 'ERR_JWT_HEADER',
    });
  });

  it('the key is non-extractable and signs only', async () => {
    const key = await hmacSigningKey(utf8('secret'), 'HS384');
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-384' } });
  });
});

describe('a short secret is reported once', () => {
  it('verified with a 6-byte secret: one note about its length', async () => {
    const token = await signJwsHmac({}, { sub: 'x' }, utf8('secret'), 'HS256');
    const v = await verdictFor(decodeToken(token), await keysFromText('secret', 'HS256', 'text'), []);
    expect(v.state).toBe('verified');
    const about = v.notes.filter((n) => /6 bytes/.test(n.join('')));
    expect(about).toHaveLength(1);
  });

  it('not verified with a short secret: the key box still says it is short', async () => {
    const token = await signJwsHmac({}, { sub: 'x' }, utf8('secret'), 'HS256');
    const v = await verdictFor(decodeToken(token), await keysFromText('other', 'HS256', 'text'), []);
    expect(v.state).toBe('failed');
    expect(v.notes.filter((n) => /5 bytes/.test(n.join('')))).toHaveLength(1);
  });
});
