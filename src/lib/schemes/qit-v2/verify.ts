/** The timestamp claim's form, and how far it is from this computer's clock (warnings). */
function timestampFindings(ts: string, variant: V2Variant, nowMs: number): Finding[] {
  const out: Finding[] = [];
  const wrong = variant.timestampPattern.test(ts) ? '' : timestampFormat(ts, variant);
  out.push(
    wrong
      ? problem(
          'timestamp-format',
          'ERR_QIT_TIMESTAMP_FORMAT',
          'warning',
          'timestamp',
          rich`${ts} has ${ours(wrong)}; ${ours(variant.label)} writes e.g. ${ours(variant.timestampExample)}.`,
        )
      : ok('timestamp-format', 'timestamp', rich`${ts}: the ${ours(variant.label)} form.`),
  );
  // The v2 form says Z; the QI DTVM form is UTC without saying so.
  const when = Date.parse(/Z$|[+-]\d{2}:\d{2}$/.test(ts) ? ts : `${ts}Z`);
  if (Number.isFinite(when) && Math.abs(when - nowMs) > SKEW_WARN_MINUTES * 60_000) {
    out.push(
      problem(
        'clock-skew',
        'ERR_QIT_CLOCK_SKEW',
        'warning',
        'Clock',
        rich`The timestamp is ${ours(describeSkew(when, nowMs))} this computer's clock (UTC). QI Tech does not document its tolerance; a fresh request should be within seconds.`,
      ),
    );
  }
  return out;
}

/**
 * Check a v2 / QI DTVM request signed elsewhere (the user's server) against keys the user trusts:
 * the JWT, payload_md5 over the body as pasted, the method and uri claims, the timestamp, the clock.
 */
import { ours, rich } from '../../rich';
import {
  MAX_SERIALISED_BYTES,
  serialisationsLazily,
  type BodySerialisation,
} from '../../partners/body-bytes';
import {
  checkEs512,
  claimsOf,
  describeSkew,
  endpointFinding,
  md5Hex,
  qitRequestVerdict,
  signatureFinding,
  SKEW_WARN_MINUTES,
  type QitRequestInput,
  type QitRequestVerdict,
} from '../qitech/shared';
import { ok, problem, type Finding } from '../../partners/scheme';
import type { V2Variant } from './sign';

/** Methods that send no body: their payload_md5 hashes the "empty payload". */
const BODYLESS = new Set(['GET', 'DELETE', 'HEAD']);

const SERIALISATION_NAMES: Record<BodySerialisation, string> = {
  'as-typed': 'the body exactly as pasted',
  compact: 'JSON.stringify(body) (compact)',
  python: 'Python\'s json.dumps(body) (", " and ": " separators)',
};

/** Name which reading of the body (or empty payload) a payload_md5 hashes. */
function md5Finding(signed: unknown, body: string, hasBody: boolean, variant: V2Variant): Finding {
  const label = 'payload_md5';
  if (signed === undefined) {
    if (!hasBody && !variant.md5WithoutBody)
      return ok('md5', label, 'Absent, as QI DTVM signs requests without a body.');
    return problem(
      'md5',
      'ERR_QIT_CLAIMS',
      'error',
      label,
      hasBody
        ? 'Missing, but there is a body: payload_md5 must be md5 of the body bytes.'
        : 'Missing: v2 signs md5("{}") even without a body.',
    );
  }
  if (typeof signed !== 'string') return problem('md5', 'ERR_QIT_CLAIMS', 'error', label, 'Not a string.');
  if (!hasBody) {
    if (signed === md5Hex('{}'))
      return ok('md5', label, 'md5("{}"): the empty payload, as the complete sample hashes it.');
    if (signed === md5Hex(''))
      return ok(
        'md5',
        label,
        'md5(""): the empty payload read as no bytes (the sample hashes "{}"; check which your QI Tech environment expects).',
      );
    return problem(
      'md5',
      'ERR_QIT_MD5',
      'error',
      label,
      rich`${signed} is neither md5("{}") nor md5(""), and there is no body.`,
    );
  }
  const actual = md5Hex(body);
  if (signed === actual) return ok('md5', label, rich`md5 of the body bytes as pasted: ${actual}.`);
  let match: { id: BodySerialisation } | undefined;
  for (const s of serialisationsLazily(body, MAX_SERIALISED_BYTES)) {
    if (md5Hex(s.bytes) !== signed) continue;
    match = s;
    break;
  }
  if (match) {
    return problem(
      'md5',
      'ERR_QIT_MD5',
      'error',
      label,
      rich`payload_md5 is md5 of ${ours(SERIALISATION_NAMES[match.id] ?? match.id)}, but the body as pasted is other bytes (md5 ${actual}). The server hashed one serialisation and sends another: it must send exactly the bytes it hashed.`,
    );
  }
  const trimmed = body.trimEnd(); // not /\s+$/, quadratic on a long inner run of whitespace
  if (trimmed !== body && md5Hex(trimmed) === signed) {
    return problem(
      'md5',
      'ERR_QIT_MD5',
      'error',
      label,
      'payload_md5 is md5 of the body without its trailing whitespace or newline: send the bytes that were hashed.',
    );
  }
  return problem(
    'md5',
    'ERR_QIT_MD5',
    'error',
    label,
    rich`payload_md5 is ${signed}, but md5 of the body as pasted is ${actual}, and no usual serialisation of it (as pasted, compact, Python json.dumps) gives ${signed}: the body signed was a different body.`,
  );
}

/** Say what is wrong with a timestamp claim's form. */
function timestampFormat(ts: string, variant: V2Variant): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(ts))
    return 'milliseconds (3 digits; the samples write microseconds, 6)';
  if (/[+-]\d{2}:\d{2}$/.test(ts))
    return "a UTC offset instead of Z (Python's isoformat() of an aware datetime)";
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(ts))
    return variant.id === 'v2' ? 'no fraction and no Z: that is the QI DTVM form' : '';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(ts))
    return 'fraction and Z: that is the QI Tech v2 form';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$/.test(ts))
    return "a fraction without Z (a naive datetime's isoformat())";
  if (/^\d{9,13}$/.test(ts)) return 'Unix time, not ISO 8601';
  return 'not ISO 8601 as the samples write it';
}

/**
 * Check a v2 / QI DTVM request signed elsewhere: the JWT against keys the user trusts,
 * payload_md5 over the pasted body (naming which serialisation it hashes when not the pasted
 * bytes), the method and uri claims, the timestamp's form and the clock.
 */
export async function verifyV2Request(
  variant: V2Variant,
  input: QitRequestInput,
): Promise<QitRequestVerdict> {
  const findings: Finding[] = [];
  const text = input.authorization.replace(/^\s*AUTHORIZATION:\s*/i, '');
  const { decoded, verdict } = await checkEs512(text, input.keys);
  const claims = claimsOf(decoded);
  const out = (): QitRequestVerdict => qitRequestVerdict(variant.id, verdict, findings, claims);
  if (decoded.form !== 'jws') {
    findings.push(
      problem(
        'authorization',
        'ERR_QIT_AUTH_HEADER',
        'error',
        'AUTHORIZATION',
        rich`Not a compact JWT: ${verdict.message}`,
      ),
    );
    return out();
  }
  findings.push(signatureFinding(verdict, input.keys.length));
  if (!claims) {
    findings.push(
      problem('claims', 'ERR_QIT_CLAIMS', 'error', 'Claims', 'The payload is not a JSON object.'),
    );
    return out();
  }
  const missing = (['timestamp', 'method', 'uri'] as const).filter((c) => typeof claims[c] !== 'string');
  if (missing.length) {
    findings.push(
      problem(
        'claims',
        'ERR_QIT_CLAIMS',
        'error',
        'Claims',
        rich`Missing or not a string: ${missing.join(', ')}.`,
      ),
    );
  }
  const extra = Object.keys(claims).filter((k) => !['payload_md5', 'timestamp', 'method', 'uri'].includes(k));
  if (extra.length) {
    findings.push(
      problem(
        'extra-claims',
        'ERR_QIT_EXTRA_CLAIMS',
        'info',
        'Other claims',
        rich`Also carries ${extra.join(', ')}; the samples send only payload_md5, timestamp, method and uri.`,
      ),
    );
  }
  const method = typeof claims.method === 'string' ? claims.method : '';
  const sentMethod = input.expected?.method?.trim().toUpperCase();
  const hasBody = input.body !== '' && !(sentMethod && BODYLESS.has(sentMethod));
  findings.push(md5Finding(claims.payload_md5, input.body, hasBody, variant));
  if (sentMethod) {
    findings.push(
      method === sentMethod
        ? ok('method', 'method', rich`${method}, as sent.`)
        : problem(
            'method',
            'ERR_QIT_METHOD',
            'error',
            'method',
            rich`Signed for ${method || ours('(nothing)')}, but sent as ${sentMethod}.`,
          ),
    );
  }
  const uri = endpointFinding(
    'uri',
    'ERR_QIT_URI',
    'uri',
    typeof claims.uri === 'string' ? claims.uri : '',
    input.expected?.endpoint?.trim(),
  );
  if (uri) findings.push(uri);
  const ts = typeof claims.timestamp === 'string' ? claims.timestamp : '';
  if (ts) findings.push(...timestampFindings(ts, variant, input.nowMs));
  return out();
}
