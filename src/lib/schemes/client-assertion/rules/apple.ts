/**
 * Apple's API keys (a .p8 P-256 key Apple generates): the App Store Connect API (≤ 20 minutes) and
 * the App Store Server API (bid claim, ≤ 60 minutes; Apple's app-store-server-library signs these).
 */
import { KEY_ID, algIs, claimIs, clock, kidIs, lifetime } from './common';
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
    algIs(['ES256'], 'alg ES256', 'ES256, with the P-256 key Apple generated (the .p8 file).', CONNECT),
    kidIs('error', 'kid = key id', 'kid is the id of the API key.', CONNECT),
    claimIs('iss', 'iss = issuer id', 'iss is the issuer id (a UUID) of the team, not the key id.', CONNECT, {
      equals: '{issuerId}',
      pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      code: 'ERR_ASSERT_CLIENT_ID',
      decides: true,
    }),
    claimIs('aud', 'aud = appstoreconnect-v1', 'aud is the string appstoreconnect-v1.', CONNECT, {
      equals: 'appstoreconnect-v1',
      code: 'ERR_ASSERT_AUD',
      decides: false,
    }),
    claimIs('bid', 'bid = bundle id', "bid is the app's bundle id.", `${SERVER}; ${SDK}; ${PY_SDK}`, {
      equals: '{bundleId}',
      code: 'ERR_ASSERT_CLAIM_MISSING',
      when: { option: 'api', is: [APPLE_SERVER] },
      decides: true,
    }),
    lifetime(
      'exp ≤ 20 minutes',
      'tokens that expire more than 20 minutes after iat are refused (except some report APIs).',
      CONNECT,
      { from: ['iat'], maxLifetimeSec: 1200, when: { option: 'api', is: [APPLE_CONNECT] } },
    ),
    lifetime('exp ≤ 60 minutes', 'tokens that expire more than 60 minutes after iat are refused.', SERVER, {
      from: ['iat'],
      maxLifetimeSec: 3600,
      when: { option: 'api', is: [APPLE_SERVER] },
    }),
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
