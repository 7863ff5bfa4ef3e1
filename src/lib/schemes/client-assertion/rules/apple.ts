/**
 * Apple's API keys (a .p8 P-256 key Apple generates): the App Store Connect API (≤ 20 minutes) and
 * the App Store Server API (bid claim, ≤ 60 minutes; Apple's app-store-server-library signs these).
 */
import { KEY_ID, clock } from './common';
import { defineRules } from './types';

const CONNECT =
  'https://developer.apple.com/documentation/appstoreconnectapi/generating-tokens-for-api-requests';
const SERVER =
  'https://developer.apple.com/documentation/appstoreserverapi/generating-json-web-tokens-for-api-requests';
const PY_SDK =
  'app-store-server-library-python: appstoreserverlibrary/api_client.py (ES256, kid header, iss, iat, aud appstoreconnect-v1, bid, exp = +5 min)';
const SDK =
  '@apple/app-store-server-library: AppStoreServerAPIClient.createBearerToken (ES256, kid, iss, aud, bid, exp 5 min)';

/** The API choices. */
const APPLE_CONNECT = 'App Store Connect API (exp ≤ 20 min)';
export const APPLE_SERVER = 'App Store Server API (bid, exp ≤ 60 min)';

export default defineRules({
  id: 'client-assertion/apple',
  profile: 'apple',
  partnerName: 'Apple App Store Connect',
  options: [
    {
      name: 'issuerId',
      label: 'Issuer ID',
      kind: 'text',
      default: '',
      help: 'The issuer id shown above the keys in App Store Connect (Users and Access → Integrations): iss.',
      remember: true,
    },
    KEY_ID,
    {
      name: 'api',
      label: 'API',
      kind: 'choice',
      default: APPLE_CONNECT,
      options: [APPLE_CONNECT, APPLE_SERVER],
      help: 'Which Apple API the token is for: the lifetimes and the bid claim differ.',
    },
    {
      name: 'bundleId',
      label: 'Bundle ID',
      kind: 'text',
      default: '',
      help: "The app's bundle id (App Store Server API: the bid claim).",
      when: (v) => v.api === APPLE_SERVER,
      remember: true,
    },
  ],
  recognise: { aud: /^appstoreconnect-v1$/ },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg ES256',
      words: 'ES256, with the P-256 key Apple generated (the .p8 file).',
      allowed: ['ES256'],
      source: CONNECT,
      decides: false,
    },
    {
      kind: 'header',
      check: 'kid',
      label: 'kid = key id',
      words: 'kid is the id of the API key.',
      param: 'kid',
      severity: 'error',
      equalsOption: 'keyId',
      source: CONNECT,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'iss',
      label: 'iss = issuer id',
      words: 'iss is the issuer id (a UUID) of the team, not the key id.',
      claim: 'iss',
      equals: '{issuerId}',
      pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      code: 'ERR_ASSERT_CLIENT_ID',
      source: CONNECT,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'aud',
      label: 'aud = appstoreconnect-v1',
      words: 'aud is the string appstoreconnect-v1.',
      claim: 'aud',
      equals: 'appstoreconnect-v1',
      code: 'ERR_ASSERT_AUD',
      source: CONNECT,
      decides: false,
    },
    {
      kind: 'claim',
      check: 'bid',
      label: 'bid = bundle id',
      words: "bid is the app's bundle id.",
      claim: 'bid',
      equals: '{bundleId}',
      code: 'ERR_ASSERT_CLAIM_MISSING',
      source: `${SERVER}; ${SDK}; ${PY_SDK}`,
      when: { option: 'api', is: [APPLE_SERVER] },
      decides: true,
    },
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'exp ≤ 20 minutes',
      words: 'tokens that expire more than 20 minutes after iat are refused (except some report APIs).',
      from: ['iat'],
      maxLifetimeSec: 1200,
      source: CONNECT,
      when: { option: 'api', is: [APPLE_CONNECT] },
      decides: false,
    },
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'exp ≤ 60 minutes',
      words: 'tokens that expire more than 60 minutes after iat are refused.',
      from: ['iat'],
      maxLifetimeSec: 3600,
      source: SERVER,
      when: { option: 'api', is: [APPLE_SERVER] },
      decides: false,
    },
    ...clock(CONNECT),
  ],
  make: {
    header: { typ: 'JWT', kid: '{keyId}' },
    claims: {
      iss: '{issuerId}',
      iat: '{now}',
      exp: '{now+1200}',
      aud: 'appstoreconnect-v1',
      bid: '{bundleId?}',
    },
    request: { url: 'https://api.appstoreconnect.apple.com/v1/apps', method: 'GET', form: {} },
    requires: ['issuerId', 'keyId'],
  },
  sources: [CONNECT, SERVER, SDK, PY_SDK],
});
