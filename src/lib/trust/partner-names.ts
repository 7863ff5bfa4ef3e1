/**
 * Every partner's name, for messages (below the profiles: it does not load them). A Record over
 * PartnerId: a new partner id does not compile until it is named here. Not needed by the first paint.
 */
import type { PartnerId } from './owner';

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
  visa: 'Visa',
  cybersource: 'CyberSource',
  mastercard: 'Mastercard',
  kalshi: 'Kalshi',
  bybit: 'Bybit',
  truelayer: 'TrueLayer',
};
