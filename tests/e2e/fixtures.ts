import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every end-to-end test gets a page that fails the test on an uncaught page error or on any
 * request that leaves the app's own origin.
 */
export const test = base.extend<{ guard: void }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const errors: string[] = [];
      const foreign: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith(baseURL!) && !url.startsWith('blob:') && !url.startsWith('data:'))
          foreign.push(url);
      });
      await use();
      expect(errors, 'uncaught page errors').toEqual([]);
      expect(foreign, 'requests beyond the app origin').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Generate a key of a profile from the Keys view and wait for its card; returns the card. */
export async function generateKey(page: Page, keyName: 'RSA-2048' | 'P-521') {
  const before = await page.getByRole('article').count();
  await page.getByRole('button', { name: new RegExp(`Generate.*${keyName}`) }).click();
  await expect(page.getByRole('article')).toHaveCount(before + 1, { timeout: 20_000 });
  const partner = keyName === 'RSA-2048' ? 'Qredo Partner API' : 'QI Tech';
  const card = page.getByRole('article', { name: new RegExp(partner) }).last();
  await expect(card.getByTestId('fingerprint')).toContainText(':');
  return card;
}

/** What the page's IndexedDB holds: per stored key, its kind and its private key's properties. */
export async function storedKeysInPage(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('keybench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const r = db.transaction('keys').objectStore('keys').getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return Promise.all(
      all.map(async (k) => {
        const priv = k.privateKey as CryptoKey | undefined;
        let exportRejected = null as boolean | null;
        let canSign = null as boolean | null;
        if (priv) {
          exportRejected = await crypto.subtle.exportKey('pkcs8', priv).then(
            () => false,
            () => true,
          );
          const params =
            priv.algorithm.name === 'ECDSA'
              ? { name: 'ECDSA', hash: 'SHA-512' }
              : { name: priv.algorithm.name };
          canSign = await crypto.subtle.sign(params, priv, new Uint8Array([1])).then(
            () => true,
            () => false,
          );
        }
        return {
          label: k.label as string,
          kind: k.kind as string,
          fields: Object.keys(k).sort(),
          extractable: priv?.extractable ?? null,
          exportRejected,
          canSign,
        };
      }),
    );
  });
}
