import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/lib/keys/generate';
import { jwkThumbprint, publicJwk, spkiFingerprint, spkiToPem } from '../../src/lib/keys/export';
import { describeKeyType, keyTypeOf } from '../../src/lib/keys/key-type';
import { defaultAlgFor, importPrivateKey, importPublicKey } from '../../src/lib/keys/import';
import { parseKeyText } from '../../src/lib/keys/parse';
import { keySpecById, webCryptoSignParams } from '../../src/lib/keys/key-specs';
import { ed25519Supported } from '../../src/lib/keys/support';
import { signJws } from '../../src/lib/jwt/sign';
import { openssl, tempDir, writeTemp } from './helpers';

/** RFC 7638 / RFC 8037 §2: an OKP thumbprint hashes {"crv","kty","x"} in that order, no whitespace. */
function okpThumbprint(jwk: Record<string, unknown>): string {
  const json = `{"crv":"${String(jwk.crv)}","kty":"${String(jwk.kty)}","x":"${String(jwk.x)}"}`;
  return createHash('sha256').update(json).digest('base64url');
}

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
    expect(webCryptoSignParams('EdDSA')).toEqual({ name: 'Ed25519' });
  });

  it('is detected as supported where WebCrypto has Ed25519 (Node 20)', async () => {
    expect(await ed25519Supported()).toBe(true);
  });
});

describe('generated Ed25519 key pair', () => {
  const made = generateKeyPair('ed25519');

  it('has a non-extractable private key that refuses export', async () => {
    const { privateKey, publicKey } = await made;
    expect(privateKey.extractable).toBe(false);
    expect(publicKey.extractable).toBe(true);
    await expect(crypto.subtle.exportKey('pkcs8', privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();
    expect(describeKeyType(keyTypeOf(publicKey))).toBe('Ed25519');
    expect(defaultAlgFor(keyTypeOf(publicKey))).toBe('EdDSA');
  });

  it('exports SPKI PEM that node:crypto and openssl read as ED25519', async () => {
    const { spki } = await made;
    const pem = spkiToPem(spki);
    const nodeKey = createPublicKey(pem);
    expect(nodeKey.asymmetricKeyType).toBe('ed25519');
    expect(pem).toBe(nodeKey.export({ type: 'spki', format: 'pem' }));
    const file = writeTemp(tempDir(), 'ed25519.pub.pem', pem);
    expect(openssl(['pkey', '-pubin', '-in', file, '-noout', '-text'])).toMatch(/ED25519 Public-Key/);
    expect(openssl(['pkey', '-pubin', '-in', file, '-pubout'])).toBe(pem);
  });

  it('fingerprint equals openssl dgst -sha256 -c over the DER', async () => {
    const { spki } = await made;
    const der = writeTemp(tempDir(), 'pub.der', spki);
    const expected = openssl(['dgst', '-sha256', '-c', der]).trim().split('= ')[1];
    expect(await spkiFingerprint(spki)).toBe(expected);
  });

  it('public JWK is OKP (RFC 8037) and the thumbprint follows RFC 7638', async () => {
    const { spki, publicKey } = await made;
    const nodeJwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({
      format: 'jwk',
    }) as Record<string, unknown>;
    expect(nodeJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const thumb = await jwkThumbprint(publicKey);
    expect(thumb).toBe(okpThumbprint(nodeJwk));
    const jwk = await publicJwk(publicKey, 'EdDSA');
    expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: nodeJwk.x, kid: thumb, alg: 'EdDSA', use: 'sig' });
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
