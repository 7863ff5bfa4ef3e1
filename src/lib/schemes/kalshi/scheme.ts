/**
 * Kalshi Trade API v2: `KALSHI-ACCESS-SIGNATURE` = base64(RSASSA-PSS SHA-256, MGF1 SHA-256, salt as
 * long as the digest) over timestamp ‖ METHOD ‖ path, where the timestamp is the
 * `KALSHI-ACCESS-TIMESTAMP` header in milliseconds, the method is upper case and the path is the
 * URL's path without its query string. Neither the query string nor the body is signed, nor the key
 * id (`KALSHI-ACCESS-KEY`), which only says which public key verifies.
 *
 * Sources: kalshi-typescript (npm) dist/auth.js `generateAuthHeaders` (timestamp + method + path,
 * `RSA_PKCS1_PSS_PADDING`, `RSA_PSS_SALTLEN_DIGEST`, base64) and dist/base.js, whose request
 * interceptor passes `new URL(url).pathname` and the method upper-cased; Kalshi docs, "API Keys"
 * ("use the path without query parameters"). Kalshi documents no timestamp window, so none is checked;
 * a timestamp that is not a whole number of milliseconds (seconds, micro- or nanoseconds, a sign,
 * an exponent) is refused, and so is a method the SDK never sends: with no separators in the
 * signed text, 13 digits then a known method is the only way to read it.
 */
import { keyField, methodField, text } from '../../scheme/fields';
import { KeybenchError } from '../../errors';
import { rich } from '../../rich';
import { header } from '../../request/types';
import {
  fullUrl,
  methodCase,
  otherAlgorithm,
  pathAndQuery,
  pathPrefix,
  pssSalt,
  querySigned,
  requiredHeaders,
  signatureEncoding,
  timestampUnit,
  methodSent,
} from '../../scheme/mistakes';
import { defineScheme } from '../../scheme/types';
import { problem, type Finding } from '../../trust/finding';

type KalshiParts = { timestamp: string; method: string; path: string };

const BASE = 'https://external-api.kalshi.com/trade-api/v2';

/** The methods Kalshi's endpoints serve (the SDK sends no other). */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * A method no Kalshi endpoint serves, sent in upper case (lower case is methodSent's). The signed
 * text has no separators, so this also keeps its split unique: 13 digits, then a method.
 */
function served(method: string): Finding[] {
  if (method !== method.toUpperCase() || METHODS.includes(method)) return [];
  const words = rich`The request is sent with the method ${method}; Kalshi's endpoints serve GET, POST, PUT and DELETE (its SDK sends no other), so the server does not act on it.`;
  return [problem('method', 'ERR_SCHEME_METHOD_SENT', 'error', 'method', words)];
}

/** An empty KALSHI-ACCESS-KEY (a missing one is requiredHeaders'): Kalshi finds the public key by it. */
function keyId(value: string | undefined): Finding[] {
  if (value === undefined || value.trim()) return [];
  const words = rich`KALSHI-ACCESS-KEY is empty; Kalshi finds your public key by this key id. Send the key id Kalshi gave for it.`;
  return [problem('headers', 'ERR_SCHEME_HEADER_VALUE', 'error', 'KALSHI-ACCESS-KEY', words)];
}

/**
 * A timestamp that is not milliseconds of this era (seconds are told apart): not a decimal number
 * (empty, signed, exponent, hex), or 14 digits or more (micro- or nanoseconds, after the year 2286).
 */
function milliseconds(t: string, sent: string | undefined): Finding[] {
  if (sent === undefined) return [];
  const label = 'KALSHI-ACCESS-TIMESTAMP';
  if (!/^\d+$/.test(t))
    return [
      problem(
        'timestamp',
        'ERR_SCHEME_TIMESTAMP',
        'error',
        label,
        rich`KALSHI-ACCESS-TIMESTAMP ${t} is not a number of milliseconds (digits only); Kalshi cannot read it. Sign and send the time in milliseconds, 13 digits (what Date.now() gives).`,
      ),
    ];
  if (Number(t) < 1e13) return [];
  const words = rich`KALSHI-ACCESS-TIMESTAMP ${t} is not in milliseconds: read as milliseconds it is after the year 2286 (microseconds or nanoseconds?). Sign and send the time in milliseconds.`;
  return [problem('timestamp', 'ERR_SCHEME_TIMESTAMP_AHEAD', 'error', label, words)];
}

export default defineScheme<KalshiParts>({
  id: 'kalshi',
  name: 'Kalshi',
  partner: 'kalshi',
  recognisedBy: 'KALSHI-ACCESS-SIGNATURE with KALSHI-ACCESS-KEY and KALSHI-ACCESS-TIMESTAMP',
  source:
    'kalshi-typescript (npm) dist/auth.js generateAuthHeaders, dist/base.js request interceptor; Kalshi docs, API Keys',
  recognise: (req) => (header(req, 'kalshi-access-signature') !== undefined ? 3 : 0),
  signedHeaders: ['kalshi-access-key', 'kalshi-access-timestamp', 'kalshi-access-signature'],
  algorithms: ['PS256'],
  encoding: 'base64',
  keyHint: 'RS256',
  read(req) {
    return {
      signature: header(req, 'kalshi-access-signature') ?? '',
      parts: {
        timestamp: header(req, 'kalshi-access-timestamp') ?? '',
        method: req.method.toUpperCase(),
        path: pathAndQuery(req.url).path,
      },
    };
  },
  base: (p) => [
    { label: 'timestamp (KALSHI-ACCESS-TIMESTAMP)', text: p.timestamp },
    { label: 'method', text: p.method },
    { label: 'path (without the query string)', text: p.path },
  ],
  baseWords: 'timestamp ‖ METHOD ‖ path',
  checks(p, req) {
    const required = [
      ...requiredHeaders(req, ['KALSHI-ACCESS-KEY', 'KALSHI-ACCESS-TIMESTAMP', 'KALSHI-ACCESS-SIGNATURE']),
      ...methodSent(req),
      ...served(req.method),
      ...keyId(header(req, 'kalshi-access-key')),
    ];
    // Signed and sent alike in seconds still verifies; Kalshi reads the header as milliseconds.
    const seconds = /^\d{1,12}$/.test(p.timestamp) && Number(p.timestamp) < 1e12;
    return seconds
      ? [
          ...required,
          problem(
            'timestamp',
            'ERR_SCHEME_TIMESTAMP_SECONDS',
            'error',
            'KALSHI-ACCESS-TIMESTAMP',
            rich`KALSHI-ACCESS-TIMESTAMP ${p.timestamp} is in seconds; Kalshi wants milliseconds (${p.timestamp}000). Sign and send the same millisecond timestamp.`,
          ),
        ]
      : [...required, ...milliseconds(p.timestamp, header(req, 'kalshi-access-timestamp'))];
  },
  mistakes: [
    otherAlgorithm('PS256', ['RS256']),
    pssSalt(32),
    timestampUnit('timestamp'),
    querySigned('path'),
    methodCase('method'),
    fullUrl('path'),
    pathPrefix('path'),
    signatureEncoding('base64'),
  ],
  signer: {
    fields: [
      keyField('An RSA-PSS key pair whose public key is registered with Kalshi.'),
      methodField(['GET', 'POST', 'DELETE'], 'The HTTP method sent; it is signed in upper case.'),
      {
        name: 'url',
        label: 'URL',
        kind: 'text',
        default: `${BASE}/portfolio/balance`,
        remember: true,
        help: 'The endpoint. Its path is signed; the query string is not.',
      },
      {
        name: 'body',
        label: 'Body',
        kind: 'textarea',
        default:
          '{"ticker":"KXBTC-26DEC31-T100000","side":"bid","count":"1","price":"0.50","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}',
        when: (v) => v['method'] === 'POST',
        help: 'The JSON body. Kalshi does not sign it.',
      },
      {
        name: 'apiKey',
        label: 'API key id',
        kind: 'text',
        default: '',
        remember: true,
        help: 'The key id Kalshi gave for the public key, sent as KALSHI-ACCESS-KEY.',
      },
    ],
    parts(values, nowMs) {
      if (!text(values['apiKey']).trim())
        throw new KeybenchError(
          'ERR_PARTNER_INPUT',
          'Type the API key id Kalshi gave for your public key: it is sent as KALSHI-ACCESS-KEY.',
        );
      return {
        timestamp: String(nowMs),
        method: (text(values['method']) || 'GET').toUpperCase(),
        path: pathAndQuery(text(values['url']).trim()).path,
      };
    },
    values: (_p, req) => ({ apiKey: header(req, 'kalshi-access-key') ?? '' }),
    examples: [
      { apiKey: 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c' },
      { apiKey: 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c', url: `${BASE}/portfolio/orders?limit=5` },
      {
        apiKey: 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c',
        method: 'POST',
        url: `${BASE}/portfolio/events/orders`,
      },
    ],
    request(p, signature, values) {
      const post = p.method === 'POST';
      return {
        method: p.method,
        url: text(values['url']).trim(),
        headers: [
          ['KALSHI-ACCESS-KEY', text(values['apiKey']).trim()],
          ['KALSHI-ACCESS-TIMESTAMP', p.timestamp],
          ['KALSHI-ACCESS-SIGNATURE', signature],
          ...(post ? [['Content-Type', 'application/json'] as [string, string]] : []),
        ],
        body: post ? text(values['body']) : '',
      };
    },
  },
});
