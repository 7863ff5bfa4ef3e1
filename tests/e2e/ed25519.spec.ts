import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test, expect, generateKey, storedKeysInPage } from './fixtures';

test.beforeEach(async ({ page }) => {
  await page.goto('./#/keys');
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
});

test('generates a non-extractable Ed25519 pair; the downloaded PEM is ED25519 to openssl and node', async ({
  page,
}) => {
  const generate = page.getByRole('button', { name: /Generate.*Ed25519/ });
  await expect(generate).toBeEnabled();
  await expect(generate).not.toContainText('not supported');
  const card = await generateKey(page, 'Ed25519');

  const stored = await storedKeysInPage(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ kind: 'pair', extractable: false, exportRejected: true, canSign: true });

  const downloadPromise = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Download public key' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('ed25519.pub.pem');
  const pem = readFileSync((await download.path())!, 'utf8');
  const key = createPublicKey(pem);
  expect(key.asymmetricKeyType).toBe('ed25519');
  const text = execFileSync('openssl', ['pkey', '-pubin', '-noout', '-text'], {
    input: pem,
    encoding: 'utf8',
  });
  expect(text).toMatch(/ED25519 Public-Key/);
  const der = key.export({ type: 'spki', format: 'der' });
  const fp = createHash('sha256').update(der).digest('hex').match(/../g)!.join(':');
  await expect(card.getByTestId('fingerprint')).toHaveText(fp);

  // A test JWT from the signer: header alg EdDSA, verified by node:crypto and by the inspector.
  await page.getByRole('link', { name: 'Sign' }).click();
  // The pair serves Binance alone, so Sign opens on Binance's form: choose Test JWT.
  await expect(page.getByRole('button', { name: 'Binance', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.getByRole('button', { name: 'Test JWT' }).click();
  await page.getByRole('button', { name: 'kid = key thumbprint' }).click();
  await page.getByRole('button', { name: 'Sign JWT' }).click();
  const token = (await page.getByTestId('signed-jwt').textContent())!;
  const [h, p, s] = token.split('.');
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'EdDSA' });
  expect(verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s!, 'base64url'))).toBe(true);
  await page.getByRole('button', { name: 'Open in Inspect' }).click();
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await expect(page.getByTestId('verdict')).toContainText('EdDSA');
});

test('says on the button, before any click, when the browser lacks Ed25519', async ({ page }) => {
  await page.addInitScript(() => {
    const original = SubtleCrypto.prototype.generateKey;
    SubtleCrypto.prototype.generateKey = function (this: SubtleCrypto, ...args: unknown[]) {
      const alg = args[0] as { name?: string } | string;
      const name = typeof alg === 'string' ? alg : alg.name;
      if (name === 'Ed25519')
        return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
      return (original as (...a: unknown[]) => Promise<CryptoKeyPair>).apply(this, args);
    } as typeof original;
  });
  await page.reload();
  const generate = page.getByRole('button', { name: /Generate.*Ed25519/ });
  await expect(generate).toBeDisabled();
  await expect(generate).toContainText('Ed25519 is not supported by this browser');
  await expect(page.getByRole('button', { name: /Generate.*RSA-2048/ })).toBeEnabled();
});

test('imports an openssl Ed25519 PKCS#8 key as a non-extractable pair', async ({ page }) => {
  const privatePem = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519'], { encoding: 'utf8' });
  const publicPem = execFileSync('openssl', ['pkey', '-pubout'], { input: privatePem, encoding: 'utf8' });
  await page.getByLabel('Key to import').fill(privatePem);
  await page.getByLabel('Name (optional)').fill('Binance bot');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const card = page.getByRole('article', { name: /Binance bot/ });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('public-pem')).toHaveText(publicPem.trim());
  const stored = await storedKeysInPage(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ kind: 'pair', extractable: false, exportRejected: true, canSign: true });
});
