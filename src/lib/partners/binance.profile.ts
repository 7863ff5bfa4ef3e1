import { definePartner } from '../partner-profile';

/** Binance Spot API with a self-generated Ed25519 or RSA key (PARTNERS.md, "Binance Spot API"). */
export default definePartner({
  id: 'binance',
  name: 'Binance',
  order: 3,
  accepts: [
    { kty: 'OKP', curve: 'Ed25519' },
    { kty: 'RSA', minBits: 2048, maxBits: 4096 },
  ],
  generate: ['ed25519', 'rsa-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where: 'API Management → Create API → Self-generated → paste the public key PEM.',
  },
  fingerprint: {
    format: 'none',
    where: 'Binance answers with the API key to send as X-MBX-APIKEY, not a fingerprint.',
  },
  checklist: [
    {
      title: 'Generate an Ed25519 key pair',
      detail:
        'Binance recommends Ed25519 (RSA 2048 or 4096 also works). keybench replaces openssl genpkey -algorithm ed25519 and openssl pkey -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Register the public key PEM',
      detail:
        'API Management → Create API → Self-generated → paste the public key PEM. Binance shows the API key to send as X-MBX-APIKEY.',
      action: 'upload',
    },
    {
      title: 'Sign each SIGNED request',
      detail:
        'Add timestamp (and recvWindow), sign the parameters exactly as sent, and append signature= (base64, percent-encoded) as the last parameter.',
      action: 'sign',
    },
  ],
  schemes: ['binance'],
  source: 'PARTNERS.md, "Binance Spot API"',
});
