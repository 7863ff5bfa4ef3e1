// The test-only packages that scripts/ (bench, screenshots, icons) use. They are installed in
// tests/node_modules, which a bare import from scripts/ would not find; imported from here, they are.
export { chromium } from '@playwright/test';
export { format, resolveConfig } from 'prettier';

/** @typedef {import('@playwright/test').Page} Page */
/** @typedef {import('@playwright/test').Locator} Locator */
/** @typedef {import('@playwright/test').BrowserContext} BrowserContext */
