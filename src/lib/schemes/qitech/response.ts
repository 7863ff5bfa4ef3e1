/**
 * The QI Tech response check (for the Sign view's panel): a response's AUTHORIZATION token verified
 * only with QI Tech's trusted public keys, never the user's own (a reflected request would pass).
 */
import type { ErrorCode } from '../../errors';
import { ours, rich } from '../../rich';
import type { KeyType } from '../../keys/key-type';
import type { VerificationKey } from '../../jwt/verify';
import { keysFor, skippedKeys, type KeyOwner, type VerificationContext } from '../../trust/roles';
import { isVerified } from '../../trust/verdict';
import { ok, problem, type Finding } from '../../trust/finding';
import { decodeToken } from '../../jwt/decode';
import { fail, verifyToken, type Verdict } from '../../jwt/verify';
import { own } from '../../json';
import { md5Hex } from './token';

/**
 * Decode a JWS and verify it with the given keys only (anything but ES512 is refused before any
 * key): the verdict, the finding about its signature under `label`, and its JSON payload.
 */
async function checkEs512(
  jws: string,
  keys: VerificationKey[],
  check: string,
  code: ErrorCode,
  label: string,
) {
  const decoded = decodeToken(jws);
  const alg = own(decoded.header, 'alg');
  const verdict: Verdict =
    decoded.form === 'jws' && alg !== 'ES512'
      ? fail(
          'ERR_JWT_ALG_KEY_MISMATCH',
          rich`The token says alg ${String(alg)}; QI Tech tokens are ES512.`,
          [],
        )
      : await verifyToken(decoded, keys);
  const finding = verdict.verified
    ? ok(check, label, rich`Signed by ${verdict.key!.label}.`)
    : problem(check, code, 'error', label, verdict.message);
  return {
    verdict,
    finding,
    json: decoded.payload?.kind === 'json' ? (decoded.payload.value as unknown) : undefined,
  };
}

/** The claims of a token's JSON payload, when it is an object. */
const claimsOf = (v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The encoded_body string of a response body, or why there is none. */
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
const RESPONSE_FROM_QITECH: VerificationContext = { direction: 'response-from', partner: 'qitech' };

/** The keyring's stored P-521 public keys, as keys to verify with. */
const p521Keys = (keyring: readonly QitKeyringEntry[]): VerificationKey[] =>
  keyring
    .filter((k) => k.kind === 'public' && k.type.kty === 'EC' && k.type.curve === 'P-521')
    .map((k) => ({
      kind: 'public',
      label: k.label,
      origin: 'stored',
      spki: k.spki,
      type: k.type,
      owner: k.owner,
    }));

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
  /**
   * The request this answers; its method and endpoint lines are compared (warnings), and the date
   * line with `date`, the response's own Date header, when given.
   */
  request: { method: string; endpoint: string; date?: string };
}

/** What to say about stored P-521 public keys not tried for responses because nobody said whose they are. */
function unownedNote(keyring: readonly QitKeyringEntry[]): string {
  const n = skippedKeys(RESPONSE_FROM_QITECH, p521Keys(keyring)).unowned.length;
  if (!n) return '';
  return ` ${n} stored P-521 public key${n === 1 ? ' has' : 's have'} no owner set, so ${n === 1 ? 'it was' : 'they were'} not tried: in Keys, use "Set whose key" on ${n === 1 ? 'it' : 'each'}.`;
}

/** The Authorization header's `QIT <api_key>:<token>`, if it is one. */
function splitQit(text: string): { apiKey: string; token: string } | null {
  const m = /^\s*(?:Authorization:\s*)?QIT\s+([^:\s]+):(\S+)\s*$/i.exec(text);
  return m ? { apiKey: m[1]!, token: m[2]! } : null;
}

/** How far the signed date may be from the response's Date header and still be the same moment. */
const DATE_SLACK_MS = 5 * 60_000;

/**
 * The signed date line against the response's own date (its Date header), when given: the same
 * moment (to within minutes) holds; another is a warning. With no date to compare, it is shown.
 */
function dateLine(signed: string, date: string | undefined): Finding {
  if (date === undefined)
    return {
      ...ok(
        'date',
        'Date line',
        rich`${signed} (not compared: paste the response's Date header to compare).`,
      ),
      severity: 'info',
    };
  const [a, b] = [Date.parse(signed), Date.parse(date)];
  return signed === date || (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= DATE_SLACK_MS)
    ? ok('date', 'Date line', rich`${signed}, the response's date.`)
    : problem(
        'date',
        'ERR_QIT_DATE',
        'warning',
        'Date line',
        rich`Signed with ${signed}, but the response's Date is ${date}.`,
      );
}

/**
 * The method, date and endpoint lines against the request this answers: warnings only (no QI Tech
 * client checks them; servers may sign with their own clock).
 */
function requestLines(
  lines: readonly string[],
  { method, endpoint, date }: QitResponseInput['request'],
): Finding[] {
  const line = (i: number) => lines[i] ?? '(nothing)';
  return [
    lines[0] === method
      ? ok('method', 'Method line', rich`${method}, as requested.`)
      : problem(
          'method',
          'ERR_QIT_METHOD',
          'warning',
          'Method line',
          rich`Signed for ${line(0)}, but the request was ${method}. No QI Tech client checks this line.`,
        ),
    dateLine(line(3), date),
    lines[4] === endpoint || lines[4] === endpoint.split('?')[0]
      ? ok('endpoint', 'Endpoint line', rich`${lines[4] ?? ''}, as requested.`)
      : problem(
          'endpoint',
          'ERR_QIT_ENDPOINT',
          'warning',
          'Endpoint line',
          rich`Signed for ${line(4)}, but the request was to ${endpoint}. No QI Tech client checks this line.`,
        ),
  ];
}

const [TOKEN_SIGNATURE, BODY_SIGNATURE] = ['Authorization token signature', 'encoded_body signature'];

/**
 * Verify a QI Tech response: the Authorization token with a trusted QI Tech public key, the API
 * key, its md5 line against the body's encoded_body (all required), the method, date and endpoint
 * lines against the request (warnings: no client checks them), then encoded_body itself.
 */
export async function verifyQitResponse(input: QitResponseInput): Promise<QitResponseVerdict> {
  // QI Tech's keys only: never the user's own (a pair, or the public key of the user's server), whose
  // verifying a "response" proves only that the user signed it (a reflected request would pass).
  const keys = keysFor(RESPONSE_FROM_QITECH, p521Keys(input.keyring));
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
          yours
            ? rich`The header names ${qit.apiKey}, not your API key ${yours}.`
            : rich`The header names ${qit.apiKey}; type your API key in the form above to check it is yours.`,
        ),
  );
  const token = await checkEs512(qit.token, keys, 'signature', 'ERR_QIT_TOKEN_SIGNATURE', TOKEN_SIGNATURE);
  const { verdict } = token;
  checks.push(token.finding);
  const claims = claimsOf(token.json);
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
  checks.push(...requestLines(lines, input.request));
  let decodedBody: unknown;
  if (body.jws) {
    const b = await checkEs512(body.jws, keys, 'body-signature', 'ERR_QIT_BODY_SIGNATURE', BODY_SIGNATURE);
    checks.push(b.finding);
    decodedBody = b.json;
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
