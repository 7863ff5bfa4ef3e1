/**
 * A partner profile: everything keybench knows about one partner that asks developers to generate a
 * key pair, upload the public key and sign requests. Profiles are data; each lives in its own
 * `src/lib/partners/<partner>.profile.ts` file, and `partners/profiles.ts` finds them all. (This
 * file holds only their shape, so the Keys view can use it without loading them.)
 */
import type { PartnerId } from './trust/owner';
import type { ErrorCode } from './errors';
import type { KeySpecId } from './keys/key-specs';
import { keyTypeOf, type KeyType } from './keys/key-type';

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
  // a certificate made from the key (Keys → Create self-signed certificate), or a public JWK
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

/** A mistake the request doctor (or the inspector's partner check) recognises and names. */
export interface Mistake {
  code: ErrorCode;
  title: string;
}

/** One partner, described. */
export interface PartnerProfile {
  /** One of the ids trust/owner.ts lists (stored keys name their owner by it before profiles load). */
  id: PartnerId;
  /** The partner's name as keybench shows it (Sign view tab, Keys view). */
  name: string;
  /** The company in a sentence ("Qredo's key"), when the tab names a product ("Qredo Partner API"). */
  company?: string;
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
  schemes: readonly string[];
  /** What keybench's doctor or inspector recognises as this partner's typical mistakes. */
  mistakes?: readonly Mistake[];
  /** The partner documentation the profile follows. */
  source: string;
}

export type { PartnerId };

/** Whether a key of this type can serve the partner. */
export function profileAccepts(profile: PartnerProfile, type: KeyType): boolean {
  return profile.accepts.some((a) => {
    if (a.kty === 'RSA')
      return type.kty === 'RSA' && a.oaep === type.oaep && type.bits >= a.minBits && type.bits <= a.maxBits;
    return a.kty === type.kty && a.curve === (type as { curve?: string }).curve;
  });
}

/**
 * Whether a stored pair can serve the partner: its type is accepted, and the partner makes a key pair
 * that signs as it does (WebCrypto ties an RSA key to PSS or, unless imported for both, to PKCS#1 v1.5).
 */
export function pairServes(
  profile: PartnerProfile,
  key: { publicKey: CryptoKey; privateKey?: CryptoKey | undefined; pssPrivateKey?: CryptoKey | undefined },
): boolean {
  const name = key.privateKey?.algorithm.name;
  return (
    profileAccepts(profile, keyTypeOf(key.publicKey)) &&
    profile.generate.some((g) =>
      g === 'rsa-pss-2048' ? name !== 'RSASSA-PKCS1-v1_5' || !!key.pssPrivateKey : name !== 'RSA-PSS',
    )
  );
}

/** A profile as written in its file (the identity function: it only checks the shape). */
export function definePartner(profile: PartnerProfile): PartnerProfile {
  return profile;
}
