/**
 * The Binance Sign form's parameter boxes (one name=value a line, or a query string) and "Sign it
 * correctly" reading them back from a request: what is signed is the parameters as typed, encoded
 * once by keybench.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedRequest } from '../../../../src/lib/request/types';
import type { FormValues } from '../../../../src/lib/scheme/contract';
import { binance, binanceParts } from '../../support/binance-helpers';

const TS = 1_700_000_000_000;
const API = 'https://api.binance.com/api/v3/order';
const values = (v: FormValues): FormValues => ({
  ...Object.fromEntries(binance.signer.fields.map((f) => [f.name, f.default as FormValues[string]])),
  ...v,
});
/** The query string a GET signs for this box, without the timestamp keybench adds. */
const signed = (query: string, extra: FormValues = {}) =>
  binanceParts(values({ method: 'GET', query, recvWindow: '', ...extra }), TS).query.replace(
    new RegExp(`&?timestamp=${TS}$`),
    '',
  );

/** The form's values read back from a request sent with this query and body. */
function fromRequest(query: string, body: string) {
  const request: ParsedRequest = {
    source: 'curl',
    method: 'POST',
    url: `${API}?${query}`,
    headers: [['X-MBX-APIKEY', 'k']],
    body,
    notes: [],
  };
  const read = binance.read(request);
  if (!('parts' in read)) throw new Error('not read');
  return binance.signer.values!(read.parts, request);
}
const payload = (f: FormValues) => {
  const p = binanceParts(values({ ...f, recvWindow: '' }), TS);
  return { query: p.query, payload: `${p.query}${p.body}` };
};

describe('the parameter boxes', () => {
  it('reads one name=value a line, skipping blank lines, splitting at the first =', () => {
    expect(signed('symbol=BTCUSDT\n\n  \nnote=a=b\r\nside=\n')).toBe('symbol=BTCUSDT&note=a%3Db&side=');
    expect(signed('')).toBe('');
  });

  it('refuses a line without a name or without =, naming the box and the line', () => {
    expect(() => signed('symbol=BTCUSDT\nnot a pair')).toThrow(/Query parameters, line 2/);
    expect(() => signed('', { method: 'POST', body: '=x' })).toThrow(/Body parameters, line 1/);
  });

  it('signs values as typed, encoded once', () => {
    const p = binanceParts(values({ query: 'symbol=BTCUSDT', body: 'side=BUY\nnote=café' }), TS);
    expect(`${p.query}${p.body}`).toBe(
      'symbol=BTCUSDTside=BUY&note=caf%C3%A9&timestamp=1700000000000&recvWindow=5000',
    );
  });
});

describe('"Sign it correctly": the boxes read back from a request', () => {
  it('decodes values for the boxes and leaves out what keybench adds', () => {
    const f = fromRequest(
      'symbol=BTCUSDT&note=caf%C3%A9+au+lait&timestamp=1&signature=x',
      'side=BUY&recvWindow=5000',
    );
    expect(f).toMatchObject({
      method: 'POST',
      url: API,
      query: 'symbol=BTCUSDT\nnote=café au lait',
      body: 'side=BUY',
      encoded: false,
      apiKey: 'k',
    });
    expect(payload(f).payload).toBe('symbol=BTCUSDT&note=caf%C3%A9+au+laitside=BUY&timestamp=1700000000000');
  });

  it('a value holding %0A stays one parameter, encoded as sent', () => {
    const f = fromRequest('symbol=BTCUSDT&note=line1%0Aline2%0D%0A&timestamp=1', '');
    expect(f).toMatchObject({ query: 'symbol=BTCUSDT\nnote=line1%0Aline2%0D%0A', body: '', encoded: true });
    expect(payload(f).query).toBe('symbol=BTCUSDT&note=line1%0Aline2%0D%0A&timestamp=1700000000000');
  });

  it('encoded lines with a malformed escape are refused, naming the line', () => {
    expect(() => signed('symbol=BTCUSDT\nnote=100%', { encoded: true })).toThrow(
      /Query parameters, line 2: not valid percent-encoding/,
    );
    // Typed as they are, the same text is a value with a literal %.
    expect(signed('note=100%')).toBe('note=100%25');
  });
});

describe('the query-string form Binance documents', () => {
  it('reads a=1&b=2 and ?a=1&b=2 as separate, percent-decoded parameters', () => {
    const want = 'symbol=BTCUSDT&side=BUY&note=caf%C3%A9+%26+co';
    expect(signed('symbol=BTCUSDT&side=BUY&note=caf%C3%A9+%26+co')).toBe(want);
    expect(signed('?symbol=BTCUSDT&side=BUY&note=caf%C3%A9%20%26%20co\n')).toBe(want);
    expect(signed('  ?symbol=BTCUSDT  ')).toBe('symbol=BTCUSDT');
  });

  it('signs the same bytes for both forms', () => {
    expect(signed('symbol=BTCUSDT&side=BUY&price=0.2')).toBe(signed('symbol=BTCUSDT\nside=BUY\nprice=0.2'));
  });

  it('never makes one parameter hold "&…": a line with & among several lines is refused', () => {
    expect(() => signed('symbol=BTCUSDT&side=BUY\ntype=LIMIT')).toThrow(/Query parameters, line 1 holds "&"/);
    for (const q of ['symbol=BTCUSDT&side=BUY', 'symbol=BTCUSDT\nside=BUY', '?symbol=BTCUSDT&side=BUY'])
      expect(signed(q)).toBe('symbol=BTCUSDT&side=BUY');
  });

  it('refuses a query-string part without a name or =, and a broken % escape, saying which', () => {
    expect(() => signed('symbol=BTCUSDT&side')).toThrow(/parameter 2 of the query string/);
    expect(() => signed('a=1&=2')).toThrow(/parameter 2/);
    expect(() => signed('a=1&b=%E0%A4%A')).toThrow(/broken % escape/);
    expect(signed('a=1&&b=2&')).toBe('a=1&b=2');
  });
});
