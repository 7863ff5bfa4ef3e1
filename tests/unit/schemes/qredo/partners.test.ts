import { createPublicKey, verify as nodeVerify, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import { importPrivateKey } from '../../../../src/lib/keys/import';
import qredoScheme, { inspectQredoApiKey } from '../../../../src/lib/schemes/qredo/scheme';
import { signQredoRequest } from '../../support/qredo-helpers';
import { md5Hex } from '../../../../src/lib/schemes/qitech/token';
import { verifyQitResponse } from '../../../../src/lib/schemes/qitech/response';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import { verifyToken, type VerificationKey } from '../../../../src/lib/jwt/verify';
import {
  openssl,
  opensslBytes,
  tempDir,
  vector,
  vectorPath,
  writeTemp,
  signQitV1,
} from '../../support/helpers';
import { nodeVerifiesJws } from '../../support/jwt-helpers';

const qredo = JSON.parse(vector('qredo', 'vectors.json'));
const qit = JSON.parse(vector('qitech', 'vectors.json'));

async function signingKey(pem: string) {
  const parsed = (await parseKeyText(pem)) as ParsedPrivateKey;
  expect(parsed.kind).toBe('private');
  return importPrivateKey(parsed);
}

async function verificationKey(pem: string, label: string): Promise<VerificationKey & { kind: 'public' }> {
  const parsed = (await parseKeyText(pem)) as ParsedPublicKey;
  return { kind: 'public', label, origin: 'stored', owner: 'mine', spki: parsed.spki, type: parsed.type };
}

describe('Qredo x-sign', () => {
  for (const file of ['private.pem', 'private.pkcs8.pem']) {
    it(`reproduces every vector exactly with ${file} imported non-extractable`, async () => {
      const { privateKey } = await signingKey(vector('qredo', file));
      expect(privateKey.extractable).toBe(false);
      for (const c of qredo.cases) {
        const out = await signQredoRequest({
          privateKey,
          method: c.method,
          url: c.url,
          body: c.body,
          timestamp: c.timestamp,
          apiKey: 'k',
        });
        expect(out.xSign).toBe(c.expected_x_sign);
        expect(out.xSign).toHaveLength(342);
        expect(out.headers).toEqual({
          'x-api-key': 'k',
          'x-timestamp': c.timestamp,
          'x-sign': c.expected_x_sign,
        });
      }
    });
  }

  it("matches PARTNERS.md's openssl command for a new message, and node:crypto verifies it", async () => {
    const { privateKey } = await signingKey(vector('qredo', 'private.pem'));
    const ts = '1763900000';
    const url = 'https://play-api.qredo.network/api/v1/p/company?x=1';
    const body = '{"name":"Zoë"}';
    const out = await signQredoRequest({ privateKey, method: 'POST', url, body, timestamp: ts, apiKey: '' });
    const dir = tempDir();
    const msg = writeTemp(dir, 'msg', `${ts}${url}${body}`);
    const sig = opensslBytes(['dgst', '-sha256', '-sign', vectorPath('qredo', 'private.pem'), msg]);
    expect(out.xSign).toBe(sig.toString('base64url'));
    const ok = nodeVerify(
      'sha256',
      Buffer.from(`${ts}${url}${body}`),
      createPublicKey(vector('qredo', 'public.pem')),
      Buffer.from(out.xSign, 'base64url'),
    );
    expect(ok).toBe(true);
    expect(out.curl).toContain(`-H 'x-sign: ${out.xSign}'`);
    expect(out.curl).toContain(`--data-raw '{"name":"Zoë"}'`);
  });

  it('ERR_PARTNER_INPUT: relative URL, millisecond timestamp, or an EC key', async () => {
    const { privateKey } = await signingKey(vector('qredo', 'private.pem'));
    const base = {
      privateKey,
      method: 'GET',
      url: 'https://x/y',
      body: '',
      timestamp: '1700000000',
      apiKey: '',
    };
    await expect(signQredoRequest({ ...base, url: '/api/v1/p/company' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    await expect(signQredoRequest({ ...base, timestamp: '1700000000000' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    const ec = await signingKey(vector('qitech', 'jwtECDSASHA512.key'));
    await expect(signQredoRequest({ ...base, privateKey: ec.privateKey })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
  });

  it('reads key_id from an API key and warns otherwise', () => {
    const apiKey = Buffer.from(JSON.stringify({ key_id: 'abc123', key: 's3cret' })).toString('base64');
    expect(inspectQredoApiKey(apiKey)).toEqual({ keyId: 'abc123' });
    expect(inspectQredoApiKey(Buffer.from('{"key_id":"u"}').toString('base64url'))).toEqual({ keyId: 'u' });
    expect(inspectQredoApiKey('not-a-key').warning).toMatch(/does not look like a Qredo API key/);
    const timestamp = qredoScheme.signer.fields.find((f) => f.name === 'timestamp')!.default;
    expect(typeof timestamp === 'function' && timestamp(1700000000999)).toBe('1700000000');
  });
});

describe('QI Tech QIT v1', () => {
  it('MD5 of the documented examples', () => {
    expect(md5Hex('{"name":"QI Tech"}')).toBe('4a603f0f0e7ddde9da2a0ad3d341f74b');
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    for (const [label, hex] of Object.entries(qit.md5_examples)) {
      const text = label.startsWith('JSON.stringify')
        ? '{"name":"QI Tech"}'
        : label.startsWith('python')
          ? '{"name": "QI Tech"}'
          : label;
      expect(md5Hex(text)).toBe(hex);
    }
  });

  it('the request vectors verify with the client public key and their md5/string_to_sign hold', async () => {
    const client = await verificationKey(vector('qitech', 'jwtECDSASHA512.key.pub'), 'client');
    for (const req of [qit.request_post, qit.request_get]) {
      const [, token] = /^QIT [^:]+:(.+)$/.exec(req.headers.AUTHORIZATION)!;
      const decoded = decodeToken(token!);
      expect((await verifyToken(decoded, [client])).verified).toBe(true);
      expect(decoded.payload).toMatchObject({
        kind: 'json',
        value: { sub: req.api_key, signature: req.string_to_sign },
      });
      if (req.sent_body) {
        expect(md5Hex(req.sent_body.encoded_body)).toBe(req.md5);
        expect((await verifyToken(decodeToken(req.sent_body.encoded_body), [client])).verified).toBe(true);
      }
    }
  });

  it('signs POST and GET like the vectors; node:crypto verifies every JWS', async () => {
    const { privateKey } = await signingKey(vector('qitech', 'jwtECDSASHA512.key'));
    const pub = createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'));
    const verifyJws = (jws: string) => nodeVerifiesJws(jws, pub);
    const post = qit.request_post;
    const out = await signQitV1(privateKey, {
      apiKey: post.api_key,
      method: 'POST',
      endpoint: post.endpoint,
      body: JSON.stringify(post.body_json),
      date: post.date,
      endpointLine: 'path only (qitech-wrapper 0.1.8, Clojure client)',
    });
    const encodedBody = (JSON.parse(out.body) as { encoded_body: string }).encoded_body;
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());
    expect(encodedBody.split('.').slice(0, 2).join('.')).toBe(
      post.sent_body.encoded_body.split('.').slice(0, 2).join('.'),
    );
    const md5 = md5Hex(encodedBody);
    expect(claims(out.token).signature).toBe(`POST\n${md5}\napplication/json\n${post.date}\n/test`);
    expect(out.body).toBe(JSON.stringify({ encoded_body: encodedBody }));
    expect(out.headers['AUTHORIZATION']).toBe(`QIT ${post.api_key}:${out.token}`);
    expect(out.headers['Content-Type']).toBe('application/json');
    expect(verifyJws(encodedBody)).toBe(true);
    expect(verifyJws(out.token)).toBe(true);
    expect(Buffer.from(out.token.split('.')[2]!, 'base64url')).toHaveLength(132);

    const get = qit.request_get;
    const g = await signQitV1(privateKey, {
      apiKey: get.api_key,
      method: 'GET',
      endpoint: `${get.endpoint}?page=2`,
      date: get.date,
      endpointLine: 'path only (qitech-wrapper 0.1.8, Clojure client)',
    });
    expect(claims(g.token).signature).toBe(get.string_to_sign);
    expect(g.headers['Content-Type']).toBeUndefined();
    expect(claims(g.token)).toEqual({
      sub: get.api_key,
      signature: get.string_to_sign,
    });
    const g2 = await signQitV1(privateKey, {
      apiKey: get.api_key,
      method: 'GET',
      endpoint: `${get.endpoint}?page=2`,
      date: get.date,
      getContentType: 'application/json (Elixir client)',
    });
    expect(claims(g2.token).signature).toBe(`GET\n\napplication/json\n${get.date}\n/account/balance?page=2`);
  });

  it("the response vector verifies with QI Tech's trusted key; every check is reported", async () => {
    const side = await verificationKey(vector('qitech', 'qitech-side.key.pub'), 'QI Tech public key');
    const r = qit.response_post;
    const v = await verifyQitResponse({
      authorization: r.headers.Authorization,
      body: JSON.stringify(r.received_body),
      apiKey: qit.request_post.api_key,
      keyring: [{ kind: 'public', label: side.label, spki: side.spki, type: side.type, owner: 'qitech' }],
      request: { method: 'POST', endpoint: '/test' },
    });
    expect(v.checks.map((c) => [c.label, c.severity])).toEqual([
      ['API key', 'ok'],
      ['Authorization token signature', 'ok'],
      ['Body MD5', 'ok'],
      ['Method line', 'ok'],
      ['Date line', 'info'],
      ['Endpoint line', 'ok'],
      ['encoded_body signature', 'ok'],
    ]);
    expect(v.verified).toBe(true);
    expect(v.message).toMatch(/^Signature verified with "QI Tech public key"/);
    expect(v.decodedBody).toEqual(r.decoded_body);
  });

  it('tampered body, wrong key, other API key, forged token: not verified, with the failing check', async () => {
    const side = await verificationKey(vector('qitech', 'qitech-side.key.pub'), 'QI Tech');
    const client = await verificationKey(vector('qitech', 'jwtECDSASHA512.key.pub'), 'not QI Tech');
    const asTrusted = (k: VerificationKey & { kind: 'public' }) => [
      { kind: 'public' as const, label: k.label, spki: k.spki, type: k.type, owner: 'qitech' as const },
    ];
    const r = qit.response_post;
    const base = {
      authorization: r.headers.Authorization,
      body: JSON.stringify(r.received_body),
      apiKey: qit.request_post.api_key,
      keyring: asTrusted(side),
      request: { method: 'POST', endpoint: '/test' },
    };
    const failing = async (patch: Partial<typeof base>) => {
      const v = await verifyQitResponse({ ...base, ...patch });
      expect(v.verified).toBe(false);
      expect(v.message).not.toContain('Signature verified');
      return v.checks.filter((c) => c.severity === 'error').map((c) => c.code);
    };
    // A different body (re-signed by someone else) changes the md5 and fails the signature.
    const otherJws = await (async () => {
      const { privateKey } = await signingKey(vector('qitech', 'jwtECDSASHA512.key'));
      const signed = await signQitV1(privateKey, {
        apiKey: 'x',
        method: 'POST',
        endpoint: '/test',
        body: '{"success":true,"amount":1e9}',
        date: 'd',
      });
      return (JSON.parse(signed.body) as { encoded_body: string }).encoded_body;
    })();
    expect(await failing({ body: JSON.stringify({ encoded_body: otherJws }) })).toEqual([
      'ERR_QIT_MD5',
      'ERR_QIT_BODY_SIGNATURE',
    ]);
    expect(await failing({ keyring: asTrusted(client) })).toEqual([
      'ERR_QIT_TOKEN_SIGNATURE',
      'ERR_QIT_BODY_SIGNATURE',
    ]);
    expect(await failing({ apiKey: 'someone-else' })).toEqual(['ERR_QIT_API_KEY']);
    expect(await failing({ authorization: 'Bearer abc' })).toEqual(['ERR_QIT_AUTH_HEADER']);
    // A tampered token payload.
    const [pre, tok] = r.headers.Authorization.split(':');
    const [h, p, s] = tok.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.signature = claims.signature.replace('POST', 'GET');
    const forged = `${pre}:${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expect(await failing({ authorization: forged, request: { method: 'GET', endpoint: '/test' } })).toEqual([
      'ERR_QIT_TOKEN_SIGNATURE',
    ]);
  });
});

describe('key import (parse + non-extractable import)', () => {
  it('PKCS#1 and SEC1 convert to the same PKCS#8 openssl writes', async () => {
    const fromPkcs1 = (await parseKeyText(vector('qredo', 'private.pem'))) as ParsedPrivateKey;
    const pkcs8Der = createPrivateKey(vector('qredo', 'private.pkcs8.pem')).export({
      type: 'pkcs8',
      format: 'der',
    });
    expect(Buffer.from(fromPkcs1.pkcs8!).equals(pkcs8Der)).toBe(true);
    expect(
      Buffer.from(fromPkcs1.spki).equals(
        createPublicKey(vector('qredo', 'public.pem')).export({ type: 'spki', format: 'der' }),
      ),
    ).toBe(true);
    const fromSec1 = (await parseKeyText(vector('qitech', 'jwtECDSASHA512.key'))) as ParsedPrivateKey;
    expect(fromSec1.source).toBe('SEC1 EC PRIVATE KEY');
    expect(
      Buffer.from(fromSec1.spki).equals(
        createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub')).export({ type: 'spki', format: 'der' }),
      ),
    ).toBe(true);
    const { privateKey } = await importPrivateKey(fromSec1);
    expect(privateKey.extractable).toBe(false);
    // Import zeroes the PKCS#8 bytes it was handed.
    expect(fromSec1.pkcs8!.every((b) => b === 0)).toBe(true);
    const sig = Buffer.from(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, privateKey, Buffer.from('m')),
    );
    expect(
      nodeVerify(
        'sha512',
        Buffer.from('m'),
        { key: createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub')), dsaEncoding: 'ieee-p1363' },
        sig,
      ),
    ).toBe(true);
  });

  it('a private JWK imports; its public half is derived', async () => {
    const jwk = createPrivateKey(vector('qitech', 'jwtECDSASHA512.pkcs8.pem')).export({ format: 'jwk' });
    const parsed = (await parseKeyText(JSON.stringify(jwk))) as ParsedPrivateKey;
    expect(parsed.source).toBe('private JWK');
    const { privateKey, jwsAlg } = await importPrivateKey(parsed);
    expect(jwsAlg).toBe('ES512');
    expect(privateKey.extractable).toBe(false);
    expect(parsed.jwk).not.toHaveProperty('d');
  });

  it('ERR_KEY_ENCRYPTED, ERR_KEY_WEAK, ERR_KEY_UNSUPPORTED, ERR_KEY_UNRECOGNISED', async () => {
    const enc = openssl([
      'pkey',
      '-in',
      vectorPath('qredo', 'private.pkcs8.pem'),
      '-aes256',
      '-passout',
      'pass:x',
    ]);
    await expect(parseKeyText(enc)).rejects.toMatchObject({
      code: 'ERR_KEY_ENCRYPTED',
      message: expect.stringContaining('openssl pkey'),
    });
    const legacyEnc = openssl([
      'rsa',
      '-in',
      vectorPath('qredo', 'private.pem'),
      '-aes256',
      '-passout',
      'pass:x',
      '-traditional',
    ]);
    await expect(parseKeyText(legacyEnc)).rejects.toMatchObject({
      code: 'ERR_KEY_ENCRYPTED',
      message: expect.stringContaining('openssl rsa'),
    });
    const weak = openssl(['genrsa', '-traditional', '1024']);
    await expect(parseKeyText(weak)).rejects.toMatchObject({ code: 'ERR_KEY_WEAK' });
    const k1 = openssl(['ecparam', '-name', 'secp256k1', '-genkey', '-noout']);
    await expect(parseKeyText(k1)).rejects.toMatchObject({
      code: 'ERR_KEY_UNSUPPORTED',
      message: expect.stringContaining('secp256k1'),
    });
    await expect(parseKeyText('hello world')).rejects.toMatchObject({ code: 'ERR_KEY_UNRECOGNISED' });
    await expect(
      parseKeyText('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----'),
    ).rejects.toMatchObject({ code: 'ERR_KEY_UNSUPPORTED' });
  });

  it('an EC key written by `openssl ecparam -genkey` (with EC PARAMETERS) imports', async () => {
    const pem = openssl(['ecparam', '-name', 'secp521r1', '-genkey']);
    expect(pem).toContain('EC PARAMETERS');
    const parsed = await parseKeyText(pem);
    expect(parsed.kind).toBe('private');
    expect(parsed.type).toEqual({ kty: 'EC', curve: 'P-521' });
  });
});

describe('node:crypto-signed Qredo-style request verifies the other way round', () => {
  it('a keybench x-sign equals node:crypto sign with the same key (deterministic PKCS#1 v1.5)', async () => {
    const { privateKey } = await signingKey(vector('qredo', 'private.pem'));
    const out = await signQredoRequest({
      privateKey,
      method: 'GET',
      url: 'wss://play-api.qredo.network/api/v1/p/feed',
      body: '',
      timestamp: '1700000001',
      apiKey: '',
    });
    const expected = nodeSign(
      'sha256',
      Buffer.from('1700000001wss://play-api.qredo.network/api/v1/p/feed'),
      createPrivateKey(vector('qredo', 'private.pem')),
    ).toString('base64url');
    expect(out.xSign).toBe(expected);
  });
});
