/**
 * Qredo Partner API request signing (PARTNERS.md): x-sign = base64url-nopad(RS256 over
 * timestamp ‖ URL ‖ body), with the exact bytes sent.
 */
import { base64urlToBytes, bytesToBase64url } from '../encoding/base64url';
import { KeybenchError } from '../errors';
import { curlCommand, shellQuote } from './shell';

/** What the signer produces. */
export interface QredoSigned {
  timestamp: string;
  xSign: string;
  headers: { 'x-api-key': string; 'x-timestamp': string; 'x-sign': string };
  curl: string;
}

/** What an API key says about itself: Qredo's are base64url of JSON with `key_id`. */
export interface ApiKeyInfo {
  keyId?: string;
  warning?: string;
}

/** The message Qredo signs: timestamp, URL and body bytes, concatenated with no separators. */
export function qredoMessage(timestamp: string, url: string, body: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${timestamp}${url}${body}`);
}

/** Now as Unix seconds, the form Qredo's x-timestamp takes. */
export function qredoTimestamp(nowMs: number): string {
  return String(Math.floor(nowMs / 1000));
}

/** Decode an `apikey` file's text to find its `key_id`, or say why it does not look like one. */
export function inspectQredoApiKey(apiKey: string): ApiKeyInfo {
  const t = apiKey.trim();
  if (!t) return { warning: 'No API key yet: x-api-key will be empty.' };
  try {
    // The apikey file is Base64; accept either alphabet, with or without padding.
    const url = t.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(url)));
    if (json && typeof json.key_id === 'string') return { keyId: json.key_id };
  } catch {
    // Falls through to the warning.
  }
  return {
    warning:
      'This does not look like a Qredo API key (the Base64 text of the apikey file, which decodes to JSON with key_id). Check that you copied it whole.',
  };
}

/**
 * Sign a Qredo Partner API request with an RSA private key (RSASSA-PKCS1-v1_5, SHA-256).
 * @throws KeybenchError ERR_PARTNER_INPUT for a missing URL, a non-RSA key or a bad timestamp.
 */
export async function signQredoRequest(input: {
  privateKey: CryptoKey;
  method: string;
  url: string;
  body: string;
  timestamp: string;
  apiKey: string;
}): Promise<QredoSigned> {
  const { privateKey, method, url, body, timestamp, apiKey } = input;
  if (!/^(https?|wss?):\/\//.test(url)) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'The URL must be the full URL as sent: scheme, host, path and query (https://…, or wss:// for feeds).',
    );
  }
  if (!/^\d{9,11}$/.test(timestamp)) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'The timestamp must be Unix time in seconds (10 digits), as sent in x-timestamp.',
    );
  }
  if (privateKey.algorithm.name !== 'RSASSA-PKCS1-v1_5') {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'Qredo signs with RSA (RS256): choose an RSA-2048 key pair.',
    );
  }
  const sig = new Uint8Array(
    await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, privateKey, qredoMessage(timestamp, url, body)),
  );
  const xSign = bytesToBase64url(sig);
  const headers = { 'x-api-key': apiKey.trim(), 'x-timestamp': timestamp, 'x-sign': xSign };
  const extra = body ? [`  -H 'Content-Type: application/json'`, `  --data-raw ${shellQuote(body)}`] : [];
  return { timestamp, xSign, headers, curl: curlCommand(method, shellQuote(url), headers, extra) };
}
