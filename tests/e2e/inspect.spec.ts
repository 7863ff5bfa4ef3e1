import { generateKeyPairSync } from 'node:crypto';
import { test, expect, generateKey, signWithStoredKey } from './fixtures';
import { nodeJws } from '../unit/support/jwt-helpers';

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function es256Token(payload: Record<string, unknown>) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    token: nodeJws('ES256', privateKey, payload),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

test('a token signed in the page with a stored key verifies with an empty key box, naming the key', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'P-521');
  const label = (await card.getByRole('heading').textContent())!.trim();
  // Signed in the page with the stored, non-extractable key.
  const token = await signWithStoredKey(page, { sub: 'in-page', exp: Math.floor(Date.now() / 1000) + 300 });
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.getByLabel('JWT').fill(token);
  const status = page.getByTestId('verdict');
  await expect(status).toContainText('Signature verified');
  await expect(status).toContainText(`your key ${label}`);
  await expect(page.getByTestId('time-status')).toContainText('expires in');

  // One changed payload character: never verified.
  const [h, p, s] = token.split('.');
  const tampered = `${h}.${p!.slice(0, -2)}${p!.at(-2) === 'A' ? 'B' : 'A'}${p!.at(-1)}.${s}`;
  await page.getByLabel('JWT').fill(tampered);
  await expect(status).toContainText('Not verified');
  await expect(status).not.toContainText('Signature verified');
});

test('pasted PEM verifies; wrong key, alg none and garbage are never verified', async ({ page }) => {
  await page.goto('./#/inspect');
  const { token, publicPem } = es256Token({ sub: 'x' });
  const status = page.getByTestId('verdict');
  await page.getByLabel('JWT').fill(token);
  await page.getByLabel('Verification key').fill(publicPem);
  await expect(status).toContainText('Signature verified');

  await page.getByLabel('Verification key').fill(es256Token({}).publicPem);
  await expect(status).toContainText('Wrong key');
  await expect(status).not.toContainText('Signature verified');

  await page.getByLabel('JWT').fill(`${b64u('{"alg":"none"}')}.${b64u('{"admin":true}')}.`);
  await expect(status).toContainText('Unsecured token');
  await expect(status).not.toContainText('Signature verified');

  for (const garbage of ['%%%', 'a.b', '....', 'eyJ.eyJ.eyJ', '{"alg":"HS256"}', 'x'.repeat(5000)]) {
    await page.getByLabel('JWT').fill(garbage);
    await expect(status).toContainText('Not verified');
  }
  // Still working afterwards.
  await page.getByLabel('JWT').fill(token);
  await page.getByLabel('Verification key').fill(publicPem);
  await expect(status).toContainText('Signature verified');
});

test('a hostile token executes nothing and is shown as text', async ({ page }) => {
  await page.goto('./#/inspect');
  const evil = {
    name: '<script>window.__pwned = 1</script>',
    pic: '<img src=x onerror="window.__pwned = 2">',
    website: 'javascript:window.__pwned=3',
    iss: '<svg onload="window.__pwned=4">',
  };
  const { token } = es256Token(evil);
  const hostileHeader = `${b64u(JSON.stringify({ alg: 'ES256', kid: '<img src=x onerror="window.__pwned=5">' }))}.${token.split('.')[1]}.${token.split('.')[2]}`;
  for (const t of [token, hostileHeader]) {
    await page.getByLabel('JWT').fill(t);
    await expect(page.getByTestId('payload-json')).toContainText('<script>window.__pwned = 1</script>');
  }
  await expect(page.getByRole('cell', { name: /javascript:/ })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('main img, main svg, main script').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
});

test('a token in the URL fragment is loaded, then removed from the address bar', async ({ page }) => {
  const { token } = es256Token({ sub: 'from-url' });
  await page.goto(`./#/inspect?token=${token}`);
  await expect(page.getByLabel('JWT')).toHaveValue(token);
  await expect(page.getByTestId('payload-json')).toContainText('from-url');
  expect(page.url()).not.toContain('token=');
  expect(page.url()).toMatch(/#\/inspect$/);
});

test('a private key pasted in the key box is replaced by its public half, with a warning', async ({
  page,
}) => {
  await page.goto('./#/inspect');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = nodeJws('ES256', privateKey, { sub: 'k' });
  await page.getByLabel('JWT').fill(token);
  await page
    .getByLabel('Verification key')
    .fill(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  await expect(page.getByRole('alert')).toContainText('private key');
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await expect(page.getByLabel('Verification key')).toHaveValue(
    publicKey.export({ type: 'spki', format: 'pem' }) as string,
  );
});

test('a 1 MB token decodes and the page stays responsive', async ({ page }) => {
  await page.goto('./#/inspect');
  const big = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u(JSON.stringify({ sub: 'big', data: 'x'.repeat(760_000) }))}.${b64u('sig')}`;
  expect(big.length).toBeGreaterThan(1_000_000);
  await page.getByLabel('JWT').fill(big);
  await expect(page.getByTestId('header-json')).toContainText('HS256');
  await expect(page.getByTestId('payload-json')).toContainText('"sub":"big"');
  // No key yet: the calm state, never verified.
  await expect(page.getByTestId('verdict')).toContainText('No key to check the signature with yet');
  await expect(page.getByTestId('verdict')).not.toContainText('Signature verified');
  // The page still answers (how long its tasks take is measured by npm run bench, not asserted here).
  await page.getByRole('link', { name: 'Keys', exact: true }).click();
  await expect(page).toHaveURL(/#\/keys$/);
});

test('a payload that is not JSON is shown as text, with what JSON.parse refused and where', async ({
  page,
}) => {
  await page.goto('./#/inspect');
  const token = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"sub":"x",}')}.${b64u('sig')}`;
  await page.getByLabel('JWT').fill(token);
  await expect(page.getByTestId('payload-json')).toHaveText('{"sub":"x",}');
  await expect(page.getByText('Not JSON: shown as text.')).toBeVisible();
  await expect(page.getByTestId('payload-json-error')).toContainText('The payload is not valid JSON');
  await expect(page.getByTestId('verdict')).not.toContainText('Signature verified');
});
