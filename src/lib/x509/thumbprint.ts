/**
 * Certificate thumbprints as JOSE headers carry them (RFC 7515 §4.1.7–4.1.8): `x5t` is the
 * base64url SHA-1 of the certificate's DER, `x5t#S256` the base64url SHA-256. Small on purpose
 * (no @peculiar/x509): the Keys view's certificate card and the client-assertion scheme use it.
 */
import { base64ToBytes, bytesToBase64, bytesToBase64url, toHex } from '../encoding/base64url';
import { KeybenchError } from '../errors';

/** A certificate's thumbprints, in the forms partners ask for. */
export interface Thumbprints {
  /** base64url(SHA-1(DER)): the `x5t` header (Entra's older docs, MSAL `thumbprint`). */
  x5t: string;
  /** base64url(SHA-256(DER)): the `x5t#S256` header (Entra's current docs). */
  x5tS256: string;
  /** The same digests as upper-case hex (what Azure's portal and Windows show). */
  sha1Hex: string;
  sha256Hex: string;
}

const PEM_CERT = /-----BEGIN (?:TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED )?CERTIFICATE-----/;

/**
 * The DER of the first certificate in a PEM text.
 * @throws KeybenchError ERR_ASSERT_CERTIFICATE when the text holds no certificate PEM block.
 */
export function certificateDer(pem: string): Uint8Array<ArrayBuffer> {
  const m = PEM_CERT.exec(pem);
  if (!m) {
    throw new KeybenchError(
      'ERR_ASSERT_CERTIFICATE',
      'No certificate found: paste the PEM, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
    );
  }
  const der = base64ToBytes(m[1]!.replace(/\s+/g, ''));
  if (der.length < 16 || der[0] !== 0x30) {
    throw new KeybenchError('ERR_ASSERT_CERTIFICATE', 'The certificate PEM does not hold a DER certificate.');
  }
  return der;
}

/** Both thumbprints of a certificate's DER. */
export async function thumbprints(der: Uint8Array<ArrayBuffer>): Promise<Thumbprints> {
  const [sha1, sha256] = await Promise.all(
    (['SHA-1', 'SHA-256'] as const).map(async (h) => new Uint8Array(await crypto.subtle.digest(h, der))),
  );
  return {
    x5t: bytesToBase64url(sha1!),
    x5tS256: bytesToBase64url(sha256!),
    sha1Hex: toHex(sha1!).toUpperCase(),
    sha256Hex: toHex(sha256!).toUpperCase(),
  };
}

/** The certificate's DER wrapped as PEM (the upload file for Entra and Google: .pem / .cer). */
export function certificatePem(der: Uint8Array): string {
  const body = bytesToBase64(der)
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
