import { definePartner } from '../partner-profile';
import { assertionMistakes } from './assertion-mistakes';

/** Okta: a public key on the app (private_key_jwt client authentication). */
export default definePartner({
  id: 'okta',
  name: 'Okta',
  order: 6,
  accepts: [
    { kty: 'RSA', minBits: 2048, maxBits: 16384 },
    { kty: 'EC', curve: 'P-256' },
    { kty: 'EC', curve: 'P-384' },
    { kty: 'EC', curve: 'P-521' },
  ],
  generate: ['rsa-2048', 'p-521'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'Applications → your app → General → Client Credentials: Public key / Private key → Add key → paste the public key (PEM or JWK); Okta then shows its kid.',
  },
  fingerprint: { format: 'none', where: 'Okta shows the kid it gave the key (send it as the kid header).' },
  checklist: [
    {
      title: 'Generate a key pair (RSA-2048 or P-521)',
      detail: 'The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Add the public key to the app',
      detail: 'Paste the public key PEM under Client Credentials; note the kid Okta shows.',
      action: 'upload',
    },
    {
      title: 'Sign a client assertion',
      detail:
        'iss = sub = client id; aud = the full token endpoint URL; exp at most one hour ahead; a fresh jti; kid.',
      action: 'sign',
    },
  ],
  schemes: ['client-assertion'],
  mistakes: assertionMistakes([
    'ERR_ASSERT_ALG',
    'ERR_ASSERT_AUD',
    'ERR_ASSERT_CLAIM_MISSING',
    'ERR_ASSERT_CLAIM_TYPE',
    'ERR_ASSERT_CLIENT_ID',
    'ERR_ASSERT_EXPIRED',
    'ERR_ASSERT_HEADER_MISSING',
    'ERR_ASSERT_IAT_FUTURE',
    'ERR_ASSERT_ISS_SUB',
    'ERR_ASSERT_JTI_MISSING',
    'ERR_ASSERT_KID',
    'ERR_ASSERT_LIFETIME',
    'ERR_ASSERT_NBF_FUTURE',
    'ERR_ASSERT_TIME_UNIT',
    'ERR_ASSERT_UNVERIFIED',
  ]),
  source: 'developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth',
});
