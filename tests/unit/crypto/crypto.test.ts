import {
  constants,
  createHmac,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, algOfCryptoKey, byRfc9421, type AlgId } from '../../../src/lib/crypto/algorithms';
import { decodeAs, derToRaw, encodeAs, readSignature } from '../../../src/lib/crypto/encoding';
import {
  importHmacSigner,
  importVerifier,
  signBytes,
  verifySignature,
} from '../../../src/lib/crypto/signature';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import type { KeyType } from '../../../src/lib/keys/key-type';

// lib/crypto against node:crypto (OpenSSL), both ways, for every algorithm of its table.

const PSS = constants.RSA_PKCS1_PSS_PADDING;
const data = new TextEncoder().encode('GET /v1/orders?limit=10 {"a":1}');
const secret = new TextEncoder().encode('a shared secret of 32 bytes, ok!');

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = {
  'P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }),
};
const ed = generateKeyPairSync('ed25519');

/** The node key pair an algorithm needs, and its type as keybench reads it. */
function pairFor(alg: AlgId): { privateKey: KeyObject; publicKey: KeyObject; type: KeyType } {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return { ...rsa, type: { kty: 'RSA', bits: 2048 } };
  if (alg === 'EdDSA') return { ...ed, type: { kty: 'OKP', curve: 'Ed25519' } };
  const curve = (ALGORITHMS[alg].importParams as EcKeyImportParams).namedCurve as keyof typeof ec;
  return { ...ec[curve], type: { kty: 'EC', curve } };
}

/** node's signing options for `alg` (hash, padding, salt, raw r‖s), from RFC 7518's words, not the table. */
function nodeOptions(alg: AlgId, key: KeyObject) {
  const bits = alg.slice(2);
  if (alg === 'EdDSA') return { hash: null, key: { key } };
  const hash = `sha${bits}`;
  if (alg.startsWith('PS')) return { hash, key: { key, padding: PSS, saltLength: Number(bits) / 8 } };
  if (alg.startsWith('ES')) return { hash, key: { key, dsaEncoding: 'ieee-p1363' as const } };
  return { hash, key: { key } };
}

const asymmetric = (Object.keys(ALGORITHMS) as AlgId[]).filter((a) => !a.startsWith('HS'));
const hmac = (Object.keys(ALGORITHMS) as AlgId[]).filter((a) => a.startsWith('HS'));

function publicKeyOf(alg: AlgId): VerificationKey {
  const { publicKey, type } = pairFor(alg);
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  return { kind: 'public', label: alg, origin: 'pasted', spki, type };
}

async function privateCryptoKey(alg: AlgId): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(pairFor(alg).privateKey.export({ type: 'pkcs8', format: 'der' }));
  return crypto.subtle.importKey('pkcs8', pkcs8, ALGORITHMS[alg].importParams, false, ['sign']);
}

describe('the table', () => {
  it('names 13 JWS algorithms and maps the RFC 9421 names onto them', () => {
    expect(Object.keys(ALGORITHMS)).toHaveLength(13);
    expect(byRfc9421('rsa-pss-sha512')?.id).toBe('PS512');
    expect(byRfc9421('rsa-v1_5-sha256')?.id).toBe('RS256');
    expect(byRfc9421('ecdsa-p256-sha256')?.id).toBe('ES256');
    expect(byRfc9421('ecdsa-p384-sha384')?.id).toBe('ES384');
    expect(byRfc9421('ed25519')?.id).toBe('EdDSA');
    expect(byRfc9421('hmac-sha256')?.id).toBe('HS256');
    expect(byRfc9421('rsa-pss-sha256')).toBeUndefined();
  });
});

describe.each(asymmetric)('%s against node:crypto', (alg) => {
  it('what node signs verifies; altered data or signature does not', async () => {
    const { hash, key } = nodeOptions(alg, pairFor(alg).privateKey);
    const sig = new Uint8Array(nodeSign(hash, data, key));
    const k = await importVerifier(publicKeyOf(alg), alg);
    expect(k).not.toBeNull();
    expect(await verifySignature(alg, k!, sig, data)).toBe(true);
    expect(await verifySignature(alg, k!, sig, new TextEncoder().encode('GET /v1/orders?limit=11'))).toBe(
      false,
    );
    const bad = sig.slice();
    bad[5]! ^= 1;
    expect(await verifySignature(alg, k!, bad, data)).toBe(false);
  });

  it('what signBytes makes node verifies; the key reads back as this algorithm', async () => {
    const k = await privateCryptoKey(alg);
    expect(algOfCryptoKey(k)?.id).toBe(alg);
    const sig = await signBytes(alg, k, data);
    const { hash, key } = nodeOptions(alg, pairFor(alg).publicKey);
    expect(nodeVerify(hash, data, key, sig)).toBe(true);
  });

  it('a key of another kind is not imported for it', async () => {
    const other: AlgId = alg === 'EdDSA' ? 'ES256' : 'EdDSA';
    expect(await importVerifier(publicKeyOf(other), alg)).toBeNull();
    expect(await importVerifier({ kind: 'secret', label: 's', origin: 'pasted', secret }, alg)).toBeNull();
  });
});

describe('RSA padding and salt', () => {
  it('PKCS#1 v1.5 and PSS never verify each other; a PSS salt other than the hash length only with saltLength', async () => {
    const pkcs1 = new Uint8Array(nodeSign('sha256', data, rsa.privateKey));
    const pss = new Uint8Array(
      nodeSign('sha256', data, { key: rsa.privateKey, padding: PSS, saltLength: 32 }),
    );
    const salt20 = new Uint8Array(
      nodeSign('sha256', data, { key: rsa.privateKey, padding: PSS, saltLength: 20 }),
    );
    const rs = (await importVerifier(publicKeyOf('RS256'), 'RS256'))!;
    const ps = (await importVerifier(publicKeyOf('PS256'), 'PS256'))!;
    expect(await verifySignature('RS256', rs, pss, data)).toBe(false);
    expect(await verifySignature('PS256', ps, pkcs1, data)).toBe(false);
    expect(await verifySignature('PS256', ps, salt20, data)).toBe(false);
    expect(await verifySignature('PS256', ps, salt20, data, 20)).toBe(true);
    const signed = await signBytes('PS256', await privateCryptoKey('PS256'), data, 20);
    expect(nodeVerify('sha256', data, { key: rsa.publicKey, padding: PSS, saltLength: 20 }, signed)).toBe(
      true,
    );
  });

  it('a PSS-only key (id-RSASSA-PSS) fits PS but never RS', () => {
    const t: KeyType = { kty: 'RSA', bits: 2048, pss: { hash: 'SHA-256', saltLength: 32 } };
    expect(ALGORITHMS.PS256.fits(t)).toBe(true);
    expect(ALGORITHMS.PS512.fits(t)).toBe(false);
    expect(ALGORITHMS.RS256.fits(t)).toBe(false);
  });
});

describe.each(hmac)('%s against node:crypto', (alg) => {
  it('node createHmac verifies; signBytes equals it byte for byte', async () => {
    const hash = `sha${alg.slice(2)}`;
    const mac = new Uint8Array(createHmac(hash, secret).update(data).digest());
    const k = await importVerifier({ kind: 'secret', label: 's', origin: 'pasted', secret }, alg);
    expect(await verifySignature(alg, k!, mac, data)).toBe(true);
    expect(await verifySignature(alg, k!, mac.subarray(0, 20).slice(), data)).toBe(false);
    const signer = await importHmacSigner(secret, alg);
    expect(await signBytes(alg, signer, data)).toEqual(mac);
    expect(algOfCryptoKey(signer)).toBeUndefined();
  });
});

describe('derToRaw against node dsaEncoding der / ieee-p1363', () => {
  it.each([
    ['ES256', 32],
    ['ES384', 48],
    ['ES512', 66],
  ] as const)('%s: node DER converted verifies as node raw and in verifySignature', async (alg, size) => {
    const { privateKey, publicKey } = pairFor(alg);
    const hash = `sha${alg.slice(2)}`;
    const k = (await importVerifier(publicKeyOf(alg), alg))!;
    // ECDSA is randomised: several signatures meet r or s with a high bit or leading zeros.
    for (let i = 0; i < 8; i++) {
      const der = new Uint8Array(nodeSign(hash, data, { key: privateKey, dsaEncoding: 'der' }));
      expect(await verifySignature(alg, k, der, data)).toBe(false);
      const raw = derToRaw(der, size);
      expect(raw).toHaveLength(size * 2);
      expect(nodeVerify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw!)).toBe(true);
      expect(await verifySignature(alg, k, raw!, data)).toBe(true);
    }
  });

  it('refuses what is not DER: raw r‖s, a truncated or padded value, an integer too long', () => {
    const raw = new Uint8Array(
      nodeSign('sha256', data, { key: ec['P-256'].privateKey, dsaEncoding: 'ieee-p1363' }),
    );
    const der = new Uint8Array(nodeSign('sha256', data, { key: ec['P-256'].privateKey, dsaEncoding: 'der' }));
    expect(derToRaw(raw, 32)).toBeUndefined();
    expect(derToRaw(der.subarray(0, der.length - 1), 32)).toBeUndefined();
    expect(derToRaw(new Uint8Array([...der, 0]), 32)).toBeUndefined();
    expect(derToRaw(der, 16)).toBeUndefined();
  });
});

describe('readSignature and decodeAs against Buffer', () => {
  const bytes = new Uint8Array(nodeSign(null, data, ed.privateKey));
  const texts = {
    base64: Buffer.from(bytes).toString('base64'),
    base64url: Buffer.from(bytes).toString('base64url'),
    hex: Buffer.from(bytes).toString('hex'),
  } as const;

  it.each(Object.entries(texts))(
    '%s text reads back to the bytes, first in its own encoding',
    (enc, text) => {
      const e = enc as keyof typeof texts;
      expect(encodeAs(bytes, e)).toBe(text);
      expect(decodeAs(text, e)).toEqual(bytes);
      const readings = readSignature(`  ${text}\n`, e);
      expect(readings[0]).toEqual({ encoding: e, bytes });
    },
  );

  it('gives every reading a text allows, and none it does not', () => {
    // Hex digits are base64 and base64url too: three readings, the scheme's own first.
    expect(readSignature(texts.hex, 'hex').map((r) => r.encoding)).toEqual(['hex', 'base64', 'base64url']);
    expect(readSignature('ab+/', 'base64url').map((r) => r.encoding)).toEqual(['base64']);
    expect(readSignature('ab-_', 'base64').map((r) => r.encoding)).toEqual(['base64url']);
    expect(readSignature('not a signature!', 'base64')).toEqual([]);
    expect(decodeAs('abc', 'hex')).toBeUndefined();
    expect(decodeAs('', 'base64')).toBeUndefined();
  });
});
