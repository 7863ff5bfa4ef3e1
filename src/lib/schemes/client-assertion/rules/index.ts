/** Every partner's client-assertion rules, in the order the form offers them. */
import apple from './apple';
import auth0 from './auth0';
import coinbase from './coinbase';
import entra from './entra';
import github from './github';
import google from './google';
import okta from './okta';
import salesforce from './salesforce';
import type { PartnerRules } from './types';

/** The partners, in the form's order. */
export const PARTNER_RULES: readonly PartnerRules[] = [
  entra,
  okta,
  auth0,
  google,
  github,
  apple,
  salesforce,
  coinbase,
];

/** The rules of the partner with this name (the form's Partner choice) or id. */
export function rulesFor(nameOrId: string): PartnerRules | undefined {
  return PARTNER_RULES.find((r) => r.partnerName === nameOrId || r.id === nameOrId || r.profile === nameOrId);
}
