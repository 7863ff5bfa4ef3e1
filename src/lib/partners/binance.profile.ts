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
  mistakes: [
    { code: 'ERR_BINANCE_SIGNATURE', title: 'The key or the signed bytes differ' },
    { code: 'ERR_BINANCE_OTHER_BYTES', title: 'Your RSA key signed other bytes than the ones sent' },
    { code: 'ERR_BINANCE_OTHER_KEY', title: 'Another key made the signature' },
    { code: 'ERR_BINANCE_RSA_PSS', title: 'Your RSA key signed with RSA-PSS, not PKCS#1 v1.5' },
    { code: 'ERR_BINANCE_NO_SIGNATURE', title: 'No signature= parameter' },
    { code: 'ERR_BINANCE_TIMESTAMP', title: 'timestamp missing or not a number' },
    { code: 'ERR_BINANCE_TIMESTAMP_SECONDS', title: 'timestamp in seconds instead of milliseconds' },
    { code: 'ERR_BINANCE_TIMESTAMP_AHEAD', title: 'timestamp more than 1 s ahead of the server' },
    { code: 'ERR_BINANCE_STALE_TIMESTAMP', title: 'timestamp older than recvWindow' },
    { code: 'ERR_BINANCE_RECV_WINDOW', title: 'recvWindow out of range' },
    { code: 'ERR_BINANCE_PARAM_ORDER', title: 'Parameters signed in another order than sent' },
    { code: 'ERR_BINANCE_CONCAT', title: 'Query and body joined wrongly' },
    { code: 'ERR_BINANCE_SIGNATURE_NOT_ENCODED', title: 'Signature sent without percent-encoding' },
    { code: 'ERR_BINANCE_BASE64URL', title: 'Signature in base64url instead of base64' },
    { code: 'ERR_BINANCE_NON_ASCII', title: 'Non-ASCII text signed without percent-encoding' },
    {
      code: 'ERR_BINANCE_SIGNED_DECODED',
      title: 'Values signed as they are, sent percent-encoded (python-binance)',
    },
    { code: 'ERR_BINANCE_DUPLICATE_PARAM', title: 'A parameter sent twice' },
    { code: 'ERR_BINANCE_SIGNATURE_NOT_LAST', title: 'signature not the last parameter' },
    {
      code: 'ERR_BINANCE_BODY_NOT_READ',
      title: 'Parameters in a body Binance does not read (GET, or not form-encoded)',
    },
  ],
  source: 'PARTNERS.md, "Binance Spot API"',
});
