// Firefox (Debian's firefox-esr) through WebDriver BiDi, driven by puppeteer-core (which never
// downloads a browser). Playwright 1.65's moz-firefox channel fails on this ESR
// (emulation.setMediaFeaturesOverride: unknown command) and drops downloads; re-check it when a
// newer Firefox is packaged, and switch if it works: one runner is better than two.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { puppeteerEngine } from './puppeteer-engine.mjs';

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
  return puppeteerEngine('Firefox', browser, { dir, downloadDir, consoleErrors: true });
}
