import { definePartner } from '../partner-profile';

/** Qredo Partner API (PARTNERS.md, "Qredo Partner API"). */
export default definePartner({
  id: 'qredo',
  name: 'Qredo Partner API',
  company: 'Qredo',
  order: 1,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 2048 }],
  generate: ['rsa-2048'],
  upload: {
    format: 'spki-pem',
    fileName: 'public.pem',
    where:
      'Qredo Web App → Settings → Partner API → Upload Public Key (the whole file, armour lines included).',
  },
  fingerprint: {
    format: 'none',
    where: 'The Web App shows a green LIVE indicator, not a fingerprint: compare the public key text itself.',
  },
  checklist: [
    {
      title: 'Get your API key',
      detail:
        'In the Qredo Web App: your name (top right) → choose the account → Settings → Partner API tab → Generate API Key. Copy it (Base64) and keep it as the apikey text. Production and sandbox use the same base URL and endpoints. Regenerating replaces the key in every organisation where you are an administrator.',
    },
    {
      title: 'Generate an RSA-2048 key pair',
      detail:
        'keybench replaces openssl genrsa and openssl rsa -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Upload public.pem',
      detail:
        'Download or copy public.pem, then on the same Settings page → Upload Public Key → paste the whole file (armour lines included) → Upload. A green LIVE indicator confirms it.',
      action: 'upload',
    },
    {
      title: 'Sign each request',
      detail:
        'Send x-api-key, x-timestamp and x-sign. Never put API keys in the front-end code of a product or commit them; keep them on your server.',
      action: 'sign',
    },
  ],
  schemes: ['qredo'],
  mistakes: [
    { code: 'ERR_QREDO_SIGNATURE', title: 'x-sign does not verify' },
    { code: 'ERR_QREDO_TIMESTAMP_UNIT', title: 'Timestamp signed in ms or ns instead of seconds' },
    { code: 'ERR_QREDO_TIMESTAMP_DIFFERS', title: 'Signed timestamp differs from x-timestamp' },
    { code: 'ERR_QREDO_URL_NO_QUERY', title: 'URL signed without its query string' },
    { code: 'ERR_QREDO_URL_PATH_ONLY', title: 'Path signed instead of the full URL' },
    { code: 'ERR_QREDO_URL_TRAILING_SLASH', title: 'URL signed with or without a trailing slash' },
    { code: 'ERR_QREDO_URL_ENCODING', title: 'URL signed with other percent-encoding' },
    { code: 'ERR_QREDO_BODY_PRETTY', title: 'Body signed pretty-printed, sent compact' },
    { code: 'ERR_QREDO_BODY_COMPACT', title: 'Body signed compact, sent pretty-printed' },
    { code: 'ERR_QREDO_BODY_LINE_ENDINGS', title: 'Body signed with other line endings (CRLF/LF)' },
    { code: 'ERR_QREDO_BODY_TRAILING_NEWLINE', title: 'A trailing newline signed or sent, not both' },
    { code: 'ERR_QREDO_BODY_BOM', title: 'A byte-order mark signed or sent, not both' },
    { code: 'ERR_QREDO_BODY_EMPTY', title: 'Empty body and {} confused' },
    { code: 'ERR_QREDO_MESSAGE_SEPARATORS', title: 'Parts of the message joined with separators' },
    { code: 'ERR_QREDO_MESSAGE_METHOD', title: 'HTTP method inside the signed message' },
    { code: 'ERR_QREDO_SIGN_ENCODING', title: 'x-sign in standard base64, padded, or hex' },
    { code: 'ERR_QREDO_HASH', title: 'Signed with SHA-512 or SHA-384 instead of SHA-256' },
    { code: 'ERR_QREDO_PSS', title: 'Signed with RSA-PSS instead of PKCS#1 v1.5' },
    { code: 'ERR_QREDO_UNKNOWN_KEY', title: 'Signed with a key that is not trusted here' },
    { code: 'ERR_QREDO_API_KEY', title: 'x-api-key missing or empty' },
  ],
  source: 'PARTNERS.md, "Qredo Partner API" and "Onboarding steps"',
});
