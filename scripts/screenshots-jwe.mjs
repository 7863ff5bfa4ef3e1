// `node scripts/screenshots-jwe.mjs [--out DIR] [--port N]`: message-level encryption, in light, dark
// and phone (build first with `npx vite build`): the Encrypt (JWE) tab with a Visa body made, and that
// body (as a Visa response encrypted to your key would arrive) decrypted in Inspect.
import { BASE, OUT, eachMode } from './screenshot-kit.mjs';

const PAYLOAD = '{"transactionId":"381228649430011","status":"APPROVED","amount":"10.00"}';

await eachMode(async (newPage, mode) => {
  const page = await newPage();
  /** @param {string} name */
  const shot = async (name) => {
    await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring in the picture
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/${name}-${mode.name}.png` });
  };
  await page.goto(`${BASE}#/keys`);
  const picker = page.getByLabel('Partner profile');
  await picker.getByRole('option', { name: 'Visa MLE' }).waitFor({ state: 'attached' });
  await picker.selectOption({ label: 'Visa MLE' });
  await page.getByRole('button', { name: /Generate.*encryption/ }).click();
  await page
    .getByRole('article', { name: /Visa MLE/ })
    .getByTestId('fingerprint')
    .waitFor();

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Encrypt (JWE)' }).click();
  await page.getByLabel('Partner').selectOption({ label: 'Visa MLE' });
  await page.getByLabel(/Key-ID/).fill('7f2a9c1e-visa-mle-key');
  await page.getByLabel('Payload').fill(PAYLOAD);
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  const body = /** @type {string} */ (await page.getByTestId('jwe-body').textContent());
  await shot('sign-encrypt-jwe');

  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.getByRole('textbox', { name: /^JWT/ }).fill(body);
  await page.getByTestId('jwe-plaintext').waitFor({ timeout: 20_000 });
  await shot('inspect-decrypted-visa');
});
