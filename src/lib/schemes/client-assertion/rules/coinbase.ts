/** Coinbase Developer Platform (CDP) API key JWTs: one short JWT per request, bound to its URI. */
import { algIs, claimIs, clock, kidIs, lifetime } from './common';
import { defineRules } from './types';

const DOCS = 'https://docs.cdp.coinbase.com/get-started/authentication/jwt-authentication';
const SDK =
  '@coinbase/cdp-sdk: auth/utils/jwt (generateJwt: iss cdp, sub = key name, nbf, exp = +120, uris, nonce header)';
const PY_SDK =
  'cdp-sdk (Python): cdp/auth/utils/jwt.py generate_jwt (kid = sub = api key id, iss cdp, nbf, exp = nbf + 120, uris, nonce)';

export default defineRules({
  id: 'client-assertion/coinbase',
  profile: 'coinbase',
  partnerName: 'Coinbase CDP',
  options: [
    {
      name: 'keyName',
      label: 'API key name',
      kind: 'text',
      default: '',
      help: 'The API key id (or organizations/<org>/apiKeys/<id> for older ES256 keys): kid and sub.',
      remember: true,
    },
    {
      name: 'method',
      label: 'Method',
      kind: 'choice',
      default: 'GET',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      help: 'The method of the request the JWT is for.',
    },
    {
      name: 'url',
      label: 'URL',
      kind: 'text',
      default: 'https://api.cdp.coinbase.com/platform/v2/evm/accounts',
      help: 'The URL of the request the JWT is for: uris is "<METHOD> <host><path>".',
      remember: true,
    },
  ],
  recognise: { iss: /^(?:cdp|coinbase-cloud)$/, header: ['nonce'], claims: ['uris'] },
  rules: [
    algIs(
      ['ES256', 'EdDSA'],
      'alg ES256 or EdDSA',
      'ES256 (P-256 keys) or EdDSA (Ed25519 keys, the default for new keys).',
      DOCS,
    ),
    kidIs('error', 'kid = key name', 'kid is the API key name.', `${DOCS}; ${SDK}`, 'keyName'),
    {
      kind: 'header',
      check: 'nonce',
      label: 'nonce header',
      words: 'a random nonce header (the SDK: 16 random bytes as hex) makes each JWT unique.',
      param: 'nonce',
      severity: 'error',
      source: SDK,
      decides: false,
    },
    claimIs('iss', 'iss = cdp', 'iss is "cdp" (older keys: "coinbase-cloud").', SDK, {
      pattern: /^(?:cdp|coinbase-cloud)$/,
      code: 'ERR_ASSERT_CLAIM_VALUE',
      decides: false,
    }),
    claimIs('sub', 'sub = key name', 'sub is the API key name.', SDK, {
      equals: '{keyName}',
      code: 'ERR_ASSERT_CLAIM_VALUE',
      decides: true,
    }),
    {
      kind: 'same',
      check: 'kid-sub',
      label: 'kid = sub',
      words: 'kid and sub are both the API key name: Coinbase refuses a JWT whose kid names another key.',
      claims: ['kid', 'sub'],
      in: ['header', 'payload'],
      code: 'ERR_ASSERT_KID',
      source: `${DOCS}; ${SDK}; ${PY_SDK}`,
      decides: false,
    },
    claimIs(
      'uris',
      'uris = METHOD host/path',
      'uris holds "<METHOD> <host><path>" of the request: no scheme, no query.',
      `${DOCS}; ${SDK}`,
      {
        type: 'string[]',
        equals: '{uri}',
        pattern: /^(?:GET|POST|PUT|PATCH|DELETE) [a-z0-9.-]+(?::\d+)?\/[^\s?#]*$/,
        code: 'ERR_ASSERT_URIS',
        decides: true,
      },
    ),
    lifetime(
      'exp ≤ 120 s after nbf',
      'exp at most 120 seconds after nbf (the SDK default).',
      `${DOCS}; ${SDK}`,
      { from: ['nbf'], maxLifetimeSec: 120 },
    ),
    ...clock(DOCS),
  ],
  make: {
    header: { typ: 'JWT', kid: '{keyName}', nonce: '{nonce}' },
    claims: { sub: '{keyName}', iss: 'cdp', nbf: '{now}', exp: '{now+120}', uris: ['{uri}'] },
    request: { url: '{url}', method: '{method}', form: {} },
    requires: ['keyName', 'url'],
  },
  sources: [DOCS, SDK, PY_SDK],
});
