/**
 * Verifying the HTTP Message Signatures (RFC 9421) of a request: every label of Signature-Input is
 * judged on its own. For each: the signature base as RFC 9421 §2.5 builds it, whether the signature
 * holds with a key the user trusts, the checks on its parameters and Content-Digest, and, when it
 * does not hold, the mistakes that explain it (each confirmed by WebCrypto). This module never says
 * "verified": the central rule decides that from `signatureHolds`, the key and the findings.
 */
import { parseDictionary, type Dictionary, type Item, type Parameters } from 'structured-headers';
import type { VerificationKey } from '../../jwt/verify';
import type { ErrorCode } from '../../errors';
import { ok, problem, type Finding } from '../../trust/finding';
import type { Diagnosis } from '../../request/types';
import { rich, type Rich } from '../../rich';
import { algorithmsForKey, isHttpSigAlg, keyNeeded, type HttpSigAlg } from './algorithms';
import { buildBase, type SignatureBase } from './base';
import { fieldLines, type RequestParts } from './components';
import { checkContentDigest, digestOtherBytes } from './digest';
import { diagnose, tryKeys, type Candidate } from './diagnose';
import type { MistakeContext } from './mistakes';

/** What verify needs: the request, the keys the user trusts, and the time. */
export interface VerifyInput {
  request: RequestParts;
  /** Stored key pairs, trusted public keys, the pasted key or secret. Never a key the request names. */
  keys: readonly VerificationKey[];
  nowMs: number;
  /** How far in the future `created` may be, for clock skew (default 60 s). */
  skewSeconds?: number;
}

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

/** One signature of the message, judged. */
export interface SignatureResult {
  label: string;
  /** The signature base, line by line (partial when a component is missing). */
  signatureBase: string[];
  base?: SignatureBase;
  params: SignatureParams;
  /** The algorithm the signature held with (or the one `alg` names). */
  alg?: HttpSigAlg;
  /** The signature is valid over the base with `verifyingKey`, a key the user trusts. */
  signatureHolds: boolean;
  verifyingKey?: VerificationKey;
  findings: Finding[];
  diagnoses: Diagnosis[];
}

/** A signature not judged (yet): no base, no key, no diagnosis. */
export function unjudged(label: string, findings: Finding[] = []): SignatureResult {
  return { label, signatureBase: [], params: {}, signatureHolds: false, findings, diagnoses: [] };
}

/** Every signature of the message, and what concerns the message as a whole. */
export interface Rfc9421Verification {
  findings: Finding[];
  results: SignatureResult[];
}

/**
 * The members of a dictionary's text (RFC 9651 §4.2.2) as written, trimmed: once the text parses as
 * a dictionary, a comma outside a quoted string can only separate two members.
 */
function memberTexts(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\[\s\S])*"?|,/g))
    if (m[0] === ',') {
      out.push(text.slice(start, m.index).trim());
      start = m.index + 1;
    }
  out.push(text.slice(start).trim());
  return out;
}

/**
 * A dictionary parsed by structured-headers, with the first key given twice: structured-headers
 * keeps the last, other parsers the first.
 * @throws Error when the text is not a dictionary.
 */
function parseDictionaryOnce(text: string): { dictionary: Dictionary; repeated?: string } {
  const dictionary = parseDictionary(text);
  const members = memberTexts(text);
  if (members.length === dictionary.size) return { dictionary };
  const seen = new Set<string>();
  for (const m of members) {
    const key = /^[a-z*][a-z0-9_.*-]*/.exec(m.slice(0, 300))?.[0] ?? '';
    if (seen.has(key)) return { dictionary, repeated: key };
    seen.add(key);
  }
  return { dictionary, repeated: '' };
}

/** The findings of check `rfc9421.<check>` with one severity. */
const finding =
  (severity: 'info' | 'warning' | 'error') =>
  (check: string, code: ErrorCode, title: string, detail: string | Rich): Finding =>
    problem(`rfc9421.${check}`, code, severity, title, detail);
const fail = finding('error');
const warn = finding('warning');
const info = finding('info');

/** Read one signature-input dictionary, or the reason it cannot be read. */
function readDictionary(req: RequestParts, name: string): Dictionary | Finding | null {
  const lines = fieldLines(req, name);
  if (lines.length === 0) return null;
  try {
    const { dictionary, repeated } = parseDictionaryOnce(lines.join(', '));
    if (repeated === undefined) return dictionary;
    return fail(
      'headers',
      'ERR_HTTPSIG_DUPLICATE_LABEL',
      `A label is given twice in ${name}`,
      rich`${name} gives the label ${repeated} twice. Servers disagree on which one counts (the first or the last), so keybench checks neither: send each label once.`,
    );
  } catch (e) {
    return fail(
      'headers',
      'ERR_HTTPSIG_MALFORMED',
      `${name} is not a dictionary`,
      rich`${name} is not a structured-field dictionary (RFC 8941): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Most signatures judged in one message (each may cost hundreds of signature checks when diagnosed). */
const MAX_SIGNATURES = 16;

const isFinding = (x: unknown): x is Finding => typeof x === 'object' && x !== null && 'check' in x;

/** Verify every signature of a request. Never throws for bad input: each problem is a finding. */
export async function verifyRequest(input: VerifyInput): Promise<Rfc9421Verification> {
  const findings: Finding[] = [];
  const sigInput = readDictionary(input.request, 'signature-input');
  const sigs = readDictionary(input.request, 'signature');
  if (sigInput === null || sigs === null) {
    findings.push(
      fail(
        'headers',
        'ERR_HTTPSIG_NO_SIGNATURE',
        'No HTTP message signature',
        `The request has no ${sigInput === null ? 'Signature-Input' : 'Signature'} header: an RFC 9421 signature needs both.`,
      ),
    );
    return { findings, results: [] };
  }
  if (isFinding(sigInput) || isFinding(sigs)) {
    for (const f of [sigInput, sigs]) if (isFinding(f)) findings.push(f);
    return { findings, results: [] };
  }
  for (const label of sigs.keys())
    if (!sigInput.has(label))
      findings.push(
        fail(
          'headers',
          'ERR_HTTPSIG_LABEL',
          'Signature without Signature-Input',
          rich`Signature has a label ${label} that Signature-Input does not: it cannot be checked.`,
        ),
      );
  const results: SignatureResult[] = [];
  for (const [label, member] of [...sigInput].slice(0, MAX_SIGNATURES))
    results.push(await verifyLabel(input, label, member, sigs.get(label)));
  if (sigInput.size > MAX_SIGNATURES)
    findings.push(
      fail(
        'headers',
        'ERR_HTTPSIG_LABEL',
        'Too many signatures',
        `Signature-Input has ${sigInput.size} signatures: keybench judges the first ${MAX_SIGNATURES} only.`,
      ),
    );
  if (
    fieldLines(input.request, 'content-digest').length > 0 &&
    !results.some((r) => r.base?.lines.some((l) => l.name === 'content-digest'))
  )
    findings.push(
      warn(
        'content-digest',
        'ERR_HTTPSIG_DIGEST_NOT_COVERED',
        'Content-Digest not signed',
        'The request sends Content-Digest, but no signature covers it: anyone on the way could change the body and its digest together.',
      ),
    );
  return { findings, results };
}

/** The §2.3 parameters, type-checked. */
function readParams(params: Parameters, findings: Finding[]): SignatureParams {
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

/** Judge one label. */
async function verifyLabel(
  input: VerifyInput,
  label: string,
  member: Item | [Item[], Parameters],
  sigMember: Item | [Item[], Parameters] | undefined,
): Promise<SignatureResult> {
  const findings: Finding[] = [];
  const result = unjudged(label, findings);
  if (!Array.isArray(member[0])) {
    findings.push(
      fail(
        'input',
        'ERR_HTTPSIG_MALFORMED',
        'Signature-Input member is not a list',
        rich`Signature-Input ${label} must be an inner list of components, e.g. ("@method" "@path").`,
      ),
    );
    return result;
  }
  const covered = member[0];
  const params = member[1];
  result.params = readParams(params, findings);
  const built = buildBase(input.request, covered, params);
  if (!built.ok) {
    result.signatureBase = built.lines.map((l) => `${l.id}: ${l.value}`);
    findings.push(fail('base', built.code, 'Signature base cannot be built', built.parts));
    return result;
  }
  result.base = built.base;
  result.signatureBase = built.base.text.split('\n');
  const sig = signatureBytes(label, sigMember);
  if (!(sig instanceof Uint8Array)) {
    findings.push(sig);
    return result;
  }
  await checkSignature(input, result, sig, {
    request: input.request,
    base: built.base,
    covered,
    params,
    rawParams: rawMember(input.request, label),
  });
  findings.push(...timeFindings(result.params, input.nowMs, input.skewSeconds ?? 60, result.diagnoses));
  findings.push(...coverageFindings(covered, input.request));
  if (covered.some((c) => c[0] === 'content-digest'))
    findings.push(...(await digestFindings(input.request, result.diagnoses)));
  return result;
}

/** The signature bytes of a label, or the finding that says why there are none. */
function signatureBytes(
  label: string,
  sigMember: Item | [Item[], Parameters] | undefined,
): Uint8Array<ArrayBuffer> | Finding {
  const signature = sigMember?.[0];
  if (signature instanceof ArrayBuffer) return new Uint8Array(signature);
  return sigMember === undefined
    ? fail(
        'signature',
        'ERR_HTTPSIG_LABEL',
        'No signature for this label',
        rich`Signature has no member ${label}.`,
      )
    : fail(
        'signature',
        'ERR_HTTPSIG_MALFORMED',
        'Signature is not a byte sequence',
        rich`Signature ${label} must be a byte sequence, :base64:.`,
      );
}

/**
 * Try the trusted keys `keyid` and `alg` select over the base; when none holds, search the
 * mistakes that explain it. Fills `result` (never a verified state: the rule decides that).
 */
async function checkSignature(
  input: VerifyInput,
  result: SignatureResult,
  sig: Uint8Array<ArrayBuffer>,
  ctx: MistakeContext,
): Promise<void> {
  const findings = result.findings;
  const candidates = selectKeys(input.keys, result.params, findings);
  if (result.params.alg !== undefined && isHttpSigAlg(result.params.alg)) result.alg = result.params.alg;
  const held = await tryKeys(candidates, ctx.base.text, sig);
  if (held) {
    Object.assign(result, { signatureHolds: true, verifyingKey: held.key, alg: held.alg });
    findings.push(
      ok(
        'rfc9421.signature',
        'Signature holds',
        rich`The signature verifies with ${held.alg} and the key ${held.key.label}.`,
      ),
    );
    // keyid named none of the keys (selectKeys said so): one finding, now saying which key held.
    const keyid = result.params.keyid;
    const said = findings.findIndex((f) => f.check === 'rfc9421.keyid');
    if (keyid !== undefined && said >= 0 && !keyMatches(held.key, keyid))
      findings[said] = info(
        'keyid',
        'ERR_HTTPSIG_KEYID_UNKNOWN',
        'keyid is not a name keybench knows',
        rich`keyid is ${keyid}, the name the server knows the key by; it is the label or kid of none of your keys. The signature verifies with the key ${held.key.label}: make sure the server gives ${keyid} to that key.`,
      );
  } else if (candidates.length > 0) {
    findings.push(
      fail(
        'signature',
        'ERR_HTTPSIG_SIGNATURE',
        'Signature does not verify',
        rich`The signature does not verify over this base with any of ${candidates.length} key and algorithm pairs tried.`,
      ),
    );
    result.diagnoses.push(...(await diagnose(candidates, sig, ctx)));
  }
}

function keyMatches(key: VerificationKey, keyid: string): boolean {
  return key.label === keyid || (key.kind === 'public' && key.kid === keyid);
}

/**
 * The (key, algorithm) pairs to try: keys the user trusts only. `keyid` selects among them (when
 * it names none, all are tried and that is said); `alg` restricts to the keys it fits.
 */
function selectKeys(
  keys: readonly VerificationKey[],
  params: SignatureParams,
  findings: Finding[],
): Candidate[] {
  const trusted = keys.filter(
    (k) => k.kind === 'secret' || k.origin === 'stored' || k.origin === 'pasted' || k.origin === 'jwks',
  );
  const alg = params.alg;
  if (alg !== undefined && !isHttpSigAlg(alg)) {
    findings.push(
      fail(
        'alg',
        'ERR_HTTPSIG_ALG_UNKNOWN',
        'Unknown algorithm',
        rich`alg is ${alg}, which is not an algorithm of RFC 9421 §3.3 that keybench checks.`,
      ),
    );
    return [];
  }
  let pairs: Candidate[] = trusted.flatMap((key) =>
    algorithmsForKey(key)
      .filter((a) => alg === undefined || a === alg)
      .map((a) => ({ key, alg: a })),
  );
  if (pairs.length === 0) {
    findings.push(
      trusted.length > 0 && alg
        ? fail(
            'key',
            'ERR_HTTPSIG_ALG_KEY_MISMATCH',
            'No key fits the algorithm',
            rich`alg is ${alg}, which needs ${keyNeeded(alg)}; none of your ${trusted.length} trusted keys is one.`,
          )
        : fail(
            'key',
            'ERR_HTTPSIG_NO_KEY',
            'No key to verify with',
            "There is no key you trust to verify with. Paste the signer's public key (or the shared secret), or store it as a trusted key. A keyid in the request never brings a key.",
          ),
    );
    return [];
  }
  if (params.keyid !== undefined) {
    const named = pairs.filter((p) => keyMatches(p.key, params.keyid!));
    if (named.length > 0) pairs = named;
    else
      findings.push(
        info(
          'keyid',
          'ERR_HTTPSIG_KEYID_UNKNOWN',
          'keyid names none of your keys',
          rich`keyid is ${params.keyid}, which is the label or kid of none of your trusted keys: every trusted key that fits was tried.`,
        ),
      );
  }
  if (alg === undefined)
    findings.push(
      ok(
        'rfc9421.alg',
        'No alg parameter',
        'The signature has no alg parameter: the algorithm was taken from the key, as RFC 9421 §3.2 allows.',
      ),
    );
  return pairs;
}

/** The text of one Signature-Input member as sent (for serialisation mistakes), if it can be found. */
function rawMember(req: RequestParts, label: string): string | undefined {
  const members = memberTexts(fieldLines(req, 'signature-input').join(', '));
  return members.find((m) => m.startsWith(`${label}=`))?.slice(label.length + 1);
}

/**
 * The age past which `created` is a warning: RFC 9421 §3.2.1 leaves the bound to the verifier, and
 * 5 minutes is what common verifiers use by default (a signature is made just before sending).
 */
export const MAX_CREATED_AGE_SECONDS = 300;

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
function timeFindings(
  p: SignatureParams,
  nowMs: number,
  skewSeconds: number,
  diagnoses: Diagnosis[],
): Finding[] {
  const out: Finding[] = [];
  const now = nowMs / 1000;
  if ([p.created, p.expires].some((t) => t !== undefined && t > 1e11)) {
    out.push(
      fail(
        'created',
        'ERR_HTTPSIG_CREATED_MS',
        'Timestamp in milliseconds',
        `created or expires is ${p.created ?? p.expires}, a time in milliseconds: RFC 9421 uses seconds, so a server reads a date thousands of years away.`,
      ),
    );
    diagnoses.push(
      unconfirmed(
        'ERR_HTTPSIG_CREATED_MS',
        'created or expires in milliseconds',
        'The timestamps are in milliseconds (Date.now()); RFC 9421 §2.3 wants whole seconds.',
        'Use Math.floor(Date.now() / 1000).',
      ),
    );
    return out;
  }
  out.push(
    p.created === undefined
      ? warn(
          'created',
          'ERR_HTTPSIG_NO_CREATED',
          'No created time',
          'The signature has no created parameter: nothing shows when it was made, so it can be replayed for ever unless expires or a nonce limits it.',
        )
      : p.created > now + skewSeconds
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
  );
  if (p.expires !== undefined) {
    if (p.created !== undefined && p.expires <= p.created)
      out.push(
        fail(
          'expires',
          'ERR_HTTPSIG_PARAM',
          'expires before created',
          'expires is not after created: the signature was never valid.',
        ),
      );
    else if (p.expires < now) {
      out.push(
        fail(
          'expires',
          'ERR_HTTPSIG_EXPIRED',
          'Signature expired',
          `The signature expired ${Math.round(now - p.expires)} s ago.`,
        ),
      );
      diagnoses.push(
        unconfirmed(
          'ERR_HTTPSIG_EXPIRED',
          'Signature expired',
          'The expires parameter is in the past: a server refuses the request even though the signature itself may hold.',
          'Sign the request again just before sending it, with expires a few minutes ahead.',
        ),
      );
    } else out.push(ok('rfc9421.expires', 'expires', `Expires in ${Math.round(p.expires - now)} s.`));
  }
  return out;
}

/** Warnings about what the signature leaves uncovered. */
function coverageFindings(covered: readonly Item[], req: RequestParts): Finding[] {
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

/** A covered Content-Digest must match the body sent. */
async function digestFindings(req: RequestParts, diagnoses: Diagnosis[]): Promise<Finding[]> {
  const value = fieldLines(req, 'content-digest').join(', ');
  const check = await checkContentDigest(value, req.body);
  if (check.ok)
    return [
      ok(
        'rfc9421.content-digest',
        'Content-Digest matches',
        `Content-Digest (${check.algs.join(', ')}) is the digest of the body sent.`,
      ),
    ];
  const other = check.code === 'ERR_HTTPSIG_DIGEST_MISMATCH' ? await digestOtherBytes(value, req.body) : null;
  if (other)
    diagnoses.push({
      code: 'ERR_HTTPSIG_DIGEST_OTHER_BYTES',
      title: 'Content-Digest computed over other bytes',
      explanation: [`Content-Digest is the digest of ${other.name}, not of the body sent.`],
      remedy:
        'Compute Content-Digest over the exact bytes sent, after any serialisation, just before sending.',
      signed: other.body,
      sent: req.body,
      confirmed: true,
    });
  return [fail('content-digest', check.code, 'Content-Digest does not match', check.message)];
}
