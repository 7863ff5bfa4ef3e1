/**
 * The request doctor (issue 12): read a pasted request, recognise its partner scheme from its
 * headers, verify it with keys the user trusts, and diagnose why it fails. Loaded lazily.
 */
import { decodeToken } from '../jwt/decode';
import { duplicateMembers, own } from '../json';
import type { VerificationKey } from '../jwt/verify';
import type { ErrorCode } from '../errors';
import { ours, rich, type Rich } from '../rich';
import { recogniseQitScheme } from '../schemes/qitech/request';
import { diagnoseQredo } from '../schemes/qredo/doctor';
import { qitechResult } from '../schemes/qitech/doctor';
import { REQUEST_TO_QITECH } from '../schemes/qitech/shared';
import { decideRequest } from '../trust/verdict';
import {
  keysFor as keysOf,
  partnerOfScheme,
  skippedKeys,
  type SkippedKeys,
  type VerificationContext,
} from '../trust/roles';
import { diagnoseBinance } from '../schemes/binance/check';
import { PARTNER_PROFILES } from '../partners/profiles';
import { problem } from '../partners/scheme';
import { parseRequest } from './parse';
import { header, type ParsedRequest, type RequestScheme, type RequestVerdict } from './types';

export { parseRequest };

/** What keybench makes of a pasted request. */
export type RequestExamination =
  | { kind: 'error'; code: ErrorCode; parts: Rich; request?: ParsedRequest }
  /** A plain bearer JWT: it goes to the token inspector. */
  | { kind: 'bearer'; request: ParsedRequest; token: string }
  /** `skipped`: stored keys not tried because their role does not fit a request (a partner's, or no owner set). */
  | { kind: 'verdict'; request: ParsedRequest; verdict: RequestVerdict; skipped?: SkippedKeys };

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The partner scheme a request's headers show, a bearer JWT, or null. */
export function schemeOf(req: ParsedRequest): RequestScheme | { bearer: string } | null {
  if (header(req, 'x-sign') !== undefined) return 'qredo';
  // Binance: the API key header and a signature parameter in the query or the form body.
  if (header(req, 'x-mbx-apikey') !== undefined && /(?:^|[?&])signature=/.test(`${req.url}&${req.body}`))
    return 'binance';
  const auth = header(req, 'authorization')?.trim();
  if (auth) {
    if (/^QIT\s/i.test(auth)) return 'qit-v1';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const jwt = bearer ?? auth;
    if (JWT.test(jwt)) {
      const claims = decodeToken(jwt).payload;
      const value = claims?.kind === 'json' ? claims.value : undefined;
      const qi = own(value, 'uri') !== undefined || own(value, 'payload_md5') !== undefined;
      // A QI Tech token is checked as one even behind "Bearer" (a mistake of its own, diagnosed below):
      // as a bearer token its claims about the body and URI would go unchecked.
      if (qi) return recogniseQitScheme(jwt) === 'qi-dtvm' ? 'qi-dtvm' : 'qit-v2';
      return { bearer: jwt };
    }
  }
  return null;
}

/** The headers each scheme's signature depends on (names in lower case). */
const SIGNED_HEADERS: Record<RequestScheme, readonly string[]> = {
  qredo: ['x-sign', 'x-timestamp', 'x-nonce', 'x-api-key'],
  'qit-v1': ['authorization', 'api-client-key', 'content-type'],
  'qit-v2': ['authorization', 'api-client-key'],
  'qi-dtvm': ['authorization', 'api-client-key'],
  binance: ['x-mbx-apikey', 'content-type'],
};

/** A JWS in compact form, as a server splits and base64url-decodes it: nothing around it. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A token the server cannot decode as sent (issue 17): header values are bytes, so quotes,
 * backticks, a `Bearer ` or `Authorization:` prefix or spaces around a QIT v1 token are not
 * cleaned away and verified, they are refused. The v2 and QI DTVM token is recognised only as a
 * bare compact JWS ({@link schemeOf}); its `Bearer ` prefix is a diagnosis of its own.
 */
export function tokenProblem(
  req: ParsedRequest,
  scheme: RequestScheme,
): { code: ErrorCode; parts: Rich } | null {
  if (scheme !== 'qit-v1') return null;
  const auth = header(req, 'authorization') ?? '';
  const m = /^QIT[ \t]+([^:\s]+):([\s\S]*)$/i.exec(auth);
  if (m && COMPACT_JWS.test(m[2] ?? '')) return null;
  return {
    code: 'ERR_QIT_AUTH_HEADER',
    parts: rich`AUTHORIZATION is ${auth}. QI Tech reads it as "QIT <api_key>:<token>" with the token a bare JWS (three base64url parts joined by dots): quotes, backticks, a prefix or spaces around the token are sent as they are, and the server cannot decode it (GDF000014). Send the token alone after "QIT <api_key>:".`,
  };
}

/**
 * The body a scheme's verdict depends on, read one way only (issue 17): the QIT v1 body is JSON
 * whose `encoded_body` member appears once (JSON parsers keep the first or the last of two, so
 * keybench cannot say which one the server verifies) and holds a bare compact JWS.
 */
export function signedBodyProblem(
  req: ParsedRequest,
  scheme: RequestScheme,
): { code: ErrorCode; parts: Rich } | null {
  if (scheme !== 'qit-v1' || req.body.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(req.body);
  } catch {
    return null; // not JSON: the QI Tech doctor explains what the body should be
  }
  if (duplicateMembers(req.body).includes('encoded_body'))
    return {
      code: 'ERR_REQUEST_DUPLICATE_MEMBER',
      parts: [
        'The body sends encoded_body more than once. JSON parsers disagree on which one counts (the first or the last), so keybench cannot say which was verified: send it once.',
      ],
    };
  const encoded = own(value, 'encoded_body');
  if (typeof encoded === 'string' && !COMPACT_JWS.test(encoded))
    return {
      code: 'ERR_QIT_AUTH_HEADER',
      parts: rich`encoded_body is ${encoded.slice(0, 80)}${ours(encoded.length > 80 ? '…' : '')}, not a bare JWS (three base64url parts joined by dots): the server cannot decode it as sent. Send the JWS alone as the value of encoded_body.`,
    };
  return null;
}

/** Top-level members of a QIT v1 body besides encoded_body: sent, but covered by no signature. */
export function uncoveredMembers(req: ParsedRequest, scheme: RequestScheme): string[] {
  if (scheme !== 'qit-v1') return [];
  try {
    const value: unknown = JSON.parse(req.body);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.keys(value).filter((k) => k !== 'encoded_body');
  } catch {
    return [];
  }
}

/** What the partner profiles' schemes are recognised by, for the message when none is found. */
const KNOWN_SCHEMES = PARTNER_PROFILES.map(
  (p) => `${p.name}: ${[...new Set(p.schemes.map((s) => s.recognisedBy))].join(' or ')}`,
).join('; ');

/**
 * A signed header the doctor cannot read one way only: sent twice (servers pick the first, the
 * last, or join them), or holding characters besides visible ASCII, space and tab (a no-break
 * space or a line separator at the end looks like nothing, yet it is part of the bytes sent).
 */
export function signedHeaderProblem(
  req: ParsedRequest,
  names: readonly string[],
): { code: ErrorCode; parts: Rich } | null {
  for (const name of names) {
    const lines = req.headers.filter(([n]) => n.toLowerCase() === name);
    if (lines.length > 1) {
      return {
        code: 'ERR_REQUEST_DUPLICATE_HEADER',
        parts: rich`The request sends ${ours(name)} ${ours(String(lines.length))} times (${lines.map(([n, v]) => `${n}: ${v}`).join(' | ')}). Servers disagree on which one counts (the first, the last, or both joined by a comma), so keybench cannot say which was verified: send it once.`,
      };
    }
    const value = lines[0]?.[1];
    if (value !== undefined && /[^\x20-\x7e\t]/.test(value)) {
      const ch = /[^\x20-\x7e\t]/.exec(value)![0];
      const cp = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      return {
        code: 'ERR_REQUEST_HEADER_VALUE',
        parts: rich`The ${ours(name)} header holds the character ${ours(cp)}, which is not visible ASCII: ${value}. It is part of the bytes sent but looks like nothing; a server reads it differently than it looks. Send the header in plain ASCII.`,
      };
    }
  }
  return null;
}

/**
 * A header value holding CR, LF or NUL: sent as written, it makes more header lines than the paste
 * shows (a second x-sign, say), so nothing about the request can be said for sure.
 */
function framingProblem(req: ParsedRequest): { code: ErrorCode; parts: Rich } | null {
  const bad = req.headers.find(([, v]) => /[\r\n\0]/.test(v));
  return bad
    ? {
        code: 'ERR_REQUEST_HEADER_VALUE',
        parts: rich`The ${bad[0]} header holds a line break or NUL. Sent as written it starts another header line, so the server reads headers the paste does not show. Send each header on its own line.`,
      }
    : null;
}

/** A Host header that names another host than the URL: the server routes by Host, keybench verified the URL. */
function hostProblem(req: ParsedRequest): { code: ErrorCode; parts: Rich } | null {
  const host = header(req, 'host');
  if (host === undefined) return null;
  let urlHost: string;
  try {
    urlHost = new URL(req.url).host;
  } catch {
    return null;
  }
  const sent = host.replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase();
  // A default port may be written or not.
  const bare = (h: string) => h.replace(/:(443|80)$/, '');
  if (bare(sent) === bare(urlHost.toLowerCase())) return null;
  return {
    code: 'ERR_REQUEST_HEADER_VALUE',
    parts: rich`The Host header says ${host}, but the URL's host is ${urlHost}. The server answers for the Host it is sent, while the signature was checked over the URL: send the Host of the URL.`,
  };
}

/** The algorithm to read the key box for (Binance takes Ed25519 or RSA: the box says which). */
export function algOfScheme(s: RequestScheme): 'RS256' | 'ES512' | undefined {
  return s === 'qredo' ? 'RS256' : s === 'binance' ? undefined : 'ES512';
}

/** Read the pasted text as a request and, when it is one, examine it with the given trusted keys. */
export async function examineRequest(
  text: string,
  keysFor: (scheme: RequestScheme) => Promise<VerificationKey[] | { code: ErrorCode; parts: Rich }>,
  nowMs: number,
): Promise<RequestExamination | null> {
  const parsed = parseRequest(text);
  if (parsed.kind === 'not-request') return null;
  if (parsed.kind === 'error') return { kind: 'error', code: parsed.code, parts: parsed.parts };
  const request = parsed.request;
  const scheme = schemeOf(request);
  if (scheme === null) {
    const names = request.headers.map(([n]) => n).join(', ') || 'none';
    return {
      kind: 'error',
      code: 'ERR_REQUEST_NO_SCHEME',
      parts: rich`This request carries no signature keybench knows. It looks for ${ours(KNOWN_SCHEMES)}, or an Authorization: Bearer JWT. Headers seen: ${names}.`,
      request,
    };
  }
  if (typeof scheme === 'object') return { kind: 'bearer', request, token: scheme.bearer };
  const refused =
    framingProblem(request) ??
    signedHeaderProblem(request, ['host', ...SIGNED_HEADERS[scheme]]) ??
    hostProblem(request) ??
    tokenProblem(request, scheme) ??
    signedBodyProblem(request, scheme);
  if (refused) return { kind: 'error', ...refused, request };
  const offered = await keysFor(scheme);
  if (!Array.isArray(offered)) return { kind: 'error', code: offered.code, parts: offered.parts, request };
  // A request sent to a partner is verified with the user's own keys (or the pasted one), never a
  // partner's: QI Tech's key "verifying" a request means QI Tech signed it.
  const context: VerificationContext = { direction: 'request-to', partner: partnerOfScheme(scheme) };
  const keys = keysOf(context, offered);
  const skipped = skippedKeys(context, offered);
  const notTried = skipped.unowned.length || skipped.otherOwner.length ? { skipped } : {};
  if (scheme === 'qredo')
    return { kind: 'verdict', request, verdict: await diagnoseQredo({ request, keys, nowMs }), ...notTried };
  if (scheme === 'binance')
    return {
      kind: 'verdict',
      request,
      verdict: await diagnoseBinance({ request, keys, nowMs }),
      ...notTried,
    };
  // QI Tech v2 sends the bare JWT: with a "Bearer " prefix the server cannot decode it (GDF000014).
  const auth = header(request, 'authorization') ?? '';
  const bearer = /^[ \t]*Bearer[ \t]+/i.exec(auth);
  const checked = bearer
    ? {
        ...request,
        headers: request.headers.map(([n, v]): [string, string] =>
          n.toLowerCase() === 'authorization' ? [n, v.slice(bearer[0].length)] : [n, v],
        ),
      }
    : request;
  const examined = await qitechResult({ request: checked, keys, nowMs }, scheme);
  const extra = uncoveredMembers(request, scheme);
  const found =
    extra.length === 0
      ? examined
      : {
          ...examined,
          findings: [
            ...examined.findings,
            problem(
              'body:uncovered',
              'ERR_REQUEST_UNSIGNED_MEMBER',
              'warning',
              'Body members',
              rich`The body also sends ${extra.slice(0, 10).join(', ')}${ours(extra.length > 10 ? ', …' : '')} beside encoded_body: no signature covers them, so anyone on the way could change them. The server should read only encoded_body.`,
            ),
          ],
        };
  if (!bearer)
    return { kind: 'verdict', request, verdict: decideRequest(REQUEST_TO_QITECH, found), ...notTried };
  const prefix: RequestVerdict['diagnoses'][number] = {
    code: 'ERR_QIT_AUTH_HEADER',
    title: 'AUTHORIZATION carries a "Bearer " prefix',
    explanation: [
      'QI Tech v2 and QI DTVM send the JWT itself as AUTHORIZATION, with no prefix. With "Bearer " in front the server cannot decode the token and answers GDF000014. The token behind the prefix was checked as well: see below.',
    ],
    remedy: 'Send AUTHORIZATION: <jwt>, without "Bearer ".',
    confirmed: false,
  };
  // The prefix is something QI Tech refuses: it can only fail the verdict, which the rule decides.
  const verdict = decideRequest(REQUEST_TO_QITECH, {
    ...found,
    refusal: 'ERR_QIT_AUTH_HEADER',
    failCode: 'ERR_QIT_AUTH_HEADER',
    parts: found.signedBy
      ? [
          'The token verifies, but QI Tech would refuse the request: AUTHORIZATION carries a "Bearer " prefix.',
        ]
      : [
          'Not verified: AUTHORIZATION carries a "Bearer " prefix, and the token behind it does not verify either.',
        ],
    diagnoses: [prefix, ...found.diagnoses],
  });
  return { kind: 'verdict', request, verdict, ...notTried };
}
