/**
 * Bybit V5 with a self-generated RSA key: `X-BAPI-SIGN` = base64(RSASSA-PKCS1-v1_5 SHA-256) over
 * timestamp ‖ apiKey ‖ recvWindow ‖ payload, where the payload is the query string of a GET, as sent
 * (the SDK writes it in its parameters' order, values URI-encoded), and the JSON body of any other
 * method, as sent. Bybit refuses a timestamp older than recvWindow or more than 1 s
 * ahead of its clock.
 *
 * Sources: bybit-api (npm) src/util/BaseRestClient.ts `signRequest`, `buildRequest` and webCryptoAPI.ts
 * `signMessage` (RSA: RSASSA-PKCS1-v1_5 SHA-256, base64); bybit-exchange docs "Integration guidance"
 * (v5/guide#authentication).
 */
import { keyField, methodField, text } from '../../scheme/fields';
import {
  timestampChecks,
  timestampUnit,
  bodyReformatted,
  otherAlgorithm,
  signatureEncoding,
} from '../../scheme/mistakes';
import { methodSent, pathAndQuery, requiredHeaders, wholeMilliseconds } from '../../scheme/mistakes';
import { defineScheme, type SchemeMistake } from '../../scheme/types';
import { KeybenchError } from '../../errors';
import { header } from '../../request/types';

type BybitParts = {
  method: string;
  timestamp: string;
  apiKey: string;
  recvWindow: string;
  payload: string;
};

/** The recvWindow left out of the signed text (signers who copy Bybit's HMAC v3 examples). */
const recvWindowUnsigned: SchemeMistake<BybitParts> = {
  code: 'ERR_SCHEME_HEADER_UNSIGNED',
  title: 'recvWindow left out of the signed text',
  explanation:
    'The signer signed timestamp ‖ apiKey ‖ payload; Bybit signs the recvWindow between the API key and the payload.',
  remedy:
    'Sign timestamp + apiKey + recvWindow + payload, with the same recvWindow string you send in X-BAPI-RECV-WINDOW.',
  *variants(parts) {
    if (parts.recvWindow)
      yield { parts: { recvWindow: '' }, part: 'recvWindow', signed: '(nothing)', sent: parts.recvWindow };
  },
};

export default defineScheme<BybitParts>({
  id: 'bybit',
  name: 'Bybit',
  partner: 'bybit',
  recognisedBy: 'X-BAPI-SIGN with X-BAPI-API-KEY and X-BAPI-TIMESTAMP',
  source:
    'bybit-api (npm) BaseRestClient.ts signRequest, webCryptoAPI.ts signMessage; Bybit V5 docs, Integration guidance',
  recognise: (req) =>
    header(req, 'x-bapi-sign') !== undefined && header(req, 'x-bapi-api-key') !== undefined ? 3 : 0,
  signedHeaders: ['x-bapi-api-key', 'x-bapi-timestamp', 'x-bapi-recv-window', 'x-bapi-sign'],
  algorithms: ['RS256'],
  encoding: 'base64',
  keyHint: 'RS256',
  read(req) {
    const { query } = pathAndQuery(req.url);
    const method = req.method.toUpperCase();
    return {
      signature: header(req, 'x-bapi-sign') ?? '',
      parts: {
        method,
        timestamp: header(req, 'x-bapi-timestamp') ?? '',
        apiKey: header(req, 'x-bapi-api-key') ?? '',
        recvWindow: header(req, 'x-bapi-recv-window') ?? '',
        payload: method === 'GET' ? query : req.body,
      },
    };
  },
  base: (p) => [
    { label: 'timestamp (X-BAPI-TIMESTAMP)', text: p.timestamp },
    { label: 'API key (X-BAPI-API-KEY)', text: p.apiKey },
    { label: 'recvWindow (X-BAPI-RECV-WINDOW)', text: p.recvWindow },
    { label: p.method === 'GET' ? 'query string' : 'body', text: p.payload },
  ],
  baseWords: 'timestamp ‖ API key ‖ recvWindow ‖ payload',
  checks(p, req, nowMs) {
    // Bybit reads recv_window as an integer: "1e12" or "0x7fffffff" is refused, never a wider window.
    const recv = p.recvWindow || '5000';
    const window = /^\d{1,12}$/.test(recv) ? Number(recv) : 5000;
    return [
      ...requiredHeaders(req, ['X-BAPI-API-KEY', 'X-BAPI-TIMESTAMP', 'X-BAPI-SIGN']),
      ...methodSent(req),
      ...wholeMilliseconds(recv, 'X-BAPI-RECV-WINDOW'),
      // Bybit: server_time - recv_window <= timestamp < server_time + 1000.
      ...timestampChecks(p.timestamp, nowMs, window, 'X-BAPI-TIMESTAMP', 1000),
    ];
  },
  mistakes: [
    otherAlgorithm('RS256', ['PS256']),
    timestampUnit('timestamp'),
    recvWindowUnsigned,
    bodyReformatted('payload'),
    signatureEncoding('base64'),
  ],
  signer: {
    fields: [
      keyField('The RSA key pair whose public key is registered with Bybit.'),
      methodField(['GET', 'POST'], 'The HTTP method sent.'),
      {
        name: 'url',
        label: 'URL',
        kind: 'text',
        default: 'https://api.bybit.com/v5/account/wallet-balance?accountType=UNIFIED',
        remember: true,
        help: 'The endpoint; for a GET its query string is what is signed.',
      },
      {
        name: 'body',
        label: 'Body',
        kind: 'textarea',
        default: '{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"1"}',
        when: (v) => v['method'] === 'POST',
        help: 'The JSON body, signed exactly as sent.',
      },
      {
        name: 'apiKey',
        label: 'API key',
        kind: 'text',
        default: '',
        remember: true,
        help: 'The API key Bybit gave for the uploaded public key.',
      },
      {
        name: 'recvWindow',
        label: 'recvWindow',
        kind: 'text',
        default: '5000',
        help: 'Milliseconds the request stays valid (Bybit’s default 5000).',
      },
    ],
    parts(values, nowMs) {
      const method = text(values['method']) || 'GET';
      if (!text(values['apiKey']).trim())
        throw new KeybenchError(
          'ERR_PARTNER_INPUT',
          'Type the API key Bybit gave for your public key: it is signed and sent as X-BAPI-API-KEY.',
        );
      const { query } = pathAndQuery(text(values['url']).trim());
      return {
        method,
        timestamp: String(nowMs),
        apiKey: text(values['apiKey']).trim(),
        recvWindow: text(values['recvWindow']).trim(),
        payload: method === 'GET' ? query : text(values['body']),
      };
    },
    examples: [
      { apiKey: 'XXXXXXXXXXXXXXXXXX' },
      { apiKey: 'XXXXXXXXXXXXXXXXXX', method: 'POST', url: 'https://api.bybit.com/v5/order/create' },
    ],
    request(p, signature, values) {
      const post = p.method !== 'GET';
      return {
        method: p.method,
        url: text(values['url']).trim(),
        headers: [
          ['X-BAPI-API-KEY', p.apiKey],
          ['X-BAPI-TIMESTAMP', p.timestamp],
          ['X-BAPI-RECV-WINDOW', p.recvWindow],
          ['X-BAPI-SIGN', signature],
          ['X-BAPI-SIGN-TYPE', '2'],
          ...(post ? [['Content-Type', 'application/json'] as [string, string]] : []),
        ],
        body: post ? p.payload : '',
      };
    },
  },
});
