/**
 * A certificate read for keeping with its key: subject, issuer, validity, serial and both JOSE
 * thumbprints, from its DER. Uses @peculiar/x509, so load this module on demand only.
 */
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect API.
import { X509Certificate } from '@peculiar/x509';
import { KeybenchError } from '../errors';
import type { StoredCertificate } from '../keys/stored-key';
import { thumbprints } from './thumbprint';

/**
 * The record to keep for a certificate's DER.
 * @throws KeybenchError ERR_DER when the bytes are not an X.509 certificate.
 */
export async function readCertificate(
  der: Uint8Array<ArrayBuffer>,
  origin: StoredCertificate['origin'],
  now = Date.now(),
): Promise<StoredCertificate> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (e) {
    throw new KeybenchError(
      'ERR_DER',
      `This is not an X.509 certificate keybench can read (${e instanceof Error ? e.message : e}).`,
      { cause: e },
    );
  }
  const { x5t, x5tS256 } = await thumbprints(der);
  return {
    der: new Uint8Array(der),
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    serial: cert.serialNumber.toLowerCase(),
    x5t,
    x5tS256,
    origin,
    addedAt: now,
  };
}
