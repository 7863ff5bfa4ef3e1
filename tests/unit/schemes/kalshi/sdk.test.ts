// Kalshi against kalshi-typescript, both ways: the SDK's request builder and KalshiAuth sign real
// requests (a node:crypto key; the HTTP adapter only records them) and keybench's engine verifies
// them; keybench's engine signs, and node:crypto verifies that signature over the exact text the
// SDK's KalshiAuth builds for the same request and timestamp (the SDK verifies nothing).
import { constants, createSign, verify } from 'node:crypto';
import { Configuration, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ParsedRequest } from '../../../../src/lib/request/types';
import { signScheme } from '../../../../src/lib/scheme/sign';
import kalshi from '../../../../src/lib/schemes/kalshi/scheme';
import type { FormValues } from '../../../../src/lib/scheme/contract';
import { hdr, NOW, recorder, rsaPair, verdict, withPath } from '../../support/exchange-helpers';

const KEY_ID = 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c';

afterEach(() => vi.restoreAllMocks());

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

  it.each([
    // Some tutorials sign the query string too.
    ['/trade-api/v2/portfolio/orders?limit=5', 'ERR_SCHEME_QUERY_SIGNED'],
    // A client that joins its base URL and the endpoint signs the endpoint alone.
    ['/portfolio/orders', 'ERR_SCHEME_PATH_PREFIX'],
  ])('a signer who signs %s for /trade-api/v2/portfolio/orders?limit=5 is named %s', async (signed, code) => {
    const k = await rsaPair('RSA-PSS');
    const s = createSign('RSA-SHA256').update(`${NOW}GET${signed}`);
    const sig = s.sign({ key: k.pem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, 'base64');
    const request: ParsedRequest = {
      source: 'curl',
      notes: [],
      method: 'GET',
      url: `${BASE}/portfolio/orders?limit=5`,
      headers: [
        ['KALSHI-ACCESS-KEY', KEY_ID],
        ['KALSHI-ACCESS-TIMESTAMP', String(NOW)],
        ['KALSHI-ACCESS-SIGNATURE', sig],
      ],
      body: '',
    };
    const v = await verdict(kalshi, request, k.trusted);
    expect(v.state).toBe('failed');
    expect(v.diagnoses[0]?.code).toBe(code);
    expect(v.diagnoses[0]?.confirmed).toBe(true);
  });
});
