import { createHash, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { test, expect, generateKey, readClipboard, storedKeysInPage } from './fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

test.beforeEach(async ({ page }) => {
  await page.goto('./#/keys');
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
});

for (const kind of [
  { keyName: 'RSA-2048' as const, file: 'public.pem', nodeType: 'rsa', detail: { modulusLength: 2048 } },
  {
    keyName: 'P-521' as const,
    file: 'jwtECDSASHA512.key.pub',
    nodeType: 'ec',
    detail: { namedCurve: 'secp521r1' },
  },
]) {
  test(`generates ${kind.keyName}; the downloaded ${kind.file} parses and equals openssl's output`, async ({
    page,
  }) => {
    const card = await generateKey(page, kind.keyName);
    const downloadPromise = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Download public key' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe(kind.file);
    const pem = readFileSync((await download.path())!, 'utf8');

    const key = createPublicKey(pem);
    expect(key.asymmetricKeyType).toBe(kind.nodeType);
    expect(key.asymmetricKeyDetails).toMatchObject(kind.detail);
    const viaOpenssl = execFileSync('openssl', ['pkey', '-pubin', '-pubout'], {
      input: pem,
      encoding: 'utf8',
    });
    expect(pem).toBe(viaOpenssl);

    const der = key.export({ type: 'spki', format: 'der' });
    const fp = createHash('sha256').update(der).digest('hex').match(/../g)!.join(':');
    await expect(card.getByTestId('fingerprint')).toHaveText(fp);
    await expect(card.getByText('✓ Public key downloaded or copied')).toBeVisible();
  });
}

test('private keys in IndexedDB are non-extractable CryptoKeys and nothing else is stored', async ({
  page,
}) => {
  await generateKey(page, 'RSA-2048');
  await generateKey(page, 'P-521');
  const stored = await storedKeysInPage(page);
  expect(stored).toHaveLength(2);
  for (const k of stored) {
    expect(k.kind).toBe('pair');
    expect(k.extractable).toBe(false);
    expect(k.exportRejected).toBe(true);
    expect(k.canSign).toBe(true);
    expect(k.fields).toEqual([
      'algorithm',
      'createdAt',
      'id',
      'jwsAlg',
      'kind',
      'label',
      'origin',
      'partners',
      'privateKey',
      'progress',
      'publicKey',
      'spki',
    ]);
  }
});

test('keys survive a reload', async ({ page }) => {
  const card = await generateKey(page, 'P-521');
  const fp = await card.getByTestId('fingerprint').textContent();
  await page.reload();
  await expect(page.getByRole('article')).toHaveCount(1);
  await expect(page.getByTestId('fingerprint')).toHaveText(fp!);
});

test('keys survive a browser restart (persistent profile)', async ({ baseURL }) => {
  const dir = mkdtempSync(join(tmpdir(), 'keybench-profile-'));
  try {
    const launch = () =>
      chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, baseURL });
    let ctx = await launch();
    let page = await ctx.newPage();
    await page.goto('./#/keys');
    const card = await generateKey(page, 'RSA-2048');
    const fp = await card.getByTestId('fingerprint').textContent();
    await ctx.close();

    ctx = await launch();
    page = await ctx.newPage();
    await page.goto('./#/keys');
    await expect(page.getByTestId('fingerprint')).toHaveText(fp!);
    const stored = await storedKeysInPage(page);
    expect(stored.map((k) => [k.extractable, k.exportRejected, k.canSign])).toEqual([[false, true, true]]);
    await ctx.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('delete asks for confirmation, names the key, and lasts across reload', async ({ page }) => {
  const card = await generateKey(page, 'P-521');
  const label = (await card.getByRole('heading').textContent())!;
  await card.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(label);
  await expect(dialog).toContainText('reject new signatures');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('article')).toHaveCount(1);

  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete key' }).click();
  await expect(page.getByRole('article')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);
  expect(await storedKeysInPage(page)).toEqual([]);
});

test('copy puts the exact PEM on the clipboard', async ({ page, context }) => {
  const card = await generateKey(page, 'RSA-2048');
  await card.getByRole('button', { name: 'Copy public key' }).click();
  await expect(card.getByText('Copied', { exact: true })).toBeVisible();
  const clip = await readClipboard(context);
  expect(clip).toMatch(
    /^-----BEGIN PUBLIC KEY-----\n(?:[A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/,
  );
  await expect(card.getByTestId('public-pem')).toHaveText(clip, { useInnerText: false });
  expect(createPublicKey(clip).asymmetricKeyDetails?.modulusLength).toBe(2048);
});

test('rename persists; JWK download is public only with kid = thumbprint', async ({ page }) => {
  const card = await generateKey(page, 'P-521');
  await card.getByRole('button', { name: 'Rename' }).click();
  await card.getByLabel('New name').fill('QI Tech sandbox');
  await card.getByRole('button', { name: 'Save name' }).click();
  const renamed = page.getByRole('article', { name: 'QI Tech sandbox' });
  await expect(renamed).toBeVisible();
  await page.reload();
  await expect(renamed).toBeVisible();

  const downloadPromise = page.waitForEvent('download');
  await renamed.getByRole('button', { name: 'Download JWK' }).click();
  const jwk = JSON.parse(readFileSync((await (await downloadPromise).path())!, 'utf8'));
  expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  expect(jwk.alg).toBe('ES512');
  await expect(renamed.getByTestId('thumbprint')).toHaveText(jwk.kid);
  expect(createPublicKey({ key: jwk, format: 'jwk' }).asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
});

test('two tabs see the same keys', async ({ page, context }) => {
  const other = await context.newPage();
  await other.goto('./#/keys');
  await expect(other.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  await generateKey(page, 'P-521');
  await expect(other.getByRole('article')).toHaveCount(1);
});

test('no persist() before a user gesture: on load only persisted(); the first stored key asks, and the answer shows', async ({
  page,
}) => {
  // Count persist() calls from the first script of the page on (Firefox prompts on each one).
  await page.addInitScript(() => {
    const w = window as unknown as { persistCalls: number };
    w.persistCalls = 0;
    const original = StorageManager.prototype.persist;
    StorageManager.prototype.persist = function (this: StorageManager) {
      w.persistCalls += 1;
      return original.call(this);
    };
  });
  await page.reload();
  const line = page.getByTestId('persistence');
  await expect(line).toHaveText(/^\s*Storage is (persistent|best-effort):/);
  await expect(page.getByRole('button', { name: /Generate.*P-521/ })).toBeEnabled();
  expect(await page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls)).toBe(0);

  await generateKey(page, 'P-521');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls))
    .toBe(1);
  await expect(line).toHaveText(/^\s*Storage is (persistent|best-effort):/);
  // Asked once per page: the second key does not ask again.
  await generateKey(page, 'RSA-2048');
  expect(await page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls)).toBe(1);
});

test('a persist() the user has not answered yet never blocks the page; no navigator.storage says best-effort at once', async ({
  page,
}) => {
  // Firefox's prompt, left unanswered: persist() never settles.
  await page.addInitScript(() => {
    StorageManager.prototype.persist = () => new Promise<boolean>(() => {});
  });
  await page.reload();
  const line = page.getByTestId('persistence');
  await generateKey(page, 'P-521');
  await expect(line).toContainText('keybench has asked your browser to keep these keys');
  await generateKey(page, 'RSA-2048');
  await page.reload();
  await expect(page.getByRole('article')).toHaveCount(2);

  // Some WebKit builds have no navigator.storage: the line answers without asking anything.
  const page2 = await page.context().newPage();
  await page2.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'storage', { get: () => undefined, configurable: true });
  });
  await page2.goto('./#/keys');
  await expect(page2.getByTestId('persistence')).toHaveText(/^\s*Storage is best-effort:/);
  await expect(page2.getByRole('article')).toHaveCount(2);
  await generateKey(page2, 'P-521');
  await expect(page2.getByTestId('persistence')).toHaveText(/^\s*Storage is best-effort:/);
  await page2.close();
});

test('onboarding progress is kept per key', async ({ page }) => {
  await generateKey(page, 'P-521');
  const card = await generateKey(page, 'RSA-2048');
  const uploaded = card.getByRole('checkbox', { name: /Uploaded to Qredo/ });
  const qiTech = page.getByRole('checkbox', { name: /Uploaded to QI Tech/ });
  await expect(uploaded).toHaveAttribute('data-stored', 'false');
  await uploaded.check();
  // The box shows the stored record once the write has landed; only then is a reload safe.
  await expect(uploaded).toHaveAttribute('data-stored', 'true');
  await page.reload();
  await expect(uploaded).toBeChecked();
  await expect(uploaded).toHaveAttribute('data-stored', 'true');
  await expect(qiTech).not.toBeChecked();

  await uploaded.uncheck();
  await expect(uploaded).toHaveAttribute('data-stored', 'false');
  await page.reload();
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect(uploaded).not.toBeChecked();
  await expect(uploaded).toHaveAttribute('data-stored', 'false');
});

test('the page states its CSP and says how keys are kept', async ({ page, policyViolations }) => {
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  await expect(page.getByText(/non-extractable/).first()).toBeVisible();
  await expect(page.getByTestId('persistence')).toHaveText(/Storage is (persistent|best-effort)/);
  // The CSP is enforced: a fetch from the page is refused.
  const refused = await page.evaluate(() =>
    fetch('./favicon.svg').then(
      () => false,
      () => true,
    ),
  );
  expect(refused).toBe(true);
  // Refused by connect-src, and reported as such (once per policy: the header's and the <meta>'s).
  const seen = await policyViolations.take();
  expect(seen.filter((v) => v.source === 'violation').map((v) => v.text)).toEqual([
    expect.stringMatching(/^connect-src blocked http:\/\/127\.0\.0\.1:\d+\/favicon\.svg /),
    expect.stringMatching(/^connect-src blocked http:\/\/127\.0\.0\.1:\d+\/favicon\.svg /),
  ]);
});
