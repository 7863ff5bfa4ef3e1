/**
 * Whose key a stored key is. Apart from roles.ts so the first paint (the key cards) loads
 * only these few lines, not the verification contexts the lazy doctor uses, nor the profiles that
 * name the partners.
 */
/**
 * Every partner's id, in profile order: the one list PartnerId is derived from. A profile whose id is
 * not here does not compile; a test checks the profiles and this list hold the same ids.
 */
export const PARTNER_OWNERS = [
  'qredo',
  'qitech',
  'binance',
  'snowflake',
  'entra',
  'okta',
  'auth0',
  'google',
  'salesforce',
  'bybit',
  'kalshi',
  'truelayer',
  'visa',
  'cybersource',
  'mastercard',
] as const;

/** A partner profile's id (what a stored key keeps to say which partners it serves). */
export type PartnerId = (typeof PARTNER_OWNERS)[number];

/** Whose key a stored key is: the user's own (key pairs, public keys of the user's servers) or a partner's. */
export type KeyOwner = 'mine' | PartnerId;

/** True when the value is a key owner keybench knows (stored records are data: check them). */
export function isKeyOwner(value: unknown): value is KeyOwner {
  return (
    value === 'mine' || (typeof value === 'string' && (PARTNER_OWNERS as readonly string[]).includes(value))
  );
}
