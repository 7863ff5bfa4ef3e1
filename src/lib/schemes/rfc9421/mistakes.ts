/**
 * The usual RFC 9421 mistakes, as data: each names one part of the signature base (or of the
 * signature) that a signer commonly gets wrong, and gives the alternatives a signer who made it
 * would have signed. verify tries them only after a signature fails, and a mistake is reported only
 * when WebCrypto confirms that the signature verifies over one of its alternatives.
 */
import { parseItem, serializeInnerList, type Item, type Parameters } from 'structured-headers';
import type { ParsedRequest } from '../../request/types';
import type { MistakeWords, SchemeMistake, Variant } from '../../scheme/types';
import { baseText, type BaseLine, type SignatureBase } from './base';
import {
  fieldLines,
  formEncode,
  rawUrl,
  requestTarget,
  sfSerialise,
  targetUri,
  writtenName,
  type RequestParts,
} from './components';
import { baseLines, PARAMS, rawMember, signatureParams, type HttpSigParts } from './read';

/** What a mistake looks at. */
export interface MistakeContext {
  request: RequestParts;
  /** The base keybench built (what RFC 9421 says the signer had to sign). */
  base: SignatureBase;
  covered: readonly Item[];
  params: Parameters;
  /** The Signature-Input member as sent (its text after `label=`), for serialisation mistakes. */
  rawParams?: string;
}

/** What a mistaken signer signed: the whole base as they laid it out (and how the signature is read). */
type HttpSigAlternative = Variant<HttpSigParts> & { text: string };

/** An RFC 9421 mistake: its words, and its alternatives made lazily over a MistakeContext. */
interface Mistake extends MistakeWords {
  alternatives(ctx: MistakeContext): Iterable<HttpSigAlternative>;
}

/** An alternative whose signed bytes are the base `text` (`how` changes only the signature check). */
function alt(
  part: string,
  signed: string,
  sent: string,
  text: string,
  how: Pick<HttpSigAlternative, 'saltLength' | 'der' | 'alg'> = {},
): HttpSigAlternative {
  return { part, signed, sent, text, ...how };
}

/** The base with line `i` (a component line) replaced by `line`. */
function withLine(base: SignatureBase, i: number, line: Pick<BaseLine, 'id' | 'value'>): string {
  return baseText(
    base.lines.map((l, j) => (j === i ? line : l)),
    base.params,
  );
}

/** Each signature's context, made once for all its mistakes (a base may have thousands of lines). */
const CONTEXTS = new WeakMap<HttpSigParts, MistakeContext>();

/** A mistake's context, from a signature's parts and the request. */
function contextOf(parts: HttpSigParts, request: ParsedRequest): MistakeContext {
  const known = CONTEXTS.get(parts);
  if (known?.request === request) return known;
  const { covered, params } = signatureParams(parts);
  const lines = baseLines(parts)
    .slice(0, -1)
    .map((p) => ({ id: p.label, name: String(parseItem(p.label)[0]), value: p.text }));
  const base = { lines, params: parts[PARAMS] ?? '', text: baseText(lines, parts[PARAMS] ?? '') };
  const raw = parts['label'] === undefined ? undefined : rawMember(request, parts['label']);
  const ctx = { request, base, covered, params, ...(raw !== undefined ? { rawParams: raw } : {}) };
  CONTEXTS.set(parts, ctx);
  return ctx;
}

/** Alternatives that change the value of each line whose component name matches, made one at a time. */
function* valueAlternatives(
  ctx: MistakeContext,
  match: (l: BaseLine) => boolean,
  values: (l: BaseLine) => (string | undefined)[],
): Generator<HttpSigAlternative> {
  for (const [i, l] of ctx.base.lines.entries()) {
    if (!match(l)) continue;
    for (const v of new Set(values(l))) {
      if (v === undefined || v === l.value || /[\r\n]/.test(v)) continue;
      yield alt(l.id, v, l.value, withLine(ctx.base, i, { id: l.id, value: v }));
    }
  }
}

const isField = (l: BaseLine): boolean => !l.name.startsWith('@');
const plainField = (l: BaseLine): boolean => isField(l) && l.id === `"${l.name}"`;

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The parameters with `created`/`expires` scaled (the base's own when neither changes: no alternative). */
function scaledParams(ctx: MistakeContext, f: (n: number) => number): string {
  const p = new Map(ctx.params);
  for (const k of ['created', 'expires']) {
    const v = p.get(k);
    const n = typeof v === 'number' && Number.isInteger(v) ? f(v) : NaN;
    if (Number.isInteger(n) && n < 1e15) p.set(k, n);
  }
  return serializeInnerList([[...ctx.covered], p]);
}

function paramsAlternative(ctx: MistakeContext, params: string | undefined): HttpSigAlternative[] {
  if (params === undefined || params === ctx.base.params) return [];
  return [alt('"@signature-params"', params, ctx.base.params, baseText(ctx.base.lines, params))];
}

/** Every mistake keybench diagnoses, in the order tried. */
const ALTERNATIVES: readonly Mistake[] = [
  {
    code: 'ERR_HTTPSIG_AUTHORITY_PORT',
    title: '@authority signed with the default port',
    explanation:
      '@authority is the host as HTTP normalises it (RFC 9110 §4.2.3): lower case, and without the port when it is the default for the scheme (443 for https, 80 for http). The signer kept the port.',
    remedy: 'Drop the default port from @authority (example.com, not example.com:443) before signing.',
    alternatives: (ctx) => {
      const scheme = rawUrl(ctx.request.url)?.scheme.toLowerCase();
      const port = scheme === 'https' ? '443' : scheme === 'http' ? '80' : undefined;
      return valueAlternatives(
        ctx,
        (l) => l.name === '@authority' || l.name === '@target-uri',
        (l) => {
          if (!port) return [];
          if (l.name === '@authority') return /:\d+$/.test(l.value) ? [] : [`${l.value}:${port}`];
          const r = rawUrl(l.value);
          return r && !/:\d+$/.test(r.authority)
            ? [targetUri({ ...r, authority: `${r.authority}:${port}` })]
            : [];
        },
      );
    },
  },
  {
    code: 'ERR_HTTPSIG_AUTHORITY_CASE',
    title: '@authority signed as written, not normalised',
    explanation:
      '@authority is normalised: the host in lower case (RFC 9110 §4.2.3). The signer signed the Host as written, with capitals.',
    remedy: 'Lower-case the host (and drop a default port) before putting it in @authority.',
    alternatives: (ctx) =>
      valueAlternatives(
        ctx,
        (l) => l.name === '@authority',
        () => [rawUrl(ctx.request.url)?.authority, ...fieldLines(ctx.request, 'host')],
      ),
  },
  {
    code: 'ERR_HTTPSIG_PATH_TARGET',
    title: '@path, @request-target and @target-uri confused',
    explanation:
      '@path is the path alone (/foo), @request-target the path and query (/foo?a=1), @target-uri the full URL (https://example.com/foo?a=1). The signer put one in place of another, or left the query out.',
    remedy: 'Sign each derived component with exactly the part of the URL RFC 9421 §2.2 gives it.',
    alternatives: (ctx) => {
      const r = rawUrl(ctx.request.url);
      if (!r) return [];
      return valueAlternatives(
        ctx,
        (l) => ['@path', '@request-target', '@target-uri'].includes(l.name),
        () => [r.path, requestTarget(r), targetUri(r), targetUri({ ...r, query: undefined })],
      );
    },
  },
  {
    code: 'ERR_HTTPSIG_QUERY_ENCODING',
    title: 'Query signed with another encoding',
    explanation:
      '@query is the query as sent, with its leading "?"; @query-param values are decoded and re-encoded with percent-encoding (a space is %20, never +; RFC 9421 §2.2.8). The signer signed the query decoded, with + for spaces, or without the "?".',
    remedy:
      'Sign @query exactly as sent, starting with "?"; for @query-param, decode the value and percent-encode it again (space as %20).',
    alternatives: (ctx) =>
      valueAlternatives(
        ctx,
        (l) => l.name === '@query' || l.name === '@query-param',
        (l) => {
          const q = l.value.slice(1);
          const d = safeDecode(l.name === '@query' ? q : l.value);
          if (l.name === '@query')
            return [q, d === undefined ? undefined : `?${d}`, `?${q.replace(/%20/g, '+')}`];
          const forms = d === undefined ? [] : [d, formEncode(d).replace(/%20/g, '+'), encodeURIComponent(d)];
          return [...forms, ...rawQueryValues(ctx.request.url, l.id)];
        },
      ),
  },
  {
    code: 'ERR_HTTPSIG_HEADER_CASE',
    title: 'Header name signed in its original case',
    explanation:
      'In the signature base, header names are lower case ("content-type"), whatever case the request writes them in. The signer used the name as written.',
    remedy: 'Lower-case every header name in the component identifiers and the base.',
    *alternatives(ctx) {
      for (const [i, l] of ctx.base.lines.entries()) {
        if (!isField(l)) continue;
        const written = writtenName(ctx.request, l.name);
        if (!written || written === l.name) continue;
        const id = l.id.replace(`"${l.name}"`, `"${written}"`);
        yield alt(l.id, id, l.id, withLine(ctx.base, i, { id, value: l.value }));
      }
    },
  },
  {
    code: 'ERR_HTTPSIG_HEADER_WHITESPACE',
    title: 'Header value signed with other whitespace',
    explanation:
      'A header value is signed without leading or trailing whitespace and with its inner spaces as sent (RFC 9421 §2.1). The signer added, removed or collapsed spaces.',
    remedy: 'Sign the header value exactly as sent, trimmed of leading and trailing spaces and tabs only.',
    alternatives: (ctx) =>
      valueAlternatives(ctx, plainField, (l) => [
        `${l.value} `,
        ` ${l.value}`,
        l.value.replace(/[ \t]{2,}/g, ' '),
        l.value.replace(/,[ \t]+/g, ','),
        l.value.replace(/,(?=[^ ])/g, ', '),
      ]),
  },
  {
    code: 'ERR_HTTPSIG_HEADER_COMBINED',
    title: 'Repeated header signed other than combined',
    explanation:
      'A header sent on several lines is signed as one value: the lines in order, joined with ", " (RFC 9421 §2.1). The signer signed only one line, or joined them another way.',
    remedy: 'Join every line of a repeated header, in order, with a comma and a space.',
    *alternatives(ctx) {
      for (const [i, l] of ctx.base.lines.entries()) {
        if (!plainField(l)) continue;
        const lines = fieldLines(ctx.request, l.name);
        if (lines.length < 2) continue;
        for (const v of [lines[0]!, lines[lines.length - 1]!, lines.join(','), lines.join(' ')])
          if (v !== l.value) yield alt(l.id, v, l.value, withLine(ctx.base, i, { id: l.id, value: v }));
        const split = ctx.base.lines.slice();
        split.splice(i, 1, ...lines.map((value) => ({ ...l, value })));
        yield alt(l.id, lines.join(' | '), l.value, baseText(split, ctx.base.params));
      }
    },
  },
  {
    code: 'ERR_HTTPSIG_SF_SERIALISATION',
    title: 'Structured field signed as written, not re-serialised',
    explanation:
      'A component with ;sf or ;key, and the @signature-params line, are signed in their canonical structured-field serialisation (RFC 8941 §4.1), not as the text happens to be written. The signer signed the text as written (or re-serialised a field that was not covered with ;sf).',
    remedy:
      'Parse and re-serialise structured fields with a structured-field library, and sign @signature-params exactly as serialised in Signature-Input.',
    *alternatives(ctx) {
      // The parameters line first: one alternative, where a long list of fields would use the share.
      yield* paramsAlternative(ctx, ctx.rawParams);
      yield* valueAlternatives(
        ctx,
        (l) => isField(l),
        (l) => {
          const raw = fieldLines(ctx.request, l.name).join(', ');
          if (!plainField(l)) return [raw];
          try {
            return [sfSerialise(l.name, raw)];
          } catch {
            return [];
          }
        },
      );
    },
  },
  {
    code: 'ERR_HTTPSIG_CREATED_MS',
    title: 'created or expires in milliseconds',
    explanation:
      'created and expires are UNIX times in whole seconds (RFC 9421 §2.3). The signer used milliseconds (JavaScript Date.now()) in one place and seconds in another.',
    remedy:
      'Use Math.floor(Date.now() / 1000) for created and expires, in the base and in Signature-Input alike.',
    alternatives: (ctx) =>
      [(n: number) => n * 1000, (n: number) => n / 1000].flatMap((f) =>
        paramsAlternative(ctx, scaledParams(ctx, f)),
      ),
  },
  {
    code: 'ERR_HTTPSIG_BASE_FORMAT',
    title: 'Signature base laid out differently',
    explanation:
      'The base is one line per component, `"name": value`, joined with a single LF, with no newline after the last line, and it always ends with the "@signature-params" line (RFC 9421 §2.5). The signer used CRLF, added a final newline, dropped the space after the colon or left out the last line.',
    remedy:
      "Build the base exactly as RFC 9421 §2.5 lays it out; compare it with keybench's base line by line.",
    alternatives: (ctx) => {
      const t = ctx.base.text;
      const sent = 'the base as RFC 9421 §2.5 lays it out';
      const noSpace = [
        ...ctx.base.lines.map((l) => `${l.id}:${l.value}`),
        `"@signature-params":${ctx.base.params}`,
      ];
      return (
        [
          ['line endings', 'CRLF between lines', t.replace(/\n/g, '\r\n')],
          ['final newline', 'a newline after the last line', `${t}\n`],
          ['separator', '"name":value (no space)', noSpace.join('\n')],
          [
            '"@signature-params"',
            'no @signature-params line',
            ctx.base.lines.map((l) => `${l.id}: ${l.value}`).join('\n'),
          ],
        ] as const
      )
        .filter(([, , text]) => text !== t && text !== '')
        .map(([part, signed, text]) => alt(part, signed, sent, text));
    },
  },
  {
    code: 'ERR_HTTPSIG_PSS_SALT',
    title: 'RSA-PSS salt length is not 64 bytes',
    explanation:
      'rsa-pss-sha512 uses a salt of exactly 64 bytes (RFC 9421 §3.3.1). The signer used another salt length (OpenSSL and Node.js default to the largest possible). Verifiers that detect the salt length accept it; strict ones (WebCrypto, Go, Java) do not.',
    remedy:
      'Sign with saltLength 64 (Node.js: saltLength: 64 in crypto.sign options; OpenSSL: -pkeyopt rsa_pss_saltlen:64).',
    // The largest salt depends on the key's size: 2048, 3072 and 4096 bits (RFC 8017 §9.1.1).
    alternatives: (ctx) =>
      [0, 32, 190, 318, 446].map((saltLength) =>
        alt(
          'signature',
          `salt length ${saltLength > 64 ? 'the largest possible' : saltLength}`,
          'salt length 64',
          ctx.base.text,
          { saltLength, alg: 'PS512' },
        ),
      ),
  },
  {
    code: 'ERR_HTTPSIG_ECDSA_DER',
    title: 'ECDSA signature DER-encoded',
    explanation:
      'An ECDSA signature in RFC 9421 is r and s side by side, each the size of the curve (64 bytes for P-256, 96 for P-384; §3.3.4–3.3.5). The signer sent the DER (ASN.1) encoding that OpenSSL and Java produce by default.',
    remedy: 'Convert the DER signature to raw r‖s (Node.js: dsaEncoding: "ieee-p1363").',
    alternatives: (ctx) => [
      alt('signature', 'DER-encoded ECDSA signature', 'raw r‖s', ctx.base.text, { der: true }),
    ],
  },
];

/** RFC 9421's mistakes as the engine tries them: each alternative over the signature's parts. */
export const MISTAKES: readonly SchemeMistake<HttpSigParts>[] = ALTERNATIVES.map(
  ({ alternatives, ...words }) => ({
    ...words,
    variants: (parts, request) => alternatives(contextOf(parts, request)),
  }),
);

/** The raw (as sent) values of the query parameter a `@query-param` identifier names. */
function rawQueryValues(url: string, id: string): string[] {
  const q = rawUrl(url)?.query;
  const m = /;name="((?:[^"\\]|\\.)*)"/.exec(id);
  if (q === undefined || !m) return [];
  const name = m[1]!.replace(/\\(.)/g, '$1');
  return q
    .split('&')
    .map((pair) => pair.split('='))
    .filter(([k]) => k !== undefined && safeDecode(k) !== undefined && formEncode(safeDecode(k)!) === name)
    .map(([, ...v]) => v.join('='));
}
