/**
 * The mistakes signers of every scheme make, as parametrised families: each is a transformation of
 * the parts sent (or of the algorithm or the signature's reading) that a scheme lists by naming the
 * part it applies to. They are only candidates: the engine reports one when a signature over the
 * transformed bytes verifies. Also the shared checks of a request's own values (timestamps).
 */
import { ALGORITHMS, type AlgId } from '../crypto/algorithms';
import type { SignatureEncoding } from '../crypto/encoding';
import type { ParsedRequest } from '../request/types';
import type { ErrorCode } from '../errors';
import { rich, type Rich } from '../rich';
import { ok, problem, type Finding } from '../trust/finding';
import type { MistakeWords, Parts, SchemeMistake, Variant } from './types';

/** The path and query of a URL as written (no scheme, host or fragment). */
export function pathAndQuery(url: string): { path: string; query: string } {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/#.*$/s, '');
  const q = rest.indexOf('?');
  const path = (q < 0 ? rest : rest.slice(0, q)) || '/';
  return { path, query: q < 0 ? '' : rest.slice(q + 1) };
}

/** One variant that changes one part. */
function change<P extends Parts>(part: keyof P & string, parts: P, signed: string): Variant<P> {
  return { parts: { [part]: signed } as Partial<P>, part, signed, sent: parts[part] ?? '' };
}

/** The method signed in lower case (`get` for `GET`). */
export function methodCase<P extends Parts>(part: keyof P & string): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_METHOD_CASE',
    title: 'Method signed in lower case',
    explanation:
      'The signer put the HTTP method in the signed text in lower case; the server signs it upper case.',
    remedy: 'Sign the method in upper case (GET, POST), exactly as the request line sends it.',
    *variants(parts) {
      const m = parts[part] ?? '';
      if (m !== m.toLowerCase()) yield change(part, parts, m.toLowerCase());
    },
  };
}

/** The query string signed with the path, where the scheme signs the path alone. */
export function querySigned<P extends Parts>(part: keyof P & string): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_QUERY_SIGNED',
    title: 'Query string signed with the path',
    explanation: 'The signer signed the path with its query string; the server signs the path alone.',
    remedy: 'Sign the path without the query string (everything before the ?).',
    *variants(parts, request: ParsedRequest) {
      const { query } = pathAndQuery(request.url);
      if (query) yield change(part, parts, `${parts[part] ?? ''}?${query}`);
    },
  };
}

/** The full URL signed where the scheme signs only the path. */
export function fullUrl<P extends Parts>(part: keyof P & string): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_FULL_URL',
    title: 'Full URL signed instead of the path',
    explanation: 'The signer signed the whole URL (scheme and host too); the server signs only the path.',
    remedy: 'Sign the path only, starting at the first / after the host.',
    *variants(parts, request: ParsedRequest) {
      const url = request.url.replace(/#.*$/s, '');
      const p = parts[part] ?? '';
      const at = url.indexOf(p);
      if (at > 0) yield change(part, parts, url.slice(0, at + p.length));
    },
  };
}

/** The path signed relative to the API's base URL, without its first segments (`/trade-api/v2`). */
export function pathPrefix<P extends Parts>(part: keyof P & string): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_PATH_PREFIX',
    title: 'Path signed without its base path',
    explanation:
      "The signer signed the path relative to the API's base URL, without its first segments; the server signs the whole path.",
    remedy: 'Sign the whole path as sent, from the first / after the host, base path included.',
    *variants(parts) {
      const p = parts[part] ?? '';
      for (let at = p.indexOf('/', 1); at > 0; at = p.indexOf('/', at + 1))
        yield change(part, parts, p.slice(at));
    },
  };
}

/** The timestamp signed in another unit than sent (seconds for milliseconds, or the reverse). */
export function timestampUnit<P extends Parts>(part: keyof P & string): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_TIMESTAMP_UNIT',
    title: 'Timestamp signed in another unit than sent',
    explanation:
      'The signer put the timestamp in the signed text in one unit (seconds or milliseconds) and sent it in the other.',
    remedy:
      'Take the timestamp once, in milliseconds, and use that same string in the header and in the signed text.',
    *variants(parts) {
      const t = parts[part] ?? '';
      if (!/^\d{1,16}$/.test(t)) return;
      if (t.length >= 13) yield change(part, parts, t.slice(0, -3));
      else yield change(part, parts, `${t}000`);
    },
  };
}

/** A JSON body signed in another layout than sent (compact, indented), or not signed at all. */
export function bodyReformatted<P extends Parts>(part: keyof P & string): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_BODY_REFORMATTED',
    title: 'Body signed in another layout than sent',
    explanation:
      'The signer signed the JSON body serialised one way and the client sent it serialised another way (spaces, indentation, key order).',
    remedy: 'Serialise the body once, sign those exact bytes, and send the same bytes.',
    *variants(parts) {
      const body = parts[part] ?? '';
      if (!body.trim()) return;
      const json: unknown = JSON.parse(body);
      const seen = new Set([body]);
      for (const form of [
        JSON.stringify(json),
        JSON.stringify(json, null, 2),
        JSON.stringify(json, null, 4),
        '',
      ])
        if (!seen.has(form)) {
          seen.add(form);
          yield change(part, parts, form);
        }
    },
  };
}

/** Signed with another algorithm of the same key (PKCS#1 v1.5 where the scheme wants PSS, …). */
export function otherAlgorithm<P extends Parts>(want: AlgId, others: readonly AlgId[]): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_RSA_PADDING',
    title: `Signed with another algorithm than ${ALGORITHMS[want].words}`,
    explanation: `The server verifies ${ALGORITHMS[want].words}; the signer used another padding or hash with the same key.`,
    remedy: `Sign with ${ALGORITHMS[want].words}.`,
    *variants() {
      for (const alg of others)
        yield { alg, part: 'algorithm', signed: ALGORITHMS[alg].words, sent: ALGORITHMS[want].words };
    },
  };
}

/** RSA-PSS with another salt length than the digest's (Python's PSS.MAX_LENGTH, …). */
export function pssSalt<P extends Parts>(digestBytes: number): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_PSS_SALT',
    title: 'RSA-PSS salt of another length',
    explanation: `The server verifies RSA-PSS with a salt as long as the digest (${digestBytes} bytes); the signer used another length (often the largest possible, Python's PSS.MAX_LENGTH).`,
    remedy: `Sign with salt length ${digestBytes} (PSS.DIGEST_LENGTH in Python, RSA_PSS_SALTLEN_DIGEST in Node).`,
    *variants() {
      for (const saltLength of [0, 32, 64, 222, 478].filter((n) => n !== digestBytes))
        yield {
          saltLength,
          part: 'signature',
          signed: `salt length ${saltLength}`,
          sent: `salt length ${digestBytes}`,
        };
    },
  };
}

/** The signature written in another encoding than the scheme's. */
export function signatureEncoding<P extends Parts>(want: SignatureEncoding): SchemeMistake<P> {
  return {
    code: 'ERR_SCHEME_SIGNATURE_ENCODING',
    title: `Signature written in another encoding than ${want}`,
    explanation: `The server reads the signature as ${want}; the signer wrote the same bytes in another encoding.`,
    remedy: `Encode the signature bytes as ${want}.`,
    *variants() {
      for (const encoding of (['base64', 'base64url', 'hex'] as const).filter((e) => e !== want))
        yield { encoding, part: 'signature', signed: encoding, sent: want };
    },
  };
}

/**
 * The shared checks of a timestamp the server compares with its clock: a number, in milliseconds,
 * within `windowMs` of now (neither older nor ahead).
 */
export function timestampChecks(
  value: string | undefined,
  nowMs: number,
  windowMs: number,
  label = 'timestamp',
  aheadMs = windowMs,
): Finding[] {
  const refused = (code: ErrorCode, words: Rich) => [problem('timestamp', code, 'error', label, words)];
  if (value === undefined || !/^\d{1,16}$/.test(value.replace(/^[ \t]+|[ \t]+$/g, '')))
    return refused('ERR_SCHEME_TIMESTAMP', rich`The ${label} is missing or not a number: ${value ?? ''}.`);
  const t = Number(value.trim());
  if (t < 1e12)
    return refused(
      'ERR_SCHEME_TIMESTAMP_SECONDS',
      rich`The ${label} ${value} is in seconds; the server wants milliseconds (${String(t * 1000)}).`,
    );
  if (nowMs - t > windowMs)
    return refused(
      'ERR_SCHEME_TIMESTAMP_STALE',
      rich`The ${label} ${value} is ${String(Math.round((nowMs - t) / 1000))} s old; the server refuses one older than ${String(windowMs / 1000)} s. Sign again just before sending.`,
    );
  // The window's end is exclusive: a timestamp exactly `aheadMs` ahead is refused (Bybit's rule).
  if (t - nowMs >= aheadMs)
    return refused(
      'ERR_SCHEME_TIMESTAMP_AHEAD',
      rich`The ${label} ${value} is ${String(Math.round((t - nowMs) / 1000))} s ahead of this clock; the server refuses it. Check the signer's clock.`,
    );
  return [ok('timestamp', label, rich`The ${label} ${value} is within ${String(windowMs / 1000)} s of now.`)];
}

/**
 * The method as sent: methods are case-sensitive (RFC 9110 §9.1), so a request sent as "post" is
 * not the POST that was signed; a server answers it 404 or 405 and never acts on it.
 */
export function methodSent(request: ParsedRequest): Finding[] {
  const m = request.method;
  if (m === m.toUpperCase()) return [];
  return [
    problem(
      'method',
      'ERR_SCHEME_METHOD_SENT',
      'error',
      'method',
      rich`The request is sent with the method ${m}; methods are case-sensitive, so the server does not read it as ${m.toUpperCase()}. Send the method in upper case.`,
    ),
  ];
}

/** A header the server reads as whole milliseconds (a recvWindow): digits only, or a finding. */
export function wholeMilliseconds(value: string, label: string): Finding[] {
  if (/^\d{1,12}$/.test(value)) return [];
  return [
    problem(
      'timestamp',
      'ERR_SCHEME_HEADER_VALUE',
      'error',
      label,
      rich`The ${label} ${value} is not whole milliseconds (digits only); the server refuses it.`,
    ),
  ];
}

/** A finding for each header the scheme needs that the request does not send. */
export function requiredHeaders(request: ParsedRequest, names: readonly string[]): Finding[] {
  const sent = new Set(request.headers.map(([n]) => n.toLowerCase()));
  return names
    .filter((n) => !sent.has(n.toLowerCase()))
    .map((n) =>
      problem(
        'headers',
        'ERR_SCHEME_HEADER_MISSING',
        'error',
        n,
        rich`The request does not send ${n}; the server refuses it without.`,
      ),
    );
}

/**
 * Two mistakes made together, as one reported with `a`'s code: each of `a`'s variants, then `b`'s
 * over the parts as `a` left them. Only where both change something: one that `b` alone makes
 * is `b`'s, tried before.
 */
export function together<P extends Parts>(a: SchemeMistake<P>, b: SchemeMistake<P>): SchemeMistake<P> {
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  return {
    code: a.code,
    title: `${a.title}, and ${lower(b.title)}`,
    explanation: `${a.explanation} And: ${b.explanation}`,
    remedy: `${a.remedy} ${b.remedy}`,
    *variants(parts, request) {
      const alone = new Set([...b.variants(parts, request)].map((v) => JSON.stringify(v.parts ?? {})));
      for (const va of a.variants(parts, request))
        for (const vb of b.variants({ ...parts, ...va.parts } as P, request)) {
          const both = { ...va.parts, ...vb.parts } as Partial<P>;
          if (va.parts && alone.has(JSON.stringify(both))) continue;
          yield {
            ...va,
            ...vb,
            parts: both,
            part: `${va.part} and ${vb.part}`,
            signed: `${va.signed}; ${vb.signed}`,
            sent: `${va.sent}; ${vb.sent}`,
          };
        }
    },
  };
}

/**
 * A scheme's own mistake as data: its words, and the values a mistaken signer put in one part
 * (`signed`, from the parts and the request; null or the value sent are skipped). `title` words one
 * variant more precisely ("… by +7 s").
 */
export function signedAs<P extends Parts>(
  words: MistakeWords,
  part: keyof P & string,
  signed: (parts: P, request: ParsedRequest) => Iterable<string | null>,
  title?: (parts: P, signed: string) => string,
): SchemeMistake<P> {
  return {
    ...words,
    *variants(parts, request) {
      const seen = new Set<string | undefined>([parts[part]]);
      for (const s of signed(parts, request))
        if (s !== null && !seen.has(s)) {
          seen.add(s);
          const named = title ? { mistakes: [{ ...words, title: title(parts, s) }] } : {};
          yield { ...change(part, parts, s), ...named };
        }
    },
  };
}

/**
 * Two mistakes at once, each from another group (a timestamp in milliseconds and the path alone):
 * the diagnosis names both, in the groups' order. Its code is the first group's first mistake's.
 */
export function twoOf<P extends Parts>(groups: readonly (readonly SchemeMistake<P>[])[]): SchemeMistake<P> {
  return {
    ...groups[0]![0]!,
    title: 'Two of these mistakes at once',
    explanation: 'The signer made two of the mistakes above together.',
    *variants(parts, request) {
      for (const [i, group] of groups.entries())
        for (const a of group)
          for (const va of a.variants(parts, request))
            for (const b of groups.slice(i + 1).flat())
              for (const vb of b.variants({ ...parts, ...va.parts }, request))
                yield {
                  ...va,
                  ...vb,
                  parts: { ...va.parts, ...vb.parts } as Partial<P>,
                  part: `${va.part} and ${vb.part}`,
                  signed: `${va.signed} and ${vb.signed}`,
                  sent: `${va.sent} and ${vb.sent}`,
                  mistakes: [...(va.mistakes ?? [a]), ...(vb.mistakes ?? [b])],
                };
    },
  };
}
