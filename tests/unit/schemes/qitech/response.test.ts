import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import { importPrivateKey } from '../../../../src/lib/keys/import';
import { verifyQitResponse, type QitKeyringEntry } from '../../../../src/lib/schemes/qitech/response';
import { signQitV1, vector } from '../../support/helpers';

const qit = JSON.parse(vector('qitech', 'vectors.json'));
const r = qit.response_post;
const API_KEY = qit.request_post.api_key as string;

async function entry(
  pem: string,
  kind: 'pair' | 'public',
  label: string,
  owner?: QitKeyringEntry['owner'],
): Promise<QitKeyringEntry> {
  const parsed = (await parseKeyText(pem)) as ParsedPublicKey | ParsedPrivateKey;
  return { kind, label, spki: parsed.spki, type: parsed.type, ...(owner ? { owner } : {}) };
}

const ownPair = () => entry(vector('qitech', 'jwtECDSASHA512.key.pub'), 'pair', 'my P-521 pair', 'mine');
const qitechKey = () =>
  entry(vector('qitech', 'qitech-side.key.pub'), 'public', 'QI Tech public key', 'qitech');

/** The user's own signed request, as an attacker would reflect it back as a "response". */
async function reflectedRequest() {
  const parsed = (await parseKeyText(vector('qitech', 'jwtECDSASHA512.key'))) as ParsedPrivateKey;
  const { privateKey } = await importPrivateKey(parsed);
  const req = await signQitV1(privateKey, {
    apiKey: API_KEY,
    method: 'POST',
    endpoint: '/test',
    body: '{"success":true,"amount":1e9}',
    date: qit.request_post.date,
  });
  return { authorization: req.headers['AUTHORIZATION']!, body: req.body };
}

const request = { method: 'POST', endpoint: '/test', date: qit.request_post.date as string };

describe('QI Tech response verification: trusted public keys only', () => {
  it("a reflected request is refused when the keyring holds only the user's own pair", async () => {
    const reflected = await reflectedRequest();
    const v = await verifyQitResponse({ ...reflected, apiKey: API_KEY, keyring: [await ownPair()], request });
    expect(v.verified).toBe(false);
    expect(v.code).toBe('ERR_QIT_NO_TRUSTED_KEY');
    expect(v.message).toMatch(/Import QI Tech's public key/);
    // No signature was checked at all, so nothing may claim to be signed.
    expect(v.checks.filter((c) => c.label.includes('signature') && c.severity === 'ok')).toEqual([]);
  });

  it("with QI Tech's key imported, the reflected request fails its signature (the pair is never tried)", async () => {
    const reflected = await reflectedRequest();
    const v = await verifyQitResponse({
      ...reflected,
      apiKey: API_KEY,
      keyring: [await ownPair(), await qitechKey()],
      request,
    });
    expect(v.verified).toBe(false);
    const token = v.checks.find((c) => c.code === 'ERR_QIT_TOKEN_SIGNATURE')!;
    expect(token.severity).toBe('error');
    expect(token.detail).not.toContain('my P-521 pair');
  });

  it("the response vector verifies with QI Tech's key alongside the user's pair", async () => {
    const v = await verifyQitResponse({
      authorization: r.headers.Authorization,
      body: JSON.stringify(r.received_body),
      apiKey: API_KEY,
      keyring: [await ownPair(), await qitechKey()],
      request,
    });
    expect(v.verified).toBe(true);
    expect(v.checks.map((c) => [c.label, c.severity])).toEqual([
      ['API key', 'ok'],
      ['Authorization token signature', 'ok'],
      ['Body MD5', 'ok'],
      ['Method line', 'ok'],
      ['Date line', 'ok'],
      ['Endpoint line', 'ok'],
      ['encoded_body signature', 'ok'],
    ]);
    expect(v.decodedBody).toEqual(r.decoded_body);
  });

  it('method, endpoint and date lines that differ from the request are warnings, not failures', async () => {
    const base = {
      authorization: r.headers.Authorization,
      body: JSON.stringify(r.received_body),
      apiKey: API_KEY,
      keyring: [await qitechKey()],
    };
    const v = await verifyQitResponse({
      ...base,
      request: { method: 'PUT', endpoint: '/elsewhere?x=1', date: 'Fri, 24 Nov 2023 00:00:00 GMT' },
    });
    expect(v.verified).toBe(true);
    expect(v.checks.filter((c) => c.severity === 'warning').map((c) => c.code)).toEqual([
      'ERR_QIT_METHOD',
      'ERR_QIT_DATE',
      'ERR_QIT_ENDPOINT',
    ]);
    // The API key and the md5 line are required.
    const wrongKey = await verifyQitResponse({ ...base, apiKey: 'someone-else', request });
    expect(wrongKey.verified).toBe(false);
    expect(wrongKey.checks.filter((c) => c.severity === 'error').map((c) => c.code)).toEqual([
      'ERR_QIT_API_KEY',
    ]);
    const otherBody = (await reflectedRequest()).body;
    const wrongBody = await verifyQitResponse({ ...base, body: otherBody, request });
    expect(wrongBody.verified).toBe(false);
    expect(wrongBody.checks.filter((c) => c.severity === 'error').map((c) => c.code)).toEqual([
      'ERR_QIT_MD5',
      'ERR_QIT_BODY_SIGNATURE',
    ]);
  });
});
