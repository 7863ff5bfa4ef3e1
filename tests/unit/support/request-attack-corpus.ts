/**
 * The request attack corpus: pasted requests
 * whose signature holds over a reading the server does not make. Each entry names the mechanism
 * it proves and the exact outcome keybench must give: refused (`error` and its code), or a verdict
 * (state and code), and for a few the request as read. Every signature is made with node:crypto,
 * never with keybench.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { ErrorCode } from '../../../src/lib/errors';
import { vector } from './helpers';
import { nodeJws } from './jwt-helpers';

/** One attack and its exact expected outcome. */
export interface RequestAttack {
  name: string;
  /** The mechanism it proves. */
  mechanism: string;
  /** The text pasted into the first box. */
  text: string;
  expect:
    | { kind: 'error'; code: ErrorCode }
    | {
        kind: 'verdict';
        state: 'verified' | 'failed';
        code: ErrorCode | 'OK';
        /** A finding that must be present (e.g. a note on body members no signature covers). */
        finding?: ErrorCode;
      };
  /** Parts of the request as read that must hold (header value null: the header is not sent). */
  read?: { method?: string; url?: string; body?: string; headers?: [string, string | null][] };
}

/** The time the doctor runs at. */
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const qredoKey = createPrivateKey(vector('qredo', 'private.pem'));
const qitKey = createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
/** The Binance test key (Ed25519); its public half is trusted by the test. */
export const binanceKey = generateKeyPairSync('ed25519');
const API = '3f6b2c1e-8a4d-4f5e-9b7a-2d1c0e9f8a7b';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const ts = String(Math.floor(NOW / 1000));
const HOST = 'api.example.test';
const QREDO = `https://${HOST}/api/v1/p/company`;

/** Qredo's x-sign over timestamp ‖ URL ‖ body. */
const xSign = (url: string, body: string) =>
  nodeSign('sha256', Buffer.from(`${ts}${url}${body}`), qredoKey).toString('base64url');
/** Qredo headers as curl -H options, signed over this URL and body. */
const qredoCurl = (url: string, body: string) =>
  `-H 'x-api-key: k' -H 'x-timestamp: ${ts}' -H 'x-sign: ${xSign(url, body)}'`;
/** Qredo header lines for a raw request. */
const qredoLines = (url: string, body: string) => [
  'x-api-key: k',
  `x-timestamp: ${ts}`,
  `x-sign: ${xSign(url, body)}`,
];

/** A QI Tech v2 AUTHORIZATION token for this method, endpoint and (JSON) body. */
const v2 = (method: string, uri: string, body = '{}') =>
  nodeJws('ES512', qitKey, {
    payload_md5: md5(body),
    timestamp: new Date(NOW).toISOString().replace('Z', '000Z'),
    method,
    uri,
  });
const QI = 'https://api-auth.sandbox.qitech.app';

/** A QIT v1 signed POST: its encoded_body JWS, and the AUTHORIZATION token over it. */
function v1(payload: Record<string, unknown>, encoded?: string) {
  const jws = nodeJws('ES512', qitKey, payload);
  const sent = encoded ?? jws;
  const token = nodeJws('ES512', qitKey, {
    sub: API,
    signature: ['POST', md5(sent), 'application/json', new Date(NOW).toUTCString(), '/test'].join('\n'),
  });
  return { jws, sent, token };
}

/** A raw HTTP/1.1 request. */
const raw = (head: string[], body = '') => [...head, '', body].join('\r\n');
/** Binance's base64 Ed25519 signature, percent-encoded. */
const bsig = (p: string) =>
  encodeURIComponent(nodeSign(null, Buffer.from(p), binanceKey.privateKey).toString('base64'));
const P = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp=${NOW}`;

/** The corpus. */
export function requestAttacks(): RequestAttack[] {
  const form = `${P}&signature=${bsig(P)}`;
  const out: RequestAttack[] = [
    {
      name: 'curl -X with a request line in it (Binance signs only parameters)',
      mechanism: 'curl: -X must be a method token',
      text: `curl -X $'POST /api/v3/order?symbol=EVIL HTTP/1.1\\r\\nX: ' -H 'X-MBX-APIKEY: k' 'https://api.binance.com/api/v3/order?${form}'`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'curl -X with a space and another path (Qredo does not sign the method)',
      mechanism: 'curl: -X must be a method token',
      text: `curl -X 'GET /admin' '${QREDO}' ${qredoCurl(QREDO, '')}`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'words after a redirection are curl’s: >/dev/null -X DELETE sends DELETE (QI v2 signed GET)',
      mechanism: 'curl: a redirection does not end the command',
      text: `curl '${QI}/accounts/1' -H 'AUTHORIZATION: ${v2('GET', '/accounts/1')}' -H 'API-CLIENT-KEY: ${API}' >/dev/null -X DELETE`,
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QIT_METHOD_CASE' },
      read: { method: 'DELETE' },
    },
    {
      name: 'a newline ends the command: -X DELETE on the next line is another command (QI v2 signed DELETE)',
      mechanism: 'curl: only ; & | && || and a newline end the command',
      text: `curl '${QI}/accounts/1' -H 'AUTHORIZATION: ${v2('DELETE', '/accounts/1')}' -H 'API-CLIENT-KEY: ${API}'\n  -X DELETE`,
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QIT_METHOD_CASE' },
      read: { method: 'GET' },
    },
    {
      name: 'backticks inside double quotes run a command (Qredo signed the literal text)',
      mechanism: 'curl: command substitution is refused',
      text: `curl '${QREDO}' ${qredoCurl(QREDO, '{"a":"`id`"}')} -d "{\\"a\\":\\"\`id\`\\"}"`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: '$(…) inside double quotes runs a command (Qredo signed the literal text)',
      mechanism: 'curl: command substitution is refused',
      text: `curl '${QREDO}' ${qredoCurl(QREDO, '{"a":"$(id)"}')} -d "{\\"a\\":\\"$(id)\\"}"`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'an unquoted ~ after = is the home directory (Qredo signed a=~)',
      mechanism: 'curl: tilde expansion is refused',
      text: `curl '${QREDO}' ${qredoCurl(QREDO, 'a=~')} -d a=~`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'unquoted braces with a comma are expanded into two words (Qredo signed the joined text)',
      mechanism: 'curl: brace expansion is refused',
      text: `curl '${QREDO}' ${qredoCurl(QREDO, '{a:1,b:2}')} -d {"a":1,"b":2}`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: '-d a --json b sends ab, not a&b (Qredo signed a&b)',
      mechanism: 'curl: --json data joins with no separator',
      text: `curl '${QREDO}' ${qredoCurl(QREDO, 'a&b')} -d a --json b`,
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QREDO_SIGNATURE' },
      read: { body: 'ab' },
    },
    {
      name: 'a non-ASCII path is sent percent-encoded (Qredo signed the path as written)',
      mechanism: 'curl: a non-ASCII path is percent-encoded',
      text: `curl 'https://${HOST}/api/v1/p/café' ${qredoCurl(`https://${HOST}/api/v1/p/café`, '')}`,
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QREDO_URL_ENCODING' },
      read: { url: `https://${HOST}/api/v1/p/caf%c3%a9` },
    },
    {
      name: '--digest sends no Authorization on its first request',
      mechanism: 'curl: --digest waits for the challenge',
      text: `curl --digest -u user:pass '${QREDO}' ${qredoCurl(QREDO, '')}`,
      expect: { kind: 'verdict', state: 'verified', code: 'OK' },
      read: { headers: [['Authorization', null]] },
    },
    {
      name: 'a HAR postData in base64 is sent decoded (Qredo signed the base64 text)',
      mechanism: 'HAR: postData.encoding base64 is decoded',
      text: JSON.stringify({
        request: {
          method: 'POST',
          url: QREDO,
          headers: qredoLines(QREDO, Buffer.from('{"amount":1}').toString('base64')).map((l) => {
            const [name, value] = l.split(': ');
            return { name, value };
          }),
          postData: {
            mimeType: 'application/json',
            text: Buffer.from('{"amount":1}').toString('base64'),
            encoding: 'base64',
          },
        },
      }),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QREDO_SIGNATURE' },
      read: { body: '{"amount":1}' },
    },
    {
      name: 'a HAR method that is not a token',
      mechanism: 'HAR/fetch: the method must be a token',
      text: JSON.stringify({
        request: {
          method: 'GET /admin HTTP/1.1\r\nX:',
          url: QREDO,
          headers: qredoLines(QREDO, '').map((l) => {
            const [name, value] = l.split(': ');
            return { name, value };
          }),
        },
      }),
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'a fetch method that is not a token',
      mechanism: 'HAR/fetch: the method must be a token',
      text: `fetch(${JSON.stringify(QREDO)}, ${JSON.stringify({ method: 'GET /admin', headers: Object.fromEntries(qredoLines(QREDO, '').map((l) => l.split(': '))) })});`,
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'raw HTTP/1.1 with a body but no Content-Length: the server reads no body (Qredo signed the body)',
      mechanism: 'raw HTTP: a body only with Content-Length or chunked',
      text: raw(
        [`POST /api/v1/p/company HTTP/1.1`, `Host: ${HOST}`, ...qredoLines(QREDO, '{"a":1}')],
        '{"a":1}',
      ),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QREDO_SIGNATURE' },
      read: { body: '' },
    },
    {
      name: 'chunked on HTTP/1.0 is faulty framing',
      mechanism: 'raw HTTP: chunked on HTTP/1.0 is refused',
      text: raw(
        [
          `POST /api/v1/p/company HTTP/1.0`,
          `Host: ${HOST}`,
          ...qredoLines(QREDO, '{"a":1}'),
          'Transfer-Encoding: chunked',
        ],
        '7\r\n{"a":1}\r\n0\r\n\r\n',
      ),
      expect: { kind: 'error', code: 'ERR_REQUEST_PARSE' },
    },
    {
      name: 'a #fragment in the request target is not sent (Qredo signed the URL with it)',
      mechanism: 'raw HTTP: a #fragment is not sent',
      text: raw([`GET /api/v1/p/company#x HTTP/1.1`, `Host: ${HOST}`, ...qredoLines(`${QREDO}#x`, '')]),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_QREDO_SIGNATURE' },
      read: { url: QREDO },
    },
    {
      name: 'Binance: Content-Type sent twice (form first, JSON second)',
      mechanism: 'read-once headers: Binance Content-Type',
      text: raw(
        [
          'POST /api/v3/order HTTP/1.1',
          'Host: api.binance.com',
          'X-MBX-APIKEY: k',
          'Content-Type: application/x-www-form-urlencoded',
          'Content-Type: application/json',
          `Content-Length: ${form.length}`,
        ],
        form,
      ),
      expect: { kind: 'error', code: 'ERR_REQUEST_DUPLICATE_HEADER' },
    },
    {
      name: 'Binance: Content-Type with a no-break space at its end',
      mechanism: 'read-once headers: Binance Content-Type',
      text: raw(
        [
          'POST /api/v3/order HTTP/1.1',
          'Host: api.binance.com',
          'X-MBX-APIKEY: k',
          'Content-Type: application/x-www-form-urlencoded\u00a0',
          `Content-Length: ${form.length}`,
        ],
        form,
      ),
      expect: { kind: 'error', code: 'ERR_REQUEST_HEADER_VALUE' },
    },
    {
      name: 'QI Tech v2: an empty API-CLIENT-KEY is no key (GDF000003)',
      mechanism: 'read-once headers: QI Tech API-CLIENT-KEY present and non-empty',
      text: raw([
        'GET /accounts/1 HTTP/1.1',
        'Host: api-auth.sandbox.qitech.app',
        `AUTHORIZATION: ${v2('GET', '/accounts/1')}`,
        'API-CLIENT-KEY:',
      ]),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_REQUEST_MISSING_HEADER' },
    },
    {
      name: 'QI Tech v2: API-CLIENT-KEY sent twice',
      mechanism: 'read-once headers: QI Tech API-CLIENT-KEY present and non-empty',
      text: raw([
        'GET /accounts/1 HTTP/1.1',
        'Host: api-auth.sandbox.qitech.app',
        `AUTHORIZATION: ${v2('GET', '/accounts/1')}`,
        `API-CLIENT-KEY: ${API}`,
        'API-CLIENT-KEY: other',
      ]),
      expect: { kind: 'error', code: 'ERR_REQUEST_DUPLICATE_HEADER' },
    },
  ];

  // QIT v1: the body and the token as the server reads them
  const qit = (authorization: string, body: string) =>
    raw(
      [
        'POST /test HTTP/1.1',
        'Host: api-auth.sandbox.qitech.app',
        `AUTHORIZATION: ${authorization}`,
        `API-CLIENT-KEY: ${API}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
      ],
      body,
    );
  const good = v1({ amount: 1 });
  const other = nodeJws('ES512', qitKey, { amount: 1_000_000 });
  const spaced = v1({ amount: 1 }, ` ${nodeJws('ES512', qitKey, { amount: 1 })}`);
  out.push(
    {
      name: 'QIT v1: the baseline verifies',
      mechanism: 'QIT v1 body read once (baseline)',
      text: qit(`QIT ${API}:${good.token}`, JSON.stringify({ encoded_body: good.sent })),
      expect: { kind: 'verdict', state: 'verified', code: 'OK' },
    },
    {
      name: 'QIT v1: encoded_body twice, the signed one last (JSON.parse keeps the last)',
      mechanism: 'QIT v1 body: encoded_body exactly once',
      text: qit(`QIT ${API}:${good.token}`, `{"encoded_body":"${other}","encoded_body":"${good.sent}"}`),
      expect: { kind: 'error', code: 'ERR_REQUEST_DUPLICATE_MEMBER' },
    },
    {
      name: 'QIT v1: a member beside encoded_body is covered by no signature: noted',
      mechanism: 'QIT v1 body: uncovered members are noted',
      text: qit(`QIT ${API}:${good.token}`, JSON.stringify({ encoded_body: good.sent, to: 'attacker' })),
      expect: { kind: 'verdict', state: 'verified', code: 'OK', finding: 'ERR_REQUEST_UNSIGNED_MEMBER' },
    },
    {
      name: 'QIT v1: the token in double quotes is sent with them (the server cannot decode it)',
      mechanism: 'header values are bytes: no cleaning',
      text: qit(`QIT ${API}:"${good.token}"`, JSON.stringify({ encoded_body: good.sent })),
      expect: { kind: 'error', code: 'ERR_QIT_AUTH_HEADER' },
    },
    {
      name: 'QIT v1: the token in backticks is sent with them',
      mechanism: 'header values are bytes: no cleaning',
      text: qit(`QIT ${API}:\`${good.token}\``, JSON.stringify({ encoded_body: good.sent })),
      expect: { kind: 'error', code: 'ERR_QIT_AUTH_HEADER' },
    },
    {
      name: 'QIT v1: encoded_body with a space before the JWS (md5 signed over the string as sent)',
      mechanism: 'header values are bytes: no cleaning',
      text: qit(`QIT ${API}:${spaced.token}`, JSON.stringify({ encoded_body: spaced.sent })),
      expect: { kind: 'error', code: 'ERR_QIT_AUTH_HEADER' },
    },
  );
  out.push(...rfc9421Attacks());
  return out;
}

/**
 * An RFC 9421 request signed with the Binance test key (Ed25519, trusted as pasted) over a base a
 * lenient verifier builds from `covered` exactly as written: `"id": value` lines, then
 * `@signature-params`. `extra` are more header lines; `url` the target.
 */
function httpSig(
  covered: [string, string][],
  options: { url?: string; extra?: string[]; inputPrefix?: string } = {},
): string {
  const url = options.url ?? `https://${HOST}/orders`;
  const params = `(${covered.map(([id]) => id).join(' ')});created=${ts}`;
  const base = [...covered.map(([id, v]) => `${id}: ${v}`), `"@signature-params": ${params}`].join('\n');
  const sig = nodeSign(null, Buffer.from(base), binanceKey.privateKey).toString('base64');
  const u = new URL(url);
  return [
    `GET ${u.pathname} HTTP/1.1`,
    `Host: ${u.host}`,
    ...(options.extra ?? []),
    `Signature-Input: ${options.inputPrefix ?? ''}sig1=${params}`,
    `Signature: sig1=:${sig}:`,
    '',
    '',
  ].join('\n');
}

/** RFC 9421 read to the letter (§2.1, §2.2.3, §2.5, RFC 9651 §4.2.2): what a lenient verifier accepts. */
function rfc9421Attacks(): RequestAttack[] {
  const target: [string, string][] = [
    ['"@method"', 'GET'],
    ['"@authority"', HOST],
    ['"@path"', '/orders'],
  ];
  return [
    {
      name: 'RFC 9421: a control, the same construction with nothing wrong, verifies',
      mechanism: 'RFC 9421: component parameters as §2.1 defines them',
      text: httpSig(target),
      expect: { kind: 'verdict', state: 'verified', code: 'OK' },
    },
    {
      name: 'RFC 9421: a signed response’s ;req components pasted as a request are refused',
      mechanism: 'RFC 9421: ;req belongs to a response’s signature',
      text: httpSig([
        ['"@method";req', 'GET'],
        ['"@authority";req', HOST],
        ['"@path";req', '/orders'],
      ]),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_HTTPSIG_COMPONENT' },
    },
    {
      name: 'RFC 9421: an unknown parameter on a derived component ("@path";foo) is refused',
      mechanism: 'RFC 9421: an unknown component parameter is an error',
      text: httpSig([...target.slice(0, 2), ['"@path";foo', '/orders']]),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_HTTPSIG_COMPONENT' },
    },
    {
      name: 'RFC 9421: ;name on @authority is refused',
      mechanism: 'RFC 9421: an unknown component parameter is an error',
      text: httpSig([target[0]!, ['"@authority";name="x"', HOST], target[2]!]),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_HTTPSIG_COMPONENT' },
    },
    {
      name: 'RFC 9421: Host example:443 on an http URL is not the URL’s host (443 is https’s default only)',
      mechanism: 'RFC 9421: @authority drops only its own scheme’s default port',
      text: httpSig(
        [
          ['"@method"', 'GET'],
          ['"@authority"', HOST],
          ['"@path"', '/orders'],
        ],
        { url: `http://${HOST}/orders` },
      )
        .replace(`Host: ${HOST}`, `Host: ${HOST}:443`)
        .replace('GET /orders', `GET http://${HOST}/orders`),
      expect: { kind: 'error', code: 'ERR_REQUEST_HEADER_VALUE' },
    },
    {
      name: 'RFC 9421: the label sig1 given twice in Signature-Input is refused',
      mechanism: 'RFC 9421: a repeated dictionary key is refused',
      text: httpSig(target, { inputPrefix: `sig1=("@method");created=${ts}, ` }),
      expect: { kind: 'verdict', state: 'failed', code: 'ERR_HTTPSIG_DUPLICATE_LABEL' },
    },
  ];
}
