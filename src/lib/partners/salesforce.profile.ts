import { definePartner } from '../partner-profile';
import { assertionMistakes } from './assertion-mistakes';

/** Salesforce: a certificate on the connected app, the OAuth 2.0 JWT bearer flow. */
export default definePartner({
  id: 'salesforce',
  name: 'Salesforce',
  order: 9,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 4096 }],
  generate: ['rsa-2048'],
  upload: {
    format: 'certificate-pem',
    fileName: 'certificate.crt',
    where:
      'Setup → App Manager → your connected app → Enable OAuth Settings → Use digital signatures → upload the certificate.',
  },
  fingerprint: {
    format: 'none',
    where: 'Salesforce shows no fingerprint; it checks with the uploaded certificate.',
  },
  checklist: [
    {
      title: 'Generate an RSA-2048 key pair',
      detail: 'The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Upload a certificate of the key',
      detail: 'Keys → Create self-signed certificate; upload the file under Use digital signatures.',
      action: 'upload',
    },
    {
      title: 'Sign a JWT bearer assertion',
      detail:
        'RS256; iss = consumer key, sub = username, aud = https://login.salesforce.com (test. for a sandbox), exp within 3 minutes.',
      action: 'sign',
    },
  ],
  schemes: ['client-assertion'],
  mistakes: assertionMistakes([
    'ERR_ASSERT_ALG',
    'ERR_ASSERT_AUD',
    'ERR_ASSERT_CLAIM_MISSING',
    'ERR_ASSERT_CLAIM_TYPE',
    'ERR_ASSERT_CLAIM_VALUE',
    'ERR_ASSERT_CLIENT_ID',
    'ERR_ASSERT_EXPIRED',
    'ERR_ASSERT_LIFETIME',
    'ERR_ASSERT_TIME_UNIT',
    'ERR_ASSERT_UNVERIFIED',
  ]),
  source: 'help.salesforce.com: remoteaccess_oauth_jwt_flow',
});
