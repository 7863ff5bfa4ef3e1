/**
 * The one rule for a green partner card, as the page shows it: an Entra assertion verified with the
 * pasted key, but with no certificate, tenant or client id to compare, is amber and marks each of
 * those "Not compared" (never ✔); typed on the card, the card turns green. Screenshots of both
 * (light, dark, phone) are saved to docs/screenshots/ when KB_SCREENSHOTS=1.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, constants, sign as nodeSign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './fixtures';

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';

/** An RSA key and its self-signed certificate, made with openssl. */
function keyAndCert() {
  const dir = mkdtempSync(join(tmpdir(), 'kb-rule-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=entra-app',
    ],
    { stdio: 'ignore' },
  );
  const privateKey = createPrivateKey(readFileSync(key));
  const certPem = readFileSync(cert, 'utf8');
  const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    privateKey,
    publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
    certPem,
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

const k = keyAndCert();

/** An Entra client assertion as the current docs describe it (PS256, x5t#S256). */
function entraAssertion(): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': k.x5tS256 };
  const claims = {
    aud: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    iss: CLIENT,
    sub: CLIENT,
    jti: '8d2c1f4e-0000-4000-8000-000000000001',
    nbf: now,
    iat: now,
    exp: now + 600,
  };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const sig = nodeSign('sha256', Buffer.from(input), {
    key: k.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  return `${input}.${b64u(sig)}`;
}

async function inspect(page: Page) {
  await page.goto('./#/inspect');
  await page.getByLabel('Verification key').fill(k.publicPem);
  await page.getByRole('textbox', { name: /^JWT/ }).fill(entraAssertion());
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'verified');
}

/** Type what the card needs to compare every deciding rule. */
async function typeExpected(page: Page) {
  const card = page.getByTestId('microsoft-entra-id-card');
  await card.getByRole('textbox', { name: 'Client ID' }).fill(CLIENT);
  await card.getByRole('textbox', { name: 'Tenant ID' }).fill(TENANT);
  await card.getByRole('textbox', { name: 'Certificate (PEM)' }).fill(k.certPem);
}

test('Entra card: amber with nothing to compare (each deciding rule "Not compared"), green once typed', async ({
  page,
}) => {
  await inspect(page);
  const card = page.getByTestId('microsoft-entra-id-card');
  const summary = card.getByTestId('microsoft-entra-id-summary');
  await expect(summary).toHaveAttribute('data-tone', 'warn');
  await expect(summary).toContainText('No Microsoft Entra ID check fails, but 3 checks were not compared');
  await expect(summary).toContainText('type or paste what the card asks for');
  const open = card.locator('li.unchecked');
  await expect(open).toHaveCount(3);
  for (const text of ['certificate thumbprint', 'aud = token endpoint', 'iss = client id']) {
    const line = open.filter({ hasText: text });
    await expect(line).toContainText('Not compared');
    await expect(line).not.toContainText('✔');
  }
  await expect(open.filter({ hasText: 'certificate thumbprint' })).toContainText(
    'paste the certificate you uploaded',
  );
  await expectNoAxeViolations(page, 'Inspect, an amber Entra card');

  await typeExpected(page);
  await expect(summary).toHaveText('All Microsoft Entra ID checks pass.');
  await expect(summary).toHaveAttribute('data-tone', 'ok');
  await expect(card.locator('li.unchecked')).toHaveCount(0);
  await expect(card.locator('li.ok').filter({ hasText: 'certificate thumbprint' })).toContainText(
    'the thumbprint of the certificate you pasted',
  );

  // Another tenant typed: red, never green.
  await card.getByRole('textbox', { name: 'Tenant ID' }).fill('00000000-0000-4000-8000-000000000000');
  await expect(summary).toHaveAttribute('data-tone', 'bad');
  await expect(summary).toHaveText('1 Microsoft Entra ID check fails.');
});

const MODES = [
  { name: 'light', viewport: { width: 1280, height: 900 }, colorScheme: 'light', isMobile: false },
  { name: 'dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark', isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true },
] as const;

// The pictures go to docs/screenshots with KB_SCREENSHOTS=1, else beside the test results: the
// tones are asserted in every mode either way.
const SHOTS = process.env.KB_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';

test('an amber and a green Entra card in light, dark and phone (and their pictures)', async ({ page }) => {
  test.setTimeout(120_000);
  for (const mode of MODES) {
    await page.setViewportSize(mode.viewport);
    await page.emulateMedia({ colorScheme: mode.colorScheme });
    // What was typed for the last mode is remembered: start each from a blank card.
    await page.goto('./#/inspect');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await inspect(page);
    const card = page.getByTestId('microsoft-entra-id-card');
    await expect(card.getByTestId('microsoft-entra-id-summary')).toHaveAttribute('data-tone', 'warn');
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await card.screenshot({ path: `${SHOTS}/card-amber-${mode.name}.png` });
    await typeExpected(page);
    await expect(card.getByTestId('microsoft-entra-id-summary')).toHaveAttribute('data-tone', 'ok');
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await card.screenshot({ path: `${SHOTS}/card-green-${mode.name}.png` });
  }
});
