import type { Locator, Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, generateKey, signWithStoredKey } from './fixtures';
import { vector } from '../unit/support/helpers';

/** Headings start at h1 and never skip a level on the way down. */
async function expectSensibleHeadings(page: Page, where: string) {
  const levels = await page
    .locator('h1, h2, h3, h4, h5, h6')
    .evaluateAll((hs) =>
      hs.filter((h) => (h as HTMLElement).offsetParent !== null).map((h) => Number(h.tagName[1])),
    );
  expect(levels[0], `${where}: first heading`).toBe(1);
  expect(
    levels.filter((l) => l === 1),
    `${where}: one h1`,
  ).toHaveLength(1);
  const skips = levels.flatMap((l, i) =>
    i > 0 && l > levels[i - 1]! + 1 ? [`h${levels[i - 1]}→h${l}`] : [],
  );
  expect(skips, `${where}: heading levels skipped`).toEqual([]);
}

/** Nothing wider than the viewport: no sideways scrolling at 360 px. */
async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const el = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > el.clientWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    return { scroll: el.scrollWidth, client: el.clientWidth, wide };
  });
  expect({ scroll, wide }, `${where}: page is ${scroll}px wide in ${client}px`).toEqual({
    scroll: client,
    wide: [],
  });
}

for (const mode of [
  { scheme: 'light', width: 1280 },
  { scheme: 'dark', width: 360 },
] as const) {
  test(`every view passes axe (no serious or critical issue), ${mode.scheme} at ${mode.width}px`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: mode.width, height: 800 });
    await page.emulateMedia({ colorScheme: mode.scheme });
    const check = async (where: string) => {
      await expectNoAxeViolations(page, `${where} (${mode.scheme})`);
      await expectSensibleHeadings(page, where);
      if (mode.width <= 360) await expectNoSidewaysScroll(page, where);
    };

    await page.goto('./');
    await expect(page.getByRole('button', { name: /Generate.*P-521/ })).toBeVisible();
    await check('Landing');
    await page.getByText('Why non-extractable?').click();
    await page.getByText('How storage works').click();
    await check('Landing, notes open');

    await page.goto('./#/keys');
    await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeVisible();
    await check('Keys, empty');

    const card = await generateKey(page, 'P-521');
    await generateKey(page, 'RSA-2048');
    await page.getByLabel('Key to import').fill(vector('qitech', 'qitech-side.key.pub'));
    await page.getByRole('radio', { name: 'QI Tech' }).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Trusted public keys' })).toBeVisible();
    await page.getByText('Onboarding steps for Qredo Partner API').click();
    await page.getByText('Mistakes keybench recognises for Qredo Partner API').click();
    await card.getByRole('button', { name: 'Create CSR' }).click();
    await expect(card.getByLabel('Common name (CN)')).toBeVisible();
    await check('Keys, with keys, onboarding steps and the CSR form open');

    await page.getByRole('button', { name: 'Generate key files for a server' }).click();
    await check('Keys, server key files');

    await card.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await check('Keys, delete dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();

    const token = await signWithStoredKey(page, { sub: 'axe', exp: Math.floor(Date.now() / 1000) + 300 });
    await page.getByRole('link', { name: 'Inspect' }).click();
    await expect(page.getByLabel('JWT')).toBeVisible();
    await check('Inspect, empty');
    await page.getByLabel('JWT').fill(token);
    await expect(page.getByTestId('verdict')).toContainText('Signature verified');
    await check('Inspect, verified token');
    await page.getByLabel('Verification key').fill(vector('qitech', 'qitech-side.key.pub'));
    await expect(page.getByTestId('verdict')).toContainText('Not verified');
    await page.getByLabel('JWT').fill(`${token.slice(0, 30)}%%%.x`);
    await check('Inspect, wrong key and a malformed token');

    await page.getByRole('link', { name: 'Sign' }).click();
    await page.getByRole('button', { name: 'Sign JWT' }).click();
    await expect(page.getByTestId('signed-jwt')).toBeVisible();
    await check('Sign, test JWT');
    await page.getByRole('button', { name: 'Qredo Partner API' }).click();
    await page.getByLabel('URL').fill('https://play-api.qredo.network/api/v1/p/company');
    await page.getByLabel('API key').fill('test-api-key');
    await page.getByRole('button', { name: 'Sign request' }).click();
    await expect(page.getByTestId('x-sign')).not.toBeEmpty();
    await check('Sign, Qredo');
    await page.getByRole('button', { name: 'QI Tech' }).click();
    await page.getByLabel('Endpoint').fill('/test');
    await page.getByLabel('API key').fill('test-api-key');
    await page.getByRole('button', { name: 'Sign request' }).click();
    await expect(page.getByTestId('qit-authorization')).not.toBeEmpty();
    await page.getByText('Verify a QI Tech response').click();
    await page.getByRole('button', { name: 'Verify response' }).click();
    await check('Sign, QI Tech with the response verifier');
  });
}

test('the axe check itself fails on an inaccessible page', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => {
    const main = document.getElementById('main')!;
    main.append(document.createElement('input'));
    const faint = document.createElement('p');
    faint.textContent = 'faint text';
    faint.style.color = '#eee'; // CSSOM, which the CSP allows (a style attribute it would not)
    faint.style.background = '#fff';
    main.append(faint);
  });
  const failure = await expectNoAxeViolations(page, 'a deliberately broken page').then(
    () => 'no failure',
    (e: Error) => e.message,
  );
  expect(failure).toContain('critical label: Form elements must have labels');
  expect(failure).toContain('serious color-contrast');
});

/** Press Tab (or Shift+Tab) until the locator's element has focus; fail after `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return expectVisibleFocus(page);
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The focused element shows the focus ring (a solid outline of at least 2 px). */
async function expectVisibleFocus(page: Page) {
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement!);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(ring.style).toBe('solid');
  expect(ring.width).toBeGreaterThanOrEqual(2);
}

test('keyboard only: skip link, generate a key, download its public key, paste and verify a token', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: /make a key pair/, level: 1 })).toBeVisible();

  // The first Tab shows the skip link; Enter moves focus to the content.
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await tabTo(page, skip, { max: 1 });
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  const generate = page.getByRole('button', { name: /Generate.*P-521/ });
  await tabTo(page, generate);
  await page.keyboard.press('Enter');
  const card = page.getByRole('article');
  await expect(card).toHaveCount(1, { timeout: 20_000 });
  await expect(card.getByTestId('fingerprint')).toContainText(':');

  await tabTo(page, card.getByRole('button', { name: 'Download public key' }));
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toBe('jwtECDSASHA512.key.pub');

  // Back up to the navigation and open the inspector.
  const token = await signWithStoredKey(page, { sub: 'keyboard', exp: Math.floor(Date.now() / 1000) + 300 });
  await tabTo(page, page.getByRole('link', { name: 'Inspect' }), { back: true });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/inspect$/);
  await tabTo(page, page.getByLabel('JWT'));
  await page.keyboard.insertText(token); // what a paste does
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
});
