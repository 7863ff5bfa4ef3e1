/**
 * QI Tech "QIT" v1 request signing (PARTNERS.md). Every JWS is {"alg":"ES512","typ":"JWT"} with a
 * raw r‖s P-521 signature. The request check is verify.ts; the response check, qitech/response.ts.
 */
import { KeybenchError } from '../../errors';
import { curlCommand, shellQuote } from '../../partners/shell';
import { md5Hex, requireP521, signEs512 } from '../qitech/shared';
import type { SignedPart } from '../../partners/scheme';

export { md5Hex, type QitRequestInput, type QitRequestVerdict } from '../qitech/shared';

/** A time as RFC 1123 GMT, the form QI Tech's date line takes (e.g. "Thu, 23 Nov 2023 22:13:20 GMT"). */
export function rfc1123Date(ms: number): string {
  return new Date(ms).toUTCString();
}

/** The `string_to_sign`: method, md5, content type, date, endpoint, one per line. */
export function qitStringToSign(
  method: string,
  md5: string,
  contentType: string,
  date: string,
  endpoint: string,
): string {
  return [method, md5, contentType, date, endpoint].join('\n');
}

/** Where the sources disagree (PARTNERS.md, the clients' table), the choices. */
export interface QitOptions {
  /** Content type line for requests without a body: "" (qitech-wrapper, Clojure; default) or application/json (Elixir). */
  getContentType: '' | 'application/json';
  /** Sign the endpoint with its query string (qitech-wrapper ≥ 0.1.9, Elixir; default) or without (0.1.8). */
  endpointWithQuery: boolean;
}

/** The defaults: what most current clients do. */
export const QIT_DEFAULTS: QitOptions = { getContentType: '', endpointWithQuery: true };

/** A signed QIT request. */
export interface QitSigned {
  encodedBody?: string;
  /** The body to send: `{"encoded_body":"<jws>"}`, or undefined without a body. */
  sentBody?: string;
  md5: string;
  contentType: string;
  endpoint: string;
  stringToSign: string;
  token: string;
  headers: Record<string, string>;
  curl: string;
}

/** Input to {@link signQitRequest}. */
export interface QitSignInput {
  privateKey: CryptoKey;
  apiKey: string;
  method: string;
  endpoint: string;
  body: string;
  date: string;
  options: QitOptions;
  baseUrl?: string;
}

/**
 * Sign a QI Tech request. `body` is JSON text (or empty for none).
 * @throws KeybenchError ERR_PARTNER_INPUT for a non-P-521 key, invalid JSON, or a bad endpoint.
 */
export async function signQitRequest(input: QitSignInput): Promise<QitSigned> {
  const { privateKey, apiKey, method, body, date, options } = input;
  requireP521(privateKey);
  if (!input.endpoint.startsWith('/')) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The endpoint is the path, starting with "/", e.g. /test.');
  }
  const endpoint = options.endpointWithQuery ? input.endpoint : input.endpoint.split('?')[0]!;
  let encodedBody: string | undefined;
  let sentBody: string | undefined;
  if (body.trim()) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `The body is not valid JSON: ${e instanceof Error ? e.message : e}`,
      );
    }
    encodedBody = await signEs512(JSON.stringify(json), privateKey);
    sentBody = JSON.stringify({ encoded_body: encodedBody });
  }
  const md5 = encodedBody ? md5Hex(encodedBody) : '';
  const contentType = encodedBody ? 'application/json' : options.getContentType;
  const stringToSign = qitStringToSign(method, md5, contentType, date, endpoint);
  const token = await signEs512({ sub: apiKey, signature: stringToSign }, privateKey);
  const headers: Record<string, string> = {
    AUTHORIZATION: `QIT ${apiKey}:${token}`,
    'API-CLIENT-KEY': apiKey,
  };
  if (contentType) headers['Content-Type'] = contentType;
  // The base URL depends on the environment QI Tech gave you; the shell variable leaves it to you.
  const url = input.baseUrl
    ? shellQuote(`${input.baseUrl.replace(/\/$/, '')}${input.endpoint}`)
    : `"$QITECH_BASE_URL"${shellQuote(input.endpoint)}`;
  const curl = curlCommand(method, url, headers, sentBody ? [`  --data-binary ${shellQuote(sentBody)}`] : []);
  return { encodedBody, sentBody, md5, contentType, endpoint, stringToSign, token, headers, curl };
}

/** The texts a QIT request signs: encoded_body's payload, its MD5 input, and the string to sign. */
export function describeQitRequest(s: QitSigned): SignedPart[] {
  const parts: SignedPart[] = [];
  if (s.encodedBody) parts.push({ label: 'MD5 input (the encoded_body JWS)', text: s.encodedBody });
  parts.push({ label: 'string_to_sign', text: s.stringToSign });
  return parts;
}
