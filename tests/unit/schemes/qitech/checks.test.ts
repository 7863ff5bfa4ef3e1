/**
 * QI Tech's three schemes (schemes/qitech/scheme.ts) as the doctor's request checks: each
 * recognises, refuses and verifies exactly as the doctor does (the attack corpus and a few
 * hand-made requests give the same verdict through both), and its mistakes are data confirmed only
 * by WebCrypto. Every token is signed by hand with node:crypto, never with keybench.
 */
import { createHash, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { examineRequest } from '../../../../src/lib/scheme/doctor';
import { parseRequest } from '../../../../src/lib/request/parse';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { plain } from '../../../../src/lib/rich';
import { keysFor } from '../../../../src/lib/trust/roles';
import { decideRequest } from '../../../../src/lib/trust/verdict';
import type { RequestCheck } from '../../../../src/lib/scheme/contract';
import { toRequestCheck } from '../../../../src/lib/scheme/check';
import QITECH from '../../../../src/lib/schemes/qitech/scheme';
import { readJws, signingInput } from '../../../../src/lib/schemes/qitech/token';
import { pastedPublicKey, vector } from '../../support/helpers';
import { binanceKey, NOW, requestAttacks } from '../../support/request-attack-corpus';

const CHECKS: RequestCheck[] = QITECH.map((s) => toRequestCheck(s));
const REQUEST_TO_QITECH = { direction: 'request-to', partner: 'qitech' } as const;
const clientPrivate = createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const sidePrivate = createPrivateKey(vector('qitech', 'qitech-side.key'));
const API = '3f6b2c1e-8a4d-4f5e-9b7a-2d1c0e9f8a7b';
const b64u = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const V2_TS = new Date(NOW).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** An ES512 compact JWS signed by hand (raw r‖s unless `der`). */
function es512(payload: Record<string, unknown>, key: KeyObject = clientPrivate, der = false): string {
  const input = `${b64u(JSON.stringify({ alg: 'ES512', typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
  const sig = nodeSign('sha512', Buffer.from(input), { key, dsaEncoding: der ? 'der' : 'ieee-p1363' });
  return `${input}.${b64u(sig)}`;
}

let keys: VerificationKey[];
let client: VerificationKey;
let side: VerificationKey;
beforeAll(async () => {
  client = (await pastedPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'), 'QI Tech fixture')).key!;
  side = (await pastedPublicKey(vector('qitech', 'qitech-side.key.pub'), 'other P-521 key')).key!;
  keys = [
    (await pastedPublicKey(vector('qredo', 'public.pem'), 'Qredo fixture')).key!,
    client,
    (await pastedPublicKey(String(binanceKey.publicKey.export({ type: 'spki', format: 'pem' })), 'Binance'))
      .key!,
  ];
});

/** The check that recognises a request best, as the engine picks it (0: none of QI Tech's). */
function recognised(req: ParsedRequest): RequestCheck | undefined {
  const scored = CHECKS.map((c) => [c.recognise(req), c] as const).filter(([s]) => s > 0);
  scored.sort((a, b) => b[0] - a[0]);
  return scored[0]?.[1];
}

/** The engine's steps for one QI Tech request: refuse, verify with keys whose role fits, the one rule. */
async function throughCheck(check: RequestCheck, req: ParsedRequest, trusted: VerificationKey[]) {
  const refused = check.refuse?.(req) ?? null;
  if (refused) return { refused };
  const result = await check.verify({ request: req, keys: keysFor(REQUEST_TO_QITECH, trusted), nowMs: NOW });
  return { verdict: decideRequest(REQUEST_TO_QITECH, Array.isArray(result) ? result[0]! : result) };
}

/** What must agree between the doctor's verdict and the check's. */
const summary = (v: RequestVerdict) => ({
  scheme: v.scheme,
  state: v.state,
  code: v.code,
  signatureVerified: v.signatureVerified,
  parts: plain(v.parts),
  findings: v.findings.map((f) => `${f.check}:${f.code}`),
  diagnoses: v.diagnoses.map((d) => `${d.code}:${d.title}:${d.confirmed}`),
});

function raw(method: string, target: string, headers: string[], body = ''): string {
  const len = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  return [`${method} ${target} HTTP/1.1`, 'Host: api.example.test', ...headers, ...len, '', body].join(
    '\r\n',
  );
}

/** A few requests the corpus does not have: a token behind "Bearer", QI DTVM, mistakes searched. */
function handMade(): string[] {
  const body = '{"amount": 1}';
  const dtvmTs = new Date(NOW).toISOString().slice(0, 19);
  const v2 = (claims: Record<string, unknown>, key?: KeyObject, der?: boolean) => es512(claims, key, der);
  const post = (auth: string, b = body, target = '/pay') =>
    raw(
      'POST',
      target,
      [`AUTHORIZATION: ${auth}`, `API-CLIENT-KEY: ${API}`, 'Content-Type: application/json'],
      b,
    );
  const claims = { payload_md5: md5(body), timestamp: V2_TS, method: 'POST', uri: '/pay' };
  return [
    post(v2(claims)),
    post(`Bearer ${v2(claims)}`),
    post(`Bearer ${v2({ ...claims, payload_md5: md5('{"amount": 2}') })}`),
    post(v2({ ...claims, timestamp: dtvmTs })),
    post(v2({ ...claims, payload_md5: md5('{"amount":1}') })),
    post(v2({ ...claims, payload_md5: md5('{"amount":1}') }, sidePrivate)),
    post(v2({ ...claims, payload_md5: md5('{"amount":1}') }, clientPrivate, true)),
    post(v2({ ...claims, uri: '/pay' }), body, '/pay?x=1'),
    post(v2({ ...claims, uri: 'https://api.example.test/pay' })),
    post(v2({ ...claims, method: 'post' })),
    post(v2({ ...claims, method: 'PUT' })),
  ];
}

describe('QI Tech checks: the same verdict as the doctor', () => {
  const seen = { verdicts: 0, refused: 0 };
  const corpus = requestAttacks().map((c) => [c.name, c.text] as const);
  const made = handMade().map((t, i) => [`hand-made ${i}`, t] as const);

  it.each([...corpus, ...made])('%s', async (_name, text) => {
    const e = await examineRequest(text, async () => keys, NOW);
    const parsed = parseRequest(text);
    if (e === null || parsed.kind !== 'request') return;
    const check = recognised(parsed.request);
    if (e.kind === 'verdict' && e.verdict.scheme.startsWith('qi')) {
      expect(check?.id).toBe(e.verdict.scheme);
      const got = await throughCheck(check!, parsed.request, keys);
      expect(got.refused).toBeUndefined();
      expect(summary(got.verdict!)).toEqual(summary(e.verdict));
      seen.verdicts++;
    } else if (
      e.kind === 'error' &&
      check &&
      /ERR_QIT_AUTH_HEADER|ERR_REQUEST_DUPLICATE_MEMBER/.test(e.code)
    ) {
      const got = await throughCheck(check, parsed.request, keys);
      expect(got.refused?.code).toBe(e.code);
      expect(plain(got.refused!.parts)).toBe(plain(e.parts));
      seen.refused++;
    } else if (e.kind !== 'error') {
      expect(check, `${e.kind} ${e.kind === 'verdict' ? e.verdict.scheme : ''}`).toBeUndefined();
    }
  });

  it('compared verdicts and refusals, not only requests of other schemes', () => {
    expect(seen.verdicts).toBeGreaterThanOrEqual(15);
    expect(seen.refused).toBeGreaterThanOrEqual(3);
  });

  it('recognises: QIT v1 by its prefix, v2 and QI DTVM by the timestamp form (behind Bearer too)', () => {
    const req = (auth: string): ParsedRequest => ({
      source: 'http',
      method: 'GET',
      url: 'https://h.example/x',
      headers: [['Authorization', auth]],
      body: '',
      notes: [],
    });
    const v2 = es512({ payload_md5: md5('{}'), timestamp: V2_TS, method: 'GET', uri: '/x' });
    const dtvm = es512({ timestamp: V2_TS.slice(0, 19), method: 'GET', uri: '/x' });
    const plainJwt = es512({ sub: 'someone' });
    expect(recognised(req('QIT abc:x.y.z'))?.id).toBe('qit-v1');
    expect(recognised(req(v2))?.id).toBe('qit-v2');
    expect(recognised(req(`Bearer ${v2}`))?.id).toBe('qit-v2');
    expect(recognised(req(dtvm))?.id).toBe('qi-dtvm');
    expect(recognised(req(plainJwt))).toBeUndefined();
    expect(recognised(req(`Bearer ${plainJwt}`))).toBeUndefined();
    for (const c of CHECKS) expect(c.keyAlg).toBe('ES512');
  });
});

describe('QI Tech mistakes: data, confirmed only by WebCrypto', () => {
  const body = '{"amount": 1, "to": "x"}';
  const compact = '{"amount":1,"to":"x"}';
  const claims = { payload_md5: md5(compact), timestamp: V2_TS, method: 'POST', uri: '/pay' };
  const request = (token: string): ParsedRequest => ({
    source: 'http',
    method: 'POST',
    url: 'https://api.example.test/pay',
    headers: [
      ['AUTHORIZATION', token],
      ['API-CLIENT-KEY', API],
    ],
    body,
    notes: [],
  });
  const diagnose = async (token: string, trusted: VerificationKey[]) => {
    const r = await CHECKS[0]!.verify({ request: request(token), keys: trusted, nowMs: NOW });
    return decideRequest(REQUEST_TO_QITECH, Array.isArray(r) ? r[0]! : r);
  };

  it('a mistake is reported when the signature verifies over the claims it names, with that key', async () => {
    const v = await diagnose(es512(claims, sidePrivate), [client, side]);
    const d = v.diagnoses.find((x) => x.code === 'ERR_QIT_V2_SERIALISATION');
    expect(d?.confirmed).toBe(true);
    expect(d!.explanation.flatMap((p) => (typeof p === 'string' ? [] : [p.untrusted]))).toEqual([
      'other P-521 key',
      compact,
      body,
    ]);
  });

  it('no mistake is reported when no trusted key verifies the token (the same claims, another signer)', async () => {
    const v = await diagnose(es512(claims, sidePrivate), [client]);
    expect(v.diagnoses.map((d) => d.code)).toEqual(['ERR_QIT_OTHER_KEY']);
    // The payload_md5 finding still says the body is not the one hashed.
    expect(v.findings.find((f) => f.check === 'md5')?.code).toBe('ERR_QIT_MD5');
  });

  it('a token whose signature was changed confirms no mistake', async () => {
    const token = es512(claims);
    const sig = Buffer.from(token.split('.')[2]!, 'base64url');
    sig[10] = sig[10]! ^ 1;
    const v = await diagnose(`${token.split('.').slice(0, 2).join('.')}.${b64u(sig)}`, [client]);
    expect(v.diagnoses.map((d) => d.code)).not.toContain('ERR_QIT_V2_SERIALISATION');
  });

  it('a DER signature is converted for the search: the mistake is still confirmed', async () => {
    const v = await diagnose(es512(claims, clientPrivate, true), [client]);
    expect(v.diagnoses.map((d) => [d.code, d.confirmed])).toEqual([['ERR_QIT_V2_SERIALISATION', true]]);
    expect(plain(v.diagnoses[0]!.explanation)).toContain('DER');
    // Alone, the DER encoding is its own mistake.
    const alone = await diagnose(es512({ ...claims, payload_md5: md5(body) }, clientPrivate, true), [client]);
    expect(alone.diagnoses.map((d) => [d.code, d.confirmed])).toEqual([['ERR_QIT_DER_SIGNATURE', true]]);
  });

  it("the base is the token's own signing input only when every claim names what is sent", () => {
    const token = es512(claims);
    const t = readJws(token)!;
    const signed = token.split('.').slice(0, 2).join('.');
    const base = (want: Record<string, string>) =>
      signingInput({ head: t.head, payload: t.payload, text: t.text }, want)
        .map((p) => p.text)
        .join('');
    expect(base({ ...claims, payload_md5: md5(compact) })).toBe(signed);
    expect(base({ ...claims, payload_md5: md5(body) })).not.toBe(signed);
    // An encoder that escapes "/" (PHP's json_encode) signed the same value: its bytes are kept.
    const php = `${b64u('{"alg":"ES512","typ":"JWT"}')}.${b64u('{"uri":"\\/pay","method":"POST"}')}`;
    const p = readJws(`${php}.AA`)!;
    const phpBase = signingInput(
      { head: p.head, payload: p.payload, text: p.text },
      { uri: '/pay', method: 'POST' },
    );
    expect(phpBase.map((x) => x.text).join('')).toBe(php);
  });

  it('every mistake has a stable code, words and a remedy', () => {
    for (const m of QITECH.flatMap((x) => x.mistakes)) {
      expect(m.code).toMatch(/^ERR_QIT_/);
      expect(m.explanation.length).toBeGreaterThan(20);
      expect(m.remedy.length).toBeGreaterThan(10);
    }
  });
});
