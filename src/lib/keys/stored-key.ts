import type { ProfileId, SigningAlg } from './profiles';

/** Where a user is in a partner's onboarding checklist for one key. */
export interface OnboardingProgress {
  /** The public key was downloaded or copied at least once. */
  publicKeyExported: boolean;
  /** The user said they uploaded it to the partner. */
  uploaded: boolean;
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
  /** The partner profile it was generated for, or null for imported keys. */
  profile: ProfileId | null;
  /** Human description, e.g. "RSA-2048", "ECDSA P-521". */
  algorithm: string;
  jwsAlg: SigningAlg;
  createdAt: number;
  origin: 'generated' | 'imported';
  /** Public key, SPKI DER. */
  spki: Uint8Array<ArrayBuffer>;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
  progress: OnboardingProgress;
}

/** The label a new key gets: profile or kind, and the local date (YYYY-MM-DD). */
export function defaultLabel(prefix: string, time: number): string {
  const when = new Date(time);
  const d = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`;
  return `${prefix} ${d}`;
}
