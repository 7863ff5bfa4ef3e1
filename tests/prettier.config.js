import { fileURLToPath } from 'node:url';

/**
 * The one Prettier config. The Svelte plugin is named by its path in tests/node_modules (the test-only
 * package), since Prettier would look for it beside the root's prettier.config.js.
 */
export default {
  singleQuote: true,
  printWidth: 110,
  plugins: [fileURLToPath(import.meta.resolve('prettier-plugin-svelte'))],
  overrides: [{ files: '*.svelte', options: { parser: 'svelte' } }],
};
