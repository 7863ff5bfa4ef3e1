// `node scripts/screenshots-keybox.mjs [--out DIR] [--port N]`: serves the production build (build it
// first with `npx vite build`) and saves, in light, dark and phone (390×844), the Inspect states of
// the key box: an HS256 token keyed with a public key written as JSON without "kty" (refused, with
// the Shared secret (HMAC) tick offered), a public key pasted in the token box (a calm hint), and
// the Keys view's certificate form with its required name marked.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { BASE, OUT, eachMode } from './screenshot-kit.mjs';

const b64u = (/** @type {string | Buffer} */ v) => Buffer.from(v).toString('base64url');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
const { kty: _kty, ...ktyLess } = rsa;
const keyText = JSON.stringify(ktyLess);
const input = `${b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64u(JSON.stringify({ sub: 'attacker', admin: true }))}`;
const forged = `${input}.${b64u(createHmac('sha256', keyText).update(input).digest())}`;
const pem = /** @type {string} */ (
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' })
);

await eachMode(async (newPage, mode) => {
  const page = await newPage();
  /** @param {string} view */
  const shot = async (view) => {
    await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring in the picture
    await page.waitForTimeout(300); // let smooth scrolling and fonts settle
    await page.screenshot({ path: `${OUT}/${view}-${mode.name}.png` });
  };

  await page.goto(`${BASE}#/inspect`);
  await page.getByLabel('JWT').first().fill(forged);
  await page.getByLabel('Verification key').fill(keyText);
  await page.locator('[data-code="ERR_JWT_HMAC_WITH_PUBLIC_KEY"]').waitFor();
  await page.getByLabel('Verification key').scrollIntoViewIfNeeded();
  await shot('inspect-keybox-confusion');

  await page.getByLabel('Verification key').fill('');
  await page.getByLabel('JWT').first().fill(pem);
  await page.locator('[data-kind="key-in-token-box"]').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('inspect-key-in-token-box');

  // The certificate form, its required name marked.
  await page.goto(`${BASE}#/keys`);
  const picker = page.getByLabel('Partner profile');
  await picker.getByRole('option', { name: 'Microsoft Entra ID' }).waitFor({ state: 'attached' });
  await picker.selectOption({ label: 'Microsoft Entra ID' });
  await page
    .getByRole('button', { name: /Generate .* key pair for Microsoft Entra ID/ })
    .first()
    .click();
  const card = page.getByRole('article').first();
  await card.getByRole('button', { name: 'Create self-signed certificate' }).click();
  const name = card.getByLabel('Common name (CN) (required)');
  await name.waitFor();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await name.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/keys-certificate-form-${mode.name}.png` });
});
