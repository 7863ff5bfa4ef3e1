/**
 * QI Tech "QIT" v1 request signing, request checking, and response verification (PARTNERS.md).
 * Every JWS is {"alg":"ES512","typ":"JWT"} with a raw r‖s P-521 signature.
 */
import { KeybenchError, type ErrorCode } from '../../errors';
import { ours, rich } from '../../rich';
import type { KeyType } from '../../keys/key-type';
import type { VerificationKey } from '../../jwt/verify';
import { keysFor, skippedKeys, type KeyOwner, type VerificationContext } from '../../trust/roles';
import { isVerified } from '../../trust/verdict';
import { curlCommand, shellQuote } from '../../partners/shell';
import {
  checkEs512,
  claimsOf,
  endpointFinding,
  signatureFinding,
  qitRequestVerdict,
  type QitRequestInput,
  type QitRequestVerdict,
  describeSkew,
  md5Hex,
  requireP521,
  signEs512,
  SKEW_WARN_MINUTES,
} from '../qitech/shared';
import { ok, problem, type Finding, type PartnerScheme, type SignedPart } from '../../partners/scheme';

export { md5Hex, type QitRequestInput, type QitRequestVerdict } from '../qitech/shared';

/** A time as RFC 1123 GMT, the form QI Tech's date line takes (e.g. "Thu, 23 Nov 2023 22:13:20 GMT"). */
export function rfc1123Date(ms: number): string {
  return new Date(ms).toUTCString();
}

/** The `string_to_sign`: method, md5, content type, date, endpoint, one per line. */
export function qitStringToSign(
  method: string,
  md5: string,
  contentType: string,
  date: string,
  endpoint: string,
): string {
  return [method, md5, contentType, date, endpoint].join('\n');
}

/** Where the sources disagree (PARTNERS.md, the clients' table), the choices. */
export interface QitOptions {
  /** Content type line for requests without a body: "" (qitech-wrapper, Clojure; default) or application/json (Elixir). */
  getContentType: '' | 'application/json';
  /** Sign the endpoint with its query string (qitech-wrapper ≥ 0.1.9, Elixir; default) or without (0.1.8). */
  endpointWithQuery: boolean;
}

/** The defaults: what most current clients do. */
export const QIT_DEFAULTS: QitOptions = { getContentType: '', endpointWithQuery: true };

/** A signed QIT request. */
export interface QitSigned {
  encodedBody?: string;
  /** The body to send: `{"encoded_body":"<jws>"}`, or undefined without a body. */
  sentBody?: string;
  md5: string;
  contentType: string;
  endpoint: string;
  stringToSign: string;
  token: string;
  headers: Record<string, string>;
  curl: string;
}

/** Input to {@link signQitRequest}. */
export interface QitSignInput {
  privateKey: CryptoKey;
  apiKey: string;
  method: string;
  endpoint: string;
  body: string;
  date: string;
  options: QitOptions;
  baseUrl?: string;
}

/**
 * Sign a QI Tech request. `body` is JSON text (or empty for none).
 * @throws KeybenchError ERR_PARTNER_INPUT for a non-P-521 key, invalid JSON, or a bad endpoint.
 */
export async function signQitRequest(input: QitSignInput): Promise<QitSigned> {
  const { privateKey, apiKey, method, body, date, options } = input;
  requireP521(privateKey);
  if (!input.endpoint.startsWith('/')) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The endpoint is the path, starting with "/", e.g. /test.');
  }
  const endpoint = options.endpointWithQuery ? input.endpoint : input.endpoint.split('?')[0]!;
  let encodedBody: string | undefined;
  let sentBody: string | undefined;
  if (body.trim()) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        `The body is not valid JSON: ${e instanceof Error ? e.message : e}`,
      );
    }
    encodedBody = await signEs512(JSON.stringify(json), privateKey);
    sentBody = JSON.stringify({ encoded_body: encodedBody });
  }
  const md5 = encodedBody ? md5Hex(encodedBody) : '';
  const contentType = encodedBody ? 'application/json' : options.getContentType;
  const stringToSign = qitStringToSign(method, md5, contentType, date, endpoint);
  const token = await signEs512({ sub: apiKey, signature: stringToSign }, privateKey);
  const headers: Record<string, string> = {
    AUTHORIZATION: `QIT ${apiKey}:${token}`,
    'API-CLIENT-KEY': apiKey,
  };
  if (contentType) headers['Content-Type'] = contentType;
  // The base URL depends on the environment QI Tech gave you; the shell variable leaves it to you.
  const url = input.baseUrl
    ? shellQuote(`${input.baseUrl.replace(/\/$/, '')}${input.endpoint}`)
    : `"$QITECH_BASE_URL"${shellQuote(input.endpoint)}`;
  const curl = curlCommand(method, url, headers, sentBody ? [`  --data-binary ${shellQuote(sentBody)}`] : []);
  return { encodedBody, sentBody, md5, contentType, endpoint, stringToSign, token, headers, curl };
}

/** The texts a QIT request signs: encoded_body's payload, its MD5 input, and the string to sign. */
export function describeQitRequest(s: QitSigned): SignedPart[] {
  const parts: SignedPart[] = [];
  if (s.encodedBody) parts.push({ label: 'MD5 input (the encoded_body JWS)', text: s.encodedBody });
  parts.push({ label: 'string_to_sign', text: s.stringToSign });
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Responses: only against trusted public keys.

/** A keyring entry as the response verifier sees it: whether it is a pair or a trusted public key, and whose. */
export interface QitKeyringEntry {
  kind: 'pair' | 'public';
  label: string;
  spki: Uint8Array<ArrayBuffer>;
  type: KeyType;
  /** Whose key it is (unset: stored before keys had roles). */
  owner?: KeyOwner;
}

/** A response is checked as one coming from QI Tech: QI Tech's keys only (trust/roles.ts). */
export const RESPONSE_FROM_QITECH: VerificationContext = { direction: 'response-from', partner: 'qitech' };

function asCandidate(k: QitKeyringEntry): VerificationKey {
  return {
    kind: 'public',
    label: k.label,
    origin: 'stored',
    spki: k.spki,
    type: k.type,
    ...(k.owner ? { owner: k.owner } : {}),
  };
}

/**
 * The keys that may verify a QI Tech response: stored P-521 public keys whose owner is QI Tech.
 * Never the user's own key (a pair, or the public key of the user's server): it verifying a
 * "response" proves only that the user signed it — a reflected request would pass.
 */
export function qitechResponseKeys(keyring: readonly QitKeyringEntry[]): VerificationKey[] {
  return keysFor(
    RESPONSE_FROM_QITECH,
    keyring
      .filter((k) => k.kind === 'public' && k.type.kty === 'EC' && k.type.curve === 'P-521')
      .map(asCandidate),
  );
}

/** Stored P-521 public keys with no owner set: not tried for responses until the user says whose they are. */
export function qitechUnownedKeys(keyring: readonly QitKeyringEntry[]): string[] {
  return skippedKeys(
    RESPONSE_FROM_QITECH,
    keyring
      .filter((k) => k.kind === 'public' && k.type.kty === 'EC' && k.type.curve === 'P-521')
      .map(asCandidate),
  ).unowned;
}

/** The response verdict: `verified` when the token's signature, the API key and the md5 line hold. */
export interface QitResponseVerdict {
  verified: boolean;
  /** Why nothing was checked, when nothing could be (e.g. ERR_QIT_NO_TRUSTED_KEY). */
  code?: ErrorCode;
  message: string;
  checks: Finding[];
  decodedBody?: unknown;
}

/** Input to {@link verifyQitResponse}. */
export interface QitResponseInput {
  authorization: string;
  body: string;
  /** The user's API key (integration key). */
  apiKey: string;
  /** The whole keyring; only its trusted P-521 public keys are used. */
  keyring: readonly QitKeyringEntry[];
  /** The request this answers; its method, endpoint and date lines are compared (warnings). */
  request: { method: string; endpoint: string; date?: string };
}

/** What to say about stored P-521 public keys that were not tried because nobody said whose they are. */
function unownedNote(keyring: readonly QitKeyringEntry[]): string {
  const n = qitechUnownedKeys(keyring).length;
  if (!n) return '';
  return ` ${n} stored P-521 public key${n === 1 ? ' has' : 's have'} no owner set, so ${n === 1 ? 'it was' : 'they were'} not tried: in Keys, use "Set whose key" on ${n === 1 ? 'it' : 'each'}.`;
}

/** The Authorization header's `QIT <api_key>:<token>`, if it is one. */
function splitQit(text: string): { apiKey: string; token: string } | null {
  const m = /^\s*(?:Authorization:\s*)?QIT\s+([^:\s]+):(\S+)\s*$/i.exec(text);
  return m ? { apiKey: m[1]!, token: m[2]! } : null;
}

/** The encoded_body string of a v1 body, or why there is none. */
function encodedBodyOf(body: string): { jws?: string; problem?: string } {
  if (!body.trim()) return {};
  try {
    const parsed = JSON.parse(body) as { encoded_body?: unknown } | null;
    if (parsed && typeof parsed.encoded_body === 'string') return { jws: parsed.encoded_body };
    return { problem: 'The body is JSON but has no "encoded_body" string (QIT v1 wraps the body in one).' };
  } catch {
    return { problem: 'The body is not JSON with an "encoded_body" string.' };
  }
}

/**
 * Verify a QI Tech response: the Authorization token with a trusted QI Tech public key, the API
 * key, its md5 line against the body's encoded_body (all required), the method, date and endpoint
 * lines against the request (warnings: no client checks them), then encoded_body itself.
 */
export async function verifyQitResponse(input: QitResponseInput): Promise<QitResponseVerdict> {
  const keys = qitechResponseKeys(input.keyring);
  if (keys.length === 0) {
    return {
      verified: false,
      code: 'ERR_QIT_NO_TRUSTED_KEY',
      message: `Not verified: there is no QI Tech public key in your keyring. Import QI Tech's public key (Keys → Import, Whose key: QI Tech). Your own keys are never used for responses: they would accept your own request sent back to you.${unownedNote(input.keyring)}`,
      checks: [],
    };
  }
  const checks: Finding[] = [];
  const qit = splitQit(input.authorization);
  if (!qit) {
    checks.push(
      problem(
        'authorization',
        'ERR_QIT_AUTH_HEADER',
        'error',
        'Authorization header',
        'Expected "QIT <api_key>:<token>".',
      ),
    );
    return { verified: false, message: 'Not verified: Authorization header failed.', checks };
  }
  const yours = input.apiKey.trim();
  checks.push(
    qit.apiKey === yours
      ? ok('api-key', 'API key', 'The header names your API key.')
      : problem(
          'api-key',
          'ERR_QIT_API_KEY',
          'error',
          'API key',
          rich`The header names ${qit.apiKey}, not your API key ${yours || ours('(empty)')}.`,
        ),
  );
  const { decoded, verdict } = await checkEs512(qit.token, keys);
  checks.push(
    verdict.verified
      ? ok('signature', 'Authorization token signature', rich`Signed by ${verdict.key!.label}.`)
      : problem(
          'signature',
          'ERR_QIT_TOKEN_SIGNATURE',
          'error',
          'Authorization token signature',
          verdict.message,
        ),
  );
  const claims = claimsOf(decoded);
  const lines = typeof claims?.signature === 'string' ? claims.signature.split('\n') : [];
  const body = encodedBodyOf(input.body);
  const expectedMd5 = body.jws ? md5Hex(body.jws) : '';
  checks.push(
    lines.length === 5 && lines[1] === expectedMd5 && !body.problem
      ? ok(
          'md5',
          'Body MD5',
          rich`md5(encoded_body) = ${expectedMd5 || ours('(empty: no body)')}, as signed.`,
        )
      : problem(
          'md5',
          'ERR_QIT_MD5',
          'error',
          'Body MD5',
          lines.length !== 5
            ? 'The token has no five-line "signature" claim.'
            : (body.problem ??
                rich`The token signs md5 ${lines[1] || ours('(empty)')}, but md5(encoded_body) is ${expectedMd5 || ours('(empty)')}: the body is not the one that was signed.`),
        ),
  );
  const { method, endpoint, date } = input.request;
  const line = (i: number) => lines[i] ?? '(nothing)';
  checks.push(
    lines[0] === method
      ? ok('method', 'Method line', rich`${method}, as requested.`)
      : problem(
          'method',
          'ERR_QIT_METHOD',
          'warning',
          'Method line',
          rich`Signed for ${line(0)}, but the request was ${method}. No QI Tech client checks this line.`,
        ),
  );
  checks.push(
    date === undefined
      ? { ...ok('date', 'Date line', rich`${line(3)} (not compared: no request date).`), severity: 'info' }
      : lines[3] === date
        ? ok('date', 'Date line', rich`${date}, as requested.`)
        : problem(
            'date',
            'ERR_QIT_DATE',
            'warning',
            'Date line',
            rich`Signed with ${line(3)}, the request's date was ${date}. Servers may sign with their own clock.`,
          ),
  );
  checks.push(
    lines[4] === endpoint || lines[4] === endpoint.split('?')[0]
      ? ok('endpoint', 'Endpoint line', rich`${lines[4] ?? ''}, as requested.`)
      : problem(
          'endpoint',
          'ERR_QIT_ENDPOINT',
          'warning',
          'Endpoint line',
          rich`Signed for ${line(4)}, but the request was to ${endpoint}. No QI Tech client checks this line.`,
        ),
  );
  let decodedBody: unknown;
  if (body.jws) {
    const b = await bodySignature(body.jws, keys);
    checks.push(b.finding);
    if (b.decoded.payload?.kind === 'json') decodedBody = b.decoded.payload.value;
  }
  // The one rule: the token's signature holds with QI Tech's key, and no check is an error.
  const verified = isVerified(RESPONSE_FROM_QITECH, verdict.verified ? verdict.key : undefined, checks);
  const warnings = checks.filter((c) => c.severity === 'warning').length;
  return {
    verified,
    message: verified
      ? `Signature verified with "${verdict.key!.label}": token, API key and body MD5 hold${body.jws ? ', and encoded_body is signed' : ''}.${warnings ? ` ${warnings} warning${warnings > 1 ? 's' : ''} below.` : ''}`
      : `Not verified: ${checks.find((c) => c.severity === 'error')!.label} failed.${unownedNote(input.keyring)}`,
    checks,
    decodedBody,
  };
}

// ---------------------------------------------------------------------------------------------
// Requests signed elsewhere (the user's server): checked against keys the user trusts.

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
  findings.push(
    claims.sub !== qit.apiKey
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
        : ok('api-key', 'API key', rich`${qit.apiKey} in the header and in sub.`),
  );
  const [method, md5Line, contentType, date, endpoint] = lines as [string, string, string, string, string];
  const body = encodedBodyOf(input.body);
  const expectedMd5 = body.jws ? md5Hex(body.jws) : '';
  findings.push(
    body.problem
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
          ),
  );
  findings.push(
    body.jws
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
        ),
  );
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
  if (Number.isFinite(when) && Math.abs(when - input.nowMs) > SKEW_WARN_MINUTES * 60_000) {
    findings.push(
      problem(
        'clock-skew',
        'ERR_QIT_CLOCK_SKEW',
        'warning',
        'Clock',
        rich`The date is ${ours(describeSkew(when, input.nowMs))} this computer's clock (QI Tech does not document its tolerance).`,
      ),
    );
  }
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

/** QIT v1 behind the partner interface. */
export const qitechV1: PartnerScheme<QitSignInput, QitSigned, QitRequestInput, QitRequestVerdict> = {
  id: 'qitech-v1',
  label: 'QIT (v1)',
  sign: signQitRequest,
  verify: verifyQitRequest,
  describe: describeQitRequest,
};

/** The `encoded_body` JWS checked with `keys`, as a finding. */
async function bodySignature(jws: string, keys: VerificationKey[]) {
  const b = await checkEs512(jws, keys);
  const finding = b.verdict.verified
    ? ok('body-signature', 'encoded_body signature', rich`Signed by ${b.verdict.key!.label}.`)
    : problem(
        'body-signature',
        'ERR_QIT_BODY_SIGNATURE',
        'error',
        'encoded_body signature',
        b.verdict.message,
      );
  return { finding, decoded: b.decoded };
}
