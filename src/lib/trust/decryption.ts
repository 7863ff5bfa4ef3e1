/**
 * The one rule for "Decrypted", beside the signature rule: a key pair of the user's own (stored,
 * holding its non-extractable private key) unwrapped the content key AND the authentication tag
 * held over the header, IV and ciphertext. Nothing else makes the state, and it says nothing about
 * who sent the message: anyone can encrypt to a public key.
 */
import type { StoredKey } from '../keys/stored-key';

declare const RULED: unique symbol;
/** The decrypted state, as only this module makes it (a plain 'decrypted' does not type-check). */
export type Decrypted = 'decrypted' & { readonly [RULED]: true };

const DECRYPTED = 'decrypted' as Decrypted;

/** True for a stored key pair of the user's own that holds a private key. */
export function isOwnPair(key: StoredKey | undefined): key is StoredKey {
  return key !== undefined && key.kind === 'pair' && key.owner === 'mine' && key.privateKey !== undefined;
}

/**
 * The state of a decryption: `decrypted` only when `by` is the user's own stored pair and
 * `tagHeld` (the AEAD check passed); otherwise 'failed'.
 */
export function decideDecryption(by: StoredKey | undefined, tagHeld: boolean): Decrypted | 'failed' {
  return isOwnPair(by) && tagHeld ? DECRYPTED : 'failed';
}
