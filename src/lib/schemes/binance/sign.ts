/**
 * Binance Spot API request signing (issue 14): Ed25519 or RSASSA-PKCS1-v1_5 SHA-256 with a
 * self-generated key, or HMAC-SHA256 with the API secret; `signature=` appended last.
 *
 * Sources (binance/binance-spot-api-docs, rest-api.md, commit a5e0bc3d): "SIGNED Endpoint
 * Examples for POST /api/v3/order" — RSA and Ed25519 signatures are base64, then
 * percent-encoded; an HMAC-SHA256 signature is lower-case hex.
 */
import { bytesToBase64 } from '../../encoding/base64url';
import { KeybenchError } from '../../errors';
import { curlCommand, shellQuote } from '../../partners/shell';
import { binancePayload, type BinancePayload, type BinancePayloadInput } from './payload';

const enc = new TextEncoder();

/** Lower-case hex, as Binance's HMAC examples print a signature. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The WebCrypto algorithm for a Binance key: Ed25519, RSASSA-PKCS1-v1_5 or HMAC (SHA-256 at import). */
function signAlgorithm(key: CryptoKey): AlgorithmIdentifier {
  if (key.algorithm.name === 'Ed25519') return { name: 'Ed25519' };
  if (key.algorithm.name === 'RSASSA-PKCS1-v1_5' || key.algorithm.name === 'HMAC') {
    const hash = (key.algorithm as RsaHashedKeyAlgorithm | HmacKeyAlgorithm).hash?.name;
    if (hash !== 'SHA-256') {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        key.algorithm.name === 'HMAC'
          ? 'Binance verifies HMAC signatures with SHA-256: this secret is bound to another hash.'
          : 'Binance verifies RSA signatures with SHA-256: this RSA key is bound to another hash.',
      );
    }
    return { name: key.algorithm.name };
  }
  throw new KeybenchError(
    'ERR_PARTNER_INPUT',
    'Binance signs with Ed25519 (recommended) or RSA: choose an Ed25519 or RSA key pair.',
  );
}

/**
 * Sign a payload: Ed25519, RSASSA-PKCS1-v1_5 SHA-256 or HMAC-SHA256 by the key's algorithm.
 * `signature` is standard base64 with padding (hex for HMAC); `encoded` is the same
 * percent-encoded for the request.
 * @throws KeybenchError ERR_PARTNER_INPUT for a key Binance does not take.
 */
export async function signBinance(
  privateKey: CryptoKey,
  payload: string,
): Promise<{ signature: string; encoded: string }> {
  const alg = signAlgorithm(privateKey);
  const sig = new Uint8Array(await crypto.subtle.sign(alg, privateKey, enc.encode(payload)));
  const signature = privateKey.algorithm.name === 'HMAC' ? toHex(sig) : bytesToBase64(sig);
  return { signature, encoded: encodeURIComponent(signature) };
}

/** Input to {@link binanceRequest}. */
export interface BinanceRequestInput extends BinancePayloadInput {
  /** An Ed25519 or RSA private key, or an HMAC-SHA256 key made of the API secret. */
  privateKey: CryptoKey;
  apiKey: string;
  method: string;
  /** Endpoint URL without a query, e.g. https://api.binance.com/api/v3/order. */
  url: string;
}

/** A signed request, ready to send. */
export interface BinanceRequest {
  method: string;
  /** The full URL as sent (query included; `signature=` last when there is no form body). */
  url: string;
  headers: [string, string][];
  /** The form body as sent, `signature=` last ("" for none). */
  body: string;
  curl: string;
  /** What was signed: query string ‖ body (without the signature), and its parts. */
  payload: BinancePayload;
  /** Standard base64 with padding (hex for HMAC), and the same percent-encoded as sent. */
  signature: string;
  encoded: string;
}

/**
 * Sign a Spot API request. `signature=` is appended last: to the form body when the request has one
 * (the docs' Python example sends every parameter and then the signature as the form body), else to
 * the query string (the docs' curl examples).
 * @throws KeybenchError ERR_PARTNER_INPUT as {@link binancePayload}, for a URL with a query or a key
 *   Binance does not take.
 */
export async function binanceRequest(input: BinanceRequestInput): Promise<BinanceRequest> {
  const { privateKey, apiKey, url } = input;
  const method = input.method.toUpperCase();
  if (!/^https?:\/\/[^?#]+$/.test(url)) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'The URL must be the endpoint without a query (https://api.binance.com/api/v3/order): keybench adds the parameters.',
    );
  }
  const p = binancePayload(input);
  const { signature, encoded } = await signBinance(privateKey, p.payload);
  const hasBody = input.body !== undefined;
  const query = hasBody ? p.query : `${p.query}&signature=${encoded}`;
  const sentBody = hasBody ? `${p.body ? `${p.body}&` : ''}signature=${encoded}` : '';
  const full = query ? `${url}?${query}` : url;
  // Binance reads a body only as a form (rest-api "Request security"): the header goes with it.
  const headers: [string, string][] = [
    ['X-MBX-APIKEY', apiKey.trim()],
    ...(hasBody ? [['Content-Type', 'application/x-www-form-urlencoded'] as [string, string]] : []),
  ];
  const extra = hasBody ? [`  --data-raw ${shellQuote(sentBody)}`] : [];
  return {
    method,
    url: full,
    headers,
    body: sentBody,
    curl: curlCommand(method, shellQuote(full), Object.fromEntries(headers), extra),
    payload: p,
    signature,
    encoded,
  };
}
