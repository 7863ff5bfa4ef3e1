import type { Mistake } from '../partner-profile';

/** What Inspect names when a partner's JWE does not decrypt (src/lib/jwe/decrypt.ts). */
export const JWE_MISTAKES: readonly Mistake[] = [
  { code: 'ERR_JWE_ALG', title: 'RSA1_5 or another alg than RSA-OAEP-256' },
  { code: 'ERR_JWE_ENC', title: 'A content encryption keybench does not know' },
  { code: 'ERR_JWE_ZIP', title: 'Compressed plaintext ("zip")' },
  { code: 'ERR_JWE_KEY_TYPE', title: 'A signing key used to decrypt' },
  { code: 'ERR_JWE_WRONG_KEY', title: 'Encrypted to another public key' },
  { code: 'ERR_JWE_TAG', title: 'A byte changed: the authentication tag fails' },
  { code: 'ERR_JWE_BASE64URL', title: 'Header part not base64url' },
  { code: 'ERR_JWE_INPUT', title: 'A malformed JWE' },
];
