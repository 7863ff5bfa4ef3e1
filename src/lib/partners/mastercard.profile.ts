import { definePartner } from '../partner-profile';
import { JWE_MISTAKES } from './jwe-mistakes';

/** Mastercard payload encryption, JWE mode (mastercard-client-encryption, jwe-crypto.js). */
export default definePartner({
  id: 'mastercard',
  name: 'Mastercard encryption',
  company: 'Mastercard',
  order: 22,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 4096, oaep: true }],
  generate: ['rsa-oaep-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'Mastercard Developers → your project → Mastercard Encryption Keys. Mastercard asks for a CSR, which needs a signature: an encryption key cannot make one, and keybench never makes it extractable.',
  },
  fingerprint: {
    format: 'sha256-hex',
    where:
      'The kid of each JWE is the public key fingerprint: SHA-256 of the public key, in hex (shown on the key card).',
  },
  checklist: [
    {
      title: 'Generate an encryption key pair',
      detail: 'RSA-OAEP-256, 2048 bits, for the responses Mastercard encrypts to you.',
      action: 'generate',
    },
    {
      title: 'Register the public key',
      detail: 'Download the public key PEM; a CSR needs a signature this key cannot make.',
      action: 'upload',
    },
    {
      title: 'Import Mastercard’s client encryption certificate',
      detail:
        'Import it on Keys as Mastercard’s key: requests are encrypted to it, kid = its public key fingerprint.',
      action: 'import-partner-key',
    },
    {
      title: 'Encrypt a request',
      detail:
        'Sign → Encrypt (JWE), partner Mastercard encryption: A256GCM, cty application/json, body field "encryptedValue". Mastercard’s SDK writes a 16-byte IV and "/" in its base64url: Inspect reads both.',
      action: 'sign',
    },
  ],
  schemes: [],
  mistakes: JWE_MISTAKES,
  source:
    'PARTNERS.md, "Message-level encryption (JWE)"; mastercard-client-encryption lib/mcapi/crypto/jwe-crypto.js',
});
