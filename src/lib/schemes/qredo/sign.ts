/**
 * Qredo Partner API request signing (PARTNERS.md): x-sign = base64url-nopad(RS256 over
 * timestamp ‖ URL ‖ body), with the exact bytes sent.
 */
import { base64urlToBytes, bytesToBase64url } from '../../encoding/base64url';
import { rich } from '../../rich';
import { KeybenchError } from '../../errors';
import type { VerificationKey } from '../../jwt/verify';
import { trustedKeysOf } from '../../request/types';
import { curlCommand, shellQuote } from '../../partners/shell';
import { qredoMessage } from './base';
import { ok, problem, type Finding, type SignedPart } from '../../partners/scheme';

export { qredoMessage };

/** Which header carries the value that leads the signed message (Qredo's docs allow either). */
export type QredoAuthHeader = 'x-timestamp' | 'x-nonce';

/** What the signer produces. */
export interface QredoSigned {
  /** The value that leads the message: the timestamp, or the nonce. */
  timestamp: string;
  authHeader: QredoAuthHeader;
  xSign: string;
  /** x-api-key, then x-timestamp or x-nonce, then x-sign. */
  headers: Record<string, string>;
  /** The exact message signed (value ‖ URL ‖ body). */
  message: string;
  curl: string;
  /** Plain warnings about the signed bytes. */
  warnings: string[];
}

/** Input to {@link signQredoRequest}. */
export interface QredoSignInput {
  privateKey: CryptoKey;
  method: string;
  url: string;
  body: string;
  /** Unix seconds for x-timestamp, or the nonce for x-nonce. */
  timestamp: string;
  apiKey: string;
  /** Default x-timestamp. */
  authHeader?: QredoAuthHeader;
}

/** What an API key says about itself: Qredo's are base64url of JSON with `key_id`. */
export interface ApiKeyInfo {
  keyId?: string;
  warning?: string;
}

/** A fresh nonce for x-nonce: the time in milliseconds, so successive nonces increase. */
export function qredoNonce(nowMs: number): string {
  return String(Math.floor(nowMs));
}

/** What will make Qredo's own signing client disagree with keybench about these bytes. */
export function qredoBodyWarnings(body: string): string[] {
  return body.endsWith('\r\n')
    ? [
        "The body ends in \\r\\n. Qredo's interactive signing client turns that into \\n before signing, so its x-sign differs from keybench's for the same text; its file mode and keybench sign the bytes as they are. Send exactly the bytes that were signed.",
      ]
    : [];
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
 * @throws KeybenchError ERR_PARTNER_INPUT for a missing URL, a non-RSA key, a bad timestamp or an empty nonce.
 */
export async function signQredoRequest(input: QredoSignInput): Promise<QredoSigned> {
  const { privateKey, method, url, body, timestamp, apiKey } = input;
  const authHeader = input.authHeader ?? 'x-timestamp';
  if (!/^(https?|wss?):\/\//.test(url)) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'The URL must be the full URL as sent: scheme, host, path and query (https://…, or wss:// for feeds).',
    );
  }
  if (authHeader === 'x-timestamp' && !/^\d{9,11}$/.test(timestamp)) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'The timestamp must be Unix time in seconds (10 digits), as sent in x-timestamp.',
    );
  }
  if (authHeader === 'x-nonce' && !/^\S+$/.test(timestamp)) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The nonce is empty or has spaces: it is sent as x-nonce.');
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
  const headers = { 'x-api-key': apiKey.trim(), [authHeader]: timestamp, 'x-sign': xSign };
  const extra = body ? [`  -H 'Content-Type: application/json'`, `  --data-raw ${shellQuote(body)}`] : [];
  return {
    timestamp,
    authHeader,
    xSign,
    headers,
    message: `${timestamp}${url}${body}`,
    curl: curlCommand(method, shellQuote(url), headers, extra),
    warnings: qredoBodyWarnings(body),
  };
}

/** Input to {@link verifyQredoRequest}: the request as sent, and public keys the user trusts. */
export interface QredoVerifyInput {
  url: string;
  body: string;
  /** The x-timestamp or x-nonce value. */
  timestamp: string;
  xSign: string;
  keys: VerificationKey[];
}

/** Whether an x-sign verifies with one of the given RSA public keys, as a finding. */
export async function verifyQredoRequest(input: QredoVerifyInput): Promise<Finding> {
  let sig: Uint8Array<ArrayBuffer>;
  try {
    sig = base64urlToBytes(input.xSign.trim());
  } catch {
    return problem('signature', 'ERR_QREDO_SIGNATURE', 'error', 'x-sign', 'x-sign is not base64url.');
  }
  const message = qredoMessage(input.timestamp, input.url, input.body);
  // The one choice of keys for PKCS#1 v1.5: trusted RSA keys, never an id-RSASSA-PSS one.
  for (const k of trustedKeysOf(input.keys, ['RSA'])) {
    const key = await crypto.subtle.importKey(
      'spki',
      k.spki,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    if (await crypto.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, key, sig, message)) {
      return ok('signature', 'x-sign', rich`Signature verified with ${k.label}.`);
    }
  }
  return problem(
    'signature',
    'ERR_QREDO_SIGNATURE',
    'error',
    'x-sign',
    'No RSA key given verifies this x-sign over timestamp ‖ URL ‖ body: the key, or the bytes, differ.',
  );
}

/** The signed message as one part (value ‖ URL ‖ body), for comparison with a server's. */
export function describeQredoRequest(s: QredoSigned): SignedPart[] {
  return [{ label: 'Signed message (value ‖ URL ‖ body)', text: s.message }];
}
