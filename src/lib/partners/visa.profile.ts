import { definePartner } from '../partner-profile';
import { JWE_MISTAKES } from './jwe-mistakes';

/** Visa Developer Platform message-level encryption (PARTNERS.md, "Message-level encryption"). */
export default definePartner({
  id: 'visa',
  name: 'Visa MLE',
  company: 'Visa',
  order: 20,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 4096, oaep: true }],
  generate: ['rsa-oaep-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'Visa Developer Center → your project → Credentials → Encryption/Decryption → Create Key-ID. Visa asks for a CSR, which needs a signature: an encryption key cannot make one, so keybench never makes this key extractable to sign it. Keep the Key-ID Visa shows.',
  },
  fingerprint: { format: 'none', where: 'Visa names the key by its Key-ID (the kid of each JWE).' },
  checklist: [
    {
      title: 'Generate an encryption key pair',
      detail: 'RSA-OAEP-256, 2048 bits. The private key stays in this browser and decrypts Visa’s responses.',
      action: 'generate',
    },
    {
      title: 'Register the key with Visa',
      detail:
        'Visa wants a CSR (a signed request): keybench cannot sign one with a decrypt-only key. Download the public key for your records; get the Key-ID from Visa.',
      action: 'upload',
    },
    {
      title: 'Import Visa’s server encryption certificate',
      detail:
        'Download it from the Visa Developer Center and import it on Keys as Visa’s key: requests are encrypted to it.',
      action: 'import-partner-key',
    },
    {
      title: 'Encrypt a request',
      detail:
        'Sign → Encrypt (JWE), partner Visa MLE: A128GCM, typ JWE, kid = Key-ID, iat in milliseconds, body {"encData": …}, keyId header. Visa also requires mutual TLS, which a browser cannot do for you.',
      action: 'sign',
    },
  ],
  schemes: [],
  mistakes: JWE_MISTAKES,
  source: 'PARTNERS.md, "Message-level encryption (JWE)"; Visa Developer Platform MLE guide',
});
