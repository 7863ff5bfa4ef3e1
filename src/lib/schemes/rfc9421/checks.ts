/**
 * What RFC 9421 asks of a signature whatever its bytes: its parameters (§2.3) typed, created and
 * expires against the clock, what it covers (§7.2.1), a covered Content-Digest that matches the body
 * (RFC 9530), an algorithm and a key that fit each other; and of the message: each label once, each
 * covered field sent once. An error is what a server refuses.
 */
import type { Item, Parameters } from 'structured-headers';
import type { ErrorCode } from '../../errors';
import type { VerificationKey } from '../../jwt/verify';
import type { Diagnosis, ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import { namesKey, type CheckFinding } from '../../scheme/types';
import { ok, problem, type Finding } from '../../trust/finding';
import { algorithmsForKey, isHttpSigAlg, keyNeeded } from './algorithms';
import { fieldLines } from './components';
import { checkContentDigest, digestOtherBytes } from './digest';
import { signatureParams, type HttpSigParts } from './read';

/** The signature parameters of §2.3, each with its type. */
const PARAM_TYPES = {
  created: 'integer',
  expires: 'integer',
  nonce: 'string',
  alg: 'string',
  keyid: 'string',
  tag: 'string',
} as const;

/** The signature parameters of §2.3 that keybench reads. */
export type SignatureParams = {
  -readonly [K in keyof typeof PARAM_TYPES]?: (typeof PARAM_TYPES)[K] extends 'integer' ? number : string;
};

/**
 * The age past which `created` is a warning: RFC 9421 §3.2.1 leaves the bound to the verifier, and
 * 5 minutes is what common verifiers use by default (a signature is made just before sending).
 */
export const MAX_CREATED_AGE_SECONDS = 300;

/** How far in the future `created` may be, for clock skew. */
const SKEW_SECONDS = 60;

/** The findings of check `rfc9421.<check>` with one severity. */
const finding =
  (severity: 'info' | 'warning' | 'error') =>
  (check: string, code: ErrorCode, title: string, detail: string | Rich): Finding =>
    problem(`rfc9421.${check}`, code, severity, title, detail);
const fail = finding('error');
const warn = finding('warning');
const info = finding('info');

/** The §2.3 parameters, typed (what has the wrong type is left out, and said). */
function typedParams(params: Parameters, findings: Finding[] = []): SignatureParams {
  const out: Record<string, unknown> = {};
  for (const [k, v] of params) {
    const want = Object.hasOwn(PARAM_TYPES, k) ? PARAM_TYPES[k as keyof SignatureParams] : undefined;
    if (want === undefined)
      findings.push(
        info(
          'params',
          'ERR_HTTPSIG_PARAM',
          'Unknown parameter',
          rich`The parameter ${k} is not one of RFC 9421 §2.3; it is signed, but keybench does not check it.`,
        ),
      );
    else if (want === 'integer' ? typeof v === 'number' && Number.isInteger(v) : typeof v === 'string')
      out[k] = v;
    else
      findings.push(
        fail(
          'params',
          'ERR_HTTPSIG_PARAM',
          'A parameter has the wrong type',
          rich`The parameter ${k} must be ${want === 'integer' ? 'an integer' : 'a string'}.`,
        ),
      );
  }
  return out as SignatureParams;
}

/** The parameters a signature's parts carry. */
export function paramsOf(parts: HttpSigParts): SignatureParams {
  return typedParams(signatureParams(parts).params);
}

/** Every check of one signature, the message's first. */
export async function checks(
  parts: HttpSigParts,
  req: ParsedRequest,
  nowMs: number,
  keys: readonly VerificationKey[],
): Promise<CheckFinding[]> {
  const { covered, params } = signatureParams(parts);
  const out: CheckFinding[] = [];
  const p = typedParams(params, out);
  out.push(...keyFindings(p, keys), ...timeFindings(p, nowMs), ...coverageFindings(covered, req));
  if (covered.some((c) => c[0] === 'content-digest')) out.push(await digestFinding(req));
  return out;
}

/** The key is one the user trusts: `keyid` names it (or says it names none), `alg` fits it. */
function keyFindings(p: SignatureParams, keys: readonly VerificationKey[]): Finding[] {
  const alg = p.alg;
  if (alg !== undefined && !isHttpSigAlg(alg))
    return [
      fail(
        'alg',
        'ERR_HTTPSIG_ALG_UNKNOWN',
        'Unknown algorithm',
        rich`alg is ${alg}, which is not an algorithm of RFC 9421 §3.3 that keybench checks.`,
      ),
    ];
  const keyid = p.keyid;
  const named = (k: VerificationKey) => keyid !== undefined && namesKey(keyid, k);
  // keyid names a key the user trusts: that key is the server's, and alg must fit it.
  const chosen = keyid !== undefined && keys.some(named) ? keys.filter(named) : keys;
  const fitting = chosen.filter((k) => algorithmsForKey(k).some((a) => alg === undefined || a === alg));
  // A key keyid names that fits no algorithm keybench checks is refused too: no other key may stand in for it.
  if (chosen.length > 0 && fitting.length === 0 && (alg !== undefined || chosen !== keys)) {
    const [key, id] = [chosen[0]!.label, keyid ?? ''];
    const why =
      alg === undefined
        ? rich`keyid is ${id}, which names your key ${key}, and that key fits none of the algorithms of RFC 9421 §3.3 that keybench checks. A server looks the key up by keyid, so no other key may verify this signature.`
        : chosen === keys
          ? rich`alg is ${alg}, which needs ${keyNeeded(alg)}; none of your ${keys.length} trusted keys is one.`
          : rich`alg is ${alg}, which needs ${keyNeeded(alg)}; keyid is ${id}, which names your key ${key}, and that key is not one. A server looks the key up by keyid and refuses the signature, whichever other key made it.`;
    return [fail('key', 'ERR_HTTPSIG_ALG_KEY_MISMATCH', 'No key fits the algorithm', why)];
  }
  const out: Finding[] = [];
  // A JWKS whose keys share the kid keyid gives: a server that looks keys up by kid cannot choose.
  const sameKid = keys.filter((k) => k.kind === 'public' && k.origin === 'jwks' && k.kid === keyid);
  if (keyid !== undefined && sameKid.length > 1)
    out.push(
      fail(
        'keyid-ambiguous',
        'ERR_JWKS_KID_AMBIGUOUS',
        'keyid names several keys',
        rich`keyid is ${keyid}, the kid of ${ours(String(sameKid.length))} keys of your JWKS: a server that looks keys up by kid cannot choose between them, and one that takes the first may take another key than the one that verifies. Give each key of the JWKS its own kid.`,
      ),
    );
  if (keyid !== undefined && fitting.length > 0 && !fitting.some(named))
    out.push(
      info(
        'keyid',
        'ERR_HTTPSIG_KEYID_UNKNOWN',
        'keyid names none of your keys',
        rich`keyid is ${keyid}, which is the label or kid of none of your trusted keys: every trusted key that fits was tried.`,
      ),
    );
  if (alg === undefined)
    out.push(
      ok(
        'rfc9421.alg',
        'No alg parameter',
        'The signature has no alg parameter: the algorithm was taken from the key, as RFC 9421 §3.2 allows.',
      ),
    );
  return out;
}

/** keyid names none of the keys, and the signature holds with `key`: that is the key to give it. */
export function keyidHeld(parts: HttpSigParts, key: VerificationKey): Finding[] {
  const keyid = paramsOf(parts).keyid;
  if (keyid === undefined || namesKey(keyid, key)) return [];
  // A pasted JWKS is the server's own list of keys by kid: a keyid that is none of them finds no key.
  if (key.kind === 'public' && key.origin === 'jwks')
    return [
      fail('keyid', 'ERR_HTTPSIG_KEYID_UNKNOWN', 'keyid is no kid of the JWKS', [
        ...rich`keyid is ${keyid}, which is the kid of no key in your JWKS. The signature verifies with ${key.label}, but a server that looks keys up in this JWKS by keyid finds none and refuses the request`,
        ...(key.kid === undefined ? ['.'] : rich`: sign with keyid ${key.kid}.`),
      ]),
    ];
  return [
    info(
      'keyid',
      'ERR_HTTPSIG_KEYID_UNKNOWN',
      'keyid is not a name keybench knows',
      rich`keyid is ${keyid}, the name the server knows the key by; it is the label or kid of none of your keys. The signature verifies with the key ${key.label}: make sure the server gives ${keyid} to that key.`,
    ),
  ];
}

/** A duration in words: seconds, minutes, hours or days. */
function age(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** A diagnosis read off the request, not confirmed by a signature. */
function unconfirmed(code: ErrorCode, title: string, explanation: string, remedy: string): Diagnosis {
  return { code, title, explanation: [explanation], remedy, confirmed: false };
}

/** created and expires against the clock. */
function timeFindings(p: SignatureParams, nowMs: number): CheckFinding[] {
  const now = nowMs / 1000;
  if ([p.created, p.expires].some((t) => t !== undefined && t > 1e11))
    return [
      {
        ...fail(
          'created',
          'ERR_HTTPSIG_CREATED_MS',
          'Timestamp in milliseconds',
          `created or expires is ${p.created ?? p.expires}, a time in milliseconds: RFC 9421 uses seconds, so a server reads a date thousands of years away.`,
        ),
        diagnosis: unconfirmed(
          'ERR_HTTPSIG_CREATED_MS',
          'created or expires in milliseconds',
          'The timestamps are in milliseconds (Date.now()); RFC 9421 §2.3 wants whole seconds.',
          'Use Math.floor(Date.now() / 1000).',
        ),
      },
    ];
  const out: CheckFinding[] = [
    p.created === undefined
      ? warn(
          'created',
          'ERR_HTTPSIG_NO_CREATED',
          'No created time',
          'The signature has no created parameter: nothing shows when it was made, so it can be replayed for ever unless expires or a nonce limits it.',
        )
      : p.created > now + SKEW_SECONDS
        ? fail(
            'created',
            'ERR_HTTPSIG_CREATED_FUTURE',
            'created is in the future',
            `created is ${Math.round(p.created - now)} s ahead of this computer's clock.`,
          )
        : now - p.created > MAX_CREATED_AGE_SECONDS
          ? warn(
              'created',
              'ERR_HTTPSIG_CREATED_OLD',
              'Signature is old',
              `Signed ${age(now - p.created)} ago: more than the ${MAX_CREATED_AGE_SECONDS / 60} minutes keybench allows, and servers often allow less. Sign again just before sending.`,
            )
          : ok('rfc9421.created', 'created', `Signed ${Math.round(now - p.created)} s ago.`),
  ];
  if (p.expires === undefined) return out;
  if (p.created !== undefined && p.expires <= p.created)
    out.push(
      fail(
        'expires',
        'ERR_HTTPSIG_PARAM',
        'expires before created',
        'expires is not after created: the signature was never valid.',
      ),
    );
  else if (p.expires < now)
    out.push({
      ...fail(
        'expires',
        'ERR_HTTPSIG_EXPIRED',
        'Signature expired',
        `The signature expired ${Math.round(now - p.expires)} s ago.`,
      ),
      diagnosis: unconfirmed(
        'ERR_HTTPSIG_EXPIRED',
        'Signature expired',
        'The expires parameter is in the past: a server refuses the request even though the signature itself may hold.',
        'Sign the request again just before sending it, with expires a few minutes ahead.',
      ),
    });
  else out.push(ok('rfc9421.expires', 'expires', `Expires in ${Math.round(p.expires - now)} s.`));
  return out;
}

/** Warnings about what the signature leaves uncovered. */
function coverageFindings(covered: readonly Item[], req: ParsedRequest): Finding[] {
  const out: Finding[] = [];
  if (covered.length === 0)
    out.push(
      warn(
        'coverage',
        'ERR_HTTPSIG_EMPTY_COVERAGE',
        'Covers nothing of the request',
        'The signature covers no component: it could be moved onto any other request (RFC 9421 §7.2.1).',
      ),
    );
  const names = new Set(covered.map((c) => c[0]));
  const any = (...n: string[]) => n.some((x) => names.has(x));
  const missing = [
    any('@method') ? '' : 'the method (@method)',
    any('@target-uri', '@path', '@request-target') ? '' : 'the path (@path or @target-uri)',
    any('@target-uri', '@authority') ? '' : 'the host (@authority or @target-uri)',
  ].filter(Boolean);
  if (covered.length > 0 && missing.length > 0)
    out.push(
      warn(
        'coverage-target',
        'ERR_HTTPSIG_TARGET_NOT_COVERED',
        'Does not say which request',
        `The signature does not cover ${missing.join(', ')}: anyone who sees this request can send the same signature with another ${missing.length === 1 ? 'value there' : 'request target'}, and it still verifies (RFC 9421 §7.2.1). Cover @method, @authority and @path (or @target-uri) unless the API says otherwise.`,
      ),
    );
  if (req.body !== '' && !covered.some((c) => c[0] === 'content-digest'))
    out.push(
      warn(
        'coverage',
        'ERR_HTTPSIG_BODY_NOT_COVERED',
        'Body not signed',
        'The request has a body but the signature does not cover Content-Digest: the body could be changed without breaking the signature.',
      ),
    );
  return out;
}

/** A covered Content-Digest must match the body sent; when it is another body's, that is the diagnosis. */
async function digestFinding(req: ParsedRequest): Promise<CheckFinding> {
  const value = fieldLines(req, 'content-digest').join(', ');
  const check = await checkContentDigest(value, req.body);
  if (check.ok)
    return ok(
      'rfc9421.content-digest',
      'Content-Digest matches',
      `Content-Digest (${check.algs.join(', ')}) is the digest of the body sent.`,
    );
  const other = check.code === 'ERR_HTTPSIG_DIGEST_MISMATCH' ? await digestOtherBytes(value, req.body) : null;
  const found = fail('content-digest', check.code, 'Content-Digest does not match', check.message);
  if (!other) return found;
  return {
    ...found,
    diagnosis: {
      code: 'ERR_HTTPSIG_DIGEST_OTHER_BYTES',
      title: 'Content-Digest computed over other bytes',
      explanation: [`Content-Digest is the digest of ${other.name}, not of the body sent.`],
      remedy:
        'Compute Content-Digest over the exact bytes sent, after any serialisation, just before sending.',
      signed: other.body,
      sent: req.body,
      confirmed: true,
    },
  };
}
