import { generateKeyPairSync } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { test, expect, storedKeysInPage } from './fixtures';
import { vector } from '../unit/support/helpers';
import { nodeJws } from '../unit/support/jwt-helpers';

/** Drop a file with these bytes onto the element, as a file manager's drag-and-drop does. */
async function dropFile(page: Page, target: Locator, name: string, bytes: Buffer | string) {
  const data = [...Buffer.from(bytes)];
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name));
      return dt;
    },
    { name, data },
  );
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

test('a token file and a .pub, .jwk or .json key file dropped on the inspector verify', async ({ page }) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const token = nodeJws('ES512', privateKey, { sub: 'dropped' });
  const jwk = JSON.stringify(publicKey.export({ format: 'jwk' }));

  await page.goto('./#/inspect');
  await dropFile(page, page.getByLabel('JWT'), 'token.jwt', `${token}\n`);
  await expect(page.getByTestId('payload-json')).toContainText('"dropped"');
  const verdict = page.getByTestId('verdict');
  const keyBox = page.getByLabel('Verification key');
  const files: [string, string][] = [
    ['jwtECDSASHA512.key.pub', publicKey.export({ type: 'spki', format: 'pem' }) as string],
    ['key.jwk', jwk],
    ['jwks.json', JSON.stringify({ keys: [JSON.parse(jwk)] })],
  ];
  for (const [name, text] of files) {
    await dropFile(page, keyBox, 'other.pem', vector('qitech', 'qitech-side.key.pub'));
    await expect(verdict).toContainText('Not verified');
    await dropFile(page, keyBox, name, text);
    await expect(verdict, name).toContainText('Signature verified');
  }
});

test('a private key file dropped on "Key to import" becomes a stored, non-extractable key', async ({
  page,
}) => {
  await page.goto('./#/keys');
  await dropFile(page, page.getByLabel('Key to import'), 'private.pem', vector('qredo', 'private.pem'));
  await expect(page.getByLabel('Key to import')).toHaveValue(/^-----BEGIN (RSA )?PRIVATE KEY-----/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('article')).toHaveCount(1);
  expect(await storedKeysInPage(page)).toMatchObject([
    { kind: 'pair', extractable: false, exportRejected: true },
  ]);
});

test('a binary (DER) file is refused with the command that converts it, and nothing is filled in', async ({
  page,
}) => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await page.goto('./#/inspect');
  const keyBox = page.getByLabel('Verification key');
  await dropFile(page, keyBox, 'partner.der', publicKey.export({ type: 'spki', format: 'der' }));
  await expect(page.getByRole('alert')).toContainText('partner.der is a binary file');
  await expect(page.getByRole('alert')).toContainText("openssl pkey -pubin -inform der -in 'partner.der'");
  await expect(keyBox).toHaveValue('');
});
