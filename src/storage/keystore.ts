/**
 * The only module that touches IndexedDB. Each keyring entry is one idb-keyval value, written in
 * one transaction, so a failed write leaves nothing half-written.
 */
import { createStore, del, set, update, values, type UseStore } from 'idb-keyval';
import { KeybenchError } from '../lib/errors';
import type { PartnerId } from '../lib/partner-profile';
import { upgradeStoredKey, type StoredCertificate, type StoredKey } from '../lib/keys/stored-key';
import type { KeyOwner } from '../lib/trust/owner';

let store: UseStore | undefined;

function keyStore(): UseStore {
  if (typeof indexedDB === 'undefined') {
    throw new KeybenchError(
      'ERR_STORAGE_UNAVAILABLE',
      'This browser offers no IndexedDB here, so keys cannot be kept.',
    );
  }
  store ??= createStore('keybench', 'keys');
  return store;
}

function wrap(
  code: 'ERR_STORAGE_UNAVAILABLE' | 'ERR_STORAGE_WRITE',
  what: string,
  e: unknown,
): KeybenchError {
  if (e instanceof KeybenchError) return e;
  const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new KeybenchError(code, `${what} (${reason}).`, { cause: e });
}

/**
 * Every stored key, oldest first.
 * @throws KeybenchError ERR_STORAGE_UNAVAILABLE when IndexedDB cannot be opened (e.g. private browsing).
 */
export async function listKeys(): Promise<StoredKey[]> {
  try {
    const store = keyStore();
    // A first visit has no key store yet, and creating one costs a browser ~100 ms: leave that
    // to the first key. (Browsers without indexedDB.databases() just open it.)
    const existing = await indexedDB.databases?.();
    if (existing && !existing.some((d) => d.name === 'keybench')) return [];
    const all = (await values<Parameters<typeof upgradeStoredKey>[0]>(store)).map(upgradeStoredKey);
    return all.sort((a, b) => a.createdAt - b.createdAt);
  } catch (e) {
    throw wrap('ERR_STORAGE_UNAVAILABLE', 'The key store could not be read', e);
  }
}

/**
 * Store a new or replaced key. Refuses an extractable private key: keybench keeps only keys
 * whose bytes nobody can read.
 * @throws KeybenchError ERR_STORAGE_EXTRACTABLE, ERR_STORAGE_WRITE, ERR_STORAGE_UNAVAILABLE
 */
export async function putKey(key: StoredKey): Promise<void> {
  if ([key.privateKey, key.pssPrivateKey].some((k) => k?.extractable)) {
    throw new KeybenchError(
      'ERR_STORAGE_EXTRACTABLE',
      'Refusing to store a private key that can be exported.',
    );
  }
  if (key.kind === 'pair' && key.owner !== undefined && key.owner !== 'mine') {
    throw new KeybenchError('ERR_STORAGE_WRITE', "A key pair is always your own key, never a partner's.");
  }
  if (key.kind === 'public' && (key.privateKey || key.pssPrivateKey)) {
    throw new KeybenchError('ERR_STORAGE_WRITE', 'A trusted public key must not carry a private key.');
  }
  try {
    await set(key.id, key, keyStore());
  } catch (e) {
    throw wrap('ERR_STORAGE_WRITE', 'The key could not be saved', e);
  }
}

/**
 * A change to a stored key's metadata: a new label, some onboarding steps, partners it starts or
 * stops serving. Per-partner entries are merged one by one, so two changes at once both land.
 */
export interface KeyMetadataPatch {
  label?: string;
  progress?: { publicKeyExported?: boolean; uploaded?: Partial<Record<PartnerId, boolean>> };
  partners?: Partial<Record<PartnerId, boolean>>;
  /** Whose key a trusted public key is. A key pair is always the user's own: setting a partner throws. */
  owner?: KeyOwner;
  /** Certificates of the key to keep with it (one already kept is not added again). */
  certificates?: readonly StoredCertificate[];
}

/** The key's certificates with `added` merged in: one entry per certificate (by SHA-256), oldest first. */
export function mergeCertificates(
  current: readonly StoredCertificate[] | undefined,
  added: readonly StoredCertificate[],
): StoredCertificate[] {
  const out = [...(current ?? [])];
  for (const c of added) if (!out.some((o) => o.x5tS256 === c.x5tS256)) out.push(c);
  return out;
}

/**
 * The record with the patch applied (pure: the caller runs it inside the write transaction).
 * @throws KeybenchError ERR_STORAGE_WRITE when the patch would make a key pair a partner's key.
 */
function applyPatch(current: StoredKey, patch: KeyMetadataPatch): StoredKey {
  if (patch.owner !== undefined && current.kind === 'pair' && patch.owner !== 'mine') {
    throw new KeybenchError(
      'ERR_STORAGE_WRITE',
      "A key pair is always your own key: only a trusted public key can be a partner's.",
    );
  }
  let partners = current.partners;
  for (const [id, on] of Object.entries(patch.partners ?? {}) as [PartnerId, boolean][]) {
    partners = on ? (partners.includes(id) ? partners : [...partners, id]) : partners.filter((p) => p !== id);
  }
  return {
    ...current,
    ...(patch.label === undefined ? {} : { label: patch.label }),
    ...(patch.owner === undefined ? {} : { owner: patch.owner }),
    ...(patch.certificates && { certificates: mergeCertificates(current.certificates, patch.certificates) }),
    partners,
    progress: {
      publicKeyExported: patch.progress?.publicKeyExported ?? current.progress.publicKeyExported,
      uploaded: { ...current.progress.uploaded, ...patch.progress?.uploaded },
    },
  };
}

/**
 * Change a stored key's metadata (label, progress, partners, whose key, certificates) and return the record as stored. The read and
 * the write are one IndexedDB transaction, and the patch is merged into the record read there, so
 * concurrent changes (a rename while a step is ticked, two steps at once) all land. The key
 * material cannot be changed this way.
 * @throws KeybenchError ERR_STORAGE_NOT_FOUND, ERR_STORAGE_WRITE, ERR_STORAGE_UNAVAILABLE
 */
export async function updateKey(id: string, patch: KeyMetadataPatch): Promise<StoredKey> {
  let next: StoredKey | undefined;
  try {
    await update<Parameters<typeof upgradeStoredKey>[0]>(
      id,
      (current) => {
        if (!current)
          throw new KeybenchError(
            'ERR_STORAGE_NOT_FOUND',
            'That key is no longer stored (deleted in another tab?).',
          );
        next = applyPatch(upgradeStoredKey(current), patch);
        return next;
      },
      keyStore(),
    );
  } catch (e) {
    throw wrap('ERR_STORAGE_WRITE', 'The key could not be saved', e);
  }
  return next!;
}

/**
 * Delete a stored key for good.
 * @throws KeybenchError ERR_STORAGE_WRITE
 */
export async function deleteKey(id: string): Promise<void> {
  try {
    await del(id, keyStore());
  } catch (e) {
    throw wrap('ERR_STORAGE_WRITE', 'The key could not be deleted', e);
  }
}
