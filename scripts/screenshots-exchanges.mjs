// `node scripts/screenshots-exchanges.mjs [--out DIR] [--port N]`: Kalshi, Bybit and TrueLayer, each
// signed in its own Sign tab and the request opened in Inspect (build first with `npx vite build`),
// in light, dark and phone (390×844), to docs/screenshots/.
import { BASE, OUT, eachMode } from './screenshot-kit.mjs';

const PARTNERS = [
  { partner: 'Kalshi', key: 'RSA-2048 PSS', fill: { 'API key id': 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c' } },
  { partner: 'Bybit', key: 'RSA-2048', fill: { 'API key': 'XXXXXXXXXXXXXXXXXX' } },
  { partner: 'TrueLayer', key: 'P-521', fill: { 'Key ID (kid)': '45fc75cf-5649-4134-84b3-192c2c78e990' } },
];

await eachMode(async (newPage, mode) => {
  for (const { partner, key, fill } of PARTNERS) {
    const page = await newPage();
    /** @param {string} name */
    const shot = async (name) => {
      await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring in the picture
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${OUT}/${name}-${mode.name}.png`, fullPage: true });
    };
    await page.goto(`${BASE}#/keys`);
    const picker = page.getByLabel('Partner profile');
    await picker.getByRole('option', { name: partner }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: partner });
    await page.getByRole('button', { name: new RegExp(`Generate ${key} key pair for ${partner}`) }).click();
    await page.getByRole('article').first().getByTestId('fingerprint').waitFor();
    await page.getByRole('link', { name: 'Sign' }).click();
    await page.getByRole('button', { name: partner, exact: true }).click();
    for (const [label, value] of Object.entries(fill)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Sign request' }).click();
    await page.getByTestId('sign-curl').waitFor();
    const slug = partner.toLowerCase();
    await shot(`sign-${slug}`);
    await page.getByRole('button', { name: 'Open in Inspect' }).click();
    await page.getByText('Signature verified').first().waitFor({ timeout: 30_000 });
    await shot(`inspect-${slug}`);
  }
});
