// Binance against @binance/connector (the official Node connector), both ways: the connector signs
// real requests with an API secret (HMAC-SHA256, hex), an RSA key and an Ed25519 key (axios only
// records them) and keybench's engine verifies them; keybench's engine signs the same request at the
// same moment, and since all three signatures are deterministic, it must send exactly the URL the
// connector sends (the connector verifies nothing).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import type { ParsedRequest } from '../../../../src/lib/request/types';
import { verifyScheme } from '../../../../src/lib/scheme/check';
import { signScheme } from '../../../../src/lib/scheme/sign';
import binance from '../../../../src/lib/schemes/binance/scheme';
import type { FormValues, SignerKey } from '../../../../src/lib/scheme/contract';
import { decideRequest } from '../../../../src/lib/trust/verdict';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const HOST = 'https://api.binance.com';
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const require = createRequire(import.meta.url);
/** The connector's Spot client, as far as these tests use it (the package ships no types). */
const { Spot } = require('@binance/connector') as {
  Spot: new (
    apiKey: string,
    apiSecret: string,
    options: object,
  ) => {
    openOrders(options: object): Promise<unknown>;
    newOrder(symbol: string, side: string, type: string, options: object): Promise<unknown>;
  };
};
// The connector's own axios (CommonJS), whose requests are recorded instead of sent.
const axios = require('axios') as {
  Axios: { prototype: { request(config: unknown): Promise<unknown> } };
};

afterEach(() => vi.restoreAllMocks());

/** The requests the connector would send, with its headers and the whole URL. */
function record(): ParsedRequest[] {
  const sent: ParsedRequest[] = [];
  vi.spyOn(axios.Axios.prototype, 'request').mockImplementation(async function (
    this: { defaults: { baseURL: string; headers: Record<string, unknown> } },
    config: unknown,
  ) {
    const { method, url } = config as { method: string; url: string };
    const headers = Object.entries(this.defaults.headers).filter(([, v]) => typeof v === 'string');
    sent.push({
      source: 'curl',
      notes: [],
      method: method.toUpperCase(),
      url: `${this.defaults.baseURL}${url}`,
      headers: headers.map(([n, v]) => [n, String(v)]),
      body: '',
    });
    return { data: {} };
  });
  vi.spyOn(Date, 'now').mockReturnValue(NOW);
  return sent;
}

/** A key as the connector (PEM), keybench's signer and a trusted key take it. */
async function pair(kind: 'rsa' | 'ed25519') {
  const node =
    kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const params = kind === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'Ed25519' };
  const spki = new Uint8Array(node.publicKey.export({ format: 'der', type: 'spki' }));
  const pkcs8 = (node.privateKey as KeyObject).export({ format: 'der', type: 'pkcs8' });
  const signer: SignerKey = {
    kind: 'pair',
    label: 'binance key',
    privateKey: await crypto.subtle.importKey('pkcs8', pkcs8, params, false, ['sign']),
    publicKey: await crypto.subtle.importKey('spki', spki, params, true, ['verify']),
    spki,
  };
  const trusted: VerificationKey = {
    kind: 'public',
    label: 'binance key',
    origin: 'stored',
    owner: 'mine',
    spki,
    type: kind === 'rsa' ? { kty: 'RSA', bits: 2048 } : { kty: 'OKP', curve: 'Ed25519' },
  };
  const pem = node.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  return { pem, signer, trusted };
}

const secret = new TextEncoder().encode(SECRET);
const hmac = {
  signer: { kind: 'secret', label: 'API secret', secret } as SignerKey,
  trusted: { kind: 'secret', label: 'API secret', origin: 'pasted', secret } as VerificationKey,
};

const verdictOf = async (request: ParsedRequest, key: VerificationKey) =>
  decideRequest(
    { direction: 'request-to', partner: 'binance' },
    await verifyScheme(binance, { request, keys: [key], nowMs: NOW }),
  );

/** The Sign form's values: its defaults, then `v`. */
const values = (v: FormValues): FormValues => ({
  ...Object.fromEntries(binance.signer.fields.map((f) => [f.name, f.default as FormValues[string]])),
  ...v,
});

describe('Binance, against @binance/connector', () => {
  for (const kind of ['hmac', 'rsa', 'ed25519'] as const) {
    it(`${kind}: what the connector sends verifies in keybench; keybench sends the connector's very URL`, async () => {
      const k = kind === 'hmac' ? { ...hmac, pem: '' } : await pair(kind);
      const client = new Spot(API_KEY, kind === 'hmac' ? SECRET : '', {
        baseURL: HOST,
        ...(kind === 'hmac' ? {} : { privateKey: k.pem, privateKeyAlgo: kind === 'rsa' ? 'RSA' : 'Ed25519' }),
      });
      const sent = record();
      await client.openOrders({ symbol: 'BTCUSDT' });
      await client.newOrder('BTCUSDT', 'BUY', 'LIMIT', {
        price: '0.2',
        quantity: 1,
        timeInForce: 'GTC',
        newClientOrderId: 'my_order-1',
      });
      expect(sent).toHaveLength(2);
      for (const request of sent) {
        expect(request.url).toMatch(/&signature=[^&]+$/);
        const v = await verdictOf(request, k.trusted);
        expect([v.state, v.code], request.url).toEqual(['verified', 'OK']);
        // One changed parameter and the same signature: not verified.
        const changed = { ...request, url: request.url.replace('symbol=BTCUSDT', 'symbol=BTCUSDC') };
        expect((await verdictOf(changed, k.trusted)).state).toBe('failed');
      }
      // keybench signs the same requests at the same moment: the same bytes, the same URL.
      const get = await signScheme(
        binance,
        values({ method: 'GET', url: `${HOST}/api/v3/openOrders`, apiKey: API_KEY, recvWindow: '' }),
        k.signer,
        NOW,
      );
      expect(get.request.url).toBe(sent[0]!.url);
      const post = await signScheme(
        binance,
        values({
          method: 'POST',
          url: `${HOST}/api/v3/order`,
          query:
            'price=0.2\nquantity=1\ntimeInForce=GTC\nnewClientOrderId=my_order-1\nsymbol=BTCUSDT\nside=BUY\ntype=LIMIT',
          body: '',
          apiKey: API_KEY,
          recvWindow: '',
        }),
        k.signer,
        NOW,
      );
      expect(post.request.url).toBe(sent[1]!.url);
    });
  }
});
