import { definePartner } from '../partner-profile';

/** TrueLayer Payments API v3: requests signed with Tl-Signature (PARTNERS.md, "Exchanges and payment APIs"). */
export default definePartner({
  id: 'truelayer',
  name: 'TrueLayer',
  order: 12,
  accepts: [{ kty: 'EC', curve: 'P-521' }],
  generate: ['p-521'],
  upload: {
    format: 'spki-pem',
    fileName: 'ec512-public-key.pem',
    where: 'TrueLayer Console → Payments → Settings → Signing keys → upload the public key PEM.',
  },
  fingerprint: {
    format: 'none',
    where: 'Console shows a kid (a UUID) beside the uploaded key, not a fingerprint: sign with that kid.',
  },
  checklist: [
    {
      title: 'Generate an ECDSA P-521 key pair',
      detail:
        'keybench replaces openssl ecparam -name secp521r1 and openssl ec -pubout. The private key stays in this browser.',
      action: 'generate',
    },
    {
      title: 'Upload ec512-public-key.pem',
      detail:
        'TrueLayer Console → Payments → Settings → Signing keys → upload the public key PEM. Console shows its kid.',
      action: 'upload',
    },
    {
      title: 'Sign each payment request',
      detail:
        'Tl-Signature = a detached JWS (ES512) over METHOD /path, the Idempotency-Key line and the body, with the kid in its header.',
      action: 'sign',
    },
  ],
  schemes: ['truelayer'],
  source:
    'PARTNERS.md, "TrueLayer"; truelayer-signing (npm, lib/lib.js); https://github.com/TrueLayer/truelayer-signing/blob/main/request-signing-v2.md',
});
