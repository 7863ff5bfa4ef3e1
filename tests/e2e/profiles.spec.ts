import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test, expect, expectNoAxeViolations, generateKey, readClipboard } from './fixtures';

const generateButtons = (page: import('@playwright/test').Page) =>
  page.getByRole('button', { name: /^Generate (RSA-2048( PSS)?|P-521|Ed25519) key pair/ });

test('the partner profile picker offers the key types each partner takes, the suggested one first', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const picker = page.getByLabel('Partner profile');
  await expect(picker.getByRole('option')).toHaveText([
    /^None/,
    'Qredo Partner API',
    'QI Tech',
    'Binance',
    'Snowflake',
    // client assertions
    'Microsoft Entra ID',
    'Okta',
    'Auth0',
    'Google Cloud',
    'Salesforce',
    // request signers on the scheme pipeline
    'Bybit',
    'Kalshi',
    // message-level encryption
    'Visa MLE',
    'CyberSource MLE',
    'Mastercard encryption',
  ]);
  const names = async () =>
    (await generateButtons(page).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  // None: every key type keybench makes.
  expect(await names()).toEqual([
    'Generate RSA-2048 key pair',
    'Generate P-521 key pair',
    'Generate Ed25519 key pair',
  ]);
  for (const [partner, expected] of [
    ['Qredo Partner API', ['Generate RSA-2048 key pair for Qredo Partner API']],
    ['QI Tech', ['Generate P-521 key pair for QI Tech']],
    ['Binance', ['Generate Ed25519 key pair for Binance', 'Generate RSA-2048 key pair for Binance']],
    ['Snowflake', ['Generate RSA-2048 key pair for Snowflake']],
    ['Okta', ['Generate RSA-2048 key pair for Okta', 'Generate P-521 key pair for Okta']],
    ['Kalshi', ['Generate RSA-2048 PSS key pair for Kalshi']],
  ] as const) {
    await picker.selectOption({ label: partner });
    await expect.poll(names).toEqual(expected);
    await expect(page.locator('#profile-summary')).toContainText(`${partner} takes`);
    await expect(page.getByText(`Onboarding steps for ${partner}`)).toBeVisible();
  }
  // The suggested key type is the primary button.
  await picker.selectOption({ label: 'Binance' });
  await expect(generateButtons(page).first()).toHaveClass(/primary/);
  await expect(generateButtons(page).nth(1)).not.toHaveClass(/primary/);
});

test('one RSA-2048 pair serves Qredo and Snowflake: each partner gets its upload, fingerprint and progress', async ({
  page,
  context,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048', 'Qredo Partner API');
  await expect(card.getByRole('heading', { level: 3 })).toHaveText(
    /^Qredo Partner API RSA-2048 \d{4}-\d{2}-\d{2}$/,
  );
  await expect(card.getByText('Serves')).toBeVisible();
  await expect(card.locator('dd').filter({ hasText: /^Qredo Partner API$/ })).toHaveCount(1);

  // The card lists the partners that take an RSA-2048 key: Qredo (served), Binance and Snowflake.
  const use = (name: string) => card.getByRole('checkbox', { name: `Use for ${name}` });
  await expect(use('Qredo Partner API')).toBeChecked();
  await expect(use('Binance')).not.toBeChecked();
  await expect(use('Snowflake')).not.toBeChecked();
  await expect(card.getByRole('checkbox', { name: 'Use for QI Tech' })).toHaveCount(0);

  // Serve Snowflake too: its fingerprint is DESCRIBE USER's, and its upload is the PEM body.
  await use('Snowflake').check();
  await expect(use('Snowflake')).toHaveAttribute('data-stored', 'true');
  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Download public key' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('public.pem');
  const pem = readFileSync((await file.path())!, 'utf8');
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  await expect(card.getByTestId('partner-fingerprint')).toHaveText(
    `SHA256:${createHash('sha256').update(der).digest('base64')}`,
  );
  await card.getByRole('button', { name: 'Copy Snowflake public key value' }).click();
  await expect(card.getByText('Copied', { exact: true })).toBeVisible();
  expect(await readClipboard(context)).toBe(der.toString('base64'));

  // Progress is per partner, and it lasts.
  const uploadedSnowflake = card.getByRole('checkbox', { name: 'Uploaded to Snowflake' });
  await uploadedSnowflake.check();
  await expect(uploadedSnowflake).toHaveAttribute('data-stored', 'true');
  await expectNoAxeViolations(page, 'key card serving two partners');
  await page.reload();
  await expect(use('Snowflake')).toBeChecked();
  await expect(uploadedSnowflake).toBeChecked();
  await expect(card.getByRole('checkbox', { name: 'Uploaded to Qredo Partner API' })).not.toBeChecked();

  // The Snowflake checklist counts this key as its newest: generated and uploaded are ticked.
  await page.getByLabel('Partner profile').selectOption({ label: 'Snowflake' });
  await page.getByText('Onboarding steps for Snowflake').click();
  const steps = page.locator('.steps li');
  await expect(steps.filter({ hasText: 'Generate an RSA-2048 key pair' })).toHaveClass(/done/);
  await expect(steps.filter({ hasText: 'Assign the public key to your user' })).toHaveClass(/done/);

  // Letting a partner go lasts too; the key stays.
  await use('Qredo Partner API').uncheck();
  await expect(use('Qredo Partner API')).toHaveAttribute('data-stored', 'false');
  await page.reload();
  await expect(use('Qredo Partner API')).not.toBeChecked();
  await expect(card.locator('dd').filter({ hasText: /^Snowflake$/ })).toHaveCount(1);
});

test('a key pair for no partner: plain name, no partner yet, and the openssl file name of its type', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'P-521', null);
  await expect(card.getByRole('heading', { level: 3 })).toHaveText(/^P-521 key \d{4}-\d{2}-\d{2}$/);
  await expect(card.getByText('No partner profile yet')).toBeVisible();
  await expect(card.getByRole('checkbox', { name: 'Use for QI Tech' })).not.toBeChecked();
  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Download public key' }).click();
  expect((await download).suggestedFilename()).toBe('jwtECDSASHA512.key.pub');
});

test('the request doctor names the profiles when a pasted request carries no signature it knows', async ({
  page,
}) => {
  await page.goto('./#/inspect');
  await page.getByRole('textbox', { name: /^JWT/ }).fill("curl -H 'x-foo: 1' https://api.example.com/v1/x");
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-code', 'ERR_REQUEST_NO_SCHEME');
  for (const name of ['Qredo Partner API', 'QI Tech', 'Binance', 'Snowflake'])
    await expect(verdict).toContainText(name);
});
