/**
 * The key-role attack corpus: inputs an adversary controls where the
 * signature is genuine but the key that checks it is the wrong party's, each with the exact state
 * and code keybench must give. Signed by node:crypto or taken from the shared vectors, never made
 * with keybench. Unit tests run every entry (project/role-attacks.test.ts); the e2e suite runs the
 * `ui` ones.
 */
import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import type { ErrorCode } from '../../../src/lib/errors';
import type { KeyOwner } from '../../../src/lib/trust/roles';
import { vector } from './helpers';
import { nodeJws } from './jwt-helpers';

/** A stored key as the keyring holds it: a pair (always the user's) or a public key with or without an owner. */
export interface StoredForCase {
  label: string;
  kind: 'pair' | 'public';
  publicPem: string;
  /** Unset for a public key stored before keys had roles. */
  owner?: KeyOwner;
}

/** One attack and its exact outcome. */
export interface RoleCase {
  name: string;
  /** The issue item it proves. */
  item: '#17.1' | '#17.3';
  /** What is checked: a pasted request (the Inspect doctor), a QI Tech response (Sign view), a plain JWT (Inspect). */
  check: 'request' | 'response' | 'jwt';
  /** The request text, the JWT, or for a response its Authorization header. */
  input: string;
  /** A response's body. */
  body?: string;
  /** The key box (the doctor's "Verification key"); absent: the box is empty and the stored keys are tried. */
  keyText?: string;
  stored: StoredForCase[];
  expect: {
    state: 'verified' | 'failed';
    code: ErrorCode | 'OK';
    /** Labels of stored keys the page must name as not tried because they have no owner. */
    unownedSkipped?: string[];
  };
  /** Also run through the page in the e2e suite. */
  ui?: boolean;
}

const qit = JSON.parse(vector('qitech', 'vectors.json'));
const response = qit.response_post;
const API = qit.request_post.api_key as string;
const qitechSide = createPrivateKey(vector('qitech', 'qitech-side.key'));
const userQit = createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const userQredo = createPrivateKey(vector('qredo', 'private.pem'));
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The time the requests below are "now" at (the vectors' date is years earlier: only a skew warning). */
export const ROLE_NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

/** A raw HTTP/1.1 request, CRLF line ends; a body is framed by its Content-Length (RFC 9112 §6). */
export function http(method: string, target: string, headers: string[], body = ''): string {
  const length = body ? [`Content-Length: ${new TextEncoder().encode(body).length}`] : [];
  return [`${method} ${target} HTTP/1.1`, 'Host: api.example.test', ...headers, ...length, '', body].join(
    '\r\n',
  );
}

const userPair: StoredForCase = {
  label: 'my QI Tech key pair',
  kind: 'pair',
  publicPem: vector('qitech', 'jwtECDSASHA512.key.pub'),
};
const qitechKey = (owner?: KeyOwner): StoredForCase => ({
  label: "QI Tech's public key",
  kind: 'public',
  publicPem: vector('qitech', 'qitech-side.key.pub'),
  ...(owner ? { owner } : {}),
});
const myServerKey: StoredForCase = {
  label: "my server's public key",
  kind: 'public',
  publicPem: vector('qitech', 'jwtECDSASHA512.key.pub'),
  owner: 'mine',
};

/** QI Tech's signed response (the shared vector), pasted into Inspect as if it were a request. */
export function responseAsRequest(): string {
  const body = JSON.stringify(response.received_body);
  return http(
    'POST',
    '/test',
    [
      `AUTHORIZATION: ${response.headers.Authorization}`,
      `API-CLIENT-KEY: ${API}`,
      'Content-Type: application/json',
    ],
    body,
  );
}

/** A v2 request as the docs' samples make it, signed by `key` (node:crypto). */
export function v2Request(key: ReturnType<typeof createPrivateKey>): string {
  const body = '{"name": "QI Tech"}';
  const token = nodeJws('ES512', key, {
    payload_md5: md5(body),
    timestamp: '2026-11-24T11:59:30.000000Z',
    method: 'POST',
    uri: '/test',
  });
  return http(
    'POST',
    '/test',
    [`AUTHORIZATION: ${token}`, `API-CLIENT-KEY: ${API}`, 'Content-Type: application/json'],
    body,
  );
}

/** The user's own QIT v1 request, reflected back as QI Tech's "response" (signed with the user's key). */
export function reflectedResponse(): { authorization: string; body: string } {
  const payload = { success: true, amount: 1e9 };
  const encodedBody = nodeJws('ES512', userQit, payload);
  const line = md5(encodedBody);
  const token = nodeJws('ES512', userQit, {
    sub: API,
    signature: `POST\n${line}\napplication/json\n${qit.request_post.date}\n/test`,
  });
  return { authorization: `QIT ${API}:${token}`, body: JSON.stringify({ encoded_body: encodedBody }) };
}

function qredoRequest(): string {
  const ts = String(Math.floor(ROLE_NOW / 1000));
  const url = 'https://api.example.test/api/v1/p/company';
  const body = '{"a":1}';
  const sig = nodeSign('sha256', Buffer.from(`${ts}${url}${body}`), userQredo).toString('base64url');
  return http('POST', '/api/v1/p/company', ['x-api-key: k', `x-timestamp: ${ts}`, `x-sign: ${sig}`], body);
}

/** The corpus. */
export function roleCorpus(): RoleCase[] {
  const reflected = reflectedResponse();
  return [
    {
      name: "QI Tech's response pasted as a request, QI Tech's key stored: not verified",
      item: '#17.1',
      check: 'request',
      input: responseAsRequest(),
      stored: [userPair, qitechKey('qitech')],
      expect: { state: 'failed', code: 'ERR_QIT_OTHER_KEY' },
      ui: true,
    },
    {
      name: "a v2 request whose token QI Tech's key signed: not verified",
      item: '#17.1',
      check: 'request',
      input: v2Request(qitechSide),
      stored: [userPair, qitechKey('qitech')],
      expect: { state: 'failed', code: 'ERR_QIT_OTHER_KEY' },
      ui: true,
    },
    {
      name: "a v2 request whose token QI Tech's key signed, only QI Tech's key stored: no key of yours to try",
      item: '#17.1',
      check: 'request',
      input: v2Request(qitechSide),
      stored: [qitechKey('qitech')],
      expect: { state: 'failed', code: 'ERR_QIT_NO_KEY' },
    },
    {
      name: 'baseline: a v2 request the user signed verifies with the stored pair',
      item: '#17.1',
      check: 'request',
      input: v2Request(userQit),
      stored: [userPair, qitechKey('qitech')],
      expect: { state: 'verified', code: 'OK' },
    },
    {
      name: "baseline: the public key of the user's own server (owner Mine) verifies its request",
      item: '#17.1',
      check: 'request',
      input: v2Request(userQit),
      stored: [myServerKey],
      expect: { state: 'verified', code: 'OK' },
    },
    {
      name: 'a key pasted in the key box is declared for this check: QI Tech\'s key pasted verifies "its" request',
      item: '#17.1',
      check: 'request',
      input: v2Request(qitechSide),
      keyText: vector('qitech', 'qitech-side.key.pub'),
      stored: [],
      expect: { state: 'verified', code: 'OK' },
    },
    {
      name: 'an unowned stored key is not tried for a request, and is named',
      item: '#17.1',
      check: 'request',
      input: v2Request(qitechSide),
      stored: [userPair, qitechKey()],
      expect: { state: 'failed', code: 'ERR_QIT_OTHER_KEY', unownedSkipped: ["QI Tech's public key"] },
    },
    {
      name: "a Qredo request with only Qredo's (partner-owned) RSA key stored: not tried, no key",
      item: '#17.1',
      check: 'request',
      input: qredoRequest(),
      stored: [
        { label: 'Qredo key', kind: 'public', publicPem: vector('qredo', 'public.pem'), owner: 'qredo' },
      ],
      expect: { state: 'failed', code: 'ERR_REQUEST_NO_KEY' },
    },
    {
      name: "baseline: a Qredo request verifies with the user's own RSA public key",
      item: '#17.1',
      check: 'request',
      input: qredoRequest(),
      stored: [
        { label: 'Qredo key', kind: 'public', publicPem: vector('qredo', 'public.pem'), owner: 'mine' },
      ],
      expect: { state: 'verified', code: 'OK' },
    },
    {
      name: 'the user\'s own imported public key does not verify a reflected "response"',
      item: '#17.1',
      check: 'response',
      input: reflected.authorization,
      body: reflected.body,
      stored: [myServerKey],
      expect: { state: 'failed', code: 'ERR_QIT_NO_TRUSTED_KEY' },
    },
    {
      name: 'a reflected "response" with QI Tech\'s key and the user\'s own public key stored: the signature fails',
      item: '#17.1',
      check: 'response',
      input: reflected.authorization,
      body: reflected.body,
      stored: [myServerKey, qitechKey('qitech')],
      expect: { state: 'failed', code: 'ERR_QIT_TOKEN_SIGNATURE' },
    },
    {
      name: "QI Tech's key stored before roles (no owner) is not used for a response, and is named",
      item: '#17.1',
      check: 'response',
      input: response.headers.Authorization,
      body: JSON.stringify(response.received_body),
      stored: [qitechKey()],
      expect: { state: 'failed', code: 'ERR_QIT_NO_TRUSTED_KEY', unownedSkipped: ["QI Tech's public key"] },
    },
    {
      name: "baseline: QI Tech's response verifies with QI Tech's key",
      item: '#17.1',
      check: 'response',
      input: response.headers.Authorization,
      body: JSON.stringify(response.received_body),
      stored: [userPair, qitechKey('qitech')],
      expect: { state: 'verified', code: 'OK' },
    },
    {
      name: "a plain JWT (no direction) still verifies with a partner's stored key",
      item: '#17.1',
      check: 'jwt',
      input: nodeJws('ES512', qitechSide, { sub: 'anything' }),
      stored: [qitechKey('qitech')],
      expect: { state: 'verified', code: 'OK' },
    },
    {
      name: 'a plain JWT still verifies with an unowned stored key',
      item: '#17.1',
      check: 'jwt',
      input: nodeJws('ES512', qitechSide, { sub: 'anything' }),
      stored: [qitechKey()],
      expect: { state: 'verified', code: 'OK' },
    },
  ];
}
