import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** The CSP in index.html is for production; the dev server needs inline styles and a websocket. */
function devWithoutCsp(): Plugin {
  return {
    name: 'keybench:dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
  };
}

export default defineConfig({
  base: './',
  plugins: [svelte(), devWithoutCsp()],
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
