/**
 * QI Tech (PARTNERS.md "QI Tech"): every request carries an ES512 JWS (P-521, raw r‖s, base64url)
 * whose claims say what the server compares with the request. Three variants, one folder:
 *
 * - v2 (current docs): AUTHORIZATION = the JWT, claims payload_md5 (md5 of the body bytes; md5("{}")
 *   without a body), timestamp (UTC, microseconds and Z), method and uri (path and query).
 * - QI DTVM: v2 with timestamps in whole seconds without Z, and payload_md5 only with a body.
 * - v1 ("QIT"): AUTHORIZATION = `QIT <api key>:<token>`, claims sub (the API key) and signature:
 *   method, md5 of the encoded_body JWS, content type, RFC 1123 date and endpoint, one per line; the
 *   body is sent as {"encoded_body": <ES512 JWS of the JSON>}.
 *
 * Parts: what the server derives from the request (md5 of the body, method, path, content type) and
 * what only the token carries (timestamp, date, sub). The base is the token's signing input with its
 * claims set to those parts (token.ts), so a mistake is a claim filled in from a transformed request.
 *
 * Sources: docs.qitech.com.br …/teste_de_autenticacao (v1), …_v2 and …_completo (Python, PHP, Node.js,
 * Java, C# samples); npm qitech-wrapper src/request.js; Captalys/qitech-auth core.clj; QI DTVM docs.
 */
import { ours, rich } from '../../rich';
import { header, type ParsedRequest } from '../../request/types';
import { MAX_SERIALISED_BYTES, SERIALISATIONS, serialiseBody } from '../../partners/body-bytes';
import { field, text } from '../../scheme/fields';
import { signedAs } from '../../scheme/mistakes';
import { defineScheme, type RequestScheme, type SchemeMistake, type SchemeSigner } from '../../scheme/types';
import { problem, type Finding } from '../../trust/finding';
import type { FormValues } from '../../scheme/contract';
import * as qit from './token';
import type { TokenParts } from './token';
import v1 from './v1';

type V2Parts = TokenParts & { payload_md5: string; timestamp: string; method: string; uri: string };

const BODYLESS = new Set(['GET', 'DELETE', 'HEAD']);
/** Does a request of this method send a body that payload_md5 covers? */
const sendsBody = (method: string, body: string) => !BODYLESS.has(method.toUpperCase()) && body !== '';

/** What v2 and QI DTVM differ in. */
interface Variant {
  id: 'qit-v2' | 'qi-dtvm';
  name: string;
  timestamp(ms: number): string;
  form: RegExp;
  example: string;
  md5WithoutBody: boolean;
  claimOrder: readonly (keyof V2Parts)[];
}

const V2: Variant = {
  id: 'qit-v2',
  name: 'v2: ES512 JWT in AUTHORIZATION with payload_md5 (current)',
  // Date has milliseconds; the samples' datetime has microseconds: pad, so the form matches.
  timestamp: (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
  form: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  example: '2023-06-26T19:48:32.759844Z',
  md5WithoutBody: true,
  claimOrder: ['payload_md5', 'timestamp', 'method', 'uri'],
};

const QI_DTVM: Variant = {
  id: 'qi-dtvm',
  name: 'QI DTVM: v2 with whole-second timestamps, payload_md5 only with a body',
  timestamp: (ms) => new Date(ms).toISOString().slice(0, 19),
  form: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
  example: '2023-06-26T19:48:32',
  md5WithoutBody: false,
  claimOrder: ['timestamp', 'method', 'uri', 'payload_md5'],
};

/** The JWT of a v2 / QI DTVM request (behind "Bearer " too), when its claims carry uri or payload_md5. */
function v2Token(req: ParsedRequest) {
  const t = qit.readJws((header(req, 'authorization') ?? '').replace(/^[ \t]*Bearer[ \t]+/i, ''));
  return t && ('uri' in t.claims || 'payload_md5' in t.claims) ? t : undefined;
}

/** Is the token's signature longer than ES512's raw 132 bytes (DER, as OpenSSL and Java write it)? */
const derShaped = (req: ParsedRequest) => (v2Token(req)?.signature.length ?? 176) > 176;

/** The serialisations servers hash instead of the bytes they send, each its own words. */
const FORMS: [string, (body: string) => string][] = [
  ['compact JSON (JSON.stringify)', (b) => serialiseBody(b, 'compact')],
  ['Python json.dumps defaults (", " and ": " separators)', (b) => serialiseBody(b, 'python')],
  ['pretty-printed JSON, 2-space indent', (b) => JSON.stringify(JSON.parse(b), null, 2)],
  [
    'pretty-printed JSON, 4-space indent (json.dumps(indent=4))',
    (b) => JSON.stringify(JSON.parse(b), null, 4),
  ],
  ['a trailing newline, or no trailing whitespace', (b) => (b.trimEnd() === b ? `${b}\n` : b.trimEnd())],
];

/** payload_md5 over another serialisation of the body than the bytes sent, one mistake per form. */
const serialisations: SchemeMistake<V2Parts>[] = FORMS.map(([name, make], i) => ({
  code: 'ERR_QIT_V2_SERIALISATION',
  title: 'payload_md5 hashes another serialisation of the body than the bytes sent',
  explanation: `payload_md5 is md5 of ${name}, but the body sent is other bytes. The server hashes the bytes it receives, so the md5 check fails. (Where the signature is DER, it was read as r‖s too.)`,
  remedy:
    'Serialise the body once, hash exactly those bytes, and send exactly those bytes (no re-serialisation by the HTTP client).',
  *variants(_parts, req) {
    // Bounded work: past 2 M characters only the two likeliest forms are built.
    if (!sendsBody(req.method, req.body) || (i > 1 && i < 4 && req.body.length > MAX_SERIALISED_BYTES / 8))
      return;
    const form = make(req.body);
    if (form === req.body) return;
    const v = { parts: { payload_md5: qit.md5Hex(form) }, part: 'payload_md5', signed: form, sent: req.body };
    yield v;
    // With a DER signature as well (OpenSSL, Java): both mistakes at once.
    if (derShaped(req)) yield { ...v, der: true };
  },
}));

/** payload_md5 of a request without a body over "" where QI Tech's complete sample hashes "{}". */
const emptyPayload: SchemeMistake<V2Parts> = {
  code: 'ERR_QIT_V2_EMPTY_PAYLOAD',
  title: 'payload_md5 is md5(""), the complete sample hashes "{}" without a body',
  explanation:
    'The request sends no body, and payload_md5 is md5(""). QI Tech\'s complete v2 sample sets the empty payload to {} and hashes md5("{}") = 99914b932bd37a50b983c5e7c90ae93b.',
  remedy: 'For GET and DELETE, set payload_md5 to md5("{}"), unless QI Tech told you it expects md5("").',
  *variants(_parts, req) {
    if (!sendsBody(req.method, req.body))
      yield { parts: { payload_md5: qit.md5Hex('') }, part: 'payload_md5', signed: '', sent: '{}' };
  },
};

const URI_REMEDY = 'Sign uri as the path (and query) of the URL you send to, e.g. /test, exactly as sent.';

/** The mistakes v2 and QI DTVM signers make, likeliest first. */
function v2Mistakes(variant: Variant): SchemeMistake<V2Parts>[] {
  return [
    qit.derSignature(),
    ...serialisations,
    ...(variant.md5WithoutBody ? [emptyPayload] : []),
    signedAs<V2Parts>(
      {
        code: 'ERR_QIT_URI',
        title: 'The uri claim carries the scheme and host',
        explanation:
          'The uri claim is the whole URL; it is the path (with its query string), without scheme or host.',
        remedy: URI_REMEDY,
      },
      'uri',
      (_p, req) => [req.url.replace(/#.*$/s, '')],
    ),
    signedAs<V2Parts>(
      {
        code: 'ERR_QIT_URI',
        title: 'The uri claim is not the path and query sent',
        explanation:
          'The uri claim is another path, or the path sent with another query string or without it; it is the path with its query string exactly as sent.',
        remedy: URI_REMEDY,
      },
      'uri',
      (p) => [p.uri.split('?')[0]!, qit.claim(qit.claimsOf(p), 'uri')],
    ),
    qit.methodClaim((c) => qit.claim(c, 'method')),
    {
      ...signedAs<V2Parts>(
        {
          code: 'ERR_QIT_MD5',
          title: 'payload_md5 is not md5 of the body sent',
          explanation:
            'The token verifies over its own payload_md5, and no usual serialisation of the body sent gives it: the body signed was another body, or it changed on the way.',
          remedy: 'Hash exactly the bytes you send, and send them unchanged.',
        },
        'payload_md5',
        (p) => [qit.claim(qit.claimsOf(p), 'payload_md5') || null],
      ),
      readsSigned: true,
    },
  ];
}

/** The checks of a v2 / QI DTVM request alone. */
function v2Checks(variant: Variant, p: V2Parts, req: ParsedRequest, nowMs: number): Finding[] {
  const out: Finding[] = [qit.apiKeyHeader(req)];
  const found = (...f: Parameters<typeof problem>) => out.push(problem(...f));
  if (/^[ \t]*Bearer[ \t]/i.test(header(req, 'authorization') ?? ''))
    found(
      'authorization',
      'ERR_QIT_AUTH_HEADER',
      'error',
      'AUTHORIZATION',
      'AUTHORIZATION carries a "Bearer " prefix: QI Tech reads the JWT alone and answers GDF000014. Send AUTHORIZATION: <jwt>.',
    );
  if (req.body !== '' && !sendsBody(req.method, req.body))
    found(
      'body',
      'ERR_QIT_UNSIGNED_BODY',
      'error',
      'Body',
      `A ${req.method.toUpperCase()} request that sends a body: payload_md5 covers an empty payload, so nothing binds those bytes to the signature. Send it without a body, or use POST, PUT or PATCH.`,
    );
  const claims = qit.claimsOf(p);
  if (p.payload_md5 && typeof claims['payload_md5'] === 'string' && claims['payload_md5'] !== p.payload_md5)
    found(
      'md5',
      'ERR_QIT_MD5',
      'warning',
      'payload_md5',
      'payload_md5 is not md5 of the body sent: the server hashes the bytes it receives.',
    );
  const missing = ['timestamp', 'method', 'uri'].filter((c) => typeof claims[c] !== 'string');
  if (missing.length)
    found(
      'claims',
      'ERR_QIT_CLAIMS',
      'error',
      'Claims',
      rich`Missing or not a string: ${ours(missing.join(', '))}.`,
    );
  const extra = Object.keys(claims).filter((k) => !['payload_md5', 'timestamp', 'method', 'uri'].includes(k));
  if (extra.length)
    found(
      'extra-claims',
      'ERR_QIT_EXTRA_CLAIMS',
      'info',
      'Other claims',
      rich`Also carries ${extra.join(', ')}; the samples send only payload_md5, timestamp, method and uri.`,
    );
  if (!p.timestamp) return out;
  out.push(
    qit.timestampForm(p.timestamp, variant.form, variant.example, variant.id === 'qit-v2' ? 'v2' : 'QI DTVM'),
  );
  const when = Date.parse(/Z$|[+-]\d{2}:?\d{2}$/.test(p.timestamp) ? p.timestamp : `${p.timestamp}Z`);
  return [...out, ...qit.clockSkew('timestamp', p.timestamp, when, nowMs)];
}

const EMPTY_PAYLOADS = ['md5("{}") (QI Tech\'s complete sample; default)', 'md5("") (no bytes)'] as const;
const EMPTY_HELP = 'What payload_md5 hashes when no body is sent.';
const SERIALISED =
  "QI Tech hashes the bytes it receives. Its samples hash Python's json.dumps(body); a JavaScript server sends JSON.stringify(body). Pick what your server sends.";
const bodyless = (v: FormValues) => BODYLESS.has(text(v['method']));
const serialisationOf = (v: FormValues) =>
  (SERIALISATIONS.find((s) => s.label === v['serialisation']) ?? SERIALISATIONS[0]!).id;

/** The body bytes a v2 form sends (undefined: none). */
function sentBody(values: FormValues): string | undefined {
  const method = text(values['method']).toUpperCase();
  const body = text(values['body']);
  return sendsBody(method, body)
    ? qit.jsonInput(() => serialiseBody(body, serialisationOf(values)))
    : undefined;
}

/** The Sign tab of v2 or QI DTVM. */
function v2Signer(variant: Variant): SchemeSigner<V2Parts> {
  return {
    fields: [
      ...qit.LEAD,
      qit.bodyField('The JSON body.', (v) => !bodyless(v)),
      field('serialisation', 'Body bytes to send (payload_md5 covers exactly these)', 'choice', SERIALISED, {
        default: SERIALISATIONS[0]!.label,
        options: SERIALISATIONS.map((s) => s.label),
        when: (v) => !bodyless(v),
      }),
      ...(variant.md5WithoutBody
        ? [
            field('emptyPayload', 'payload_md5 of a request without a body', 'choice', EMPTY_HELP, {
              default: EMPTY_PAYLOADS[0],
              options: EMPTY_PAYLOADS,
              when: bodyless,
            }),
          ]
        : []),
      field('timestamp', 'Timestamp', 'text', `UTC, e.g. ${variant.example}.`, {
        default: (now) => variant.timestamp(now),
      }),
      qit.API_KEY,
    ],
    parts(values, nowMs) {
      const body = sentBody(values);
      const md5Input =
        body ??
        (variant.md5WithoutBody ? (values['emptyPayload'] === EMPTY_PAYLOADS[1] ? '' : '{}') : undefined);
      const all: Record<string, string | undefined> = {
        payload_md5: md5Input === undefined ? undefined : qit.md5Hex(md5Input),
        timestamp: text(values['timestamp']).trim() || variant.timestamp(nowMs),
        method: (text(values['method']) || 'POST').toUpperCase(),
        uri: qit.endpointOf(values),
      };
      const claims = Object.fromEntries(
        variant.claimOrder.flatMap((n) => (all[n] === undefined ? [] : [[n, all[n]!]])),
      );
      return { ...qit.tokenOf(claims), payload_md5: '', ...claims } as V2Parts;
    },
    request(p, signature, values) {
      const body = sentBody(values);
      const auth = `${p.head}.${p.payload}.${signature}`;
      return qit.requestOf(p.method, values, auth, body === undefined ? '' : 'application/json', body ?? '');
    },
    values: (_p, req) => ({
      ...qit.valuesOf(req),
      serialisation: SERIALISATIONS.find((s) => s.id === 'as-typed')!.label,
      apiKey: header(req, 'API-CLIENT-KEY') ?? '',
      // Empty: the timestamp is taken when the user signs, not when the request was pasted.
      timestamp: '',
    }),
    // The bytes shown are the bytes signed: that a server sending others fails is information.
    info(values) {
      const body = sentBody(values);
      if (body === undefined || body === JSON.stringify(JSON.parse(body))) return [];
      return [
        [
          `These bytes differ from JSON.stringify(body) (md5 ${qit.md5Hex(JSON.stringify(JSON.parse(body)))}): your server must send exactly the body shown here, or QI Tech's md5 check fails.`,
        ],
      ];
    },
    examples: [
      ...qit.EXAMPLES,
      { apiKey: 'k', serialisation: SERIALISATIONS[1]!.label, method: 'PUT', endpoint: '/test?page=2' },
    ],
  };
}

/** v2 or QI DTVM, as a scheme. */
function v2Scheme(variant: Variant): RequestScheme<V2Parts> {
  return defineScheme<V2Parts>({
    id: variant.id,
    name: variant.name,
    ...qit.ES512_SCHEME,
    recognisedBy:
      variant.id === 'qit-v2'
        ? 'an AUTHORIZATION JWT with payload_md5 or uri'
        : 'an AUTHORIZATION JWT in the QI DTVM form',
    source: 'QI Tech docs, "Autenticação v2" and its samples; QI DTVM docs',
    recognise(req) {
      const t = v2Token(req);
      if (!t) return 0;
      return QI_DTVM.form.test(qit.claim(t.claims, 'timestamp')) === (variant.id === 'qi-dtvm') ? 2 : 1;
    },
    signedHeaders: ['authorization', 'api-client-key'],
    read(req) {
      if (header(req, 'authorization') === undefined) return qit.NO_AUTHORIZATION;
      const t = v2Token(req);
      if (!t)
        return {
          code: 'ERR_QIT_AUTH_HEADER',
          words: [
            'AUTHORIZATION is not a compact JWT with uri or payload_md5 claims: QI Tech cannot decode it (GDF000014).',
          ],
        };
      const refused = qit.headerProblem(t.head);
      if (refused) return { code: 'ERR_QIT_AUTH_HEADER', words: [refused] };
      const md5 = sendsBody(req.method, req.body)
        ? qit.md5Hex(req.body)
        : variant.md5WithoutBody
          ? qit.md5Hex('{}')
          : '';
      return {
        signature: t.signature,
        parts: {
          head: t.head,
          payload: t.payload,
          text: t.text,
          payload_md5: md5,
          timestamp: qit.claim(t.claims, 'timestamp'),
          method: req.method,
          uri: qit.endpointOfUrl(req.url),
        },
      };
    },
    base: (p) =>
      qit.signingInput(p, {
        payload_md5: p.payload_md5 || undefined,
        timestamp: p.timestamp,
        method: p.method,
        uri: p.uri,
      }),
    baseWords: 'the JWT claims (payload_md5, timestamp, method, uri) as the request says them',
    checks: (p, req, nowMs) => v2Checks(variant, p, req, nowMs),
    mistakes: v2Mistakes(variant),
    signer: v2Signer(variant),
  });
}

/** QI Tech's variants, v2 (current) first: ids qit-v2, qit-v1 and qi-dtvm, as profiles and stored forms name them. */
const QITECH: readonly RequestScheme[] = [
  v2Scheme(V2),
  v1 as RequestScheme,
  v2Scheme(QI_DTVM) as RequestScheme,
];
export default QITECH;
