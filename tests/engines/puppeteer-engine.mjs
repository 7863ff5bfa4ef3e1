// The Engine interface of checks.mjs over a puppeteer-core browser (Firefox over BiDi, Chromium over CDP).
import { rmSync } from 'node:fs';

/**
 * @param {string} name
 * @param {import('puppeteer-core').Browser} browser
 * @param {{ dir: string, downloadDir: string, consoleErrors?: boolean }} options `dir` is removed on close;
 *   with `consoleErrors`, console errors count as page errors (Firefox logs CSP refusals there).
 * @returns {Promise<import('./checks.mjs').Engine>}
 */
export async function puppeteerEngine(name, browser, { dir, downloadDir, consoleErrors = false }) {
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e instanceof Error ? e.message : e)));
  if (consoleErrors) {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
    });
  }
  page.setDefaultTimeout(60_000);
  return {
    name,
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
