import { definePartner } from '../partner-profile';
import { assertionMistakes } from './assertion-mistakes';

/** Microsoft Entra ID: a certificate on the app registration, JWT client assertions. */
export default definePartner({
  id: 'entra',
  name: 'Microsoft Entra ID',
  order: 5,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 16384 }],
  // The current docs sign PS256: a key made for RSA-PSS. The RS256 key serves the older docs' x5t.
  generate: ['rsa-pss-2048', 'rsa-2048'],
  upload: {
    format: 'certificate-pem',
    fileName: 'certificate.pem',
    where:
      'App registrations → your app → Certificates & secrets → Certificates → Upload certificate (.cer, .pem or .crt).',
  },
  fingerprint: {
    format: 'none',
    where:
      "Entra lists the certificate's Thumbprint (SHA-1, hex); the certificate card shows it with x5t and x5t#S256.",
  },
  checklist: [
    {
      title: 'Generate an RSA-2048 PSS key pair (signs PS256)',
      detail:
        'What the current docs use (PS256 + x5t#S256). The private key stays in this browser, non-extractable. An imported RSA private key signs both PS256 and RS256.',
      action: 'generate',
    },
    {
      title: 'Make a certificate of the key and upload it',
      detail:
        'Keys → Create self-signed certificate (it is kept with the key); upload the downloaded .cer or .pem under Certificates & secrets. Entra shows its SHA-1 thumbprint.',
      action: 'upload',
    },
    {
      title: 'Sign a client assertion',
      detail:
        'PS256 + x5t#S256 (current docs) or RS256 + x5t (older docs); aud = https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token; iss = sub = client id; a fresh jti.',
      action: 'sign',
    },
  ],
  schemes: ['client-assertion'],
  mistakes: assertionMistakes([
    'ERR_ASSERT_ALG',
    'ERR_ASSERT_AUD',
    'ERR_ASSERT_CERTIFICATE',
    'ERR_ASSERT_CLAIM_MISSING',
    'ERR_ASSERT_CLAIM_TYPE',
    'ERR_ASSERT_CLIENT_ID',
    'ERR_ASSERT_EXPIRED',
    'ERR_ASSERT_IAT_FUTURE',
    'ERR_ASSERT_ISS_SUB',
    'ERR_ASSERT_JTI_MISSING',
    'ERR_ASSERT_LIFETIME',
    'ERR_ASSERT_NBF_FUTURE',
    'ERR_ASSERT_THUMBPRINT_ALG',
    'ERR_ASSERT_THUMBPRINT_MISSING',
    'ERR_ASSERT_THUMBPRINT_OTHER_CERT',
    'ERR_ASSERT_THUMBPRINT_SHA1',
    'ERR_ASSERT_THUMBPRINT_SHA256',
    'ERR_ASSERT_TIME_UNIT',
    'ERR_ASSERT_UNVERIFIED',
    'ERR_ASSERT_X5C_ONLY',
  ]),
  source:
    'learn.microsoft.com/entra/identity-platform/certificate-credentials; @azure/msal-node ClientAssertion',
});
