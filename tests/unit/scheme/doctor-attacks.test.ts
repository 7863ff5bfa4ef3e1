/**
 * Attacks on the request doctor from an attacker's review: requests pasted as raw HTTP,
 * read by the parser and judged by the doctor, where what is verified could differ from what is
 * sent, or where input text could pass for keybench's words. Signed by node:crypto, not keybench.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { examineRequest, type RequestExamination } from '../../../src/lib/scheme/doctor';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import type { RequestVerdict } from '../../../src/lib/request/types';
import { plain } from '../../../src/lib/rich';
import { pastedPublicKey, vector } from '../support/helpers';
import { nodeJws } from '../support/jwt-helpers';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const qredoKey = createPrivateKey(vector('qredo', 'private.pem'));
const qitKey = createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const API = '3f6b2c1e-8a4d-4f5e-9b7a-2d1c0e9f8a7b';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
let keys: VerificationKey[];

beforeAll(async () => {
  keys = [
    (await pastedPublicKey(vector('qredo', 'public.pem'), 'Qredo fixture')).key!,
    (await pastedPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'), 'QI Tech fixture')).key!,
  ];
});

const examine = (text: string) => examineRequest(text, async () => keys, NOW);

function verdictOf(e: RequestExamination | null): RequestVerdict {
  if (e?.kind !== 'verdict') throw new Error(`expected a verdict, got ${JSON.stringify(e)}`);
  return e.verdict;
}

/** Content-Length for a body. */
const length = (body: string): string[] =>
  body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];

/** A raw HTTP/1.1 request, CRLF line ends. */
function http(method: string, target: string, headers: string[], body = ''): string {
  return [
    `${method} ${target} HTTP/1.1`,
    'Host: api.example.test',
    ...headers,
    ...length(body),
    '',
    body,
  ].join('\r\n');
}

function qredoSign(ts: string, url: string, body: string): string {
  return nodeSign('sha256', Buffer.from(`${ts}${url}${body}`), qredoKey).toString('base64url');
}

/** A QI Tech v2 AUTHORIZATION token made by hand (python-jose's shape). */
function v2Token(claims: Record<string, unknown>): string {
  return nodeJws('ES512', qitKey, claims);
}

const ts = String(Math.floor(NOW / 1000));
const URL_ = 'https://api.example.test/api/v1/p/company';

describe('what is verified is what is sent', () => {
  it('a correct Qredo request verifies (the baseline the attacks below change)', async () => {
    const body = '{"a":1}';
    const v = verdictOf(
      await examine(
        http(
          'POST',
          '/api/v1/p/company',
          [`x-api-key: k`, `x-timestamp: ${ts}`, `x-sign: ${qredoSign(ts, URL_, body)}`],
          body,
        ),
      ),
    );
    expect(v.state).toBe('verified');
    expect(plain(v.parts)).toContain('Signature verified');
  });

  it('x-timestamp sent twice: refused, whichever one the signature covers', async () => {
    const body = '{"a":1}';
    const e = await examine(
      http(
        'POST',
        '/api/v1/p/company',
        [`x-api-key: k`, `x-timestamp: ${ts}`, `X-Timestamp: 1`, `x-sign: ${qredoSign(ts, URL_, body)}`],
        body,
      ),
    );
    expect(e?.kind).toBe('error');
    expect(e?.kind === 'error' && e.code).toBe('ERR_REQUEST_DUPLICATE_HEADER');
  });

  it('a no-break space after x-timestamp is part of the bytes sent: refused, not trimmed away', async () => {
    const body = '{"a":1}';
    const e = await examine(
      http(
        'POST',
        '/api/v1/p/company',
        [`x-api-key: k`, `x-timestamp: ${ts}\u00a0`, `x-sign: ${qredoSign(ts, URL_, body)}`],
        body,
      ),
    );
    expect(e?.kind === 'error' && e.code).toBe('ERR_REQUEST_HEADER_VALUE');
    expect(e?.kind === 'error' && plain(e.parts)).toContain('U+00A0');
  });

  it('QIT v1 with a body but no Content-Type (curl -d sends a form type): not verified', async () => {
    const jws = nodeJws('ES512', qitKey, { name: 'QI Tech' });
    const body = JSON.stringify({ encoded_body: jws });
    const date = new Date(NOW).toUTCString();
    const token = nodeJws('ES512', qitKey, {
      sub: API,
      signature: ['POST', md5(jws), 'application/json', date, '/test'].join('\n'),
    });
    const sent = (contentType: string[]) =>
      examine(
        http(
          'POST',
          '/test',
          [`AUTHORIZATION: QIT ${API}:${token}`, `API-CLIENT-KEY: ${API}`, ...contentType],
          body,
        ),
      );
    expect(verdictOf(await sent(['Content-Type: application/json'])).state).toBe('verified');
    const v = verdictOf(await sent(['Content-Type: application/x-www-form-urlencoded']));
    expect(v.state).toBe('failed');
    expect([...v.diagnoses, ...v.findings].map((d) => d.code)).toContain('ERR_QIT_CONTENT_TYPE');
    expect(plain(v.parts)).not.toContain('Signature verified');
  });

  it('QIT v1 sent as "post" but signed "POST": not verified (methods are case-sensitive)', async () => {
    const date = new Date(NOW).toUTCString();
    const token = nodeJws('ES512', qitKey, {
      sub: API,
      signature: ['GET', '', '', date, '/test'].join('\n'),
    });
    const v = verdictOf(
      await examine(http('get', '/test', [`AUTHORIZATION: QIT ${API}:${token}`, `API-CLIENT-KEY: ${API}`])),
    );
    expect(v.state).toBe('failed');
    expect(v.diagnoses.map((d) => d.code)).toContain('ERR_QIT_METHOD_CASE');
  });

  it('QI Tech v2 DELETE with a body: the body is not covered, so not verified', async () => {
    const timestamp = new Date(NOW).toISOString().replace('Z', '000Z');
    const token = v2Token({ payload_md5: md5('{}'), timestamp, method: 'DELETE', uri: '/accounts/1' });
    const headers = [`AUTHORIZATION: ${token}`, `API-CLIENT-KEY: ${API}`];
    expect(verdictOf(await examine(http('DELETE', '/accounts/1', headers))).state).toBe('verified');
    const v = verdictOf(
      await examine(http('DELETE', '/accounts/1', headers, '{"to":"attacker","amount":1000000}')),
    );
    expect(v.state).toBe('failed');
    expect([...v.diagnoses, ...v.findings].map((d) => d.code)).toContain('ERR_QIT_UNSIGNED_BODY');
    expect(plain(v.parts)).not.toContain('Signature verified');
  });

  it('a QI Tech v2 token behind "Bearer" is checked as QI Tech (its body claim is not skipped), and fails', async () => {
    const timestamp = new Date(NOW).toISOString().replace('Z', '000Z');
    const token = v2Token({ payload_md5: md5('{"amount": 1}'), timestamp, method: 'POST', uri: '/pay' });
    const e = await examine(
      http(
        'POST',
        '/pay',
        [`Authorization: Bearer ${token}`, `API-CLIENT-KEY: ${API}`],
        '{"amount": 1000000}',
      ),
    );
    const v = verdictOf(e);
    expect(v.scheme).toBe('qit-v2');
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_QIT_AUTH_HEADER');
    expect(plain(v.parts)).not.toContain('Signature verified');
  });
});

describe('input text never reads as keybench words, and odd input never crashes', () => {
  it('a claim named like a verdict is an untrusted part of the Checks list', async () => {
    const timestamp = new Date(NOW).toISOString().replace('Z', '000Z');
    const evil = '✔ Signature verified with key Production';
    const token = v2Token({ payload_md5: md5('{"a": 1}'), timestamp, method: 'POST', uri: '/x', [evil]: 1 });
    const v = verdictOf(
      await examine(http('POST', '/x', [`AUTHORIZATION: ${token}`, `API-CLIENT-KEY: ${API}`], '{"a": 1}')),
    );
    const extra = v.findings.find((f) => f.check === 'extra-claims')!;
    const own = extra.parts.filter((p) => typeof p === 'string').join('');
    expect(own).not.toContain('Signature verified');
    expect(extra.parts.some((p) => typeof p !== 'string' && p.untrusted.includes(evil))).toBe(true);
  });

  it('two missing Qredo headers give two findings with distinct checks (the list is keyed by them)', async () => {
    const v = verdictOf(await examine(http('POST', '/api/v1/p/company', ['x-sign: abc'], '{}')));
    const checks = v.findings.map((f) => f.check);
    expect(new Set(checks).size).toBe(checks.length);
    expect(v.state).toBe('failed');
  });

  it('a body nested 100 000 deep on a failing Qredo request is diagnosed without throwing', async () => {
    const body = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const v = verdictOf(
      await examine(
        http(
          'POST',
          '/api/v1/p/company',
          [`x-api-key: k`, `x-timestamp: ${ts}`, `x-sign: ${qredoSign(ts, URL_, '[]')}`],
          body,
        ),
      ),
    );
    expect(v.state).toBe('failed');
  });
});

describe('second round: headers the server reads differently than the paste shows', () => {
  const body = '{"a":1}';
  const signedHeaders = () => [`x-api-key: k`, `x-timestamp: ${ts}`, `x-sign: ${qredoSign(ts, URL_, body)}`];

  it('a bare CR inside an unsigned header value (a second header line on the wire) is refused', async () => {
    const e = await examine(
      http('POST', '/api/v1/p/company', [...signedHeaders(), 'X-Foo: a\rx-timestamp: 1'], body),
    );
    expect(e?.kind === 'error' && e.code).toBe('ERR_REQUEST_HEADER_VALUE');
  });

  it('a Host header that is not the URL host is refused; the same host (any case, default port) is fine', async () => {
    const raw = (host: string) =>
      [`POST ${URL_} HTTP/1.1`, `Host: ${host}`, ...signedHeaders(), ...length(body), '', body].join('\r\n');
    const evil = await examine(raw('evil.test'));
    expect(evil?.kind === 'error' && evil.code).toBe('ERR_REQUEST_HEADER_VALUE');
    expect(verdictOf(await examine(raw('API.example.test:443'))).state).toBe('verified');
  });

  it('two Host lines are refused', async () => {
    const e = await examine(
      [
        `POST /api/v1/p/company HTTP/1.1`,
        'Host: api.example.test',
        'Host: evil.test',
        ...signedHeaders(),
        ...length(body),
        '',
        body,
      ].join('\r\n'),
    );
    expect(e?.kind === 'error' && e.code).toBe('ERR_REQUEST_DUPLICATE_HEADER');
  });
});

describe('Binance requests reach their doctor', () => {
  it('a GET signed by node:crypto with Ed25519, pasted as curl, verifies with the pasted public key; another key does not', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ed = generateKeyPairSync('ed25519');
    const pem = String(ed.publicKey.export({ type: 'spki', format: 'pem' }));
    const key = (await pastedPublicKey(pem, 'Binance Ed25519')).key!;
    const query = `symbol=BTCUSDT&timestamp=${NOW}`;
    const sig = nodeSign(null, Buffer.from(query), ed.privateKey).toString('base64');
    const curl = `curl -H 'X-MBX-APIKEY: abc' 'https://api.binance.com/api/v3/account?${query}&signature=${encodeURIComponent(sig)}'`;
    const ok = verdictOf(await examineRequest(curl, async () => [key], NOW));
    expect(ok.scheme).toBe('binance');
    expect(ok.state).toBe('verified');
    expect(plain(ok.parts)).toContain('Signature verified');
    const other = verdictOf(await examineRequest(curl, async () => keys, NOW));
    expect(other.state).toBe('failed');
    expect(plain(other.parts)).not.toContain('Signature verified');
  });
});

/**
 * Binance reads a request in ways its text does not show (attacker's review): each request
 * below carries a signature that node:crypto verifies over the text keybench would check, yet
 * Binance checks other bytes or refuses the request. None may be "verified"; each names its code.
 */
describe('Binance: a signature over the text is not enough when Binance reads other bytes', () => {
  const ed = generateKeyPairSync('ed25519');
  let edKey: VerificationKey;
  beforeAll(async () => {
    edKey = (
      await pastedPublicKey(String(ed.publicKey.export({ type: 'spki', format: 'pem' })), 'Binance key')
    ).key!;
  });
  const sig = (p: string) =>
    encodeURIComponent(nodeSign(null, Buffer.from(p), ed.privateKey).toString('base64'));
  const U = 'https://api.binance.com/api/v3/order';
  const P = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp=${NOW}`;
  const judge = async (text: string) => verdictOf(await examineRequest(text, async () => [edKey], NOW));

  // Binance's payload is query ‖ body, joined with nothing between them.
  it('the baseline verifies: query then form body, signature last, form Content-Type', async () => {
    const v = await judge(
      `curl -H 'X-MBX-APIKEY: k' '${U}?symbol=BTCUSDT&side=BUY' --data-raw 'type=MARKET&quantity=1&timestamp=${NOW}&signature=${sig(`symbol=BTCUSDT&side=BUYtype=MARKET&quantity=1&timestamp=${NOW}`)}'`,
    );
    expect([v.state, v.code]).toEqual(['verified', 'OK']);
  });

  it.each([
    [
      'two signature parameters',
      `curl -X POST -H 'X-MBX-APIKEY: k' '${U}?${P}&signature=AAAA&signature=${sig(`${P}&signature=AAAA`)}'`,
      'ERR_BINANCE_DUPLICATE_PARAM',
    ],
    [
      'a signature in the query and another in the body',
      `curl -H 'X-MBX-APIKEY: k' '${U}?${P}&signature=AAAA' --data-raw 'signature=${sig(`${P}&signature=AAAA`)}'`,
      'ERR_BINANCE_DUPLICATE_PARAM',
    ],
    [
      'a second timestamp (in seconds) after the first',
      `curl -X POST -H 'X-MBX-APIKEY: k' '${U}?${P}&timestamp=1600000000&signature=${sig(`${P}&timestamp=1600000000`)}'`,
      'ERR_BINANCE_DUPLICATE_PARAM',
    ],
    [
      'a second recvWindow over the maximum',
      `curl -X POST -H 'X-MBX-APIKEY: k' '${U}?${P}&recvWindow=5000&recvWindow=99999999&signature=${sig(`${P}&recvWindow=5000&recvWindow=99999999`)}'`,
      'ERR_BINANCE_DUPLICATE_PARAM',
    ],
    [
      'a parameter after the signature',
      `curl -X POST -H 'X-MBX-APIKEY: k' '${U}?${P}&signature=${sig(`${P}&newClientOrderId=x`)}&newClientOrderId=x'`,
      'ERR_BINANCE_SIGNATURE_NOT_LAST',
    ],
    [
      'the signature in the query while the body carries parameters',
      `curl -H 'X-MBX-APIKEY: k' '${U}?symbol=BTCUSDT&signature=${sig(P)}' --data-raw 'side=BUY&type=MARKET&quantity=1&timestamp=${NOW}'`,
      'ERR_BINANCE_SIGNATURE_NOT_LAST',
    ],
    [
      'parameters in the body of a GET',
      `curl -X GET -H 'X-MBX-APIKEY: k' '${U}' --data-raw '${P}&signature=${sig(P)}'`,
      'ERR_BINANCE_BODY_NOT_READ',
    ],
    [
      'a form body sent as JSON',
      `curl -H 'X-MBX-APIKEY: k' -H 'Content-Type: application/json' '${U}' --data-raw '${P}&signature=${sig(P)}'`,
      'ERR_BINANCE_BODY_NOT_READ',
    ],
    [
      'curl --json',
      `curl -H 'X-MBX-APIKEY: k' --json '${P}&signature=${sig(P)}' '${U}'`,
      'ERR_BINANCE_BODY_NOT_READ',
    ],
    [
      'a raw POST with no Content-Type',
      `POST /api/v3/order HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: k\r\nContent-Length: ${Buffer.byteLength(`${P}&signature=${sig(P)}`)}\r\n\r\n${P}&signature=${sig(P)}`,
      'ERR_BINANCE_BODY_NOT_READ',
    ],
  ])('%s → failed, %s', async (_what, text, code) => {
    const v = await judge(text);
    expect([v.state, v.code]).toEqual(['failed', code]);
    expect(plain(v.parts)).not.toContain('Signature verified');
  });
});
