import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, generateKey, pasteInto } from './fixtures';
import { nodeJws } from '../unit/support/jwt-helpers';

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function rs256() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = nodeJws('RS256', privateKey, {
    sub: 'user-42',
    name: 'A Newcomer',
    iss: 'https://issuer.example',
    exp: Math.floor(Date.now() / 1000) + 600,
  });
  return { token, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

/** The verdict's box lies wholly inside the viewport. */
async function expectVerdictOnScreen(page: Page, where: string) {
  const box = await page.getByTestId('verdict').boundingBox();
  const vp = page.viewportSize()!;
  expect(box, where).not.toBeNull();
  expect(box!.y, `${where}: verdict top`).toBeGreaterThanOrEqual(0);
  expect(box!.y + Math.min(box!.height, 80), `${where}: verdict in sight`).toBeLessThanOrEqual(vp.height);
}

test('no key yet is a calm state that says what to paste, without "Not verified" twice', async ({ page }) => {
  await page.goto('./#/inspect');
  const { token, publicPem } = rs256();
  await page.getByLabel('JWT').fill(token);
  const status = page.getByTestId('verdict');
  await expect(status).toHaveAttribute('data-kind', 'no-key');
  await expect(status).toContainText('No key to check the signature with yet.');
  await expect(status).toContainText("Paste the issuer's public key");
  await expect(status).not.toContainText('Not verified');
  await expect(status).not.toContainText('✘');
  await expect(status).not.toContainText('Signature verified');
  // The code is kept, on a details line.
  await expect(page.getByTestId('verdict-details')).toContainText('ERR_JWT_NO_KEY');

  // With the key: verified, and the calm state is gone.
  await page.getByLabel('Verification key').fill(publicPem);
  await expect(status).toContainText('Signature verified');
  await expect(status).not.toHaveAttribute('data-kind', 'no-key');

  // A wrong key: not verified, said once.
  await page.getByLabel('Verification key').fill(rs256().publicPem);
  await expect(status).toHaveAttribute('data-state', 'failed');
  const words = (await status.textContent())!;
  expect(words.match(/Not verified/g) ?? [], words).toHaveLength(1);
});

test('the token is shown in three colours, in its own box, with its dots', async ({ page }) => {
  await page.goto('./#/inspect');
  const { token } = rs256();
  const [h, p, s] = token.split('.');
  await page.getByLabel('JWT').fill(token);
  // Coloured where it is typed: the colours lie behind the box's own text, no second copy.
  const colours = page.getByTestId('token-colours');
  await expect(colours.locator('.seg-h')).toHaveText(h!);
  await expect(colours.locator('.seg-p')).toHaveText(p!);
  await expect(colours.locator('.seg-s')).toHaveText(s!);
  await expect(colours.locator('.seg-dot')).toHaveCount(2);
  const tints = await colours
    .locator('span:not(.seg-dot)')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
  expect(new Set(tints).size).toBe(3);
  await expect(page.getByTestId('token-mirror')).toHaveCount(0);
  // The box itself stays a plain textbox holding the token.
  await expect(page.getByLabel('JWT')).toHaveValue(token);
});

test('a 5 MB token is not coloured, and the page stays responsive', async ({ page }) => {
  await page.goto('./#/inspect');
  const big = `${b64u('{"alg":"HS256"}')}.${b64u(JSON.stringify({ d: 'x'.repeat(3_800_000) }))}.${b64u('sig')}`;
  expect(big.length).toBeGreaterThan(5_000_000);
  await pasteInto(page, '#jwt-input', big);
  await expect(page.locator('#jwt-notes')).toContainText('not coloured', { timeout: 30_000 });
  // What keeps the page responsive is that the 5 MB are never coloured (how long the page's tasks
  // take is measured by npm run bench, not asserted here).
  await expect(page.getByTestId('token-colours')).toHaveCount(0);
});

for (const size of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`after a paste the verdict is on screen at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto('./#/inspect');
    const { token, publicPem } = rs256();
    await page.getByLabel('JWT').fill(token);
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-kind', 'no-key');
    await expectVerdictOnScreen(page, 'no key');
    await page.getByLabel('Verification key').fill(publicPem);
    // Pasting the key (further down on a phone) scrolls there; paste the token again, as a user would.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByLabel('JWT').fill(token);
    await expect(page.getByTestId('verdict')).toContainText('Signature verified');
    await expectVerdictOnScreen(page, 'verified');
    if (size.width === 1280) {
      // On a desktop the decoded payload is in sight too.
      const payload = await page.getByTestId('payload-json').boundingBox();
      expect(payload!.y).toBeLessThan(size.height);
    }
  });
}

test('a key or JSON pasted in the token box: what it is and where it goes', async ({ page }) => {
  await page.goto('./#/inspect');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const status = page.getByTestId('verdict');
  await page.getByLabel('JWT').fill(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  await expect(status).toContainText(
    'This is a public key (PEM), not a token. Paste it in Verification key below.',
  );
  await expect(page.getByTestId('verdict-details')).toContainText('ERR_JWT_SEGMENTS');
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await page.getByLabel('JWT').fill(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  await expect(status).toContainText('This is a private key: do not paste it here.');
  await page.getByLabel('JWT').fill(JSON.stringify(publicKey.export({ format: 'jwk' })));
  await expect(status).toContainText('This is a JWK (a key in JSON), not a token.');
  await page.getByLabel('JWT').fill('{"sub":"alice"}');
  await expect(status).toContainText("a token's header or payload alone is not a token");
  await expect(status).not.toContainText('Signature verified');
});

test('Test JWT with a Secret (HS384): signs what createHmac computes, and verifies in the inspector', async ({
  page,
}) => {
  await page.goto('./#/sign');
  await page.getByRole('button', { name: 'Test JWT' }).click();
  // No key pair yet: the signer offers the secret at once.
  await page
    .getByLabel('Secret', { exact: true })
    .fill('a test secret of at least forty-eight bytes, for HS384!');
  await page.getByLabel('Algorithm').selectOption('HS384');
  await page.getByRole('button', { name: 'Sign JWT' }).click();
  const token = (await page.getByTestId('signed-jwt').textContent())!.trim();
  const [h, p, s] = token.split('.');
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'HS384' });
  expect(s).toBe(
    createHmac('sha384', 'a test secret of at least forty-eight bytes, for HS384!')
      .update(`${h}.${p}`)
      .digest('base64url'),
  );
  await page.getByRole('button', { name: 'Open in Inspect' }).click();
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');

  // Edit and re-sign, in place: the payload changes, the token is signed again with the secret
  // in the key box (typed there once), and it verifies.
  await page.getByLabel('Verification key').fill('a test secret of at least forty-eight bytes, for HS384!');
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await page.getByRole('button', { name: 'Edit and re-sign' }).click();
  await page.getByLabel('Payload (JSON)').fill('{"sub":"edited","admin":false}');
  await expect(page.getByLabel('JWT')).not.toHaveValue(token);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await page.getByRole('button', { name: 'Done editing' }).click();
  await expect(page.getByTestId('payload-json')).toContainText('"edited"');

  // An empty secret: a clear message, no token.
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByLabel('Secret', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Sign JWT' }).click();
  await expect(page.getByRole('alert')).toContainText('Type a secret');
});

test('the Sign view opens on the form of the one partner the key pairs serve', async ({ page }) => {
  await page.goto('./#/keys');
  await generateKey(page, 'P-521');
  await page.getByRole('link', { name: 'Sign' }).click();
  await expect(page.getByRole('button', { name: 'QI Tech', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // A second partner: no single one, so Test JWT.
  await page.getByRole('link', { name: 'Keys' }).click();
  await generateKey(page, 'RSA-2048');
  await page.getByRole('link', { name: 'Sign' }).click();
  await expect(page.getByRole('button', { name: 'Test JWT' })).toHaveAttribute('aria-pressed', 'true');
  // A choice the user made stays.
  await page.getByRole('button', { name: 'Binance', exact: true }).click();
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('link', { name: 'Sign' }).click();
  await expect(page.getByRole('button', { name: 'Binance', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('axe: the new inspector states and the Secret signer, light and dark, at 360 px', async ({ page }) => {
  test.setTimeout(120_000);
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('./#/inspect');
      await page.getByLabel('JWT').fill(rs256().token);
      await expect(page.getByTestId('verdict')).toHaveAttribute('data-kind', 'no-key');
      await expectNoAxeViolations(page, `Inspect, no key, ${scheme}, ${width}px`);
      await page.getByLabel('JWT').fill('-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----');
      await expect(page.getByTestId('verdict')).toContainText('This is a public key');
      await expectNoAxeViolations(page, `Inspect, PEM in the token box, ${scheme}, ${width}px`);
      await page.goto('./#/sign');
      await page.getByRole('button', { name: 'Test JWT' }).click();
      await page.getByLabel('Secret', { exact: true }).fill('secret');
      await page.getByRole('button', { name: 'Sign JWT' }).click();
      await expect(page.getByTestId('signed-jwt')).toBeVisible();
      await expectNoAxeViolations(page, `Sign, Test JWT with a secret, ${scheme}, ${width}px`);
    }
  }
});
