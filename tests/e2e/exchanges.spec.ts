/**
 * Kalshi and Bybit end to end, on the scheme engine: the profile's key pair is generated in Keys,
 * the partner's Sign tab signs, its curl command pasted into Inspect with the public key verifies,
 * and the same command with one byte changed does not (with the mistake's code where one applies).
 */
import { createPublicKey, verify as nodeVerify, constants } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, generateKey, readClipboard } from './fixtures';

/** Paste a request and a public key into Inspect; the verdict element. */
async function inspect(page: Page, curl: string, pem: string) {
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.getByLabel(/^JWT/).fill(curl);
  await page.getByLabel('Verification key').fill(pem);
  return page.getByRole('main').getByRole('status').and(page.getByTestId('verdict'));
}

test('Kalshi: the profile’s RSA-PSS pair serves Kalshi and signs in its tab (a PKCS#1 pair does neither); Inspect verifies the curl, not a changed path', async ({
  page,
  context,
}) => {
  await page.goto('./#/keys');
  // A PKCS#1 v1.5 pair (Bybit's) cannot sign RSA-PSS: the Kalshi tab must not offer it.
  const bybitCard = await generateKey(page, 'RSA-2048', 'Bybit');
  await expect(bybitCard.getByRole('checkbox', { name: 'Use for Bybit' })).toBeChecked();
  await expect(bybitCard.getByRole('checkbox', { name: 'Use for Kalshi' })).toHaveCount(0);
  await page.getByLabel('Partner profile').selectOption({ label: 'Kalshi' });
  await page.getByRole('button', { name: /Generate RSA-2048 PSS key pair for Kalshi/ }).click();
  const card = page.getByRole('article', { name: /Kalshi RSA-2048 PSS/ });
  await expect(card.getByTestId('fingerprint')).toContainText(':', { timeout: 20_000 });
  const pem = (await card.getByTestId('public-pem').textContent())!;
  await expect(card.getByRole('checkbox', { name: 'Use for Kalshi' })).toBeChecked();
  await expect(card.getByRole('checkbox', { name: 'Use for Bybit' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Kalshi', exact: true }).click();
  await expect(page.getByLabel('Key pair').locator('option')).toHaveCount(1);
  await expect(page.getByLabel('Key pair').locator('option')).toContainText('Kalshi');
  await page.getByLabel('URL').fill('https://external-api.kalshi.com/trade-api/v2/portfolio/orders?limit=5');
  await page.getByLabel('API key id').fill('a952bcbe-ec3b-4b5b-b8f9-11dae589608c');
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const curl = (await page.getByTestId('sign-curl').textContent())!;
  const ts = /KALSHI-ACCESS-TIMESTAMP: (\d{13})'/.exec(curl)![1]!;
  const sig = /KALSHI-ACCESS-SIGNATURE: ([A-Za-z0-9+/=]+)'/.exec(curl)![1]!;
  // What Kalshi verifies: RSA-PSS SHA-256, salt 32, over timestamp + METHOD + path (no query).
  const pss = { key: createPublicKey(pem), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const text = `${ts}GET/trade-api/v2/portfolio/orders`;
  expect(nodeVerify('sha256', Buffer.from(text), pss, Buffer.from(sig, 'base64'))).toBe(true);

  const verdict = await inspect(page, curl, pem);
  await expect(verdict).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await expect(verdict).toContainText('Signature verified');
  // "Copy signature base" copies the exact bytes signed, not the report's labelled list.
  await page.getByRole('button', { name: 'Copy signature base' }).click();
  await expect.poll(() => readClipboard(context)).toBe(text);

  await page.getByLabel(/^JWT/).fill(curl.replace('/portfolio/orders', '/portfolio/ordert'));
  await expect(verdict).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  // An RSA-PSS signature over other bytes names no key: its shape alone proves nothing (random bytes
  // have it about once in 2^15), so keybench says the key or the bytes differ, not which.
  await expect(verdict).toHaveAttribute('data-code', 'ERR_SCHEME_SIGNATURE');
});

test('Bybit: an RSA pair signs a POST in the Bybit tab; Inspect verifies the curl, and a body re-spaced after signing is named', async ({
  page,
}) => {
  // Bybit refuses a request older than its recvWindow (5 s): the page's clock stands still, so the
  // verdict does not depend on how long this machine takes between signing and inspecting.
  await page.clock.setFixedTime(new Date());
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048', 'Bybit');
  const pem = (await card.getByTestId('public-pem').textContent())!;

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Bybit', exact: true }).click();
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('URL').fill('https://api.bybit.com/v5/order/create');
  await page.getByLabel('API key', { exact: true }).fill('XXXXXXXXXXXXXXXXXX');
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const curl = (await page.getByTestId('sign-curl').textContent())!;
  expect(curl).toContain("X-BAPI-SIGN-TYPE: 2'");
  expect(curl).toContain('{"category":"spot",');

  const verdict = await inspect(page, curl, pem);
  await expect(verdict).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await expect(verdict).toContainText('Signature verified');

  await page.getByLabel(/^JWT/).fill(curl.replace('{"category":"spot",', '{"category": "spot",'));
  await expect(verdict).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(verdict).toHaveAttribute('data-code', 'ERR_SCHEME_BODY_REFORMATTED');
});
