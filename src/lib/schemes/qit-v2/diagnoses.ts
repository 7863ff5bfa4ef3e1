/**
 * The v2 / QI DTVM doctor: the mistakes searched (mistakes.ts, confirmed by WebCrypto), and what
 * the claims say where no listed mistake explains a difference (another query or method, the
 * timestamp's form, the clock, a body the signature does not cover).
 */
import { ours, rich, u } from '../../rich';
import type { DoctorInput, ParsedRequest } from '../../request/types';
import { header } from '../../request/types';
import { claimsOf } from '../qitech/shared';
import {
  clockSkew,
  confirmedOr,
  endpointOfUrl,
  keyDiagnoses,
  p521Keys,
  searchSignature,
  tokenCheck,
  type Found,
} from '../qitech/diagnoses';
import { searchQit, tokenCtx } from '../qitech/search';
import { V2_MISTAKES, type V2Ctx } from './mistakes';
import type { V2Variant } from './sign';

const BODYLESS = new Set(['GET', 'DELETE', 'HEAD']);

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

/** A GET / DELETE / HEAD that sends a body: payload_md5 covers an empty payload, not those bytes. */
function unsignedBody(method: string, body: string): Found {
  return {
    code: 'ERR_QIT_UNSIGNED_BODY',
    title: `A ${method} request that sends a body the signature does not cover`,
    explanation: rich`For ${method}, payload_md5 covers an empty payload, but the request sends ${ours(String(new TextEncoder().encode(body).length))} bytes of body. Nothing binds those bytes to the signature: anyone could change them.`,
    remedy: `Send ${method} without a body, or use a method whose body is hashed (POST, PUT, PATCH).`,
    signed: '',
    sent: body,
    confirmed: false,
    explains: 'md5',
  };
}

/** The uri claim against the endpoint sent, when they differ only in host or query (unconfirmed). */
function uriReading(uri: unknown, endpoint: string): Found | null {
  if (typeof uri !== 'string' || uri === endpoint) return null;
  const withHost = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(uri);
  const uriEndpoint = withHost ? endpointOfUrl(uri) : uri;
  if (uriEndpoint.split('?')[0] !== endpoint.split('?')[0]) return null;
  return {
    code: 'ERR_QIT_URI',
    title: withHost
      ? 'uri claim carries the scheme and host'
      : uri.includes('?')
        ? endpoint.includes('?')
          ? 'uri claim signs another query string than the one sent'
          : 'uri claim signs a query string the request does not send'
        : 'uri claim leaves out the query string sent',
    explanation: rich`The uri claim is ${uri}; the request was sent to ${endpoint}. The uri claim is the endpoint path (with its query string when there is one), without scheme or host.`,
    remedy: 'Sign uri as the path (and query) of the URL you send to, e.g. /test, exactly as sent.',
    signed: uri,
    sent: endpoint,
    confirmed: false,
    explains: 'uri',
  };
}

/** The method claim against the method sent (unconfirmed). */
function methodReading(claim: unknown, method: string): Found | null {
  if (typeof claim !== 'string' || claim === method) return null;
  const caseOnly = claim.toUpperCase() === method.toUpperCase();
  return {
    code: 'ERR_QIT_METHOD_CASE',
    title: caseOnly
      ? 'method claim differs from the request method in case'
      : 'method claim is not the request method',
    explanation: rich`The method claim is ${claim}; the request is sent as ${method}. The claim must be the method sent, in upper case (e.g. POST).`,
    remedy: 'Sign the method in upper case, and send the request with that same method.',
    signed: claim,
    sent: method,
    confirmed: false,
    explains: 'method',
  };
}

/** The timestamp's form and the clock. */
function timestampReadings(ts: string, variant: V2Variant, nowMs: number): Found[] {
  if (!ts) return [];
  const found: Found[] = [];
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
  const skew = clockSkew('timestamp', ts, when, nowMs);
  if (skew) found.push(skew);
  return found;
}

/**
 * The v2 / QI DTVM diagnoses: which key signed, the mistakes searched over the token's claims
 * (confirmed by WebCrypto), and what the claims say where no listed mistake explains them.
 */
export async function v2Diagnoses(
  req: ParsedRequest,
  input: DoctorInput,
  variant: V2Variant,
  endpoint: string,
): Promise<Found[]> {
  // (the value as sent: a header value is bytes, nothing is cleaned away: issue 17)
  const auth = header(req, 'AUTHORIZATION') ?? '';
  const t = await tokenCheck(auth, input.keys);
  const found: Found[] = keyDiagnoses(t, input.keys, 'AUTHORIZATION token');
  const claims = claimsOf(t.decoded);
  const token = tokenCtx(t.decoded, claims);
  if (!claims || !token) return found;
  const method = req.method.trim();
  const hasBody = req.body !== '' && !BODYLESS.has(method.toUpperCase());
  const ctx: V2Ctx = { ...token, variant, method, body: req.body, url: req.url, endpoint, hasBody };
  const confirmed = await searchQit({
    mistakes: V2_MISTAKES,
    ctx,
    keys: p521Keys(input.keys),
    signature: searchSignature(t),
    sentText: t.decoded.segments.slice(0, 2).join('.'),
  });
  if (req.body !== '' && !hasBody) found.push(unsignedBody(method, req.body));
  found.push(...confirmedOr(confirmed, 'md5', () => null));
  found.push(...confirmedOr(confirmed, 'uri', () => uriReading(claims.uri, endpoint)));
  found.push(...confirmedOr(confirmed, 'method', () => methodReading(claims.method, method)));
  const ts = typeof claims.timestamp === 'string' ? claims.timestamp : '';
  found.push(...timestampReadings(ts, variant, input.nowMs));
  return found;
}
