// Certificates kept as certificates: read from PEM, DER or a chain, kept with the key they certify
// (a new trusted key, or a stored key of the same SPKI), and used by the assertion form; an
// imported RSA private key signs RS256 and PS256; Entra's profile key signs PS256.
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPlanFromText } from '../../../src/lib/keys/import-stored';
import {
  certificateChoiceName,
  chosenCertificate,
  PASTE_CERTIFICATE,
} from '../../../src/lib/keys/certificate-choice';
import { trustedKeyInfo } from '../../../src/lib/keys/certificates';
import { mergeCertificates } from '../../../src/storage/keystore';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import { createSelfSignedCertificate, readCertificate } from '../../../src/lib/x509/certificates';
import { certificateDer } from '../../../src/lib/x509/thumbprint';
import form, { fieldName } from '../../../src/lib/schemes/client-assertion/form';
import { rulesFor } from '../../../src/lib/schemes/client-assertion/rules';
import { ENTRA_S256, ENTRA_SHA1 } from '../../../src/lib/schemes/client-assertion/rules/entra';
import type { SignerKey } from '../../../src/lib/scheme/contract';
import type { StoredKey } from '../../../src/lib/keys/stored-key';
import { decodeToken } from '../../../src/lib/jwt/decode';
import entra from '../../../src/lib/partners/entra.profile';
import { keySpecById } from '../../../src/lib/keys/key-specs';
import { openssl, tempDir } from '../support/helpers';
import { toolKey } from '../support/jwt-helpers';

/** A CA and a leaf it signed, made with openssl (PEM text each). */
function chain(): { leaf: string; ca: string; leafKey: string } {
  const dir = tempDir();
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const f = (n: string) => join(dir, n);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=Test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '30',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=leaf.example.com/O=Acme',
    '-keyout',
    f('leaf.key'),
    '-out',
    f('leaf.csr'),
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    f('leaf.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('leaf.pem'),
    '-days',
    '20',
  ]);
  const read = (n: string) => readFileSync(f(n), 'utf8');
  return { leaf: read('leaf.pem'), ca: read('ca.pem'), leafKey: read('leaf.key') };
}

const CHAIN = chain();

/** What node:crypto says of a certificate, in the stored record's terms. */
function nodeView(pem: string) {
  const x = new X509Certificate(pem);
  const hexTo64 = (h: string) => Buffer.from(h.replace(/:/g, ''), 'hex').toString('base64url');
  return {
    x5t: hexTo64(x.fingerprint),
    x5tS256: hexTo64(x.fingerprint256),
    notBefore: Date.parse(x.validFrom),
    notAfter: Date.parse(x.validTo),
    serial: x.serialNumber.toLowerCase(),
    spki: x.publicKey.export({ type: 'spki', format: 'der' }),
  };
}

describe('readCertificate', () => {
  it('reads subject, issuer, validity, serial and both thumbprints as node:crypto does', async () => {
    const c = await readCertificate(certificateDer(CHAIN.leaf), 'imported', 5);
    const n = nodeView(CHAIN.leaf);
    expect(c).toMatchObject({
      x5t: n.x5t,
      x5tS256: n.x5tS256,
      notBefore: n.notBefore,
      notAfter: n.notAfter,
      serial: n.serial,
      origin: 'imported',
      addedAt: 5,
    });
    expect(c.subject).toContain('CN=leaf.example.com');
    expect(c.subject).toContain('O=Acme');
    expect(c.issuer).toBe('CN=Test CA');
  });

  it('refuses bytes that are not a certificate (ERR_DER)', async () => {
    await expect(readCertificate(new Uint8Array([0x30, 3, 2, 1, 0]), 'imported')).rejects.toMatchObject({
      code: 'ERR_DER',
    });
  });
});

describe('importing a certificate keeps it with its key', () => {
  it.each([
    ['PEM', () => CHAIN.leaf],
    ['DER (a .cer read as base64)', () => certificateDerBase64(CHAIN.leaf)],
  ])('%s: a new trusted public key carrying the certificate', async (_name, text) => {
    const plan = await importPlanFromText(text(), '', 'entra', []);
    if (plan.kind !== 'new') throw new Error('expected a new key');
    expect(plan.key.kind).toBe('public');
    expect(Buffer.from(plan.key.spki).equals(nodeView(CHAIN.leaf).spki)).toBe(true);
    expect(plan.key.certificates?.map((c) => c.x5tS256)).toEqual([nodeView(CHAIN.leaf).x5tS256]);
    expect(plan.message).toContain('Its certificate (');
  });

  it('a chain (leaf first) gives the leaf’s key and certificate; the CA is counted, not kept', async () => {
    const plan = await importPlanFromText(CHAIN.leaf + CHAIN.ca, '', 'mine', []);
    if (plan.kind !== 'new') throw new Error('expected a new key');
    expect(Buffer.from(plan.key.spki).equals(nodeView(CHAIN.leaf).spki)).toBe(true);
    expect(plan.key.certificates).toHaveLength(1);
    expect(plan.message).toContain("The chain's other certificate was not kept");
  });

  it('the certificate of a stored key is kept with that key, not stored as a new key', async () => {
    const first = await importPlanFromText(CHAIN.leafKey, 'leaf', undefined, []);
    if (first.kind !== 'new') throw new Error('expected a new key');
    const plan = await importPlanFromText(CHAIN.leaf, '', undefined, [first.key]);
    expect(plan).toMatchObject({ kind: 'certificates', keyId: first.key.id });
    if (plan.kind === 'certificates')
      expect(plan.certificates[0]!.x5tS256).toBe(nodeView(CHAIN.leaf).x5tS256);
  });

  it('a private key pasted with its certificate becomes a pair with the certificate; another key’s is refused', async () => {
    const plan = await importPlanFromText(CHAIN.leafKey + CHAIN.leaf, '', undefined, []);
    if (plan.kind !== 'new') throw new Error('expected a new key');
    expect(plan.key.kind).toBe('pair');
    expect(plan.key.certificates).toHaveLength(1);
    await expect(importPlanFromText(CHAIN.leafKey + CHAIN.ca, '', undefined, [])).rejects.toMatchObject({
      code: 'ERR_KEY_UNRECOGNISED',
    });
  });

  it('two unrelated public keys are still refused', async () => {
    const a = toolKey('p256').publicPem;
    const b = toolKey('rsa2048').publicPem;
    await expect(importPlanFromText(a + b, '', 'mine', [])).rejects.toMatchObject({
      code: 'ERR_KEY_UNRECOGNISED',
    });
  });
});

function certificateDerBase64(pem: string): string {
  return Buffer.from(certificateDer(pem)).toString('base64');
}

describe('an imported RSA private key signs RS256 and PS256, never extractable', () => {
  it('keeps two non-extractable private keys, RSASSA-PKCS1-v1_5 and RSA-PSS, that both verify', async () => {
    const plan = await importPlanFromText(toolKey('rsa2048').privatePem, '', undefined, []);
    if (plan.kind !== 'new') throw new Error('expected a new key');
    const { privateKey, pssPrivateKey } = plan.key;
    expect(privateKey!.extractable).toBe(false);
    expect(pssPrivateKey!.extractable).toBe(false);
    expect(privateKey!.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    expect(pssPrivateKey!.algorithm.name).toBe('RSA-PSS');
    const data = new TextEncoder().encode('x');
    const pub = createPublicKey(toolKey('rsa2048').publicPem);
    const pss = Buffer.from(
      await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pssPrivateKey!, data),
    );
    expect(nodeVerify('sha256', data, { key: pub, padding: 6, saltLength: 32 }, pss)).toBe(true);
    expect(plan.message).toContain('It signs RS256 and PS256.');
  });
});

describe('Entra end to end: the profile’s key, its self-signed certificate, PS256 + x5t#S256', () => {
  it('the profile generates an RSA-PSS key first (PS256), and names a certificate to upload', () => {
    expect(entra.generate[0]).toBe('rsa-pss-2048');
    expect(keySpecById('rsa-pss-2048').jwsAlg).toBe('PS256');
    expect(entra.upload.format).toBe('certificate-pem');
  });

  it('the certificate is made with the PSS key (openssl verifies it) and the form signs with it, no paste', async () => {
    const pair = await generateKeyPair('rsa-pss-2048');
    expect(pair.privateKey.extractable).toBe(false);
    const made = await createSelfSignedCertificate(pair, { commonName: 'my-app' }, 30);
    const dir = tempDir();
    const file = join(dir, 'c.pem');
    writeFileSync(file, made.pem);
    expect(openssl(['verify', '-CAfile', file, file]).trim()).toBe(`${file}: OK`);
    const cert = await readCertificate(certificateDer(made.pem), 'generated');
    const p = rulesFor('Microsoft Entra ID')!;
    const values = {
      partner: 'Microsoft Entra ID',
      [fieldName(p, 'clientId')]: '11111111-2222-3333-4444-555555555555',
      [fieldName(p, 'tenant')]: 'contoso.onmicrosoft.com',
      [fieldName(p, 'thumbprint')]: ENTRA_S256,
    };
    const key: SignerKey = { kind: 'pair', label: 'k', ...pair, certificates: [cert] };
    const out = await form.sign(values, key, Date.now());
    const d = decodeToken(out.token!);
    expect(d.header).toMatchObject({ alg: 'PS256', 'x5t#S256': nodeView(made.pem).x5tS256 });
    const [h, c, s] = out.token!.split('.');
    const pub = new X509Certificate(made.pem).publicKey;
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(`${h}.${c}`),
        { key: pub, padding: 6, saltLength: 32 },
        Buffer.from(s!, 'base64url'),
      ),
    ).toBe(true);
  });

  it('one imported key signs either way: x5t#S256 → PS256, x5t → RS256, from the chosen stored certificate', async () => {
    const plan = await importPlanFromText(CHAIN.leafKey + CHAIN.leaf, '', undefined, []);
    if (plan.kind !== 'new') throw new Error('expected a new key');
    const k = plan.key;
    const key: SignerKey = {
      kind: 'pair',
      label: k.label,
      privateKey: k.privateKey!,
      pssPrivateKey: k.pssPrivateKey!,
      publicKey: k.publicKey,
      spki: k.spki,
      certificates: k.certificates!,
    };
    const p = rulesFor('Microsoft Entra ID')!;
    const n = nodeView(CHAIN.leaf);
    for (const [choice, alg, param, value] of [
      [ENTRA_S256, 'PS256', 'x5t#S256', n.x5tS256],
      [ENTRA_SHA1, 'RS256', 'x5t', n.x5t],
    ] as const) {
      const values = {
        partner: 'Microsoft Entra ID',
        [fieldName(p, 'clientId')]: 'cid',
        [fieldName(p, 'tenant')]: 't',
        [fieldName(p, 'thumbprint')]: choice,
        [certificateChoiceName(fieldName(p, 'certificate'))]: k.certificates![0]!.x5tS256,
      };
      const out = await form.sign(values, key, Date.now());
      expect(decodeToken(out.token!).header).toMatchObject({ alg, [param]: value });
    }
  });

  it('the paste stays the fallback: chosen "paste" with an empty box asks for the certificate', async () => {
    const pair = await generateKeyPair('rsa-pss-2048');
    const made = await createSelfSignedCertificate(pair, { commonName: 'x' }, 3);
    const cert = await readCertificate(certificateDer(made.pem), 'generated');
    const p = rulesFor('Microsoft Entra ID')!;
    const values = {
      partner: 'Microsoft Entra ID',
      [fieldName(p, 'clientId')]: 'cid',
      [fieldName(p, 'tenant')]: 't',
      [certificateChoiceName(fieldName(p, 'certificate'))]: PASTE_CERTIFICATE,
    };
    const key: SignerKey = { kind: 'pair', label: 'k', ...pair, certificates: [cert] };
    await expect(form.sign(values, key, Date.now())).rejects.toMatchObject({ code: 'ERR_ASSERT_INPUT' });
    const withPaste = { ...values, [fieldName(p, 'certificate')]: made.pem };
    expect(decodeToken((await form.sign(withPaste, key, Date.now())).token!).header?.alg).toBe('PS256');
  });

  it('the form has a visible key-pair choice', () => {
    expect(form.fields.find((f) => f.kind === 'key')?.label).toBe('Key pair');
    expect(form.fields.filter((f) => f.kind === 'certificate').length).toBeGreaterThan(0);
  });
});

describe('certificate helpers', () => {
  it('merges without duplicates, picks the chosen or newest, and gives cards the DER', async () => {
    const a = await readCertificate(certificateDer(CHAIN.leaf), 'imported', 1);
    const b = await readCertificate(certificateDer(CHAIN.ca), 'imported', 2);
    const merged = mergeCertificates([a], [a, b]);
    expect(merged.map((c) => c.addedAt)).toEqual([1, 2]);
    expect(chosenCertificate('', merged)).toBe(b);
    expect(chosenCertificate(a.x5tS256, merged)).toBe(a);
    expect(chosenCertificate('unknown', merged)).toBe(b);
    expect(chosenCertificate(PASTE_CERTIFICATE, merged)).toBeNull();
    expect(chosenCertificate('', undefined)).toBeNull();
    const key = { label: 'k', spki: new Uint8Array(3), certificates: merged } as Pick<
      StoredKey,
      'label' | 'spki' | 'certificates'
    >;
    expect(trustedKeyInfo(key).certificates).toEqual([a.der, b.der]);
    expect(trustedKeyInfo({ ...key, certificates: undefined })).not.toHaveProperty('certificates');
  });
});

describe('fileAsText (Import → Choose file…)', () => {
  it('reads a DER .cer as its base64 and a PEM file as its text', async () => {
    const { fileAsText } = await import('../../../src/lib/encoding/der-file');
    const der = certificateDer(CHAIN.leaf);
    expect(await fileAsText(new Blob([der]))).toBe(Buffer.from(der).toString('base64'));
    expect(await fileAsText(new Blob([CHAIN.leaf]))).toBe(CHAIN.leaf);
  });
});

describe('the refusal for a key of the other algorithm says how to get one', () => {
  it('an RS256-only key asked for x5t#S256 + PS256: ERR_ASSERT_KEY_ALG naming the profile key and the import', async () => {
    const pair = await generateKeyPair('rsa-2048');
    const made = await createSelfSignedCertificate(pair, { commonName: 'x' }, 3);
    const cert = await readCertificate(certificateDer(made.pem), 'generated');
    const p = rulesFor('Microsoft Entra ID')!;
    const values = {
      partner: 'Microsoft Entra ID',
      [fieldName(p, 'clientId')]: 'cid',
      [fieldName(p, 'tenant')]: 't',
      [fieldName(p, 'thumbprint')]: ENTRA_S256,
    };
    const key: SignerKey = { kind: 'pair', label: 'k', ...pair, certificates: [cert] };
    const e = await form.sign(values, key, Date.now()).then(
      () => null,
      (x: unknown) => x as { code: string; message: string },
    );
    expect(e?.code).toBe('ERR_ASSERT_KEY_ALG');
    expect(e?.message).toContain(
      "generate one with the partner's profile (Keys), or import your RSA private key",
    );
  });
});
