import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import { importPrivateKey } from '../../../../src/lib/keys/import';
import { qredoBodyWarnings } from '../../../../src/lib/schemes/qredo/scheme';
import type { ParsedRequest } from '../../../../src/lib/request/types';
import { diagnoseQredo, signQredoRequest } from '../../support/qredo-helpers';
import { vector } from '../../support/helpers';

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
    expect(out.base.map((p) => p.label)).toEqual(['x-nonce', 'URL', 'body']);
    await expect(
      signQredoRequest({
        ...{ privateKey: await rsaKey(), method: 'GET', url, body: '', apiKey: '' },
        timestamp: 'a b',
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
    const request = (u: string): ParsedRequest => ({
      source: 'curl',
      method: 'GET',
      url: u,
      headers: [
        ['x-timestamp', '1700000000'],
        ['x-sign', out.xSign],
      ],
      body: '',
      notes: [],
    });
    const nowMs = 1700000000_000;
    const good = await diagnoseQredo({ request: request(url), keys, nowMs });
    expect(good.findings.find((f) => f.check === 'signature')).toMatchObject({ severity: 'ok', code: 'OK' });
    const bad = await diagnoseQredo({ request: request(`${url}/`), keys, nowMs });
    expect(bad.signatureVerified).toBe(false);
    expect(bad.diagnoses[0]).toMatchObject({ code: 'ERR_QREDO_URL_TRAILING_SLASH', confirmed: true });
    const none = await diagnoseQredo({ request: request(url), keys: [], nowMs });
    expect(none.signatureVerified).toBe(false);
    expect(none.findings.find((f) => f.check === 'signature')?.code).toBe('ERR_REQUEST_NO_KEY');
  });
});

describe('Qredo "Sign it correctly"', () => {
  it('an empty timestamp or nonce is taken when signing, in the unit each is sent in', async () => {
    const { default: qredo } = await import('../../../../src/lib/schemes/qredo/scheme');
    const now = 1700000000123;
    const values = { method: 'GET', url: 'https://play-api.qredo.network/api/v1/p/company', timestamp: '' };
    expect((await qredo.signer.parts(values, now)).value).toBe('1700000000');
    expect((await qredo.signer.parts({ ...values, authHeader: 'x-nonce', nonce: '' }, now)).value).toBe(
      '1700000000123',
    );
  });
});
