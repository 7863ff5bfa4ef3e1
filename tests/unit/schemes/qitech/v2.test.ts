/**
 * QI Tech v2, QI DTVM and QIT v1 on the engine (schemes/qitech/scheme.ts): the shared vectors
 * verify; keybench signs like the samples, byte for byte, and node:crypto verifies; what differs
 * in a request is named. Tokens of mistakes are signed by hand with node:crypto.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import { importPrivateKey } from '../../../../src/lib/keys/import';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import { verifyScheme } from '../../../../src/lib/scheme/check';
import { signScheme } from '../../../../src/lib/scheme/sign';
import type { FormValues, SignerKey } from '../../../../src/lib/scheme/contract';
import QITECH from '../../../../src/lib/schemes/qitech/scheme';
import { md5Hex, readJws } from '../../../../src/lib/schemes/qitech/token';
import { decideRequest } from '../../../../src/lib/trust/verdict';
import { plain } from '../../../../src/lib/rich';
import {
  pythonJsonDumps,
  serialiseBody,
  pythonFloatRepr,
  SERIALISATIONS,
} from '../../../../src/lib/partners/body-bytes';
import { vector } from '../../support/helpers';
import { nodeJws, nodeVerifiesJws } from '../../support/jwt-helpers';

const v2 = JSON.parse(vector('qitech', 'vectors-v2.json'));
const v1 = JSON.parse(vector('qitech', 'vectors.json'));
const CASES = ['v2_post', 'v2_get', 'dtvm_post', 'dtvm_get'] as const;
const BASE = 'https://api-auth.sandbox.qitech.app';
const scheme = (id: string) => QITECH.find((s) => s.id === id)!;
const PYTHON = SERIALISATIONS.find((s) => s.id === 'python')!.label;

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
/** A stored key pair as the Sign view hands it to the engine (non-extractable private key). */
async function signer(file = 'qitech/jwtECDSASHA512.key'): Promise<SignerKey> {
  const parsed = (await parseKeyText(vector(...file.split('/')))) as ParsedPrivateKey;
  const { privateKey, publicKey } = await importPrivateKey(parsed);
  return {
    kind: 'pair',
    label: 'client',
    privateKey,
    publicKey: publicKey!,
    spki: new Uint8Array(0),
  } as SignerKey;
}
const nodePrivate = () => createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const nodePublic = () => createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'));

/** Sign a QI Tech scheme's form values with the engine. */
async function sign(id: string, values: FormValues, key?: SignerKey) {
  const out = await signScheme(scheme(id), { baseUrl: BASE, ...values }, key ?? (await signer()), Date.now());
  const token = out.request.headers.find(([n]) => n === 'AUTHORIZATION')![1].replace(/^QIT [^:]+:/, '');
  return { out, token, claims: readJws(token)!.claims };
}

function request(method: string, endpoint: string, headers: [string, string][], body = ''): ParsedRequest {
  return { source: 'curl', method, url: `${BASE}${endpoint}`, headers, body, notes: [] };
}

/** The verdict of the scheme the doctor recognises for the request. */
async function verdict(req: ParsedRequest, keys: VerificationKey[], nowMs: number): Promise<RequestVerdict> {
  const s = [...QITECH].sort((a, b) => b.recognise(req) - a.recognise(req))[0]!;
  return decideRequest(
    { direction: 'request-to', partner: 'qitech' },
    await verifyScheme(s, { request: req, keys, nowMs }),
  );
}
const problems = (v: RequestVerdict) => [
  ...v.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code),
];

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
      const req = request(
        c.method,
        c.endpoint,
        Object.entries(c.headers as Record<string, string>),
        c.sent_body ?? '',
      );
      const now = Date.parse(c.timestamp.endsWith('Z') ? c.timestamp : `${c.timestamp}Z`) + 1000;
      const v = await verdict(req, [await clientKey()], now);
      expect(v.scheme).toBe(c.variant === 'v2' ? 'qit-v2' : 'qi-dtvm');
      expect(v.signatureVerified).toBe(true);
      expect(v.keyLabel).toBe('my server key');
      expect(readJws(c.headers.AUTHORIZATION)!.claims).toEqual(c.claims);
      expect(v.findings.filter((f) => f.severity !== 'ok')).toEqual([]);
      expect(v.findings.map((f) => f.check)).toEqual(
        expect.arrayContaining(['signature', 'timestamp-format']),
      );
      expect(v.state).toBe('verified');
      if (c.md5_input !== undefined) expect(md5Hex(c.md5_input)).toBe(c.claims.payload_md5);
      expect(nodeVerifiesJws(c.headers.AUTHORIZATION, nodePublic())).toBe(true);
    });
  }

  it('recognises the scheme from the AUTHORIZATION value', () => {
    const ids = (auth: string) => {
      const req = request('GET', '/x', [['AUTHORIZATION', auth]]);
      return [...QITECH].sort((a, b) => b.recognise(req) - a.recognise(req))[0]!.id;
    };
    expect(ids(v2.v2_post.headers.AUTHORIZATION)).toBe('qit-v2');
    expect(ids(v2.dtvm_get.headers.AUTHORIZATION)).toBe('qi-dtvm');
    expect(ids(v1.request_post.headers.AUTHORIZATION)).toBe('qit-v1');
  });
});

describe('keybench signs v2 / QI DTVM requests like the samples', () => {
  for (const name of CASES) {
    it(`${name}: same header and claims as the vector (byte for byte), node:crypto verifies`, async () => {
      const c = v2[name];
      const { out, token, claims } = await sign(c.variant === 'v2' ? 'qit-v2' : 'qi-dtvm', {
        apiKey: c.api_key,
        method: c.method,
        endpoint: c.endpoint,
        // Typed compactly; Python's serialisation is what the samples hash and send.
        body: c.sent_body ? JSON.stringify(JSON.parse(c.sent_body)) : '',
        serialisation: PYTHON,
        timestamp: c.timestamp,
      });
      const [h, p] = c.headers.AUTHORIZATION.split('.');
      expect(token.split('.').slice(0, 2)).toEqual([h, p]);
      expect(claims).toEqual(c.claims);
      expect(out.request.body).toBe(c.sent_body ?? '');
      expect(out.headers).toEqual([
        ['AUTHORIZATION', token],
        ['API-CLIENT-KEY', c.api_key],
        ...(c.sent_body ? [['Content-Type', 'application/json']] : []),
      ]);
      expect(nodeVerifiesJws(token, nodePublic())).toBe(true);
      expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(132);
      if (c.sent_body) {
        expect(out.curl).toContain(`--data-raw '${c.sent_body}'`);
        expect((out.info ?? []).flat().join(' ')).toMatch(/differ from JSON.stringify/);
      } else {
        expect(out.curl).not.toContain('--data');
      }
    });
  }

  it('GET: md5("{}") by default, md5("") as the other choice; QI DTVM omits payload_md5', async () => {
    const base = { apiKey: 'k', method: 'GET', endpoint: '/x', body: '{"ignored":true}', timestamp: 't' };
    expect((await sign('qit-v2', base)).claims.payload_md5).toBe('99914b932bd37a50b983c5e7c90ae93b');
    const empty = await sign('qit-v2', { ...base, emptyPayload: 'md5("") (no bytes)' });
    expect(empty.claims.payload_md5).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(empty.out.request.body).toBe('');
    const dtvm = await sign('qi-dtvm', { ...base, timestamp: '1970-01-01T00:00:00' });
    expect(dtvm.claims).toEqual({ timestamp: '1970-01-01T00:00:00', method: 'GET', uri: '/x' });
  });

  it('timestamps: v2 with microseconds and Z, QI DTVM without fraction or Z', () => {
    const t = Date.parse('2023-06-26T19:48:32.759Z');
    const stamp = (id: string) => {
      const f = scheme(id).signer.fields.find((x) => x.name === 'timestamp')!;
      return typeof f.default === 'function' ? f.default(t) : f.default;
    };
    expect(stamp('qit-v2')).toBe('2023-06-26T19:48:32.759000Z');
    expect(stamp('qi-dtvm')).toBe('2023-06-26T19:48:32');
  });

  it('refuses a non-P-521 key, a relative endpoint and a body that is not JSON', async () => {
    const base = { apiKey: 'k', method: 'POST', endpoint: '/x', body: '{}', timestamp: 't' };
    await expect(sign('qit-v2', { ...base, endpoint: 'x' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    await expect(sign('qit-v2', { ...base, body: '{nope' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    await expect(sign('qit-v2', base, await signer('qredo/private.pem'))).rejects.toMatchObject({
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

describe('what differs in a request is named', () => {
  const c = v2.v2_post;
  const claims = c.claims as Record<string, string>;
  const now = Date.parse(c.timestamp);
  const check = async (
    authorization: string,
    body: string = c.sent_body,
    endpoint = '/test',
    keys?: VerificationKey[],
  ) =>
    verdict(
      request(
        'POST',
        endpoint,
        [
          ['AUTHORIZATION', authorization],
          ['API-CLIENT-KEY', c.api_key],
        ],
        body,
      ),
      keys ?? [await clientKey()],
      now,
    );
  const signed = (patch: Record<string, unknown>) => nodeJws('ES512', nodePrivate(), { ...claims, ...patch });
  const named = (v: RequestVerdict) => [...v.diagnoses.map((d) => d.code), ...problems(v)];

  it('each claim changed (and validly re-signed) is named', async () => {
    expect(named(await check(signed({ method: 'PUT' })))).toEqual([
      'ERR_QIT_METHOD_CASE',
      'ERR_QIT_METHOD_CASE',
    ]);
    expect(named(await check(signed({ uri: '/other' })))).toEqual(['ERR_QIT_URI', 'ERR_QIT_URI']);
    expect(named(await check(signed({ payload_md5: md5Hex('{}') })))).toEqual([
      'ERR_QIT_MD5',
      'ERR_QIT_MD5',
      'ERR_QIT_MD5',
    ]);
    // A refusal the signature holds for: its diagnosis, then its finding.
    expect(named(await check(signed({ timestamp: '2023-06-26T19:48:32.759Z' })))).toEqual([
      'ERR_QIT_TIMESTAMP_FORMAT',
      'ERR_QIT_TIMESTAMP_FORMAT',
    ]);
    expect(named(await check(signed({ timestamp: '2023-06-26T21:48:32.759844Z' })))).toEqual([
      'ERR_REQUEST_CLOCK_SKEW',
    ]);
    const extra = await check(signed({ iat: 1 }));
    expect(extra.state).toBe('verified');
    expect(extra.findings.find((f) => f.check === 'extra-claims')?.severity).toBe('info');
    const noMethod = await check(nodeJws('ES512', nodePrivate(), { ...claims, method: undefined }));
    expect(problems(noMethod)).toContain('ERR_QIT_CLAIMS');
  });

  it('the body changed, or sent in another serialisation than hashed, is named', async () => {
    const tampered = await check(c.headers.AUTHORIZATION, c.sent_body.replace('1500.25', '9500.25'));
    expect(tampered.diagnoses.map((d) => [d.code, d.confirmed])).toEqual([['ERR_QIT_MD5', true]]);
    expect(tampered.state).toBe('failed');
    expect(tampered.keyLabel).toBe('my server key');
    expect(plain(tampered.diagnoses[0]!.explanation)).toMatch(/another body/);
    const compact = await check(c.headers.AUTHORIZATION, JSON.stringify(JSON.parse(c.sent_body)));
    expect(compact.diagnoses.map((d) => d.code)).toEqual(['ERR_QIT_V2_SERIALISATION']);
    expect(plain(compact.diagnoses[0]!.explanation)).toMatch(/json\.dumps/);
  });

  it('a tampered token, a token signed by another key, no key, another alg: not verified', async () => {
    const [h, , s] = c.headers.AUTHORIZATION.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, uri: '/admin' })).toString('base64url')}.${s}`;
    const f = await check(forged, c.sent_body, '/admin');
    expect(f.signatureVerified).toBe(false);
    expect(f.code).toBe('ERR_QIT_OTHER_KEY');
    const other = createPrivateKey(vector('qitech', 'qitech-side.key'));
    expect((await check(nodeJws('ES512', other, claims))).code).toBe('ERR_QIT_OTHER_KEY');
    const none = await check(c.headers.AUTHORIZATION, c.sent_body, '/test', []);
    expect(none.signatureVerified).toBe(false);
    expect(none.code).toBe('ERR_QIT_NO_KEY');
    const hs = nodeJws('HS512', Buffer.from('secret'), claims);
    expect((await check(hs)).signatureVerified).toBe(false);
    expect((await check('not a jwt')).code).toBe('ERR_QIT_AUTH_HEADER');
  });
});

describe('QIT v1 defaults follow the current clients', () => {
  it('endpoint line with its query string, empty content type for GET (qitech-wrapper ≥ 0.1.9)', async () => {
    const get = v1.request_get;
    const { out, token, claims } = await sign('qit-v1', {
      apiKey: get.api_key,
      method: 'GET',
      endpoint: `${get.endpoint}?page=2`,
      date: get.date,
    });
    expect(claims.signature).toBe(`GET\n\n\n${get.date}\n${get.endpoint}?page=2`);
    expect(out.headers.find(([n]) => n === 'Content-Type')).toBeUndefined();
    expect(nodeVerifiesJws(token, nodePublic())).toBe(true);
  });
});

describe('QIT v1 requests get the same check', () => {
  it('the v1 vectors verify; a path signed without its query string is named', async () => {
    for (const r of [v1.request_post, v1.request_get]) {
      const req = request(
        r.method,
        r.endpoint,
        Object.entries(r.headers as Record<string, string>),
        r.sent_body ? JSON.stringify(r.sent_body) : '',
      );
      const v = await verdict(req, [await clientKey()], Date.parse(r.date));
      expect(v.scheme).toBe('qit-v1');
      expect(v.signatureVerified).toBe(true);
      expect(problems(v)).toEqual([]);
      expect(v.state).toBe('verified');
    }
    const get = v1.request_get;
    const headers = Object.entries(get.headers as Record<string, string>);
    const withQuery = await verdict(
      request('GET', `${get.endpoint}?page=2`, headers),
      [await clientKey()],
      Date.parse(get.date) + 3_600_000,
    );
    expect(withQuery.state).toBe('failed');
    expect([...withQuery.diagnoses.map((d) => d.code), ...problems(withQuery)]).toEqual([
      'ERR_QIT_ENDPOINT_QUERY',
      'ERR_REQUEST_CLOCK_SKEW',
      'ERR_QIT_ENDPOINT_QUERY',
    ]);
    expect(plain(withQuery.diagnoses[0]!.explanation)).toMatch(/0\.1\.8/);
    const post = v1.request_post;
    const raw = await verdict(
      request(
        'POST',
        post.endpoint,
        Object.entries(post.headers as Record<string, string>),
        JSON.stringify(post.body_json),
      ),
      [await clientKey()],
      Date.parse(post.date),
    );
    expect(raw.diagnoses.map((d) => d.code)).toEqual(['ERR_QIT_MD5']);
  });
});
