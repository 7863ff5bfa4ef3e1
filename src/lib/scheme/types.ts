/**
 * What a request-signing scheme is, as data: the engine (check.ts, sign.ts) owns the skeleton every
 * scheme shares and a scheme supplies only what is its own.
 *
 *   parts   = read(request)          the named strings a server reads (timestamp, method, path …)
 *   base    = base(parts)            the bytes signed, part by part
 *   sig     = decode(signature)      the scheme's encoding, then every other reading (lib/crypto)
 *   ok      = verify(alg, key, sig, base)   lib/crypto, with each trusted key whose role fits
 *   mistake = transform(parts)       shared families (mistakes.ts) + the scheme's own, reported only
 *                                    when a signature over the transformed bytes verifies
 *   sign    = base(form → parts)     headers, curl, "Open in Inspect" come from the engine
 *
 * A scheme never decides "verified": the engine hands its result to trust/verdict.ts.
 */
import type { AlgId } from '../crypto/algorithms';
import type { SignatureEncoding } from '../crypto/encoding';
import type { ErrorCode } from '../errors';
import type { PartnerId } from '../partner-profile';
import type { VerificationKey } from '../jwt/verify';
import type { Diagnosis, DoctorInput, ParsedRequest } from '../request/types';
import type { Rich } from '../rich';
import type { FormField, FormValues, KeyAlgHint, Refusal } from './contract';
import type { Finding, SignedPart } from '../trust/finding';

/** A request as a scheme reads it: named strings, exactly as sent (nothing normalised). */
export type Parts = Readonly<Record<string, string>>;

/** What a signer who made a mistake signed instead, as a transformation of the parts sent. */
export interface Variant<P extends Parts> {
  /** The parts as the mistaken signer had them (unchanged parts may be omitted). */
  parts?: Partial<P>;
  /** Signed with this algorithm instead (RSA-PSS for PKCS#1 v1.5, …). */
  alg?: AlgId;
  /** An RSA-PSS salt length other than the digest's. */
  saltLength?: number;
  /** The signature's text read in another encoding than the scheme's. */
  encoding?: SignatureEncoding;
  /** The signature's bytes read as ECDSA DER, where the scheme wants raw r‖s (as JWS does). */
  der?: boolean;
  /** The signature's text as the signer wrote it, where the way it was sent changed it (a raw + in a form). */
  signature?: string;
  /** The base as the mistaken signer laid it out, where the mistake is in its layout, not in a part (CRLF). */
  text?: string;
  /** For the report: which part differs, and that part as signed and as sent. */
  part: string;
  signed: string;
  sent: string;
  /**
   * The diagnoses when this variant is several mistakes at once, or words more precise than its
   * mistake's ("… by +7 s"), in order; the first takes the search's explanation. Default: the mistake.
   */
  mistakes?: readonly MistakeWords[];
}

/** A mistake's words, as a diagnosis names it. */
export type MistakeWords = Pick<SchemeMistake<Parts>, 'code' | 'title' | 'explanation' | 'remedy'>;

/**
 * A named mistake: its alternatives are tried only after the signature fails over the parts as
 * sent, and it is reported only when WebCrypto confirms one of them.
 */
export interface SchemeMistake<P extends Parts> {
  /** Declared here, beside what raises it (the conformance suite checks each is unique). */
  code: ErrorCode;
  title: string;
  explanation: string;
  remedy: string;
  /**
   * Its variants are values the request itself says were signed (a JWT's own claims), so no
   * correctly signed request has one: the conformance suite leaves it to the scheme's own tests.
   */
  readsSigned?: true;
  /** The alternatives for one request, made lazily; a throw means "cannot apply here". */
  variants(parts: P, request: ParsedRequest): Iterable<Variant<P>>;
  /**
   * A mistake in how the request carries the signature, not in what is signed (a raw + in a form):
   * the request as that signer sends it, made from a correct one (undefined: the same here). The
   * conformance suite makes the mistake with it.
   */
  sentAs?(request: ParsedRequest): ParsedRequest | undefined;
}

/** A request the scheme refuses before any key is tried (no signature, a header it cannot read). */
export interface SchemeRefusal {
  code: ErrorCode;
  /** keybench's words, untrusted text kept apart. */
  words: Rich;
}

/**
 * What a request reads as: its parts and its signature's text, or a refusal. `label`: which of the
 * request's signatures, when it carries several (each is judged on its own).
 */
export type ReadResult<P extends Parts> = ({ parts: P; signature: string } | SchemeRefusal) & {
  label?: string;
  /** What reading the whole request found (a label sent twice), shown first in each signature's result. */
  findings?: Finding[];
};

/** A check's finding, with the signer's mistake it shows when it has one (Content-Digest over other bytes). */
export type CheckFinding = Finding & { diagnosis?: Diagnosis };

/** What signs, as the parts may name it: the algorithm chosen, and a key pair's label (not a secret's). */
export interface SignedWith {
  alg?: AlgId;
  keyLabel?: string;
}

/** The Sign tab of a scheme: fields as data, and how form values become parts and a request. */
export interface SchemeSigner<P extends Parts> {
  fields: readonly FormField[];
  /**
   * What the form's parts are when the user signs (a timestamp is taken at `nowMs`). A part that is
   * itself signed (QI Tech's encoded_body) is made with `sign`, the same key in the scheme's encoding.
   */
  parts(
    values: FormValues,
    nowMs: number,
    sign?: (bytes: Uint8Array<ArrayBuffer>) => Promise<string>,
    chosen?: SignedWith,
  ): P | Promise<P>;
  /** The algorithm the form's values ask for (undefined: the first of `algorithms` the key makes). */
  algorithm?(values: FormValues): AlgId | undefined;
  /** The request as sent, with the signature's text in its place. */
  request(
    parts: P,
    signature: string,
    values: FormValues,
  ): { method: string; url: string; headers: [string, string][]; body: string };
  /**
   * "Sign it correctly": the form's values read back from a request (the parts as sent); the key
   * and the timestamp are chosen by the Sign view. Default: none (the form keeps its values).
   */
  values?(parts: P, request: ParsedRequest): FormValues;
  /** Extra values for the conformance suite, so every mistake has a request it applies to. */
  examples?: readonly FormValues[];
  /** Which of the request's headers are shown to copy (default: every header). */
  shown?: readonly string[];
  /** Information about the values signed (not a warning: e.g. which bytes the server must send). */
  info?(values: FormValues): Rich[];
}

/** One request-signing scheme, reading like its specification. */
export interface RequestScheme<P extends Parts = Parts> {
  /** Its folder name. */
  id: string;
  /** As the Sign tab and the doctor name it ("Kalshi", "Bybit V5 (RSA)"). */
  name: string;
  /**
   * The profile of the partner the requests are sent to (their verification uses the user's own keys);
   * none for a standard any server may verify (RFC 9421).
   */
  partner?: PartnerId;
  /** How a pasted request is recognised, in words. */
  recognisedBy: string;
  /** Where the scheme is specified: docs, SDK source files. */
  source: string;
  /** 0: not this scheme; the highest scheme wins (Qredo 4, Binance 3, QI Tech 2, RFC 9421 1). */
  recognise(request: ParsedRequest): number;
  /** Headers the signature depends on: each must be sent once, in visible ASCII (the engine refuses otherwise). */
  signedHeaders: readonly string[];
  /** The algorithms the partner verifies, its documented one first. Keys are tried with each that fits. */
  algorithms: readonly AlgId[];
  /** The algorithms this request allows, where it names its own (RFC 9421 `alg`); default `algorithms`. */
  algorithmsOf?(parts: P): readonly AlgId[];
  /**
   * The name the request gives its key (RFC 9421 `keyid`): only the trusted keys of that label or kid
   * are tried when there are any (even when none fits the algorithm: a server never tries another
   * key instead), else every one. It never brings a key.
   */
  keyName?(parts: P): string | undefined;
  /** How the base's parts make the bytes: joined as they are (default), or `label: text` lines joined by LF. */
  layout?: 'joined' | 'lines';
  /** How the signature is written as text (other readings are the encoding mistake). */
  encoding: SignatureEncoding;
  /** Algorithms whose signature is written otherwise (Binance: HMAC in hex, the others base64). */
  encodingOf?: Partial<Record<AlgId, SignatureEncoding>>;
  /** How the page reads a pasted key for this scheme (HS256: a public key, else an HMAC secret). */
  keyHint?: KeyAlgHint;
  /** The parts and signature of a request, or of each of its signatures (RFC 9421 labels). */
  read(request: ParsedRequest): ReadResult<P> | readonly ReadResult<P>[];
  /** What the server cannot even decode, refused before any key is asked for (the doctor's refuse). */
  refuse?(request: ParsedRequest): Refusal | null;
  /** Other signatures the request carries, checked with the trusted keys (`signedBy`: the one that holds). */
  alsoSigned?(parts: P, input: DoctorInput, signedBy?: VerificationKey): Promise<Finding[]>;
  /** The bytes signed, part by part (joined as they are, as UTF-8). */
  base(parts: P): SignedPart[];
  /**
   * The bytes signed, when they are not the base's parts joined as UTF-8 (a JWS signs
   * base64url(header) "." base64url(payload)): the base then stays readable in the report.
   */
  signedBytes?(parts: P): Uint8Array<ArrayBuffer>;
  /** The base in words, for headlines ("timestamp ‖ METHOD ‖ path"). */
  baseWords: string;
  /**
   * What a check says once the signature holds with `key`, replacing its finding of the same check
   * (RFC 9421: a keyid that names none of the keys now names the one that holds).
   */
  heldWith?(parts: P, key: VerificationKey): Finding[];
  /**
   * Checks of the request alone (timestamp window, required headers, a body's digest), with the keys
   * trusted for it (a key the request names). An error: the partner refuses.
   */
  checks?(
    parts: P,
    request: ParsedRequest,
    nowMs: number,
    keys: readonly VerificationKey[],
  ): CheckFinding[] | Promise<CheckFinding[]>;
  /**
   * Other parts the partner's own verifier also accepts (TrueLayer's tries the path with and without
   * a trailing slash): a signature over one of them verifies, and `words` say which was signed.
   */
  accepts?(parts: P): Iterable<{ parts: Partial<P>; words: Rich }>;
  /** The mistakes this scheme's signers make, shared families first (see mistakes.ts). */
  mistakes: readonly SchemeMistake<P>[];
  /** Two mistakes made at once (mistakes.ts `together`), tried after every single one. */
  pairs?: readonly SchemeMistake<P>[];
  /** Most alternatives the mistake search tries (default: the engine's MAX_ALTERNATIVES). */
  budget?: number;
  /** Every mistake first gets an equal share of the budget (where one may have many alternatives). */
  fair?: boolean;
  /** Codes of the engine's outcomes, when the scheme keeps its own (defaults: ERR_SCHEME_*). */
  codes?: Partial<Record<EngineOutcome, ErrorCode>>;
  /** The Sign tab. */
  signer: SchemeSigner<P>;
}

/** The engine's own outcomes, each with a default code. */
export type EngineOutcome =
  | 'noSignature'
  | 'unreadable'
  | 'noKey'
  | 'differ'
  | 'otherBytes'
  | 'otherKey'
  | 'padding'
  /** On the Sign side: the key signs none of the algorithms. */
  | 'cannotSign';

/** How a scheme writes a signature made with `alg`. */
export function encodingFor(
  scheme: Pick<RequestScheme, 'encoding' | 'encodingOf'>,
  alg: AlgId,
): SignatureEncoding {
  return scheme.encodingOf?.[alg] ?? scheme.encoding;
}

/** Does a request's key name (RFC 9421 `keyid`) name this key: its label, or a public key's kid? */
export function namesKey(name: string, key: VerificationKey): boolean {
  return key.label === name || (key.kind === 'public' && key.kid === name);
}

/** Define a scheme (the identity function: it checks the shape and keeps the parts' type). */
export function defineScheme<P extends Parts>(scheme: RequestScheme<P>): RequestScheme<P> {
  return scheme;
}
