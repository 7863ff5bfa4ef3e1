/**
 * QI Tech's schemes on the engine (schemes/qitech/scheme.ts): each mistake made by hand with
 * node:crypto (ES512 JWS, MD5), never with keybench's signer, and the exact code it must give; the
 * shared vectors verify.
 */
import { createHash, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { plain, type Rich } from '../../../../src/lib/rich';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import { verifyScheme } from '../../../../src/lib/scheme/check';
import QITECH from '../../../../src/lib/schemes/qitech/scheme';
import { endpointOfUrl } from '../../../../src/lib/schemes/qitech/token';
import { decideRequest } from '../../../../src/lib/trust/verdict';
import { vector } from '../../support/helpers';
import { nodeJwk, toolKey } from '../../support/jwt-helpers';

const v1 = JSON.parse(vector('qitech', 'vectors.json'));
const v2 = JSON.parse(vector('qitech', 'vectors-v2.json'));
const clientPrivate = createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const sidePrivate = createPrivateKey(vector('qitech', 'qitech-side.key'));
const API_KEY = '3f6b2c1e-8a4d-4f5e-9b7a-2d1c0e9f8a7b';
const BASE = 'https://api-auth.sandbox.qitech.app';
const NOW = Date.UTC(2023, 10, 23, 22, 13, 20);
const DATE = new Date(NOW).toUTCString();
const V2_TS = new Date(NOW).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const DTVM_TS = new Date(NOW).toISOString().slice(0, 19);

const b64u = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** An ES512 compact JWS signed by hand with node:crypto (raw r‖s unless `der`). */
function es512(
  payload: string | Record<string, unknown>,
  key: KeyObject = clientPrivate,
  opts: { der?: boolean; header?: Record<string, unknown> } = {},
): string {
  const head = { alg: 'ES512', typ: 'JWT', ...opts.header };
  const input = `${b64u(JSON.stringify(head))}.${b64u(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  const sig = nodeSign('sha512', Buffer.from(input), {
    key,
    dsaEncoding: opts.der ? 'der' : 'ieee-p1363',
  });
  return `${input}.${b64u(sig)}`;
}

async function publicKey(file: string, label: string): Promise<VerificationKey> {
  const parsed = (await parseKeyText(vector('qitech', file))) as ParsedPublicKey;
  return { kind: 'public', label, origin: 'stored', owner: 'mine', spki: parsed.spki, type: parsed.type };
}
const clientKey = () => publicKey('jwtECDSASHA512.key.pub', 'my server key');
const sideKey = () => publicKey('qitech-side.key.pub', 'qitech side key');

function request(method: string, url: string, headers: [string, string][], body = ''): ParsedRequest {
  return { source: 'curl', method, url, headers, body, notes: [] };
}

interface V1Options {
  method?: string;
  endpoint?: string;
  /** The endpoint line signed (default: the endpoint). */
  signedEndpoint?: string;
  json?: string;
  /** Send the JSON unwrapped (no encoded_body). */
  unwrapped?: boolean;
  md5?: (jws: string, json: string) => string;
  contentTypeLine?: string;
  contentTypeHeader?: string;
  date?: string;
  sub?: string;
  apiKeyHeader?: string | null;
  tokenKey?: KeyObject;
  bodyKey?: KeyObject;
  der?: boolean;
}

/** A QIT v1 request, built by hand as a server would send it. */
function v1Request(o: V1Options = {}): ParsedRequest {
  const method = o.method ?? 'POST';
  const endpoint = o.endpoint ?? '/test';
  const json = o.json;
  let body = '';
  let md5Line = '';
  if (json !== undefined) {
    const jws = es512(json, o.bodyKey ?? clientPrivate);
    body = o.unwrapped ? json : JSON.stringify({ encoded_body: jws });
    md5Line = o.md5 ? o.md5(jws, json) : md5(jws);
  }
  const ct = o.contentTypeLine ?? (json !== undefined ? 'application/json' : '');
  const stringToSign = [method, md5Line, ct, o.date ?? DATE, o.signedEndpoint ?? endpoint].join('\n');
  const token = es512({ sub: o.sub ?? API_KEY, signature: stringToSign }, o.tokenKey ?? clientPrivate, {
    der: o.der,
  });
  const headers: [string, string][] = [['AUTHORIZATION', `QIT ${API_KEY}:${token}`]];
  if (o.apiKeyHeader !== null) headers.push(['API-CLIENT-KEY', o.apiKeyHeader ?? API_KEY]);
  const contentType = o.contentTypeHeader ?? (json !== undefined ? 'application/json' : undefined);
  if (contentType !== undefined) headers.push(['Content-Type', contentType]);
  return request(method, `${BASE}${endpoint}`, headers, body);
}

interface V2Options {
  method?: string;
  /** The method claim (default: the method). */
  methodClaim?: string;
  endpoint?: string;
  uri?: string;
  body?: string;
  /** The text payload_md5 hashes (default: the body, or "{}" without one); null: no payload_md5. */
  md5Input?: string | null;
  timestamp?: string;
  key?: KeyObject;
  header?: Record<string, unknown>;
}

/** A v2 / QI DTVM request, built by hand. */
function v2Request(o: V2Options = {}): ParsedRequest {
  const method = o.method ?? 'POST';
  const endpoint = o.endpoint ?? '/test';
  const body = o.body ?? '';
  const md5Input = o.md5Input === undefined ? (body === '' ? '{}' : body) : o.md5Input;
  const claims: Record<string, string> = {};
  if (md5Input !== null) claims.payload_md5 = md5(md5Input);
  claims.timestamp = o.timestamp ?? V2_TS;
  claims.method = o.methodClaim ?? method;
  claims.uri = o.uri ?? endpoint;
  const token = es512(claims, o.key ?? clientPrivate, { header: o.header });
  const headers: [string, string][] = [
    ['AUTHORIZATION', token],
    ['API-CLIENT-KEY', API_KEY],
  ];
  if (body) headers.push(['Content-Type', 'application/json']);
  return request(method, `${BASE}${endpoint}`, headers, body);
}

async function diagnose(
  req: ParsedRequest,
  scheme: 'qit-v1' | 'qit-v2' | 'qi-dtvm',
  keys?: VerificationKey[],
  nowMs = NOW,
): Promise<RequestVerdict> {
  const s = QITECH.find((x) => x.id === scheme)!;
  const input = { request: req, keys: keys ?? [await clientKey()], nowMs };
  return decideRequest({ direction: 'request-to', partner: 'qitech' }, await verifyScheme(s, input));
}

/** What the verdict names: its diagnoses, and the checks that fail or warn. */
const codes = (v: RequestVerdict) => [
  ...v.diagnoses.map((d) => d.code),
  ...v.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code),
];
/** The request's own text quoted in a message (the part as signed and as sent come last). */
const untrusted = (r: Rich) => r.flatMap((p) => (typeof p === 'string' ? [] : [p.untrusted]));
/** Every finding's words. */
const said = (v: RequestVerdict) => v.findings.map((f) => plain(f.parts)).join(' ');
const headline = (v: RequestVerdict) => plain(v.parts);

function expectVerified(v: RequestVerdict) {
  expect(v.diagnoses).toEqual([]);
  expect(codes(v)).toEqual([]);
  expect(v.state).toBe('verified');
  expect(v.signatureVerified).toBe(true);
  expect(v.code).toBe('OK');
  expect(headline(v)).toContain('Signature verified');
}

/** Clock skew is noted, not a failure: a request pasted from a log is old (as for Qredo). */
function expectVerifiedWithSkew(v: RequestVerdict) {
  expect(v.state).toBe('verified');
  expect(v.code).toBe('OK');
  expect(codes(v)).toEqual(['ERR_REQUEST_CLOCK_SKEW']);
  expect(headline(v)).toContain('Signature verified');
}

function expectFailed(v: RequestVerdict, code: string) {
  expect(v.state).toBe('failed');
  expect(v.code).toBe(code);
  expect(codes(v)).toContain(code);
  expect(headline(v)).not.toMatch(/signature verified/i);
}

describe('QI Tech doctor: the shared vectors verify with no diagnosis', () => {
  it('v1 request_post and request_get', async () => {
    for (const name of ['request_post', 'request_get'] as const) {
      const c = v1[name];
      const headers = Object.entries(c.headers as Record<string, string>);
      const body = c.sent_body ? JSON.stringify(c.sent_body) : '';
      const req = request(c.method, `${BASE}${c.endpoint}`, headers, body);
      const v = await diagnose(req, 'qit-v1', undefined, Date.parse(c.date));
      expectVerified(v);
      expect(v.signInput.values?.apiKey).toBe(API_KEY);
      if (c.body_json) expect(JSON.parse(String(v.signInput.values?.body))).toEqual(c.body_json);
    }
  });

  it('v2 and QI DTVM vectors', async () => {
    for (const name of ['v2_post', 'v2_get', 'dtvm_post', 'dtvm_get'] as const) {
      const c = v2[name];
      const req = request(
        c.method,
        `${BASE}${c.endpoint}`,
        Object.entries(c.headers as Record<string, string>),
        c.sent_body ?? '',
      );
      const ts: string = c.timestamp;
      const now = Date.parse(ts.endsWith('Z') ? ts : `${ts}Z`);
      const v = await diagnose(req, c.variant === 'v2' ? 'qit-v2' : 'qi-dtvm', undefined, now);
      expectVerified(v);
    }
  });

  it('hand-made correct requests verify too', async () => {
    expectVerified(await diagnose(v1Request({ json: '{"name":"QI Tech"}' }), 'qit-v1'));
    expectVerified(await diagnose(v1Request({ method: 'GET', endpoint: '/a?b=1' }), 'qit-v1'));
    expectVerified(await diagnose(v2Request({ body: '{"name": "QI Tech"}' }), 'qit-v2'));
    expectVerified(
      await diagnose(
        v2Request({ method: 'GET', md5Input: null, timestamp: DTVM_TS, endpoint: '/x' }),
        'qi-dtvm',
      ),
    );
  });
});

describe('QI Tech doctor: v1 mistakes', () => {
  it('md5 of the raw JSON instead of the encoded_body JWS → ERR_QIT_MD5_RAW_JSON', async () => {
    const json = '{"name":"QI Tech","amount":1500.25}';
    const v = await diagnose(v1Request({ json, md5: (_jws, raw) => md5(raw) }), 'qit-v1');
    expectFailed(v, 'ERR_QIT_MD5_RAW_JSON');
    // The token's signature holds over the mistaken md5 line, with the trusted key.
    expect(v.keyLabel).toBe('my server key');
    const d = v.diagnoses.find((x) => x.code === 'ERR_QIT_MD5_RAW_JSON')!;
    // The part that differs, as signed and as sent (d.signed and d.sent are the whole signing inputs).
    expect(untrusted(d.explanation)).toContain(json);
    expect(d.confirmed).toBe(true);
    expect(v.signInput.values?.body).toBe(json);
  });

  it('md5 of the JSON sent unwrapped → ERR_QIT_MD5_RAW_JSON', async () => {
    const json = '{"name":"QI Tech"}';
    const v = await diagnose(v1Request({ json, unwrapped: true, md5: (_j, raw) => md5(raw) }), 'qit-v1');
    expectFailed(v, 'ERR_QIT_MD5_RAW_JSON');
  });

  it('GET signed with content type application/json, sent without one → ERR_QIT_GET_CONTENT_TYPE', async () => {
    const v = await diagnose(
      v1Request({ method: 'GET', endpoint: '/account/balance', contentTypeLine: 'application/json' }),
      'qit-v1',
    );
    expectFailed(v, 'ERR_QIT_GET_CONTENT_TYPE');
    const text = plain(v.diagnoses[0]!.explanation);
    expect(text).toContain('qitech-wrapper');
    expect(text).toContain('Elixir');
    expect(untrusted(v.diagnoses[0]!.explanation).slice(-2)).toEqual(['application/json', '']);
  });

  it('GET signed with "" but sent with Content-Type application/json → ERR_QIT_GET_CONTENT_TYPE', async () => {
    const v = await diagnose(
      v1Request({ method: 'GET', endpoint: '/account/balance', contentTypeHeader: 'application/json' }),
      'qit-v1',
    );
    expectFailed(v, 'ERR_QIT_GET_CONTENT_TYPE');
  });

  it('endpoint signed without the query string sent → ERR_QIT_ENDPOINT_QUERY', async () => {
    const v = await diagnose(
      v1Request({ method: 'GET', endpoint: '/account/balance?page=2', signedEndpoint: '/account/balance' }),
      'qit-v1',
    );
    expectFailed(v, 'ERR_QIT_ENDPOINT_QUERY');
    expect(untrusted(v.diagnoses[0]!.explanation).slice(-1)).toEqual(['/account/balance?page=2']);
  });

  it('endpoint signed with a query string not sent → ERR_QIT_ENDPOINT_QUERY', async () => {
    const v = await diagnose(
      v1Request({ method: 'GET', endpoint: '/account/balance', signedEndpoint: '/account/balance?page=2' }),
      'qit-v1',
    );
    expectFailed(v, 'ERR_QIT_ENDPOINT_QUERY');
  });

  it('date not RFC 1123 GMT (ISO, no zero padding, local time) → ERR_QIT_DATE', async () => {
    const dates = [
      new Date(NOW).toISOString(),
      'Thu, 23 Nov 2023 22:13:20 +0000',
      'Thu, 3 Nov 2023 2:13:20 GMT',
      'Thu Nov 23 2023 19:13:20 GMT-0300 (Brasilia Standard Time)',
    ];
    for (const date of dates) {
      const v = await diagnose(v1Request({ json: '{"a":1}', date }), 'qit-v1');
      expect(codes(v), date).toContain('ERR_QIT_DATE');
      expect(v.state).toBe('failed');
      expect(headline(v)).not.toContain('Signature verified');
    }
  });

  it('sub is not the API-CLIENT-KEY sent → ERR_QIT_SUB_API_KEY', async () => {
    const v = await diagnose(
      v1Request({ json: '{"a":1}', sub: '00000000-0000-0000-0000-000000000000' }),
      'qit-v1',
    );
    expectFailed(v, 'ERR_QIT_SUB_API_KEY');
  });

  it('token signature DER-encoded → ERR_QIT_DER_SIGNATURE (confirmed by converting it)', async () => {
    const v = await diagnose(v1Request({ json: '{"a":1}', der: true }), 'qit-v1');
    expectFailed(v, 'ERR_QIT_DER_SIGNATURE');
    expect(v.signatureVerified).toBe(false);
    expect(v.diagnoses[0]!.confirmed).toBe(true);
  });

  it('encoded_body signed by another key than the token → ERR_QIT_BODY_OTHER_KEY', async () => {
    const v = await diagnose(v1Request({ json: '{"a":1}', bodyKey: sidePrivate }), 'qit-v1');
    expectFailed(v, 'ERR_QIT_BODY_OTHER_KEY');
    expect(v.signatureVerified).toBe(true);
    // With both keys trusted, the doctor names the one that signed the body.
    const both = await diagnose(v1Request({ json: '{"a":1}', bodyKey: sidePrivate }), 'qit-v1', [
      await clientKey(),
      await sideKey(),
    ]);
    expectFailed(both, 'ERR_QIT_BODY_OTHER_KEY');
    const d = both.findings.find((x) => x.code === 'ERR_QIT_BODY_OTHER_KEY')!;
    expect(plain(d.parts)).toContain('qitech side key');
  });

  it('signed by another P-521 key → ERR_QIT_OTHER_KEY, failed', async () => {
    const v = await diagnose(
      v1Request({ json: '{"a":1}', tokenKey: sidePrivate, bodyKey: sidePrivate }),
      'qit-v1',
    );
    expectFailed(v, 'ERR_QIT_OTHER_KEY');
    expect(v.signatureVerified).toBe(false);
    expect(v.diagnoses[0]!.confirmed).toBe(false);
    // ECDSA cannot tell another key from other bytes: it says so, and does not blame the key.
    expect(v.diagnoses[0]!.title).toMatch(/the key or the signed bytes differ/i);
    expect(headline(v)).toMatch(/the key or the signed bytes differ/);
    expect(`${v.diagnoses[0]!.remedy} ${plain(v.diagnoses[0]!.explanation)}`).not.toMatch(
      /sign with the private key|signed with another key|you do not trust/i,
    );
  });

  it('no trusted P-521 key at all (only an RSA key) → ERR_QIT_NO_KEY, failed', async () => {
    const rsa = toolKey('rsa2048');
    const parsed = (await parseKeyText(rsa.publicPem)) as ParsedPublicKey;
    const key: VerificationKey = {
      kind: 'public',
      label: 'an RSA key',
      origin: 'stored',
      owner: 'mine',
      spki: parsed.spki,
      type: parsed.type,
    };
    const v = await diagnose(v1Request({ json: '{"a":1}' }), 'qit-v1', [key]);
    expectFailed(v, 'ERR_QIT_NO_KEY');
    // Here the key is known to be wrong: no trusted key can check ES512 (P-521).
    expect(headline(v)).toMatch(/no trusted key for ECDSA P-521/i);
    expect(headline(v)).toMatch(/paste the public key registered with QI Tech/i);
  });

  it("no key at all: the checker's ERR_QIT_NO_KEY, no diagnosis", async () => {
    const v = await diagnose(v1Request({ json: '{"a":1}' }), 'qit-v1', []);
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_QIT_NO_KEY');
    expect(headline(v)).not.toContain('Signature verified');
  });

  it('token signed by another key while encoded_body verifies → ERR_QIT_OTHER_KEY naming the body key', async () => {
    const v = await diagnose(v1Request({ json: '{"a":1}', tokenKey: sidePrivate }), 'qit-v1');
    expectFailed(v, 'ERR_QIT_OTHER_KEY');
    // encoded_body's own signature still names the key that made it.
    expect(said(v)).toContain('my server key');
  });

  it('date far from now → verified, with ERR_REQUEST_CLOCK_SKEW and the difference noted', async () => {
    const v = await diagnose(v1Request({ json: '{"a":1}' }), 'qit-v1', undefined, NOW + 3 * 3600_000);
    expectVerifiedWithSkew(v);
    expect(v.signatureVerified).toBe(true);
    expect(said(v)).toContain('3 h behind');
  });
});

describe('QI Tech doctor: v2 and QI DTVM mistakes', () => {
  const obj = { name: 'QI Tech', amount: 1500.25, items: [1, 2, 3] };
  const compact = JSON.stringify(obj);
  const python = '{"name": "QI Tech", "amount": 1500.25, "items": [1, 2, 3]}';

  it('payload_md5 over Python json.dumps, compact bytes sent → ERR_QIT_V2_SERIALISATION', async () => {
    const v = await diagnose(v2Request({ body: compact, md5Input: python }), 'qit-v2');
    expectFailed(v, 'ERR_QIT_V2_SERIALISATION');
    const d = v.diagnoses[0]!;
    expect(plain(d.explanation)).toContain('json.dumps');
    expect(untrusted(d.explanation).slice(-2)).toEqual([python, compact]);
    expect(d.confirmed).toBe(true);
  });

  it('payload_md5 over compact, pretty bytes sent → ERR_QIT_V2_SERIALISATION (QI DTVM too)', async () => {
    const pretty = JSON.stringify(obj, null, 2);
    const v = await diagnose(v2Request({ body: pretty, md5Input: compact, timestamp: DTVM_TS }), 'qi-dtvm');
    expectFailed(v, 'ERR_QIT_V2_SERIALISATION');
    expect(plain(v.diagnoses[0]!.explanation)).toContain('compact');
    const p = await diagnose(v2Request({ body: compact, md5Input: JSON.stringify(obj, null, 2) }), 'qit-v2');
    expectFailed(p, 'ERR_QIT_V2_SERIALISATION');
    expect(plain(p.diagnoses[0]!.explanation)).toContain('pretty');
  });

  it('GET with payload_md5 = md5("") → ERR_QIT_V2_EMPTY_PAYLOAD', async () => {
    const v = await diagnose(
      v2Request({ method: 'GET', endpoint: '/account/balance', md5Input: '' }),
      'qit-v2',
    );
    expectFailed(v, 'ERR_QIT_V2_EMPTY_PAYLOAD');
    expect(v.keyLabel).toBe('my server key');
    expect(v.diagnoses[0]!.confirmed).toBe(true);
  });

  it('timestamp in the wrong shape → ERR_QIT_TIMESTAMP_FORMAT', async () => {
    const cases: [string, 'qit-v2' | 'qi-dtvm'][] = [
      [DTVM_TS, 'qit-v2'],
      [new Date(NOW).toISOString(), 'qit-v2'],
      ['2023-11-23T22:13:20.000000+00:00', 'qit-v2'],
      [V2_TS, 'qi-dtvm'],
      [`${DTVM_TS}Z`, 'qi-dtvm'],
    ];
    for (const [timestamp, scheme] of cases) {
      const v = await diagnose(v2Request({ body: python, timestamp }), scheme);
      // The refusal: its finding, and its diagnosis beside the bytes signed (those sent).
      expect(codes(v), `${scheme} ${timestamp}`).toEqual([
        'ERR_QIT_TIMESTAMP_FORMAT',
        'ERR_QIT_TIMESTAMP_FORMAT',
      ]);
      expect(v.code).toBe('ERR_QIT_TIMESTAMP_FORMAT');
      expect(v.state).toBe('failed');
    }
  });

  it('local time written as UTC (QI DTVM form) → verified, with ERR_REQUEST_CLOCK_SKEW naming local time', async () => {
    // Local time (UTC-3) written as if it were UTC, in the QI DTVM form.
    const local = new Date(NOW - 3 * 3600_000).toISOString().slice(0, 19);
    const v = await diagnose(v2Request({ body: python, timestamp: local }), 'qi-dtvm');
    expectVerifiedWithSkew(v);
    expect(said(v)).toContain('3 h behind');
    expect(said(v)).toContain('local time');
  });

  it('uri with the host → ERR_QIT_URI', async () => {
    const v = await diagnose(v2Request({ body: python, uri: `${BASE}/test` }), 'qit-v2');
    expectFailed(v, 'ERR_QIT_URI');
    expect(v.diagnoses[0]!.title).toContain('host');
    expect(v.diagnoses[0]!.confirmed).toBe(true);
  });

  it('uri without the query sent → ERR_QIT_URI', async () => {
    const v = await diagnose(
      v2Request({ method: 'GET', endpoint: '/account/balance?page=2', uri: '/account/balance' }),
      'qit-v2',
    );
    expectFailed(v, 'ERR_QIT_URI');
  });

  it('method claim "post" for a POST → ERR_QIT_METHOD_CASE', async () => {
    const v = await diagnose(v2Request({ body: python, methodClaim: 'post' }), 'qit-v2');
    expectFailed(v, 'ERR_QIT_METHOD_CASE');
    const other = await diagnose(v2Request({ body: python, methodClaim: 'PUT' }), 'qit-v2');
    expectFailed(other, 'ERR_QIT_METHOD_CASE');
  });

  it('signed by another P-521 key → ERR_QIT_OTHER_KEY, failed', async () => {
    const v = await diagnose(v2Request({ body: python, key: sidePrivate }), 'qit-v2');
    expectFailed(v, 'ERR_QIT_OTHER_KEY');
    expect(v.diagnoses[0]!.title).toMatch(/the key or the signed bytes differ/i);
  });

  it('DER signature → ERR_QIT_DER_SIGNATURE', async () => {
    const body = python;
    const claims = { payload_md5: md5(body), timestamp: V2_TS, method: 'POST', uri: '/test' };
    const req = request(
      'POST',
      `${BASE}/test`,
      [
        ['AUTHORIZATION', es512(claims, clientPrivate, { der: true })],
        ['API-CLIENT-KEY', API_KEY],
      ],
      body,
    );
    expectFailed(await diagnose(req, 'qit-v2'), 'ERR_QIT_DER_SIGNATURE');
  });

  it('timestamp far from now → verified, with ERR_REQUEST_CLOCK_SKEW noted', async () => {
    const v = await diagnose(v2Request({ body: python }), 'qit-v2', undefined, NOW - 10 * 60_000);
    expectVerifiedWithSkew(v);
    expect(said(v)).toContain('10 min 0 s ahead of');
  });
});

describe('QI Tech doctor: keys and headers', () => {
  it('a token carrying its own jwk header never verifies', async () => {
    const attacker = toolKey('p521');
    for (const keys of [[await clientKey()], []]) {
      const v = await diagnose(
        v2Request({ body: '{"a": 1}', key: attacker.privateKey, header: { jwk: nodeJwk(attacker) } }),
        'qit-v2',
        keys,
      );
      expect(v.state).toBe('failed');
      expect(v.signatureVerified).toBe(false);
      expect(headline(v)).not.toContain('Signature verified');
    }
    // Even when the attacker's public key came along with the request as a "trusted" key of the
    // request's own: the doctor only trusts input.keys, here the client key.
    const v1Jwk = v1Request({ json: '{"a":1}' });
    const [name, value] = v1Jwk.headers[0]!;
    const qit = /^QIT ([^:]+):/.exec(value)!;
    const stringToSign = ['GET', '', '', DATE, '/test'].join('\n');
    v1Jwk.headers[0] = [
      name,
      `${qit[0]}${es512({ sub: API_KEY, signature: stringToSign }, attacker.privateKey, { header: { jwk: nodeJwk(attacker) } })}`,
    ];
    const w = await diagnose(v1Jwk, 'qit-v1');
    expect(w.signatureVerified).toBe(false);
    expect(headline(w)).not.toContain('Signature verified');
  });

  it('missing API-CLIENT-KEY → ERR_REQUEST_MISSING_HEADER naming GDF000003', async () => {
    const v = await diagnose(v1Request({ json: '{"a":1}', apiKeyHeader: null }), 'qit-v1');
    expectFailed(v, 'ERR_REQUEST_MISSING_HEADER');
    expect(v.signatureVerified).toBe(true);
    expect(said(v)).toContain('GDF000003');
    const w = v2Request({ body: '{"a": 1}' });
    w.headers = w.headers.filter(([k]) => k !== 'API-CLIENT-KEY');
    const vw = await diagnose(w, 'qit-v2');
    expectFailed(vw, 'ERR_REQUEST_MISSING_HEADER');
    expect(said(vw)).toContain('GDF000003');
  });

  it('missing AUTHORIZATION → ERR_REQUEST_MISSING_HEADER naming GDF000014', async () => {
    const req = request('GET', `${BASE}/test`, [['API-CLIENT-KEY', API_KEY]]);
    const v = await diagnose(req, 'qit-v2');
    expectFailed(v, 'ERR_REQUEST_MISSING_HEADER');
    expect(headline(v)).toContain('GDF000014');
  });

  it('untrusted text stays apart in explanations', async () => {
    const v = await diagnose(v2Request({ body: '{"a": 1}', methodClaim: 'post\u202e' }), 'qit-v2');
    const d = v.diagnoses.find((x) => x.code === 'ERR_QIT_METHOD_CASE')!;
    const own = d.explanation.filter((p): p is string => typeof p === 'string').join('');
    expect(own).not.toContain('\u202e');
    expect(d.title).not.toContain('\u202e');
  });

  it('endpointOfUrl keeps the path and query as written', () => {
    expect(endpointOfUrl('https://h.example:8443/a/b?x=1&y=%20#frag')).toBe('/a/b?x=1&y=%20');
    expect(endpointOfUrl('https://h.example')).toBe('/');
    expect(endpointOfUrl('https://h.example?x=1')).toBe('/?x=1');
    expect(endpointOfUrl('/only/path')).toBe('/only/path');
  });
});

describe('QI Tech doctor: bounded work', () => {
  it('a 1 MB v2 body with a serialisation mistake', async () => {
    const items = Array.from({ length: 40_000 }, (_, i) => ({ id: i, name: `item ${i}` }));
    const compact = JSON.stringify({ items });
    const python = compact.replace(/,"/g, ', "').replace(/":/g, '": ').replace(/,\{/g, ', {');
    expect(compact.length).toBeGreaterThan(1_000_000);
    // Bounded: quadratic work would run past the test's timeout; speed itself is npm run bench's.
    const v = await diagnose(v2Request({ body: compact, md5Input: python }), 'qit-v2');
    expect(v.code).toBe('ERR_QIT_V2_SERIALISATION');
    const ok = await diagnose(v2Request({ body: compact }), 'qit-v2');
    expectVerified(ok);
  });
});
