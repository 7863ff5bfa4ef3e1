/** Salesforce OAuth 2.0 JWT bearer flow (a certificate uploaded on the connected app). */
import { clock } from './common';
import { defineRules } from './types';

const DOCS = 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm&type=5';
const NODE_SDK =
  'salesforce-jwt-bearer-token-flow (npm): lib/index.js getToken (iss, sub, aud, exp = now + 300; no iat)';
const APEX_SDK =
  'Apex Auth.JWT / cropredyHelix/jwt (JWT.cls: exp = now + validFor, 300 s by default; no iat needed)';

/** The login URLs Salesforce documents for aud. */
const SF_LOGIN = 'https://login.salesforce.com';
const SF_TEST = 'https://test.salesforce.com';

export default defineRules({
  id: 'client-assertion/salesforce',
  profile: 'salesforce',
  partnerName: 'Salesforce',
  options: [
    {
      name: 'clientId',
      label: 'Consumer key',
      kind: 'text',
      default: '',
      help: "The connected app's consumer key: iss.",
      remember: true,
    },
    {
      name: 'username',
      label: 'Username',
      kind: 'text',
      default: '',
      help: 'The Salesforce username the token is for: sub.',
      remember: true,
    },
    {
      name: 'loginUrl',
      label: 'Login URL',
      kind: 'choice',
      default: SF_LOGIN,
      options: [SF_LOGIN, SF_TEST],
      help: 'aud: login.salesforce.com for production, test.salesforce.com for a sandbox (an Experience Cloud site URL also works).',
    },
  ],
  recognise: {
    aud: /^https:\/\/(?:login|test)\.salesforce\.com\/?$|\.my\.salesforce\.com\/?$|\.force\.com(?:\/.*)?$/,
  },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg RS256',
      words: 'RS256 with the key of the certificate on the connected app.',
      allowed: ['RS256'],
      source: DOCS,
      decides: false,
    },
    {
      kind: 'claim',
      check: 'iss',
      label: 'iss = consumer key',
      words: "iss is the connected app's consumer key.",
      claim: 'iss',
      equals: '{clientId}',
      code: 'ERR_ASSERT_CLIENT_ID',
      source: DOCS,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'sub',
      label: 'sub = username',
      words: 'sub is the username (not the consumer key).',
      claim: 'sub',
      equals: '{username}',
      code: 'ERR_ASSERT_CLAIM_VALUE',
      source: DOCS,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'aud',
      label: 'aud = login URL',
      words:
        'aud is https://login.salesforce.com, https://test.salesforce.com or the Experience Cloud site URL.',
      claim: 'aud',
      equals: '{loginUrl}',
      pattern: /^https:\/\/(?:login|test)\.salesforce\.com$|\.force\.com(?:\/.*)?$/,
      code: 'ERR_ASSERT_AUD',
      source: DOCS,
      decides: true,
    },
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'exp within 3 minutes',
      words:
        "exp within 3 minutes from now, as the docs say (Salesforce asks for no iat); Salesforce's own Java sample and salesforce-jwt-bearer-token-flow send 5 minutes, so up to 300 s is a warning, beyond it a failure.",
      from: ['iat'],
      fromOptional: true,
      warnAheadSec: 180,
      maxAheadSec: 300,
      source: DOCS,
      decides: false,
    },
    ...clock(DOCS).filter((r) => r.check === 'expired'),
  ],
  make: {
    header: {},
    claims: { iss: '{clientId}', sub: '{username}', aud: '{loginUrl}', iat: '{now}', exp: '{now+180}' },
    request: {
      url: '{loginUrl}/services/oauth2/token',
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: '{assertion}' },
    },
    requires: ['clientId', 'username', 'loginUrl'],
  },
  sources: [DOCS, NODE_SDK, APEX_SDK],
});
