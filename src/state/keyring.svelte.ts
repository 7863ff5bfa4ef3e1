import { messageOf } from '../lib/errors';
import type { KeyOwner } from '../lib/trust/owner';
import { generateKeyPair } from '../lib/keys/generate';
import { describeKeyType, keyTypeOf } from '../lib/keys/key-type';
import type { KeyDetails } from '../lib/keys/details';
import { keySpecById, type KeySpecId } from '../lib/keys/key-specs';
import type { PartnerId } from '../lib/partner-profile';
import { defaultLabel, type StoredCertificate, type StoredKey } from '../lib/keys/stored-key';
import { deleteKey, listKeys, putKey, updateKey, type KeyMetadataPatch } from '../storage/keystore';

const CHANNEL = 'keybench-keys';

/**
 * What the browser promises about our storage: still asking it (`checking`), `persistent`,
 * `best-effort`, or `asking` (persist() was called after the user's first key; the browser, or the
 * user through its prompt, has not answered yet).
 */
export type Persistence = 'checking' | 'persistent' | 'best-effort' | 'asking';

/** The keyring: the stored keys, their derived details, and what the storage can promise. */
class Keyring {
  #keys = $state.raw<StoredKey[]>([]);
  #details = $state.raw<Record<string, KeyDetails>>({});
  /** Unique names by key id (see nameOf), made with the details. */
  #names = $state.raw<Record<string, string>>({});
  #generating = $state<KeySpecId | null>(null);
  #error = $state<string | null>(null);
  #storageProblem = $state<string | null>(null);
  #persistence = $state<Persistence>('checking');
  /** persist() is asked at most once per page, after the user stores a key (never on load: Firefox prompts). */
  #persistAsked = false;
  #loaded = $state(false);
  /** The first read of the store; a key added before it finishes waits for it (else it would be lost from view). */
  #firstRead: Promise<void> = Promise.resolve();
  #channel: BroadcastChannel | null = null;

  /** Stored keys, oldest first. */
  get keys() {
    return this.#keys;
  }
  /**
   * The key pairs, encryption pairs included (RSA-OAEP-256, jwsAlg 'RSA-OAEP-256': they decrypt
   * only, so each signer leaves them out).
   */
  get pairs() {
    return this.#keys.filter((k) => k.kind === 'pair');
  }
  get details() {
    return this.#details;
  }
  /** A key's name where the user chooses among keys: its label, made unique among the stored keys. */
  nameOf(key: { id: string; label: string }): string {
    return this.#names[key.id] ?? key.label;
  }
  /** The key spec being generated, if any. */
  get generating() {
    return this.#generating;
  }
  /** The last operation's error, for the banner. */
  get error() {
    return this.#error;
  }
  /** Why keys cannot be kept (IndexedDB unavailable), if so. */
  get storageProblem() {
    return this.#storageProblem;
  }
  /** Whether the browser promised not to evict our storage (see Persistence). */
  get persistence() {
    return this.#persistence;
  }
  get loaded() {
    return this.#loaded;
  }

  dismissError() {
    this.#error = null;
  }

  /** Load keys and keep them in sync with other tabs. Call once at start-up. */
  async start(): Promise<void> {
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = () => void this.refresh();
    }
    window.addEventListener('focus', () => void this.refresh());
    this.#checkPersistence();
    this.#firstRead = this.refresh();
    await this.#firstRead;
  }

  /** On load only persisted(), which never prompts; without navigator.storage the answer is known at once. */
  #checkPersistence() {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (typeof storage?.persisted !== 'function') {
      this.#persistence = 'best-effort';
      return;
    }
    storage.persisted().then(
      (yes) => {
        // A persist() answer that came first is newer than this one.
        if (this.#persistence === 'checking') this.#persistence = yes ? 'persistent' : 'best-effort';
      },
      () => {
        if (this.#persistence === 'checking') this.#persistence = 'best-effort';
      },
    );
  }

  /**
   * After the user's first stored key (their click is the reason to ask), ask the browser to keep
   * our storage. Firefox may show a prompt: the page never waits for the answer, it shows it when it comes.
   */
  #requestPersistence() {
    if (this.#persistAsked || this.#persistence === 'persistent') return;
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (typeof storage?.persist !== 'function') return;
    this.#persistAsked = true;
    this.#persistence = 'asking';
    storage.persist().then(
      (yes) => (this.#persistence = yes ? 'persistent' : 'best-effort'),
      () => (this.#persistence = 'best-effort'),
    );
  }

  /** Re-read the stored keys (after a change here or in another tab). */
  async refresh(): Promise<void> {
    try {
      const keys = await listKeys();
      this.#storageProblem = null;
      await this.#setKeys(keys);
    } catch (e) {
      this.#storageProblem = messageOf(e);
    } finally {
      this.#loaded = true;
    }
  }

  async #setKeys(keys: StoredKey[]) {
    if (keys.length === 0) {
      this.#keys = [];
      this.#details = {};
      this.#names = {};
      return;
    }
    // Thumbprints and JWKs need jose: load it only once there is a key to describe (keeps first paint small).
    const { describeKeys } = await import('../lib/keys/details');
    const { details, names } = await describeKeys(keys, this.#details);
    this.#keys = keys;
    this.#details = details;
    this.#names = names;
  }

  /** The unique names again, after a label changed or a key went (the keys are already described). */
  async #rename() {
    const keys = this.#keys;
    const { describeKeys } = await import('../lib/keys/details');
    const { names } = await describeKeys(keys, this.#details);
    // A later change has already started its own renaming.
    if (keys === this.#keys) this.#names = names;
  }

  /** Load what the first Generate needs (jose, for thumbprints), so the click does not wait for it. */
  async prepare(): Promise<void> {
    await import('../lib/keys/details');
  }

  #announce() {
    this.#channel?.postMessage('changed');
  }

  /**
   * Generate and store a non-extractable key pair, for a partner (named after it, serving it) or for
   * none; returns it, or null on failure.
   */
  async generate(
    specId: KeySpecId,
    partner: { id: PartnerId; name: string } | null = null,
  ): Promise<StoredKey | null> {
    if (this.#generating) return null;
    this.#generating = specId;
    this.#error = null;
    try {
      const spec = keySpecById(specId);
      const pair = await generateKeyPair(specId);
      const now = Date.now();
      const key: StoredKey = {
        id: crypto.randomUUID(),
        kind: 'pair',
        label: defaultLabel(partner ? `${partner.name} ${spec.keyName}` : `${spec.keyName} key`, now),
        partners: partner ? [partner.id] : [],
        algorithm: describeKeyType(keyTypeOf(pair.publicKey)),
        jwsAlg: spec.jwsAlg,
        createdAt: now,
        origin: 'generated',
        spki: pair.spki,
        publicKey: pair.publicKey,
        privateKey: pair.privateKey,
        progress: { publicKeyExported: false, uploaded: {} },
      };
      await this.add(key);
      this.#requestPersistence();
      return key;
    } catch (e) {
      this.#error = messageOf(e);
      return null;
    } finally {
      this.#generating = null;
    }
  }

  /**
   * Store a key and show it. Only after the write succeeds does it appear, so a failed write
   * leaves neither a half-saved key nor a key that would vanish on reload.
   */
  async add(key: StoredKey): Promise<void> {
    await putKey(key);
    await this.#firstRead;
    // A pair is the user's own, as reading it back says (upgradeStoredKey): shown so at once, so
    // Inspect tries a key pair made a moment ago for the user's requests.
    await this.#setKeys([...this.#keys, key.kind === 'pair' ? { ...key, owner: 'mine' } : key]);
    this.#announce();
  }

  /** Rename a key. */
  async rename(id: string, label: string): Promise<void> {
    const clean = label.trim();
    if (!clean) {
      this.#error = 'A key needs a name.';
      return;
    }
    await this.#update(id, { label: clean });
  }

  /**
   * Record onboarding progress for a key. Only the given steps are written, merged into the
   * stored record, so two steps recorded at once both stay.
   */
  async markProgress(id: string, patch: KeyMetadataPatch['progress']): Promise<void> {
    await this.#update(id, { progress: patch });
  }

  /** Start or stop using a key pair for a partner. */
  async serve(id: string, partner: PartnerId, on: boolean): Promise<void> {
    await this.#update(id, { partners: { [partner]: on } });
  }

  /** Say whose key a stored public key is (a key pair is always the user's own). */
  async setOwner(id: string, owner: KeyOwner): Promise<void> {
    await this.#update(id, { owner });
  }

  /** Write a metadata change, then show the record as stored (the write's result, not the wish). */
  async #update(id: string, patch: KeyMetadataPatch) {
    try {
      const stored = await updateKey(id, patch);
      this.#keys = this.#keys.map((k) => (k.id === id ? stored : k));
      await this.#rename();
      this.#announce();
    } catch (e) {
      this.#error = messageOf(e);
    }
  }

  /** Delete a key for good. */
  async remove(id: string): Promise<void> {
    try {
      await deleteKey(id);
      this.#keys = this.#keys.filter((k) => k.id !== id);
      await this.#rename();
      this.#announce();
    } catch (e) {
      this.#error = messageOf(e);
    }
  }

  /**
   * Import key text: a private key becomes a non-extractable signing pair, a public key (or
   * certificate) a trusted verify-only key whose owner is `owner` (required for a public key: whose
   * key it is decides what it may verify). Returns a sentence saying what was imported.
   * @throws KeybenchError from parsing or importing, or ERR_TRUST_NO_OWNER; nothing is stored then.
   */
  async importKey(text: string, label: string, owner?: KeyOwner): Promise<string> {
    // The ASN.1 code and the import's words are only needed here: load them on demand.
    const { importPlanFromText } = await import('../lib/keys/import-stored');
    await this.#firstRead;
    const plan = await importPlanFromText(text, label, owner, this.#keys);
    await (plan.kind === 'new' ? this.add(plan.key) : this.keepCertificates(plan.keyId, plan.certificates));
    this.#requestPersistence();
    return plan.message;
  }

  /** Keep certificates with a stored key (made from it, or imported with its public key). */
  async keepCertificates(id: string, certificates: StoredCertificate[]): Promise<void> {
    await this.#update(id, { certificates });
  }
}

/** The app's one keyring. */
export const keyring = new Keyring();
