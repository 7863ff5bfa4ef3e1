/**
 * PKCS#10 requests and self-signed certificates signed by a stored (non-extractable) key, and
 * certificates read for keeping with their key, through @peculiar/x509 (the only module that
 * imports it, after reflect-metadata). This module is heavy (~50 KB gzip): import it dynamically, never on first paint.
 */
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs the Reflect API.
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Pkcs10CertificateRequestGenerator,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
  type Extension,
  type JsonName,
} from '@peculiar/x509';
import { toHex } from '../encoding/base64url';
import { KeybenchError } from '../errors';
import type { StoredCertificate } from '../keys/stored-key';
import { thumbprints } from './thumbprint';

/** The subject and SANs a user fills in. */
export interface SubjectInput {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** Two-letter country code. */
  country?: string;
  emailAddress?: string;
  dnsNames?: string[];
  emails?: string[];
}

/** A created CSR or certificate. */
export interface CreatedPem {
  pem: string;
  /** A human-readable dump of what was created. */
  text: string;
}

/** A created certificate, with its fingerprints (hex, colon-separated) and JOSE thumbprints. */
export interface CreatedCertificate extends CreatedPem {
  sha256: string;
  sha1: string;
  /** base64url SHA-1 of the DER: the `x5t` header (Entra's older docs). */
  x5t: string;
  /** base64url SHA-256 of the DER: the `x5t#S256` header (Entra's current docs). */
  x5tS256: string;
}

const ID_EMAIL = '1.2.840.113549.1.9.1';
const DNS_NAME = /^(\*\.)?([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function subjectName(s: SubjectInput): JsonName {
  const cn = s.commonName.trim();
  if (!cn) throw new KeybenchError('ERR_PARTNER_INPUT', 'The common name (CN) is required.');
  const name: JsonName = [];
  const country = s.country?.trim();
  if (country) {
    if (!/^[A-Za-z]{2}$/.test(country)) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        'The country (C) is a two-letter ISO 3166 code, e.g. GB or BR.',
      );
    }
    name.push({ C: [country.toUpperCase()] });
  }
  if (s.organization?.trim()) name.push({ O: [s.organization.trim()] });
  if (s.organizationalUnit?.trim()) name.push({ OU: [s.organizationalUnit.trim()] });
  name.push({ CN: [cn] });
  const email = s.emailAddress?.trim();
  if (email) {
    if (!EMAIL.test(email))
      throw new KeybenchError('ERR_PARTNER_INPUT', `"${email}" is not an email address.`);
    name.push({ [ID_EMAIL]: [email] });
  }
  return name;
}

function sanExtension(s: SubjectInput): Extension[] {
  const dns = (s.dnsNames ?? []).map((d) => d.trim()).filter(Boolean);
  const emails = (s.emails ?? []).map((d) => d.trim()).filter(Boolean);
  for (const d of dns) {
    if (!DNS_NAME.test(d)) throw new KeybenchError('ERR_PARTNER_INPUT', `"${d}" is not a DNS name.`);
  }
  for (const e of emails) {
    if (!EMAIL.test(e)) throw new KeybenchError('ERR_PARTNER_INPUT', `"${e}" is not an email address.`);
  }
  if (dns.length + emails.length === 0) return [];
  return [
    new SubjectAlternativeNameExtension([
      ...dns.map((value) => ({ type: 'dns' as const, value })),
      ...emails.map((value) => ({ type: 'email' as const, value })),
    ]),
  ];
}

/** The signature algorithm a key signs certificates with: its own hash (SHA-256 RSA, SHA-512 for P-521). */
function signingAlgorithm(privateKey: CryptoKey): Algorithm | EcdsaParams | RsaHashedImportParams {
  const a = privateKey.algorithm as Partial<EcKeyAlgorithm & RsaHashedKeyAlgorithm>;
  if (a.name === 'ECDSA') {
    const hash =
      { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' }[a.namedCurve ?? ''] ?? 'SHA-512';
    return { name: 'ECDSA', hash };
  }
  const hash = (a.hash as KeyAlgorithm | undefined)?.name ?? 'SHA-256';
  // An RSA-PSS key (Entra's PS256 key) signs with a salt as long as its hash, as RFC 4055 advises.
  if (a.name === 'RSA-PSS')
    return { name: 'RSA-PSS', hash, saltLength: Number(hash.slice(4)) / 8 } as Algorithm;
  return { name: a.name ?? 'RSASSA-PKCS1-v1_5', hash };
}

/**
 * A PKCS#10 certificate signing request signed by the key pair.
 * @throws KeybenchError ERR_PARTNER_INPUT for an invalid subject.
 */
export async function createCsr(keys: CryptoKeyPair, subject: SubjectInput): Promise<CreatedPem> {
  const csr = await Pkcs10CertificateRequestGenerator.create({
    name: subjectName(subject),
    keys,
    signingAlgorithm: signingAlgorithm(keys.privateKey),
    extensions: sanExtension(subject),
  });
  return { pem: `${csr.toString('pem')}\n`, text: csr.toString('text') };
}

/**
 * A self-signed end-entity certificate (random 16-byte serial), signed by the key pair.
 * @throws KeybenchError ERR_PARTNER_INPUT for an invalid subject or validity.
 */
export async function createSelfSignedCertificate(
  keys: CryptoKeyPair,
  subject: SubjectInput,
  validityDays: number,
  now = Date.now(),
): Promise<CreatedCertificate> {
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 3650) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'Validity is a whole number of days from 1 to 3650.');
  }
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = serial[0]! & 0x7f; // positive INTEGER
  const notBefore = new Date(now - 60_000);
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: toHex(serial),
    name: subjectName(subject),
    notBefore,
    notAfter: new Date(now + validityDays * 86_400_000),
    keys,
    signingAlgorithm: signingAlgorithm(keys.privateKey),
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2']), // clientAuth
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...sanExtension(subject),
    ],
  });
  const { x5t, x5tS256, sha1Hex, sha256Hex } = await thumbprints(new Uint8Array(cert.rawData));
  const colons = (hex: string) => hex.match(/../g)!.join(':');
  return {
    pem: `${cert.toString('pem')}\n`,
    text: cert.toString('text'),
    sha256: colons(sha256Hex),
    sha1: colons(sha1Hex),
    x5t,
    x5tS256,
  };
}

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
