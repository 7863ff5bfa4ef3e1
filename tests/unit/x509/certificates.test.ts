import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import { createCsr, createSelfSignedCertificate } from '../../../src/lib/x509/certificates';
import { generateServerKeyFiles } from '../../../src/lib/keys/server-files';
import { openssl, opensslBytes, tempDir, writeTemp } from '../support/helpers';

describe.each(['rsa-2048', 'p-521'] as const)('certificates from a stored %s key', (profile) => {
  const subject = {
    commonName: 'api-client.example.com',
    organization: 'Acme, Ltd.',
    country: 'GB',
    emailAddress: 'ops@example.com',
    dnsNames: ['api-client.example.com', '*.example.com'],
    emails: ['ops@example.com'],
  };

  it('the CSR passes `openssl req -verify` and carries the stored public key', async () => {
    const pair = await generateKeyPair(profile);
    expect(pair.privateKey.extractable).toBe(false);
    const csr = await createCsr(pair, subject);
    const dir = tempDir();
    const file = writeTemp(dir, 'req.csr', csr.pem);
    // `openssl req -verify` exits non-zero (and execFileSync throws) when the self-signature is bad.
    const out = openssl(['req', '-in', file, '-verify', '-noout', '-subject', '-nameopt', 'RFC2253']);
    expect(out.trim()).toBe(
      'subject=emailAddress=ops@example.com,CN=api-client.example.com,O=Acme\\, Ltd.,C=GB',
    );
    const pub = openssl(['req', '-in', file, '-pubkey', '-noout']);
    expect(createPublicKey(pub).export({ type: 'spki', format: 'der' }).equals(Buffer.from(pair.spki))).toBe(
      true,
    );
    expect(openssl(['req', '-in', file, '-noout', '-text'])).toContain('DNS:*.example.com');
  });

  it('the certificate passes `openssl verify -CAfile c.crt c.crt` and holds the stored public key', async () => {
    const pair = await generateKeyPair(profile);
    const cert = await createSelfSignedCertificate(pair, subject, 365);
    const dir = tempDir();
    const file = writeTemp(dir, 'c.crt', cert.pem);
    expect(openssl(['verify', '-CAfile', file, file]).trim()).toBe(`${file}: OK`);
    const x = new X509Certificate(cert.pem);
    expect(x.publicKey.export({ type: 'spki', format: 'der' }).equals(Buffer.from(pair.spki))).toBe(true);
    expect(x.fingerprint256).toBe(cert.sha256);
    expect(x.fingerprint).toBe(cert.sha1);
    // The JOSE thumbprints, as openssl computes them over the DER.
    const der = opensslBytes(['x509', '-in', file, '-outform', 'DER']);
    expect(cert.x5t).toBe(createHash('sha1').update(der).digest('base64url'));
    expect(cert.x5tS256).toBe(createHash('sha256').update(der).digest('base64url'));
    expect(Buffer.from(x.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url')).toBe(cert.x5tS256);
    const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    expect(x.serialNumber).toMatch(/^[0-9A-F]{30,32}$/);
  });

  it('ERR_PARTNER_INPUT for an empty CN, a bad country, a bad DNS name or validity', async () => {
    const pair = await generateKeyPair(profile);
    await expect(createCsr(pair, { commonName: ' ' })).rejects.toMatchObject({ code: 'ERR_PARTNER_INPUT' });
    await expect(createCsr(pair, { commonName: 'x', country: 'GBR' })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    await expect(createCsr(pair, { commonName: 'x', dnsNames: ['not a host'] })).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
    await expect(createSelfSignedCertificate(pair, { commonName: 'x' }, 0)).rejects.toMatchObject({
      code: 'ERR_PARTNER_INPUT',
    });
  });
});

describe('key files for a server', () => {
  for (const [profile, format, tool] of [
    ['rsa-2048', 'pkcs1', 'rsa'],
    ['rsa-2048', 'pkcs8', 'rsa'],
    ['p-521', 'sec1', 'ec'],
    ['p-521', 'pkcs8', 'ec'],
    ['ed25519', 'pkcs8', 'pkey'],
  ] as const) {
    it(`${profile} ${format}: openssl pkey -check accepts it and \`openssl ${tool} -pubout\` gives the public file`, async () => {
      const files = await generateServerKeyFiles(profile, format);
      const label = { pkcs1: 'RSA PRIVATE KEY', pkcs8: 'PRIVATE KEY', sec1: 'EC PRIVATE KEY' }[format];
      expect(files.privateFile.text.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true);
      const dir = tempDir();
      const priv = writeTemp(dir, files.privateFile.name, files.privateFile.text);
      expect(openssl(['pkey', '-in', priv, '-check', '-noout'])).toMatch(/valid/i);
      expect(openssl([tool, '-in', priv, '-pubout'])).toBe(files.publicFile.text);
      expect(files.publicFile.name).toBe(
        { 'rsa-2048': 'public.pem', 'p-521': 'jwtECDSASHA512.key.pub', ed25519: 'ed25519.pub.pem' }[profile],
      );
    });
  }
});
