import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download } from '@playwright/test';
import { test, expect, generateKey, storedKeysInPage } from './fixtures';
import { openssl, tempDir } from '../unit/support/helpers';

async function save(download: Download, dir: string): Promise<string> {
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

for (const keyName of ['RSA-2048', 'P-521'] as const) {
  test(`${keyName}: CSR and self-signed certificate pass openssl and carry the stored public key`, async ({
    page,
  }) => {
    const dir = tempDir();
    await page.goto('./#/keys');
    const card = await generateKey(page, keyName);
    const pem = (await card.getByTestId('public-pem').textContent())!;
    const label = (await card.getByRole('heading', { level: 3 }).textContent())!.trim();

    await card.getByRole('button', { name: 'Create CSR' }).click();
    await card.getByLabel('Common name (CN)').fill('client.example.com');
    await card.getByLabel('DNS names (SAN, comma-separated)').fill('client.example.com, api.example.com');
    let dl = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Create and download CSR' }).click();
    const csr = await save(await dl, dir);
    expect(csr.endsWith('.csr')).toBe(true);
    expect(csr).toContain(label.replace(/[^A-Za-z0-9._-]+/g, '-'));
    openssl(['req', '-in', csr, '-verify', '-noout']);
    const csrKey = openssl(['req', '-in', csr, '-pubkey', '-noout']);
    expect(createPublicKey(csrKey).export({ type: 'spki', format: 'pem' })).toBe(pem);
    await card.getByRole('button', { name: 'Close' }).click();

    await card.getByRole('button', { name: 'Create self-signed certificate' }).click();
    await card.getByLabel('Common name (CN)').fill('client.example.com');
    dl = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Create and download certificate' }).click();
    const crt = await save(await dl, dir);
    expect(crt.endsWith('.crt')).toBe(true);
    expect(openssl(['verify', '-CAfile', crt, crt]).trim()).toBe(`${crt}: OK`);
    expect(createPublicKey(readFileSync(crt, 'utf8')).export({ type: 'spki', format: 'pem' })).toBe(pem);
    await expect(card.getByText(/SHA-256: ([0-9A-F]{2}:){31}[0-9A-F]{2}/)).toBeVisible();
    // Making the CSR and certificate stored nothing new.
    expect(await storedKeysInPage(page)).toHaveLength(1);
  });
}

for (const [profile, format, tool, privName, pubName] of [
  ['RSA-2048', 'PKCS#1', 'rsa', 'private.pem', 'public.pem'],
  ['P-521', 'SEC1', 'ec', 'jwtECDSASHA512.key', 'jwtECDSASHA512.key.pub'],
] as const) {
  test(`server key files (${profile}, ${format}): openssl accepts them; nothing is stored`, async ({
    page,
  }) => {
    const dir = tempDir();
    await page.goto('./#/keys');
    await page.getByRole('button', { name: 'Generate key files for a server' }).click();
    await page.getByRole('radio', { name: new RegExp(profile) }).check();
    await page.getByRole('radio', { name: new RegExp(format) }).check();
    await page.getByRole('button', { name: 'Generate the files' }).click();
    let dl = page.waitForEvent('download');
    await page.getByRole('button', { name: `Download private key (${privName})` }).click();
    const priv = await save(await dl, dir);
    await expect(page.getByText('Private key downloaded and forgotten by this page.')).toBeVisible();
    dl = page.waitForEvent('download');
    await page.getByRole('button', { name: `Download public key (${pubName})` }).click();
    const pub = await save(await dl, dir);
    expect(openssl(['pkey', '-in', priv, '-check', '-noout'])).toMatch(/valid/i);
    expect(openssl([tool, '-in', priv, '-pubout'])).toBe(readFileSync(pub, 'utf8'));
    await page.getByRole('button', { name: 'Done — forget these files' }).click();
    expect(await storedKeysInPage(page)).toEqual([]);
    await expect(page.getByRole('article')).toHaveCount(0);
  });
}
