import { definePartner } from '../partner-profile';
import { assertionMistakes } from './assertion-mistakes';

/** Auth0: a public key or certificate credential (Private Key JWT). */
export default definePartner({
  id: 'auth0',
  name: 'Auth0',
  order: 7,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 16384 }],
  generate: ['rsa-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'Applications → your app → Credentials → Authentication Method: Private Key JWT → Add New Key: paste the public key PEM (or a certificate) and choose RS256, RS384 or PS256.',
  },
  fingerprint: { format: 'none', where: 'Auth0 shows the kid it generated for the credential.' },
  checklist: [
    {
      title: 'Generate an RSA-2048 key pair',
      detail: 'The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Add the credential',
      detail: 'Paste the public key PEM and pick its algorithm (RS256 for this key).',
      action: 'upload',
    },
    {
      title: 'Sign a client assertion',
      detail:
        'iss = sub = client id; aud = https://<tenant domain>/ (trailing slash); a fresh jti; lifetime at most 5 minutes.',
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
  source:
    'auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt',
});
