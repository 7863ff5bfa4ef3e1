// `node scripts/screenshots-journeys.mjs [--out DIR] [--port N]`: the last screen of each Sign journey
// (build first with `npx vite build`), in light, dark and phone (390×844), to docs/screenshots/:
// Sign opened on Entra's form, two same-day keys told apart, a long Binance request signed and then
// opened in Inspect, a Qredo request opened in Inspect, and QI Tech's response verdict. The QI Tech
// response is the fixture in tests/vectors/qitech, as the tests use it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BASE, OUT, eachMode } from './screenshot-kit.mjs';

/** @param {string} name */
const qitech = (name) => readFileSync(resolve(import.meta.dirname, '../tests/vectors/qitech', name), 'utf8');

await eachMode(async (newPage, mode) => {
  /** A fresh visitor (empty storage) for each journey. */
  const visitor = async () => {
    const page = await newPage();
    return { context: page.context(), page };
  };
  /**
   * @param {import('../tests/tools.mjs').Page} page
   * @param {string} name
   * @param {import('../tests/tools.mjs').Locator} [at] scrolled into view first
   */
  const shot = async (page, name, at) => {
    await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring in the picture
    if (at) await at.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    else await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/${name}-${mode.name}.png` });
  };
  /**
   * @param {import('../tests/tools.mjs').Page} page
   * @param {string} partner
   * @param {string} keyName
   */
  const generate = async (page, partner, keyName) => {
    const before = await page.getByRole('article').count();
    const picker = page.getByLabel('Partner profile');
    await picker.getByRole('option', { name: partner }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: partner });
    await page
      .getByRole('button', { name: new RegExp(`Generate ${keyName} key pair for ${partner}`) })
      .click();
    await page.getByRole('article').nth(before).getByTestId('fingerprint').waitFor();
  };

  // 3. Keys for Entra only: Sign opens on the client assertion, Entra chosen.
  let { context, page } = await visitor();
  await page.goto(`${BASE}#/keys`);
  await generate(page, 'Microsoft Entra ID', 'RSA-2048');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByLabel('Partner', { exact: true }).waitFor();
  await shot(page, 'sign-opens-entra');

  // 5. Two keys the same day for Qredo: told apart on the cards.
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('article').first().waitFor();
  await generate(page, 'Qredo Partner API', 'RSA-2048');
  await generate(page, 'Qredo Partner API', 'RSA-2048');
  await page.getByRole('article').nth(2).getByRole('heading', { name: /·/ }).waitFor();
  await shot(page, 'keys-same-day-names', page.getByRole('article').nth(1));

  // 7. A Qredo request signed, then opened in Inspect: verified, no warning.
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Qredo Partner API', exact: true }).click();
  await page.getByLabel('API key').fill(Buffer.from('{"key_id":"demo"}').toString('base64'));
  await page.getByRole('button', { name: 'Sign request' }).click();
  await shot(page, 'sign-qredo-signed', page.getByRole('button', { name: 'Open in Inspect' }));
  await page.getByRole('button', { name: 'Open in Inspect' }).click();
  await page.getByText('Signature verified').first().waitFor({ timeout: 20_000 });
  await shot(page, 'sign-open-in-inspect');

  // 4. A Binance request with long values: it wraps, on the Sign view and in Inspect.
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Binance', exact: true }).click();
  await page.getByLabel('Method').selectOption('GET');
  await page.getByLabel('Query parameters').fill(`symbol=BTCUSDT\nnote=${'long-value-'.repeat(60)}`);
  await page.getByLabel('API key').fill('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await shot(page, 'sign-binance-long', page.getByTestId('binance-url'));
  await page.getByRole('button', { name: 'Open in Inspect' }).click();
  await page.getByText('Signature verified').first().waitFor({ timeout: 20_000 });
  await shot(page, 'inspect-binance-long', page.getByTestId('request-line'));
  await context.close();

  // 8. QI Tech: the response check's verdict, brought into view.
  ({ context, page } = await visitor());
  for (const [text, name, owner] of [
    [qitech('jwtECDSASHA512.key'), 'QI Tech fixture', null],
    [qitech('qitech-side.key.pub'), 'QI Tech public key', 'QI Tech'],
  ]) {
    await page.goto(`${BASE}#/keys`);
    await page.getByLabel('Key to import').fill(text ?? '');
    await page.getByLabel('Name (optional)').fill(name ?? '');
    if (owner)
      await page.getByRole('radiogroup', { name: 'Whose key' }).getByRole('radio', { name: owner }).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('article', { name: name ?? '' }).waitFor();
  }
  const v = JSON.parse(qitech('vectors.json'));
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech', exact: true }).click();
  await page.getByRole('radio', { name: 'QIT (v1)', exact: true }).check();
  await page.getByLabel('API key').fill(v.request_post.api_key);
  await page.getByText('Verify a QI Tech response').click();
  await page.getByLabel('Response Authorization').fill(v.response_post.headers.Authorization);
  await page.getByLabel('Response body').fill(JSON.stringify(v.response_post.received_body));
  await page.getByRole('button', { name: 'Verify response' }).click();
  await page.getByTestId('qit-verdict').getByText('Signature verified').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/sign-qitech-response-${mode.name}.png` });
  await context.close();
});
