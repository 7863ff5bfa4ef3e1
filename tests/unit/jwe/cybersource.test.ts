// CyberSource message-level encryption (MLE) checked both ways against CyberSource's own Node SDK,
// cybersource-rest-client (its src/authentication/util/MLEUtility.js and JWEUtility.js), called
// directly with a stub merchant configuration: no network.
//
// Conventions compared (SDK 0.0.83):
// - The SDK's kid is NOT the certificate's X.509 serial number: getSerialNumberFromCert reads the
//   serialNumber attribute (OID 2.5.4.5) of the certificate's SUBJECT name, and throws when the
//   subject has none. keybench's "certificate serial" must mean that attribute when it is present.
//   keybench used to fill kid with the X.509 serial (hex) and did not count the subject attribute
//   among a key's identifiers; it now does both (src/lib/x509/subject.ts), falling back to the X.509
//   serial only for a certificate whose subject has no serialNumber.
// - The SDK writes cty "JWT"; keybench writes no cty. Neither side needs it to decrypt.
// - iat is in seconds on both sides.
// - Requests are {"encryptedRequest": jwe}; the SDK decrypts only responses ({"encryptedResponse"})
//   with the merchant's private key (MLEUtility.checkAndDecryptEncryptedResponse →
//   JWEUtility.decryptJWEUsingPrivateKey, jose compactDecrypt), which is used here for keybench's output.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectJwe } from '../../../src/lib/jwe/inspect';
import { encryptFor } from '../../../src/lib/jwe/encrypt';
import { parseJwe } from '../../../src/lib/jwe/parse';
import { readCertificate } from '../../../src/lib/x509/certificates';
import { cybersourceKid, subjectSerialNumber } from '../../../src/lib/x509/subject';
import type { StoredKey } from '../../../src/lib/keys/stored-key';
import { openssl, tempDir } from '../support/helpers';

const PAYLOAD = '{"clientReferenceInformation":{"code":"TC50171_3"},"note":"é ✓","amount":"10.00"}';
const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;
/** The alias the SDK looks the MLE certificate up by (its CN), as CyberSource names it. */
const ALIAS = 'CyberSource_SJC_US';
/** The subject serialNumber attribute: what the SDK puts in kid. Deliberately unlike the X.509 serial. */
const SUBJECT_SERIAL = 'SJC1721079329870024541284';
const X509_SERIAL = '0x7a3f0011';

const require = createRequire(import.meta.url);
interface Sdk {
  encryptRequestPayload(config: object, body: unknown): Promise<{ encryptedRequest: string }>;
  checkAndDecryptEncryptedResponse(body: unknown, config: object): Promise<unknown>;
}
const MLEUtility = require('cybersource-rest-client/src/authentication/util/MLEUtility.js') as Sdk;
const JWEUtility = require('cybersource-rest-client/src/authentication/util/JWEUtility.js') as {
  decryptJWEUsingPrivateKey(pem: string, compact: string): Promise<string>;
};

let keyPath: string;
let certPath: string;
let pkcs8Pem: string;
let stored: StoredKey;

beforeAll(async () => {
  const dir = tempDir();
  keyPath = `${dir}/key.pem`;
  certPath = `${dir}/cert.pem`;
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath]);
  openssl([
    'req',
    '-new',
    '-x509',
    '-key',
    keyPath,
    '-subj',
    `/CN=${ALIAS}/serialNumber=${SUBJECT_SERIAL}`,
    '-set_serial',
    X509_SERIAL,
    '-days',
    '2',
    '-out',
    certPath,
  ]);
  pkcs8Pem = readFileSync(keyPath, 'utf8');
  const spki = new Uint8Array(
    execFileSync('openssl', ['pkey', '-in', keyPath, '-pubout', '-outform', 'DER']),
  );
  const der = Buffer.from(pkcs8Pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const privateKey = await crypto.subtle.importKey('pkcs8', der, OAEP, false, ['decrypt']);
  expect(privateKey.extractable).toBe(false);
  const certDer = new Uint8Array(execFileSync('openssl', ['x509', '-in', certPath, '-outform', 'DER']));
  stored = {
    id: 'cybs',
    kind: 'pair',
    label: 'CyberSource MLE key',
    partners: [],
    algorithm: 'RSA-OAEP-256 2048',
    jwsAlg: 'RSA-OAEP-256',
    createdAt: 0,
    origin: 'imported',
    spki,
    publicKey: await crypto.subtle.importKey('spki', spki, OAEP, true, ['encrypt']),
    privateKey,
    certificates: [await readCertificate(certDer, 'imported')],
    progress: { publicKeyExported: false, uploaded: {} },
    owner: 'mine',
  };
});

/** The SDK's merchant configuration, only the getters its MLE code calls. */
function config(): object {
  return {
    getLogConfiguration: () => ({
      isExternalLoggerSet: () => false,
      getExternalLogger: () => undefined,
      isLogEnabled: () => false,
      isMaskingEnabled: () => true,
    }),
    getMerchantID: () => 'keybench_test',
    getAuthenticationType: () => 'jwt',
    isSharedSecretKeyType: () => false,
    getMleForRequestPublicCertPath: () => certPath,
    getRequestmleKeyAlias: () => ALIAS,
    getKeyFileName: () => 'keybench_test',
    getResponseMlePrivateKey: () => pkcs8Pem,
  };
}

describe('cybersource-rest-client (MLE), both ways', () => {
  it("keybench's CyberSource kid is the subject serialNumber, else the X.509 serial", () => {
    const cert = stored.certificates![0]!;
    expect(cert.serial).toBe('7a3f0011');
    expect(cybersourceKid(cert)).toBe(SUBJECT_SERIAL);
    expect(cybersourceKid({ subject: 'CN=CyberSource_SJC_US', serial: '7a3f0011' })).toBe('7a3f0011');
    expect(subjectSerialNumber('CN=A\\, b, 2.5.4.5=SJC12\\,3')).toBe('SJC12,3');
    expect(subjectSerialNumber('serialNumber=42+CN=x')).toBe('42');
    expect(subjectSerialNumber('CN=serialNumber\\=1, O=2.5.4.5')).toBeUndefined();
  });

  it('keybench decrypts what the SDK encrypts to the certificate, and knows its kid', async () => {
    const sdkBody = await MLEUtility.encryptRequestPayload(config(), JSON.parse(PAYLOAD));
    expect(Object.keys(sdkBody)).toEqual(['encryptedRequest']);
    const header = parseJwe(sdkBody.encryptedRequest).header;
    expect(header).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: SUBJECT_SERIAL });
    // iat in seconds (10 digits), as keybench writes it.
    expect(String(header.iat)).toMatch(/^\d{10}$/);

    const r = await inspectJwe(JSON.stringify(sdkBody), [stored]);
    expect(r.wrapper).toBe('encryptedRequest');
    expect(r.state).toBe('decrypted');
    // The SDK re-serialises the object with JSON.stringify: the same string as PAYLOAD.
    expect(r.plaintext).toBe(PAYLOAD);
    expect(r.header?.find((m) => m.name === 'iat')?.meaning).toMatch(/in seconds/);
    // The kid is one of the key's identifiers: no "none of this key's identifiers" note.
    expect(r.notes.join(' ')).not.toMatch(/none of this key's identifiers/);
  });

  it('a changed byte in the SDK output is a tag failure', async () => {
    const { encryptedRequest } = await MLEUtility.encryptRequestPayload(config(), JSON.parse(PAYLOAD));
    const parts = encryptedRequest.split('.');
    const p = parts[3]!;
    parts[3] = p.slice(0, 5) + (p[5] === 'A' ? 'B' : 'A') + p.slice(6);
    const r = await inspectJwe(JSON.stringify({ encryptedRequest: parts.join('.') }), [stored]);
    expect(r.code).toBe('ERR_JWE_TAG');
    expect(r.plaintext).toBeUndefined();
  });

  it("the SDK's decrypt path decrypts what keybench encrypts for CyberSource", async () => {
    const out = await encryptFor({
      partner: 'cybersource',
      spki: stored.spki,
      payload: PAYLOAD,
      kid: cybersourceKid(stored.certificates![0]!),
      now: Date.now(),
    });
    // The header the SDK writes, less its cty "JWT": the same kid, iat in seconds.
    expect(out.header).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: SUBJECT_SERIAL,
      iat: expect.any(Number) as number,
    });
    expect(String(out.header.iat)).toMatch(/^\d{10}$/);
    const compact = (JSON.parse(out.body) as { encryptedRequest: string }).encryptedRequest;
    // JWEUtility.decryptJWEUsingPrivateKey: the exact plaintext string.
    expect(await JWEUtility.decryptJWEUsingPrivateKey(pkcs8Pem, compact)).toBe(PAYLOAD);
    // The SDK's response path, given keybench's JWE as an encryptedResponse.
    expect(
      await MLEUtility.checkAndDecryptEncryptedResponse({ encryptedResponse: compact }, config()),
    ).toEqual(JSON.parse(PAYLOAD));
    // A JWE for another key fails in the SDK: the check can fail.
    const otherKey = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    await expect(JWEUtility.decryptJWEUsingPrivateKey(otherKey, compact)).rejects.toThrow();
  });
});
