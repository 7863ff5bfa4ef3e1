/**
 * id-RSASSA-PSS keys (RFC 4055 §3.1): what `openssl genpkey -algorithm RSA-PSS`, Node's
 * generateKeyPairSync('rsa-pss') and RFC 9421's own test-key-rsa-pss are. keybench reads them,
 * verifies RSA-PSS with them, never PKCS#1 v1.5, and honours the hash and minimum salt they name.
 */
import {
  constants,
  createPrivateKey,
  generateKeyPairSync,
  sign as nodeSign,
  type KeyObject,
  type RSAPSSKeyPairKeyObjectOptions,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { candidatesFromStored } from '../../../../src/lib/jwt/candidates';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import type { StoredKey } from '../../../../src/lib/keys/stored-key';
import { verifyToken } from '../../../../src/lib/jwt/verify';
import { importPrivateKey } from '../../../../src/lib/keys/import';
import { parseKeyText } from '../../../../src/lib/keys/parse';
import { verifyRequest } from '../../support/rfc9421-engine';
import { request, req } from '../../support/rfc9421-helpers';
import * as V from '../../support/rfc9421-vectors';

const NOW = 1618884473_000 + 30_000;

async function asKey(text: string, label: string): Promise<VerificationKey> {
  const parsed = await parseKeyText(text);
  return { kind: 'public', label, origin: 'pasted', spki: parsed.spki, type: parsed.type };
}

/** An id-RSASSA-PSS key pair from Node (its types call saltLength a string; Node takes a number). */
const pssPair = (o: { hashAlgorithm?: string; saltLength?: number }) =>
  generateKeyPairSync('rsa-pss', {
    modulusLength: 2048,
    ...o,
    ...(o.hashAlgorithm ? { mgf1HashAlgorithm: o.hashAlgorithm } : {}),
  } as unknown as RSAPSSKeyPairKeyObjectOptions);

const pem = (k: KeyObject, type: 'spki' | 'pkcs8') => String(k.export({ type, format: 'pem' }));

describe('RFC 9421 B.2 with test-key-rsa-pss as the RFC prints it (PKCS#8, id-RSASSA-PSS)', () => {
  it('the printed private key is read as a PSS-only RSA key', async () => {
    expect(V.TEST_KEY_RSA_PSS_PRIVATE).toContain('MIIEvgIBADALBgkqhkiG9w0BAQoE');
    const parsed = await parseKeyText(V.TEST_KEY_RSA_PSS_PRIVATE);
    expect(parsed.kind).toBe('private');
    expect(parsed.type).toEqual({ kty: 'RSA', bits: 2048, pss: {} });
  });

  for (const [name, signed, label] of [
    ['B.2.1', V.B21_SIGNED, 'sig-b21'],
    ['B.2.2', V.B22_SIGNED, 'sig-b22'],
  ] as const)
    it(`${name} verifies with the key read from the printed private key`, async () => {
      const key = await asKey(V.TEST_KEY_RSA_PSS_PRIVATE, 'test-key-rsa-pss');
      const v = await verifyRequest({ request: request(signed), keys: [key], nowMs: NOW });
      const r = v.results[0]!;
      expect(r.label).toBe(label);
      expect(r.signatureHolds).toBe(true);
      expect(r.alg).toBe('rsa-pss-sha512');
    });

  it('the private key imports as a non-extractable RSA-PSS signing key', async () => {
    const parsed = await parseKeyText(V.TEST_KEY_RSA_PSS_PRIVATE);
    if (parsed.kind !== 'private') throw new Error('not private');
    const { privateKey, publicKey, jwsAlg } = await importPrivateKey(parsed);
    expect(privateKey.algorithm.name).toBe('RSA-PSS');
    expect(privateKey.extractable).toBe(false);
    expect(publicKey.algorithm.name).toBe('RSA-PSS');
    expect(jwsAlg).toBe('PS512');
  });
});

describe('id-RSASSA-PSS public keys', () => {
  const plain = pssPair({});
  const sha512 = pssPair({ hashAlgorithm: 'sha512', saltLength: 64 });
  const sha256 = pssPair({ hashAlgorithm: 'sha256', saltLength: 32 });
  const bigSalt = pssPair({ hashAlgorithm: 'sha512', saltLength: 100 });

  it('SPKI and PKCS#8 with the PSS OID are read, with their parameters', async () => {
    expect((await parseKeyText(pem(plain.publicKey, 'spki'))).type).toEqual({
      kty: 'RSA',
      bits: 2048,
      pss: {},
    });
    expect((await parseKeyText(pem(sha512.publicKey, 'spki'))).type).toEqual({
      kty: 'RSA',
      bits: 2048,
      pss: { hash: 'SHA-512', saltLength: 64 },
    });
    expect((await parseKeyText(pem(sha256.privateKey, 'pkcs8'))).type).toEqual({
      kty: 'RSA',
      bits: 2048,
      pss: { hash: 'SHA-256', saltLength: 32 },
    });
  });

  /** A request signed by Node with `key` under `alg`, covering @method @authority @path. */
  function signedWith(key: KeyObject, alg: 'rsa-pss-sha512' | 'rsa-v1_5-sha256', withAlg = true) {
    const created = Math.floor(NOW / 1000);
    const params = `("@method" "@authority" "@path");created=${created}${withAlg ? `;alg="${alg}"` : ''}`;
    const base = `"@method": GET\n"@authority": example.com\n"@path": /foo\n"@signature-params": ${params}`;
    const sig =
      alg === 'rsa-pss-sha512'
        ? nodeSign('sha512', Buffer.from(base), {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: 64,
          })
        : nodeSign('sha256', Buffer.from(base), { key, padding: constants.RSA_PKCS1_PADDING });
    return req('GET', 'https://example.com/foo', [
      ['Signature-Input', `sig1=${params}`],
      ['Signature', `sig1=:${sig.toString('base64')}:`],
    ]);
  }

  it('rsa-pss-sha512 verifies with a PSS key without parameters and with SHA-512 ones', async () => {
    for (const k of [plain, sha512]) {
      const key = await asKey(pem(k.publicKey, 'spki'), 'pss');
      const v = await verifyRequest({
        request: signedWith(k.privateKey, 'rsa-pss-sha512'),
        keys: [key],
        nowMs: NOW,
      });
      expect(v.results[0]?.signatureHolds).toBe(true);
    }
  });

  it('a PSS key never verifies PKCS#1 v1.5, with or without alg', async () => {
    const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // The same modulus as a PSS-only key: the v1.5 signature is genuine, the key refuses the padding.
    const pssOnly = await asKey(pem(k.publicKey, 'spki'), 'rsa');
    if (pssOnly.kind === 'public' && pssOnly.type.kty === 'RSA') pssOnly.type.pss = {};
    const named = await verifyRequest({
      request: signedWith(k.privateKey, 'rsa-v1_5-sha256'),
      keys: [pssOnly],
      nowMs: NOW,
    });
    expect(named.results[0]?.signatureHolds).toBe(false);
    expect(named.results[0]?.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_ALG_KEY_MISMATCH');
    const unnamed = await verifyRequest({
      request: signedWith(k.privateKey, 'rsa-v1_5-sha256', false),
      keys: [pssOnly],
      nowMs: NOW,
    });
    expect(unnamed.results[0]?.signatureHolds).toBe(false);
  });

  it('a key bound to SHA-256, or to a salt of at least 100 bytes, does not verify rsa-pss-sha512', async () => {
    for (const k of [sha256, bigSalt]) {
      const key = await asKey(pem(k.publicKey, 'spki'), 'pss');
      // Node refuses to sign outside the key's restriction: sign with the same key unrestricted.
      const parsed = await parseKeyText(pem(k.privateKey, 'pkcs8'));
      if (parsed.kind !== 'private' || !parsed.pkcs8) throw new Error('not a private key');
      const unrestricted = createPrivateKey({ key: Buffer.from(parsed.pkcs8), format: 'der', type: 'pkcs8' });
      expect(unrestricted.asymmetricKeyType).toBe('rsa');
      const v = await verifyRequest({
        request: signedWith(unrestricted, 'rsa-pss-sha512'),
        keys: [key],
        nowMs: NOW,
      });
      expect(v.results[0]?.signatureHolds).toBe(false);
      expect(v.results[0]?.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_ALG_KEY_MISMATCH');
    }
  });

  it('JWT: a PSS key verifies PS512 but never RS256', async () => {
    const key = await asKey(pem(sha512.publicKey, 'spki'), 'pss');
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url');
    const ps = `${header('PS512')}.${payload}`;
    const psSig = nodeSign('sha512', Buffer.from(ps), {
      key: sha512.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 64,
    });
    const ok = await verifyToken(decodeToken(`${ps}.${psSig.toString('base64url')}`), [key]);
    expect(ok.state).toBe('verified');
    const rsKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsPss = await asKey(pem(rsKey.publicKey, 'spki'), 'rsa');
    if (rsPss.kind === 'public' && rsPss.type.kty === 'RSA') rsPss.type.pss = {};
    const rs = `${header('RS256')}.${payload}`;
    const rsSig = nodeSign('sha256', Buffer.from(rs), rsKey.privateKey);
    const refused = await verifyToken(decodeToken(`${rs}.${rsSig.toString('base64url')}`), [rsPss]);
    expect(refused.state).not.toBe('verified');
    expect(refused.code).toBe('ERR_JWT_ALG_KEY_MISMATCH');
  });
});

describe('stored keys', () => {
  async function stored(origin: 'imported' | 'generated', name: 'RSA-PSS' | 'RSASSA-PKCS1-v1_5') {
    const pair = (await crypto.subtle.generateKey(
      { name, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-512' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const key = {
      id: origin + name,
      label: `${origin} ${name}`,
      kind: 'public',
      origin,
      spki,
      publicKey: pair.publicKey,
    };
    const [c] = candidatesFromStored([key as unknown as StoredKey], {});
    if (c?.kind !== 'public') throw new Error('not a public key');
    return c;
  }

  it('an imported RSA-PSS key (only an id-RSASSA-PSS key imports so) stays PSS-only; a generated one does not', async () => {
    expect(await stored('imported', 'RSA-PSS')).toMatchObject({
      type: { kty: 'RSA', pss: { hash: 'SHA-512' } },
    });
    expect((await stored('generated', 'RSA-PSS')).type).not.toHaveProperty('pss');
    expect((await stored('imported', 'RSASSA-PKCS1-v1_5')).type).not.toHaveProperty('pss');
  });

  it('an id-RSASSA-PSS key of any hash it names, SHA-1 and a long salt too, passes the import check', async () => {
    for (const o of [{ hashAlgorithm: 'sha1' }, { hashAlgorithm: 'sha256', saltLength: 64 }, {}]) {
      const parsed = await parseKeyText(pem(pssPair(o).privateKey, 'pkcs8'));
      if (parsed.kind !== 'private') throw new Error('not a private key');
      const { privateKey } = await importPrivateKey(parsed);
      expect(privateKey.algorithm.name).toBe('RSA-PSS');
    }
  });
});
