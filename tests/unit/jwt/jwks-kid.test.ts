/**
 * A key of a pasted JWKS that verifies the token is "verified" only when jose's own
 * JWKS selection (createLocalJWKSet: by kid, and one key when the token has none) would pick it.
 * jose is the independent check here: keybench's verdict is compared with what jose does.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { verifyToken } from '../../../src/lib/jwt/verify';
import { nodeJwk, nodeJws, toolKey } from '../support/jwt-helpers';

async function keybench(token: string, jwks: JSONWebKeySet) {
  const decoded = decodeToken(token);
  const box = await keysFromText(JSON.stringify(jwks), decoded.header?.alg as string, 'text');
  expect(box.error).toBeUndefined();
  return verifyToken(decoded, box.candidates);
}

/** What jose says: 'ok', or the name of the error it throws. */
async function jose(token: string, jwks: JSONWebKeySet): Promise<string> {
  try {
    await compactVerify(token, createLocalJWKSet(jwks));
    return 'ok';
  } catch (e) {
    return (e as Error & { code?: string }).code ?? (e as Error).name;
  }
}

describe('JWKS key selection agrees with jose (createLocalJWKSet)', () => {
  const a = toolKey('p256');
  const rsa = toolKey('rsa2048');
  const c = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) };
  const withKid = nodeJws('ES256', a.privateKey, { sub: 'x' }, { kid: 'expected' });
  const noKid = nodeJws('ES256', a.privateKey, { sub: 'x' });
  const cases: {
    name: string;
    token: string;
    keys: Record<string, unknown>[];
    state: string;
    code?: string;
    jose: string;
    says?: RegExp;
  }[] = [
    {
      name: 'kid matches',
      token: withKid,
      keys: [{ ...c, kid: 'other' }, nodeJwk(a, { kid: 'expected' })],
      state: 'verified',
      jose: 'ok',
    },
    {
      name: 'kid differs, no key has the token kid',
      token: withKid,
      keys: [nodeJwk(a, { kid: 'other' })],
      state: 'kid-mismatch',
      code: 'ERR_JWKS_KID_MISMATCH',
      jose: 'ERR_JWKS_NO_MATCHING_KEY',
      says: /would refuse the token, because no key in the JWKS has kid "expected"/,
    },
    {
      name: 'kid differs, the token kid names another key',
      token: withKid,
      keys: [{ ...c, kid: 'expected' }, nodeJwk(a, { kid: 'other' })],
      state: 'kid-mismatch',
      code: 'ERR_JWKS_KID_MISMATCH',
      jose: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      says: /would pick "key 1 of 2 \(kid expected\)", which does not verify it/,
    },
    {
      name: 'kid differs, the token kid names a key for encryption',
      token: withKid,
      keys: [{ ...c, kid: 'expected', use: 'enc' }, nodeJwk(a, { kid: 'other' })],
      state: 'kid-mismatch',
      code: 'ERR_JWKS_KID_MISMATCH',
      jose: 'ERR_JWKS_NO_MATCHING_KEY',
      says: /the key with kid "expected" \("key 1 of 2 \(kid expected\)"\) does not fit ES256 or is not for verifying/,
    },
    {
      name: 'the verifying key has no kid',
      token: withKid,
      keys: [nodeJwk(a)],
      state: 'kid-mismatch',
      code: 'ERR_JWKS_KID_MISMATCH',
      jose: 'ERR_JWKS_NO_MATCHING_KEY',
      says: /it has no kid/,
    },
    {
      name: 'no kid, two keys fit',
      token: noKid,
      keys: [{ ...c, kid: 'k1' }, nodeJwk(a, { kid: 'k2' })],
      state: 'kid-mismatch',
      code: 'ERR_JWKS_KID_AMBIGUOUS',
      jose: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
      says: /the token has no kid and 2 keys of the JWKS fit ES256/,
    },
    {
      name: 'no kid, one key fits the alg',
      token: noKid,
      keys: [nodeJwk(rsa, { kid: 'k1' }), nodeJwk(a, { kid: 'k2' })],
      state: 'verified',
      jose: 'ok',
    },
    {
      name: 'no kid, the other key is for encryption',
      token: noKid,
      keys: [{ ...c, use: 'enc' }, nodeJwk(a)],
      state: 'verified',
      jose: 'ok',
    },
    {
      name: 'no kid, the other key declares another alg',
      token: noKid,
      keys: [{ ...c, alg: 'ES384' }, nodeJwk(a)],
      state: 'verified',
      jose: 'ok',
    },
  ];

  it.each(cases.map((x) => [x.name, x] as const))('%s', async (_name, x) => {
    const jwks = { keys: x.keys } as JSONWebKeySet;
    const [v, j] = await Promise.all([keybench(x.token, jwks), jose(x.token, jwks)]);
    expect(j).toBe(x.jose);
    expect(v.state, v.message).toBe(x.state);
    expect(v.verified).toBe(j === 'ok');
    expect(v.code).toBe(x.code);
    if (x.says) expect(v.message).toMatch(x.says);
    if (v.state === 'kid-mismatch') {
      expect(v.message).toMatch(/^Signature valid \(ES256\) with /);
      expect(v.message).not.toContain('Signature verified');
      expect(v.key?.label).toMatch(/^key \d of \d/);
    }
  });
});

describe('keys a JWK rules out for verifying are named, not "tried"', () => {
  it('use "enc" and key_ops without "verify" are excluded with the reason', async () => {
    const a = toolKey('p256');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const token = nodeJws('ES256', a.privateKey, { sub: 'x' }, { kid: 'k' });
    const v = await keybench(token, {
      keys: [
        nodeJwk(a, { kid: 'k', use: 'enc' }),
        { ...other, kid: 'k', key_ops: ['encrypt'] },
        { ...other, kid: 'k2' },
      ],
    } as JSONWebKeySet);
    expect(v.state).toBe('failed');
    expect(v.tried).toEqual(['key 3 of 3 (kid k2)']);
    expect(v.excluded).toEqual([
      { label: 'key 1 of 3 (kid k)', why: '"use": enc' },
      { label: 'key 2 of 3 (kid k)', why: '"key_ops": encrypt' },
    ]);
    expect(v.message).not.toMatch(/key 1 of 3/);
  });

  it('a set of only excluded keys: ERR_JWK_NOT_FOR_VERIFYING, nothing tried', async () => {
    const a = toolKey('p256');
    const token = nodeJws('ES256', a.privateKey, { sub: 'x' });
    const v = await keybench(token, { keys: [nodeJwk(a, { use: 'enc' })] } as JSONWebKeySet);
    expect(v.code).toBe('ERR_JWK_NOT_FOR_VERIFYING');
    expect(v.tried).toEqual([]);
    expect(v.excluded).toHaveLength(1);
  });
});
