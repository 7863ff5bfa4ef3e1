import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoredKey } from '../../../src/lib/keys/stored-key';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import type { KeybenchError } from '../../../src/lib/errors';

async function fresh() {
  vi.resetModules();
  return import('../../../src/storage/keystore');
}

async function makeKey(createdAt: number, label = 'k'): Promise<StoredKey> {
  const pair = await generateKeyPair('p-521');
  return {
    id: crypto.randomUUID(),
    kind: 'pair',
    label,
    partners: ['qitech'],
    algorithm: 'ECDSA P-521',
    jwsAlg: 'ES512',
    createdAt,
    origin: 'generated',
    spki: pair.spki,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    progress: { publicKeyExported: false, uploaded: {} },
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    // resetModules gives each test its own copy of errors.ts, so compare by name, not instanceof.
    return e instanceof Error && e.name === 'KeybenchError'
      ? (e as KeybenchError).code
      : `not a KeybenchError: ${String(e)}`;
  }
  return undefined;
}

describe('keystore', () => {
  beforeEach(async () => {
    const store = await fresh();
    for (const k of await store.listKeys()) await store.deleteKey(k.id);
  });

  it('round-trips CryptoKeys and metadata, oldest first, and the key still signs', async () => {
    const store = await fresh();
    const b = await makeKey(2000, 'second');
    const a = await makeKey(1000, 'first');
    await store.putKey(b);
    await store.putKey(a);
    const again = await (await fresh()).listKeys();
    expect(again.map((k) => k.label)).toEqual(['first', 'second']);
    const got = again[0]!;
    expect(got.privateKey!.extractable).toBe(false);
    expect(Array.from(got.spki)).toEqual(Array.from(a.spki));
    const data = new TextEncoder().encode('hello');
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, got.privateKey!, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-512' }, a.publicKey, sig, data)).toBe(true);
  });

  it('updates only label and progress', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    await store.putKey(k);
    const next = await store.updateKey(k.id, {
      label: 'renamed',
      progress: { publicKeyExported: true, uploaded: { qitech: true } },
    });
    expect(next.label).toBe('renamed');
    const [stored] = await store.listKeys();
    expect(stored?.label).toBe('renamed');
    expect(stored?.progress.uploaded).toEqual({ qitech: true });
  });

  it('concurrent changes to different metadata of one key all survive (one transaction each)', async () => {
    const store = await fresh();
    const k = await makeKey(1, 'before');
    await store.putKey(k);
    // Started together, each reads the record before any has written: a separate read and write
    // would let the last one put back the fields the others changed.
    const results = await Promise.all([
      store.updateKey(k.id, { label: 'after' }),
      store.updateKey(k.id, { progress: { uploaded: { qitech: true } } }),
      store.updateKey(k.id, { progress: { publicKeyExported: true } }),
      store.updateKey(k.id, { partners: { qredo: true } }),
      store.updateKey(k.id, { partners: { snowflake: true } }),
      store.updateKey(k.id, { progress: { uploaded: { snowflake: true } } }),
    ]);
    const [stored] = await (await fresh()).listKeys();
    expect({ label: stored?.label, partners: stored?.partners, progress: stored?.progress }).toEqual({
      label: 'after',
      partners: ['qitech', 'qredo', 'snowflake'],
      progress: { publicKeyExported: true, uploaded: { qitech: true, snowflake: true } },
    });
    // Each call returns the record its own transaction stored, the last one everything.
    expect(results.map((r) => [r.label, r.progress])).toEqual([
      ['after', { publicKeyExported: false, uploaded: {} }],
      ['after', { publicKeyExported: false, uploaded: { qitech: true } }],
      ['after', { publicKeyExported: true, uploaded: { qitech: true } }],
      ['after', { publicKeyExported: true, uploaded: { qitech: true } }],
      ['after', { publicKeyExported: true, uploaded: { qitech: true } }],
      ['after', { publicKeyExported: true, uploaded: { qitech: true, snowflake: true } }],
    ]);
    // The key material is untouched and still signs.
    const data = new TextEncoder().encode('hello');
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, stored!.privateKey!, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-512' }, k.publicKey, sig, data)).toBe(true);
  });

  it('a progress change keeps the steps it does not name', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    await store.putKey({ ...k, progress: { publicKeyExported: true, uploaded: { qredo: true } } });
    const next = await store.updateKey(k.id, { progress: { uploaded: { qitech: true } } });
    expect(next.progress).toEqual({ publicKeyExported: true, uploaded: { qredo: true, qitech: true } });
    await store.updateKey(k.id, { progress: { uploaded: { qitech: false } } });
    const [stored] = await store.listKeys();
    expect(stored?.progress).toEqual({ publicKeyExported: true, uploaded: { qredo: true, qitech: false } });
  });

  it('a partner can be served and let go; the others stay', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    await store.putKey(k);
    expect((await store.updateKey(k.id, { partners: { snowflake: true } })).partners).toEqual([
      'qitech',
      'snowflake',
    ]);
    expect((await store.updateKey(k.id, { partners: { snowflake: true } })).partners).toEqual([
      'qitech',
      'snowflake',
    ]);
    expect((await store.updateKey(k.id, { partners: { qitech: false } })).partners).toEqual(['snowflake']);
    const [stored] = await store.listKeys();
    expect(stored?.partners).toEqual(['snowflake']);
  });

  it.each([
    ['qredo', true, ['qredo'], { qredo: true }],
    ['qitech', false, ['qitech'], { qitech: false }],
    ['ed25519', true, ['binance'], { binance: true }],
    [null, false, [], {}],
    ['constructor', true, [], {}],
    ['__proto__', true, [], {}],
  ] as const)(
    'a record stored before partner profiles (profile %s, uploaded %s) is read as serving %j',
    async (profile, uploaded, partners, progress) => {
      const store = await fresh();
      const k = await makeKey(1);
      const { partners: _drop, ...rest } = k;
      void _drop;
      // Written as keybench 0.1 wrote it, straight through idb-keyval.
      const { createStore, set } = await import('idb-keyval');
      await set(
        k.id,
        { ...rest, profile, progress: { publicKeyExported: false, uploaded } },
        createStore('keybench', 'keys'),
      );
      const [read] = await store.listKeys();
      expect(read?.partners).toEqual(partners);
      expect(read?.progress).toEqual({ publicKeyExported: false, uploaded: progress });
      expect(read).not.toHaveProperty('profile');
      // A change to the old record writes it in the new shape.
      await store.updateKey(k.id, { label: 'x' });
      const { get } = await import('idb-keyval');
      expect(await get(k.id, createStore('keybench', 'keys'))).toMatchObject({ partners, label: 'x' });
      expect(await get(k.id, createStore('keybench', 'keys'))).not.toHaveProperty('profile');
    },
  );

  it('whose key: a public key keeps its owner, can be given one, and a pair stays mine', async () => {
    const store = await fresh();
    const pair = await makeKey(1, 'pair');
    const { privateKey: _p, ...pub } = await makeKey(2, 'public');
    void _p;
    // Both written as keybench wrote them before keys had owners, straight through idb-keyval.
    const { createStore, set, get } = await import('idb-keyval');
    const idb = createStore('keybench', 'keys');
    await set(pair.id, pair, idb);
    await set(pub.id, { ...pub, kind: 'public', partners: [] }, idb);
    const [p0, q0] = await store.listKeys();
    expect(p0?.owner).toBe('mine');
    expect(q0).not.toHaveProperty('owner');
    // The one step that sets it; it persists.
    expect((await store.updateKey(pub.id, { owner: 'qitech' })).owner).toBe('qitech');
    const [, q1] = await (await fresh()).listKeys();
    expect(q1?.owner).toBe('qitech');
    expect(await get(pub.id, idb)).toMatchObject({ owner: 'qitech' });
    // A pair can never be a partner's key, by update or by put; nothing changes.
    expect(await codeOf(store.updateKey(pair.id, { owner: 'qitech' }))).toBe('ERR_STORAGE_WRITE');
    expect(await codeOf(store.putKey({ ...pair, owner: 'qitech' }))).toBe('ERR_STORAGE_WRITE');
    expect((await store.listKeys())[0]?.owner).toBe('mine');
    // An owner keybench does not know (a record is data) reads as none.
    await set(pub.id, { ...pub, kind: 'public', partners: [], owner: 'constructor' }, idb);
    expect((await store.listKeys())[1]).not.toHaveProperty('owner');
  });

  it('deletes', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    await store.putKey(k);
    await store.deleteKey(k.id);
    expect(await store.listKeys()).toEqual([]);
  });

  it('ERR_STORAGE_EXTRACTABLE: refuses a private key that can be exported', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    const extractable = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    expect(await codeOf(store.putKey({ ...k, privateKey: extractable.privateKey }))).toBe(
      'ERR_STORAGE_EXTRACTABLE',
    );
    expect(await store.listKeys()).toEqual([]);
  });

  it('ERR_STORAGE_WRITE: refuses a trusted public key carrying a private key', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    expect(await codeOf(store.putKey({ ...k, kind: 'public' }))).toBe('ERR_STORAGE_WRITE');
  });

  it('ERR_STORAGE_NOT_FOUND: updating a key deleted elsewhere', async () => {
    const store = await fresh();
    expect(await codeOf(store.updateKey('missing', { label: 'x' }))).toBe('ERR_STORAGE_NOT_FOUND');
  });

  it('ERR_STORAGE_WRITE: a failing write leaves nothing behind', async () => {
    const store = await fresh();
    const k = await makeKey(1);
    // A function cannot be structured-cloned, so IndexedDB rejects the whole put.
    const bad = { ...k, label: (() => 'x') as unknown as string };
    expect(await codeOf(store.putKey(bad))).toBe('ERR_STORAGE_WRITE');
    expect(await store.listKeys()).toEqual([]);
  });

  it('a first visit reads no keys without creating the database; the first key creates it', async () => {
    const saved = globalThis.indexedDB;
    try {
      globalThis.indexedDB = new IDBFactory(); // a browser profile that never saw keybench
      const store = await fresh();
      const names = async () => (await indexedDB.databases()).map((d) => d.name);
      expect(await store.listKeys()).toEqual([]);
      expect(await names()).toEqual([]);
      await store.putKey(await makeKey(1, 'first key'));
      expect(await names()).toEqual(['keybench']);
      expect((await (await fresh()).listKeys()).map((k) => k.label)).toEqual(['first key']);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('ERR_STORAGE_UNAVAILABLE: no IndexedDB at all', async () => {
    const saved = globalThis.indexedDB;
    try {
      // @ts-expect-error simulating a browser without IndexedDB
      delete globalThis.indexedDB;
      const store = await fresh();
      expect(await codeOf(store.listKeys())).toBe('ERR_STORAGE_UNAVAILABLE');
      expect(await codeOf(store.putKey(await makeKey(1)))).toBe('ERR_STORAGE_UNAVAILABLE');
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
