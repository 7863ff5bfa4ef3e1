// The Prettier config lives in tests/ (tests/prettier.config.js), beside the installed plugin.
export { default } from './tests/prettier.config.js';
