/**
 * The one request doctor: read a pasted request (request/), refuse what no scheme can
 * judge one way only, recognise its scheme among the registry's request checks (the highest
 * `recognise()` score wins), verify it with keys whose role fits, and hand every signature's result
 * to the one rule (`decideRequest`). It knows no partner: schemes are folders, and profiles say which
 * partner a scheme sends to. Loaded lazily (normally in the doctor's worker).
 */
import type { KeyAlgHint } from './contract';
import type { ErrorCode } from '../errors';
import type { VerificationKey } from '../jwt/verify';
import { PARTNER_PROFILES } from '../partners/profiles';
import { genericRefusal } from '../request/doctor-refusals';
import { parseRequest } from '../request/parse';
import { header, type ParsedRequest, type RequestVerdict } from '../request/types';
import { ours, rich, type Rich } from '../rich';
import { contextOfScheme, keysFor as keysOf, skippedKeys, type SkippedKeys } from '../trust/roles';
import { decideRequest } from '../trust/verdict';
import { REQUEST_CHECKS } from './doctor-checks';
import { schemesOfKind, SCHEMES } from './metas';
import { bestRecognised, type RequestCheck, type SchemeId } from './contract';

export { parseRequest };

/** What keybench makes of a pasted request. */
export type RequestExamination =
  | { kind: 'error'; code: ErrorCode; parts: Rich; request?: ParsedRequest }
  /** A plain bearer JWT: it goes to the token inspector. */
  | { kind: 'bearer'; request: ParsedRequest; token: string }
  /**
   * `verdicts`: one per signature (several when the message carries several, each labelled);
   * `verdict` is the first of them. `skipped`: stored keys not tried because their role does not
   * fit (a partner's key for a request to that partner, or no owner set).
   */
  | {
      kind: 'verdict';
      request: ParsedRequest;
      /** The scheme it was checked as: its name, and the partner whose profile lists it (if one does). */
      scheme: { id: SchemeId; name: string; partner?: string };
      verdict: RequestVerdict;
      verdicts: RequestVerdict[];
      skipped?: SkippedKeys;
    };

/** The trusted keys for a scheme, or why there are none (the key box could not be read). */
export type KeysAnswer = VerificationKey[] | { code: ErrorCode; parts: Rich };

/** Asks the page for the keys to try on a scheme; `alg` says how to read the key box (`undefined`: any). */
export type KeysFor = (scheme: SchemeId, alg: KeyAlgHint | undefined) => Promise<KeysAnswer>;

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The check that recognises the request best, or null when none does. Deterministic: the highest
 * score wins, and of equal scores the scheme id first in alphabetical order.
 */
export function pickCheck(req: ParsedRequest, checks: readonly RequestCheck[]): RequestCheck | null {
  const byId = [...checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return bestRecognised(byId, (check) => check.recognise(req));
}

/** The JWT an Authorization header carries (behind `Bearer ` or bare), when no scheme claims it. */
function bearerOf(req: ParsedRequest): string | null {
  const auth = header(req, 'authorization')?.trim();
  if (!auth) return null;
  const jwt = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? auth;
  return JWT.test(jwt) ? jwt : null;
}

/**
 * What the doctor looks for, from the metas: each profile's schemes under its partner's name, then
 * each request scheme no profile lists (a standard such as RFC 9421).
 */
function knownSchemes(): string {
  const listed = new Set(PARTNER_PROFILES.flatMap((p) => p.schemes));
  const recognisedBy = (id: SchemeId) => SCHEMES.get(id)?.recognisedBy ?? id;
  const partners = PARTNER_PROFILES.map(
    (p) =>
      `${p.name}: ${p.schemes.length ? [...new Set(p.schemes.map(recognisedBy))].join(' or ') : 'message-level encryption (JWE), no request signature'}`,
  );
  const standards = schemesOfKind('request')
    .filter((m) => !listed.has(m.id))
    .map((m) => `${m.name}: ${m.recognisedBy}`);
  return [...partners, ...standards].join('; ');
}

/** The error for a request no scheme recognises: what keybench looks for, and the headers it saw. */
function unrecognised(request: ParsedRequest): RequestExamination {
  const names = request.headers.map(([n]) => n).join(', ') || 'none';
  return {
    kind: 'error',
    code: 'ERR_REQUEST_NO_SCHEME',
    parts: rich`This request carries no signature keybench knows. It looks for ${ours(knownSchemes())}, or an Authorization: Bearer JWT. Headers seen: ${names}.`,
    request,
  };
}

/** Verify with the keys whose role fits, and judge each signature by the one rule. */
async function judge(
  request: ParsedRequest,
  check: RequestCheck,
  offered: VerificationKey[],
  nowMs: number,
): Promise<RequestExamination> {
  // A request sent to a partner is verified with the user's own keys (or the pasted one), never a
  // partner's: QI Tech's key "verifying" a request means QI Tech signed it.
  const context = contextOfScheme(check.id, PARTNER_PROFILES);
  const partner = PARTNER_PROFILES.find((p) => p.schemes.includes(check.id))?.name;
  const scheme = {
    id: check.id,
    name: SCHEMES.get(check.id)?.name ?? check.id,
    ...(partner !== undefined ? { partner } : {}),
  };
  const keys = keysOf(context, offered);
  const skipped = skippedKeys(context, offered);
  const notTried = skipped.unowned.length || skipped.otherOwner.length ? { skipped } : {};
  const found = await check.verify({ request, keys, nowMs });
  const results = Array.isArray(found) ? found : [found];
  const verdicts = results.map((r) => decideRequest(context, r));
  const [verdict] = verdicts;
  if (!verdict)
    return {
      kind: 'error',
      code: 'ERR_REQUEST_NO_SCHEME',
      parts: ['The request carries no signature to check.'],
      request,
    };
  return { kind: 'verdict', request, scheme, verdict, verdicts, ...notTried };
}

/**
 * Read the pasted text as a request and, when it is one, examine it with the trusted keys the page
 * gives (`keysFor`). Null when the text is not a request (a JWT, say). `checks`: the request checks
 * to recognise it among (default: every scheme's; tests pass their own).
 */
export async function examineRequest(
  text: string,
  keysFor: KeysFor,
  nowMs: number,
  checks?: readonly RequestCheck[],
): Promise<RequestExamination | null> {
  const parsed = parseRequest(text);
  if (parsed.kind === 'not-request') return null;
  if (parsed.kind === 'error') return { kind: 'error', code: parsed.code, parts: parsed.parts };
  const request = parsed.request;
  const check = pickCheck(request, checks ?? REQUEST_CHECKS);
  if (check === null) {
    const token = bearerOf(request);
    return token === null ? unrecognised(request) : { kind: 'bearer', request, token };
  }
  const refused = genericRefusal(request, check.signedHeaders) ?? check.refuse?.(request) ?? null;
  if (refused) return { kind: 'error', ...refused, request };
  const offered = await keysFor(check.id, check.keyAlg);
  if (!Array.isArray(offered)) return { kind: 'error', code: offered.code, parts: offered.parts, request };
  return judge(request, check, offered, nowMs);
}
