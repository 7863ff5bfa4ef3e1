// What every screenshot script shares: its arguments, the three modes (light, dark, phone), and a
// production build served by vite preview with Debian's Chromium driving it.
import { mkdirSync } from 'node:fs';
import { preview } from 'vite';
import { chromium } from '../tests/tools.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_PORT } from './chromium.mjs';

/** @type {(name: string) => string | undefined} */
const arg = (name) => process.argv.find((_, i, a) => a[i - 1] === name);

/** Where the pictures go (`--out`, default docs/screenshots). */
export const OUT = arg('--out') ?? 'docs/screenshots';
const PORT = Number(arg('--port') ?? E2E_PORT);
/** The served build's address. */
export const BASE = `http://127.0.0.1:${PORT}/`;

/** Light and dark at 1280×800, and a phone at 390×844. */
export const MODES = /** @type {const} */ ([
  { name: 'light', viewport: { width: 1280, height: 800 }, colorScheme: 'light', isMobile: false },
  { name: 'dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark', isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true },
]);

/** @typedef {(typeof MODES)[number]} Mode */

/**
 * Serve the build, start Chromium and run `shoot(newPage, mode)` once per mode; `newPage()` gives a
 * fresh visitor (empty storage) in that mode. Everything is closed afterwards, also on failure.
 * @param {(newPage: () => Promise<import('../tests/tools.mjs').Page>, mode: Mode) => Promise<void>} shoot
 */
export async function eachMode(shoot) {
  mkdirSync(OUT, { recursive: true });
  const server = await preview({
    preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    for (const mode of MODES) {
      /** @type {import('../tests/tools.mjs').BrowserContext[]} */
      const contexts = [];
      const newPage = async () => {
        const context = await browser.newContext({
          viewport: mode.viewport,
          colorScheme: mode.colorScheme,
          isMobile: mode.isMobile,
          hasTouch: mode.isMobile,
          deviceScaleFactor: 1,
        });
        contexts.push(context);
        return context.newPage();
      };
      await shoot(newPage, mode);
      for (const c of contexts) await c.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`screenshots in ${OUT}/`);
}
