import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey, type ParsedPublicKey } from '../../src/lib/keys/parse';
import { importPrivateKey } from '../../src/lib/keys/import';
import {
  describeQredoRequest,
  qredoBodyWarnings,
  signQredoRequest,
  verifyQredoRequest,
} from '../../src/lib/schemes/qredo/sign';
import { vector } from './helpers';

async function rsaKey() {
  const parsed = (await parseKeyText(vector('qredo', 'private.pem'))) as ParsedPrivateKey;
  return (await importPrivateKey(parsed)).privateKey;
}
async function rsaPublic() {
  const p = (await parseKeyText(vector('qredo', 'public.pem'))) as ParsedPublicKey;
  return {
    kind: 'public' as const,
    label: 'Qredo key',
    origin: 'stored' as const,
    owner: 'mine' as const,
    spki: p.spki,
    type: p.type,
  };
}

describe('Qredo x-nonce and the \\r\\n warning', () => {
  const url = 'https://play-api.qredo.network/api/v1/p/company';

  it('x-nonce replaces x-timestamp and leads the signed message; node:crypto verifies', async () => {
    const out = await signQredoRequest({
      privateKey: await rsaKey(),
      method: 'POST',
      url,
      body: '{"a":1}',
      timestamp: '1700000000123',
      apiKey: 'k',
      authHeader: 'x-nonce',
    });
    expect(Object.keys(out.headers)).toEqual(['x-api-key', 'x-nonce', 'x-sign']);
    expect(out.headers['x-nonce']).toBe('1700000000123');
    expect(out.message).toBe(`1700000000123${url}{"a":1}`);
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(out.message),
        createPublicKey(vector('qredo', 'public.pem')),
        Buffer.from(out.xSign, 'base64url'),
      ),
    ).toBe(true);
    expect(out.curl).toContain(`-H 'x-nonce: 1700000000123'`);
    expect(out.curl).not.toContain('x-timestamp');
    expect(describeQredoRequest(out)).toEqual([{ label: expect.any(String), text: out.message }]);
    await expect(
      signQredoRequest({
        ...{ privateKey: await rsaKey(), method: 'GET', url, body: '', apiKey: '' },
        timestamp: '',
        authHeader: 'x-nonce',
      }),
    ).rejects.toMatchObject({ code: 'ERR_PARTNER_INPUT' });
  });

  it('warns when the body ends in \\r\\n, and only then', async () => {
    expect(qredoBodyWarnings('{"a":1}\r\n')[0]).toMatch(/interactive signing client/);
    expect(qredoBodyWarnings('{"a":1}\n')).toEqual([]);
    expect(qredoBodyWarnings('{"a":1}')).toEqual([]);
    const out = await signQredoRequest({
      privateKey: await rsaKey(),
      method: 'POST',
      url,
      body: '{"a":1}\r\n',
      timestamp: '1700000000',
      apiKey: '',
    });
    expect(out.warnings).toHaveLength(1);
  });

  it('verifies an x-sign with a trusted RSA key, and names a changed byte', async () => {
    const out = await signQredoRequest({
      privateKey: await rsaKey(),
      method: 'GET',
      url,
      body: '',
      timestamp: '1700000000',
      apiKey: '',
    });
    const keys = [await rsaPublic()];
    const good = await verifyQredoRequest({ url, body: '', timestamp: '1700000000', xSign: out.xSign, keys });
    expect(good).toMatchObject({ severity: 'ok', code: 'OK' });
    const bad = await verifyQredoRequest({
      url: `${url}/`,
      body: '',
      timestamp: '1700000000',
      xSign: out.xSign,
      keys,
    });
    expect(bad).toMatchObject({ severity: 'error', code: 'ERR_QREDO_SIGNATURE' });
    const none = await verifyQredoRequest({
      url,
      body: '',
      timestamp: '1700000000',
      xSign: out.xSign,
      keys: [],
    });
    expect(none.code).toBe('ERR_QREDO_SIGNATURE');
  });
});
