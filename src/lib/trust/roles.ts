/**
 * Key roles: whose key each stored key is, and which keys may verify what. A request the
 * user sends TO a partner is signed with the user's own key; a response FROM a partner with that
 * partner's key. A key that fits the wrong direction proves nothing: QI Tech's key "verifying" a
 * request means QI Tech signed it (a response pasted as a request), and the user's own key
 * "verifying" a response means the user signed it (a request reflected back).
 */
import type { PartnerId } from './owner';
import type { VerificationKey } from './keys';

export { PARTNER_OWNERS, isKeyOwner, type KeyOwner } from './owner';
export { PARTNER_NAMES } from '../partners/profiles';
import { type KeyOwner } from './owner';

/** What a signature is checked for, and so whose keys may verify it. */
export type VerificationContext =
  /** A request the user (or the user's server) sends to `partner`: the user's own keys. */
  | { direction: 'request-to'; partner: PartnerId }
  /** A response `partner` sends back: that partner's keys only. */
  | { direction: 'response-from'; partner: PartnerId }
  /** A plain JWT with no direction: every key the user trusts. */
  | { direction: 'none' };

/**
 * Does `key` fit `context`? Never a key the token or request carries itself (x5c, jwk header). A
 * pasted key counts as declared for this check (the user chose it for what is being checked). A
 * stored key fits a request to a partner when it is the user's own, a partner's response when it
 * is that partner's, and a plain JWT whoever owns it (or when nobody was said to).
 */
export function keyFits(context: VerificationContext, key: VerificationKey): boolean {
  if (key.origin === 'x5c' || key.origin === 'jwk-header') return false;
  // The key box (or one key of a pasted JWKS): the user supplied it for this check.
  if (key.origin === 'pasted' || key.origin === 'jwks') return true;
  // Only stored keys are left: their owner decides.
  const owner = key.kind === 'public' ? key.owner : undefined;
  switch (context.direction) {
    case 'none':
      return true;
    case 'request-to':
      return owner === 'mine';
    case 'response-from':
      return owner === context.partner;
  }
}

/** The keys that may verify a signature in `context`: the one choice of keys for every check. */
export function keysFor<K extends VerificationKey>(context: VerificationContext, keys: readonly K[]): K[] {
  return keys.filter((k) => keyFits(context, k));
}

/** Stored keys that were not tried in a context, by why. */
export interface SkippedKeys {
  /** Stored public keys with no owner set (stored before keys had roles): they fit no partner context. */
  unowned: string[];
  /** Stored keys that belong to someone else than the context wants (a partner's key for a request, mine for a response). */
  otherOwner: { label: string; owner: KeyOwner }[];
}

/**
 * The stored keys `keysFor` left out of `context`, so the page can say which were not tried and
 * offer to set whose key an unowned one is.
 */
export function skippedKeys(context: VerificationContext, keys: readonly VerificationKey[]): SkippedKeys {
  const out: SkippedKeys = { unowned: [], otherOwner: [] };
  for (const k of keys) {
    if (k.origin !== 'stored' || k.kind !== 'public' || keyFits(context, k)) continue;
    if (k.owner === undefined) out.unowned.push(k.label);
    else out.otherOwner.push({ label: k.label, owner: k.owner });
  }
  return out;
}

/**
 * Whose keys may verify a request signed with `scheme`: a scheme a partner's profile lists is sent
 * TO that partner (the user's own keys); a scheme no profile lists (a standard such as RFC 9421)
 * has no direction, so every key the user trusts may verify it.
 */
export function contextOfScheme(
  scheme: string,
  profiles: readonly { id: PartnerId; schemes: readonly string[] }[],
): VerificationContext {
  const partner = profiles.find((p) => p.schemes.includes(scheme));
  return partner ? { direction: 'request-to', partner: partner.id } : { direction: 'none' };
}
