/**
 * Qredo on the engine: its check is found by the registry, recognises a request by
 * x-sign, returns a SchemeResult (never a state), and its mistakes are data that the engine's one
 * search tries. Every request is signed with node:crypto and the fixture key, never with keybench.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import type { ParsedRequest } from '../../../../src/lib/request/types';
import type { Rich } from '../../../../src/lib/rich';
import { REQUEST_CHECKS } from '../../../../src/lib/scheme/doctor-checks';
import type { RequestCheck } from '../../../../src/lib/scheme/contract';
import { baseText, toRequestCheck } from '../../../../src/lib/scheme/check';
import qredo from '../../../../src/lib/schemes/qredo/scheme';
import { REQUEST_TO_QREDO } from '../../support/qredo-helpers';
import type { SchemeResult } from '../../../../src/lib/trust/verdict';
import { decideRequest } from '../../../../src/lib/trust/verdict';
import { vector } from '../../support/helpers';

const priv = createPrivateKey(vector('qredo', 'private.pem'));
const TS = '1700000000';
const NOW = 1700000000 * 1000 + 20_000;
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
const BODY = '{"name":"Acme Test Ltd","city":"London","country":"GB"}';
const API_KEY = Buffer.from(JSON.stringify({ key_id: 'kid-123' })).toString('base64url');

const xSign = (message: string) => nodeSign('sha256', Buffer.from(message), priv).toString('base64url');

function request(sig: string, url = URL_, body = BODY): ParsedRequest {
  return {
    source: 'curl',
    method: 'POST',
    url,
    headers: [
      ['X-Api-Key', API_KEY],
      ['X-Timestamp', TS],
      ['X-Sign', sig],
    ],
    body,
    notes: [],
  };
}

async function mine(): Promise<VerificationKey> {
  const p = (await parseKeyText(vector('qredo', 'public.pem'))) as ParsedPublicKey;
  return { kind: 'public', label: 'my key', origin: 'stored', owner: 'mine', spki: p.spki, type: p.type };
}

async function qredoCheck(): Promise<RequestCheck> {
  return toRequestCheck(qredo);
}

async function verify(req: ParsedRequest): Promise<SchemeResult> {
  const r = await (await qredoCheck()).verify({ request: req, keys: [await mine()], nowMs: NOW });
  if (Array.isArray(r)) throw new Error('one result expected');
  return r;
}

const ownWords = (parts: Rich) => parts.filter((p): p is string => typeof p === 'string').join('');

describe('the Qredo check on the engine', () => {
  it('is found by the registry, with the headers it signs and its key algorithm', async () => {
    const check = REQUEST_CHECKS.find((c) => c.id === 'qredo')!;
    expect(check.id).toBe('qredo');
    expect(check.signedHeaders).toEqual(['x-sign', 'x-timestamp', 'x-nonce', 'x-api-key']);
    expect(check.keyAlg).toBe('RS256');
    expect(REQUEST_CHECKS.map((c) => c.id)).toContain('qredo');
  });

  it('recognises a request by its x-sign header (any case), and nothing else', async () => {
    const check = await qredoCheck();
    expect(check.recognise(request('abc'))).toBe(4);
    const without = { ...request('abc'), headers: [['X-Timestamp', TS]] as [string, string][] };
    expect(check.recognise(without)).toBe(0);
  });

  it('returns what it found, never a state: the one rule verifies it', async () => {
    const r = await verify(request(xSign(`${TS}${URL_}${BODY}`)));
    expect(r).not.toHaveProperty('state');
    expect(r.signedBy?.label).toBe('my key');
    expect(r.diagnoses).toEqual([]);
    expect(decideRequest(REQUEST_TO_QREDO, r).state).toBe('verified');
  });

  it('a mistake is diagnosed by the engine search, confirmed, with the request text kept untrusted', async () => {
    const url = `${URL_}?note=Signature%20verified`;
    const r = await verify(request(xSign(`${TS}${URL_}${BODY}`), url));
    expect(r.signedBy).toBeUndefined();
    const d = r.diagnoses[0]!;
    expect(d).toMatchObject({ code: 'ERR_QREDO_URL_NO_QUERY', confirmed: true });
    expect(d.signed).toBe(`${TS}${URL_}${BODY}`);
    expect(d.sent).toBe(`${TS}${url}${BODY}`);
    expect(ownWords(d.explanation)).toContain('It verifies with the key');
    expect(ownWords(d.explanation)).not.toMatch(/qredo\.network|note=/);
    expect(d.explanation).toContainEqual({ untrusted: url });
    expect(d.explanation).toContainEqual({ untrusted: 'my key' });
    expect(decideRequest(REQUEST_TO_QREDO, r).state).toBe('failed');
  });

  it('the search is bounded: more than 1000 guesses for one request, at most the budget tried', async () => {
    const req = request(xSign(`${TS}${URL_}{"other":1}`));
    const read = qredo.read(req);
    if (!('parts' in read)) throw new Error('read');
    const guesses = qredo.mistakes.reduce((n, m) => n + [...m.variants(read.parts, req)].length, 0);
    expect(guesses).toBeGreaterThan(1000);
    expect(qredo.budget).toBeLessThanOrEqual(3000);
    const r = await verify(req);
    expect(r.diagnoses[0]).toMatchObject({ code: 'ERR_QREDO_SIGNATURE', confirmed: false });
  });
});

describe("Qredo's mistakes as data", () => {
  const url = `${URL_}/?limit=10&name=Acme+Ltd`;
  const body = '{\r\n  "a": 1\r\n}\r\n';
  const req = { ...request('x', url, body), method: 'post' };
  const read = qredo.read(req);
  if (!('parts' in read)) throw new Error('read');
  const parts = read.parts;
  const sent = `${TS}${url}${body}`;
  const text = (v: { parts?: Partial<typeof parts> }) => baseText(qredo, { ...parts, ...v.parts });

  it('each has a Qredo code, words and a remedy; titles are unique; two at once are named one by one', () => {
    for (const m of qredo.mistakes) {
      expect(m.code).toMatch(/^ERR_QREDO_/);
      expect(m.title.length).toBeGreaterThan(10);
      expect(m.explanation.length).toBeGreaterThan(10);
      expect(m.remedy.length).toBeGreaterThan(10);
    }
    // A diagnosis is told apart by its title (the engine names each mistake of a pair by its own).
    const titles = qredo.mistakes.map((m) => m.title);
    expect(new Set(titles).size).toBe(titles.length);
    const pairs = qredo.mistakes
      .flatMap((m) => [...m.variants(parts, req)])
      .filter((v) => v.mistakes?.length === 2);
    expect(pairs.length).toBeGreaterThan(100);
  });

  it('each alternative is the whole message a mistaken signer signed, never the bytes sent', () => {
    expect(text({})).toBe(sent);
    let n = 0;
    for (const m of qredo.mistakes.slice(0, -1)) {
      for (const v of m.variants(parts, req)) {
        if (v.alg) continue; // the same bytes, signed another way
        expect(text(v), m.code).not.toBe(sent);
        expect(v.signed, m.code).not.toBe(v.sent);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
    const noQuery = qredo.mistakes.find((m) => m.code === 'ERR_QREDO_URL_NO_QUERY')!;
    expect([...noQuery.variants(parts, req)].map(text)).toEqual([`${TS}${URL_}/${body}`]);
    const method = qredo.mistakes.find((m) => m.code === 'ERR_QREDO_MESSAGE_METHOD')!;
    const first = [...method.variants(parts, req)].filter((v) => !v.mistakes && v.parts?.lead);
    expect(first.map(text)).toEqual([`POST${sent}`, `post${sent}`]);
  });

  it('an x-nonce is never converted or scanned as a timestamp', () => {
    const nonceReq: ParsedRequest = {
      ...request('x'),
      headers: [
        ['x-nonce', '1700000000'],
        ['x-sign', 'x'],
      ],
    };
    const r = qredo.read(nonceReq);
    if (!('parts' in r)) throw new Error('read');
    const codes = qredo.mistakes
      .filter((m) => m.title !== 'Two of these mistakes at once')
      .filter((m) => [...m.variants(r.parts, nonceReq)].length > 0)
      .map((m) => m.code);
    expect(codes.some((c) => c.startsWith('ERR_QREDO_TIMESTAMP'))).toBe(false);
    expect(codes).toContain('ERR_QREDO_URL_PATH_ONLY');
  });
});
