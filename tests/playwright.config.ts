import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_PORT } from '../scripts/chromium.mjs';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

const PORT = E2E_PORT;
// Absolute paths: the root's playwright.config.ts re-exports this file, and Playwright reads relative
// paths from whichever config file it loaded.
const root = join(import.meta.dirname, '..');

export default defineConfig({
  testDir: join(root, 'tests/e2e'),
  outputDir: join(root, 'test-results/playwright-artifacts'),
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: join(root, 'test-results/playwright.json') }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
  },
  webServer: {
    // The production build (npm run test:e2e builds it first), served by the app's own vite preview.
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    cwd: root,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
