import { shellQuote } from '../partners/shell';

/** Largest file keybench reads from a drop: keys, certificates and tokens are far smaller. */
export const MAX_DROP_BYTES = 2_000_000;

/**
 * Why a dropped file's text is not something keybench can read, or null when it is fine.
 * Binary files (DER, PKCS#12) decode to NULs and replacement characters; the message says how
 * to turn them into PEM.
 */
export function droppedTextProblem(name: string, size: number, text: string): string | null {
  if (size > MAX_DROP_BYTES)
    return `${name} is ${(size / 1e6).toFixed(1)} MB: too large for a key, certificate or token file.`;
  if (text.trim() === '') return `${name} is empty.`;
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    const file = shellQuote(name);
    return (
      `${name} is a binary file (DER or PKCS#12?), and keybench reads text: PEM, JWK/JWKS JSON or a token. ` +
      `Convert DER first: openssl x509 -inform der -in ${file} (a certificate) or ` +
      `openssl pkey -pubin -inform der -in ${file} (a public key).`
    );
  }
  return null;
}
