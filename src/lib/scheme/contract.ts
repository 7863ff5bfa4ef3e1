/**
 * The engine's contract: what a signing scheme is, as data first and code only where
 * data cannot say it. A scheme is one folder, `src/lib/schemes/<id>/`, holding:
 *
 * - a request scheme: `scheme.ts`, `export default defineScheme({...})` (scheme/types.ts), data the
 *   engine runs: the doctor checks it (scheme/doctor-checks.ts), the Sign view draws its form from it.
 * - a token scheme: `meta.ts` (`defineMeta`: id, name, kind, source; loaded eagerly),
 *   `token-check.ts` (`defineTokenCheck`, or an array of them, one per partner: loaded when the
 *   inspector first shows a partner card) and `form.ts` (`defineForm`: the Sign form as fields and
 *   `sign()`, loaded lazily by the Sign view).
 *
 * No scheme decides "verified": a check returns a SchemeResult (trust/verdict.ts) whose state only
 * `decideRequest` / the token rule sets. The registry (scheme/registry.ts) finds the folders with
 * `import.meta.glob`; profiles (src/lib/partners/*.profile.ts) say which schemes a partner uses.
 */
import type { ErrorCode } from '../errors';
import type { Finding, SignedPart } from '../trust/finding';
import type { DecodedToken } from '../jwt/decode';
import type { VerificationKey } from '../jwt/verify';
import type { DoctorInput, ParsedRequest } from '../request/types';
import type { Rich } from '../rich';
import type { SchemeResult } from '../trust/verdict';
import type { StoredCertificate } from '../keys/stored-key';

/** A scheme's stable id: its folder name (`qredo`, `qit-v2`, `rfc9421`, `snowflake-jwt`, …). */
export type SchemeId = string;

/** `request`: signs an HTTP request (the doctor reads it); `token`: a JWT the inspector checks (assertions). */
export type SchemeKind = 'request' | 'token';

/** What every scheme says about itself, cheap enough to load with the page. */
export interface SchemeMeta {
  id: SchemeId;
  /** As the Sign view and the doctor name it ("QI Tech v2", "HTTP Message Signatures (RFC 9421)"). */
  name: string;
  kind: SchemeKind;
  /** How a pasted request or token is recognised (shown when nothing matches). */
  recognisedBy: string;
  /** Where the scheme is specified (docs, SDK source). */
  source: string;
  /** The mistakes it names (a declarative scheme declares them beside their code). */
  mistakes?: readonly { code: ErrorCode; title: string }[];
}

/** Define a scheme's meta (identity function, for types). */
export function defineMeta<const M extends SchemeMeta>(meta: M): M {
  return meta;
}

// ─── Request schemes ───────────────────────────────────────────────────────────────────────────

/** How the page reads the key box for a scheme (`HS256`: a public key, else an HMAC secret). */
export type KeyAlgHint = 'RS256' | 'ES512' | 'HS256';

/** Something the scheme refuses before any key is tried (a token the server cannot decode, …). */
export interface Refusal {
  code: ErrorCode;
  parts: Rich;
}

/**
 * How the doctor (scheme/doctor.ts, the same for every scheme) sees a request scheme: check.ts
 * `toRequestCheck` makes it from a scheme.ts, whose fields of the same names say what they mean.
 */
export interface RequestCheck {
  id: SchemeId;
  /** 0: not this scheme; the highest wins. */
  recognise(req: ParsedRequest): number;
  /** Header names (lower case) the signature depends on: each must be sent once, in visible ASCII. */
  signedHeaders: readonly string[];
  /** How a pasted key is read; `undefined`: any public key. */
  keyAlg?: KeyAlgHint;
  /** A scheme-specific refusal read from the request alone; null when there is none. */
  refuse?(req: ParsedRequest): Refusal | null;
  /**
   * Check with the keys passed (filtered by role): one result, or one per signature (RFC 9421
   * labels); never a state (only trust/ decides "verified").
   */
  verify(input: DoctorInput): Promise<SchemeResult | SchemeResult[]>;
}

// ─── Token schemes (JWT assertions: Snowflake, client assertions) ──────────────────────────────

/** What a token check is given: the decoded token, whether a trusted key verified it, and the time. */
export interface TokenCheckInput {
  token: DecodedToken;
  /** The signature verified with a key the user trusts (the inspector's verdict, by the one rule). */
  signatureVerified: boolean;
  /** The key that verified it, when one did (for thumbprint / fingerprint checks). */
  verifiedBy?: VerificationKey;
  nowMs: number;
  /** Values the user typed on the card (client id, tenant, account…), by field name. */
  options: Readonly<Record<string, string>>;
  /** The inspector's clock-skew tolerance in seconds (0 when unset). */
  skewSec?: number;
  /**
   * The public keys the user trusts (stored ones, and the key that verified it), for rules that
   * name a key by fingerprint or thumbprint. Never a key the token carries (`x5c`, `jwk`).
   */
  trustedKeys?: readonly TrustedKeyInfo[];
}

/** A trusted public key as a token check sees it. `label` is the user's and untrusted. */
export interface TrustedKeyInfo {
  label: string;
  spki: Uint8Array<ArrayBuffer>;
  /**
   * The DER of every stored certificate whose public key is this key (made or imported), so a card
   * can compare a thumbprint with known values instead of asking for a paste.
   */
  certificates?: readonly Uint8Array<ArrayBuffer>[];
}

/**
 * How a token scheme is checked: the inspector recognises a JWT as this scheme (or the user picks
 * it under "Check as") and shows a partner card with its findings. The card's summary is made by
 * the engine (trust/card.ts): "All <partner> checks pass" / "No <partner> check fails" / how many
 * fail, green only beside `signatureVerified`.
 */
export interface TokenCheck {
  id: SchemeId;
  /** The partner name the card's summary uses ("Snowflake", "Microsoft Entra ID"). */
  partnerName: string;
  /** The card's heading (default: "<partnerName> checks"), e.g. "Snowflake key-pair JWT". */
  title?: string;
  /** One or two sentences under the heading: what the card checks, in keybench's words. */
  about?: string;
  /** 0 = not this scheme; the highest wins. */
  recognise(token: DecodedToken): number;
  /** The fields the card asks for (client id, tenant…), as data. */
  options: readonly FormField[];
  /** One finding per rule, each `check` name once. */
  check(input: TokenCheckInput): Finding[] | Promise<Finding[]>;
}

/**
 * The scheme that recognises best: the highest score, the first of equal ones; null when none scores
 * above 0. A `recognise` that throws or answers anything but a finite number scores 0 (one scheme's
 * code never stops the others from being asked).
 */
export function bestRecognised<T>(schemes: readonly T[], recognise: (scheme: T) => number): T | null {
  let best: T | null = null;
  let bestScore = 0;
  for (const scheme of schemes)
    try {
      const n = recognise(scheme);
      if (Number.isFinite(n) && n > bestScore) [best, bestScore] = [scheme, n];
    } catch {
      // scores 0
    }
  return best;
}

/** Define a token check (identity function, for types). */
export function defineTokenCheck(check: TokenCheck): TokenCheck {
  return check;
}

// ─── Forms (the Sign view) ─────────────────────────────────────────────────────────────────────

/**
 * How a field is entered. `key`: a stored key (or secret) picker, filtered by `keyTypes`.
 * `certificate`: one of the chosen key's stored certificates, or a pasted PEM (the field's value).
 */
export type FieldKind =
  'text' | 'textarea' | 'choice' | 'multi' | 'integer' | 'checkbox' | 'key' | 'certificate';

/** A value of a form field. */
export type FieldValue = string | number | boolean | readonly string[];

/** One form field. */
export interface FormField {
  /** Stable name (the key of the form's values). */
  name: string;
  /** The accessible label shown to the user (a stable test hook: URL, Body, Timestamp, API key…). */
  label: string;
  kind: FieldKind;
  /** The default; a function for values that depend on the time (timestamps). */
  default: FieldValue | ((nowMs: number) => FieldValue);
  help: string;
  /** For choice and multi: the options offered (multi also accepts free text). */
  options?: readonly string[];
  /** Shown only when this returns true for the current values (e.g. a body only for POST). */
  when?(values: FormValues): boolean;
  /** Kept in localStorage across reloads (never a secret or a private key). */
  remember?: boolean;
}

/** The values of a form, by field name. */
export type FormValues = Record<string, FieldValue>;

/** What signs: a stored key pair's private key (non-extractable), or an HMAC secret's bytes. */
export type SignerKey =
  | {
      kind: 'pair';
      label: string;
      privateKey: CryptoKey;
      /** The same key imported for RSA-PSS too (an imported RSA key signs RS* and PS*). */
      pssPrivateKey?: CryptoKey;
      publicKey: CryptoKey;
      spki: Uint8Array<ArrayBuffer>;
      /** The certificates stored with the key, oldest first. */
      certificates?: readonly StoredCertificate[];
    }
  | { kind: 'secret'; label: string; secret: Uint8Array<ArrayBuffer> };

/** What signing produces; the one signer view shows every part of it. */
export interface SignOutput {
  /** The headers to send, each shown with a Copy button (name, value). */
  headers: [name: string, value: string][];
  /** The exact bytes signed, part by part (the signature base). */
  base: SignedPart[];
  /** The request as it is sent. */
  request: Pick<ParsedRequest, 'method' | 'url' | 'headers' | 'body'>;
  /** A curl command sending exactly that request (bash-quoted). */
  curl: string;
  /** For token schemes: the JWT, shown with its decoded header and payload. */
  token?: string;
  /** Warnings about the input (e.g. a body a partner re-serialises), keybench's words. */
  notes?: Rich[];
  /** Information about the output, not a warning (e.g. which bytes a hash covers). */
  info?: Rich[];
}

/** A scheme's Sign form. */
export interface SchemeForm {
  id: SchemeId;
  fields: readonly FormField[];
  /** Key types the form can sign with (the key picker shows only these). */
  keyTypes: readonly ('RSA' | 'EC' | 'OKP' | 'secret')[];
  /**
   * Whether a stored pair (its private key, and the same key imported for RSA-PSS) signs for this
   * form: WebCrypto ties a key to PKCS#1 v1.5 or to PSS. Default: every pair of `keyTypes`.
   */
  canSign?(privateKeys: readonly (CryptoKey | undefined)[]): boolean;
  /** Values fixed by a partner profile (e.g. Visa TAP's required components and tag). */
  fixed?: Readonly<FormValues>;
  /** Sign. @throws KeybenchError with a stable code when the values cannot be signed. */
  sign(values: FormValues, key: SignerKey, nowMs: number): Promise<SignOutput>;
}

/** Define a form (identity function, for types). */
export function defineForm(form: SchemeForm): SchemeForm {
  return form;
}
