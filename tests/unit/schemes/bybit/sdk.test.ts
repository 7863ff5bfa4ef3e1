// Bybit against bybit-api, both ways: RestClientV5 signs real requests (its own WebCrypto signer
// with a PKCS#8 PEM; the HTTP adapter only records them) and keybench's engine verifies them;
// keybench's engine signs, and node:crypto verifies that signature over the exact text the SDK
// builds for the same request and timestamp (the SDK verifies nothing). Also which stored pairs the
// Sign tab offers Kalshi and Bybit (WebCrypto ties an RSA key to PSS or PKCS#1 v1.5).
import { verify } from 'node:crypto';
import { RestClientV5 } from 'bybit-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signScheme, toForm } from '../../../../src/lib/scheme/sign';
import bybit from '../../../../src/lib/schemes/bybit/scheme';
import kalshi from '../../../../src/lib/schemes/kalshi/scheme';
import type { FormValues } from '../../../../src/lib/scheme/contract';
import { hdr, NOW, recorder, rsaPair, verdict, withPath } from '../../support/exchange-helpers';

afterEach(() => vi.restoreAllMocks());

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
