/** sub against the header's API key and the API-CLIENT-KEY sent. */
function apiKeyFinding(
  claims: Record<string, unknown>,
  qit: { apiKey: string },
  apiKey: string | undefined,
): Finding {
  return claims.sub !== qit.apiKey
    ? problem(
        'api-key',
        'ERR_QIT_API_KEY',
        'error',
        'API key',
        rich`The header names ${qit.apiKey}, the token's sub is ${String(claims.sub)}.`,
      )
    : apiKey && apiKey !== qit.apiKey
      ? problem(
          'api-key',
          'ERR_QIT_API_KEY',
          'error',
          'API key',
          rich`Signed for ${qit.apiKey}, not your API key ${apiKey}.`,
        )
      : ok('api-key', 'API key', rich`${qit.apiKey} in the header and in sub.`);
}

/** The md5 line against md5(encoded_body), or empty without a body. */
function md5LineFinding(md5Line: string, body: { jws?: string; problem?: string }): Finding {
  const expectedMd5 = body.jws ? md5Hex(body.jws) : '';
  return body.problem
    ? problem('md5', 'ERR_QIT_MD5', 'error', 'md5 line', body.problem)
    : md5Line === expectedMd5
      ? ok(
          'md5',
          'md5 line',
          body.jws ? rich`md5(encoded_body) = ${expectedMd5}.` : 'Empty, and there is no body.',
        )
      : problem(
          'md5',
          'ERR_QIT_MD5',
          'error',
          'md5 line',
          body.jws
            ? rich`Signed md5 ${md5Line || '(empty)'}, but md5(encoded_body) is ${expectedMd5}. The md5 covers the encoded_body JWS string, not the raw JSON.`
            : rich`Signed md5 ${md5Line || '(empty)'}, but there is no body (md5 must be empty).`,
        );
}

/** The content type line: application/json with a body; "" or application/json without. */
function contentTypeFinding(contentType: string, body: { jws?: string }): Finding {
  return body.jws
    ? contentType === 'application/json'
      ? ok('content-type', 'Content type line', 'application/json.')
      : problem(
          'content-type',
          'ERR_QIT_CONTENT_TYPE',
          'error',
          'Content type line',
          rich`${contentType}; with a body it is application/json.`,
        )
    : ok(
        'content-type',
        'Content type line',
        contentType === ''
          ? 'Empty, as qitech-wrapper and the Clojure client send without a body.'
          : rich`${contentType}, as the Elixir client sends without a body.`,
      );
}

/** The date line's form, and how far it is from this computer's clock. */
function dateFindings(date: string, nowMs: number): Finding[] {
  const findings: Finding[] = [];
  if (!RFC1123.test(date)) {
    findings.push(
      problem(
        'timestamp-format',
        'ERR_QIT_TIMESTAMP_FORMAT',
        'warning',
        'Date line',
        rich`${date} is not RFC 1123 GMT like "Thu, 23 Nov 2023 22:13:20 GMT" (Date.prototype.toUTCString()).`,
      ),
    );
  } else {
    findings.push(ok('timestamp-format', 'Date line', rich`${date}: RFC 1123 GMT.`));
  }
  const when = Date.parse(date);
  if (Number.isFinite(when) && Math.abs(when - nowMs) > SKEW_WARN_MINUTES * 60_000) {
    findings.push(
      problem(
        'clock-skew',
        'ERR_QIT_CLOCK_SKEW',
        'warning',
        'Clock',
        rich`The date is ${ours(describeSkew(when, nowMs))} this computer's clock (QI Tech does not document its tolerance).`,
      ),
    );
  }
  return findings;
}

/**
 * Check a QIT v1 request signed elsewhere (the user's server) against keys the user trusts.
 */
import { ours, rich } from '../../rich';
import type { VerificationKey } from '../../jwt/verify';
import { ok, problem, type Finding } from '../../partners/scheme';
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
import { bodySignature, encodedBodyOf } from '../qitech/encoded-body';

/** The Authorization header's `QIT <api_key>:<token>`, if it is one. */
function splitQit(text: string): { apiKey: string; token: string } | null {
  const m = /^\s*(?:Authorization:\s*)?QIT\s+([^:\s]+):(\S+)\s*$/i.exec(text);
  return m ? { apiKey: m[1]!, token: m[2]! } : null;
}

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Check a QIT v1 request signed elsewhere: the token against keys the user trusts, its claims,
 * the md5 of encoded_body, each string_to_sign line, and encoded_body's own signature.
 */
export async function verifyQitRequest(input: QitRequestInput): Promise<QitRequestVerdict> {
  const findings: Finding[] = [];
  const out = (verdict: { verified: boolean; key?: VerificationKey }, claims?: Record<string, unknown>) =>
    qitRequestVerdict('v1', verdict, findings, claims);
  const qit = splitQit(input.authorization);
  if (!qit) {
    findings.push(
      problem(
        'authorization',
        'ERR_QIT_AUTH_HEADER',
        'error',
        'AUTHORIZATION',
        'Expected "QIT <api_key>:<token>".',
      ),
    );
    return out({ verified: false });
  }
  const { decoded, verdict } = await checkEs512(qit.token, input.keys);
  findings.push(signatureFinding(verdict, input.keys.length));
  const claims = claimsOf(decoded);
  const lines = typeof claims?.signature === 'string' ? claims.signature.split('\n') : [];
  if (!claims || lines.length !== 5 || typeof claims.sub !== 'string') {
    findings.push(
      problem(
        'claims',
        'ERR_QIT_CLAIMS',
        'error',
        'Claims',
        'The token needs {"sub": api_key, "signature": five lines (method, md5, content type, date, endpoint)}.',
      ),
    );
    return out(verdict, claims);
  }
  const extra = Object.keys(claims).filter((k) => k !== 'sub' && k !== 'signature');
  if (extra.length) {
    findings.push(
      problem(
        'extra-claims',
        'ERR_QIT_EXTRA_CLAIMS',
        'info',
        'Other claims',
        rich`Also carries ${extra.join(', ')} (qitech-wrapper adds iat); QI Tech reads sub and signature.`,
      ),
    );
  }
  const apiKey = input.expected?.apiKey?.trim();
  findings.push(apiKeyFinding(claims, qit, apiKey));
  const [method, md5Line, contentType, date, endpoint] = lines as [string, string, string, string, string];
  const body = encodedBodyOf(input.body);
  findings.push(md5LineFinding(md5Line, body), contentTypeFinding(contentType, body));
  findings.push(...dateFindings(date, input.nowMs));
  const m = input.expected?.method?.trim().toUpperCase();
  if (m) {
    findings.push(
      method === m
        ? ok('method', 'Method line', rich`${method}, as sent.`)
        : problem(
            'method',
            'ERR_QIT_METHOD',
            'error',
            'Method line',
            rich`Signed for ${method}, but sent as ${m}.`,
          ),
    );
  }
  const e = endpointFinding(
    'endpoint',
    'ERR_QIT_ENDPOINT',
    'Endpoint line',
    endpoint,
    input.expected?.endpoint?.trim(),
  );
  if (e) findings.push(e);
  if (body.jws) {
    findings.push((await bodySignature(body.jws, input.keys)).finding);
  }
  return out(verdict, claims);
}
