/**
 * The usual QIT v1 mistakes, as data: each fills one line of the token's five-line `signature`
 * claim (method, md5, content type, date, endpoint) in from a transformed request. The search
 * (qitech/search.ts, engine/search.ts) reports one only when WebCrypto verifies the token's
 * signature over the claims the mistaken signer signed.
 */
import { serialisationsOf } from '../../partners/body-bytes';
import { md5Hex } from '../qitech/shared';
import { withClaim, type QitAlternative, type QitMistake, type TokenCtx } from '../qitech/search';

/** What a v1 mistake reads: the token as signed and the request as sent. */
export interface V1Ctx extends TokenCtx {
  /** The five lines of the signed `signature` claim. */
  lines: readonly [string, string, string, string, string];
  method: string;
  endpoint: string;
  /** The encoded_body JWS sent, if any, and the JSON it carries (or the body sent unwrapped). */
  jws?: string;
  raw?: string;
  body: string;
  /** The Content-Type header as sent ("" for none). */
  sentType: string;
}

/** The line names, in the order QIT v1 signs them. */
const LINE = { method: 0, md5: 1, contentType: 2, date: 3, endpoint: 4 } as const;

/** One alternative value of line `i` of the signature claim. */
function lineAlt(
  ctx: V1Ctx,
  i: number,
  value: string,
  sent: string,
  shown = { signed: value, sent },
): QitAlternative {
  const lines = ctx.lines.slice();
  lines[i] = value;
  const part = Object.keys(LINE)[i] ?? 'signature';
  return {
    part: `${part} line`,
    signed: value,
    sent,
    bytes: withClaim(ctx, 'signature', lines.join('\n')),
    shown,
  };
}

/** md5 of the raw JSON (and its usual serialisations) instead of the encoded_body JWS. */
function rawJsonAlts(ctx: V1Ctx): QitAlternative[] {
  const want = ctx.jws ? md5Hex(ctx.jws) : '';
  if (ctx.lines[LINE.md5] === want || ctx.raw === undefined) return [];
  const raw = ctx.raw;
  const forms = [...new Set([raw, ...serialisationsOf(raw).map((s) => s.bytes)])];
  return forms.map((c) => lineAlt(ctx, LINE.md5, md5Hex(c), want, { signed: c, sent: ctx.jws ?? ctx.body }));
}

/** The mistakes QIT v1 searches, in the order they are reported. */
export const V1_MISTAKES: readonly QitMistake<V1Ctx>[] = [
  {
    id: 'md5-raw-json',
    code: 'ERR_QIT_MD5_RAW_JSON',
    title: 'md5 line hashes the raw JSON, not the encoded_body JWS',
    explanation:
      'The md5 line is md5 of the JSON inside encoded_body. QIT v1 hashes the encoded_body JWS string itself.',
    remedy:
      'Compute md5 over the encoded_body JWS string (header.payload.signature), not over the JSON it carries.',
    explains: 'md5',
    alternatives: (ctx) => (ctx.jws ? rawJsonAlts(ctx) : []),
  },
  {
    id: 'md5-unwrapped',
    code: 'ERR_QIT_MD5_RAW_JSON',
    title: 'md5 line hashes the raw JSON, not the encoded_body JWS',
    explanation:
      'The md5 line is md5 of the JSON body, which is sent as it is. QIT v1 wraps the body as {"encoded_body": "<ES512 JWS of the JSON>"} and hashes that JWS string.',
    remedy:
      'Sign the JSON as an ES512 JWS, send {"encoded_body": "<jws>"}, and put md5(<jws>) on the md5 line.',
    explains: 'md5',
    alternatives: (ctx) => (ctx.jws ? [] : rawJsonAlts(ctx)),
  },
  {
    id: 'get-content-type',
    code: 'ERR_QIT_GET_CONTENT_TYPE',
    title: 'Content type line for a request without a body differs from the Content-Type sent',
    explanation:
      'The clients disagree on the content type line without a body: "" (npm qitech-wrapper 0.1.8 and 0.2.0, Clojure Captalys/qitech-auth) or application/json (Elixir qitech_ex). A server that rebuilds the string to sign from the request it receives gets another line than the one signed.',
    remedy:
      'Sign the content type the request actually sends: "" when no Content-Type header is sent (the default of most clients), application/json when it is.',
    explains: 'content-type',
    alternatives: (ctx) =>
      ctx.jws || ctx.body.trim()
        ? []
        : ['', 'application/json']
            .filter((t) => t !== ctx.sentType)
            .map((t) => lineAlt(ctx, LINE.contentType, t, ctx.sentType)),
  },
  {
    id: 'method-case',
    code: 'ERR_QIT_METHOD_CASE',
    title: 'Method line differs from the request method in case',
    explanation:
      'The method line is the request method in another case. HTTP methods are case-sensitive: a server sees another method than the one signed.',
    remedy: 'Send the request with the method in upper case (e.g. POST), and sign that same method.',
    explains: 'method',
    alternatives: (ctx) =>
      [...new Set([ctx.method.toLowerCase(), ctx.method.toUpperCase()])]
        .filter((m) => m !== ctx.method)
        .map((m) => lineAlt(ctx, LINE.method, m, ctx.method)),
  },
  {
    id: 'endpoint-without-query',
    code: 'ERR_QIT_ENDPOINT_QUERY',
    title: 'Endpoint line leaves out the query string sent',
    explanation:
      'The endpoint line is the path without the query string sent. npm qitech-wrapper 0.1.8 signs the path without its query; its 0.2.0 source and Elixir qitech_ex sign the path with ?query.',
    remedy:
      'Sign the endpoint exactly as requested: the path with its query string, in the same order and encoding.',
    explains: 'endpoint',
    alternatives: (ctx) =>
      ctx.endpoint.includes('?')
        ? [lineAlt(ctx, LINE.endpoint, ctx.endpoint.split('?')[0]!, ctx.endpoint)]
        : [],
  },
];
