// Message-level encryption (JWE): keybench's reading, refusals, partner conventions and the
// "Decrypted" rule, with real WebCrypto, cross-checked both ways against jose, Debian's
// python3-jwcrypto (Visa's sample scheme) and mastercard-client-encryption (its 16-byte IV and "/").
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompactEncrypt, compactDecrypt, importPKCS8 } from 'jose';
import { inspectJwe } from '../../../src/lib/jwe/inspect';
import { encryptFor, mastercardFingerprint } from '../../../src/lib/jwe/encrypt';
import { explainHeader, findJwe, parseJwe } from '../../../src/lib/jwe/parse';
import { decryptWithKey } from '../../../src/lib/jwe/decrypt';
import { decideDecryption } from '../../../src/lib/trust/decryption';
import type { StoredKey } from '../../../src/lib/keys/stored-key';
import { openssl, tempDir, writeTemp } from '../support/helpers';

const PAYLOAD = '{"acctNumber":"4111111111111111","amount":"10.00","note":"é ✓"}';
const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;

interface Fixture {
  dir: string;
  keyPath: string;
  certPath: string;
  pkcs8Pem: string;
  spki: Uint8Array<ArrayBuffer>;
  stored: StoredKey;
}

/** An RSA-2048 key pair made by openssl, stored as keybench stores it: private key non-extractable. */
async function fixture(label: string): Promise<Fixture> {
  const dir = tempDir();
  const keyPath = `${dir}/key.pem`;
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath]);
  const certPath = `${dir}/cert.pem`;
  openssl([
    'req',
    '-new',
    '-x509',
    '-key',
    keyPath,
    '-subj',
    '/CN=keybench test',
    '-days',
    '2',
    '-out',
    certPath,
  ]);
  const pkcs8Pem = readFileSync(keyPath, 'utf8');
  const spki = new Uint8Array(
    execFileSync('openssl', ['pkey', '-in', keyPath, '-pubout', '-outform', 'DER']),
  );
  const der = Buffer.from(pkcs8Pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const privateKey = await crypto.subtle.importKey('pkcs8', der, OAEP, false, ['decrypt']);
  const publicKey = await crypto.subtle.importKey('spki', spki, OAEP, true, ['encrypt']);
  expect(privateKey.extractable).toBe(false);
  const stored: StoredKey = {
    id: label,
    kind: 'pair',
    label,
    partners: [],
    algorithm: 'RSA-OAEP-256 2048',
    jwsAlg: 'RS256',
    createdAt: 0,
    origin: 'imported',
    spki,
    publicKey,
    privateKey,
    progress: { publicKeyExported: false, uploaded: {} },
    owner: 'mine',
  };
  return { dir, keyPath, certPath, pkcs8Pem, spki, stored };
}

let me: Fixture;
let other: Fixture;
beforeAll(async () => {
  [me, other] = await Promise.all([fixture('My encryption key'), fixture('Another key')]);
});

/** jose (node) encrypting to `f`'s public key. */
async function joseEncrypt(f: Fixture, header: Record<string, unknown>, payload = PAYLOAD): Promise<string> {
  const key = await crypto.subtle.importKey('spki', f.spki, OAEP, false, ['encrypt']);
  return new CompactEncrypt(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', ...header })
    .encrypt(key);
}

/** Change one character of part `index` (keeping it base64url). */
function tamper(compact: string, index: number): string {
  const parts = compact.split('.');
  const p = parts[index]!;
  const at = Math.floor(p.length / 2);
  parts[index] = p.slice(0, at) + (p[at] === 'A' ? 'B' : 'A') + p.slice(at + 1);
  return parts.join('.');
}

const b64u = (s: string) => Buffer.from(s).toString('base64url');

describe('reading a JWE', () => {
  it('finds the compact JWE in each partner body, nested Mastercard field included', async () => {
    const jwe = await joseEncrypt(me, {});
    expect(findJwe(jwe)?.wrapper).toBe('compact');
    expect(findJwe(JSON.stringify({ encData: jwe }))?.wrapper).toBe('encData');
    expect(findJwe(JSON.stringify({ encryptedRequest: jwe }))?.wrapper).toBe('encryptedRequest');
    expect(findJwe(JSON.stringify({ encryptedResponse: jwe }))?.wrapper).toBe('encryptedResponse');
    const nested = findJwe(JSON.stringify({ data: { card: { encryptedValue: jwe } } }));
    expect(nested).toEqual({ wrapper: 'encryptedValue', compact: jwe });
    expect(findJwe('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBeNull();
  });

  it('explains iat in milliseconds and in seconds, and each member', () => {
    const ms = explainHeader({
      alg: 'RSA-OAEP-256',
      enc: 'A128GCM',
      iat: 1_765_000_000_000,
      kid: 'k',
      cty: 'application/json',
      zip: 'DEF',
    });
    expect(ms.find((m) => m.name === 'iat')?.meaning).toMatch(/milliseconds.*2025-12-06/);
    const s = explainHeader({ iat: 1_765_000_000 });
    expect(s[0]!.meaning).toMatch(/in seconds: 2025-12-06/);
    expect(ms.map((m) => m.name)).toEqual(['alg', 'enc', 'iat', 'kid', 'cty', 'zip']);
    expect(ms.every((m) => m.meaning.length > 10)).toBe(true);
  });

  it('refuses truncated parts, non-base64url characters and a header that is not JSON, each by its code', async () => {
    const jwe = await joseEncrypt(me, {});
    const parts = jwe.split('.');
    expect((await inspectJwe(parts.slice(0, 4).join('.'), [me.stored])).code).toBe('ERR_JWE_SEGMENTS');
    expect((await inspectJwe(jwe.replace('.', '.*'), [me.stored])).code).toBe('ERR_JWE_BASE64URL');
    expect((await inspectJwe([b64u('not json'), ...parts.slice(1)].join('.'), [me.stored])).code).toBe(
      'ERR_JWE_HEADER',
    );
    expect((await inspectJwe(['', ...parts.slice(1)].join('.'), [me.stored])).code).toBe('ERR_JWE_SEGMENTS');
    expect((await inspectJwe('{"nothing":"here"}', [me.stored])).code).toBe('ERR_JWE_NOT_FOUND');
  });
});

describe('decrypting', () => {
  it('decrypts what jose encrypts to a stored key of the user own: Decrypted, plaintext shown', async () => {
    const jwe = await joseEncrypt(me, { kid: 'anything' });
    const r = await inspectJwe(JSON.stringify({ encryptedResponse: jwe }), [other.stored, me.stored]);
    expect(r.state).toBe('decrypted');
    expect(r.code).toBe('OK');
    expect(r.plaintext).toBe(PAYLOAD);
    expect(r.keyLabel).toBe('My encryption key');
    expect(r.message).toMatch(/proves nothing about who sent it/);
  });

  it('names the tag failure for a changed byte in the header, IV, ciphertext or tag', async () => {
    const jwe = await joseEncrypt(me, {});
    for (const i of [2, 3, 4]) {
      const r = await inspectJwe(tamper(jwe, i), [me.stored]);
      expect(r.state).toBe('failed');
      expect(r.code).toBe('ERR_JWE_TAG');
      expect(r.plaintext).toBeUndefined();
    }
    // A header still JSON but changed: the AAD differs.
    const parts = jwe.split('.');
    const h = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString());
    const changed = [b64u(JSON.stringify({ ...h, kid: 'x' })), ...parts.slice(1)].join('.');
    expect((await inspectJwe(changed, [me.stored])).code).toBe('ERR_JWE_TAG');
  });

  it('names a kid no stored key has, and a JWE for another key', async () => {
    const jwe = await joseEncrypt(other, { kid: 'visa-key-id-123' });
    const r = await inspectJwe(jwe, [me.stored]);
    expect(r.code).toBe('ERR_JWE_KID_UNKNOWN');
    expect(r.message).toContain('"visa-key-id-123"');
    const noKid = await joseEncrypt(other, {});
    expect((await inspectJwe(noKid, [me.stored])).code).toBe('ERR_JWE_WRONG_KEY');
    expect((await inspectJwe(noKid, [])).code).toBe('ERR_JWE_NO_KEY');
  });

  it('matches the kid to the key fingerprint (Mastercard) and certificate serial (CyberSource)', async () => {
    const fp = await mastercardFingerprint(me.spki);
    const r = await inspectJwe(await joseEncrypt(me, { kid: fp }), [other.stored, me.stored]);
    expect(r.state).toBe('decrypted');
    expect(r.notes.join(' ')).not.toMatch(/none of this key's identifiers/);
  });

  it('refuses RSA1_5 with the reason, and other algorithms by code', async () => {
    const h = (o: object) =>
      [b64u(JSON.stringify(o)), 'AAAA', 'AAAAAAAAAAAAAAAA', 'AAAA', 'AAAAAAAAAAAAAAAAAAAAAA'].join('.');
    const r = await inspectJwe(h({ alg: 'RSA1_5', enc: 'A128GCM' }), [me.stored]);
    expect(r.code).toBe('ERR_JWE_ALG');
    expect(r.message).toMatch(/padding-oracle/);
    expect(r.header?.[0]?.meaning).toMatch(/refused/);
    expect((await inspectJwe(h({ alg: 'dir', enc: 'A128GCM' }), [me.stored])).code).toBe('ERR_JWE_ALG');
    expect((await inspectJwe(h({ alg: 'RSA-OAEP-256', enc: 'A1GCM' }), [me.stored])).code).toBe(
      'ERR_JWE_ENC',
    );
    expect((await inspectJwe(h({ alg: 'RSA-OAEP-256', enc: 'A128GCM', zip: 'DEF' }), [me.stored])).code).toBe(
      'ERR_JWE_ZIP',
    );
  });

  it('refuses a key of the wrong type by code, and never tries a signing key', async () => {
    const jwe = parseJwe(await joseEncrypt(me, {}));
    const signing = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      false,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    await expect(decryptWithKey(jwe, signing.privateKey)).rejects.toMatchObject({ code: 'ERR_JWE_KEY_TYPE' });
    await expect(decryptWithKey(jwe, me.stored.publicKey)).rejects.toMatchObject({
      code: 'ERR_JWE_KEY_TYPE',
    });
    const asSigning = { ...me.stored, privateKey: signing.privateKey };
    expect((await inspectJwe(jwe.parts.join('.'), [asSigning])).code).toBe('ERR_JWE_NO_KEY');
  });

  it('decides Decrypted only for the user own pair with a tag that held', () => {
    expect(decideDecryption(me.stored, true)).toBe('decrypted');
    expect(decideDecryption(me.stored, false)).toBe('failed');
    expect(decideDecryption(undefined, true)).toBe('failed');
    expect(decideDecryption({ ...me.stored, kind: 'public' }, true)).toBe('failed');
    expect(decideDecryption({ ...me.stored, owner: 'qredo' }, true)).toBe('failed');
    const { privateKey: _, ...noPrivate } = me.stored;
    expect(decideDecryption(noPrivate, true)).toBe('failed');
  });

  it('reads a megabyte payload', async () => {
    const big = 'x'.repeat(1_000_000);
    const r = await inspectJwe(await joseEncrypt(me, {}, big), [me.stored]);
    expect(r.state).toBe('decrypted');
    expect(r.plaintext?.length).toBe(1_000_000);
  });
});

describe('encrypting by partner conventions (jose decrypts)', () => {
  const now = 1_765_000_000_123;
  /** jose decrypting with the fixture's private key. */
  async function joseDecrypt(compact: string, f: Fixture) {
    const key = await importPKCS8(f.pkcs8Pem, 'RSA-OAEP-256');
    return compactDecrypt(compact, key);
  }

  it('Visa: A128GCM, typ JWE, kid, iat in ms, {"encData"} and a keyId header', async () => {
    const out = await encryptFor({
      partner: 'visa',
      spki: me.spki,
      payload: PAYLOAD,
      kid: 'abc-key-id',
      now,
    });
    const { plaintext, protectedHeader } = await joseDecrypt(out.compact, me);
    expect(new TextDecoder().decode(plaintext)).toBe(PAYLOAD);
    expect(protectedHeader).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A128GCM',
      typ: 'JWE',
      kid: 'abc-key-id',
      iat: now,
    });
    expect(JSON.parse(out.body)).toEqual({ encData: out.compact });
    expect(out.headers.keyId).toBe('abc-key-id');
  });

  it('CyberSource: A256GCM, kid = certificate serial, iat, {"encryptedRequest"}', async () => {
    const out = await encryptFor({
      partner: 'cybersource',
      spki: me.spki,
      payload: PAYLOAD,
      kid: '7a3f',
      now,
    });
    const { protectedHeader } = await joseDecrypt(out.compact, me);
    expect(protectedHeader).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: '7a3f',
      iat: Math.floor(now / 1000),
    });
    expect(JSON.parse(out.body)).toEqual({ encryptedRequest: out.compact });
  });

  it('Mastercard: A256GCM, cty application/json, kid = SHA-256 of the SPKI in hex', async () => {
    const out = await encryptFor({ partner: 'mastercard', spki: me.spki, payload: PAYLOAD, now });
    const { protectedHeader } = await joseDecrypt(out.compact, me);
    const fp = openssl(['dgst', '-sha256', '-r'], me.spki).split(' ')[0];
    expect(protectedHeader).toEqual({
      kid: fp,
      cty: 'application/json',
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
    });
    expect(JSON.parse(out.body)).toEqual({ encryptedValue: out.compact });
  });

  it('refuses a missing Key-ID, and a key that is not RSA', async () => {
    await expect(encryptFor({ partner: 'visa', spki: me.spki, payload: 'x', now })).rejects.toMatchObject({
      code: 'ERR_JWE_INPUT',
    });
    const ec = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', ec.publicKey));
    await expect(encryptFor({ partner: 'plain', spki, payload: 'x', now })).rejects.toMatchObject({
      code: 'ERR_JWE_KEY_TYPE',
    });
  });

  it('round-trips through inspect: Decrypted for every partner', async () => {
    for (const partner of ['visa', 'cybersource', 'mastercard', 'plain'] as const) {
      const out = await encryptFor({ partner, spki: me.spki, payload: PAYLOAD, kid: 'k1', now });
      const r = await inspectJwe(out.body, [me.stored]);
      expect(r.state, partner).toBe('decrypted');
      expect(r.plaintext).toBe(PAYLOAD);
    }
  });
});

/** Run Debian's python3 with jwcrypto (never skipped: a missing module fails the test). */
function jwcrypto(script: string, input: string): string {
  return execFileSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
}

describe("Visa's sample scheme with Debian's python3-jwcrypto, both ways", () => {
  it('keybench decrypts what jwcrypto encrypts with Visa headers', async () => {
    const script = `
import sys, json, time
from jwcrypto import jwk, jwe
key = jwk.JWK.from_pem(open(${JSON.stringify(me.certPath)}, 'rb').read())
hdr = {"alg": "RSA-OAEP-256", "enc": "A128GCM", "typ": "JWE", "kid": "visa-kid", "iat": int(time.time() * 1000)}
token = jwe.JWE(sys.stdin.read().encode(), recipient=key, protected=json.dumps(hdr))
print(json.dumps({"encData": token.serialize(compact=True)}))
`;
    const body = jwcrypto(script, PAYLOAD).trim();
    const r = await inspectJwe(body, [me.stored]);
    expect(r.wrapper).toBe('encData');
    expect(r.state).toBe('decrypted');
    expect(r.plaintext).toBe(PAYLOAD);
    expect(r.header?.find((m) => m.name === 'iat')?.meaning).toMatch(/milliseconds/);
  });

  it('jwcrypto decrypts what keybench encrypts for Visa', async () => {
    const out = await encryptFor({
      partner: 'visa',
      spki: me.spki,
      payload: PAYLOAD,
      kid: 'visa-kid',
      now: Date.now(),
    });
    const script = `
import sys, json
from jwcrypto import jwk, jwe
key = jwk.JWK.from_pem(open(${JSON.stringify(me.keyPath)}, 'rb').read())
token = jwe.JWE()
token.deserialize(json.loads(sys.stdin.read())["encData"], key=key)
sys.stdout.write(token.payload.decode())
`;
    expect(jwcrypto(script, out.body)).toBe(PAYLOAD);
  });
});

describe('mastercard-client-encryption (JWE mode), both ways', () => {
  const require = createRequire(import.meta.url);
  /** The SDK's JweCrypto configured with the fixture's certificate and private key. */
  function sdk(f: Fixture) {
    const JweCrypto = require('mastercard-client-encryption/lib/mcapi/crypto/jwe-crypto.js');
    return new JweCrypto({
      paths: [
        {
          path: '/resource',
          toEncrypt: [{ element: 'data', obj: 'data' }],
          toDecrypt: [{ element: 'data', obj: 'data' }],
        },
      ],
      mode: 'JWE',
      encryptedValueFieldName: 'encryptedValue',
      encryptionCertificate: f.certPath,
      privateKey: writeTemp(f.dir, 'key-for-sdk.pem', f.pkcs8Pem),
    });
  }

  it('keybench decrypts the SDK output (16-byte IV, "/" in its base64url) and notes both', async () => {
    let sawSlash = false;
    // Several runs: whether "/" appears depends on the random bytes.
    for (let i = 0; i < 6; i++) {
      const body = sdk(me).encryptData({ data: JSON.parse(PAYLOAD) }) as { encryptedValue: string };
      const parsed = parseJwe(JSON.stringify(body));
      expect(parsed.iv.length).toBe(16);
      sawSlash ||= body.encryptedValue.includes('/');
      const r = await inspectJwe(JSON.stringify({ data: body }), [me.stored]);
      expect(r.state).toBe('decrypted');
      expect(JSON.parse(r.plaintext!)).toEqual(JSON.parse(PAYLOAD));
      expect(r.notes.join(' ')).toMatch(/16 bytes/);
      if (body.encryptedValue.includes('/')) expect(r.notes.join(' ')).toMatch(/"\/"/);
      expect(r.header?.find((m) => m.name === 'kid')?.value).toBe(
        JSON.stringify(await mastercardFingerprint(me.spki)),
      );
    }
    expect(sawSlash).toBe(true);
  });

  it('a changed byte in the SDK output is a tag failure', async () => {
    const body = sdk(me).encryptData({ data: JSON.parse(PAYLOAD) }) as { encryptedValue: string };
    const r = await inspectJwe(JSON.stringify({ encryptedValue: tamper(body.encryptedValue, 3) }), [
      me.stored,
    ]);
    expect(r.code).toBe('ERR_JWE_TAG');
  });

  it('the SDK decrypts what keybench encrypts for Mastercard', async () => {
    const out = await encryptFor({ partner: 'mastercard', spki: me.spki, payload: PAYLOAD, now: Date.now() });
    expect(sdk(me).decryptData(JSON.parse(out.body).encryptedValue)).toEqual(JSON.parse(PAYLOAD));
  });
});

describe('the encryption key pair keybench generates', () => {
  it('is a non-extractable RSA-OAEP-256 2048 key that decrypts and never signs, exported as an enc JWK', async () => {
    const { generateKeyPair } = await import('../../../src/lib/keys/generate');
    const { keyTypeOf } = await import('../../../src/lib/keys/key-type');
    const { publicJwk } = await import('../../../src/lib/keys/export');
    const pair = await generateKeyPair('rsa-oaep-2048');
    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.privateKey.algorithm).toMatchObject({
      name: 'RSA-OAEP',
      modulusLength: 2048,
      hash: { name: 'SHA-256' },
    });
    expect(pair.privateKey.usages).toEqual(['decrypt']);
    expect(keyTypeOf(pair.publicKey)).toEqual({ kty: 'RSA', bits: 2048, oaep: true });
    expect(await publicJwk(pair.publicKey, 'RSA-OAEP-256')).toMatchObject({
      alg: 'RSA-OAEP-256',
      use: 'enc',
      kty: 'RSA',
    });
    const stored: StoredKey = {
      ...me.stored,
      id: 'gen',
      label: 'Generated',
      spki: pair.spki,
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
    };
    const out = await encryptFor({ partner: 'mastercard', spki: pair.spki, payload: PAYLOAD, now: 0 });
    const r = await inspectJwe(out.body, [me.stored, stored]);
    expect(r.state).toBe('decrypted');
    expect(r.keyLabel).toBe('Generated');
  });
});

describe('importing a private key for message-level encryption', () => {
  it('an RSA private key with an encryption partner chosen becomes a non-extractable decryption key that decrypts', async () => {
    const { storedKeyFromText } = await import('../../../src/lib/keys/import-stored');
    const { key, message } = await storedKeyFromText(me.pkcs8Pem, '', 'visa');
    expect(key).toMatchObject({ kind: 'pair', owner: 'mine', partners: ['visa'], jwsAlg: 'RSA-OAEP-256' });
    expect(key.label).toMatch(/^Visa encryption key /);
    expect(key.privateKey!.extractable).toBe(false);
    expect(key.privateKey!.algorithm.name).toBe('RSA-OAEP');
    expect(key.privateKey!.usages).toEqual(['decrypt']);
    expect(message).toMatch(/cannot sign/);
    const r = await inspectJwe(await joseEncrypt(me, { kid: 'x' }), [key]);
    expect(r.state).toBe('decrypted');
    // The same text with Mine is a signing key, as before: never tried for decryption.
    const signing = (await storedKeyFromText(me.pkcs8Pem, '', 'mine')).key;
    expect(signing.jwsAlg).toBe('RS256');
    expect((await inspectJwe(await joseEncrypt(me, {}), [signing])).code).toBe('ERR_JWE_NO_KEY');
  });

  it('refuses a key that is not RSA', async () => {
    const { storedKeyFromText } = await import('../../../src/lib/keys/import-stored');
    const ec = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    await expect(storedKeyFromText(ec, '', 'mastercard')).rejects.toMatchObject({
      code: 'ERR_KEY_UNSUPPORTED',
    });
  });
});
