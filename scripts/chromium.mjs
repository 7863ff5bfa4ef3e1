// The one place that says which browser the tests, the benchmark and the icon script drive.

/** Debian's Chromium, never a downloaded browser (there is no network for one). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The flags every browser here starts with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The port the e2e suite serves the build on (E2E_PORT lets two checkouts test side by side). */
export const E2E_PORT = Number(process.env.E2E_PORT || 4179);
