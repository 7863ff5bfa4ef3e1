import { definePartner } from '../partner-profile';

/** Bybit V5 API with a self-generated RSA key (PARTNERS.md, "Exchanges and payment APIs"). */
export default definePartner({
  id: 'bybit',
  name: 'Bybit',
  order: 10,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 4096 }],
  generate: ['rsa-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'API Management → Create New Key → System-generated? No: Self-generated API Keys → paste the public key PEM.',
  },
  fingerprint: {
    format: 'none',
    where: 'Bybit answers with the API key to send as X-BAPI-API-KEY, not a fingerprint.',
  },
  checklist: [
    {
      title: 'Generate an RSA-2048 key pair',
      detail:
        'keybench replaces openssl genrsa and openssl rsa -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Register the public key PEM',
      detail:
        'API Management → Create New Key → Self-generated API Keys → paste the public key. Bybit shows the API key to send as X-BAPI-API-KEY.',
      action: 'upload',
    },
    {
      title: 'Sign each request',
      detail:
        'X-BAPI-SIGN = base64(RSA SHA-256) over timestamp + API key + recvWindow + (query string or JSON body), with the timestamp in milliseconds.',
      action: 'sign',
    },
  ],
  schemes: ['bybit'],
  source: 'PARTNERS.md, "Bybit"; bybit-api (npm)',
});
