/**
 * The QIT v1 doctor: the mistakes searched (mistakes.ts, confirmed by WebCrypto), and what the
 * five signed lines say where no listed mistake explains a difference (the date's form, another
 * method or query, the Content-Type sent, sub against API-CLIENT-KEY, the key of encoded_body).
 */
import type { VerificationKey } from '../../jwt/verify';
import { rich, u } from '../../rich';
import type { DoctorInput, ParsedRequest } from '../../request/types';
import { header } from '../../request/types';
import { claimsOf } from '../qitech/shared';
import {
  clockSkew,
  confirmedOr,
  keyDiagnoses,
  p521Keys,
  searchSignature,
  tokenCheck,
  type Found,
} from '../qitech/diagnoses';
import { searchQit, tokenCtx } from '../qitech/search';
import { V1_MISTAKES, type V1Ctx } from './mistakes';
import { rfc1123Date } from './sign';

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC1123_UNPADDED =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{1,2}:\d{1,2}:\d{1,2} GMT$/;

/** The token of a QIT v1 AUTHORIZATION value, and the API key it names. */
function splitQit(text: string): { apiKey: string; token: string } | null {
  const m = /^QIT[ \t]+([^:\s]+):(\S+)$/i.exec(text);
  return m ? { apiKey: m[1]!, token: m[2]! } : null;
}

/** The body: wrapped in encoded_body (its JWS, the JSON it carries, the key that signed it), or plain JSON. */
async function v1Body(body: string, keys: VerificationKey[]) {
  let json: unknown;
  try {
    json = body.trim() ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  const encoded =
    json && typeof json === 'object' ? (json as { encoded_body?: unknown }).encoded_body : undefined;
  if (typeof encoded !== 'string') return { raw: body.trim() ? body : undefined, bodyVerified: false };
  const b = await tokenCheck(encoded, keys);
  const p = b.decoded.payload;
  return {
    jws: encoded,
    raw: p && p.kind !== 'binary' ? p.text : undefined,
    bodyKey: b.verdict.key ?? b.derKey,
    bodyVerified: b.verdict.verified,
  };
}

/** encoded_body signed by another key than the AUTHORIZATION token. */
function bodyOtherKey(tokenKey: VerificationKey, bodyKey: VerificationKey | undefined): Found {
  return {
    code: 'ERR_QIT_BODY_OTHER_KEY',
    title: 'encoded_body is signed by another key than the token',
    explanation: bodyKey
      ? rich`The AUTHORIZATION token verifies with ${tokenKey.label}, but encoded_body verifies with ${bodyKey.label}. Both must be signed with the same client key.`
      : rich`The AUTHORIZATION token verifies with ${tokenKey.label}, but encoded_body verifies with none of the trusted keys: it was signed with another key (or changed after signing).`,
    remedy:
      'Sign encoded_body and the AUTHORIZATION token with the same private key: the one whose public key QI Tech has.',
    confirmed: bodyKey !== undefined,
    explains: 'body-signature',
  };
}

/** Content type line for a request without a body: "" or application/json, against the Content-Type sent. */
function getContentType(signed: string, sentType: string): Found | null {
  if ((signed !== '' && signed !== 'application/json') || signed === sentType) return null;
  return {
    code: 'ERR_QIT_GET_CONTENT_TYPE',
    title: 'Content type line for a request without a body differs from the Content-Type sent',
    explanation: [
      'Signed content type line ',
      u(signed === '' ? '""' : signed),
      ', but the request sends Content-Type ',
      u(sentType === '' ? '(none)' : sentType),
      '. The clients disagree here: "" (npm qitech-wrapper 0.1.8 and 0.2.0, Clojure Captalys/qitech-auth) or application/json (Elixir qitech_ex). A server that rebuilds the string to sign from the request it receives gets another line than the one signed.',
    ],
    remedy:
      'Sign the content type the request actually sends: "" when no Content-Type header is sent (the default of most clients), application/json when it is.',
    signed,
    sent: sentType,
    confirmed: false,
    explains: 'content-type',
  };
}

/**
 * Content type line with a body: the Content-Type the request sends must be the one signed
 * (curl -d without -H sends application/x-www-form-urlencoded).
 */
function bodyContentType(signed: string, sentType: string): Found | null {
  const media = (sentType.split(';')[0] ?? '').replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
  if (media === signed.toLowerCase()) return null;
  return {
    code: 'ERR_QIT_CONTENT_TYPE',
    title: 'Content type line differs from the Content-Type sent',
    explanation: rich`Signed content type line ${signed || '""'}, but the request sends Content-Type ${sentType || '(none)'}. QI Tech rebuilds the string to sign from the request it receives. (curl -d without -H 'Content-Type: …' sends application/x-www-form-urlencoded.)`,
    remedy:
      'Send the body with Content-Type: application/json, and sign application/json on the content type line.',
    signed,
    sent: sentType,
    confirmed: false,
    explains: 'content-type',
  };
}

/** Method line: exactly the method sent (HTTP methods are case-sensitive). */
function methodLine(signed: string, method: string): Found | null {
  if (signed === method) return null;
  return {
    code: 'ERR_QIT_METHOD_CASE',
    title:
      signed.toUpperCase() === method.toUpperCase()
        ? 'Method line differs from the request method in case'
        : 'Method line is not the request method',
    explanation: rich`The method line is ${signed}; the request is sent as ${method}. HTTP methods are case-sensitive: a server sees another method than the one signed.`,
    remedy: 'Send the request with the method in upper case (e.g. POST), and sign that same method.',
    signed,
    sent: method,
    confirmed: false,
    explains: 'method',
  };
}

/** Endpoint line with or without the query string. */
function endpointLine(signed: string, endpoint: string): Found | null {
  if (signed === endpoint || signed.split('?')[0] !== endpoint.split('?')[0]) return null;
  return {
    code: 'ERR_QIT_ENDPOINT_QUERY',
    title: signed.includes('?')
      ? endpoint.includes('?')
        ? 'Endpoint line signs another query string than the one sent'
        : 'Endpoint line signs a query string the request does not send'
      : 'Endpoint line leaves out the query string sent',
    explanation: rich`Signed for ${signed}, sent to ${endpoint}. npm qitech-wrapper 0.1.8 signs the path without its query; its 0.2.0 source and Elixir qitech_ex sign the path with ?query.`,
    remedy:
      'Sign the endpoint exactly as requested: the path with its query string, in the same order and encoding.',
    signed,
    sent: endpoint,
    confirmed: false,
    explains: 'endpoint',
  };
}

/** Describe why a v1 date line is not RFC 1123 GMT. */
function dateProblem(date: string): string {
  if (/^\d{9,13}$/.test(date)) return 'Unix time, not RFC 1123';
  if (/^\d{4}-\d{2}-\d{2}T/.test(date)) return 'ISO 8601, not RFC 1123';
  if (RFC1123_UNPADDED.test(date))
    return 'missing zero padding (one-digit day or time fields; the Clojure client Captalys/qitech-auth writes these)';
  if (/[+-]\d{4}\b|GMT[+-]\d/.test(date) || !/GMT$/.test(date))
    return 'local time with an offset or zone name, not GMT (Date.prototype.toString() instead of toUTCString())';
  return 'not RFC 1123 GMT';
}

/** Date line: RFC 1123 GMT, and close to now. */
function dateLine(date: string, nowMs: number): Found[] {
  const found: Found[] = [];
  const when = Date.parse(date);
  if (!RFC1123.test(date)) {
    found.push({
      code: 'ERR_QIT_DATE',
      title: 'Date line is not RFC 1123 GMT',
      explanation: [
        'The date line ',
        u(date),
        ` is ${dateProblem(date)}. QIT v1 signs the date as RFC 1123 GMT, e.g. Thu, 23 Nov 2023 22:13:20 GMT (Date.prototype.toUTCString()).`,
      ],
      remedy:
        'Write the date with toUTCString() (JavaScript), formatdate(usegmt=True) (Python) or an RFC 1123 formatter in UTC.',
      signed: date,
      sent: Number.isFinite(when) ? rfc1123Date(when) : undefined,
      confirmed: false,
      explains: 'timestamp-format',
    });
  }
  const skew = clockSkew('date', date, when, nowMs);
  if (skew) found.push(skew);
  return found;
}

/** sub against API-CLIENT-KEY. */
function subLine(sub: unknown, apiKey: string | undefined): Found | null {
  if (apiKey === undefined || sub === apiKey.trim()) return null;
  return {
    code: 'ERR_QIT_SUB_API_KEY',
    title: "The token's sub is not the API-CLIENT-KEY sent",
    explanation: rich`The token's sub is ${String(sub)}, the API-CLIENT-KEY header is ${apiKey}. QIT v1 puts the API key in sub, in the AUTHORIZATION prefix and in API-CLIENT-KEY: all three must be the same.`,
    remedy: 'Use the integration key QI Tech gave you as sub, in "QIT <api_key>:" and in API-CLIENT-KEY.',
    signed: typeof sub === 'string' ? sub : JSON.stringify(sub),
    sent: apiKey,
    confirmed: false,
    explains: 'api-key',
  };
}

/** The line readings, each unless a confirmed mistake already explains its line. */
function lineReadings(ctx: V1Ctx, confirmed: Found[], sentType: string): Found[] {
  const [method, , contentType, , endpoint] = ctx.lines;
  const hasBody = ctx.jws !== undefined || ctx.body.trim() !== '';
  return [
    ...confirmedOr(confirmed, 'md5', () => null),
    ...confirmedOr(confirmed, 'content-type', () =>
      hasBody ? bodyContentType(contentType, sentType) : getContentType(contentType, sentType.trim()),
    ),
    ...confirmedOr(confirmed, 'method', () => methodLine(method, ctx.method)),
    ...confirmedOr(confirmed, 'endpoint', () => endpointLine(endpoint, ctx.endpoint)),
  ];
}

/**
 * The v1 diagnoses: which key signed the token and encoded_body, the mistakes searched over the
 * signed lines (confirmed by WebCrypto), and what the lines say where no listed mistake explains
 * them. `out.raw` receives the JSON the body carries, for the Sign view.
 */
export async function v1Diagnoses(
  req: ParsedRequest,
  input: DoctorInput,
  endpoint: string,
  apiKey: string | undefined,
  out: { raw?: string },
): Promise<Found[]> {
  const qit = splitQit(header(req, 'AUTHORIZATION') ?? '');
  if (!qit) return [];
  const t = await tokenCheck(qit.token, input.keys);
  const claims = claimsOf(t.decoded);
  const tokenKey = t.verdict.key ?? t.derKey;
  const body = await v1Body(req.body, input.keys);
  out.raw = body.raw;
  const found = keyDiagnoses(
    t,
    input.keys,
    'AUTHORIZATION token',
    body.bodyVerified ? body.bodyKey : undefined,
  );
  if (body.jws && tokenKey && body.bodyKey !== tokenKey) found.push(bodyOtherKey(tokenKey, body.bodyKey));
  const lines = typeof claims?.signature === 'string' ? claims.signature.split('\n') : [];
  const token = tokenCtx(t.decoded, claims);
  if (!claims || !token || lines.length !== 5) return found;
  const sentType = header(req, 'Content-Type') ?? '';
  const ctx: V1Ctx = {
    ...token,
    lines: lines as [string, string, string, string, string],
    method: req.method,
    endpoint,
    ...(body.jws !== undefined ? { jws: body.jws } : {}),
    ...(body.raw !== undefined ? { raw: body.raw } : {}),
    body: req.body,
    sentType: body.jws || req.body.trim() ? sentType : sentType.trim(),
  };
  const confirmed = await searchQit({
    mistakes: V1_MISTAKES,
    ctx,
    keys: p521Keys(input.keys),
    signature: searchSignature(t),
    sentText: t.decoded.segments.slice(0, 2).join('.'),
  });
  found.push(...lineReadings(ctx, confirmed, sentType));
  found.push(...dateLine(lines[3]!, input.nowMs));
  const sub = subLine(claims.sub, apiKey);
  if (sub) found.push(sub);
  return found;
}
