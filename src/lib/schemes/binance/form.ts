/**
 * Binance's Sign form as data: payload = query string ‖ form body, timestamp and recvWindow added,
 * signed with Ed25519 or RSASSA-PKCS1-v1_5 SHA-256, `signature=` sent last.
 */
import { defineForm, type FieldValue } from '../engine/types';
import { KeybenchError } from '../../errors';
import { BINANCE_DEFAULT_RECV_WINDOW, BINANCE_MAX_RECV_WINDOW } from './payload';
import { binanceRequest } from './sign';
import { parseBinanceParams } from './params';

/** The timestamp unit choices (the first word is the unit). */
export const BINANCE_UNITS = ['ms (milliseconds, 13 digits)', 'µs (microseconds, 16 digits)'] as const;
const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '');

/**
 * recvWindow from the box: a number of ms, or null when left empty (Binance then uses 5000).
 * @throws KeybenchError ERR_PARTNER_INPUT outside (0, 60000].
 */
export function recvWindowOf(v: FieldValue | undefined): number | null {
  if (v === '' || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw new KeybenchError('ERR_PARTNER_INPUT', 'recvWindow must be a number of milliseconds.');
  if (n <= 0 || n > BINANCE_MAX_RECV_WINDOW)
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `recvWindow must be more than 0 and at most ${BINANCE_MAX_RECV_WINDOW} ms (Binance's maximum).`,
    );
  return n;
}

export default defineForm({
  id: 'binance',
  keyTypes: ['OKP', 'RSA'],
  fields: [
    {
      name: 'key',
      label: 'Key pair',
      kind: 'key',
      default: '',
      help: 'An Ed25519 or RSA key pair registered with Binance.',
    },
    {
      name: 'method',
      label: 'Method',
      kind: 'choice',
      default: 'POST',
      options: ['GET', 'POST', 'DELETE'],
      help: 'The HTTP method sent.',
    },
    {
      name: 'url',
      label: 'URL',
      kind: 'text',
      default: 'https://api.binance.com/api/v3/order',
      remember: true,
      help: 'The endpoint without a query: keybench adds the parameters.',
    },
    {
      name: 'query',
      label: 'Query parameters',
      kind: 'textarea',
      default: 'symbol=BTCUSDT',
      help: 'One name=value a line (keybench encodes it), or a query string a=1&b=2 on one line.',
    },
    {
      name: 'body',
      label: 'Body parameters',
      kind: 'textarea',
      default: 'side=BUY\ntype=LIMIT\ntimeInForce=GTC\nquantity=1\nprice=0.2',
      when: (v) => v['method'] !== 'GET',
      help: 'As the query parameters. timestamp, recvWindow and signature go in the body if any, else the query.',
    },
    {
      name: 'encoded',
      label:
        'Lines are percent-encoded, as sent (note=a%0Ab): keybench decodes each, then encodes it its way',
      kind: 'checkbox',
      default: false,
      help: 'How a value holding a line break or & fits on one line.',
    },
    {
      name: 'apiKey',
      label: 'API key',
      kind: 'text',
      default: '',
      help: 'Sent as X-MBX-APIKEY (it is not signed).',
    },
    {
      name: 'unit',
      label: 'Timestamp unit',
      kind: 'choice',
      default: BINANCE_UNITS[0],
      options: BINANCE_UNITS,
      help: 'The timestamp is taken when you sign: send the request within the window.',
    },
    {
      name: 'recvWindow',
      label: 'recvWindow',
      kind: 'integer',
      default: BINANCE_DEFAULT_RECV_WINDOW,
      help: `Milliseconds, at most ${BINANCE_MAX_RECV_WINDOW}; leave empty to omit it (Binance then uses 5000).`,
    },
  ],
  async sign(values, key, nowMs) {
    if (key.kind !== 'pair')
      throw new KeybenchError('ERR_PARTNER_INPUT', 'Binance signs with an Ed25519 or RSA key pair.');
    const method = str(values['method']) || 'POST';
    const encoded = values['encoded'] === true;
    const params = parseBinanceParams(str(values['query']), 'Query parameters', encoded);
    const bodyParams = parseBinanceParams(str(values['body']), 'Body parameters', encoded);
    // A GET has no body; an empty body list sends everything in the query (Binance's curl examples).
    const body = method === 'GET' || bodyParams.length === 0 ? undefined : bodyParams;
    const rw = recvWindowOf(values['recvWindow']);
    const r = await binanceRequest({
      privateKey: key.privateKey,
      apiKey: str(values['apiKey']),
      method,
      url: str(values['url']).trim(),
      params,
      body,
      timestampMs: nowMs,
      micro: str(values['unit']).startsWith('µs'),
      recvWindow: rw ?? undefined,
    });
    return {
      headers: r.headers.filter(([h]) => h === 'X-MBX-APIKEY'),
      base: [{ label: 'Payload (exactly what was signed)', text: r.payload.payload }],
      request: { method: r.method, url: r.url, headers: r.headers, body: r.body },
      curl: r.curl,
    };
  },
});
