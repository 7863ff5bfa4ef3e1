/**
 * The request doctor for QI Tech (issue 12): a pasted request under QIT v1, v2 or QI DTVM, checked
 * by the existing request checkers, and when it fails, the mistake that explains it — found by
 * comparing the signed claims with the request as sent (md5 of each likely serialisation of the
 * body sent, the endpoint with and without its query, the date's form, the key that signed).
 * Only `input.keys` (keys the user trusts) can verify: never a key the request carries.
 */
import type { ErrorCode } from '../../errors';
import type { VerificationKey } from '../../jwt/verify';
import { ours, rich, u, type Rich } from '../../rich';
import type { Diagnosis, DoctorInput, ParsedRequest, RequestVerdict } from '../../request/types';
import { header } from '../../request/types';
import { MAX_SERIALISED_BYTES, serialiseBody, serialisationsOf } from '../../partners/body-bytes';
import { rfc1123Date, verifyQitRequest } from '../qit-v1/sign';
import {
  checkEs512,
  claimsOf,
  describeSkew,
  md5Hex,
  SKEW_WARN_MINUTES,
  REQUEST_TO_QITECH,
  type QitRequestInput,
} from './shared';
import { decideRequest, type SchemeResult } from '../../trust/verdict';
import { V2, verifyV2Request, type V2Variant } from '../qit-v2/sign';
import { QI_DTVM } from '../qi-dtvm/sign';
import type { Finding } from '../../partners/scheme';

/** The QI Tech schemes the doctor knows. */
export type QitDoctorScheme = 'qit-v1' | 'qit-v2' | 'qi-dtvm';

/** A diagnosis, with the finding check it explains (if any), before it is handed out. */
interface Found extends Diagnosis {
  explains?: string;
}

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC1123_UNPADDED =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{1,2}:\d{1,2}:\d{1,2} GMT$/;
const BODYLESS = new Set(['GET', 'DELETE', 'HEAD']);

/** The path and query of a URL as written (no host, no fragment), "/" when it has no path. */
export function endpointOfUrl(url: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(url.trim());
  let rest = m ? url.trim().slice(m[0].length) : url.trim();
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
  return rest;
}

/** The token of a QIT v1 AUTHORIZATION value, and the API key it names. */
function splitQit(text: string): { apiKey: string; token: string } | null {
  const m = /^QIT[ \t]+([^:\s]+):(\S+)$/i.exec(text);
  return m ? { apiKey: m[1]!, token: m[2]! } : null;
}

/** The P-521 public keys among the trusted keys. */
function p521Keys(keys: readonly VerificationKey[]): VerificationKey[] {
  return keys.filter((k) => k.kind === 'public' && k.type.kty === 'EC' && k.type.curve === 'P-521');
}

/** "a", "b" and "c" as rich parts, each untrusted. */
function labels(keys: readonly VerificationKey[]): Rich {
  return keys.flatMap((k, i) => (i ? [', ', u(k.label)] : [u(k.label)]));
}

/** Whether a time difference is close to a whole number of half hours (local time labelled UTC/GMT). */
function looksLikeZone(diffMs: number): boolean {
  const half = 30 * 60_000;
  const a = Math.abs(diffMs);
  const off = a % half;
  return a >= half - 2 * 60_000 && (off < 2 * 60_000 || half - off < 2 * 60_000);
}

/** A clock-skew diagnosis, or null when the time is within SKEW_WARN_MINUTES of now. */
function clockSkew(what: string, text: string, whenMs: number, nowMs: number): Found | null {
  if (!Number.isFinite(whenMs) || Math.abs(whenMs - nowMs) <= SKEW_WARN_MINUTES * 60_000) return null;
  const skew = describeSkew(whenMs, nowMs);
  const zone = looksLikeZone(whenMs - nowMs);
  return {
    code: 'ERR_REQUEST_CLOCK_SKEW',
    title: `The ${what} is ${skew} this computer's clock`,
    explanation: [
      `The signed ${what} `,
      u(text),
      ` is ${skew} this computer's clock (more than ${SKEW_WARN_MINUTES} min). QI Tech does not document its tolerance; a fresh request is within seconds.`,
      ...(zone
        ? [
            ' The difference is close to a whole number of half hours: the signer may have written local time as if it were UTC.',
          ]
        : []),
    ],
    remedy:
      'Sign with the current UTC time at the moment of sending (sync the server clock with NTP), and never reuse a signed request later.',
    signed: text,
    sent: new Date(nowMs).toISOString(),
    confirmed: false,
    explains: 'clock-skew',
  };
}

/** The missing-header diagnoses: AUTHORIZATION (GDF000014) and API-CLIENT-KEY (GDF000003). */
function missingHeaders(req: ParsedRequest): Found[] {
  const out: Found[] = [];
  if (header(req, 'AUTHORIZATION') === undefined) {
    out.push({
      code: 'ERR_REQUEST_MISSING_HEADER',
      title: 'No AUTHORIZATION header',
      explanation: [
        'The request has no AUTHORIZATION header, so there is no signature to check. QI Tech answers GDF000014 (401): the token could not be decoded.',
      ],
      remedy:
        'Send the signed token in the AUTHORIZATION header (v1: "QIT <api_key>:<token>"; v2 and QI DTVM: the bare JWT).',
      confirmed: false,
    });
  }
  // (an empty value is no key either: issue 17)
  if (!header(req, 'API-CLIENT-KEY')) {
    out.push({
      code: 'ERR_REQUEST_MISSING_HEADER',
      title: 'No API-CLIENT-KEY header',
      explanation: [
        'The request has no API-CLIENT-KEY header, or an empty one. QI Tech answers GDF000003 (400) before it looks at the signature.',
      ],
      remedy: 'Send API-CLIENT-KEY: <the integration key QI Tech gave you> with every request.',
      confirmed: false,
    });
  }
  return out;
}

/** Verify a token; when its ECDSA signature is DER, whether the converted raw r‖s one verifies. */
async function tokenCheck(jws: string, keys: VerificationKey[]) {
  const { decoded, verdict } = await checkEs512(jws, keys);
  let derKey: VerificationKey | undefined;
  if (!verdict.verified && verdict.code === 'ERR_JWT_ECDSA_DER' && verdict.fixedToken) {
    const fixed = await checkEs512(verdict.fixedToken, keys);
    if (fixed.verdict.verified) derKey = fixed.verdict.key;
  }
  return { decoded, verdict, derKey };
}

/** Diagnoses about which key signed the token (DER encoding, another key). */
function keyDiagnoses(
  t: Awaited<ReturnType<typeof tokenCheck>>,
  keys: VerificationKey[],
  what: string,
  bodyKey?: VerificationKey,
): Found[] {
  if (t.verdict.verified) return [];
  if (t.derKey) {
    return [
      {
        code: 'ERR_QIT_DER_SIGNATURE',
        title: `The ${what} signature is DER-encoded, not raw r‖s`,
        explanation: rich`The ES512 signature of the ${ours(what)} is an ASN.1 DER SEQUENCE of r and s (${t.decoded.signature?.length ?? 0} bytes); JWS requires raw r‖s (132 bytes). Converted to raw r‖s, it verifies with ${t.derKey.label}, so the key is right and only the encoding is wrong.`,
        remedy:
          'Sign with an API that writes JWS (raw r‖s, IEEE P1363) signatures — e.g. node:crypto with dsaEncoding "ieee-p1363", or a JWT library — or convert the DER signature to r‖s, each left-padded to 66 bytes.',
        confirmed: true,
        explains: 'signature',
      },
    ];
  }
  const p521 = p521Keys(keys);
  const keyFailure = new Set<string>([
    'ERR_JWT_SIGNATURE',
    'ERR_JWT_CURVE_MISMATCH',
    'ERR_JWT_ALG_KEY_MISMATCH',
    'ERR_JWT_ECDSA_DER',
  ]);
  // `tried` is empty when the token was refused before any key (not ES512, alg none, malformed).
  if (t.decoded.form !== 'jws' || !keyFailure.has(t.verdict.code ?? '') || t.verdict.tried.length === 0)
    return [];
  const explanation: Rich = [
    `The ${what} is signed by none of the ${p521.length} trusted P-521 key${p521.length === 1 ? '' : 's'}`,
    ...(p521.length
      ? [' (', ...labels(p521), ')']
      : [
          `; the ${keys.length} trusted key${keys.length === 1 ? ' is' : 's are'} not P-521, and QI Tech signs with P-521 (ES512)`,
        ]),
    '.',
    ...(t.verdict.code === 'ERR_JWT_ECDSA_DER'
      ? [
          ' Its signature is also DER-encoded instead of raw r‖s, and converted it verifies with none of them either.',
        ]
      : []),
    ...(bodyKey
      ? [
          ' encoded_body verifies with ',
          u(bodyKey.label),
          ': the token was signed with another key than the body.',
        ]
      : [' It was signed with another key, or changed after signing.']),
  ];
  return [
    {
      code: 'ERR_QIT_OTHER_KEY',
      title: `The ${what} is signed by a key you do not trust`,
      explanation,
      remedy:
        'Sign with the private key whose public key you uploaded to QI Tech (jwtECDSASHA512.key), and make sure the trusted key here is its public half (jwtECDSASHA512.key.pub).',
      confirmed: false,
      explains: 'signature',
    },
  ];
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

/** The v1 diagnoses read from the claims and the request as sent. */
async function v1Diagnoses(
  req: ParsedRequest,
  input: DoctorInput,
  endpoint: string,
  apiKey: string | undefined,
  out: { raw?: string },
): Promise<Found[]> {
  const found: Found[] = [];
  const qit = splitQit(header(req, 'AUTHORIZATION') ?? '');
  if (!qit) return found;
  const t = await tokenCheck(qit.token, input.keys);
  const claims = claimsOf(t.decoded);
  const lines = typeof claims?.signature === 'string' ? claims.signature.split('\n') : [];
  const proven = t.verdict.verified || t.derKey !== undefined;
  const tokenKey = t.verdict.key ?? t.derKey;

  // The body: wrapped in encoded_body, or (a mistake of its own) sent as plain JSON.
  let jws: string | undefined;
  let bodyJson: unknown;
  try {
    bodyJson = req.body.trim() ? JSON.parse(req.body) : undefined;
  } catch {
    bodyJson = undefined;
  }
  if (
    bodyJson &&
    typeof bodyJson === 'object' &&
    typeof (bodyJson as { encoded_body?: unknown }).encoded_body === 'string'
  )
    jws = (bodyJson as { encoded_body: string }).encoded_body;
  let bodyKey: VerificationKey | undefined;
  let raw: string | undefined;
  let bodyVerified = false;
  if (jws) {
    const b = await tokenCheck(jws, input.keys);
    bodyKey = b.verdict.key ?? b.derKey;
    bodyVerified = b.verdict.verified;
    const p = b.decoded.payload;
    raw = p && p.kind !== 'binary' ? p.text : undefined;
  } else if (req.body.trim()) {
    raw = req.body;
  }
  out.raw = raw;

  found.push(...keyDiagnoses(t, input.keys, 'AUTHORIZATION token', bodyVerified ? bodyKey : undefined));
  if (jws && tokenKey && (!bodyKey || bodyKey !== tokenKey)) {
    found.push({
      code: 'ERR_QIT_BODY_OTHER_KEY',
      title: 'encoded_body is signed by another key than the token',
      explanation: bodyKey
        ? rich`The AUTHORIZATION token verifies with ${tokenKey.label}, but encoded_body verifies with ${bodyKey.label}. Both must be signed with the same client key.`
        : rich`The AUTHORIZATION token verifies with ${tokenKey.label}, but encoded_body verifies with none of the trusted keys: it was signed with another key (or changed after signing).`,
      remedy:
        'Sign encoded_body and the AUTHORIZATION token with the same private key: the one whose public key QI Tech has.',
      confirmed: bodyKey !== undefined,
      explains: 'body-signature',
    });
  }
  if (!claims || lines.length !== 5) return found;
  const [, md5Line, contentType, date, signedEndpoint] = lines as [string, string, string, string, string];

  // md5 of the raw JSON instead of the encoded_body JWS.
  const want = jws ? md5Hex(jws) : '';
  if (md5Line !== want && raw !== undefined && md5Line) {
    const candidates = [raw, ...serialisationsOf(raw).map((s) => s.bytes)];
    const seen = new Set<string>();
    for (const c of candidates) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (md5Hex(c) !== md5Line) continue;
      found.push({
        code: 'ERR_QIT_MD5_RAW_JSON',
        title: 'md5 line hashes the raw JSON, not the encoded_body JWS',
        explanation: jws
          ? rich`The md5 line ${md5Line} is md5 of the JSON inside encoded_body. QIT v1 hashes the encoded_body JWS string itself: md5(encoded_body) is ${want}.`
          : rich`The md5 line ${md5Line} is md5 of the JSON body, which is sent as it is. QIT v1 wraps the body as {"encoded_body": "<ES512 JWS of the JSON>"} and hashes that JWS string.`,
        remedy: jws
          ? 'Compute md5 over the encoded_body JWS string (header.payload.signature), not over the JSON it carries.'
          : 'Sign the JSON as an ES512 JWS, send {"encoded_body": "<jws>"}, and put md5(<jws>) on the md5 line.',
        signed: c,
        sent: jws ?? req.body,
        confirmed: proven,
        explains: 'md5',
      });
      break;
    }
  }

  // Content type line without a body: "" or application/json, against the Content-Type sent.
  if (!jws && !req.body.trim()) {
    const sentType = header(req, 'Content-Type')?.trim() ?? '';
    if ((contentType === '' || contentType === 'application/json') && contentType !== sentType) {
      found.push({
        code: 'ERR_QIT_GET_CONTENT_TYPE',
        title: 'Content type line for a request without a body differs from the Content-Type sent',
        explanation: [
          'Signed content type line ',
          u(contentType === '' ? '""' : contentType),
          ', but the request sends Content-Type ',
          u(sentType === '' ? '(none)' : sentType),
          '. The clients disagree here: "" (npm qitech-wrapper 0.1.8 and 0.2.0, Clojure Captalys/qitech-auth) or application/json (Elixir qitech_ex). A server that rebuilds the string to sign from the request it receives gets another line than the one signed.',
        ],
        remedy:
          'Sign the content type the request actually sends: "" when no Content-Type header is sent (the default of most clients), application/json when it is.',
        signed: contentType,
        sent: sentType,
        confirmed: false,
        explains: 'content-type',
      });
    }
  }

  // Content type line with a body: the Content-Type the request sends must be the one signed
  // (curl -d without -H sends application/x-www-form-urlencoded).
  if (jws || req.body.trim()) {
    const sentType = header(req, 'Content-Type') ?? '';
    const media = (sentType.split(';')[0] ?? '').replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
    if (media !== contentType.toLowerCase()) {
      found.push({
        code: 'ERR_QIT_CONTENT_TYPE',
        title: 'Content type line differs from the Content-Type sent',
        explanation: rich`Signed content type line ${contentType || '""'}, but the request sends Content-Type ${sentType || '(none)'}. QI Tech rebuilds the string to sign from the request it receives. (curl -d without -H 'Content-Type: …' sends application/x-www-form-urlencoded.)`,
        remedy:
          'Send the body with Content-Type: application/json, and sign application/json on the content type line.',
        signed: contentType,
        sent: sentType,
        confirmed: false,
        explains: 'content-type',
      });
    }
  }

  // Method line: exactly the method sent (HTTP methods are case-sensitive).
  const signedMethod = lines[0] ?? '';
  if (signedMethod !== req.method) {
    found.push({
      code: 'ERR_QIT_METHOD_CASE',
      title:
        signedMethod.toUpperCase() === req.method.toUpperCase()
          ? 'Method line differs from the request method in case'
          : 'Method line is not the request method',
      explanation: rich`The method line is ${signedMethod}; the request is sent as ${req.method}. HTTP methods are case-sensitive: a server sees another method than the one signed.`,
      remedy: 'Send the request with the method in upper case (e.g. POST), and sign that same method.',
      signed: signedMethod,
      sent: req.method,
      confirmed: false,
      explains: 'method',
    });
  }

  // Endpoint line with or without the query string.
  const signedPath = signedEndpoint.split('?')[0];
  const sentPath = endpoint.split('?')[0];
  if (signedEndpoint !== endpoint && signedPath === sentPath) {
    found.push({
      code: 'ERR_QIT_ENDPOINT_QUERY',
      title: signedEndpoint.includes('?')
        ? endpoint.includes('?')
          ? 'Endpoint line signs another query string than the one sent'
          : 'Endpoint line signs a query string the request does not send'
        : 'Endpoint line leaves out the query string sent',
      explanation: rich`Signed for ${signedEndpoint}, sent to ${endpoint}. npm qitech-wrapper 0.1.8 signs the path without its query; its 0.2.0 source and Elixir qitech_ex sign the path with ?query.`,
      remedy:
        'Sign the endpoint exactly as requested: the path with its query string, in the same order and encoding.',
      signed: signedEndpoint,
      sent: endpoint,
      confirmed: false,
      explains: 'endpoint',
    });
  }

  // Date line: RFC 1123 GMT, and close to now.
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
  const skew = clockSkew('date', date, when, input.nowMs);
  if (skew) found.push(skew);

  // sub against API-CLIENT-KEY.
  if (apiKey !== undefined && claims.sub !== apiKey.trim()) {
    found.push({
      code: 'ERR_QIT_SUB_API_KEY',
      title: "The token's sub is not the API-CLIENT-KEY sent",
      explanation: rich`The token's sub is ${String(claims.sub)}, the API-CLIENT-KEY header is ${apiKey}. QIT v1 puts the API key in sub, in the AUTHORIZATION prefix and in API-CLIENT-KEY: all three must be the same.`,
      remedy: 'Use the integration key QI Tech gave you as sub, in "QIT <api_key>:" and in API-CLIENT-KEY.',
      signed: typeof claims.sub === 'string' ? claims.sub : JSON.stringify(claims.sub),
      sent: apiKey,
      confirmed: false,
      explains: 'api-key',
    });
  }
  return found;
}

/** Say what is wrong with a v2 / QI DTVM timestamp's form. */
function timestampProblem(ts: string, variant: V2Variant): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(ts))
    return 'milliseconds (3 digits) where the samples write microseconds (6)';
  if (/[+-]\d{2}:?\d{2}$/.test(ts)) return 'a UTC offset (local time) instead of UTC';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(ts))
    return variant.id === 'v2' ? 'no fraction and no Z: that is the QI DTVM form' : 'no fraction and no Z';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/.test(ts))
    return variant.id === 'v2'
      ? 'a fraction of other than 6 digits'
      : 'a fraction and Z: that is the QI Tech v2 form';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(ts))
    return variant.id === 'v2' ? 'Z but no fraction' : 'a Z (QI DTVM writes no Z)';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$/.test(ts))
    return "a fraction without Z (a naive datetime's isoformat())";
  if (/^\d{9,13}$/.test(ts)) return 'Unix time, not ISO 8601';
  return 'not ISO 8601 as the samples write it';
}

const SERIALISATION_NAMES: Record<string, string> = {
  'as-typed': 'the body exactly as sent',
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

/** The v2 / QI DTVM diagnoses read from the claims and the request as sent. */
async function v2Diagnoses(
  req: ParsedRequest,
  input: DoctorInput,
  variant: V2Variant,
  endpoint: string,
): Promise<Found[]> {
  const found: Found[] = [];
  // (the value as sent: a header value is bytes, nothing is cleaned away: issue 17)
  const auth = header(req, 'AUTHORIZATION') ?? '';
  const t = await tokenCheck(auth, input.keys);
  found.push(...keyDiagnoses(t, input.keys, 'AUTHORIZATION token'));
  const claims = claimsOf(t.decoded);
  if (!claims) return found;
  const proven = t.verdict.verified || t.derKey !== undefined;
  const signedMd5 = claims.payload_md5;
  const method = req.method.trim();
  const hasBody = req.body !== '' && !BODYLESS.has(method.toUpperCase());
  if (req.body !== '' && !hasBody) {
    // The signature hashes an empty payload for GET/DELETE: a body sent with them is not covered.
    found.push({
      code: 'ERR_QIT_UNSIGNED_BODY',
      title: `A ${method} request that sends a body the signature does not cover`,
      explanation: rich`For ${method}, payload_md5 covers an empty payload, but the request sends ${ours(String(new TextEncoder().encode(req.body).length))} bytes of body. Nothing binds those bytes to the signature: anyone could change them.`,
      remedy: `Send ${method} without a body, or use a method whose body is hashed (POST, PUT, PATCH).`,
      signed: '',
      sent: req.body,
      confirmed: false,
      explains: 'md5',
    });
  }

  if (typeof signedMd5 === 'string' && hasBody) {
    const actual = md5Hex(req.body);
    if (signedMd5 !== actual) {
      for (const c of bodyCandidates(req.body)) {
        if (md5Hex(c.bytes) !== signedMd5) continue;
        found.push({
          code: 'ERR_QIT_V2_SERIALISATION',
          title: 'payload_md5 hashes another serialisation of the body than the bytes sent',
          explanation: [
            `payload_md5 is md5 of ${SERIALISATION_NAMES[c.id] ?? c.id}, but the body sent is other bytes (md5 `,
            u(actual),
            '). The server hashes the bytes it receives, so the md5 check fails.',
          ],
          remedy:
            'Serialise the body once, hash exactly those bytes, and send exactly those bytes (no re-serialisation by the HTTP client).',
          signed: c.bytes,
          sent: req.body,
          confirmed: proven,
          explains: 'md5',
        });
        break;
      }
    }
  } else if (!hasBody && variant.id === 'v2' && signedMd5 === md5Hex('')) {
    found.push({
      code: 'ERR_QIT_V2_EMPTY_PAYLOAD',
      title: 'payload_md5 is md5(""), the complete sample hashes "{}" without a body',
      explanation: [
        `The request sends no body (${method === '' ? 'no method' : 'method '}`,
        u(method),
        '), and payload_md5 is md5("") = d41d8cd98f00b204e9800998ecf8427e. QI Tech\'s complete v2 sample sets the empty payload to {} and hashes md5("{}") = 99914b932bd37a50b983c5e7c90ae93b.',
      ],
      remedy:
        'For GET and DELETE, set payload_md5 to md5("{}"), unless your QI Tech environment has told you it expects md5("").',
      signed: '',
      sent: '{}',
      confirmed: proven,
      explains: 'md5',
    });
  }

  // uri: with a host, or with another query than the URL sent.
  if (typeof claims.uri === 'string' && claims.uri !== endpoint) {
    const withHost = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(claims.uri);
    const uriEndpoint = withHost ? endpointOfUrl(claims.uri) : claims.uri;
    if (uriEndpoint.split('?')[0] === endpoint.split('?')[0]) {
      found.push({
        code: 'ERR_QIT_URI',
        title: withHost
          ? 'uri claim carries the scheme and host'
          : claims.uri.includes('?')
            ? endpoint.includes('?')
              ? 'uri claim signs another query string than the one sent'
              : 'uri claim signs a query string the request does not send'
            : 'uri claim leaves out the query string sent',
        explanation: rich`The uri claim is ${claims.uri}; the request was sent to ${endpoint}. The uri claim is the endpoint path (with its query string when there is one), without scheme or host.`,
        remedy: 'Sign uri as the path (and query) of the URL you send to, e.g. /test, exactly as sent.',
        signed: claims.uri,
        sent: endpoint,
        confirmed: false,
        explains: 'uri',
      });
    }
  }

  // method: case, or another method.
  if (typeof claims.method === 'string' && claims.method !== method) {
    const caseOnly = claims.method.toUpperCase() === method.toUpperCase();
    found.push({
      code: 'ERR_QIT_METHOD_CASE',
      title: caseOnly
        ? 'method claim differs from the request method in case'
        : 'method claim is not the request method',
      explanation: rich`The method claim is ${claims.method}; the request is sent as ${method}. The claim must be the method sent, in upper case (e.g. POST).`,
      remedy: 'Sign the method in upper case, and send the request with that same method.',
      signed: claims.method,
      sent: method,
      confirmed: false,
      explains: 'method',
    });
  }

  // timestamp: form and clock.
  const ts = typeof claims.timestamp === 'string' ? claims.timestamp : '';
  if (ts) {
    const when = Date.parse(/Z$|[+-]\d{2}:?\d{2}$/.test(ts) ? ts : `${ts}Z`);
    if (!variant.timestampPattern.test(ts)) {
      found.push({
        code: 'ERR_QIT_TIMESTAMP_FORMAT',
        title: `timestamp is not in the ${variant.label} form`,
        explanation: [
          'The timestamp ',
          u(ts),
          ` has ${timestampProblem(ts, variant)}; ${variant.label} writes UTC like ${variant.timestampExample}.`,
        ],
        remedy:
          variant.id === 'v2'
            ? 'Write the timestamp in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ (Python: datetime.utcnow().isoformat() + "Z").'
            : 'Write the timestamp in UTC as YYYY-MM-DDTHH:MM:SS (Python: datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S")).',
        signed: ts,
        sent: Number.isFinite(when) ? variant.timestamp(when) : undefined,
        confirmed: false,
        explains: 'timestamp-format',
      });
    }
    const skew = clockSkew('timestamp', ts, when, input.nowMs);
    if (skew) found.push(skew);
  }
  return found;
}

/** The verdict's code: missing headers first, then each error finding (its diagnosis's code when one explains it), then other diagnoses. */
function firstCode(pre: Found[], findings: Finding[], found: Found[]): ErrorCode | undefined {
  if (pre[0]) return pre[0].code;
  for (const f of findings) {
    if (f.severity !== 'error' || f.code === 'OK') continue;
    return found.find((d) => d.explains === f.check)?.code ?? f.code;
  }
  return found[0]?.code;
}

/**
 * What the QI Tech doctor finds in a pasted request under `scheme`: the existing checker's findings
 * (signature with `input.keys` only, claims, md5, endpoint, date) plus the mistakes that explain a
 * failure. It proposes a headline but sets no state: {@link diagnoseQitech} hands it to the one rule.
 */
export async function qitechResult(input: DoctorInput, scheme: QitDoctorScheme): Promise<SchemeResult> {
  const req = input.request;
  const authorization = header(req, 'AUTHORIZATION');
  const apiKey = header(req, 'API-CLIENT-KEY');
  const endpoint = endpointOfUrl(req.url);
  const pre = missingHeaders(req);
  const signInput: RequestVerdict['signInput'] = { method: req.method, url: req.url, body: req.body, apiKey };
  if (authorization === undefined) {
    return {
      scheme,
      fallback: pre[0]!.code,
      failCode: pre[0]!.code,
      refusal: pre[0]!.code,
      parts: ['Not verified: the request has no AUTHORIZATION header (QI Tech answers GDF000014).'],
      findings: [],
      diagnoses: pre.map(strip),
      signInput,
    };
  }
  const qitInput: QitRequestInput = {
    authorization,
    body: req.body,
    keys: input.keys,
    expected: { method: req.method, endpoint, apiKey },
    nowMs: input.nowMs,
  };
  let verdict;
  let found: Found[];
  if (scheme === 'qit-v1') {
    verdict = await verifyQitRequest(qitInput);
    const raw: { raw?: string } = {};
    found = await v1Diagnoses(req, input, endpoint, apiKey, raw);
    if (raw.raw !== undefined) signInput.body = raw.raw;
  } else {
    const variant = scheme === 'qit-v2' ? V2 : QI_DTVM;
    verdict = await verifyV2Request(variant, qitInput);
    found = await v2Diagnoses(req, input, variant, endpoint);
  }
  const findings = verdict.findings;
  const diagnoses = [...pre, ...found];
  // Clock skew is worth a look but not a failure (as for Qredo): a request pasted from a log is old,
  // and QI Tech does not document its tolerance. Any other mistake found is one QI Tech refuses.
  const refusal = diagnoses.find((d) => d.code !== 'ERR_REQUEST_CLOCK_SKEW')?.code;
  const code = firstCode(pre, findings, found) ?? 'ERR_QIT_TOKEN_SIGNATURE';
  // The headline the checks suggest; the rule (trust/verdict.ts) replaces it if it refuses.
  const looksVerified = verdict.signatureVerified && verdict.verified && refusal === undefined;
  const label = verdict.keyLabel;
  let parts: Rich;
  if (looksVerified) {
    parts = diagnoses.length
      ? [
          'Signature verified with ',
          u(label ?? ''),
          ". Its time is far from this computer's clock: QI Tech would refuse it if it were sent now.",
        ]
      : ['Signature verified with ', u(label ?? ''), ': every check of the request holds.'];
  } else {
    const errorFinding = findings.find((f) => f.severity === 'error' && f.code === code);
    const why =
      diagnoses.find((d) => d.code === code)?.title ??
      (errorFinding ? `the ${errorFinding.label} check failed` : diagnoses[0]?.title) ??
      'a check failed';
    parts = verdict.signatureVerified
      ? ['Signed by the trusted key ', u(label ?? ''), `, but QI Tech would refuse it: ${why}.`]
      : [`Not verified: ${why}.`];
  }
  return {
    scheme,
    fallback: 'ERR_QIT_TOKEN_SIGNATURE',
    failCode: code,
    ...(refusal !== undefined ? { refusal } : {}),
    ...(verdict.signedBy ? { signedBy: verdict.signedBy } : {}),
    ...(label !== undefined ? { keyLabel: label } : {}),
    parts,
    findings,
    diagnoses: diagnoses.map(strip),
    signInput,
  };
}

/**
 * Diagnose a pasted QI Tech request under `scheme`. `state` is `verified` only when the one rule
 * says so: the AUTHORIZATION token verifies with the user's own key and nothing is wrong; only then
 * does the headline say "Signature verified".
 */
export async function diagnoseQitech(input: DoctorInput, scheme: QitDoctorScheme): Promise<RequestVerdict> {
  return decideRequest(REQUEST_TO_QITECH, await qitechResult(input, scheme));
}

/** A diagnosis without the internal link to the finding it explains. */
function strip(d: Found): Diagnosis {
  const { explains: _explains, ...rest } = d;
  void _explains;
  return rest;
}
