/**
 * QI Tech "QIT" (v1): AUTHORIZATION = `QIT <api key>:<token>`, the token an ES512 JWS of
 * {"sub": api key, "signature": method, md5, content type, date, endpoint (one per line)}; a body is
 * sent as {"encoded_body": <ES512 JWS of the JSON>} and the md5 line hashes that JWS string. Where
 * the clients disagree (PARTNERS.md's table) the form offers both and the doctor names the other.
 */
import { importVerifier, verifySignature } from '../../crypto/signature';
import { base64urlToBytes } from '../../encoding/base64url';
import { duplicateMembers, own } from '../../json';
import type { VerificationKey } from '../../jwt/verify';
import { serialisationsOf } from '../../partners/body-bytes';
import { header, type ParsedRequest } from '../../request/types';
import { ours, rich } from '../../rich';
import { field, text } from '../../scheme/fields';
import { signedAs } from '../../scheme/mistakes';
import { defineScheme, type SchemeMistake } from '../../scheme/types';
import { ok, problem, type Finding } from '../../trust/finding';
import * as qit from './token';
import type { TokenParts } from './token';

type V1Parts = TokenParts & {
  sub: string;
  method: string;
  md5: string;
  contentType: string;
  date: string;
  endpoint: string;
  /** The encoded_body JWS sent ("" for none): not in the base, its md5 is. */
  bodyJws: string;
};

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const QIT = /^QIT[ \t]+([^:\s]+):([\s\S]*)$/i;
const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** The content type line of a request without a body, and the endpoint line (the clients disagree). */
const GET_CONTENT_TYPE_LABEL = 'Content type line for requests without a body (the clients disagree)';
const GET_CONTENT_TYPES = [
  'empty (qitech-wrapper, Clojure client; default)',
  'application/json (Elixir client)',
] as const;
const ENDPOINT_LINES = [
  'with its query string (qitech-wrapper 0.1.9 and later, Elixir client; default)',
  'path only (qitech-wrapper 0.1.8, Clojure client)',
] as const;

/** The five signed lines, in order. */
const lines = (p: V1Parts) => [p.method, p.md5, p.contentType, p.date, p.endpoint].join('\n');
/** Line `i` of the token's signature claim. */
const lineOf = (i: number) => (c: Record<string, unknown>) => qit.claim(c, 'signature').split('\n')[i];
/** Line `i` of the signature claim of the token sent (null: none). */
const signedLine = (p: V1Parts, i: number) => lineOf(i)(qit.claimsOf(p)) ?? null;

/** The encoded_body string of a body, if it has one. */
function encodedBody(body: string): string | undefined {
  try {
    const v = own(JSON.parse(body), 'encoded_body');
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON the body carries: inside encoded_body, or the body itself. */
const rawJson = (p: V1Parts, req: ParsedRequest) =>
  p.bodyJws ? qit.readJws(p.bodyJws)?.text : req.body.trim() ? req.body : undefined;

/**
 * What the server cannot decode as sent: header values are bytes, so quotes, a prefix or spaces
 * around the token, an encoded_body sent twice (parsers keep the first or the last) or not a bare
 * JWS are refused, not cleaned away.
 */
function refuse(req: ParsedRequest) {
  const auth = header(req, 'authorization') ?? '';
  if (!COMPACT_JWS.test(QIT.exec(auth)?.[2] ?? ''))
    return {
      code: 'ERR_QIT_AUTH_HEADER' as const,
      parts: rich`AUTHORIZATION is ${auth}. QI Tech reads it as "QIT <api_key>:<token>" with the token a bare JWS: the server cannot decode anything around it (GDF000014). Send the token alone after "QIT <api_key>:".`,
    };
  if (duplicateMembers(req.body).includes('encoded_body'))
    return {
      code: 'ERR_REQUEST_DUPLICATE_MEMBER' as const,
      parts: [
        'The body sends encoded_body more than once: JSON parsers disagree on which one counts. Send it once.',
      ],
    };
  const e = encodedBody(req.body);
  if (e !== undefined && !COMPACT_JWS.test(e))
    return {
      code: 'ERR_QIT_AUTH_HEADER' as const,
      parts: rich`encoded_body is ${e.slice(0, 80)}${ours(e.length > 80 ? '…' : '')}, not a bare JWS: the server cannot decode it. Send the JWS alone as the value of encoded_body.`,
    };
  return null;
}

/** The checks of a v1 request alone: API keys, Content-Type, the date line, unsigned members. */
function checks(p: V1Parts, req: ParsedRequest, nowMs: number): Finding[] {
  const sent = header(req, 'API-CLIENT-KEY')?.trim();
  const prefix = QIT.exec(header(req, 'authorization') ?? '')?.[1] ?? '';
  const out: Finding[] = [qit.apiKeyHeader(req)];
  const found = (...f: Parameters<typeof problem>) => out.push(problem(...f));
  if (sent && sent !== p.sub)
    found(
      'api-key',
      'ERR_QIT_SUB_API_KEY',
      'error',
      'API key',
      rich`The token's sub is ${p.sub}, API-CLIENT-KEY is ${sent}: use the same integration key in both.`,
    );
  else if (prefix !== p.sub)
    found(
      'api-key',
      'ERR_QIT_API_KEY',
      'error',
      'API key',
      rich`The header names ${prefix}, the token's sub is ${p.sub}.`,
    );
  const media = (header(req, 'Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (req.body.trim() && media !== 'application/json')
    found(
      'content-type',
      'ERR_QIT_CONTENT_TYPE',
      'error',
      'Content-Type',
      rich`The body is sent with Content-Type ${media || '(none)'}; QIT v1 signs application/json. (curl -d without -H sends application/x-www-form-urlencoded.)`,
    );
  out.push(
    RFC1123.test(p.date)
      ? ok('date', 'Date line', rich`${p.date}: RFC 1123 GMT.`)
      : problem(
          'date',
          'ERR_QIT_DATE',
          'error',
          'Date line',
          rich`The date line ${p.date} is not RFC 1123 GMT like Thu, 23 Nov 2023 22:13:20 GMT (toUTCString() in JavaScript, formatdate(usegmt=True) in Python).`,
        ),
  );
  // A body with encoded_body is a JSON object: its other members are sent unsigned.
  const members = p.bodyJws ? Object.keys(JSON.parse(req.body) as object) : [];
  const extra = members.filter((k) => k !== 'encoded_body');
  if (extra.length)
    found(
      'body:uncovered',
      'ERR_REQUEST_UNSIGNED_MEMBER',
      'warning',
      'Body members',
      rich`The body also sends ${extra.slice(0, 10).join(', ')} beside encoded_body: no signature covers them. The server should read only encoded_body.`,
    );
  return [...out, ...qit.clockSkew('date', p.date, Date.parse(p.date), nowMs)];
}

/** encoded_body's own signature: the same key as the token's. */
async function alsoSigned(
  p: V1Parts,
  input: { keys: readonly VerificationKey[] },
  signedBy?: VerificationKey,
): Promise<Finding[]> {
  const t = p.bodyJws ? qit.readJws(p.bodyJws) : undefined;
  if (!t) return [];
  const bytes = new TextEncoder().encode(`${t.head}.${t.payload}`);
  let by: VerificationKey | undefined;
  for (const key of input.keys) {
    const k = await importVerifier(key, 'ES512');
    if (k && (await verifySignature('ES512', k, base64urlToBytes(t.signature), bytes))) {
      by = key;
      break;
    }
  }
  if (by && (!signedBy || by === signedBy))
    return [ok('body-signature', 'encoded_body signature', rich`Signed by ${by.label}.`)];
  if (!signedBy) return [];
  return [
    problem(
      'body-signature',
      'ERR_QIT_BODY_OTHER_KEY',
      'error',
      'encoded_body signature',
      by
        ? rich`The token verifies with ${signedBy.label}, but encoded_body with ${by.label}: sign both with the key QI Tech has.`
        : rich`The token verifies with ${signedBy.label}, but encoded_body with none of the trusted keys: it was signed with another key, or changed.`,
    ),
  ];
}

const mistakes: SchemeMistake<V1Parts>[] = [
  qit.derSignature(),
  {
    code: 'ERR_QIT_MD5_RAW_JSON',
    title: 'The md5 line hashes the raw JSON, not the encoded_body JWS',
    explanation:
      'The md5 line is md5 of the JSON itself. QIT v1 sends the JSON as {"encoded_body": "<ES512 JWS of the JSON>"} and hashes that JWS string.',
    remedy:
      'Sign the JSON as an ES512 JWS, send {"encoded_body": "<jws>"}, and put md5(<jws>) on the md5 line.',
    *variants(p, req) {
      const raw = rawJson(p, req);
      if (raw === undefined) return;
      for (const c of new Set([raw, ...serialisationsOf(raw).map((s) => s.bytes)]))
        yield { parts: { md5: qit.md5Hex(c) }, part: 'md5 line', signed: c, sent: p.bodyJws || req.body };
    },
  },
  signedAs<V1Parts>(
    {
      code: 'ERR_QIT_GET_CONTENT_TYPE',
      title: 'The content type line of a request without a body differs from the Content-Type sent',
      explanation:
        'The clients disagree here: "" (npm qitech-wrapper, Clojure Captalys/qitech-auth) or application/json (Elixir qitech_ex). A server that rebuilds the string to sign from the request gets another line than the one signed.',
      remedy:
        'Sign the Content-Type the request sends: "" when it sends none, application/json when it does.',
    },
    'contentType',
    (_p, req) => (req.body.trim() ? [] : ['', 'application/json']),
  ),
  signedAs<V1Parts>(
    {
      code: 'ERR_QIT_ENDPOINT_QUERY',
      title: 'The endpoint line signs another query string than the one sent',
      explanation:
        'The endpoint line is the path sent with another query string, or without it. npm qitech-wrapper 0.1.8 signs the path without its query; 0.2.0 and Elixir qitech_ex sign it with ?query.',
      remedy:
        'Sign the endpoint exactly as requested: the path with its query string, in the same order and encoding.',
    },
    'endpoint',
    (p) => {
      const path = p.endpoint.split('?')[0]!;
      const signed = signedLine(p, 4);
      return [path, signed?.split('?')[0] === path ? signed : null];
    },
  ),
  qit.methodClaim<V1Parts>(lineOf(0)),
  {
    ...signedAs<V1Parts>(
      {
        code: 'ERR_QIT_MD5',
        title: 'The md5 line is not md5 of the encoded_body sent',
        explanation:
          'The token verifies over its own md5 line, and neither the encoded_body sent nor the JSON it carries gives it: the body changed, or was sent without its {"encoded_body": …} wrapper.',
        remedy: 'Send {"encoded_body": "<jws>"} with the same JWS whose md5 you signed.',
      },
      'md5',
      (p) => [signedLine(p, 1)],
    ),
    readsSigned: true,
  },
];

export default defineScheme<V1Parts>({
  id: 'qit-v1',
  name: 'QIT (v1): AUTHORIZATION "QIT <api key>:<token>", body in encoded_body',
  ...qit.ES512_SCHEME,
  recognisedBy: 'AUTHORIZATION: QIT <api key>:<token>',
  source:
    'QI Tech docs, "Teste de autenticação"; npm qitech-wrapper src/request.js; Captalys/qitech-auth core.clj',
  recognise: (req) => (/^QIT\s/i.test(header(req, 'authorization')?.trim() ?? '') ? 2 : 0),
  signedHeaders: ['authorization', 'api-client-key', 'content-type'],
  refuse,
  read(req) {
    const auth = header(req, 'authorization');
    if (auth === undefined) return qit.NO_AUTHORIZATION;
    const t = qit.readJws(QIT.exec(auth)?.[2] ?? '');
    const signed = t ? qit.claim(t.claims, 'signature').split('\n') : [];
    if (!t || signed.length !== 5 || typeof t.claims['sub'] !== 'string')
      return {
        code: 'ERR_QIT_CLAIMS',
        words: [
          'The token needs {"sub": api_key, "signature": five lines (method, md5, content type, date, endpoint)}.',
        ],
      };
    const refused = qit.headerProblem(t.head);
    if (refused) return { code: 'ERR_QIT_AUTH_HEADER', words: [refused] };
    const bodyJws = encodedBody(req.body) ?? '';
    return {
      signature: t.signature,
      parts: {
        head: t.head,
        payload: t.payload,
        text: t.text,
        sub: qit.claim(t.claims, 'sub'),
        method: req.method,
        md5: bodyJws ? qit.md5Hex(bodyJws) : '',
        contentType: req.body.trim() ? 'application/json' : (header(req, 'Content-Type') ?? '').trim(),
        date: signed[3]!,
        endpoint: qit.endpointOfUrl(req.url),
        bodyJws,
      },
    };
  },
  base: (p) => qit.signingInput(p, { sub: p.sub, signature: lines(p) }),
  baseWords:
    'the token claims sub and signature (method, md5, content type, date, endpoint) as the request says them',
  checks,
  alsoSigned,
  mistakes,
  signer: {
    fields: [
      ...qit.LEAD,
      qit.bodyField('The JSON body: keybench sends it as encoded_body, a JWS.', (v) => v['method'] !== 'GET'),
      field(
        'getContentType',
        GET_CONTENT_TYPE_LABEL,
        'choice',
        'The third line of the string to sign for a GET.',
        {
          default: GET_CONTENT_TYPES[0],
          options: GET_CONTENT_TYPES,
          when: (v) => v['method'] === 'GET',
        },
      ),
      field('endpointLine', 'Endpoint line', 'choice', 'The last line of the string to sign.', {
        default: ENDPOINT_LINES[0],
        options: ENDPOINT_LINES,
      }),
      field('date', 'Date', 'text', 'RFC 1123, GMT, e.g. Mon, 26 Jun 2023 19:48:32 GMT.', {
        default: (now) => new Date(now).toUTCString(),
      }),
      qit.API_KEY,
    ],
    async parts(values, nowMs, sign) {
      const method = text(values['method']) || 'POST';
      const endpoint = qit.endpointOf(values);
      const body = method === 'GET' ? '' : text(values['body']);
      let bodyJws = '';
      if (body.trim()) {
        const t = qit.textToken(qit.jsonInput(() => JSON.stringify(JSON.parse(body))));
        bodyJws = `${t}.${await sign!(new TextEncoder().encode(t))}`;
      }
      const apiKey = text(values['apiKey']).trim();
      const p = {
        sub: apiKey,
        method,
        md5: bodyJws ? qit.md5Hex(bodyJws) : '',
        contentType: bodyJws || values['getContentType'] === GET_CONTENT_TYPES[1] ? 'application/json' : '',
        date: text(values['date']).trim() || new Date(nowMs).toUTCString(),
        endpoint: values['endpointLine'] === ENDPOINT_LINES[1] ? endpoint.split('?')[0]! : endpoint,
        bodyJws,
      };
      return { ...qit.tokenOf({ sub: apiKey, signature: lines(p as V1Parts) }), ...p };
    },
    request(p, signature, values) {
      const auth = `QIT ${text(values['apiKey']).trim()}:${p.head}.${p.payload}.${signature}`;
      const body = p.bodyJws ? JSON.stringify({ encoded_body: p.bodyJws }) : '';
      return qit.requestOf(p.method, values, auth, p.contentType, body);
    },
    values: (p, req) => ({
      ...qit.valuesOf(req),
      body: rawJson(p, req) ?? '',
      apiKey: header(req, 'API-CLIENT-KEY') ?? p.sub,
      getContentType: GET_CONTENT_TYPES[p.contentType ? 1 : 0],
      // Empty: the date is taken when the user signs, not when the request was pasted.
      date: '',
    }),
    examples: qit.EXAMPLES,
  },
});
