/** Auth0 Private Key JWT client authentication. */
import { CLIENT_ID, KEY_ID, clock, issIsClientId, issIsSub, jtiRequired } from './common';
import { defineRules } from './types';

const DOCS =
  'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt';
const PY_SDK =
  'auth0-python: src/auth0/authentication/client_authentication.py create_client_assertion_jwt (iss = sub = client id, aud = https://<domain>/, iat, exp = +180 s, jti; RS256 by default)';
const NODE_SDK =
  'auth0 (node-auth0): its client assertion (iss = sub = client id, aud = https://<domain>/, jti), checked by the SDK fixtures';

export default defineRules({
  id: 'client-assertion/auth0',
  profile: 'auth0',
  partnerName: 'Auth0',
  options: [
    CLIENT_ID,
    {
      name: 'domain',
      label: 'Tenant domain',
      kind: 'text',
      default: '',
      help: 'Your tenant (or custom) domain, e.g. example.eu.auth0.com: aud is https://<domain>/ with its trailing slash.',
      remember: true,
    },
    KEY_ID,
  ],
  recognise: { aud: /^https:\/\/[^/]+\.auth0\.com\/?$/ },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg RS256, RS384 or PS256',
      words: 'the algorithm registered with the credential: RS256, RS384 or PS256.',
      allowed: ['RS256', 'RS384', 'PS256'],
      source: DOCS,
      decides: false,
    },
    {
      kind: 'header',
      check: 'kid',
      label: 'kid',
      words: 'kid (optional) is the id Auth0 generated for the credential.',
      param: 'kid',
      severity: 'optional',
      equalsOption: 'keyId',
      source: DOCS,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'aud',
      label: 'aud = tenant URL',
      words: 'aud is the tenant URL (or custom domain) with its trailing slash, not the token endpoint.',
      claim: 'aud',
      equals: 'https://{domain}/',
      pattern: /^https:\/\/[^/]+\/$/,
      code: 'ERR_ASSERT_AUD',
      source: DOCS,
      decides: true,
    },
    issIsClientId(DOCS),
    issIsSub(DOCS),
    jtiRequired(DOCS),
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'lifetime ≤ 5 minutes',
      words: 'Auth0 supports a lifetime of at most 5 minutes (1 minute recommended).',
      from: ['iat'],
      maxLifetimeSec: 300,
      maxAheadSec: 300,
      source: DOCS,
      decides: false,
    },
    ...clock(DOCS),
  ],
  make: {
    header: { typ: 'JWT', kid: '{keyId?}' },
    claims: {
      iss: '{clientId}',
      sub: '{clientId}',
      aud: 'https://{domain}/',
      iat: '{now}',
      exp: '{now+60}',
      jti: '{jti}',
    },
    request: {
      url: 'https://{domain}/oauth/token',
      form: {
        grant_type: 'client_credentials',
        client_id: '{clientId}',
        audience: 'https://{domain}/api/v2/',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: '{assertion}',
      },
    },
    requires: ['clientId', 'domain'],
  },
  sources: [DOCS, PY_SDK, NODE_SDK],
});
