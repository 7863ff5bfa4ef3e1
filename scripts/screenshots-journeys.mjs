// `node scripts/screenshots-journeys.mjs [--out DIR] [--port N]`: the last screen of each Sign journey
// (build first with `npx vite build`), in light, dark and phone (390×844), to docs/screenshots/:
// Sign opened on Entra's form, two same-day keys told apart, a long Binance request signed and then
// opened in Inspect, a Qredo request opened in Inspect, and QI Tech's response verdict. The QI Tech
// response is the fixture in ../shared/vectors/qitech, as the tests use it.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '../tests/tools.mjs';
import { preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_PORT } from './chromium.mjs';

/** @type {(name: string) => string | undefined} */
const arg = (name) => process.argv.find((_, i, a) => a[i - 1] === name);
const OUT = arg('--out') ?? 'docs/screenshots';
const PORT = Number(arg('--port') ?? E2E_PORT);
const BASE = `http://127.0.0.1:${PORT}/`;
/** @param {string} name */
const qitech = (name) =>
  readFileSync(resolve(import.meta.dirname, '../../shared/vectors/qitech', name), 'utf8');

const MODES = /** @type {const} */ ([
  { name: 'light', viewport: { width: 1280, height: 800 }, colorScheme: 'light', isMobile: false },
  { name: 'dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark', isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true },
]);

mkdirSync(OUT, { recursive: true });
const server = await preview({
  preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
  logLevel: 'warn',
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const mode of MODES) {
    /** A fresh visitor (empty storage) for each journey. */
    const visitor = async () => {
      const context = await browser.newContext({
        viewport: mode.viewport,
        colorScheme: mode.colorScheme,
        isMobile: mode.isMobile,
        hasTouch: mode.isMobile,
        deviceScaleFactor: 1,
      });
      return { context, page: await context.newPage() };
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
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${OUT}/`);
