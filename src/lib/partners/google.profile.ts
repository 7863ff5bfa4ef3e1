import { definePartner } from '../partner-profile';
import { assertionMistakes } from './assertion-mistakes';

/** Google Cloud service accounts: an uploaded public key (an X.509 certificate), self-signed JWTs. */
export default definePartner({
  id: 'google',
  name: 'Google Cloud',
  order: 8,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 2048 }],
  generate: ['rsa-2048'],
  upload: {
    format: 'certificate-pem',
    fileName: 'certificate.pem',
    where:
      'IAM & Admin → Service accounts → your account → Keys → Add key → Upload existing key: the RSA-2048 public key wrapped in an X.509 certificate (PEM).',
  },
  fingerprint: {
    format: 'none',
    where: 'Google shows the key id (private_key_id): send it as the kid header.',
  },
  checklist: [
    {
      title: 'Generate an RSA-2048 key pair',
      detail: 'The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Upload a certificate of the key',
      detail:
        'Keys → Create self-signed certificate; upload the .pem under the service account’s Keys; note the key id.',
      action: 'upload',
    },
    {
      title: 'Sign a self-signed JWT',
      detail:
        'RS256, kid = key id, iss = the account email, aud = the API (or the token endpoint with scope), at most one hour.',
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
    'ERR_ASSERT_KID',
    'ERR_ASSERT_LIFETIME',
    'ERR_ASSERT_NBF_FUTURE',
    'ERR_ASSERT_TIME_UNIT',
    'ERR_ASSERT_UNVERIFIED',
  ]),
  source:
    'developers.google.com/identity/protocols/oauth2/service-account; cloud.google.com/iam/docs/keys-upload',
});
