// Chromium (Debian's, as everywhere here) through the same checks, for comparison: puppeteer-core over
// CDP. Not in the default run: Playwright's e2e suite already covers Chromium in depth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

/** @returns {Promise<import('./checks.mjs').Engine>} */
export async function chromium() {
  const dir = mkdtempSync(join(tmpdir(), 'keybench-chromium-'));
  const downloadDir = join(dir, 'downloads');
  const browser = await puppeteer.launch({
    browser: 'chrome',
    executablePath: CHROMIUM_PATH,
    headless: true,
    userDataDir: join(dir, 'profile'),
    args: CHROMIUM_ARGS.filter((a) => a !== '--headless'),
    downloadBehavior: { policy: 'allow', downloadPath: downloadDir },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e instanceof Error ? e.message : e)));
  page.setDefaultTimeout(60_000);
  return {
    name: 'Chromium',
    version: await browser.version(),
    downloadDir,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    evaluate: (expression) => page.evaluate(expression),
    async click(selector) {
      await page.click(selector);
    },
    driverErrors: () => [...errors],
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
