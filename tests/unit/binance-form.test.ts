import { describe, expect, it } from 'vitest';
import {
  binanceFormFromRequest,
  binanceParamsForm,
  parseBinanceParams,
  type BinanceFormLines,
} from '../../src/lib/schemes/binance/params';
import { binancePayload } from '../../src/lib/schemes/binance/payload';

describe('parseBinanceParams', () => {
  it('reads one name=value a line, skipping blank lines, splitting at the first =', () => {
    expect(parseBinanceParams('symbol=BTCUSDT\n\n  \nnote=a=b\r\nside=\n', 'Q')).toEqual([
      ['symbol', 'BTCUSDT'],
      ['note', 'a=b'],
      ['side', ''],
    ]);
    expect(parseBinanceParams('', 'Q')).toEqual([]);
  });

  it('refuses a line without a name or without =, naming the box and the line', () => {
    expect(() => parseBinanceParams('symbol=BTCUSDT\nnot a pair', 'Query parameters')).toThrow(
      /Query parameters, line 2/,
    );
    expect(() => parseBinanceParams('=x', 'Body parameters')).toThrow(/Body parameters, line 1/);
  });

  it('feeds binancePayload: values kept as typed, encoded there', () => {
    const p = binancePayload({
      params: parseBinanceParams('symbol=BTCUSDT', 'Q'),
      body: parseBinanceParams('side=BUY\nnote=café', 'B'),
      timestampMs: 1_700_000_000_000,
      recvWindow: 5000,
    });
    expect(p.payload).toBe('symbol=BTCUSDTside=BUY&note=caf%C3%A9&timestamp=1700000000000&recvWindow=5000');
  });
});

describe('binanceFormFromRequest ("Sign it correctly", issue 17 §5)', () => {
  const payload = (f: BinanceFormLines) =>
    binancePayload({
      params: parseBinanceParams(f.query, 'Q', f.encoded),
      body: f.body ? parseBinanceParams(f.body, 'B', f.encoded) : undefined,
      timestampMs: 1_700_000_000_000,
    });

  it('decodes values for the boxes and leaves out what keybench adds', () => {
    const f = binanceFormFromRequest(
      'symbol=BTCUSDT&note=caf%C3%A9+au+lait&timestamp=1&signature=x',
      'side=BUY&recvWindow=5000',
    );
    expect(f).toEqual({ query: 'symbol=BTCUSDT\nnote=café au lait', body: 'side=BUY', encoded: false });
    expect(payload(f).payload).toBe('symbol=BTCUSDT&note=caf%C3%A9+au+laitside=BUY&timestamp=1700000000000');
  });

  it('a value holding %0A stays one parameter, encoded as sent', () => {
    const f = binanceFormFromRequest('symbol=BTCUSDT&note=line1%0Aline2%0D%0A&timestamp=1', '');
    expect(f).toEqual({ query: 'symbol=BTCUSDT\nnote=line1%0Aline2%0D%0A', body: '', encoded: true });
    const params = parseBinanceParams(f.query, 'Q', f.encoded);
    expect(params).toEqual([
      ['symbol', 'BTCUSDT'],
      ['note', 'line1\nline2\r\n'],
    ]);
    expect(payload(f).query).toBe('symbol=BTCUSDT&note=line1%0Aline2%0D%0A&timestamp=1700000000000');
  });

  it('encoded lines with a malformed escape are refused, naming the line', () => {
    expect(() => parseBinanceParams('symbol=BTCUSDT\nnote=100%', 'Query parameters', true)).toThrow(
      /Query parameters, line 2: not valid percent-encoding/,
    );
    // Typed as they are, the same text is a value with a literal %.
    expect(parseBinanceParams('note=100%', 'Q')).toEqual([['note', '100%']]);
  });
});

describe('parseBinanceParams: the query-string form Binance documents (issue 18)', () => {
  it('reads a=1&b=2 and ?a=1&b=2 as separate, percent-decoded parameters', () => {
    const want: [string, string][] = [
      ['symbol', 'BTCUSDT'],
      ['side', 'BUY'],
      ['note', 'café & co'],
    ];
    expect(parseBinanceParams('symbol=BTCUSDT&side=BUY&note=caf%C3%A9+%26+co', 'Q')).toEqual(want);
    expect(parseBinanceParams('?symbol=BTCUSDT&side=BUY&note=caf%C3%A9%20%26%20co\n', 'Q')).toEqual(want);
    expect(parseBinanceParams('  ?symbol=BTCUSDT  ', 'Q')).toEqual([['symbol', 'BTCUSDT']]);
    expect(binanceParamsForm('symbol=BTCUSDT&side=BUY')).toBe('query');
    expect(binanceParamsForm('symbol=BTCUSDT\nside=BUY')).toBe('lines');
  });

  it('signs the same bytes for both forms', () => {
    const sign = (q: string) =>
      binancePayload({ params: parseBinanceParams(q, 'Q'), timestampMs: 1, recvWindow: 5000 }).payload;
    expect(sign('symbol=BTCUSDT&side=BUY&price=0.2')).toBe(sign('symbol=BTCUSDT\nside=BUY\nprice=0.2'));
    expect(sign('symbol=BTCUSDT&side=BUY')).toBe('symbol=BTCUSDT&side=BUY&timestamp=1&recvWindow=5000');
  });

  it('never makes one parameter hold "&…": a line with & among several lines is refused', () => {
    expect(() => parseBinanceParams('symbol=BTCUSDT&side=BUY\ntype=LIMIT', 'Query parameters')).toThrow(
      /Query parameters, line 1 holds "&"/,
    );
    for (const q of ['symbol=BTCUSDT&side=BUY', 'symbol=BTCUSDT\nside=BUY', '?symbol=BTCUSDT&side=BUY']) {
      for (const [, value] of parseBinanceParams(q, 'Q')) expect(value).not.toContain('&');
    }
  });

  it('refuses a query-string part without a name or =, and a broken % escape, saying which', () => {
    expect(() => parseBinanceParams('symbol=BTCUSDT&side', 'Q')).toThrow(/parameter 2 of the query string/);
    expect(() => parseBinanceParams('a=1&=2', 'Q')).toThrow(/parameter 2/);
    expect(() => parseBinanceParams('a=1&b=%E0%A4%A', 'Q')).toThrow(/broken % escape/);
    expect(parseBinanceParams('a=1&&b=2&', 'Q')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});
