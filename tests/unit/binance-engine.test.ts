/**
 * Binance on the engine (issue 19): the scheme folder's check is what the registry loads, its
 * mistakes are data the one search tries (single, then paired), and a pasted HMAC secret verifies
 * Binance's hex HMAC-SHA256 signatures. Every signature here is made with node:crypto.
 */
import { createHmac, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../src/lib/jwt/verify';
import binanceProfile from '../../src/lib/partners/binance.profile';
import type { ParsedRequest } from '../../src/lib/request/types';
import type { Rich } from '../../src/lib/rich';
import { readSent, sentParts, sigReadings } from '../../src/lib/schemes/binance/base';
import check, { diagnoseBinance } from '../../src/lib/schemes/binance/check';
import {
  BINANCE_MISTAKES,
  PAIRED_MISTAKES,
  SINGLE_MISTAKES,
  type BinanceCtx,
} from '../../src/lib/schemes/binance/mistakes';
import { binancePayload, payloadParts } from '../../src/lib/schemes/binance/payload';
import { signBinance } from '../../src/lib/schemes/binance/sign';
import { REQUEST_CHECKS } from '../../src/lib/schemes/engine/doctor-checks';

const ed = generateKeyPairSync('ed25519');
const TS = 1668481559918;
const NOW = TS + 1200;
const API = 'https://api.binance.com/api/v3/order';
const Q = 'symbol=BTCUSDT&side=SELL&type=LIMIT';
const B = `timeInForce=GTC&quantity=1&price=0.2&timestamp=${TS}&recvWindow=5000`;
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

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
  it('is the check the registry loads, recognised by X-MBX-APIKEY and signature=', async () => {
    const loaded = REQUEST_CHECKS;
    expect(loaded.find((c) => c.id === 'binance')).toBe(check);
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

  it('signBinance with an HMAC key gives the hex node:crypto gives', async () => {
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(SECRET),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const s = await signBinance(key, `${Q}${B}`);
    expect(s.signature).toBe(hmacSig(`${Q}${B}`));
    expect(s.encoded).toBe(s.signature);
  });
});

describe('the signature base, part by part', () => {
  it('the payload a signer builds and the one a request sends are shown as query string and body', () => {
    const p = binancePayload({ params: [['symbol', 'BTCUSDT']], body: [['side', 'BUY']], timestampMs: TS });
    expect(
      payloadParts(p)
        .map((x) => x.text)
        .join(''),
    ).toBe(p.payload);
    const sent = readSent(request('symbol=BTCUSDT', `side=BUY&timestamp=${TS}`, 'abc'));
    expect(sentParts(sent).map((x) => x.text)).toEqual(['symbol=BTCUSDT', `side=BUY&timestamp=${TS}`]);
    expect(sent.text).toBe(p.payload);
  });
});

describe('Binance mistakes as data', () => {
  const ctxOf = (query: string, body: string, sig = 'abc'): BinanceCtx => {
    const sent = readSent(request(query, body, sig));
    return { q: sent.q, b: sent.b, sigRaw: sent.sigRaw!, readings: sigReadings(sent.sigRaw!) };
  };
  const texts = (id: string, ctx: BinanceCtx) =>
    BINANCE_MISTAKES.find((m) => m.id === id)!
      .alternatives(ctx)
      .map((a) => new TextDecoder().decode(a.bytes));

  it('each has a unique id and a code the Binance profile lists', () => {
    const ids = BINANCE_MISTAKES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const listed = new Set(binanceProfile.mistakes!.map((m) => m.code));
    for (const m of BINANCE_MISTAKES) expect(listed.has(m.code), m.id).toBe(true);
    expect(BINANCE_MISTAKES.length).toBe(SINGLE_MISTAKES.length + PAIRED_MISTAKES.length);
  });

  it('gives the whole bytes the mistaken signer signed', () => {
    const ctx = ctxOf(Q, B);
    expect(texts('timestamp-signed-seconds', ctx)).toEqual([
      `${Q}${B.replace(String(TS), String(TS).slice(0, 10))}`,
    ]);
    expect(texts('concat-amp', ctx)).toEqual([`${Q}&${B}`]);
    expect(texts('order-body-first', ctx)).toEqual([`${B}&${Q}`]);
    expect(texts('concat-query-only', ctxOf(Q, ''))).toEqual([]); // no body: not this mistake
    expect(texts('non-ascii-raw', ctxOf('symbol=%C3%A9', B))).toEqual([`symbol=é${B}`]);
    expect(texts('timestamp-signed-seconds+concat-body-first', ctx)).toEqual([
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
      title: 'Timestamp signed in seconds, sent in milliseconds, and body signed before the query',
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
