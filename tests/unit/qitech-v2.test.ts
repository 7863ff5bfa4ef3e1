import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey, type ParsedPublicKey } from '../../src/lib/keys/parse';
import { importPrivateKey } from '../../src/lib/keys/import';
import type { VerificationKey } from '../../src/lib/jwt/verify';
import { md5Hex } from '../../src/lib/schemes/qitech/shared';
import { V2, signV2Request, type V2SignInput } from '../../src/lib/schemes/qit-v2/sign';
import { QI_DTVM } from '../../src/lib/schemes/qi-dtvm/sign';
import {
  pastedPublicKey,
  recogniseQitScheme,
  verifyQitechRequest,
} from '../../src/lib/schemes/qitech/request';
import { pythonJsonDumps, serialiseBody, pythonFloatRepr } from '../../src/lib/partners/body-bytes';
import { QIT_DEFAULTS, signQitRequest } from '../../src/lib/schemes/qit-v1/sign';
import { vector } from './helpers';
import { nodeJws, nodeVerifiesJws } from './jwt-helpers';

const v2 = JSON.parse(vector('qitech', 'vectors-v2.json'));
const v1 = JSON.parse(vector('qitech', 'vectors.json'));
const CASES = ['v2_post', 'v2_get', 'dtvm_post', 'dtvm_get'] as const;

async function clientKey(): Promise<VerificationKey> {
  const parsed = (await parseKeyText(vector('qitech', 'jwtECDSASHA512.key.pub'))) as ParsedPublicKey;
  return {
    kind: 'public',
    label: 'my server key',
    origin: 'stored',
    owner: 'mine',
    spki: parsed.spki,
    type: parsed.type,
  };
}
async function privateKey(): Promise<CryptoKey> {
  const parsed = (await parseKeyText(vector('qitech', 'jwtECDSASHA512.key'))) as ParsedPrivateKey;
  return (await importPrivateKey(parsed)).privateKey;
}
const nodePrivate = () => createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const nodePublic = () => createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'));

const python3 = (() => {
  try {
    execFileSync('python3', ['-c', 'pass']);
    return true;
  } catch {
    return false;
  }
})();
/** json.dumps(json.loads(text)) and its md5, by Python itself. */
function pythonDumps(text: string): { dumps: string; md5: string } {
  const out = execFileSync(
    'python3',
    [
      '-c',
      'import json,hashlib,sys; s=json.dumps(json.loads(sys.stdin.read())); print(json.dumps({"dumps": s, "md5": hashlib.md5(s.encode()).hexdigest()}))',
    ],
    { input: text, encoding: 'utf8' },
  );
  return JSON.parse(out);
}

describe('QI Tech v2 / QI DTVM vectors', () => {
  for (const name of CASES) {
    it(`${name} verifies: signature, payload_md5, method, uri, timestamp form`, async () => {
      const c = v2[name];
      const verdict = await verifyQitechRequest('auto', {
        authorization: c.headers.AUTHORIZATION,
        body: c.sent_body ?? '',
        keys: [await clientKey()],
        expected: { method: c.method, endpoint: c.endpoint },
        nowMs: Date.parse(c.timestamp.endsWith('Z') ? c.timestamp : `${c.timestamp}Z`) + 1000,
      });
      expect(verdict.scheme).toBe(c.variant);
      expect(verdict.signatureVerified).toBe(true);
      expect(verdict.keyLabel).toBe('my server key');
      expect(verdict.claims).toEqual(c.claims);
      expect(verdict.findings.map((f) => [f.check, f.severity])).toEqual([
        ['signature', 'ok'],
        ['md5', 'ok'],
        ['method', 'ok'],
        ['uri', 'ok'],
        ['timestamp-format', 'ok'],
      ]);
      expect(verdict.verified).toBe(true);
      if (c.md5_input !== undefined) expect(md5Hex(c.md5_input)).toBe(c.claims.payload_md5);
      expect(nodeVerifiesJws(c.headers.AUTHORIZATION, nodePublic())).toBe(true);
    });
  }

  it('recognises the scheme from the AUTHORIZATION value', () => {
    expect(recogniseQitScheme(v2.v2_post.headers.AUTHORIZATION)).toBe('v2');
    expect(recogniseQitScheme(`AUTHORIZATION: ${v2.dtvm_get.headers.AUTHORIZATION}`)).toBe('qi-dtvm');
    expect(recogniseQitScheme(v1.request_post.headers.AUTHORIZATION)).toBe('v1');
  });
});

describe('keybench signs v2 / QI DTVM requests like the samples', () => {
  for (const name of CASES) {
    it(`${name}: same header and claims as the vector (byte for byte), node:crypto verifies`, async () => {
      const c = v2[name];
      const variant = c.variant === 'v2' ? V2 : QI_DTVM;
      const input: V2SignInput = {
        privateKey: await privateKey(),
        apiKey: c.api_key,
        method: c.method,
        endpoint: c.endpoint,
        // Typed compactly; Python's serialisation is what the samples hash and send.
        body: c.sent_body ? JSON.stringify(JSON.parse(c.sent_body)) : '',
        serialisation: 'python',
        emptyPayload: '{}',
        timestamp: c.timestamp,
      };
      const out = await signV2Request(variant, input);
      const [h, p] = c.headers.AUTHORIZATION.split('.');
      expect(out.token.split('.').slice(0, 2)).toEqual([h, p]);
      expect(out.claims).toEqual(c.claims);
      expect(out.sentBody).toBe(c.sent_body);
      expect(out.md5Input).toBe(c.md5_input);
      expect(out.headers).toEqual({
        AUTHORIZATION: out.token,
        'API-CLIENT-KEY': c.api_key,
        ...(c.sent_body ? { 'Content-Type': 'application/json' } : {}),
      });
      expect(nodeVerifiesJws(out.token, nodePublic())).toBe(true);
      expect(Buffer.from(out.token.split('.')[2]!, 'base64url')).toHaveLength(132);
      if (c.sent_body) {
        expect(out.curl).toContain(`--data-binary '${c.sent_body}'`);
        expect(out.notes.join(' ')).toMatch(/differ from JSON.stringify/);
      } else {
        expect(out.curl).not.toContain('--data');
      }
    });
  }

  it('GET: md5("{}") by default, md5("") as the other choice; QI DTVM omits payload_md5', async () => {
    const base: V2SignInput = {
      privateKey: await privateKey(),
      apiKey: 'k',
      method: 'GET',
      endpoint: '/x',
      body: '{"ignored":true}',
      serialisation: 'python',
      emptyPayload: '{}',
      timestamp: V2.timestamp(0),
    };
    expect((await signV2Request(V2, base)).claims.payload_md5).toBe('99914b932bd37a50b983c5e7c90ae93b');
    const empty = await signV2Request(V2, { ...base, emptyPayload: '' });
    expect(empty.claims.payload_md5).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(empty.md5Input).toBe('');
    expect(empty.sentBody).toBeUndefined();
    const dtvm = await signV2Request(QI_DTVM, { ...base, timestamp: QI_DTVM.timestamp(0) });
    expect(dtvm.claims).toEqual({ timestamp: '1970-01-01T00:00:00', method: 'GET', uri: '/x' });
  });

  it('timestamps: v2 with microseconds and Z, QI DTVM without fraction or Z', () => {
    const t = Date.parse('2023-06-26T19:48:32.759Z');
    expect(V2.timestamp(t)).toBe('2023-06-26T19:48:32.759000Z');
    expect(V2.timestamp(t)).toMatch(V2.timestampPattern);
    expect(QI_DTVM.timestamp(t)).toBe('2023-06-26T19:48:32');
    expect(QI_DTVM.timestamp(t)).toMatch(QI_DTVM.timestampPattern);
  });

  it('refuses a non-P-521 key, a relative endpoint and a body that is not JSON', async () => {
    const base: V2SignInput = {
      privateKey: await privateKey(),
      apiKey: 'k',
      method: 'POST',
      endpoint: '/x',
      body: '{}',
      serialisation: 'python',
      emptyPayload: '{}',
      timestamp: 't',
    };
    await expect(signV2Request(V2, { ...base, endpoint: 'x' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    await expect(signV2Request(V2, { ...base, body: '{nope' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    const rsa = (await parseKeyText(vector('qredo', 'private.pem'))) as ParsedPrivateKey;
    const { privateKey: rsaKey } = await importPrivateKey(rsa);
    await expect(signV2Request(V2, { ...base, privateKey: rsaKey })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
  });
});

describe('body bytes: every serialisation, against Python', () => {
  const TRICKY =
    '{"b": 1, "2": [1.0, 1e16, 1E2, 0.00001, 0.0001, -0.0, 123456789012345678901234567890, 1.5e-7, 2.5e+300, 1e400, 3.14159],\n' +
    ' "s": "Zoë ☃ 😀 \\u0000\\t/\\"\\\\ \\u007f \\ud800", "a": {"x": null, "x": true, "y": false}, "e": [], "o": {}}';

  it.skipIf(!python3)("Python's json.dumps: keybench writes the same bytes and the same md5", () => {
    const py = pythonDumps(TRICKY);
    expect(pythonJsonDumps(TRICKY)).toBe(py.dumps);
    expect(md5Hex(serialiseBody(TRICKY, 'python'))).toBe(py.md5);
    // Many members with a repeat past the 16th (the Map path), and -0 as an int.
    const many = `{${Array.from({ length: 40 }, (_, i) => `"k${i % 30}": ${i}`).join(', ')}, "z": -0}`;
    for (const body of ['{"name": "QI Tech"}', v2.v2_post.sent_body, '[1,2,{"a":"b"}]', '"x"', '0.1', many]) {
      const p = pythonDumps(body);
      expect(serialiseBody(body, 'python')).toBe(p.dumps);
      expect(md5Hex(serialiseBody(body, 'python'))).toBe(p.md5);
    }
  });

  it('a body of 200 000 members is serialised in linear time (the quadratic repeat check did not finish in 2 min)', () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i])));
    // No clock (a busy machine makes one flaky): quadratic work runs past the test's timeout.
    const out = pythonJsonDumps(body);
    expect(out.startsWith('{"k0": 0, "k1": 1')).toBe(true);
  });

  it('the vectors agree: python, compact and as typed', () => {
    expect(md5Hex(serialiseBody('{"name":"QI Tech"}', 'python'))).toBe(
      v2.md5_examples['json.dumps({"name": "QI Tech"})'],
    );
    expect(md5Hex(serialiseBody('{"name": "QI Tech"}', 'compact'))).toBe(
      v1.md5_examples['JSON.stringify {"name":"QI Tech"}'],
    );
    expect(serialiseBody(' {"a" :1}\n', 'as-typed')).toBe(' {"a" :1}\n');
    expect(serialiseBody(TRICKY, 'compact')).toBe(JSON.stringify(JSON.parse(TRICKY)));
  });

  it('float repr follows Python (fixed for exponents -4…15, else e±NN)', () => {
    expect([1, 1e15, 1e16, 1e-4, 1e-5, 1.5e-7, 123.456, -0, 2 ** 60].map(pythonFloatRepr)).toEqual([
      '1.0',
      '1000000000000000.0',
      '1e+16',
      '0.0001',
      '1e-05',
      '1.5e-07',
      '123.456',
      '-0.0',
      '1.152921504606847e+18',
    ]);
  });
});

describe('the request checker names what differs', () => {
  const c = v2.v2_post;
  const claims = c.claims as Record<string, string>;
  const now = Date.parse(c.timestamp);
  const check = async (authorization: string, body: string = c.sent_body, expected = {}) =>
    verifyQitechRequest('auto', {
      authorization,
      body,
      keys: [await clientKey()],
      expected: { method: 'POST', endpoint: '/test', ...expected },
      nowMs: now,
    });
  const signed = (patch: Record<string, unknown>) => nodeJws('ES512', nodePrivate(), { ...claims, ...patch });
  const problems = (v: Awaited<ReturnType<typeof check>>) =>
    v.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code);

  it('each claim changed (and validly re-signed) is named', async () => {
    expect(problems(await check(signed({ method: 'PUT' })))).toEqual(['ERR_QIT_METHOD']);
    expect(problems(await check(signed({ uri: '/other' })))).toEqual(['ERR_QIT_URI']);
    expect(problems(await check(signed({ payload_md5: md5Hex('{}') })))).toEqual(['ERR_QIT_MD5']);
    expect(problems(await check(signed({ timestamp: '2023-06-26T19:48:32.759Z' })))).toEqual([
      'ERR_QIT_TIMESTAMP_FORMAT',
    ]);
    expect(problems(await check(signed({ timestamp: '2023-06-26T21:48:32.759844Z' })))).toEqual([
      'ERR_QIT_CLOCK_SKEW',
    ]);
    const extra = await check(signed({ iat: 1 }));
    expect(extra.verified).toBe(true);
    expect(extra.findings.find((f) => f.check === 'extra-claims')?.severity).toBe('info');
    const noMethod = await check(nodeJws('ES512', nodePrivate(), { ...claims, method: undefined }));
    expect(problems(noMethod)).toContain('ERR_QIT_CLAIMS');
  });

  it('the body changed, or sent in another serialisation than hashed, is named', async () => {
    const tampered = await check(c.headers.AUTHORIZATION, c.sent_body.replace('1500.25', '9500.25'));
    expect(problems(tampered)).toEqual(['ERR_QIT_MD5']);
    expect(tampered.signatureVerified).toBe(true);
    expect(tampered.verified).toBe(false);
    expect(tampered.findings.find((f) => f.check === 'md5')!.detail).toMatch(/different body/);
    const compact = await check(c.headers.AUTHORIZATION, JSON.stringify(JSON.parse(c.sent_body)));
    expect(problems(compact)).toEqual(['ERR_QIT_MD5']);
    expect(compact.findings.find((f) => f.check === 'md5')!.detail).toMatch(/json\.dumps/);
  });

  it('a tampered token, a token signed by another key, no key, another alg: not verified', async () => {
    const [h, , s] = c.headers.AUTHORIZATION.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, uri: '/admin' })).toString('base64url')}.${s}`;
    const f = await check(forged, c.sent_body, { endpoint: '/admin' });
    expect(f.signatureVerified).toBe(false);
    expect(problems(f)).toEqual(['ERR_QIT_TOKEN_SIGNATURE']);
    const other = createPrivateKey(vector('qitech', 'qitech-side.key'));
    expect(problems(await check(nodeJws('ES512', other, claims)))).toEqual(['ERR_QIT_TOKEN_SIGNATURE']);
    const none = await verifyQitechRequest('v2', {
      authorization: c.headers.AUTHORIZATION,
      body: c.sent_body,
      keys: [],
      nowMs: now,
    });
    expect(none.signatureVerified).toBe(false);
    expect(none.findings[0]!.code).toBe('ERR_QIT_NO_KEY');
    const hs = nodeJws('HS512', Buffer.from('secret'), claims);
    expect((await check(hs)).signatureVerified).toBe(false);
    expect(problems(await check('not a jwt'))).toEqual(['ERR_QIT_AUTH_HEADER']);
  });
});

describe('QIT v1 defaults follow the current clients', () => {
  it('endpoint line with its query string, empty content type for GET (qitech-wrapper ≥ 0.1.9)', async () => {
    expect(QIT_DEFAULTS).toEqual({ getContentType: '', endpointWithQuery: true });
    const get = v1.request_get;
    const out = await signQitRequest({
      privateKey: await privateKey(),
      apiKey: get.api_key,
      method: 'GET',
      endpoint: `${get.endpoint}?page=2`,
      body: '',
      date: get.date,
      options: QIT_DEFAULTS,
    });
    expect(out.stringToSign).toBe(`GET\n\n\n${get.date}\n${get.endpoint}?page=2`);
    expect(out.headers['Content-Type']).toBeUndefined();
    expect(nodeVerifiesJws(out.token, nodePublic())).toBe(true);
  });
});

describe('QIT v1 requests get the same check', () => {
  it('the v1 vectors verify; a path signed without its query string is named', async () => {
    for (const req of [v1.request_post, v1.request_get]) {
      const verdict = await verifyQitechRequest('auto', {
        authorization: req.headers.AUTHORIZATION,
        body: req.sent_body ? JSON.stringify(req.sent_body) : '',
        keys: [await clientKey()],
        expected: { method: req.method, endpoint: req.endpoint, apiKey: req.api_key },
        nowMs: Date.parse(req.date),
      });
      expect(verdict.scheme).toBe('v1');
      expect(verdict.signatureVerified).toBe(true);
      expect(verdict.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
      expect(verdict.verified).toBe(true);
    }
    const get = v1.request_get;
    const withQuery = await verifyQitechRequest('v1', {
      authorization: get.headers.AUTHORIZATION,
      body: '',
      keys: [await clientKey()],
      expected: { method: 'GET', endpoint: `${get.endpoint}?page=2` },
      nowMs: Date.parse(get.date) + 3_600_000,
    });
    expect(withQuery.verified).toBe(false);
    const codes = withQuery.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info');
    expect(codes.map((f) => f.code)).toEqual(['ERR_QIT_CLOCK_SKEW', 'ERR_QIT_ENDPOINT']);
    expect(codes[1]!.detail).toMatch(/0\.1\.8/);
    const post = v1.request_post;
    const raw = await verifyQitechRequest('v1', {
      authorization: post.headers.AUTHORIZATION,
      body: JSON.stringify(post.body_json),
      keys: [await clientKey()],
      nowMs: Date.parse(post.date),
    });
    expect(raw.findings.find((f) => f.check === 'md5')!.code).toBe('ERR_QIT_MD5');
  });
});

describe('the key box of the request checker', () => {
  it('takes a public key, refuses a private key plainly, and says why other text is not a key', async () => {
    const pub = await pastedPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'));
    expect(pub.key).toMatchObject({ kind: 'public', origin: 'pasted', type: { kty: 'EC', curve: 'P-521' } });
    const c = v2.v2_post;
    const verdict = await verifyQitechRequest('v2', {
      authorization: c.headers.AUTHORIZATION,
      body: c.sent_body,
      keys: [pub.key!],
      nowMs: Date.parse(c.timestamp),
    });
    expect(verdict.signatureVerified).toBe(true);
    const priv = await pastedPublicKey(vector('qitech', 'jwtECDSASHA512.key'));
    expect(priv.key).toBeUndefined();
    expect(priv.refused).toEqual({
      message: expect.stringMatching(/^That was a private key/),
      privateKey: true,
    });
    const junk = await pastedPublicKey('hello');
    expect(junk.key).toBeUndefined();
    expect(junk.refused?.privateKey).toBe(false);
  });
});
