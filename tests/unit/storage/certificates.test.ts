// The key store keeps a key's certificates across reloads (fake-indexeddb), adds one only once,
// loads records stored before certificates were kept, and refuses an extractable PSS twin.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import type { StoredKey } from '../../../src/lib/keys/stored-key';
import { createSelfSignedCertificate, readCertificate } from '../../../src/lib/x509/certificates';
import { certificateDer } from '../../../src/lib/x509/thumbprint';
import { tempDir } from '../support/helpers';

async function fresh() {
  vi.resetModules();
  return import('../../../src/storage/keystore');
}

async function entraKey(): Promise<StoredKey> {
  const pair = await generateKeyPair('rsa-pss-2048');
  return {
    id: crypto.randomUUID(),
    kind: 'pair',
    label: 'Microsoft Entra ID RSA-2048 PSS',
    partners: ['entra'],
    algorithm: 'RSA-2048',
    jwsAlg: 'PS256',
    createdAt: 1,
    origin: 'generated',
    spki: pair.spki,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    progress: { publicKeyExported: false, uploaded: {} },
  };
}

async function certOf(key: StoredKey, cn: string) {
  const made = await createSelfSignedCertificate(
    { privateKey: key.privateKey!, publicKey: key.publicKey },
    { commonName: cn },
    30,
  );
  return readCertificate(certificateDer(made.pem), 'generated');
}

describe('keystore: certificates', () => {
  beforeEach(async () => {
    const store = await fresh();
    for (const k of await store.listKeys()) await store.deleteKey(k.id);
  });

  it('keeps certificates across a reload, once each, oldest first', async () => {
    const store = await fresh();
    const key = await entraKey();
    await store.putKey(key);
    const a = await certOf(key, 'a');
    const b = await certOf(key, 'b');
    await store.updateKey(key.id, { certificates: [a] });
    const after = await store.updateKey(key.id, { certificates: [a, b] });
    expect(after.certificates?.map((c) => c.subject)).toEqual(['CN=a', 'CN=b']);
    const [again] = await (await fresh()).listKeys();
    expect(again!.certificates?.map((c) => c.x5tS256)).toEqual([a.x5tS256, b.x5tS256]);
    expect(Array.from(again!.certificates![0]!.der)).toEqual(Array.from(a.der));
    expect(again!.privateKey!.extractable).toBe(false);
    expect(again!.jwsAlg).toBe('PS256');
  });

  it('a record stored before certificates were kept still loads, and takes a certificate', async () => {
    const store = await fresh();
    const key = await entraKey();
    await store.putKey(key);
    const [old] = await (await fresh()).listKeys();
    expect(old!.certificates).toBeUndefined();
    const cert = await certOf(key, 'later');
    await (await fresh()).updateKey(key.id, { certificates: [cert] });
    const [now] = await (await fresh()).listKeys();
    expect(now!.certificates?.map((c) => c.subject)).toEqual(['CN=later']);
  });

  it('adding to a key no longer stored fails with ERR_STORAGE_NOT_FOUND', async () => {
    const store = await fresh();
    const key = await entraKey();
    const cert = await certOf(key, 'gone');
    await expect(store.updateKey('nope', { certificates: [cert] })).rejects.toMatchObject({
      code: 'ERR_STORAGE_NOT_FOUND',
    });
  });

  it('refuses a pair whose PSS twin private key is extractable', async () => {
    const store = await fresh();
    const key = await entraKey();
    const dir = tempDir();
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-out', join(dir, 'k.pem')], { stdio: 'pipe' });
    const pem = readFileSync(join(dir, 'k.pem'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const pss = await crypto.subtle.importKey('pkcs8', der, { name: 'RSA-PSS', hash: 'SHA-256' }, true, [
      'sign',
    ]);
    await expect(store.putKey({ ...key, pssPrivateKey: pss })).rejects.toMatchObject({
      code: 'ERR_STORAGE_EXTRACTABLE',
    });
  });
});
