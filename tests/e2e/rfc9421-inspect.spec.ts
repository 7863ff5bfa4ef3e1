/**
 * HTTP Message Signatures (RFC 9421) in Inspect, through the one doctor: the RFC's own
 * Appendix B.2.6 request (ed25519) verifies with the RFC's test key, pasted or stored; a tampered
 * @authority fails and the signature base shows the component as sent; a keyid naming a key nobody
 * trusts is not verified; several signatures are each judged and labelled.
 */
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './fixtures';
import * as V from '../unit/support/rfc9421-vectors';

/** The verdict once settled, read in one go. */
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

test('B.2.6 (ed25519) verifies with the RFC key pasted; its signature base is shown line by line', async ({
  page,
}) => {
  await paste(page, V.B26_SIGNED, V.TEST_KEY_ED25519_PUB);
  const v = await settled(page);
  expect(v.state, v.text).toBe('verified');
  expect(v.text).toContain('Signature verified');
  await expect(page.getByTestId('request')).toContainText('HTTP Message Signatures (RFC 9421)');
  const base = page.getByTestId('signature-base').getByRole('listitem');
  await expect(base).toHaveText(V.B26_BASE.split('\n'));
  await expectNoAxeViolations(page, 'Inspect with a verified RFC 9421 request');
});

test('B.2.6 verifies with the RFC key stored (key box empty)', async ({ page }) => {
  await page.goto('./#/keys');
  await page.getByLabel('Key to import').fill(V.TEST_KEY_ED25519_PUB);
  await page.getByLabel('Name (optional)').fill('test-key-ed25519');
  await page.getByRole('radiogroup', { name: 'Whose key' }).getByRole('radio', { name: 'Mine' }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('article', { name: 'test-key-ed25519' })).toBeVisible();
  await paste(page, V.B26_SIGNED);
  const v = await settled(page);
  expect(v.state, v.text).toBe('verified');
  expect(v.text).toContain('Signature verified');
  await expect(page.getByText(/^Trying every stored key \(1\)/)).toBeVisible();
});

test('a tampered @authority fails, and the signature base names the component as sent', async ({ page }) => {
  await paste(page, V.B26_SIGNED.replace('Host: example.com', 'Host: example.org'), V.TEST_KEY_ED25519_PUB);
  const v = await settled(page);
  expect(v.state).toBe('failed');
  expect(v.code).toBe('ERR_HTTPSIG_SIGNATURE');
  expect(v.text).not.toContain('Signature verified');
  await expect(page.getByTestId('signature-base')).toContainText('"@authority": example.org');
});

test('keyid names a key, but none is trusted: not verified, and keybench says no key brought by the request counts', async ({
  page,
}) => {
  await paste(page, V.B26_SIGNED);
  const v = await settled(page);
  expect(v.state).toBe('failed');
  expect(v.code).toBe('ERR_HTTPSIG_NO_KEY');
  expect(v.text).not.toContain('Signature verified');
  expect(v.text).toContain('a name in the request never brings a key');
});

test('two signatures: each judged and labelled (sig-b26 holds, sig-b25 has no key)', async ({ page }) => {
  const input = (t: string) => /Signature-Input: (.*)/.exec(t)![1]!;
  const sig = (t: string) => /\nSignature: (.*)/.exec(t)![1]!;
  const both = V.B26_SIGNED.replace(
    /Signature-Input: .*\nSignature: .*/,
    `Signature-Input: ${input(V.B25_SIGNED)}, ${input(V.B26_SIGNED)}\nSignature: ${sig(V.B25_SIGNED)}, ${sig(V.B26_SIGNED)}`,
  );
  await paste(page, both, V.TEST_KEY_ED25519_PUB);
  const v = await settled(page);
  expect(v.state).toBe('failed');
  expect(v.text).toMatch(/✘\s*sig-b25:/);
  expect(v.text).toMatch(/✔\s*sig-b26:\s*Signature verified/);
  const b26 = page.getByRole('region', { name: 'Signature sig-b26' });
  await expect(b26.getByTestId('signature-verdict')).toContainText('Signature verified');
  await expect(b26.getByTestId('signature-base').getByRole('listitem')).toHaveText(V.B26_BASE.split('\n'));
  const b25 = page.getByRole('region', { name: 'Signature sig-b25' });
  await expect(b25.getByTestId('signature-verdict')).toContainText('ERR_HTTPSIG');
  await expect(b25.getByTestId('signature-verdict')).not.toContainText('Signature verified');
  await expectNoAxeViolations(page, 'Inspect with two RFC 9421 signatures');
});
