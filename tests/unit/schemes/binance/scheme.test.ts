/**
 * Binance Spot API signing: keybench's signatures verify with node:crypto; every mistake
 * of the doctor is made with node:crypto (never with keybench's signer) and diagnosed with its code.
 */
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { signScheme } from '../../../../src/lib/scheme/sign';
import type { FormValues, SignerKey } from '../../../../src/lib/scheme/contract';
import { binance, diagnoseBinance, binanceParts } from '../../support/binance-helpers';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import type { Rich } from '../../../../src/lib/rich';

const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('ed25519');

const der = (k: KeyObject, type: 'spki' | 'pkcs8') => new Uint8Array(k.export({ type, format: 'der' }));

async function webKey(
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  kind: 'ed' | 'rsa',
): Promise<SignerKey> {
  const alg = kind === 'ed' ? { name: 'Ed25519' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const spki = der(pair.publicKey, 'spki');
  return {
    kind: 'pair',
    label: 'Binance key',
    privateKey: await crypto.subtle.importKey('pkcs8', der(pair.privateKey, 'pkcs8'), alg, false, ['sign']),
    publicKey: await crypto.subtle.importKey('spki', spki, alg, true, ['verify']),
    spki,
  };
}

/** The Sign form's values: its defaults, then `v`. */
const values = (v: FormValues): FormValues => ({
  ...Object.fromEntries(binance.signer.fields.map((f) => [f.name, f.default as FormValues[string]])),
  ...v,
});
/** The payload the Sign form signs (query string ‖ body), at TS. */
const payloadOf = (v: FormValues) => binanceParts(values(v), TS);

function trusted(
  pub: KeyObject,
  kind: 'ed' | 'rsa',
  label = 'Binance key',
): VerificationKey & { kind: 'public' } {
  return {
    kind: 'public',
    label,
    origin: 'stored',
    owner: 'mine',
    spki: der(pub, 'spki'),
    type: kind === 'ed' ? { kty: 'OKP', curve: 'Ed25519' } : { kty: 'RSA', bits: 2048 },
  };
}

/** Base64 signature by node:crypto: Ed25519 (no hash) or RSA-SHA256 (PKCS#1 v1.5). */
function nodeSig(payload: string, key: KeyObject = ed.privateKey): string {
  const hash = key.asymmetricKeyType === 'rsa' ? 'sha256' : null;
  return nodeSign(hash, Buffer.from(payload, 'utf8'), key).toString('base64');
}

function nodeOk(payload: string, sigB64: string, key: KeyObject): boolean {
  const hash = key.asymmetricKeyType === 'rsa' ? 'sha256' : null;
  return nodeVerify(hash, Buffer.from(payload, 'utf8'), key, Buffer.from(sigB64, 'base64'));
}

const TS = 1668481559918;
const NOW = TS + 1200;
const API = 'https://api.binance.com/api/v3/order';
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const Q = 'symbol=BTCUSDT&side=SELL&type=LIMIT';
const B = `timeInForce=GTC&quantity=1&price=0.2&timestamp=${TS}&recvWindow=5000`;

function request(query: string, body: string, sig: string, where: 'body' | 'query' = 'body'): ParsedRequest {
  const q = where === 'query' ? `${query}${query ? '&' : ''}signature=${sig}` : query;
  const b = where === 'body' ? `${body}${body ? '&' : ''}signature=${sig}` : body;
  return {
    source: 'curl',
    method: 'POST',
    url: q ? `${API}?${q}` : API,
    headers: [
      ['X-MBX-APIKEY', API_KEY],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ],
    body: b,
    notes: [],
  };
}

const diagnose = (req: ParsedRequest, keys = [trusted(ed.publicKey, 'ed')], nowMs = NOW) =>
  diagnoseBinance({ request: req, keys, nowMs });

const text = (r: Rich) => r.map((p) => (typeof p === 'string' ? p : p.untrusted)).join('');
const ourWords = (r: Rich) => r.filter((p): p is string => typeof p === 'string').join('');

function expectCode(v: RequestVerdict, code: string) {
  expect(v.state).toBe('failed');
  expect(v.code).toBe(code);
  expect(v.diagnoses[0]?.code).toBe(code);
  expect(ourWords(v.parts)).not.toMatch(/Signature verified/);
}

describe('the payload the Sign form signs', () => {
  const docs = 'side=SELL\ntype=LIMIT\ntimeInForce=GTC\nquantity=1\nprice=0.2';
  it("builds the docs' payloads (rest-api.md, RSA and Ed25519 examples), non-ASCII percent-encoded", () => {
    expect(payloadOf({ method: 'GET', query: `symbol=１２３４５６\n${docs}` }).query).toBe(
      'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000',
    );
    expect(payloadOf({ method: 'GET', query: `symbol=BTCUSDT\n${docs}` })).toEqual({
      query:
        'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000',
      body: '',
    });
  });

  it('joins query and body with no separator, timestamp in the body; µs when chosen', () => {
    const p = payloadOf({
      query: 'symbol=BTCUSDT',
      body: 'side=BUY',
      unit: 'µs (microseconds, 16 digits)',
      recvWindow: '',
    });
    expect(p).toEqual({ query: 'symbol=BTCUSDT', body: `side=BUY&timestamp=${TS}000` });
    expect(
      binance
        .base(p)
        .map((x) => x.text)
        .join(''),
    ).toBe(`symbol=BTCUSDTside=BUY&timestamp=${TS}000`);
  });

  it("encodes like Python's urlencode (the connector's encoder)", () => {
    const p = payloadOf({
      method: 'GET',
      query: "x=a%20b~*'()!/%2B%3D%26%C3%A9",
      encoded: true,
      recvWindow: '',
    });
    expect(p.query).toBe(`x=a+b~%2A%27%28%29%21%2F%2B%3D%26%C3%A9&timestamp=${TS}`);
  });

  it('refuses recvWindow above 60000 and reserved parameter names', () => {
    expect(() => payloadOf({ recvWindow: 60001 })).toThrow(/60000/);
    expect(() => payloadOf({ query: 'timestamp=1' })).toThrow();
  });

  it("percent-encodes the docs' RSA signature as the docs do", () => {
    const b64 =
      'HZ8HOjiJ1s/igS9JA+n7+7Ti/ihtkRF5BIWcPIEluJP6tlbFM/Bf44LfZka/iemtahZAZzcO9TnI5uaXh3++lrqtNonCwp6/245UFWkiW1elpgtVAmJPbogcAv6rSlokztAfWk296ZJXzRDYAtzGH0gq7CgSJKfH+XxaCmR0WcvlKjNQnp12/eKXJYO4tDap8UCBLuyxDnR7oJKLHQHJLP0r0EAVOOSIbrFang/1WOq+Jaq4Efc4XpnTgnwlBbWTmhWDR1pvS9iVEzcSYLHT/fNnMRxFc7u+j3qI//5yuGuu14KR0MuQKKCSpViieD+fIti46sxPTsjSemoUKp0oXA==';
    expect(encodeURIComponent(b64)).toBe(
      'HZ8HOjiJ1s%2FigS9JA%2Bn7%2B7Ti%2FihtkRF5BIWcPIEluJP6tlbFM%2FBf44LfZka%2FiemtahZAZzcO9TnI5uaXh3%2B%2BlrqtNonCwp6%2F245UFWkiW1elpgtVAmJPbogcAv6rSlokztAfWk296ZJXzRDYAtzGH0gq7CgSJKfH%2BXxaCmR0WcvlKjNQnp12%2FeKXJYO4tDap8UCBLuyxDnR7oJKLHQHJLP0r0EAVOOSIbrFang%2F1WOq%2BJaq4Efc4XpnTgnwlBbWTmhWDR1pvS9iVEzcSYLHT%2FfNnMRxFc7u%2Bj3qI%2F%2F5yuGuu14KR0MuQKKCSpViieD%2BfIti46sxPTsjSemoUKp0oXA%3D%3D',
    );
  });
});

describe('keybench signatures verify with node:crypto', () => {
  /** The signature= value as sent (percent-encoded), the last parameter of the URL or the body. */
  const encodedOf = (where: string) => /signature=([^&]*)$/.exec(where)![1]!;
  for (const kind of ['ed', 'rsa'] as const) {
    const pair = kind === 'ed' ? ed : rsa;
    it(`${kind}: GET query only, POST query + form body, non-ASCII values`, async () => {
      const key = await webKey(pair, kind);
      const keys = [trusted(pair.publicKey, kind)];

      const url = 'https://api.binance.com/api/v3/openOrders';
      const get = await signScheme(binance, values({ method: 'GET', url, apiKey: API_KEY }), key, TS);
      const getEncoded = encodedOf(get.request.url);
      const getSig = decodeURIComponent(getEncoded);
      expect(get.request.url).toBe(
        `${url}?symbol=BTCUSDT&timestamp=${TS}&recvWindow=5000&signature=${getEncoded}`,
      );
      expect(get.request.headers).toEqual([['X-MBX-APIKEY', API_KEY]]);
      expect(getSig).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(getEncoded).toBe(encodeURIComponent(getSig));
      const getPayload = get.base.map((p) => p.text).join('');
      expect(nodeOk(getPayload, getSig, pair.publicKey)).toBe(true);
      expect(get.curl).toContain("-H 'X-MBX-APIKEY: ");

      const post = await signScheme(
        binance,
        values({
          query: 'symbol=１２３４５６',
          body: 'side=SELL\nnewClientOrderId=ordre été 1',
          apiKey: API_KEY,
          recvWindow: '',
        }),
        key,
        TS,
      );
      const postPayload = post.base.map((p) => p.text).join('');
      expect(postPayload).toBe(
        `symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96side=SELL&newClientOrderId=ordre+%C3%A9t%C3%A9+1&timestamp=${TS}`,
      );
      const postEncoded = encodedOf(post.request.body);
      expect(post.request.body).toBe(
        `side=SELL&newClientOrderId=ordre+%C3%A9t%C3%A9+1&timestamp=${TS}&signature=${postEncoded}`,
      );
      expect(nodeOk(postPayload, decodeURIComponent(postEncoded), pair.publicKey)).toBe(true);
      expect(post.curl).toContain('--data-raw');

      // The same requests go through the doctor.
      for (const r of [get.request, post.request]) {
        const v = await diagnoseBinance({ request: { source: 'curl', ...r, notes: [] }, keys, nowMs: NOW });
        expect(v.state).toBe('verified');
        expect(v.code).toBe('OK');
        expect(ourWords(v.parts)).toMatch(/^Signature verified with key /);
      }
    });
  }

  it('refuses a key that is neither Ed25519 nor RSA', async () => {
    const ec = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', ec.publicKey));
    const key: SignerKey = {
      kind: 'pair',
      label: 'ec',
      privateKey: ec.privateKey,
      publicKey: ec.publicKey,
      spki,
    };
    await expect(signScheme(binance, values({}), key, TS)).rejects.toThrow(/Ed25519/);
  });
});

describe('diagnoseBinance: mistakes made by node:crypto', () => {
  const enc = (s: string) => encodeURIComponent(s);

  it('a correct request verifies (Ed25519 and RSA; signature in the body or the query)', async () => {
    const v = await diagnose(request(Q, B, enc(nodeSig(`${Q}${B}`))));
    expect(v.state).toBe('verified');
    expect(v.signatureVerified).toBe(true);
    const r = await diagnose(request(`${Q}&${B}`, '', enc(nodeSig(`${Q}&${B}`, rsa.privateKey)), 'query'), [
      trusted(rsa.publicKey, 'rsa'),
    ]);
    expect(r.state).toBe('verified');
    // The docs' bash example: query signed, signature alone in the form body.
    const s = await diagnose(request(`${Q}&${B}`, '', enc(nodeSig(`${Q}&${B}`))));
    expect(s.state).toBe('verified');
  });

  it('timestamp in seconds, sent and signed: the signature holds but Binance refuses', async () => {
    const b = B.replace(String(TS), String(Math.floor(TS / 1000)));
    const v = await diagnose(request(Q, b, enc(nodeSig(`${Q}${b}`))));
    expectCode(v, 'ERR_BINANCE_TIMESTAMP_SECONDS');
    expect(v.signatureVerified).toBe(true);
    expect(ourWords(v.parts)).toMatch(/^The signature holds/);
  });

  it('timestamp signed in seconds, sent in milliseconds', async () => {
    const signed = B.replace(String(TS), String(TS).slice(0, 10));
    expectCode(await diagnose(request(Q, B, enc(nodeSig(`${Q}${signed}`)))), 'ERR_BINANCE_TIMESTAMP_SECONDS');
  });

  it('parameters signed in sorted order, or body parameters first', async () => {
    const sorted = `${Q}&${B}`.split('&').sort().join('&');
    expectCode(await diagnose(request(Q, B, enc(nodeSig(sorted)))), 'ERR_BINANCE_PARAM_ORDER');
    expectCode(await diagnose(request(Q, B, enc(nodeSig(`${B}&${Q}`)))), 'ERR_BINANCE_PARAM_ORDER');
  });

  it('query and body concatenated wrongly', async () => {
    for (const signed of [`${Q}&${B}`, `${B}${Q}`, Q, B]) {
      const v = await diagnose(request(Q, B, enc(nodeSig(signed))));
      expectCode(v, 'ERR_BINANCE_CONCAT');
      expect(v.diagnoses[0]?.signed).toBe(signed);
      expect(v.diagnoses[0]?.confirmed).toBe(true);
    }
  });

  it('signature not percent-encoded (a raw + decodes to a space)', async () => {
    let b = B;
    let sig = nodeSig(`${Q}${b}`);
    for (let i = 1; !sig.includes('+'); i++) {
      b = B.replace(String(TS), String(TS + i));
      sig = nodeSig(`${Q}${b}`);
    }
    const v = await diagnose(request(Q, b, sig));
    expectCode(v, 'ERR_BINANCE_SIGNATURE_NOT_ENCODED');
    expect(v.signatureVerified).toBe(false);
  });

  it('base64url instead of base64', async () => {
    // A signature whose base64 has no + or / reads the same in base64url (about 1 key in 15):
    // take a key whose signature over this payload does have one, so the mistake is really there.
    let key = ed;
    while (!/[+/]/.test(nodeSig(`${Q}${B}`, key.privateKey))) key = generateKeyPairSync('ed25519');
    const sig = Buffer.from(nodeSig(`${Q}${B}`, key.privateKey), 'base64').toString('base64url');
    expectCode(await diagnose(request(Q, B, sig), [trusted(key.publicKey, 'ed')]), 'ERR_BINANCE_BASE64URL');
    const rsaSig = Buffer.from(nodeSig(`${Q}${B}`, rsa.privateKey), 'base64').toString('base64url');
    expectCode(
      await diagnose(request(Q, B, rsaSig), [trusted(rsa.publicKey, 'rsa')]),
      'ERR_BINANCE_BASE64URL',
    );
  });

  it('non-ASCII signed as raw UTF-8 text', async () => {
    const q = 'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=SELL';
    const v = await diagnose(request(q, B, enc(nodeSig(`symbol=１２３４５６&side=SELL${B}`))));
    expectCode(v, 'ERR_BINANCE_NON_ASCII');
    const rsaV = await diagnose(
      request(q, B, enc(nodeSig(`symbol=１２３４５６&side=SELL${B}`, rsa.privateKey))),
      [trusted(rsa.publicKey, 'rsa')],
    );
    expectCode(rsaV, 'ERR_BINANCE_NON_ASCII');
  });

  it('python-binance: values signed as they are, sent percent-encoded', async () => {
    // python-binance: '&'.join(f'{k}={v}') signed, then requests form-encodes the dict it sends.
    const values: [string, string][] = [
      ['symbol', 'BTCUSDT'],
      ['side', 'BUY'],
      ['newClientOrderId', 'my order:1/a@b,c'],
      ['timestamp', String(TS)],
    ];
    const signed = values.map(([k, v]) => `${k}=${v}`).join('&');
    const sent = new URLSearchParams(values).toString();
    expect(sent).toContain('newClientOrderId=my+order%3A1%2Fa%40b%2Cc');
    const v = await diagnose(request('', sent, enc(nodeSig(signed))));
    expectCode(v, 'ERR_BINANCE_SIGNED_DECODED');
    expect(v.diagnoses[0]).toMatchObject({ confirmed: true, signed, sent });
    expect(v.diagnoses[0]!.title).toBe('Values signed as they are, sent percent-encoded');
    expect(ourWords(v.diagnoses[0]!.explanation)).toContain('python-binance');
    // The same with RSA, the values in the query string.
    const r = await diagnose(request(sent, '', enc(nodeSig(signed, rsa.privateKey)), 'query'), [
      trusted(rsa.publicKey, 'rsa'),
    ]);
    expectCode(r, 'ERR_BINANCE_SIGNED_DECODED');
    // A value that needs no encoding is not this mistake: the request verifies.
    const plainValues = `symbol=BTCUSDT&side=BUY&timestamp=${TS}`;
    expect((await diagnose(request('', plainValues, enc(nodeSig(plainValues))))).state).toBe('verified');
  });

  it('a stale timestamp is a warning that keeps the signature verdict', async () => {
    const v = await diagnose(request(Q, B, enc(nodeSig(`${Q}${B}`))), undefined, TS + 10 * 60_000);
    expect(v.state).toBe('verified');
    const f = v.findings.find((x) => x.code === 'ERR_BINANCE_STALE_TIMESTAMP');
    expect(f?.severity).toBe('warning');
    expect(f?.detail).toMatch(/10\.0 min behind/);
    const ahead = await diagnose(request(Q, B, enc(nodeSig(`${Q}${B}`))), undefined, TS - 5000);
    expect(ahead.findings.find((x) => x.code === 'ERR_BINANCE_TIMESTAMP_AHEAD')?.severity).toBe('warning');
  });

  it('a timestamp in microseconds verifies, within recvWindow', async () => {
    const b = B.replace(String(TS), `${TS}123`);
    const v = await diagnose(request(Q, b, enc(nodeSig(`${Q}${b}`))));
    expect(v.state).toBe('verified');
    expect(v.findings.find((x) => x.check === 'clock')?.code).toBe('OK');
  });

  it('recvWindow above 60000 is an error', async () => {
    const b = B.replace('recvWindow=5000', 'recvWindow=70000');
    const v = await diagnose(request(Q, b, enc(nodeSig(`${Q}${b}`))));
    expectCode(v, 'ERR_BINANCE_RECV_WINDOW');
  });

  it('a request signed by another key fails', async () => {
    const v = await diagnose(request(Q, B, enc(nodeSig(`${Q}${B}`, other.privateKey))));
    expectCode(v, 'ERR_BINANCE_SIGNATURE');
    expect(v.signatureVerified).toBe(false);
    const none = await diagnose(request(Q, B, enc(nodeSig(`${Q}${B}`))), []);
    expect(none.code).toBe('ERR_REQUEST_NO_KEY');
    // A key the request itself carries is never trusted.
    const own = { ...trusted(ed.publicKey, 'ed'), origin: 'x5c' as const };
    expect((await diagnose(request(Q, B, enc(nodeSig(`${Q}${B}`))), [own])).state).toBe('failed');
  });

  it('bounds the search on a large body', async () => {
    const big = `${B}&memo=${'x'.repeat(2 * 1024 * 1024)}`;
    const v = await diagnose(request(Q, big, enc(nodeSig(`${Q}${big}`, other.privateKey))));
    expectCode(v, 'ERR_BINANCE_SIGNATURE');
  });

  it('keeps untrusted text untrusted', async () => {
    const label = 'Signature verified \u202e key';
    const b = B.replace('recvWindow=5000', 'recvWindow=9e9<b>');
    const v = await diagnose(request(Q, b, enc(nodeSig(`${Q}${b}`))), [trusted(ed.publicKey, 'ed', label)]);
    expect(v.code).toBe('ERR_BINANCE_RECV_WINDOW');
    expect(v.parts).toContainEqual({ untrusted: label });
    expect(ourWords(v.parts)).not.toContain(label);
    const f = v.findings.find((x) => x.code === 'ERR_BINANCE_RECV_WINDOW')!;
    expect(f.parts).toContainEqual({ untrusted: '9e9<b>' });
    expect(ourWords(f.parts)).not.toContain('9e9');
    expect(text(v.parts)).toContain(label);
  });
});
