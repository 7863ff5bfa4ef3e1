/** Okta `private_key_jwt` client authentication (public key or JWK registered on the app). */
import { CLIENT_ID, KEY_ID, clock, issIsClientId, issIsSub, jtiRequired } from './common';
import { defineRules } from './types';

const DOCS = 'https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/';
const GUIDE = 'https://developer.okta.com/docs/guides/build-self-signed-jwt/';
const PY_SDK =
  'okta-sdk-python: okta/jwt.py JWT.create_token (RS256; aud = org URL + /oauth2/v1/token; iss = sub = client id; iat, exp = iat + 3000, jti; kid only when given)';
const NODE_SDK =
  '@okta/okta-sdk-nodejs: its private-key client (aud = org URL + /oauth2/v1/token, iss = sub = client id, jti; kid from the JWK), checked by the SDK fixtures';

export default defineRules({
  id: 'client-assertion/okta',
  profile: 'okta',
  partnerName: 'Okta',
  options: [
    CLIENT_ID,
    {
      name: 'tokenEndpoint',
      label: 'Token endpoint',
      kind: 'text',
      default: '',
      help: 'The full token URL the assertion is sent to, e.g. https://<your Okta domain>/oauth2/v1/token or /oauth2/<server id>/v1/token (aud).',
      remember: true,
    },
    KEY_ID,
  ],
  recognise: {
    aud: /^https:\/\/[^/]+\.(?:okta|oktapreview|okta-emea|okta-gov)\.com\/oauth2\/(?:[^/]+\/)?v1\/token$/,
  },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg RS/ES',
      words: 'RS256, RS384, RS512, ES256, ES384 or ES512 (the key you registered).',
      allowed: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
      source: DOCS,
      decides: false,
    },
    {
      kind: 'header',
      check: 'kid',
      label: 'kid',
      words: 'kid names the registered key (Okta needs it when the app has several keys).',
      param: 'kid',
      severity: 'warning',
      equalsOption: 'keyId',
      source: DOCS,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'aud',
      label: 'aud = token endpoint',
      words: 'aud is the full URL of the token endpoint the assertion is sent to.',
      claim: 'aud',
      equals: '{tokenEndpoint}',
      pattern: /^https:\/\/[^/]+\/oauth2\/(?:[^/]+\/)?v1\/token$/,
      code: 'ERR_ASSERT_AUD',
      source: DOCS,
      decides: true,
    },
    issIsClientId(DOCS),
    issIsSub(DOCS),
    jtiRequired(`${DOCS} (jti is listed as optional; Okta refuses a jti it has seen)`, 'warning'),
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'exp ≤ 1 hour',
      words: 'exp at most one hour in the future.',
      from: ['iat'],
      maxLifetimeSec: 3600,
      maxAheadSec: 3600,
      source: DOCS,
      decides: false,
    },
    ...clock(DOCS),
  ],
  make: {
    header: { typ: 'JWT', kid: '{keyId?}' },
    claims: {
      aud: '{tokenEndpoint}',
      iss: '{clientId}',
      sub: '{clientId}',
      jti: '{jti}',
      iat: '{now}',
      exp: '{now+300}',
    },
    request: {
      url: '{tokenEndpoint}',
      form: {
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: '{assertion}',
      },
    },
    requires: ['clientId', 'tokenEndpoint'],
  },
  sources: [DOCS, GUIDE, PY_SDK, NODE_SDK],
});
