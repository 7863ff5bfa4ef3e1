import { describe, expect, it } from 'vitest';
import { parseBinanceParams } from '../../src/lib/partners/binance-form';
import { binancePayload } from '../../src/lib/partners/binance';

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
