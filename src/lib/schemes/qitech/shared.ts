/**
 * What QI Tech's schemes (QIT v1, v2, QI DTVM) share, and nothing else: MD5 hex, ES512 compact
 * JWS signing with a P-521 key, and checking one against candidate keys.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { toHex } from '../../encoding/base64url';
import { KeybenchError } from '../../errors';
import { signJws } from '../../jwt/sign';
import { decodeToken, type DecodedToken } from '../../jwt/decode';
import { fail, verifyToken, type Verdict, type VerificationKey } from '../../jwt/verify';
import { own } from '../../json';
import { rich } from '../../rich';
import type { ErrorCode } from '../../errors';
import { ok, problem, type Finding } from '../../partners/scheme';
import { isVerified, roleFinding } from '../../trust/verdict';
import type { VerificationContext } from '../../trust/roles';

/** The JWS header every QI Tech token carries. */
export const ES512_HEADER = { alg: 'ES512', typ: 'JWT' } as const;

/** Lowercase hex MD5 of a string's UTF-8 bytes (@noble/hashes: WebCrypto has no MD5). */
export function md5Hex(text: string): string {
  return toHex(md5(new TextEncoder().encode(text)));
}

/**
 * Refuse anything but an ECDSA P-521 private key.
 * @throws KeybenchError ERR_PARTNER_INPUT for another key.
 */
export function requireP521(privateKey: CryptoKey): void {
  const alg = privateKey.algorithm as EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-521') {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      'QI Tech signs with ECDSA P-521 (ES512): choose a P-521 key pair.',
    );
  }
}

/** Sign an ES512 compact JWS: a string payload as its bytes, an object as JSON.stringify of it. */
export function signEs512(payload: string | Record<string, unknown>, privateKey: CryptoKey): Promise<string> {
  return signJws({ ...ES512_HEADER }, payload, privateKey, 'ES512');
}

/**
 * Decode a JWS and verify it against the given keys only. The token must say ES512: QI Tech
 * tokens never use another algorithm, so anything else is refused before any key is tried.
 */
export async function checkEs512(
  jws: string,
  keys: VerificationKey[],
): Promise<{ decoded: DecodedToken; verdict: Verdict }> {
  const decoded = decodeToken(jws);
  const alg = own(decoded.header, 'alg');
  if (decoded.form === 'jws' && alg !== 'ES512') {
    return {
      decoded,
      verdict: fail(
        'ERR_JWT_ALG_KEY_MISMATCH',
        rich`The token says alg ${String(alg)}; QI Tech tokens are ES512.`,
        [],
      ),
    };
  }
  return { decoded, verdict: await verifyToken(decoded, keys) };
}

/** The JSON object payload of a decoded token, if it has one. */
export function claimsOf(decoded: DecodedToken): Record<string, unknown> | undefined {
  const v = decoded.payload?.kind === 'json' ? decoded.payload.value : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Minutes between a time and now, for clock-skew findings; QI Tech documents no tolerance. */
export const SKEW_WARN_MINUTES = 5;

/** "3 min 20 s ahead of" / "2 h behind" — a readable clock difference. */
export function describeSkew(thenMs: number, nowMs: number): string {
  const d = Math.round((thenMs - nowMs) / 1000);
  const a = Math.abs(d);
  const text =
    a >= 86400
      ? `${Math.round(a / 86400)} days`
      : a >= 3600
        ? `${Math.round(a / 360) / 10} h`
        : `${Math.floor(a / 60)} min ${a % 60} s`;
  return `${text} ${d > 0 ? 'ahead of' : 'behind'}`;
}

// Request checking, shared by the schemes' checkers.

/** The verdict on a request signed elsewhere, for any QI Tech scheme. */
export interface QitRequestVerdict {
  scheme: 'v1' | 'v2' | 'qi-dtvm';
  /** The signature was checked against a key the user trusts, and holds. */
  signatureVerified: boolean;
  /** The signature holds with a key whose role fits and no finding is an error (trust/verdict.ts decides). */
  verified: boolean;
  /** The key whose signature holds, if one does. */
  signedBy?: VerificationKey;
  keyLabel?: string;
  claims?: Record<string, unknown>;
  findings: Finding[];
}

/** A request checked here is one sent to QI Tech: the user's own keys (or the pasted one) verify it. */
export const REQUEST_TO_QITECH: VerificationContext = { direction: 'request-to', partner: 'qitech' };

/**
 * A request checker's verdict from what it found: `verified` by the one rule (trust/verdict.ts),
 * never by the checker. A key whose role does not fit a request adds an error finding.
 */
export function qitRequestVerdict(
  scheme: QitRequestVerdict['scheme'],
  verdict: { verified: boolean; key?: VerificationKey },
  findings: Finding[],
  claims?: Record<string, unknown>,
): QitRequestVerdict {
  const signedBy = verdict.verified ? verdict.key : undefined;
  const role = roleFinding(REQUEST_TO_QITECH, signedBy);
  if (role && !findings.includes(role)) findings.push(role);
  return {
    scheme,
    signatureVerified: signedBy !== undefined && !role,
    verified: isVerified(REQUEST_TO_QITECH, signedBy, findings),
    ...(signedBy ? { signedBy } : {}),
    keyLabel: verdict.key?.label,
    claims,
    findings,
  };
}

/** Input to the request checkers. */
export interface QitRequestInput {
  /** The AUTHORIZATION header value as sent. */
  authorization: string;
  /** The body exactly as sent ("" for none). */
  body: string;
  /** Keys the user trusts: their stored pairs' public halves, or a pasted public key. */
  keys: VerificationKey[];
  /** What the request was sent as, when known; differences are errors. */
  expected?: { method?: string; endpoint?: string; apiKey?: string };
  nowMs: number;
}

/** The signature finding, shared by the request checkers. */
export function signatureFinding(
  verdict: { verified: boolean; message: string; key?: { label: string } },
  keys: number,
): Finding {
  if (verdict.verified)
    return ok('signature', 'Signature', rich`Signature verified with ${verdict.key!.label}.`);
  if (keys === 0) {
    return problem(
      'signature',
      'ERR_QIT_NO_KEY',
      'error',
      'Signature',
      'Not checked: no P-521 key to check it with. Paste the public key your server signs with, or generate or import its key pair in Keys.',
    );
  }
  return problem('signature', 'ERR_QIT_TOKEN_SIGNATURE', 'error', 'Signature', verdict.message);
}

/** Compare the endpoint a request was signed for with the one it was sent to. */
export function endpointFinding(
  check: string,
  code: ErrorCode,
  label: string,
  signed: string,
  sent: string | undefined,
): Finding | null {
  if (!sent) return null;
  if (signed === sent) return ok(check, label, rich`${signed}, as sent.`);
  const path = sent.split('?')[0];
  const detail =
    signed === path
      ? `Signed for ${signed}, sent to ${sent}: the query string was left out of the signed path (qitech-wrapper 0.1.8 does this; 0.1.9 and later, and the Elixir client, sign it).`
      : signed.split('?')[0] === path
        ? `Signed for ${signed}, sent to ${sent}: the query strings differ.`
        : `Signed for ${signed}, but sent to ${sent}.`;
  return problem(check, code, 'error', label, detail);
}
