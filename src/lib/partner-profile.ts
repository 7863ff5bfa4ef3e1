/**
 * A partner profile: everything keybench knows about one partner that asks developers to generate a
 * key pair, upload the public key and sign requests. Profiles are data; each lives in its own
 * `src/lib/partners/<partner>.profile.ts` file, and `partners/profiles.ts` finds them all. (This
 * file holds only their shape, so the Keys view can use it without loading them.)
 */
import type { ErrorCode } from './errors';
import type { KeySpecId } from './keys/key-specs';
import type { KeyType } from './keys/key-type';
import type { SchemeId } from './schemes/engine/types';

/** A key type the partner accepts for signing (or, with `oaep`, for message-level encryption: only an RSA-OAEP key fits). */
export type AcceptedKey =
  | { kty: 'RSA'; minBits: number; maxBits: number; oaep?: true }
  | { kty: 'EC'; curve: 'P-256' | 'P-384' | 'P-521' }
  | { kty: 'OKP'; curve: 'Ed25519' };

/**
 * What the partner wants uploaded: the SPKI PEM file as openssl writes it, or the base64 body of
 * that PEM without its armour lines (Snowflake's RSA_PUBLIC_KEY).
 */
export type UploadFormat =
  | 'spki-pem'
  | 'spki-base64'
  // issue 20: a certificate made from the key (Keys → Create self-signed certificate), or a public JWK
  | 'certificate-pem'
  | 'jwk';

/**
 * The fingerprint the partner's console shows for the uploaded key, so a user can check that the key
 * they registered is the one they sign with: `sha256-base64` is `SHA256:` + base64(SHA-256(SPKI DER)),
 * `sha256-hex` the colon-separated hex of the same digest; `none` when the console shows none.
 */
export type FingerprintFormat = 'sha256-base64' | 'sha256-hex' | 'none';

/** Which of keybench's controls does an onboarding step, so the checklist can link to it. */
export type StepAction = 'generate' | 'export' | 'upload' | 'import-partner-key' | 'sign';

/** One onboarding step as the partner describes it (PARTNERS.md). */
export interface OnboardingStep {
  title: string;
  detail: string;
  /** Set when keybench does this step (or part of it). */
  action?: StepAction;
}

/** The Sign view's forms (one per partner before forms were per scheme; QI Tech's three share one). */
export type SignerId = 'qredo' | 'qitech' | 'snowflake' | 'binance';

/** The Sign view's form that signs a scheme, or null when it has none of these (e.g. rfc9421). */
export function signerOf(scheme: SchemeId): SignerId | null {
  // qit-v1, qit-v2, qi-dtvm: QI Tech's three schemes share one tab (kept short: it is in the first load).
  if (scheme === 'qredo' || scheme === 'binance') return scheme;
  return /^qi/.test(scheme) ? 'qitech' : scheme === 'snowflake-jwt' ? 'snowflake' : null;
}

/** A mistake the request doctor (or the inspector's partner check) recognises and names. */
export interface Mistake {
  code: ErrorCode;
  title: string;
}

/** One partner, described. */
export interface PartnerProfile {
  id:
    | 'qredo'
    | 'qitech'
    | 'binance'
    | 'snowflake'
    // client assertions (issue 20)
    | 'entra'
    | 'okta'
    | 'auth0'
    | 'google'
    | 'salesforce'
    // message-level encryption (JWE)
    | 'visa'
    | 'cybersource'
    | 'mastercard'
    // request signers on the scheme pipeline
    | 'kalshi'
    | 'bybit'
    | 'truelayer';
  /** The partner's name as keybench shows it (Sign view tab, Keys view). */
  name: string;
  /** Position in lists. */
  order: number;
  /** Key types the partner accepts. */
  accepts: readonly AcceptedKey[];
  /** Key pairs keybench can generate for it, the one to suggest first. */
  generate: readonly [KeySpecId, ...KeySpecId[]];
  upload: {
    format: UploadFormat;
    /** The file name the partner's docs use (null: they name none; the key's own name is used). */
    fileName: string | null;
    /** Where in the partner's console it goes. */
    where: string;
  };
  fingerprint: { format: FingerprintFormat; where: string };
  checklist: readonly OnboardingStep[];
  /**
   * The schemes the partner uses, by id (folders under src/lib/schemes/; their names, how they are
   * recognised and their sources are in each scheme's meta.ts). A request signed with one of them is
   * sent TO this partner, so it is verified with the user's own keys.
   */
  schemes: readonly SchemeId[];
  /** What keybench's doctor or inspector recognises as this partner's typical mistakes. */
  mistakes?: readonly Mistake[];
  /** The partner documentation the profile follows. */
  source: string;
}

/** A partner profile's id (what a stored key keeps to say which partners it serves). */
export type PartnerId = PartnerProfile['id'];

/** Whether a key of this type can serve the partner. */
export function profileAccepts(profile: PartnerProfile, type: KeyType): boolean {
  return profile.accepts.some((a) => {
    if (a.kty === 'RSA')
      return type.kty === 'RSA' && a.oaep === type.oaep && type.bits >= a.minBits && type.bits <= a.maxBits;
    return a.kty === type.kty && a.curve === (type as { curve?: string }).curve;
  });
}

/**
 * The Sign view's first form: the tab of the one partner the user's key pairs serve (its signer, or
 * its first scheme's own tab, e.g. client-assertion for Entra), or null (the Test JWT form) when they
 * serve none or several.
 */
export function defaultSigner(
  keys: readonly { kind: 'pair' | 'public'; partners: readonly PartnerId[] }[],
  profiles: readonly PartnerProfile[],
): SignerId | SchemeId | null {
  const first = servedPartner(keys, profiles)?.schemes[0];
  return first === undefined ? null : (signerOf(first) ?? first);
}

/** The one partner the user's key pairs serve, as its profile, or null when they serve none or several. */
export function servedPartner(
  keys: readonly { kind: 'pair' | 'public'; partners: readonly PartnerId[] }[],
  profiles: readonly PartnerProfile[],
): PartnerProfile | null {
  const served = new Set(keys.filter((k) => k.kind === 'pair').flatMap((k) => k.partners));
  return (served.size === 1 && profiles.find((p) => served.has(p.id))) || null;
}

/** A profile as written in its file (the identity function: it only checks the shape). */
export function definePartner(profile: PartnerProfile): PartnerProfile {
  return profile;
}
