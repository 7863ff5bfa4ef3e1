import { definePartner } from '../partner-profile';
import { JWE_MISTAKES } from './jwe-mistakes';

/** CyberSource (Visa Acceptance) message-level encryption (cybersource-rest-client, MLE.md). */
export default definePartner({
  id: 'cybersource',
  name: 'CyberSource MLE',
  company: 'CyberSource',
  order: 21,
  accepts: [{ kty: 'RSA', minBits: 2048, maxBits: 4096, oaep: true }],
  generate: ['rsa-oaep-2048'],
  upload: {
    format: 'spki-pem',
    fileName: null,
    where:
      'Business Center → Key Management → response MLE key. Where it asks for a CSR or certificate, note that needs a signature: an encryption key cannot make one, and keybench never makes it extractable. Keep the key id (v-c-response-mle-kid).',
  },
  fingerprint: {
    format: 'none',
    where:
      'CyberSource names its MLE certificate by the serialNumber in its subject (the kid; cybersource-rest-client reads it there).',
  },
  checklist: [
    {
      title: 'Generate an encryption key pair',
      detail:
        'RSA-OAEP-256, 2048 bits, for the responses CyberSource encrypts to you ({"encryptedResponse": …}).',
      action: 'generate',
    },
    {
      title: 'Register the public key',
      detail: 'Download the public key PEM; a CSR or certificate needs a signature this key cannot make.',
      action: 'upload',
    },
    {
      title: 'Import CyberSource’s MLE certificate',
      detail:
        'Import it on Keys as CyberSource’s key: the serialNumber in its subject is the kid of your requests.',
      action: 'import-partner-key',
    },
    {
      title: 'Encrypt a request',
      detail:
        'Sign → Encrypt (JWE), partner CyberSource MLE: A256GCM, kid = the serialNumber in the certificate subject, iat, body {"encryptedRequest": …}.',
      action: 'sign',
    },
  ],
  schemes: [],
  mistakes: JWE_MISTAKES,
  source: 'PARTNERS.md, "Message-level encryption (JWE)"; cybersource-rest-client MLE.md',
});
