/**
 * Whose key a stored key is (issue 17). Apart from roles.ts so the first paint (the key cards) loads
 * only these few lines, not the verification contexts the lazy doctor uses, nor the partners' names
 * (partner-names.ts).
 */
import type { PartnerId } from '../partner-profile';

/** Whose key a stored key is: the user's own (key pairs, public keys of the user's servers) or a partner's. */
export type KeyOwner = 'mine' | PartnerId;

/** Every partner id, as a Record so that a new partner id does not compile until it is listed here. */
const PARTNER_IDS: Readonly<Record<PartnerId, 1>> = {
  qredo: 1,
  qitech: 1,
  binance: 1,
  snowflake: 1,
  entra: 1,
  okta: 1,
  auth0: 1,
  google: 1,
  salesforce: 1,
  visa: 1,
  cybersource: 1,
  mastercard: 1,
  kalshi: 1,
  bybit: 1,
  truelayer: 1,
};

/** The partners a key may belong to. */
export const PARTNER_OWNERS = Object.keys(PARTNER_IDS) as PartnerId[];

/** True when the value is a key owner keybench knows (stored records are data: check them). */
export function isKeyOwner(value: unknown): value is KeyOwner {
  return value === 'mine' || (typeof value === 'string' && Object.hasOwn(PARTNER_IDS, value));
}
