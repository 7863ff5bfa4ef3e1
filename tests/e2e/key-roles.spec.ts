/**
 * Key roles through the page: import asks "Whose key" and keeps the answer across a
 * reload; a request is verified with the user's keys only (QI Tech's response pasted as a request,
 * or a request QI Tech's key signed, is not verified); a QI Tech response only with QI Tech's key;
 * a key stored before roles is named and set in one step. Requests are signed by node:crypto.
 */
import { createPrivateKey } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { vector } from '../unit/support/helpers';
import { responseAsRequest, roleCorpus, v2Request } from '../unit/support/role-attacks';

const qit = JSON.parse(vector('qitech', 'vectors.json'));

async function importKey(page: Page, text: string, name: string, owner?: string) {
  await page.goto('./#/keys');
  await page.getByLabel('Key to import').fill(text);
  await page.getByLabel('Name (optional)').fill(name);
  if (owner)
    await page.getByRole('radiogroup', { name: 'Whose key' }).getByRole('radio', { name: owner }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('article', { name })).toBeVisible();
}

/** The Inspect verdict once settled. */
async function settled(page: Page) {
  const status = page.getByRole('main').getByRole('status').and(page.getByTestId('verdict'));
  await expect(status).not.toHaveAttribute('data-state', /pending|empty/, { timeout: 30_000 });
  await expect(status).not.toContainText('Reading the request');
  return status.evaluate((el) => ({
    state: el.getAttribute('data-state'),
    code: el.getAttribute('data-code'),
    text: el.textContent ?? '',
  }));
}

async function paste(page: Page, text: string) {
  await page.getByLabel(/^JWT/).fill('');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'empty');
  await page.getByLabel(/^JWT/).fill(text);
}

test('import asks Whose key: no answer, nothing stored; QI Tech chosen, kept across a reload', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const group = page.getByRole('radiogroup', { name: 'Whose key' });
  await expect(group.getByRole('radio', { name: 'Mine' })).not.toBeChecked();
  await expect(group.getByRole('radio', { name: 'QI Tech' })).not.toBeChecked();
  await page.getByLabel('Key to import').fill(vector('qitech', 'qitech-side.key.pub'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Say whose key this is' })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);

  await group.getByRole('radio', { name: 'QI Tech' }).check();
  await page.getByLabel('Name (optional)').fill('QI Tech public key');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const card = page.getByRole('article', { name: 'QI Tech public key' });
  await expect(card.getByTestId('key-owner')).toContainText('QI Tech');
  // The choice does not carry over to the next key.
  await expect(group.getByRole('radio', { name: 'QI Tech' })).not.toBeChecked();

  await page.reload();
  await expect(
    page.getByRole('article', { name: 'QI Tech public key' }).getByTestId('key-owner'),
  ).toContainText('QI Tech');
  // Changed in one step on the card, and kept.
  await page
    .getByRole('article', { name: 'QI Tech public key' })
    .getByLabel('Change whose key')
    .selectOption({ label: 'Mine (my own server or client)' });
  await expect(
    page.getByRole('article', { name: 'QI Tech public key' }).getByTestId('key-owner'),
  ).toContainText('Mine');
  await page.reload();
  await expect(
    page.getByRole('article', { name: 'QI Tech public key' }).getByTestId('key-owner'),
  ).toContainText('Mine');
});

test('the QI Tech checklist step opens import with Whose key: QI Tech chosen', async ({ page }) => {
  await page.goto('./#/keys');
  await page.getByLabel('Partner profile').selectOption({ label: 'QI Tech' });
  await page.getByText('Onboarding steps for QI Tech').click();
  await page.getByRole('button', { name: "Import QI Tech's public key" }).click();
  await expect(
    page.getByRole('radiogroup', { name: 'Whose key' }).getByRole('radio', { name: 'QI Tech' }),
  ).toBeChecked();
  await expect(page.getByLabel('Key to import')).toBeFocused();
});

test("Inspect: a request is verified with the user's keys only, never QI Tech's", async ({ page }) => {
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'my QI Tech key pair');
  await importKey(page, vector('qitech', 'qitech-side.key.pub'), "QI Tech's public key", 'QI Tech');
  await page.goto('./#/inspect');
  const cases = roleCorpus().filter((c) => c.ui);
  expect(cases).toHaveLength(2);
  for (const c of cases) {
    await paste(page, c.input);
    const v = await settled(page);
    expect([v.state, v.code], `${c.name}: ${v.text}`).toEqual([c.expect.state, c.expect.code]);
    expect(v.text).not.toContain('Signature verified');
    await expect(page.getByTestId('skipped-keys')).toContainText("QI Tech's public key");
  }
  // The same page verifies the user's own request: the attacks above fail for their key alone.
  await paste(page, v2Request(createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'))));
  const mine = await settled(page);
  expect([mine.state, mine.code], mine.text).toEqual(['verified', 'OK']);
  expect(mine.text).toContain('Signature verified');
  expect(responseAsRequest()).toContain('QIT ');
});

test("Sign: a QI Tech response is checked with QI Tech's key only; a key stored before roles is named and set in one step", async ({
  page,
}) => {
  // The user's own server key (Mine) and a P-521 key written as keybench stored it before roles.
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key.pub'), "my server's public key", 'Mine');
  await importKey(page, vector('qitech', 'qitech-side.key.pub'), 'old QI Tech key', 'QI Tech');
  // Make that record an old one: drop its owner, straight in IndexedDB.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('keybench');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction('keys', 'readwrite');
    const store = tx.objectStore('keys');
    const all = await new Promise<{ label: string; owner?: string }[]>((res) => {
      const q = store.getAll();
      q.onsuccess = () => res(q.result);
    });
    const keys = await new Promise<IDBValidKey[]>((res) => {
      const q = store.getAllKeys();
      q.onsuccess = () => res(q.result);
    });
    all.forEach((rec, i) => {
      if (rec.label === 'old QI Tech key') {
        delete rec.owner;
        store.put(rec, keys[i]);
      }
    });
    await new Promise((res) => (tx.oncomplete = res));
    db.close();
  });
  await page.reload();
  const old = page.getByRole('article', { name: 'old QI Tech key' });
  await expect(old.getByTestId('key-owner')).toContainText('Not set');

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech' }).click();
  await page.getByRole('radio', { name: 'QIT (v1)' }).check();
  await page.getByLabel('API key').fill(qit.request_post.api_key);
  await page.getByText('Verify a QI Tech response').click();
  await expect(page.getByTestId('qit-unowned-keys')).toContainText('old QI Tech key');
  const r = qit.response_post;
  await page.getByLabel('Response Authorization').fill(r.headers.Authorization);
  await page.getByLabel('Response body').fill(JSON.stringify(r.received_body));
  await page.getByRole('button', { name: 'Verify response' }).click();
  const verdict = page.getByTestId('qit-verdict');
  // The user's own key is never tried for a response, and the unowned key is not either.
  await expect(verdict).toContainText("Import QI Tech's public key (Keys → Import, Whose key: QI Tech)");
  await expect(verdict).toContainText('no owner set');
  await expect(verdict).not.toContainText('Signature verified');

  // One step: set whose key on its card; the response then verifies.
  await page.getByRole('link', { name: 'Set whose key on its card' }).click();
  await page
    .getByRole('article', { name: 'old QI Tech key' })
    .getByLabel('Set whose key')
    .selectOption('qitech');
  await expect(page.getByRole('article', { name: 'old QI Tech key' }).getByTestId('key-owner')).toContainText(
    'QI Tech',
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech' }).click();
  const check = page.getByRole('button', { name: 'Verify response' });
  if (!(await check.isVisible())) await page.getByText('Verify a QI Tech response').click();
  await page.getByLabel('Response Authorization').fill(r.headers.Authorization);
  await page.getByLabel('Response body').fill(JSON.stringify(r.received_body));
  await check.click();
  await expect(verdict).toContainText('Signature verified with "old QI Tech key"');
});
