import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The unit tests' own config: vitest lives in tests/node_modules (the test-only package), so the app's
// vite.config.ts never imports it. `svelte` (from the root's node_modules) compiles the *.svelte.ts
// state modules some tests import.
const root = join(import.meta.dirname, '..');

export default defineConfig({
  root,
  plugins: [svelte()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: join(root, 'test-results/vitest.json') }]],
  },
});
