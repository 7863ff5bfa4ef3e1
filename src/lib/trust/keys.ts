/**
 * The types every layer shares about verdicts: the key a signature is checked with, and the
 * verified state that only trust/verdict.ts makes. A leaf module, so that request/, jwt/, crypto/
 * and trust/ can all name them without importing each other.
 */
import type { KeyType } from '../keys/key-type';
import type { KeyOwner } from './owner';

/** A key to try: an asymmetric public key (as SPKI) or an HMAC secret. */
export type VerificationKey =
  | {
      kind: 'public';
      label: string;
      /** stored: from the keyring; pasted: the key box; jwks: one key of a pasted JWKS; x5c/jwk-header: from the token itself. */
      origin: 'stored' | 'pasted' | 'jwks' | 'x5c' | 'jwk-header';
      spki: Uint8Array<ArrayBuffer>;
      type: KeyType;
      kid?: string;
      thumbprint?: string;
      /** The `alg` a JWK declares, if any. */
      alg?: string;
      /** The `use` and `key_ops` a JWK declares, if any. */
      use?: string;
      keyOps?: string[];
      /** Whose key a stored key is (unset: stored before keys had roles). See trust/roles. */
      owner?: KeyOwner;
      /** The certificate's DER when the user pasted a certificate (never one the token carries). */
      certificate?: Uint8Array<ArrayBuffer>;
      /** The key "Try an example" made: it verifies its own token, but it is nobody's, so no partner card trusts it. */
      example?: true;
    }
  | { kind: 'secret'; label: string; origin: 'pasted'; secret: Uint8Array<ArrayBuffer> };

declare const RULED: unique symbol;
/**
 * The verified state, as only trust/verdict.ts makes it: a plain `'verified'` does not type-check
 * where a verdict's state is expected, so no scheme can set it (tests compare it with 'verified').
 */
export type Verified = 'verified' & { readonly [RULED]: true };
