/**
 * QI Tech "QIT" v1 request signing and response verification (PARTNERS.md). Every JWS is
 * {"alg":"ES512","typ":"JWT"} with a raw r‖s P-521 signature.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { toHex } from '../encoding/base64url';
import { KeybenchError, type ErrorCode } from '../errors';
import { curlCommand, shellQuote } from './shell';
import { signJws } from '../jwt/sign';
import { decodeToken } from '../jwt/decode';
import { verifyToken, type VerificationKey } from '../jwt/verify';

const HEADER = { alg: 'ES512', typ: 'JWT' };

/** Lowercase hex MD5 of a string's UTF-8 bytes (@noble/hashes: WebCrypto has no MD5). */
export function md5Hex(text: string): string {
  return toHex(md5(new TextEncoder().encode(text)));
}

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

/** Where the sources disagree (PARTNERS.md), the choices, documented default first. */
export interface QitOptions {
  /** Content type for requests without a body: "" (qitech-wrapper, default) or application/json. */
  getContentType: '' | 'application/json';
  /** Drop the query string from the endpoint (qitech-wrapper, default) or keep it. */
  endpointWithQuery: boolean;
}

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

/**
 * Sign a QI Tech request. `body` is JSON text (or empty for none).
 * @throws KeybenchError ERR_PARTNER_INPUT for a non-P-521 key, invalid JSON, or a bad endpoint.
 */
export async function signQitRequest(input: {
  privateKey: CryptoKey;
  apiKey: string;
  method: string;
  endpoint: string;
  body: string;
  date: string;
  options: QitOptions;
  baseUrl?: string;
}): Promise<QitSigned> {
  const { privateKey, apiKey, method, body, date, options } = input;
  const alg = privateKey.algorithm as EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-521') {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'QI Tech signs with ECDSA P-521 (ES512): choose a P-521 key pair.',
    );
  }
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
    encodedBody = await signJws(HEADER, JSON.stringify(json), privateKey, 'ES512');
    sentBody = JSON.stringify({ encoded_body: encodedBody });
  }
  const md5 = encodedBody ? md5Hex(encodedBody) : '';
  const contentType = encodedBody ? 'application/json' : options.getContentType;
  const stringToSign = qitStringToSign(method, md5, contentType, date, endpoint);
  const token = await signJws(HEADER, { sub: apiKey, signature: stringToSign }, privateKey, 'ES512');
  const headers: Record<string, string> = {
    AUTHORIZATION: `QIT ${apiKey}:${token}`,
    'API-CLIENT-KEY': apiKey,
  };
  if (contentType) headers['Content-Type'] = contentType;
  // The base URL depends on the environment QI Tech gave you; the shell variable leaves it to you.
  const url = input.baseUrl
    ? shellQuote(`${input.baseUrl.replace(/\/$/, '')}${input.endpoint}`)
    : `"$QITECH_BASE_URL"${shellQuote(input.endpoint)}`;
  const curl = curlCommand(method, url, headers, sentBody ? [`  --data-raw ${shellQuote(sentBody)}`] : []);
  return {
    encodedBody,
    sentBody,
    md5,
    contentType,
    endpoint,
    stringToSign,
    token,
    headers,
    curl,
  };
}

/** One check of a response verification. */
export interface QitCheck {
  code: ErrorCode | 'OK';
  label: string;
  ok: boolean;
  detail: string;
}

/** The response verdict: `verified` only when every check passed. */
export interface QitResponseVerdict {
  verified: boolean;
  checks: QitCheck[];
  decodedBody?: unknown;
}

/**
 * Verify a QI Tech response: the Authorization token with QI Tech's public key, its md5 line
 * against the body's encoded_body, the method and endpoint lines, then encoded_body itself.
 */
export async function verifyQitResponse(input: {
  authorization: string;
  body: string;
  apiKey: string;
  qitechKey: VerificationKey;
  method: string;
  endpoint: string;
}): Promise<QitResponseVerdict> {
  const checks: QitCheck[] = [];
  const done = (): QitResponseVerdict => ({
    verified: checks.every((c) => c.ok) && checks.length >= 5,
    checks,
    decodedBody,
  });
  let decodedBody: unknown;
  const m = /^\s*(?:Authorization:\s*)?QIT\s+([^:\s]+):(\S+)\s*$/i.exec(input.authorization);
  if (!m) {
    checks.push({
      code: 'ERR_QIT_AUTH_HEADER',
      label: 'Authorization header',
      ok: false,
      detail: 'Expected "QIT <api_key>:<token>".',
    });
    return done();
  }
  const [, apiKey, token] = m as unknown as [string, string, string];
  const record = (ok: boolean, code: ErrorCode, label: string, good: string, bad: string) =>
    checks.push({ code: ok ? 'OK' : code, label, ok, detail: ok ? good : bad });
  const signatureOf = async (jws: string, code: ErrorCode, label: string) => {
    const decoded = decodeToken(jws);
    const verdict = await verifyToken(decoded, [input.qitechKey]);
    record(verdict.verified, code, label, `Signed by "${input.qitechKey.label}".`, verdict.message);
    return decoded;
  };

  const yours = input.apiKey.trim();
  record(
    apiKey === yours,
    'ERR_QIT_API_KEY',
    'API key',
    'The header names your API key.',
    `The header names ${apiKey}, not your API key ${yours || '(empty)'}.`,
  );
  const decoded = await signatureOf(token, 'ERR_QIT_TOKEN_SIGNATURE', 'Authorization token signature');
  const claims =
    decoded.payload?.kind === 'json' ? (decoded.payload.value as { signature?: unknown }) : undefined;
  const lines = typeof claims?.signature === 'string' ? claims.signature.split('\n') : [];

  let encodedBody: string | undefined;
  try {
    const parsed = input.body.trim() ? (JSON.parse(input.body) as { encoded_body?: unknown }) : undefined;
    if (parsed && typeof parsed.encoded_body === 'string') encodedBody = parsed.encoded_body;
  } catch {
    // Reported by the md5 check below.
  }
  const expectedMd5 = encodedBody ? md5Hex(encodedBody) : '';
  const md5Ok =
    lines.length === 5 && lines[1] === expectedMd5 && (encodedBody !== undefined || !input.body.trim());
  record(
    md5Ok,
    'ERR_QIT_MD5',
    'Body MD5',
    `md5(encoded_body) = ${expectedMd5}, as signed.`,
    lines.length !== 5
      ? 'The token has no five-line "signature" claim.'
      : input.body.trim() && !encodedBody
        ? 'The response body is not JSON with an "encoded_body" string.'
        : `The token signs md5 ${lines[1] || '(empty)'}, but md5(encoded_body) is ${expectedMd5 || '(empty)'}: the body is not the one that was signed.`,
  );
  record(
    lines[0] === input.method,
    'ERR_QIT_METHOD',
    'Method line',
    `${input.method}, as requested.`,
    `Signed for ${lines[0] ?? '(nothing)'}, but the request was ${input.method}.`,
  );
  record(
    lines[4] === input.endpoint || lines[4] === input.endpoint.split('?')[0],
    'ERR_QIT_ENDPOINT',
    'Endpoint line',
    `${lines[4]}, as requested.`,
    `Signed for ${lines[4] ?? '(nothing)'}, but the request was to ${input.endpoint}.`,
  );
  if (encodedBody) {
    const body = await signatureOf(encodedBody, 'ERR_QIT_BODY_SIGNATURE', 'encoded_body signature');
    if (body.payload?.kind === 'json') decodedBody = body.payload.value;
  }
  return done();
}
