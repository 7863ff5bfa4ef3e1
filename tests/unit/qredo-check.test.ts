/**
 * Qredo on the engine (issue 19): its check is found by the registry, recognises a request by
 * x-sign, returns a SchemeResult (never a state), and its mistakes are data that the engine's one
 * search tries. Every request is signed with node:crypto and the fixture key, never with keybench.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPublicKey } from '../../src/lib/keys/parse';
import type { VerificationKey } from '../../src/lib/jwt/verify';
import type { ParsedRequest } from '../../src/lib/request/types';
import type { Rich } from '../../src/lib/rich';
import { REQUEST_CHECKS } from '../../src/lib/schemes/engine/doctor-checks';
import type { RequestCheck } from '../../src/lib/schemes/engine/types';
import { sentParts } from '../../src/lib/schemes/qredo/base';
import { MAX_CANDIDATES } from '../../src/lib/schemes/qredo/diagnose';
import { REQUEST_TO_QREDO } from '../../src/lib/schemes/qredo/doctor';
import { qredoMistakes } from '../../src/lib/schemes/qredo/mistakes';
import { makeCtx } from '../../src/lib/schemes/qredo/variants';
import type { SchemeResult } from '../../src/lib/trust/verdict';
import { decideRequest } from '../../src/lib/trust/verdict';
import { vector } from './helpers';

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
  return (await import('../../src/lib/schemes/qredo/check')).default;
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

  it('the search is bounded: bytes it cannot explain cost at most MAX_CANDIDATES guesses', async () => {
    const r = await verify(request(xSign(`${TS}${URL_}{"other":1}`)));
    const tried = Number(/keybench tried (\d+) variants/.exec(ownWords(r.parts))?.[1]);
    expect(tried).toBeGreaterThan(1000);
    expect(tried).toBeLessThanOrEqual(MAX_CANDIDATES);
  });
});

describe("Qredo's mistakes as data", () => {
  const url = `${URL_}/?limit=10&name=Acme+Ltd`;
  const body = '{\r\n  "a": 1\r\n}\r\n';
  const ctx = makeCtx(sentParts(TS, url, body), true, 'x-timestamp', 'post');
  const mistakes = qredoMistakes(ctx);
  const sent = `${TS}${url}${body}`;

  it('each has a stable id, a Qredo code, words and a remedy; compound titles are unique', () => {
    const singles = mistakes.filter((m) => m.components.length === 1);
    expect(new Set(singles.map((m) => m.id)).size).toBe(singles.length);
    for (const m of mistakes) {
      expect(m.code).toMatch(/^ERR_QREDO_/);
      expect(m.title.length).toBeGreaterThan(10);
      expect(m.explanation.length).toBeGreaterThan(10);
      expect(m.remedy.length).toBeGreaterThan(10);
    }
    // A diagnosis is told apart by its title (diagnose.ts expands one of two mistakes into two);
    // only the millisecond scan shares its title with the seconds-for-milliseconds mistake.
    const titles = mistakes.filter((m) => m.id !== 'timestamp-millis').map((m) => m.title);
    expect(new Set(titles).size).toBe(titles.length);
    expect(mistakes.filter((m) => m.components.length > 1).length).toBeGreaterThan(100);
  });

  it('each alternative is the whole message a mistaken signer signed, never the bytes sent', () => {
    const decoder = new TextDecoder();
    let n = 0;
    for (const m of mistakes.slice(0, 200)) {
      for (const alt of m.alternatives(ctx)) {
        const text = decoder.decode(alt.bytes);
        expect(text, m.id).not.toBe(sent);
        expect(alt.signed, m.id).not.toBe(alt.sent);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
    const noQuery = mistakes.find((m) => m.id === 'url-no-query')!.alternatives(ctx);
    expect(noQuery.map((a) => decoder.decode(a.bytes))).toEqual([`${TS}${URL_}/${body}`]);
    const method = mistakes.find((m) => m.id === 'message-method-first')!.alternatives(ctx);
    expect(method.map((a) => decoder.decode(a.bytes))).toEqual([`POST${sent}`, `post${sent}`]);
  });

  it('an x-nonce is never converted or scanned as a timestamp', () => {
    const nonce = makeCtx(sentParts('1700000000', URL_, BODY), false, 'x-nonce', 'POST');
    const ids = qredoMistakes(nonce)
      .filter((m) => m.components.length === 1 && m.alternatives(nonce).length > 0)
      .map((m) => m.id);
    expect(ids.some((id) => id.startsWith('timestamp-'))).toBe(false);
    expect(ids).toContain('url-path-only');
  });
});
