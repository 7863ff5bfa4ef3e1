/**
 * The generic partner card: "Check as" lists every token scheme after
 * Auto-detect and overrides recognition; the scheme's option fields are checked; a token only its
 * own x5c certificate verifies never gets a green card.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations } from './fixtures';

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** An RSA key and a self-signed certificate for it, made with openssl. */
function opensslKeyAndCert(): { privateKey: KeyObject; publicPem: string; certB64: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kb-card-'));
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
      '/CN=card-test',
    ],
    { stdio: 'ignore' },
  );
  const privateKey = createPrivateKey(readFileSync(key));
  const certPem = readFileSync(cert, 'utf8');
  return {
    privateKey,
    publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
    certB64: certPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join(''),
  };
}

function jwt(privateKey: KeyObject, claims: object, header: object = {}): string {
  const input = `${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(nodeSign('sha256', Buffer.from(input), privateKey))}`;
}

function snowflakeClaims(publicPem: string) {
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  const fp = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  const now = Math.floor(Date.now() / 1000);
  return { iss: `XY12345.JSMITH.${fp}`, sub: 'XY12345.JSMITH', iat: now, exp: now + 600 };
}

async function inspect(page: Page, token: string, key?: string) {
  await page.goto('./#/inspect');
  if (key) await page.getByLabel('Verification key').fill(key);
  await page.getByRole('textbox', { name: /^JWT/ }).fill(token);
}

const k = opensslKeyAndCert();

test('Check as: a token no scheme recognises is checked with the rules the user picks, and back', async ({
  page,
}) => {
  await inspect(
    page,
    jwt(k.privateKey, { iss: 'https://issuer.example', sub: 'someone', iat: 1 }),
    k.publicPem,
  );
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'verified');
  const rules = page.getByTestId('partner-rules');
  await expect(rules).toContainText("No partner's rules recognise this token");
  const checkAs = page.getByRole('combobox', { name: 'Check as' });
  await expect(checkAs.getByRole('option').first()).toHaveText('Auto-detect');
  await expect(checkAs.getByRole('option', { name: 'Snowflake' })).toHaveCount(1);
  await expect(page.getByTestId('snowflake-card')).toHaveCount(0);

  await checkAs.selectOption({ label: 'Snowflake' });
  const card = page.getByTestId('snowflake-card');
  await expect(card).toContainText('because you chose them under Check as');
  const summary = card.getByTestId('snowflake-summary');
  await expect(summary).toContainText('Snowflake checks fail');
  await expect(summary).toHaveAttribute('data-tone', 'bad');
  await expect(card.locator('li.error').filter({ hasText: 'iss' }).first()).toContainText(
    'not <ACCOUNT>.<USER>',
  );
  await expectNoAxeViolations(page, 'Inspect, a partner card chosen under Check as');

  await page.getByRole('combobox', { name: 'Check as' }).selectOption({ label: 'Auto-detect' });
  await expect(page.getByTestId('snowflake-card')).toHaveCount(0);
  await expect(page.getByTestId('partner-rules')).toBeVisible();
});

test('the card asks for what the user expects, and names a different account', async ({ page }) => {
  await inspect(page, jwt(k.privateKey, snowflakeClaims(k.publicPem)), k.publicPem);
  const card = page.getByTestId('snowflake-card');
  const summary = card.getByTestId('snowflake-summary');
  // Nothing typed: the account and user decide whether Snowflake accepts, so the card is amber
  // and each is marked "Not compared", never ✔.
  await expect(summary).toHaveText(
    'No Snowflake check fails, but 2 checks were not compared (Account, User): type or paste what the card asks for below.',
  );
  await expect(summary).toHaveAttribute('data-tone', 'warn');
  await expect(card.locator('li.unchecked')).toHaveCount(2);
  await expect(card.locator('li.unchecked').first()).toContainText('Not compared');
  await expect(card.locator('li.unchecked').first()).not.toContainText('✔');
  await expect(card).toContainText("reads as Snowflake's");
  await card.getByRole('textbox', { name: 'Expected account' }).fill('myorg.other');
  await expect(summary).toHaveText('1 Snowflake check fails.');
  await expect(card.locator('li.error').filter({ hasText: 'Account' })).toContainText(
    'you expect MYORG-OTHER',
  );
  await card
    .getByRole('textbox', { name: 'Expected account' })
    .fill('https://xy12345.us-east-1.snowflakecomputing.com');
  await card.getByRole('textbox', { name: 'Expected user' }).fill('jsmith');
  await expect(summary).toHaveText('All Snowflake checks pass.');
  await expect(summary).toHaveAttribute('data-tone', 'ok');
  await expect(card.locator('li.ok').filter({ hasText: 'as expected' })).toHaveCount(2);
});

test('attack: a Snowflake token that only its own x5c certificate verifies never gets a green card', async ({
  page,
}) => {
  await inspect(page, jwt(k.privateKey, snowflakeClaims(k.publicPem), { x5c: [k.certB64] }));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'embedded');
  const summary = page.getByTestId('snowflake-card').getByTestId('snowflake-summary');
  await expect(summary).toContainText('No Snowflake check fails');
  await expect(summary).toContainText('no key you trust verified the signature');
  await expect(summary).toHaveAttribute('data-tone', 'warn');
  // The certificate's key is not a trusted key: the fingerprint in iss matches none.
  await expect(
    page.getByTestId('snowflake-card').locator('li').filter({ hasText: 'Fingerprint:' }),
  ).toContainText('No trusted key');
});
