/**
 * The engine's verification, the same for every declarative scheme: read the parts, refuse what
 * cannot be checked, verify over the base as sent with each trusted key and algorithm, and only
 * when nothing holds, search the scheme's mistakes (each confirmed by a signature that verifies)
 * and say what the key itself tells. It returns findings; trust/verdict.ts decides "verified".
 */
import { ALGORITHMS, type AlgId } from '../crypto/algorithms';
import { derToRaw, readSignature, type SignatureEncoding } from '../crypto/encoding';
import { importVerifier, verifySignature } from '../crypto/signature';
import type { ErrorCode } from '../errors';
import type { VerificationKey } from '../jwt/verify';
import type { Diagnosis, DoctorInput, ParsedRequest } from '../request/types';
import { MAX_ALTERNATIVES, searchMistakes, type Alternative, type Searched } from './search';
import type { RequestCheck } from './contract';
import { whoMadeIt } from './who-made';
import { ok, problem, type Finding } from '../trust/finding';
import type { Rich } from '../rich';
import * as say from '../trust/headline';
import { PARTNER_NAMES } from '../partners/profiles';
import type { SchemeResult } from '../trust/verdict';
import {
  encodingFor,
  namesKey,
  type EngineOutcome,
  type CheckFinding,
  type MistakeWords,
  type Parts,
  type ReadResult,
  type RequestScheme,
  type Variant,
} from './types';

const enc = new TextEncoder();

/** The default code of each engine outcome (a scheme may keep its own, see RequestScheme.codes). */
const DEFAULT_CODES: Record<EngineOutcome, ErrorCode> = {
  noSignature: 'ERR_SCHEME_NO_SIGNATURE',
  unreadable: 'ERR_SCHEME_SIGNATURE_UNREADABLE',
  noKey: 'ERR_REQUEST_NO_KEY',
  differ: 'ERR_SCHEME_SIGNATURE',
  otherBytes: 'ERR_SCHEME_OTHER_BYTES',
  otherKey: 'ERR_SCHEME_OTHER_KEY',
  padding: 'ERR_SCHEME_RSA_PADDING',
  cannotSign: 'ERR_PARTNER_INPUT',
};

/** The code a scheme gives one of the engine's outcomes. */
export function codeFor(scheme: Pick<RequestScheme, 'codes'>, outcome: EngineOutcome): ErrorCode {
  return scheme.codes?.[outcome] ?? DEFAULT_CODES[outcome];
}

/** The bytes of a base, as signed (its parts joined as they are). */
export function baseBytes<P extends Parts>(scheme: RequestScheme<P>, parts: P): Uint8Array<ArrayBuffer> {
  return scheme.signedBytes?.(parts) ?? enc.encode(baseText(scheme, parts));
}

/** The base as one text (RFC 9421's: one `label: text` line per part). */
export function baseText<P extends Parts>(scheme: RequestScheme<P>, parts: P): string {
  const base = scheme.base(parts);
  return scheme.layout === 'lines'
    ? base.map((p) => `${p.label}: ${p.text}`).join('\n')
    : base.map((p) => p.text).join('');
}

/** Whom the scheme's requests go to, in words: its partner, or any server for a standard. */
function partnerOf(scheme: Pick<RequestScheme, 'partner'>): string {
  return scheme.partner ? PARTNER_NAMES[scheme.partner] : say.SERVER;
}

/** The signature's finding: an error the scheme names with `code`. */
function signatureError(code: ErrorCode, words: Rich): Finding {
  return problem('signature', code, 'error', 'signature', words);
}

/** Where a public key comes from when the user trusts it. */
const TRUSTED_ORIGINS: ReadonlySet<string> = new Set(['stored', 'pasted', 'jwks']);

/** A trusted key imported for one algorithm to try it with. */
interface Keyed {
  key: VerificationKey;
  alg: AlgId;
  crypto: CryptoKey;
}

/** A mistake's variant with the bytes it signs. */
type Tried<P extends Parts> = Variant<P> & Alternative;

/** What one run of the engine carries. */
interface Run<P extends Parts> {
  scheme: RequestScheme<P>;
  input: DoctorInput;
  parts: P;
  findings: Finding[];
  signature: string;
  /** The algorithms the request allows. */
  algs: readonly AlgId[];
  /** Other texts of the signature the mistakes read (as written before the way it was sent changed it). */
  texts: Set<string>;
  /** Which of the request's signatures (RFC 9421 labels). */
  label: string | undefined;
}

/** A result; with the parts read, the base as sent (or `extra`'s) and what "Sign it correctly" fills in. */
function result<P extends Parts>(
  run: Pick<Run<P>, 'scheme' | 'findings' | 'input'> & { parts?: P; label?: string },
  headline: SchemeResult['parts'],
  extra: Partial<SchemeResult> = {},
): SchemeResult {
  const { request } = run.input;
  const { parts, scheme } = run;
  const values = parts && scheme.signer.values?.(parts, request);
  // The report says when the base is lines (RFC 9421), not parts one after the other.
  const lines = scheme.layout === 'lines' ? { baseLines: true as const } : {};
  const base = parts && { base: scheme.base(parts), ...lines };
  return {
    scheme: scheme.id,
    ...(run.label !== undefined ? { label: run.label } : {}),
    findings: run.findings,
    diagnoses: [],
    signInput: {
      method: request.method,
      url: request.url,
      body: request.body,
      ...(values ? { values } : {}),
    },
    fallback: codeFor(scheme, 'differ'),
    parts: headline,
    ...base,
    ...extra,
  };
}

/** Signature bytes for a key: the scheme's own encoding, or a variant's other reading. */
function sigFor(signature: string, encoding: SignatureEncoding, wanted?: SignatureEncoding) {
  const readings = readSignature(signature, encoding);
  return readings.find((r) => r.encoding === (wanted ?? encoding))?.bytes;
}

/** The scheme's mistakes as the search's mistakes: each variant with the bytes it signs. */
function searchable<P extends Parts>(run: Run<P>): Searched<Tried<P>>[] {
  const { scheme, input } = run;
  return [...scheme.mistakes, ...(scheme.pairs ?? [])].map((m) => ({
    ...m,
    *alternatives(): Iterable<Tried<P>> {
      for (const v of m.variants(run.parts, input.request)) {
        if (v.signature !== undefined) run.texts.add(v.signature);
        const signedParts = { ...run.parts, ...v.parts } as P;
        yield v.text === undefined
          ? { ...v, bytes: baseBytes(scheme, signedParts), text: baseText(scheme, signedParts) }
          : { ...v, bytes: enc.encode(v.text), text: v.text };
      }
    },
  }));
}

/** Verify with one key over a variant's bytes, as it says (another algorithm, salt or encoding). */
async function verifyVariant<P extends Parts>(
  run: Run<P>,
  keyed: readonly Keyed[],
  c: Keyed,
  v: Tried<P>,
): Promise<boolean> {
  const alg = v.alg ?? c.alg;
  const read = sigFor(v.signature ?? run.signature, encodingFor(run.scheme, alg), v.encoding);
  const sig = read && v.der ? derToRaw(read, (ALGORITHMS[alg].signatureLength ?? 0) / 2) : read;
  if (!sig) return false;
  const k = keyed.find((x) => x.key === c.key && x.alg === alg);
  const crypto = k?.crypto ?? (await importVerifier(c.key, alg));
  return crypto ? verifySignature(alg, crypto, sig, v.bytes, v.saltLength) : false;
}

/** A confirmed variant that is several mistakes at once (or says more than its mistake): one diagnosis each. */
function named(
  first: Diagnosis,
  mistake: MistakeWords | undefined,
  words?: readonly MistakeWords[],
): Diagnosis[] {
  if (!words?.length || !mistake) return [first];
  const [head, ...rest] = first.explanation;
  return words.map((w, i) => ({
    ...first,
    code: w.code,
    title: w.title,
    remedy: w.remedy,
    explanation: i
      ? [w.explanation]
      : typeof head === 'string'
        ? [head.replace(mistake.explanation, w.explanation), ...rest]
        : first.explanation,
  }));
}

/** Nothing verified over the parts as sent: the first confirmed mistake, or what the key tells. */
async function explain<P extends Parts>(run: Run<P>, keyed: readonly Keyed[]): Promise<SchemeResult> {
  const { scheme } = run;
  const partner = partnerOf(scheme);
  const sent = baseText(scheme, run.parts);
  let matched: Keyed | undefined;
  let matchedVariant: Tried<P> | undefined;
  const found = await searchMistakes({
    mistakes: searchable(run),
    // Each key with each algorithm the request allows; keys of an algorithm a mistake names (PKCS#1
    // for PSS …) are imported on demand.
    candidates: keyed,
    sentText: sent,
    budget: scheme.budget ?? MAX_ALTERNATIVES,
    limit: 1,
    ...(scheme.fair ? { fair: true } : {}),
    verifyOver: async (c, v) => {
      const held = await verifyVariant(run, keyed, c, v);
      if (held) [matched, matchedVariant] = [c, v];
      return held;
    },
  });
  const first = found[0];
  if (first) {
    const words = matchedVariant?.mistakes;
    const diagnoses = named(
      first,
      scheme.mistakes.find((m) => m.title === first.title),
      words,
    );
    const d = diagnoses[0]!;
    run.findings.push(signatureError(d.code, [d.title, '. ', ...d.explanation]));
    const label = matched?.key.label;
    return result(run, say.mistakeFound(label, d.title), {
      diagnoses,
      ...(label ? { keyLabel: label } : {}),
    });
  }
  const readings = [run.signature, ...run.texts].flatMap((t) =>
    readSignature(t, scheme.encoding).map((r) => r.bytes),
  );
  const rsaPkcs1 = run.algs.some((a) => a.startsWith('RS') || a.startsWith('PS'));
  const keys = [...new Set(keyed.map((c) => c.key))];
  const made = await whoMadeIt(keys, readings, rsaPkcs1);
  const wantsPss = run.algs[0]?.startsWith('PS') ?? false;
  const pssBy = wantsPss ? undefined : await pssSigner(run, keys, readings);
  const by = pssBy ?? (made.kind === 'made-by' ? made.key : undefined);
  const outcome: EngineOutcome =
    pssBy || (made.kind === 'made-by' && wantsPss)
      ? 'padding'
      : made.kind === 'made-by'
        ? 'otherBytes'
        : made.kind === 'not-made'
          ? 'otherKey'
          : 'differ';
  const words = say.unexplained(outcome, by?.label, {
    partner,
    base: scheme.baseWords,
    want: ALGORITHMS[run.algs[0]!].words,
    used: pssBy ? 'RSA-PSS' : 'PKCS#1 v1.5',
  });
  const code = codeFor(scheme, outcome);
  run.findings.push(signatureError(code, [words.title, '. ', ...words.explanation]));
  return result(run, words.headline, {
    diagnoses: [
      {
        code,
        title: words.title,
        explanation: words.explanation,
        remedy: words.remedy,
        sent,
        confirmed: false,
      },
    ],
    ...(by ? { keyLabel: by.label } : {}),
  });
}

/**
 * The RSA key whose RSA-PSS signature over the bytes as sent this is, where the scheme wants PKCS#1
 * v1.5: proven by a signature that verifies, never read off its shape (random bytes have a PSS shape
 * about once in 2^15).
 */
async function pssSigner<P extends Parts>(
  run: Run<P>,
  keys: readonly VerificationKey[],
  readings: readonly Uint8Array[],
): Promise<VerificationKey | undefined> {
  const bytes = baseBytes(run.scheme, run.parts);
  for (const key of keys) {
    if (key.kind !== 'public' || key.type.kty !== 'RSA') continue;
    for (const alg of ['PS256', 'PS384', 'PS512'] as const) {
      const k = await importVerifier(key, alg);
      for (const sig of readings)
        if (k && (await verifySignature(alg, k, new Uint8Array(sig), bytes))) return key;
    }
  }
  return undefined;
}

/**
 * A signature that holds over `parts` (those sent, or a reading the partner also accepts): verified
 * unless a check says the partner refuses the request anyway, each refusal then a diagnosis beside
 * the bytes signed (they are the ones sent).
 */
async function held<P extends Parts>(
  run: Run<P>,
  key: VerificationKey,
  alg: AlgId,
  parts: P,
  note: Rich | undefined,
): Promise<SchemeResult> {
  const { scheme, input } = run;
  const partner = partnerOf(scheme);
  const words = ALGORITHMS[alg].words;
  for (const f of scheme.heldWith?.(parts, key) ?? []) {
    const i = run.findings.findIndex((g) => g.check === f.check);
    run.findings.splice(i < 0 ? run.findings.length : i, i < 0 ? 0 : 1, f);
  }
  if (note) run.findings.push(ok('signature', 'signed as', note));
  run.findings.push(ok('signature', 'signature', say.holds(key.label, words, scheme.baseWords)));
  run.findings.push(...((await scheme.alsoSigned?.(parts, input, key)) ?? []));
  const refused = run.findings.filter((f) => f.severity === 'error');
  const headline = refused[0]
    ? say.heldButRefused(key.label, partner, refused[0].parts)
    : say.verified(key.label, words, scheme.baseWords);
  const sent = baseText(scheme, parts);
  // One diagnosis per refusal (a check and the token's own claims may name the same one).
  const distinct = refused.filter((f, i) => refused.findIndex((g) => g.code === f.code) === i);
  const diagnoses = distinct.map((f) => ({
    code: f.code as ErrorCode,
    title: `${f.label}: ${partner} would refuse this request`,
    explanation: f.parts,
    remedy: 'Fix what is described, sign again and send exactly the bytes signed.',
    signed: sent,
    sent,
    confirmed: false,
    ...(f as CheckFinding).diagnosis,
  }));
  return result(run, headline, { signedBy: key, keyLabel: key.label, diagnoses, base: scheme.base(parts) });
}

/** Check a request's (first) signature with the keys the doctor passes (already filtered by role). */
export async function verifyScheme<P extends Parts>(
  scheme: RequestScheme<P>,
  input: DoctorInput,
): Promise<SchemeResult> {
  const [first] = await verifyEach(scheme, input);
  return first!;
}

/** Check each signature a request carries (one result each), with the keys the doctor passes. */
export async function verifyEach<P extends Parts>(
  scheme: RequestScheme<P>,
  input: DoctorInput,
): Promise<SchemeResult[]> {
  const read = scheme.read(input.request);
  const reads: readonly ReadResult<P>[] = Array.isArray(read) ? read : [read as ReadResult<P>];
  const out: SchemeResult[] = [];
  for (const r of reads) out.push(await verifyOne(scheme, input, r));
  return out;
}

/** The keys the user trusts among those passed: never one a token carried (x5c, a jwk header). */
function trustedKeys(keys: readonly VerificationKey[]): VerificationKey[] {
  return keys.filter((k) => k.kind === 'secret' || TRUSTED_ORIGINS.has(k.origin));
}

/**
 * Every (key, algorithm) pair to try, imported (keys that fit none are skipped): the request's own
 * algorithms, the key it names.
 */
async function keysToTry<P extends Parts>(run: Run<P>): Promise<Keyed[]> {
  // A key a token carried (x5c, a jwk header) is never trusted, whatever the request names.
  const trusted = trustedKeys(run.input.keys);
  const name = run.scheme.keyName?.(run.parts);
  // The keys the name names, whatever the algorithm: a server looks its key up by name, and when
  // that key does not fit the algorithm it refuses; it never tries another key instead.
  const named = name === undefined ? [] : trusted.filter((k) => namesKey(name, k));
  const out: Keyed[] = [];
  for (const key of named.length ? named : trusted)
    for (const alg of run.algs) {
      const crypto = await importVerifier(key, alg);
      if (crypto) out.push({ key, alg, crypto });
    }
  return out;
}

/** Check one signature. */
async function verifyOne<P extends Parts>(
  scheme: RequestScheme<P>,
  input: DoctorInput,
  read: ReadResult<P>,
): Promise<SchemeResult> {
  const code = (o: EngineOutcome) => codeFor(scheme, o);
  const label = read.label;
  if (!('signature' in read)) {
    const findings = [...(read.findings ?? []), signatureError(read.code, read.words)];
    return result({ scheme, findings, input, label }, read.words, { failCode: read.code });
  }
  const run: Run<P> = {
    scheme,
    input,
    parts: read.parts,
    signature: read.signature,
    algs: scheme.algorithmsOf?.(read.parts) ?? scheme.algorithms,
    texts: new Set(),
    findings: [...(read.findings ?? [])],
    label,
  };
  run.findings.push(
    ...((await scheme.checks?.(read.parts, input.request, input.nowMs, trustedKeys(input.keys))) ?? []),
  );
  const partner = partnerOf(scheme);
  if (!read.signature.trim()) {
    run.findings.push(signatureError(code('noSignature'), say.noSignature(partner)));
    return result(run, say.noSignature(partner));
  }
  const keyed = await keysToTry(run);
  if (!keyed.length) {
    const need = run.algs.map((a) => ALGORITHMS[a].words).join(' or ') || 'its algorithm';
    const words = say.noKey(partner, need, scheme.keyName?.(read.parts));
    run.findings.push(signatureError(code('noKey'), words));
    return result(run, words);
  }
  const own = (k: Keyed) => sigFor(read.signature, encodingFor(scheme, k.alg));
  if (!keyed.some(own)) {
    // Another reading may still be a confirmed mistake (base64url for base64 …), or name the RSA key
    // that made it: that alone is told.
    const before = run.findings.length;
    const explained = await explain(run, keyed);
    const told = explained.diagnoses[0];
    if (told?.confirmed || (told && told.code !== code('differ'))) return explained;
    run.findings.length = before;
    const words = say.unreadable(partner, scheme.encoding);
    run.findings.push(signatureError(code('unreadable'), words));
    return result(run, words);
  }
  // The parts as sent, then any other reading the partner's own verifier accepts.
  const accepted = [...(scheme.accepts?.(read.parts) ?? [])].map((a) => ({
    parts: { ...read.parts, ...a.parts } as P,
    words: a.words as Rich | undefined,
  }));
  for (const k of keyed) {
    const sig = own(k);
    if (!sig) continue;
    for (const { parts, words } of [{ parts: read.parts, words: undefined }, ...accepted])
      if (await verifySignature(k.alg, k.crypto, sig, baseBytes(scheme, parts)))
        return held(run, k.key, k.alg, parts, words);
  }
  run.findings.push(...((await scheme.alsoSigned?.(read.parts, input)) ?? []));
  return explain(run, keyed);
}

/** The scheme as the doctor's request check (recognise, signed headers, verify). */
export function toRequestCheck<P extends Parts>(scheme: RequestScheme<P>): RequestCheck {
  return {
    id: scheme.id,
    recognise: (req) => scheme.recognise(req),
    signedHeaders: scheme.signedHeaders,
    ...(scheme.keyHint ? { keyAlg: scheme.keyHint } : {}),
    ...(scheme.refuse ? { refuse: (req: ParsedRequest) => scheme.refuse!(req) } : {}),
    // A request with one signature and no labels has one result, as the doctor's other schemes.
    verify: async (input) => {
      const results = await verifyEach(scheme, input);
      return results.length === 1 && results[0]!.label === undefined ? results[0]! : results;
    },
  };
}
