// Proof against the exchanges' own SDKs from npm, both ways. kalshi-typescript and bybit-api each
// sign a real request (their request builder and signer, with a node:crypto key; the HTTP adapter
// only records what would be sent) and keybench's engine verifies it; keybench's engine signs, and
// node:crypto verifies that signature over the exact text the SDK's own message builder makes for
// the same request and timestamp (neither SDK verifies signatures).
import { constants, createSign, generateKeyPairSync, verify } from 'node:crypto';
import { RestClientV5 } from 'bybit-api';
import { Configuration, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerificationKey } from '../../src/lib/jwt/verify';
import { spkiKeyType } from '../../src/lib/keys/parse';
import { PARTNER_PROFILES } from '../../src/lib/partners/profiles';
import type { ParsedRequest } from '../../src/lib/request/types';
import { verifyScheme } from '../../src/lib/scheme/check';
import { signScheme, toForm } from '../../src/lib/scheme/sign';
import type { RequestScheme } from '../../src/lib/scheme/types';
import bybit from '../../src/lib/schemes/bybit/scheme';
import kalshi from '../../src/lib/schemes/kalshi/scheme';
import type { FormValues, SignerKey } from '../../src/lib/schemes/engine/types';
import { contextOfScheme } from '../../src/lib/trust/roles';
import { decideRequest } from '../../src/lib/trust/verdict';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const KEY_ID = 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c';

afterEach(() => vi.restoreAllMocks());

/** An RSA-2048 pair made by node:crypto: the SDK's PEM, keybench's trusted key and signer. */
async function rsaPair(webCryptoName: 'RSA-PSS' | 'RSASSA-PKCS1-v1_5') {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const params = { name: webCryptoName, hash: 'SHA-256' };
  const signer: SignerKey = {
    kind: 'pair',
    label: 'exchange key',
    privateKey: await crypto.subtle.importKey('pkcs8', pkcs8, params, false, ['sign']),
    publicKey: await crypto.subtle.importKey('spki', spki, params, true, ['verify']),
    spki,
  };
  const trusted: VerificationKey = {
    kind: 'public',
    label: 'exchange key',
    origin: 'stored',
    owner: 'mine',
    spki,
    type: spkiKeyType(spki),
  };
  return { pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, publicKey, signer, trusted };
}

/** An axios adapter that records the request the SDK would send and answers 200 {}. */
function recorder() {
  const sent: ParsedRequest[] = [];
  const adapter = async (config: {
    method?: string;
    url?: string;
    params?: unknown;
    headers: { toJSON(): Record<string, unknown> };
    data?: unknown;
  }) => {
    expect(config.params).toBeUndefined(); // the URL below is the whole URL sent
    sent.push({
      source: 'curl',
      notes: [],
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
      headers: Object.entries(config.headers.toJSON()).map(([n, v]) => [n, String(v)]),
      body: typeof config.data === 'string' ? config.data : '',
    });
    return { data: {}, status: 200, statusText: 'OK', headers: {}, config };
  };
  return { sent, adapter };
}

async function verdict(scheme: RequestScheme, request: ParsedRequest, key: VerificationKey) {
  const context = contextOfScheme(scheme.id, PARTNER_PROFILES);
  return decideRequest(context, await verifyScheme(scheme, { request, keys: [key], nowMs: NOW }));
}

const withPath = (r: ParsedRequest, url: string): ParsedRequest => ({ ...r, url });
const hdr = (r: { headers: [string, string][] }, name: string) =>
  r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? '';

describe('Kalshi, against kalshi-typescript', () => {
  const BASE = 'https://external-api.kalshi.com/trade-api/v2';

  async function kalshiSdk(pem: string) {
    const { sent, adapter } = recorder();
    const { default: axios } = await import('axios');
    const http = axios.create({ adapter: adapter as never });
    const config = new Configuration({ apiKey: KEY_ID, privateKeyPem: pem, basePath: BASE });
    return {
      sent,
      portfolio: new PortfolioApi(config, BASE, http),
      orders: new OrdersApi(config, BASE, http),
    };
  }

  it('what the SDK sends (GET with a query, POST, DELETE) verifies in keybench; a changed path does not', async () => {
    const k = await rsaPair('RSA-PSS');
    const sdk = await kalshiSdk(k.pem);
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    await sdk.portfolio.getBalance();
    await sdk.orders.getOrders(undefined, undefined, undefined, undefined, 'resting', 5);
    await sdk.orders.createOrderV2({
      ticker: 'KXBTC-26DEC31-T100000',
      side: 'bid',
      count: '1',
      price: '0.50',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'taker_at_cross',
    });
    await sdk.orders.cancelOrderV2('ee3d0c5c-7a4b-4d8b-9e4c-1a2b3c4d5e6f');
    expect(sdk.sent.map((r) => `${r.method} ${r.url.slice(BASE.length)}`)).toEqual([
      'GET /portfolio/balance',
      'GET /portfolio/orders?status=resting&limit=5',
      'POST /portfolio/events/orders',
      'DELETE /portfolio/events/orders/ee3d0c5c-7a4b-4d8b-9e4c-1a2b3c4d5e6f',
    ]);
    for (const request of sdk.sent) {
      expect(hdr(request, 'KALSHI-ACCESS-TIMESTAMP')).toBe(String(NOW));
      const v = await verdict(kalshi, request, k.trusted);
      expect(v.state, `${request.method} ${request.url}: ${JSON.stringify(v.parts)}`).toBe('verified');
    }
    const tampered = withPath(sdk.sent[0]!, `${BASE}/portfolio/balancf`);
    expect((await verdict(kalshi, tampered, k.trusted)).state).toBe('failed');
    // The SDK signs the path alone: the query string may change, the signature still holds.
    const query = withPath(sdk.sent[1]!, `${BASE}/portfolio/orders?status=resting&limit=6`);
    expect((await verdict(kalshi, query, k.trusted)).state).toBe('verified');
  });

  it('what keybench signs verifies with node:crypto over the text the SDK builds for the same request', async () => {
    const k = await rsaPair('RSA-PSS');
    const sdk = await kalshiSdk(k.pem);
    // The SDK's own KalshiAuth builds the text; only its signing step is replaced, to read the text.
    const built: string[] = [];
    const auth = (sdk.portfolio as unknown as { auth: object }).auth;
    const sign = vi.spyOn(Object.getPrototypeOf(auth) as { signPssText(t: string): string }, 'signPssText');
    sign.mockImplementation((text: string) => (built.push(text), 'AAAA'));
    const cases: [FormValues, () => Promise<unknown>][] = [
      [{ url: `${BASE}/portfolio/balance` }, () => sdk.portfolio.getBalance()],
      [
        { url: `${BASE}/portfolio/orders?limit=5` },
        () => sdk.orders.getOrders(undefined, undefined, undefined, undefined, undefined, 5),
      ],
      [
        { method: 'DELETE', url: `${BASE}/portfolio/events/orders/ee3d0c5c` },
        () => sdk.orders.cancelOrderV2('ee3d0c5c'),
      ],
    ];
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    for (const [values, call] of cases) {
      const out = await signScheme(kalshi, { method: 'GET', apiKey: KEY_ID, ...values }, k.signer, NOW);
      await call();
      const text = built.at(-1)!;
      expect(text).not.toContain('?');
      const sig = Buffer.from(hdr(out.request, 'KALSHI-ACCESS-SIGNATURE'), 'base64');
      const pss = { key: k.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      expect(verify('sha256', Buffer.from(text), pss, sig), text).toBe(true);
      // The same signature over another timestamp does not verify (the check can fail).
      expect(verify('sha256', Buffer.from(text.replace(String(NOW), String(NOW + 1))), pss, sig)).toBe(false);
    }
  });

  it('a signer who signs the query string too (as some tutorials do) is named ERR_SCHEME_QUERY_SIGNED', async () => {
    const k = await rsaPair('RSA-PSS');
    const url = `${BASE}/portfolio/orders?limit=5`;
    const s = createSign('RSA-SHA256').update(`${NOW}GET/trade-api/v2/portfolio/orders?limit=5`);
    const sig = s.sign({ key: k.pem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, 'base64');
    const request: ParsedRequest = {
      source: 'curl',
      notes: [],
      method: 'GET',
      url,
      headers: [
        ['KALSHI-ACCESS-KEY', KEY_ID],
        ['KALSHI-ACCESS-TIMESTAMP', String(NOW)],
        ['KALSHI-ACCESS-SIGNATURE', sig],
      ],
      body: '',
    };
    const v = await verdict(kalshi, request, k.trusted);
    expect(v.state).toBe('failed');
    expect(v.diagnoses[0]?.code).toBe('ERR_SCHEME_QUERY_SIGNED');
  });
});

describe('Bybit, against bybit-api', () => {
  const HOST = 'https://api.bybit.com';

  function bybitSdk(pem: string, customSignMessageFn?: (text: string) => Promise<string>) {
    const { sent, adapter } = recorder();
    const client = new RestClientV5(
      { key: 'XXXXXXXXXXXXXXXXXX', secret: pem, ...(customSignMessageFn ? { customSignMessageFn } : {}) },
      { adapter: adapter as never },
    );
    return { sent, client };
  }

  it('what the SDK sends (a GET query in its own order, a POST body) verifies in keybench; a reordered query does not', async () => {
    const k = await rsaPair('RSASSA-PKCS1-v1_5');
    const sdk = bybitSdk(k.pem);
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    await sdk.client.getWalletBalance({ accountType: 'UNIFIED', coin: 'BTC,ETH' });
    await sdk.client.submitOrder({
      category: 'spot',
      symbol: 'BTCUSDT',
      side: 'Buy',
      orderType: 'Market',
      qty: '1',
    });
    const [get, post] = sdk.sent;
    // Values URI-encoded, parameters in the caller's order (not sorted), signed as sent.
    expect(get!.url).toBe(`${HOST}/v5/account/wallet-balance?accountType=UNIFIED&coin=BTC%2CETH`);
    expect(post!.body).toBe(
      '{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"1"}',
    );
    for (const request of sdk.sent) {
      expect(hdr(request, 'X-BAPI-SIGN-TYPE')).toBe('2');
      expect(hdr(request, 'X-BAPI-RECV-WINDOW')).toBe('5000');
      const v = await verdict(bybit, request, k.trusted);
      expect(v.state, `${request.method} ${request.url}: ${JSON.stringify(v.parts)}`).toBe('verified');
    }
    const reordered = withPath(get!, `${HOST}/v5/account/wallet-balance?coin=BTC%2CETH&accountType=UNIFIED`);
    expect((await verdict(bybit, reordered, k.trusted)).state).toBe('failed');
    const body = { ...post!, body: post!.body.replace('"qty":"1"', '"qty":"2"') };
    expect((await verdict(bybit, body, k.trusted)).state).toBe('failed');
  });

  it('what keybench signs verifies with node:crypto over the text the SDK builds, and sends the SDK’s URL and body', async () => {
    const k = await rsaPair('RSASSA-PKCS1-v1_5');
    const built: string[] = [];
    const sdk = bybitSdk(k.pem, async (text) => (built.push(text), 'AAAA'));
    const order = {
      category: 'spot',
      symbol: 'BTCUSDT',
      side: 'Buy',
      orderType: 'Market',
      qty: '1',
    } as const;
    const cases: [FormValues, () => Promise<unknown>][] = [
      [
        { url: `${HOST}/v5/account/wallet-balance?accountType=UNIFIED&coin=BTC%2CETH` },
        () => sdk.client.getWalletBalance({ accountType: 'UNIFIED', coin: 'BTC,ETH' }),
      ],
      [
        { method: 'POST', url: `${HOST}/v5/order/create`, body: JSON.stringify(order) },
        () => sdk.client.submitOrder(order),
      ],
    ];
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    for (const [values, call] of cases) {
      const base = { method: 'GET', apiKey: 'XXXXXXXXXXXXXXXXXX', recvWindow: '5000', ...values };
      const out = await signScheme(bybit, base, k.signer, NOW);
      await call();
      const theirs = sdk.sent.at(-1)!;
      expect(out.request.url).toBe(theirs.url);
      expect(out.request.body).toBe(theirs.body);
      expect(hdr(out.request, 'X-BAPI-SIGN-TYPE')).toBe('2');
      const text = built.at(-1)!;
      const sig = Buffer.from(hdr(out.request, 'X-BAPI-SIGN'), 'base64');
      expect(verify('sha256', Buffer.from(text), k.publicKey, sig), text).toBe(true);
      expect(verify('sha256', Buffer.from(`${text} `), k.publicKey, sig)).toBe(false);
    }
  });
});

describe("the Sign tab's key choice", () => {
  it('offers Kalshi only pairs that sign RSA-PSS, Bybit only pairs that sign PKCS#1 v1.5, and an imported pair (both) to each', async () => {
    const pss = (await rsaPair('RSA-PSS')).signer;
    const pkcs1 = (await rsaPair('RSASSA-PKCS1-v1_5')).signer;
    if (pss.kind !== 'pair' || pkcs1.kind !== 'pair') throw new Error('pairs expected');
    expect(toForm(kalshi).canSign?.([pss.privateKey])).toBe(true);
    expect(toForm(kalshi).canSign?.([pkcs1.privateKey])).toBe(false);
    expect(toForm(bybit).canSign?.([pss.privateKey])).toBe(false);
    expect(toForm(bybit).canSign?.([pkcs1.privateKey])).toBe(true);
    for (const form of [toForm(kalshi), toForm(bybit)])
      expect(form.canSign?.([pkcs1.privateKey, pss.privateKey])).toBe(true);
  });
});
