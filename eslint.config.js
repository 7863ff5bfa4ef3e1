// The lint config lives in tests/ (tests/eslint.config.js), where ESLint and its plugins are installed
// with the other test-only tools; this file lets `eslint .` find it from the repository's root.
export { default } from './tests/eslint.config.js';
