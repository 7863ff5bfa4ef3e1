import type { PartnerId } from '../trust/owner';
import type { KeyAlg } from './key-specs';
import { isKeyOwner, type KeyOwner } from '../trust/owner';

/** Where a user is in a partner's onboarding checklist for one key. */
export interface OnboardingProgress {
  /** The public key was downloaded or copied at least once. */
  publicKeyExported: boolean;
  /** The partners the user said they uploaded it to. */
  uploaded: Partial<Record<PartnerId, boolean>>;
}

/** A certificate kept with the key it certifies (made by keybench or imported), as read from its DER. */
export interface StoredCertificate {
  /** The certificate, DER. Public data: safe to store. */
  der: Uint8Array<ArrayBuffer>;
  subject: string;
  issuer: string;
  /** Validity, ms since 1970. */
  notBefore: number;
  notAfter: number;
  /** Serial number, lowercase hex. */
  serial: string;
  /** base64url SHA-1 and SHA-256 of the DER (JOSE x5t, x5t#S256). */
  x5t: string;
  x5tS256: string;
  origin: 'generated' | 'imported';
  addedAt: number;
}

/**
 * One entry of the keyring as it is kept in IndexedDB: the CryptoKey objects themselves (the private
 * one non-extractable) plus metadata. Never any private key bytes.
 */
export interface StoredKey {
  id: string;
  /** 'pair' can sign; 'public' is a trusted public key (verify only). */
  kind: 'pair' | 'public';
  label: string;
  /** The partner profiles this key serves (a pair can serve several: one RSA-2048 pair for Qredo and Snowflake). */
  partners: PartnerId[];
  /** Human description, e.g. "RSA-2048", "ECDSA P-521". */
  algorithm: string;
  /** The JWS algorithm it signs with, or RSA-OAEP-256 for an encryption key pair (decrypts only). */
  jwsAlg: KeyAlg;
  createdAt: number;
  origin: 'generated' | 'imported';
  /** Public key, SPKI DER. */
  spki: Uint8Array<ArrayBuffer>;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
  /**
   * An imported RSA private key imported a second time for RSA-PSS (non-extractable too), so one
   * stored key signs PS256 as well as RS256 (`privateKey`): WebCrypto ties a key to one algorithm.
   */
  pssPrivateKey?: CryptoKey;
  progress: OnboardingProgress;
  /**
   * Whose key it is (trust/roles.ts): a pair is always 'mine'; a trusted public key is the user's own
   * (a server's or client's) or a partner's. Unset on public keys stored before keys had roles: they
   * fit no partner's request or response until the user says whose they are.
   */
  owner?: KeyOwner;
  /** Certificates whose public key is this key, oldest first (absent on keys stored before they were kept). */
  certificates?: StoredCertificate[];
}

/** The label a new key gets: profile or kind, and the local date (YYYY-MM-DD). */
export function defaultLabel(prefix: string, time: number): string {
  const when = new Date(time);
  const d = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`;
  return `${prefix} ${d}`;
}

/** A record as keybench 0.1 stored it: one profile per key, one "uploaded" flag. */
interface LegacyFields {
  profile?: 'qredo' | 'qitech' | 'ed25519' | null;
  partners?: PartnerId[];
  progress: { publicKeyExported: boolean; uploaded: boolean | Partial<Record<PartnerId, boolean>> };
}

/** What the old per-key profiles became (the Ed25519 profile was made for Binance). */
const LEGACY_PARTNER: Record<string, PartnerId> = { qredo: 'qredo', qitech: 'qitech', ed25519: 'binance' };

/** A stored record in today's shape: records written before partner profiles are read as the profile they had. */
export function upgradeStoredKey(
  record: Omit<StoredKey, 'partners' | 'progress' | 'owner'> & LegacyFields & { owner?: unknown },
): StoredKey {
  const { profile, partners, progress, owner, ...rest } = record;
  // Own keys only: a stored record is data, and `constructor` is not a profile.
  const legacy = profile && Object.hasOwn(LEGACY_PARTNER, profile) ? LEGACY_PARTNER[profile] : undefined;
  const served = partners ?? (legacy ? [legacy] : []);
  const uploaded =
    typeof progress.uploaded === 'boolean'
      ? Object.fromEntries(served.map((p) => [p, progress.uploaded]))
      : progress.uploaded;
  // A pair signs for the user, so it is the user's own; a public key keeps the owner it was given, if
  // that is one keybench knows (a stored record is data).
  const whose = rest.kind === 'pair' ? 'mine' : isKeyOwner(owner) ? owner : undefined;
  return {
    ...rest,
    partners: served,
    progress: { publicKeyExported: progress.publicKeyExported, uploaded },
    ...(whose ? { owner: whose } : {}),
  };
}
