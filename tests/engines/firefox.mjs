// Firefox (Debian's firefox-esr) through WebDriver BiDi, driven by puppeteer-core (which never
// downloads a browser). Playwright 1.65's moz-firefox channel fails on this ESR
// (emulation.setMediaFeaturesOverride: unknown command) and drops downloads; re-check it when a
// newer Firefox is packaged, and switch if it works: one runner is better than two.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** @returns {Promise<import('./checks.mjs').Engine>} */
export async function firefox() {
  const dir = mkdtempSync(join(tmpdir(), 'keybench-firefox-'));
  const downloadDir = join(dir, 'downloads');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: join(dir, 'profile'),
    extraPrefsFirefox: {
      // Downloads go straight to a folder the checks read.
      'browser.download.dir': downloadDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.helperApps.neverAsk.saveToDisk': 'application/x-pem-file,application/json,text/plain',
      // The generation check needs persist() answered; without these Firefox shows its prompt, which
      // no one answers here (the prompt itself is what the no-persist-before-a-gesture check prevents).
      'dom.storageManager.prompt.testing': true,
      'dom.storageManager.prompt.testing.allow': true,
    },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e instanceof Error ? e.message : e)));
  page.on('console', (m) => {
    // Firefox logs a CSP refusal as a console error; it counts as a page error here.
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  page.setDefaultTimeout(60_000);
  return {
    name: 'Firefox',
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
