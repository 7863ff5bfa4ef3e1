// Chromium (Debian's, as everywhere here) through the same checks, for comparison: puppeteer-core over
// CDP. Not in the default run: Playwright's e2e suite already covers Chromium in depth.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { puppeteerEngine } from './puppeteer-engine.mjs';
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
  return puppeteerEngine('Chromium', browser, { dir, downloadDir });
}
