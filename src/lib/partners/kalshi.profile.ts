import { definePartner } from '../partner-profile';

/** Kalshi Trade API v2, signed with RSA-PSS (PARTNERS.md, "Exchanges and payment APIs"). */
export default definePartner({
  id: 'kalshi',
  name: 'Kalshi',
  order: 11,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 4096 }],
  generate: ['rsa-pss-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'Send it as public_key to POST /trade-api/v2/api_keys (Create API Key). The API Keys page of your account makes its own pair instead: import its private key file here.',
  },
  fingerprint: {
    format: 'none',
    where: 'Kalshi answers with the API key id to send as KALSHI-ACCESS-KEY, not a fingerprint.',
  },
  checklist: [
    {
      title: 'Generate an RSA-2048 PSS key pair',
      detail:
        'keybench replaces openssl genrsa and openssl rsa -pubout. The private key stays in this browser and signs RSA-PSS only.',
      action: 'generate',
    },
    {
      title: 'Register the public key PEM',
      detail:
        'Send it as public_key to POST /api_keys (Create API Key; Kalshi allows it from the Premier API level). Kalshi answers with the key id to send as KALSHI-ACCESS-KEY.',
      action: 'upload',
    },
    {
      title: 'Sign each request',
      detail:
        'KALSHI-ACCESS-SIGNATURE = base64(RSA-PSS SHA-256, salt 32 bytes) over timestamp + METHOD + path, with the timestamp in milliseconds and the path without its query string.',
      action: 'sign',
    },
  ],
  schemes: ['kalshi'],
  source: 'PARTNERS.md, "Kalshi"; kalshi-typescript (npm); Kalshi docs, API Keys and Create API Key',
});
