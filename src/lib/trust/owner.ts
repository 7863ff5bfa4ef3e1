/**
 * Whose key a stored key is (issue 17). Apart from roles.ts so the first paint (the key cards) loads
 * only these few lines, not the verification contexts the lazy doctor uses.
 */
import type { PartnerId } from '../partner-profile';

/** Whose key a stored key is: the user's own (key pairs, public keys of the user's servers) or a partner's. */
export type KeyOwner = 'mine' | PartnerId;

/**
 * Every partner's name, for messages (this module sits below the profiles and does not load them).
 * A Record over PartnerId: a new partner id does not compile until it is named here.
 */
export const PARTNER_NAMES: Readonly<Record<PartnerId, string>> = {
  qredo: 'Qredo',
  qitech: 'QI Tech',
  binance: 'Binance',
  snowflake: 'Snowflake',
  entra: 'Microsoft Entra ID',
  okta: 'Okta',
  auth0: 'Auth0',
  google: 'Google Cloud',
  salesforce: 'Salesforce',
};

/** The partners a key may belong to. */
export const PARTNER_OWNERS = Object.keys(PARTNER_NAMES) as PartnerId[];

/** True when the value is a key owner keybench knows (stored records are data: check them). */
export function isKeyOwner(value: unknown): value is KeyOwner {
  return value === 'mine' || (typeof value === 'string' && Object.hasOwn(PARTNER_NAMES, value));
}
