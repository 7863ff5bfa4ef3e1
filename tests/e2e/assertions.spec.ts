// The certificate card shows x5t and x5t#S256 (what Entra ID and other partners look the
// key up by) with Copy buttons, and offers the upload file as .pem and .cer.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, generateKey } from './fixtures';
import { tempDir } from '../unit/support/helpers';

test('certificate card: x5t / x5t#S256 match the certificate, and the .pem / .cer downloads are it', async ({
  page,
}) => {
  const dir = tempDir();
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048');
  await card.getByRole('button', { name: 'Create self-signed certificate' }).click();
  await card.getByLabel('Common name (CN)').fill('my-app.example.com');
  let dl = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Create and download certificate' }).click();
  const crt = join(dir, (await dl).suggestedFilename());
  await (await dl).saveAs(crt);
  const der = new X509Certificate(readFileSync(crt, 'utf8')).raw;
  const x5tS256 = createHash('sha256').update(der).digest('base64url');
  const x5t = createHash('sha1').update(der).digest('base64url');
  await expect(card.getByTestId('x5t-s256')).toHaveText(x5tS256);
  await expect(card.getByTestId('x5t')).toHaveText(x5t);
  await expect(card.getByRole('button', { name: 'Copy x5t#S256' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Copy x5t', exact: true })).toBeVisible();
  for (const ext of ['pem', 'cer']) {
    dl = page.waitForEvent('download');
    await card.getByRole('button', { name: `Download certificate (.${ext})` }).click();
    const file = join(dir, `x.${ext}`);
    await (await dl).saveAs(file);
    expect((await dl).suggestedFilename().endsWith(`.${ext}`)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(crt, 'utf8'));
  }
});
