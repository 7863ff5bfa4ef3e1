/**
 * The usual v2 / QI DTVM mistakes, as data: each fills one claim in from a transformed request (the
 * md5 of another serialisation of the body, the uri without its query or with the host, the method
 * in lower case). The search (qitech/search.ts, engine/search.ts) reports one only when WebCrypto
 * verifies the token's signature over the claims the mistaken signer signed.
 */
import { serialiseBody, MAX_SERIALISED_BYTES } from '../../partners/body-bytes';
import { md5Hex } from '../qitech/shared';
import { withClaim, type QitAlternative, type QitMistake, type TokenCtx } from '../qitech/search';
import type { V2Variant } from './sign';

/** What a v2 mistake reads: the token as signed and the request as sent. */
export interface V2Ctx extends TokenCtx {
  variant: V2Variant;
  /** The method, body, URL and endpoint (path and query) as sent. */
  method: string;
  body: string;
  url: string;
  endpoint: string;
  /** Whether the method sends a body that payload_md5 covers. */
  hasBody: boolean;
  /** The other serialisations of the body (built once, on first use). */
  forms?: { id: string; bytes: string }[];
}

/** The serialisations servers hash, likeliest first, and what each is. */
export const SERIALISATION_NAMES: Readonly<Record<string, string>> = {
  compact: 'compact JSON (JSON.stringify)',
  python: 'Python json.dumps defaults (", " and ": " separators)',
  pretty2: 'pretty-printed JSON, 2-space indent',
  pretty4: 'pretty-printed JSON, 4-space indent (json.dumps(indent=4))',
  trimmed: 'the body without its trailing whitespace',
  newline: 'the body with a trailing newline',
};

/**
 * Other serialisations of a JSON body that servers hash, likeliest first, without repeats. Lazy:
 * each is built only when the one before did not match, and none past `MAX_SERIALISED_BYTES`.
 */
export function* bodyCandidates(
  body: string,
  budget = MAX_SERIALISED_BYTES,
): Generator<{ id: string; bytes: string }> {
  const seen = new Set<string>([body]);
  let left = budget;
  const one = function* (id: string, make: () => string) {
    if (left <= 0) return;
    let bytes: string;
    try {
      bytes = make();
    } catch {
      return; // a body nested too deeply for a serialiser just has fewer forms
    }
    left -= bytes.length;
    if (left < 0 || seen.has(bytes)) return;
    seen.add(bytes);
    yield { id, bytes };
  };
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(body);
  } catch {
    isJson = false;
  }
  if (isJson) {
    yield* one('compact', () => serialiseBody(body, 'compact'));
    yield* one('python', () => serialiseBody(body, 'python'));
    yield* one('pretty2', () => JSON.stringify(parsed, null, 2));
    yield* one('pretty4', () => JSON.stringify(parsed, null, 4));
  }
  // trimEnd, not /\s+$/: that regular expression is quadratic on a long run of inner whitespace.
  yield* one('trimmed', () => body.trimEnd());
  yield* one('newline', () => `${body}\n`);
}

/** The body's serialisation `id`, when the token's payload_md5 is not md5 of the body sent. */
function formOf(ctx: V2Ctx, id: string): string | undefined {
  const signed = ctx.claims.payload_md5;
  if (!ctx.hasBody || typeof signed !== 'string' || signed === md5Hex(ctx.body)) return undefined;
  ctx.forms ??= [...bodyCandidates(ctx.body)];
  return ctx.forms.find((f) => f.id === id)?.bytes;
}

/** One alternative value of a claim, shown as the part that differs. */
function claimAlt(
  ctx: V2Ctx,
  part: string,
  value: string,
  sent: string,
  shown = { signed: value, sent },
  title?: string,
): QitAlternative {
  return {
    part,
    signed: value,
    sent,
    bytes: withClaim(ctx, part, value),
    shown,
    ...(title ? { title } : {}),
  };
}

const SERIALISATION_REMEDY =
  'Serialise the body once, hash exactly those bytes, and send exactly those bytes (no re-serialisation by the HTTP client).';

/** payload_md5 over serialisation `id` of the body instead of the bytes sent (one mistake per form). */
const serialisations: QitMistake<V2Ctx>[] = Object.entries(SERIALISATION_NAMES).map(([id, name]) => ({
  id: `body-${id}`,
  code: 'ERR_QIT_V2_SERIALISATION',
  title: 'payload_md5 hashes another serialisation of the body than the bytes sent',
  explanation: `payload_md5 is md5 of ${name}, but the body sent is other bytes. The server hashes the bytes it receives, so the md5 check fails.`,
  remedy: SERIALISATION_REMEDY,
  explains: 'md5',
  alternatives(ctx) {
    const form = formOf(ctx, id);
    if (form === undefined) return [];
    return [claimAlt(ctx, 'payload_md5', md5Hex(form), md5Hex(ctx.body), { signed: form, sent: ctx.body })];
  },
}));

/** The mistakes v2 and QI DTVM search, in the order they are reported. */
export const V2_MISTAKES: readonly QitMistake<V2Ctx>[] = [
  ...serialisations,
  {
    id: 'empty-payload',
    code: 'ERR_QIT_V2_EMPTY_PAYLOAD',
    title: 'payload_md5 is md5(""), the complete sample hashes "{}" without a body',
    explanation:
      'The request sends no body, and payload_md5 is md5("") = d41d8cd98f00b204e9800998ecf8427e. QI Tech\'s complete v2 sample sets the empty payload to {} and hashes md5("{}") = 99914b932bd37a50b983c5e7c90ae93b.',
    remedy:
      'For GET and DELETE, set payload_md5 to md5("{}"), unless your QI Tech environment has told you it expects md5("").',
    explains: 'md5',
    alternatives: (ctx) =>
      ctx.hasBody || ctx.variant.id !== 'v2'
        ? []
        : [claimAlt(ctx, 'payload_md5', md5Hex(''), md5Hex('{}'), { signed: '', sent: '{}' })],
  },
  {
    id: 'uri-without-query',
    code: 'ERR_QIT_URI',
    title: 'uri claim leaves out the query string sent',
    explanation:
      'The uri claim is the endpoint path without the query string the request sends. The uri claim is the endpoint path (with its query string when there is one), without scheme or host.',
    remedy: 'Sign uri as the path (and query) of the URL you send to, e.g. /test, exactly as sent.',
    explains: 'uri',
    alternatives: (ctx) =>
      ctx.endpoint.includes('?') ? [claimAlt(ctx, 'uri', ctx.endpoint.split('?')[0]!, ctx.endpoint)] : [],
  },
  {
    id: 'uri-with-host',
    code: 'ERR_QIT_URI',
    title: 'uri claim carries the scheme and host',
    explanation:
      'The uri claim is the whole URL. The uri claim is the endpoint path (with its query string when there is one), without scheme or host.',
    remedy: 'Sign uri as the path (and query) of the URL you send to, e.g. /test, exactly as sent.',
    explains: 'uri',
    alternatives(ctx) {
      const urls = new Set<string>([ctx.url.split('#')[0]!]);
      try {
        urls.add(`${new URL(ctx.url).origin}${ctx.endpoint}`);
      } catch {
        // not an absolute URL: only the URL as written
      }
      return [...urls].map((u) => claimAlt(ctx, 'uri', u, ctx.endpoint));
    },
  },
  {
    id: 'method-case',
    code: 'ERR_QIT_METHOD_CASE',
    title: 'method claim differs from the request method in case',
    explanation:
      'The method claim is the request method in another case. The claim must be the method sent, in upper case (e.g. POST).',
    remedy: 'Sign the method in upper case, and send the request with that same method.',
    explains: 'method',
    alternatives: (ctx) =>
      [...new Set([ctx.method.toLowerCase(), ctx.method.toUpperCase()])]
        .filter((m) => m !== ctx.method)
        .map((m) => claimAlt(ctx, 'method', m, ctx.method)),
  },
];
