/**
 * RFC 9421 to the letter, as the page shows it: a request whose components carry ;req (a signed
 * response's, pasted as a request) is refused with its code even though the signature is genuine;
 * the RFC's B.2.1 request verifies with the RFC's own test-key-rsa-pss (PKCS#8, id-RSASSA-PSS)
 * imported as printed; a signature made long ago says how old it is against the bound shown.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import * as V from '../unit/support/rfc9421-vectors';

async function settled(page: Page) {
  const status = page.getByRole('main').getByRole('status').and(page.getByTestId('verdict'));
  await expect(status).not.toHaveAttribute('data-state', /pending|empty/, { timeout: 30_000 });
  return status.evaluate((el) => ({
    state: el.getAttribute('data-state'),
    code: el.getAttribute('data-code'),
    text: el.textContent ?? '',
  }));
}

async function paste(page: Page, request: string, key?: string) {
  await page.goto('./#/inspect');
  if (key !== undefined) await page.getByLabel('Verification key').fill(key);
  await page.getByLabel(/^JWT/).fill(request);
}

/** A request signed now with the RFC's Ed25519 test key over `covered` as a lenient verifier builds it. */
function signed(covered: [string, string][]): string {
  const created = Math.floor(Date.now() / 1000);
  const params = `(${covered.map(([id]) => id).join(' ')});created=${created}`;
  const base = [...covered.map(([id, v]) => `${id}: ${v}`), `"@signature-params": ${params}`].join('\n');
  const sig = nodeSign(null, Buffer.from(base), createPrivateKey(V.TEST_KEY_ED25519_PRIVATE)).toString(
    'base64',
  );
  return `GET /orders HTTP/1.1\nHost: example.com\nSignature-Input: sig1=${params}\nSignature: sig1=:${sig}:\n\n`;
}

test('a control request signed the same way verifies', async ({ page }) => {
  await paste(
    page,
    signed([
      ['"@method"', 'GET'],
      ['"@authority"', 'example.com'],
      ['"@path"', '/orders'],
    ]),
    V.TEST_KEY_ED25519_PUB,
  );
  const v = await settled(page);
  expect(v.state, v.text).toBe('verified');
});

test('components with ;req (a response’s signature pasted as a request) are refused, not verified', async ({
  page,
}) => {
  await paste(
    page,
    signed([
      ['"@method";req', 'GET'],
      ['"@authority";req', 'example.com'],
      ['"@path";req', '/orders'],
    ]),
    V.TEST_KEY_ED25519_PUB,
  );
  const v = await settled(page);
  expect(v.state).toBe('failed');
  expect(v.code).toBe('ERR_HTTPSIG_COMPONENT');
  expect(v.text).not.toContain('Signature verified');
  expect(v.text).toContain("it belongs in a response's signature");
});

test('B.2.1 verifies with test-key-rsa-pss imported as the RFC prints it, and its age is a warning', async ({
  page,
}) => {
  await page.goto('./#/keys');
  await page.getByLabel('Key to import').fill(V.TEST_KEY_RSA_PSS_PRIVATE);
  await page.getByLabel('Name (optional)').fill('test-key-rsa-pss');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const card = page.getByRole('article', { name: 'test-key-rsa-pss' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('RSA-PSS-2048');
  await paste(page, V.B21_SIGNED);
  const v = await settled(page);
  expect(v.state, v.text).toBe('verified');
  expect(v.text).toContain('Signature verified');
  expect(v.text).toContain('RSASSA-PSS SHA-512');
  await expect(page.getByRole('main')).toContainText('more than the 5 minutes keybench allows');
});
