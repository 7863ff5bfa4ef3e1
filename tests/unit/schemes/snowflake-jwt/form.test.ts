/**
 * The Snowflake Sign form on the engine: fields as data, `sign` with a stored
 * non-extractable RSA pair (real WebCrypto), its output checked with node:crypto.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePem } from '../../../../src/lib/encoding/pem';
import { isKeybenchError } from '../../../../src/lib/errors';
import { plain } from '../../../../src/lib/rich';
import { loadForm } from '../../../../src/lib/scheme/registry';
import type { FormValues, SignerKey } from '../../../../src/lib/scheme/contract';
import form from '../../../../src/lib/schemes/snowflake-jwt/form';
import { vector } from '../../support/helpers';

const publicPem = vector('qredo', 'public.pem');
const privatePem = vector('qredo', 'private.pkcs8.pem');

function der(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const block = parsePem(pem).find((b) => b.label === label);
  if (!block) throw new Error(`no ${label}`);
  return block.der;
}

async function rsaPair(): Promise<SignerKey> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await crypto.subtle.importKey('pkcs8', der(privatePem, 'PRIVATE KEY'), alg, false, [
    'sign',
  ]);
  const spki = der(publicPem, 'PUBLIC KEY');
  const publicKey = await crypto.subtle.importKey('spki', spki, alg, true, ['verify']);
  return { kind: 'pair', label: 'my RSA key', privateKey, publicKey, spki };
}

const values = (v: Partial<FormValues> = {}): FormValues => ({
  key: '',
  account: 'xy12345.us-east-1',
  user: 'jsmith',
  lifetime: 60,
  statement: 'SELECT 1',
  ...v,
});

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isKeybenchError(e)) return e.code;
    throw e;
  }
  throw new Error('signed');
}

describe('snowflake-jwt/form.ts', () => {
  it('the registry loads it; its fields are data with the stable labels', async () => {
    expect(await loadForm('snowflake-jwt')).toBe(form);
    expect(form.keyTypes).toEqual(['RSA']);
    expect(form.fields.map((f) => f.label)).toEqual([
      'Key pair',
      'Account',
      'User',
      'Lifetime (minutes)',
      'SQL statement',
    ]);
    expect(form.fields.find((f) => f.name === 'key')?.kind).toBe('key');
  });

  it('signs a key-pair JWT node:crypto verifies, with its headers, base part by part and curl', async () => {
    const key = await rsaPair();
    const nowMs = Date.parse('2026-06-01T12:00:00Z');
    const out = await form.sign(values(), key, nowMs);
    const [h, p, s] = (out.token ?? '').split('.');
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        createPublicKey(publicPem),
        Buffer.from(s ?? '', 'base64url'),
      ),
    ).toBe(true);
    const fp = `SHA256:${createHash('sha256').update(der(publicPem, 'PUBLIC KEY')).digest('base64')}`;
    expect(JSON.parse(Buffer.from(p ?? '', 'base64url').toString())).toEqual({
      iss: `XY12345.JSMITH.${fp}`,
      sub: 'XY12345.JSMITH',
      iat: nowMs / 1000,
      exp: nowMs / 1000 + 3600,
    });
    expect(out.base.map((b) => b.text).join('')).toBe(`${h}.${p}`);
    expect(out.headers).toEqual([
      ['Authorization', `Bearer ${out.token}`],
      ['X-Snowflake-Authorization-Token-Type', 'KEYPAIR_JWT'],
    ]);
    expect(out.request.url).toBe('https://xy12345.us-east-1.snowflakecomputing.com/api/v2/statements');
    expect(JSON.parse(out.request.body)).toEqual({ statement: 'SELECT 1', timeout: 60 });
    expect(out.curl).toContain(`'Authorization: Bearer ${out.token}'`);
    expect(out.curl).toContain('"statement":"SELECT 1"');
    const notes = (out.notes ?? []).map(plain);
    expect(notes[0]).toContain('XY12345');
    expect(notes.some((n) => n.includes('region'))).toBe(true);
  });

  it('the lifetime in minutes becomes exp − iat; over an hour, a secret or another key type is refused', async () => {
    const key = await rsaPair();
    const out = await form.sign(values({ lifetime: 5 }), key, 1_700_000_000_000);
    const claims = JSON.parse(Buffer.from(out.token!.split('.')[1]!, 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    expect(claims.exp - claims.iat).toBe(300);
    expect(await refusal(form.sign(values({ lifetime: 61 }), key, Date.now()))).toBe(
      'ERR_SNOWFLAKE_LIFETIME',
    );
    expect(await refusal(form.sign(values({ account: 'xy12345.nowhere.else' }), key, Date.now()))).toBe(
      'ERR_SNOWFLAKE_ACCOUNT',
    );
    expect(await refusal(form.sign(values({ user: ' ' }), key, Date.now()))).toBe('ERR_SNOWFLAKE_USER');
    const secret: SignerKey = { kind: 'secret', label: 's', secret: new Uint8Array(32) };
    expect(await refusal(form.sign(values(), secret, Date.now()))).toBe('ERR_KEY_UNSUPPORTED');
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const ecPair: SignerKey = { ...(key as Extract<SignerKey, { kind: 'pair' }>), ...ec, label: 'ec' };
    expect(await refusal(form.sign(values(), ecPair, Date.now()))).toBe('ERR_KEY_UNSUPPORTED');
  });
});
