import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import { publicJwk, spkiToPem } from '../../../src/lib/keys/export';
import { describeKeyType, keyTypeOf } from '../../../src/lib/keys/key-type';
import { defaultAlgFor, importPrivateKey, importPublicKey } from '../../../src/lib/keys/import';
import { parseKeyText } from '../../../src/lib/keys/parse';
import { keySpecById } from '../../../src/lib/keys/key-specs';
import { ALGORITHMS } from '../../../src/lib/crypto/algorithms';
import { ed25519Supported } from '../../../src/lib/keys/support';
import { signJws } from '../../../src/lib/jwt/sign';
import { openssl, tempDir, writeTemp } from '../support/helpers';

/** Check a compact EdDSA JWS with node:crypto (Ed25519 takes no digest: algorithm null). */
function nodeVerifies(jws: string, spki: Uint8Array): boolean {
  const [h, p, s] = jws.split('.');
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s!, 'base64url'));
}

describe('Ed25519 profile', () => {
  it('signs EdDSA with WebCrypto Ed25519', () => {
    const p = keySpecById('ed25519');
    expect(p.jwsAlg).toBe('EdDSA');
    expect(p.generateParams).toEqual({ name: 'Ed25519' });
    expect(ALGORITHMS.EdDSA.signParams).toEqual({ name: 'Ed25519' });
  });

  it('is detected as supported where WebCrypto has Ed25519 (Node 20)', async () => {
    expect(await ed25519Supported()).toBe(true);
  });
});

describe('generated Ed25519 key pair', () => {
  const made = generateKeyPair('ed25519');

  // Export, fingerprint, thumbprint and non-extractability are checked for every key spec in
  // keys.test.ts; here, what is particular to Ed25519.
  it('is an OKP key (RFC 8037) that openssl reads as ED25519, signing as EdDSA', async () => {
    const { spki, publicKey } = await made;
    expect(describeKeyType(keyTypeOf(publicKey))).toBe('Ed25519');
    expect(defaultAlgFor(keyTypeOf(publicKey))).toBe('EdDSA');
    const file = writeTemp(tempDir(), 'ed25519.pub.pem', spkiToPem(spki));
    expect(openssl(['pkey', '-pubin', '-in', file, '-noout', '-text'])).toMatch(/ED25519 Public-Key/);
    const jwk = await publicJwk(publicKey, 'EdDSA');
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(Object.keys(jwk)).not.toContain('y');
    expect(jwk).not.toHaveProperty('d');
  });

  it('signs EdDSA JWTs that node:crypto verifies', async () => {
    const { privateKey, spki } = await made;
    const jws = await signJws({ typ: 'JWT' }, { sub: 'keybench', iat: 1 }, privateKey, 'EdDSA');
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('EdDSA');
    expect(nodeVerifies(jws, spki)).toBe(true);
    const tampered = jws.replace(/\.[^.]+\./, `.${Buffer.from('{"sub":"x"}').toString('base64url')}.`);
    expect(nodeVerifies(tampered, spki)).toBe(false);
  });
});

describe('Ed25519 import', () => {
  const pair = generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;

  it('an openssl genpkey PKCS#8 key becomes a non-extractable signing pair with the right public key', async () => {
    const opensslPem = openssl(['genpkey', '-algorithm', 'ed25519']);
    const expectedPub = openssl(['pkey', '-pubout'], opensslPem);
    const parsed = await parseKeyText(opensslPem);
    expect(parsed.kind).toBe('private');
    expect(parsed.type).toEqual({ kty: 'OKP', curve: 'Ed25519' });
    expect(spkiToPem(parsed.spki)).toBe(expectedPub);
    if (parsed.kind !== 'private') throw new Error('not private');
    const imported = await importPrivateKey(parsed);
    expect(imported.privateKey.extractable).toBe(false);
    expect(imported.jwsAlg).toBe('EdDSA');
    expect(parsed.pkcs8?.every((b) => b === 0)).toBe(true);
    const jws = await signJws({}, 'hello', imported.privateKey, 'EdDSA');
    expect(nodeVerifies(jws, parsed.spki)).toBe(true);
  });

  it('a node-written PKCS#8 key derives the same public key as node', async () => {
    const parsed = await parseKeyText(privatePem);
    expect(spkiToPem(parsed.spki)).toBe(publicPem);
  });

  it('a private OKP JWK imports as a non-extractable pair', async () => {
    const jwk = pair.privateKey.export({ format: 'jwk' });
    const parsed = await parseKeyText(JSON.stringify(jwk));
    if (parsed.kind !== 'private') throw new Error('not private');
    expect(spkiToPem(parsed.spki)).toBe(publicPem);
    const imported = await importPrivateKey(parsed);
    expect(imported.privateKey.extractable).toBe(false);
  });

  it('public SPKI PEM and OKP JWK import as trusted verify-only keys', async () => {
    for (const text of [publicPem, JSON.stringify(pair.publicKey.export({ format: 'jwk' }))]) {
      const parsed = await parseKeyText(text);
      expect(parsed.kind).toBe('public');
      if (parsed.kind !== 'public') continue;
      const { publicKey } = await importPublicKey(parsed);
      expect(publicKey.algorithm.name).toBe('Ed25519');
      expect(publicKey.usages).toEqual(['verify']);
      expect(spkiToPem(parsed.spki)).toBe(publicPem);
    }
  });
});
