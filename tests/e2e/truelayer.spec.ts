/**
 * TrueLayer through the page: a stored P-521 pair signs a payout request on the TrueLayer tab; the
 * curl command copied from it verifies in Inspect with the user's own stored key (the key box left
 * empty) and TrueLayer's SDK accepts its Tl-Signature; the same request with a changed body does not
 * verify.
 */
import * as tl from 'truelayer-signing';
import { test, expect, generateKey, readClipboard } from './fixtures';

// The SDK types its methods as a const enum, which it does not export at run time.
const POST = 'POST' as unknown as tl.HttpMethod;
const KID = '9f2b7bd6-c055-40b5-b616-120ccfd33c49';

test('TrueLayer: a P-521 pair signs a request; Inspect verifies its curl, and not once the body changes', async ({
  page,
  context,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'P-521', 'TrueLayer');
  const pem = (await card.getByTestId('public-pem').textContent())!;

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'TrueLayer' }).click();
  await page.getByLabel('Key ID (kid)').fill(KID);
  await expect(page.getByLabel('Idempotency-Key')).toHaveValue(/^[0-9a-f-]{36}$/);
  const body = await page.getByLabel('Body').inputValue();
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Copy curl' }).click();
  const curl = await readClipboard(context);
  expect(curl).toContain('Tl-Signature: ');

  // TrueLayer's own SDK accepts the signature shown, with the public key of the card.
  const signature = /Tl-Signature: ([\w.-]+)/.exec(curl)![1]!;
  const idempotencyKey = /Idempotency-Key: ([\w-]+)/.exec(curl)![1]!;
  expect(tl.extractKid(signature)).toBe(KID);
  tl.verify({
    publicKeyPem: pem,
    signature,
    method: POST,
    path: '/v3/payouts',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
    requiredHeaders: ['Idempotency-Key'],
  });

  await page.getByRole('link', { name: 'Inspect' }).click();
  const status = page.getByRole('main').getByRole('status').and(page.getByTestId('verdict'));
  await page.getByLabel(/^JWT/).fill(curl);
  await expect(status).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await expect(status).toContainText('Signature verified');

  const changed = curl.replace('"amount_in_minor":100', '"amount_in_minor":1000');
  expect(changed).not.toBe(curl);
  await page.getByLabel(/^JWT/).fill(changed);
  await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(status).not.toContainText('Signature verified');
});
