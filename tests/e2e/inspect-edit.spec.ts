/**
 * jwt.io's two habits in Inspect: "Try an example" on the landing opens a sample token whose first
 * verdict is green, and the decoded header and payload are edited in place, re-signed with a stored
 * key pair or the secret in the key box. The token is shown once (its box, coloured), and the
 * signature shown always belongs to the text shown. Also the doctor's Binance diagnosis of a
 * request signed with timestamp moved first. Every re-signed token is checked with node:crypto.
 */
import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, generateKey, signWithStoredKey } from './fixtures';

const b64u = (s: string) => Buffer.from(s).toString('base64url');
const part = (token: string, i: number) => Buffer.from(token.split('.')[i]!, 'base64url').toString();

function rs256Holds(token: string, pem: string): boolean {
  const [h, p, s] = token.split('.');
  return nodeVerify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(pem), Buffer.from(s!, 'base64url'));
}

async function tryExample(page: Page) {
  await page.goto('./');
  await page.getByRole('button', { name: 'Try an example' }).click();
  await expect(page).toHaveURL(/#\/inspect/);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'verified');
}

test('Try an example: a sample token and its key, green at once, the key not stored', async ({ page }) => {
  await tryExample(page);
  const status = page.getByRole('status').filter({ hasText: 'Signature verified' });
  await expect(status).toHaveCount(1);
  await expect(page.getByTestId('example-note')).toContainText('not stored');
  const token = await page.getByLabel(/^JWT/).inputValue();
  const pem = await page.getByLabel('Verification key').inputValue();
  expect(rs256Holds(token, pem)).toBe(true);
  expect(JSON.parse(part(token, 1))).toMatchObject({ sub: '1234567890', name: 'Sample User' });
  // Nothing was stored: the key list is as empty as before.
  await page.getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('article')).toHaveCount(0);
});

test('the token is shown once: its box is coloured, with no second copy', async ({ page }) => {
  await tryExample(page);
  const box = page.getByLabel(/^JWT/);
  const token = await box.inputValue();
  const [h, p, s] = token.split('.');
  await expect(page.getByTestId('token-mirror')).toHaveCount(0);
  const colours = page.getByTestId('token-colours');
  await expect(colours.locator('.seg-h')).toHaveText(h!);
  await expect(colours.locator('.seg-p')).toHaveText(p!);
  await expect(colours.locator('.seg-s')).toHaveText(s!);
  const tints = await colours
    .locator('span:not(.seg-dot)')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
  expect(new Set(tints).size).toBe(3);
  // The colours are drawn exactly under the box's own (transparent) text: one token on screen.
  const [a, b] = [await box.boundingBox(), await colours.boundingBox()];
  expect(b).toEqual(a);
  expect(await box.evaluate((e) => getComputedStyle(e).color)).toBe('rgba(0, 0, 0, 0)');
  const seen = await page
    .locator('main')
    .evaluate((m, sig) => (m as HTMLElement).innerText.split(sig).length - 1, s!);
  expect(seen).toBe(1);
});

test('editing the example payload re-signs it in place; it verifies, and a token that cannot be signed has no signature', async ({
  page,
}) => {
  await tryExample(page);
  const pem = await page.getByLabel('Verification key').inputValue();
  const before = await page.getByLabel(/^JWT/).inputValue();
  await page.getByRole('button', { name: 'Edit and re-sign' }).click();
  await expect(page.getByLabel('Sign with')).toHaveValue('example');
  const payload = page.getByLabel('Payload (JSON)');
  const edited = (await payload.inputValue()).replace('"Sample User"', '"Edited User"');
  await payload.fill(edited);
  await expect(page.getByLabel(/^JWT/)).not.toHaveValue(before);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'verified');
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  const token = await page.getByLabel(/^JWT/).inputValue();
  expect(JSON.parse(part(token, 1))).toMatchObject({ name: 'Edited User' });
  expect(rs256Holds(token, pem)).toBe(true);

  // An alg the key does not sign: the token keeps the text, with no signature, and is not verified.
  await page.getByLabel('Header (JSON)').fill('{"alg":"ES512","typ":"JWT"}');
  await expect(page.getByTestId('edit-problem')).toContainText('this key pair signs RS256');
  await expect(page.getByLabel(/^JWT/)).toHaveValue(/\.$/);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('verdict')).not.toContainText('Signature verified');
  const unsigned = await page.getByLabel(/^JWT/).inputValue();
  expect(part(unsigned, 0)).toBe('{"alg":"ES512","typ":"JWT"}');
});

test('an HS256 token re-signs with the secret in the key box', async ({ page }) => {
  const secret = 'a shared secret for this test, long enough';
  const h = b64u('{"alg":"HS256","typ":"JWT"}');
  const p = b64u('{"sub":"alice"}');
  const sig = createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
  await page.goto('./#/inspect');
  await page.getByLabel(/^JWT/).fill(`${h}.${p}.${sig}`);
  await page.getByLabel('Verification key').fill(secret);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await page.getByRole('button', { name: 'Edit and re-sign' }).click();
  await expect(page.getByLabel('Sign with')).toHaveValue('secret');
  await page.getByLabel('Payload (JSON)').fill('{"sub":"bob"}');
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  const token = await page.getByLabel(/^JWT/).inputValue();
  const [h2, p2, s2] = token.split('.');
  expect(part(token, 1)).toBe('{"sub":"bob"}');
  expect(s2).toBe(createHmac('sha256', secret).update(`${h2}.${p2}`).digest('base64url'));
  // Another secret in the key box re-signs with it.
  await page.getByLabel('Verification key').fill(`${secret}!`);
  await expect(page.getByLabel(/^JWT/)).not.toHaveValue(token);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
});

test('a token signed with a stored key pair re-signs with that pair, and verifies by the same rule', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048', null);
  const pem = (await card.getByTestId('public-pem').textContent())!;
  const token = await signWithStoredKey(page, { sub: 'stored' });
  await page.goto('./#/inspect');
  await page.getByLabel(/^JWT/).fill(token);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await page.getByRole('button', { name: 'Edit and re-sign' }).click();
  await page.getByLabel('Payload (JSON)').fill('{"sub":"stored","edited":true}');
  await expect(page.getByLabel(/^JWT/)).not.toHaveValue(token);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  const edited = await page.getByLabel(/^JWT/).inputValue();
  expect(rs256Holds(edited, pem)).toBe(true);
  // A new paste ends editing: the panes are the new token's.
  await page.getByLabel(/^JWT/).fill(token);
  await expect(page.getByTestId('token-editor')).toHaveCount(0);
  await expect(page.getByTestId('payload-json')).toContainText('"sub": "stored"');
});

/** A Binance request signed by node:crypto with `timestamp` moved first, pasted with its public key. */
async function pasteBinanceTimestampFirst(page: Page) {
  const ed = generateKeyPairSync('ed25519');
  const ts = Date.now();
  const sent = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&recvWindow=5000&timestamp=${ts}`;
  const signed = `timestamp=${ts}&symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&recvWindow=5000`;
  const sig = nodeSign(null, Buffer.from(signed), ed.privateKey).toString('base64');
  await page.goto('./#/inspect');
  await page
    .getByLabel('Verification key')
    .fill(ed.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  await page
    .getByLabel(/^JWT/)
    .fill(
      `curl -H 'X-MBX-APIKEY: abc' 'https://api.binance.com/api/v3/order?${sent}&signature=${encodeURIComponent(sig)}'`,
    );
  return { ed, sent };
}

test('Binance: a request signed with timestamp moved first is diagnosed as that, not as a wrong key', async ({
  page,
}) => {
  const { ed, sent } = await pasteBinanceTimestampFirst(page);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-code', 'ERR_BINANCE_PARAM_ORDER', { timeout: 20_000 });
  await expect(verdict).toContainText(
    'made it, with this mistake: parameters signed with timestamp moved first',
  );
  await expect(page.locator('main')).not.toContainText('Sign with the private key');

  // Signed over other bytes with no known mistake: the key or the signed bytes differ.
  const other = nodeSign(null, Buffer.from(sent.replace('quantity=1', 'quantity=2')), ed.privateKey).toString(
    'base64',
  );
  await page
    .getByLabel(/^JWT/)
    .fill(
      `curl -H 'X-MBX-APIKEY: abc' 'https://api.binance.com/api/v3/order?${sent}&signature=${encodeURIComponent(other)}'`,
    );
  await expect(verdict).toHaveAttribute('data-code', 'ERR_BINANCE_SIGNATURE', { timeout: 20_000 });
  await expect(verdict).toContainText('the key or the signed bytes differ');
  await expect(page.locator('main')).not.toContainText('Sign with the private key');
});

// Pictures go to docs/screenshots with KB_SCREENSHOTS=1 (to refresh the docs), else beside the results.
const SHOTS = process.env.KB_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';

for (const mode of [
  { name: 'light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' as const },
  { name: 'dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' as const },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const },
]) {
  test(`screenshot and accessibility of the edited example (${mode.name})`, async ({ page }) => {
    await page.setViewportSize(mode.viewport);
    await page.emulateMedia({ colorScheme: mode.colorScheme });
    await tryExample(page);
    await page.getByRole('button', { name: 'Edit and re-sign' }).click();
    const payload = page.getByLabel('Payload (JSON)');
    await payload.fill((await payload.inputValue()).replace('"Sample User"', '"Edited User"'));
    await expect(page.getByTestId('verdict')).toContainText('Signature verified');
    await expectNoAxeViolations(page, `edited example, ${mode.name}`);
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/inspect-example-edit-${mode.name}.png` });
    // Nothing overflows sideways.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide).toBeLessThanOrEqual(mode.viewport.width);

    // The landing with its button, and the doctor's Binance diagnosis.
    await page.goto('./');
    await expect(page.getByRole('button', { name: 'Try an example' })).toBeInViewport();
    await page.screenshot({ path: `${SHOTS}/landing-example-${mode.name}.png` });
    await pasteBinanceTimestampFirst(page);
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-code', 'ERR_BINANCE_PARAM_ORDER', {
      timeout: 20_000,
    });
    await expectNoAxeViolations(page, `Binance diagnosis, ${mode.name}`);
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/inspect-binance-order-${mode.name}.png` });
  });
}
