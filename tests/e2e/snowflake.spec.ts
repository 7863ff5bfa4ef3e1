import {
  createHash,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, generateKey, readClipboard } from './fixtures';

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** An RS256 JWT signed in Node with the given private key. */
function nodeJwt(privateKey: KeyObject, claims: object): string {
  const input = `${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(nodeSign('sha256', Buffer.from(input), privateKey))}`;
}

async function inspect(page: Page, token: string) {
  await page.goto('./#/inspect');
  await page.getByRole('textbox', { name: /^JWT/ }).fill(token);
}

test('Snowflake: statement, fingerprint and key-pair JWT for a stored RSA pair; the inspector checks it', async ({
  page,
  context,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048');
  await card.getByRole('button', { name: 'Copy public key' }).click();
  await expect(card.getByText('Copied', { exact: true })).toBeVisible();
  const pem = await readClipboard(context);
  const publicKey = createPublicKey(pem);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = `SHA256:${createHash('sha256').update(der).digest('base64')}`;

  await page.goto('./#/sign');
  await page.getByRole('button', { name: 'Snowflake' }).click();
  await page.getByRole('textbox', { name: 'Account' }).fill('xy12345.us-east-1');
  await page.getByRole('textbox', { name: 'User' }).fill('jsmith');

  // The fingerprint as DESCRIBE USER prints it.
  await expect(page.getByTestId('snowflake-fingerprint')).toHaveText(fingerprint);
  // The statement, ready to copy.
  const statement = page.getByTestId('snowflake-statement');
  await expect(statement).toHaveText(`ALTER USER jsmith SET RSA_PUBLIC_KEY='${der.toString('base64')}';`);
  const out = page.locator('.out').filter({ has: statement });
  await out.getByRole('button', { name: 'Copy' }).click();
  await expect(out.getByText('Copied', { exact: true })).toBeVisible();
  expect(await readClipboard(context)).toBe(
    `ALTER USER jsmith SET RSA_PUBLIC_KEY='${der.toString('base64')}';`,
  );
  // The rotation slot.
  await page.getByRole('radio', { name: /RSA_PUBLIC_KEY_2/ }).check();
  await expect(statement).toHaveText(`ALTER USER jsmith SET RSA_PUBLIC_KEY_2='${der.toString('base64')}';`);
  await page.getByRole('radio', { name: 'RSA_PUBLIC_KEY', exact: true }).check();

  // The account normalisation, step by step.
  const steps = page.getByTestId('snowflake-account-steps');
  await expect(steps).toContainText('XY12345');
  await expect(steps.getByRole('listitem')).toHaveCount(2);
  await expect(steps.getByRole('listitem').first()).toContainText('region');

  await page.getByRole('button', { name: 'Create Snowflake JWT' }).click();
  const jwt = (await page.getByTestId('snowflake-jwt').textContent()) ?? '';
  const [h, p, s] = jwt.split('.');
  expect(decodePart(h)).toEqual({ alg: 'RS256', typ: 'JWT' });
  expect(nodeVerify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s ?? '', 'base64url'))).toBe(
    true,
  );
  const claims = decodePart(p) as { iss: string; sub: string; iat: number; exp: number };
  expect(claims.iss).toBe(`XY12345.JSMITH.${fingerprint}`);
  expect(claims.sub).toBe('XY12345.JSMITH');
  expect(claims.exp - claims.iat).toBeGreaterThan(0);
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
  await expect(page.getByTestId('snowflake-header-authorization')).toHaveText(`Authorization: Bearer ${jwt}`);
  await expect(page.getByTestId('snowflake-header-x-snowflake-authorization-token-type')).toHaveText(
    'X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT',
  );
  const curl = page.getByTestId('snowflake-curl');
  await expect(curl).toContainText('https://xy12345.us-east-1.snowflakecomputing.com/api/v2/statements');
  await expect(curl).toContainText(`Authorization: Bearer ${jwt}`);

  await expectNoAxeViolations(page, 'Sign, Snowflake tab with a JWT');

  // The inspector recognises it and every Snowflake check passes.
  await inspect(page, jwt);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  const sf = page.getByTestId('snowflake-card');
  await expect(sf.getByRole('heading', { name: 'Snowflake key-pair JWT' })).toBeVisible();
  // Green needs the account and user the token names compared with the ones expected.
  await sf.getByRole('textbox', { name: 'Expected account' }).fill('xy12345.us-east-1');
  await sf.getByRole('textbox', { name: 'Expected user' }).fill('jsmith');
  await expect(sf.getByTestId('snowflake-summary')).toHaveText('All Snowflake checks pass.');
  await expect(sf.locator('li.error, li.warning')).toHaveCount(0);

  // A token with a lower-case account (signed in Node with another key) shows the case finding.
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherDer = other.publicKey.export({ type: 'spki', format: 'der' });
  const otherFp = `SHA256:${createHash('sha256').update(otherDer).digest('base64')}`;
  const now = Math.floor(Date.now() / 1000);
  await inspect(
    page,
    nodeJwt(other.privateKey, {
      iss: `xy12345.JSMITH.${otherFp}`,
      sub: 'xy12345.JSMITH',
      iat: now,
      exp: now + 600,
    }),
  );
  await expect(page.getByTestId('verdict')).not.toContainText('Signature verified');
  await expect(sf.locator('li.error').filter({ hasText: 'Account' }).first()).toContainText('not upper-case');
  await expect(sf.getByTestId('snowflake-summary')).toContainText('fail');
  await expectNoAxeViolations(page, 'Inspect, Snowflake card');
});

test('Snowflake: a bad account and a missing RSA pair are shown as alerts', async ({ page }) => {
  await page.goto('./#/sign');
  await page.getByRole('button', { name: 'Snowflake' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'RSA key pair' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Account' }).fill('xy12345.nowhere.else');
  await expect(page.getByRole('alert').filter({ hasText: 'cannot read' })).toBeVisible();
  await page.getByRole('button', { name: 'Create Snowflake JWT' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Generate or import an RSA-2048' })).toBeVisible();
});

test('attack: an HS256 token verified with a secret cannot borrow a stored key fingerprint for the Snowflake card', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048', 'Snowflake');
  const fingerprint = (await card.getByTestId('partner-fingerprint').textContent())!.trim();
  expect(fingerprint).toMatch(/^SHA256:/);
  const now = Math.floor(Date.now() / 1000);
  const secret = 'a shared secret the attacker also knows';
  const input = `${b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64u(
    JSON.stringify({ iss: `XY12345.JSMITH.${fingerprint}`, sub: 'XY12345.JSMITH', iat: now, exp: now + 600 }),
  )}`;
  const token = `${input}.${b64u(createHmac('sha256', secret).update(input).digest())}`;
  await inspect(page, token);
  await page.getByLabel('Verification key').fill(secret);
  // The token does verify, with the secret, and the verdict says so; the card must not vouch for it.
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'verified');
  await expect(page.getByTestId('verdict')).toContainText('pasted secret');
  const sf = page.getByTestId('snowflake-card');
  await expect(sf.getByTestId('snowflake-summary')).toHaveText('1 Snowflake check fails.');
  await expect(sf.locator('li.error').filter({ hasText: 'alg' })).toContainText('RS256 only');
  await expect(sf.locator('li.warning').filter({ hasText: 'Fingerprint' })).toContainText(
    'says nothing about who signed the token',
  );
});

/** A Snowflake key-pair JWT for `key`, issued at `iatSec`, with the key's fingerprint in iss. */
function snowflakeToken(key: { privateKey: KeyObject; publicKey: KeyObject }, iatSec: number): string {
  const der = key.publicKey.export({ type: 'spki', format: 'der' });
  const fp = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  return nodeJwt(key.privateKey, {
    iss: `XY12345.JSMITH.${fp}`,
    sub: 'XY12345.JSMITH',
    iat: iatSec,
    exp: iatSec + 3600,
  });
}

test('Snowflake card: the clock is read when a token is pasted, and the skew setting is honoured', async ({
  page,
}) => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const t0 = Date.parse('2026-06-01T12:00:00Z');
  await page.clock.install({ time: t0 });
  await page.goto('./#/inspect');
  // Timers stop here: the page's 15 s tick cannot refresh the clock behind the test's back.
  const t1 = t0 + 120_000;
  await page.clock.pauseAt(t1);
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  await page.getByLabel('Verification key').fill(pem);
  await page.getByRole('textbox', { name: /^JWT/ }).fill(snowflakeToken(key, t1 / 1000 - 120));
  await page.getByLabel('Clock-skew tolerance (seconds)').fill('0');
  const summary = page.getByTestId('snowflake-card').getByTestId('snowflake-summary');
  const sf = page.getByTestId('snowflake-card');
  await sf.getByRole('textbox', { name: 'Expected account' }).fill('XY12345');
  await sf.getByRole('textbox', { name: 'Expected user' }).fill('JSMITH');
  await expect(summary).toHaveText('All Snowflake checks pass.');
  // Ten minutes later (no tick since), a token signed just now is pasted: it is not "in the future".
  const t2 = t1 + 600_000;
  await page.clock.setSystemTime(t2);
  await page.getByRole('textbox', { name: /^JWT/ }).fill(snowflakeToken(key, t2 / 1000));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'verified');
  await expect(summary).toHaveText('All Snowflake checks pass.');
  await expect(summary).toHaveAttribute('data-tone', 'ok');
  await expect(page.getByTestId('time-status')).not.toContainText('future');
  // A token 30 s ahead of this clock fails with no tolerance, and passes within 60 s.
  await page.getByRole('textbox', { name: /^JWT/ }).fill(snowflakeToken(key, t2 / 1000 + 30));
  await expect(summary).toHaveText('1 Snowflake check fails.');
  await expect(page.getByTestId('snowflake-card').locator('li.error')).toContainText('in the future');
  await page.getByLabel('Clock-skew tolerance (seconds)').fill('60');
  await expect(summary).toHaveText('All Snowflake checks pass.');
  // The inspector's own time check reads the same clock.
  await expect(page.getByTestId('time-status')).not.toContainText('future');
  await page.clock.resume();
});

test('Snowflake card: beside a signature no trusted key verified, the summary is not green', async ({
  page,
}) => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await inspect(page, snowflakeToken(key, Math.floor(Date.now() / 1000)));
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-state', 'failed');
  const summary = page.getByTestId('snowflake-card').getByTestId('snowflake-summary');
  await expect(summary).toContainText('No Snowflake check fails');
  await expect(summary).toContainText('no key you trust verified the signature');
  await expect(summary).toHaveAttribute('data-tone', 'warn');
  await expect(summary).not.toHaveClass(/\bok\b/);
  await expect(summary).toHaveClass(/\bwarn\b/);
});
