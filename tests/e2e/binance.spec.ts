/**
 * Binance Spot API signing through the page: a stored RSA-2048 pair signs a request;
 * node:crypto verifies the payload and signature shown, and the request doctor verifies the curl
 * command produced.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { test, expect, expectNoAxeViolations, generateKey } from './fixtures';

test('Binance: an RSA pair signs a Spot API request; node:crypto and the request doctor verify it', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048');
  const pem = (await card.getByTestId('public-pem').textContent())!;
  expect(pem).toContain('-----BEGIN PUBLIC KEY-----');

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Binance' }).click();
  await expect(page.getByLabel('URL')).toHaveValue('https://api.binance.com/api/v3/order');
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('Query parameters').fill('symbol=BTCUSDT');
  await page.getByLabel('Body parameters').fill('side=BUY\nnote=café');
  await page.getByLabel('API key').fill('kb-e2e-api-key');
  await expect(page.getByLabel('recvWindow')).toHaveValue('5000');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  const payload = (await page.getByTestId('binance-payload').textContent())!;
  const signature = (await page.getByTestId('binance-signature').textContent())!;
  expect(payload).toMatch(/^symbol=BTCUSDTside=BUY&note=caf%C3%A9&timestamp=\d{13}&recvWindow=5000$/);
  expect(await page.getByTestId('binance-signature-encoded').textContent()).toBe(
    encodeURIComponent(signature),
  );
  await expect(page.getByTestId('binance-apikey')).toHaveText('kb-e2e-api-key');
  expect(
    nodeVerify(
      'sha256',
      Buffer.from(payload, 'utf8'),
      createPublicKey(pem),
      Buffer.from(signature, 'base64'),
    ),
  ).toBe(true);
  const curl = (await page.getByTestId('binance-curl').textContent())!;
  expect(curl).toContain('X-MBX-APIKEY: kb-e2e-api-key');
  expect(curl).toContain(`signature=${encodeURIComponent(signature)}`);
  await expectNoAxeViolations(page, 'Sign → Binance with a result');

  // The µs choice: a 16-digit timestamp.
  await page.getByRole('radio', { name: 'µs' }).check();
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await expect(page.getByTestId('binance-payload')).toContainText(/timestamp=\d{16}&/);
  // A recvWindow over Binance's maximum is refused.
  await page.getByLabel('recvWindow').fill('60001');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await expect(page.getByRole('alert')).toContainText('60000');
  await page.getByLabel('recvWindow').fill('5000');
  await page.getByRole('radio', { name: 'ms' }).check();

  // The curl command from the first signature, pasted into Inspect with the public PEM, verifies.
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.getByLabel(/^JWT/).fill(curl);
  await page.getByLabel('Verification key').fill(pem);
  const status = page.getByRole('main').getByRole('status').and(page.getByTestId('verdict'));
  await expect(status).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await expect(status).toContainText('Signature verified');
});

test('Binance: a GET puts timestamp and signature in the query; a bad parameter line is an alert', async ({
  page,
}) => {
  await page.goto('./#/keys');
  await generateKey(page, 'RSA-2048');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Binance' }).click();
  await page.getByLabel('Method').selectOption('GET');
  await expect(page.getByLabel('Body parameters')).toHaveCount(0);
  await page.getByLabel('Query parameters').fill('symbol=BTCUSDT\nnot a pair');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await expect(page.getByRole('alert')).toContainText('line 2');
  await page.getByLabel('Query parameters').fill('symbol=BTCUSDT');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  const url = (await page.getByTestId('binance-url').textContent())!;
  expect(url).toMatch(
    /^https:\/\/api\.binance\.com\/api\/v3\/order\?symbol=BTCUSDT&timestamp=\d{13}&recvWindow=5000&signature=[A-Za-z0-9%]+$/,
  );
  await expect(page.getByTestId('binance-body')).toHaveCount(0);
  // The form Binance's docs show: a query string, with or without "?", gives separate parameters.
  await page.getByLabel('Query parameters').fill('?symbol=BTCUSDT&side=BUY');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await expect(page.getByTestId('binance-url')).toHaveText(
    /\?symbol=BTCUSDT&side=BUY&timestamp=\d{13}&recvWindow=5000&signature=[A-Za-z0-9%]+$/,
  );
  // A query string among lines would make one parameter hold "&side=BUY": refused, saying why.
  await page.getByLabel('Query parameters').fill('symbol=BTCUSDT&side=BUY\ntype=LIMIT');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await expect(page.getByRole('alert')).toContainText('line 1 holds "&"');
});
