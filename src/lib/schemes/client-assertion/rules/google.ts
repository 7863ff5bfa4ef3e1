/**
 * Google service account JWTs: the self-signed JWT an API accepts directly (aud = the API, or
 * `scope` instead of aud) and the JWT bearer grant at the token endpoint (aud = token endpoint, scope).
 */
import { clock } from './common';
import { defineRules } from './types';

const DOCS = 'https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth';
const GRANT = 'https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests';
const SDK =
  'google-auth-library (Node): src/auth/jwtaccess.ts (iss = sub = email, aud = url or scope, kid, exp = iat + 3600)';
const PY_SDK =
  'google-auth (Python): google/auth/jwt.py Credentials (self-signed: aud = API URL) and google/oauth2/service_account.py (grant: aud = token URI, scope)';

/** The token endpoints a JWT bearer grant is sent to (today's, and the older ones SDKs still use). */
const TOKEN_ENDPOINTS = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];

export default defineRules({
  id: 'client-assertion/google',
  profile: 'google',
  partnerName: 'Google service account',
  options: [
    {
      name: 'email',
      label: 'Service account email',
      kind: 'text',
      default: '',
      help: 'client_email of the service account (iss, and sub for a self-signed JWT).',
      remember: true,
    },
    {
      name: 'keyId',
      label: 'Key ID',
      kind: 'text',
      default: '',
      help: 'private_key_id of the key (the console lists it under the service account’s Keys): the kid header.',
      remember: true,
    },
    {
      name: 'audience',
      label: 'Audience',
      kind: 'text',
      default: 'https://oauth2.googleapis.com/token',
      help: 'The API URL for a self-signed JWT (https://<service>.googleapis.com/), or the token endpoint for the JWT bearer grant.',
      remember: true,
    },
    {
      name: 'subject',
      label: 'Subject (sub)',
      kind: 'text',
      default: '',
      help: 'A self-signed JWT for an API: the account email again. At the token endpoint: empty, or the user to impersonate (domain-wide delegation).',
      remember: true,
    },
    {
      name: 'scope',
      label: 'Scope',
      kind: 'text',
      default: 'https://www.googleapis.com/auth/cloud-platform',
      help: 'Space-separated scopes (needed at the token endpoint).',
      remember: true,
    },
  ],
  recognise: {
    iss: /@[a-z0-9-]+\.iam\.gserviceaccount\.com$/,
    aud: /^https:\/\/(?:[a-z0-9-]+\.)*googleapis\.com\//,
  },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg RS256',
      words: 'RS256 (service account keys are RSA).',
      allowed: ['RS256'],
      source: DOCS,
      decides: false,
    },
    {
      kind: 'header',
      check: 'kid',
      label: 'kid = key id',
      words: 'kid is the private_key_id of the service account key.',
      param: 'kid',
      severity: 'error',
      equalsOption: 'keyId',
      source: `${DOCS}; ${SDK}`,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'iss',
      label: 'iss = account email',
      words: "iss is the service account's email.",
      claim: 'iss',
      equals: '{email}',
      pattern: /^[^@\s]+@[^@\s]+$/,
      code: 'ERR_ASSERT_CLIENT_ID',
      source: DOCS,
      decides: true,
    },
    {
      kind: 'audience',
      check: 'aud',
      label: 'aud = token endpoint, API or scope',
      words:
        'aud is the token endpoint (the JWT bearer grant) or the URL of the API the JWT is sent to (a self-signed JWT, https://<service>.googleapis.com/); a self-signed JWT may carry scope instead of aud. Google refuses a token with neither, and a grant at the token endpoint without scope (or target_audience, for an ID token).',
      fixed: TOKEN_ENDPOINTS,
      option: 'audience',
      pattern: /^https:\/\/(?:[a-z0-9-]+\.)*googleapis\.com\//,
      orClaim: 'scope',
      fixedNeeds: ['scope', 'target_audience'],
      fixedNeedsWords:
        'at the token endpoint Google grants an access token for the scope, or an ID token for target_audience; with neither it refuses the grant (invalid_scope). Add "scope".',
      code: 'ERR_ASSERT_AUD',
      source: `${DOCS}; ${GRANT}; ${SDK}; ${PY_SDK}`,
      decides: true,
    },
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'exp ≤ 1 hour after iat',
      words: 'exp at most one hour after iat.',
      from: ['iat'],
      maxLifetimeSec: 3600,
      source: `${GRANT}; ${SDK}`,
      decides: false,
    },
    ...clock(GRANT),
  ],
  make: {
    header: { typ: 'JWT', kid: '{keyId}' },
    claims: {
      iss: '{email}',
      sub: '{subject?}',
      aud: '{audience}',
      scope: '{scope?}',
      iat: '{now}',
      exp: '{now+3600}',
    },
    request: {
      url: 'https://oauth2.googleapis.com/token',
      form: {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: '{assertion}',
      },
    },
    requires: ['email', 'keyId', 'audience'],
  },
  sources: [DOCS, GRANT, SDK, PY_SDK],
});
