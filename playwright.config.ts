// The end-to-end config lives beside the tests (tests/playwright.config.ts), where @playwright/test is
// installed; this file lets `playwright test` find it from the repository's root.
export { default } from './tests/playwright.config';
