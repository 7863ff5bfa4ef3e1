import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import { jwkThumbprint, publicJwk, spkiFingerprint, spkiToPem } from '../../../src/lib/keys/export';
import { describeKeyType, keyTypeOf } from '../../../src/lib/keys/key-type';
import { defaultAlgFor } from '../../../src/lib/keys/import';
import { defaultLabel } from '../../../src/lib/keys/stored-key';
import { KEY_SPECS } from '../../../src/lib/keys/key-specs';
import { openssl, tempDir, writeTemp } from '../support/helpers';

/**
 * RFC 7638 computed independently of jose: required members, lexicographic order, no whitespace
 * (for OKP, RFC 8037 §2: crv, kty, x).
 */
function rfc7638(jwk: Record<string, unknown>): string {
  const members = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] }[
    String(jwk.kty) as 'RSA' | 'EC' | 'OKP'
  ];
  const json = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash('sha256').update(json).digest('base64url');
}

describe.each([
  { id: 'rsa-2048' as const, nodeType: 'rsa', detail: { modulusLength: 2048, publicExponent: 65537n } },
  { id: 'p-521' as const, nodeType: 'ec', detail: { namedCurve: 'secp521r1' } },
  { id: 'ed25519' as const, nodeType: 'ed25519', detail: {} },
])('generated $id key pair', ({ id, nodeType, detail }) => {
  const made = generateKeyPair(id);

  it('has a non-extractable private key that refuses export', async () => {
    const { privateKey, publicKey } = await made;
    expect(privateKey.extractable).toBe(false);
    expect(publicKey.extractable).toBe(true);
    await expect(crypto.subtle.exportKey('pkcs8', privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();
  });

  it('exports PEM byte-for-byte as node:crypto and openssl write it', async () => {
    const { spki } = await made;
    const pem = spkiToPem(spki);
    const nodeKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    expect(nodeKey.asymmetricKeyType).toBe(nodeType);
    expect(nodeKey.asymmetricKeyDetails).toMatchObject(detail);
    expect(pem).toBe(nodeKey.export({ type: 'spki', format: 'pem' }));
    const dir = tempDir();
    const file = writeTemp(dir, 'pub.pem', pem);
    expect(openssl(['pkey', '-pubin', '-in', file, '-pubout'])).toBe(pem);
  });

  it('fingerprint equals openssl dgst -sha256 -c over the DER', async () => {
    const { spki } = await made;
    const dir = tempDir();
    const der = writeTemp(dir, 'pub.der', spki);
    const out = openssl(['dgst', '-sha256', '-c', der]);
    const expected = out.trim().split('= ')[1];
    expect(await spkiFingerprint(spki)).toBe(expected);
  });

  it('thumbprint and public JWK agree with node:crypto', async () => {
    const { spki, publicKey } = await made;
    const nodeJwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({
      format: 'jwk',
    }) as Record<string, unknown>;
    const thumb = await jwkThumbprint(publicKey);
    expect(thumb).toBe(rfc7638(nodeJwk));
    const profile = KEY_SPECS.find((p) => p.id === id)!;
    const jwk = await publicJwk(publicKey, profile.jwsAlg);
    expect(jwk).toEqual({ ...nodeJwk, kid: thumb, alg: profile.jwsAlg, use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    expect(defaultAlgFor(keyTypeOf(publicKey))).toBe(profile.jwsAlg);
    expect(describeKeyType(keyTypeOf(publicKey))).toBe(
      { 'rsa-2048': 'RSA-2048', 'p-521': 'ECDSA P-521', ed25519: 'Ed25519' }[id],
    );
  });
});

describe('labels', () => {
  it('name the profile and the local date', () => {
    expect(defaultLabel('QI Tech', new Date(2026, 10, 3, 12).getTime())).toBe('QI Tech 2026-11-03');
  });
});
