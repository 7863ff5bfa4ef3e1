/**
 * Binance on the engine: the scheme folder's check is what the registry loads, its
 * mistakes are data the one search tries (single, then paired), and a pasted HMAC secret verifies
 * Binance's hex HMAC-SHA256 signatures. Every signature here is made with node:crypto.
 */
import { createHmac, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import type { ParsedRequest } from '../../../../src/lib/request/types';
import type { Rich } from '../../../../src/lib/rich';
import { baseText } from '../../../../src/lib/scheme/check';
import { signScheme } from '../../../../src/lib/scheme/sign';
import { REQUEST_CHECKS } from '../../../../src/lib/scheme/doctor-checks';
import type { FormValues } from '../../../../src/lib/scheme/contract';
import { binance, diagnoseBinance, binanceParts } from '../../support/binance-helpers';

const ed = generateKeyPairSync('ed25519');
const TS = 1668481559918;
const NOW = TS + 1200;
const API = 'https://api.binance.com/api/v3/order';
const Q = 'symbol=BTCUSDT&side=SELL&type=LIMIT';
const B = `timeInForce=GTC&quantity=1&price=0.2&timestamp=${TS}&recvWindow=5000`;
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

/** The Sign form's values: its defaults, then `v`. */
const formValues = (v: FormValues): FormValues => ({
  ...Object.fromEntries(binance.signer.fields.map((f) => [f.name, f.default as FormValues[string]])),
  ...v,
});

const ourWords = (r: Rich) => r.filter((p): p is string => typeof p === 'string').join('');

function request(query: string, body: string, sig: string): ParsedRequest {
  return {
    source: 'curl',
    method: 'POST',
    url: query ? `${API}?${query}` : API,
    headers: [
      ['X-MBX-APIKEY', 'k'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ],
    body: `${body}${body ? '&' : ''}signature=${sig}`,
    notes: [],
  };
}

const edKey: VerificationKey = {
  kind: 'public',
  label: 'Binance key',
  origin: 'stored',
  owner: 'mine',
  spki: new Uint8Array(ed.publicKey.export({ type: 'spki', format: 'der' })),
  type: { kty: 'OKP', curve: 'Ed25519' },
};
const secretKey = (s: string): VerificationKey => ({
  kind: 'secret',
  label: 'the pasted secret',
  origin: 'pasted',
  secret: new TextEncoder().encode(s),
});

const edSig = (payload: string, key: KeyObject = ed.privateKey) =>
  encodeURIComponent(nodeSign(null, Buffer.from(payload), key).toString('base64'));
const hmacSig = (payload: string, secret = SECRET) =>
  createHmac('sha256', secret).update(payload).digest('hex');

describe('the Binance check on the engine', () => {
  const check = REQUEST_CHECKS.find((c) => c.id === 'binance')!;
  it('is the check the registry loads, recognised by X-MBX-APIKEY and signature=', async () => {
    expect(check).toBeDefined();
    expect(check.signedHeaders).toEqual(['x-mbx-apikey', 'content-type']);
    const req = request(Q, B, 'abc');
    expect(check.recognise(req)).toBe(3);
    expect(check.recognise({ ...req, body: B, url: `${API}?${Q}&signature=abc` })).toBe(3);
    expect(check.recognise({ ...req, body: B })).toBe(0);
    expect(check.recognise({ ...req, headers: [] })).toBe(0);
  });

  it('returns findings and the key, never a state (the rule decides)', async () => {
    const r = await check.verify({ request: request(Q, B, edSig(`${Q}${B}`)), keys: [edKey], nowMs: NOW });
    const one = Array.isArray(r) ? r[0]! : r;
    expect(one).not.toHaveProperty('state');
    expect(one.signedBy).toBe(edKey);
    expect(
      (await diagnoseBinance({ request: request(Q, B, edSig(`${Q}${B}`)), keys: [edKey], nowMs: NOW })).state,
    ).toBe('verified');
  });
});

describe('HMAC-SHA256 with the pasted API secret', () => {
  it("verifies Binance's hex HMAC signature, and refuses another secret", async () => {
    const v = await diagnoseBinance({
      request: request(Q, B, hmacSig(`${Q}${B}`)),
      keys: [secretKey(SECRET)],
      nowMs: NOW,
    });
    expect(v.state).toBe('verified');
    expect(ourWords(v.parts)).toMatch(/^Signature verified with key .*HMAC-SHA256 over the query string/);
    const wrong = await diagnoseBinance({
      request: request(Q, B, hmacSig(`${Q}${B}`, 'another secret')),
      keys: [secretKey(SECRET)],
      nowMs: NOW,
    });
    expect(wrong.state).toBe('failed');
    expect(wrong.code).toBe('ERR_BINANCE_SIGNATURE');
  });

  it('diagnoses the same mistakes as with a key pair (query and body joined with &)', async () => {
    const v = await diagnoseBinance({
      request: request(Q, B, hmacSig(`${Q}&${B}`)),
      keys: [secretKey(SECRET)],
      nowMs: NOW,
    });
    expect(v.code).toBe('ERR_BINANCE_CONCAT');
    expect(v.diagnoses[0]).toMatchObject({ confirmed: true, signed: `${Q}&${B}` });
  });

  it('the Sign form with the API secret gives the hex node:crypto gives', async () => {
    const key = { kind: 'secret', label: 'secret', secret: new TextEncoder().encode(SECRET) } as const;
    const out = await signScheme(binance, formValues({ apiKey: 'k' }), key, TS);
    const payload = out.base.map((p) => p.text).join('');
    expect(out.request.body).toBe(
      `side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=${TS}&recvWindow=5000&signature=${hmacSig(payload)}`,
    );
  });
});

describe('the signature base', () => {
  it('the payload a signer builds and the one a request sends are the same query string ‖ body', () => {
    const p = binanceParts(formValues({ query: 'symbol=BTCUSDT', body: 'side=BUY', recvWindow: '' }), TS);
    const read = binance.read(request('symbol=BTCUSDT', `side=BUY&timestamp=${TS}`, 'abc'));
    expect('parts' in read && read.parts).toEqual({
      query: 'symbol=BTCUSDT',
      body: `side=BUY&timestamp=${TS}`,
    });
    expect('parts' in read && baseText(binance, read.parts)).toBe(baseText(binance, p));
  });
});

describe('Binance mistakes as data', () => {
  const partsOf = (query: string, body: string) => {
    const read = binance.read(request(query, body, 'abc'));
    if (!('parts' in read)) throw new Error('not read');
    return read.parts;
  };
  const all = [...binance.mistakes, ...(binance.pairs ?? [])];
  const texts = (title: string, query: string, body: string) =>
    [...all.find((m) => m.title === title)!.variants(partsOf(query, body), request(query, body, 'abc'))].map(
      (v) => baseText(binance, { ...partsOf(query, body), ...v.parts }),
    );

  it('each has a unique title and a Binance code; a pair for every two of different kinds', () => {
    const titles = all.map((m) => m.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const m of all) expect(m.code, m.title).toMatch(/^ERR_BINANCE_/);
    // 1 timestamp, 2 encoding, 8 join, 2 signature mistakes.
    expect(binance.mistakes.length).toBe(13);
    expect(binance.pairs!.length).toBe(1 * 12 + 2 * 10 + 8 * 2);
  });

  it('gives the whole bytes the mistaken signer signed', () => {
    const TS_TITLE = 'Timestamp signed in seconds or milliseconds, sent in the other';
    expect(texts(TS_TITLE, Q, B)).toEqual([`${Q}${B.replace(String(TS), String(TS).slice(0, 10))}`]);
    expect(texts('Query and body joined with & before signing', Q, B)).toEqual([`${Q}&${B}`]);
    expect(texts('Body parameters signed before the query parameters', Q, B)).toEqual([`${B}&${Q}`]);
    expect(texts('Only the query string signed', Q, '')).toEqual([]); // no body: not this mistake
    expect(texts('Non-ASCII text signed without percent-encoding', 'symbol=%C3%A9', B)).toEqual([
      `symbol=é${B}`,
    ]);
    expect(texts(`${TS_TITLE}, and body signed before the query`, Q, B)).toEqual([
      `${B.replace(String(TS), String(TS).slice(0, 10))}${Q}`,
    ]);
  });
});

describe('two mistakes at once (paired mistakes)', () => {
  const diagnose = (req: ParsedRequest) => diagnoseBinance({ request: req, keys: [edKey], nowMs: NOW });

  it('timestamp signed in seconds and body signed before the query', async () => {
    const signed = `${B.replace(String(TS), String(TS).slice(0, 10))}${Q}`;
    const v = await diagnose(request(Q, B, edSig(signed)));
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_BINANCE_TIMESTAMP_SECONDS');
    expect(v.diagnoses[0]).toMatchObject({
      title:
        'Timestamp signed in seconds or milliseconds, sent in the other, and body signed before the query',
      signed,
      confirmed: true,
    });
  });

  it('parameters signed sorted, and the signature sent without percent-encoding', async () => {
    const sorted = `${Q}&${B}`.split('&').sort().join('&');
    let b = B;
    let sig = nodeSign(null, Buffer.from(sorted), ed.privateKey).toString('base64');
    for (let i = 1; !sig.includes('+'); i++) {
      b = B.replace(String(TS), String(TS + i));
      sig = nodeSign(null, Buffer.from(`${Q}&${b}`.split('&').sort().join('&')), ed.privateKey).toString(
        'base64',
      );
    }
    const v = await diagnose(request(Q, b, sig));
    expect(v.code).toBe('ERR_BINANCE_PARAM_ORDER');
    expect(v.diagnoses[0]!.title).toBe(
      'Parameters signed in sorted order, and signature sent without percent-encoding',
    );
    expect(v.signatureVerified).toBe(false);
  });
});
