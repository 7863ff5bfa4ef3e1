import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { headersForPath, readHeadersFile } from './scripts/headers.mjs';
import { buildInputsHash, STAMP_FILE } from './scripts/build-inputs.mjs';

/** The CSP in index.html is for production; the dev server needs inline styles and a websocket. */
function devWithoutCsp(): Plugin {
  return {
    name: 'keybench:dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
  };
}

/**
 * `vite preview` serves dist/ with the headers public/_headers gives static hosts, so the
 * end-to-end tests see the page as such a host serves it.
 */
function previewWithHeaders(): Plugin {
  return {
    name: 'keybench:preview-headers',
    configurePreviewServer(server) {
      const rules = readHeadersFile('dist/_headers');
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        for (const [name, value] of headersForPath(rules, path)) res.setHeader(name, value);
        next();
      });
    },
  };
}

/**
 * The entry stylesheet was the one request the first paint waited for (index.html's static first
 * screen needs no script). It goes inline, as a <style> the CSP allows by its SHA-256 (never
 * 'unsafe-inline'), in index.html's meta and in the built _headers. The file stays in the build: lazy
 * chunks that share its styles still ask for it (after the first paint).
 */
function inlineEntryStylesheet(): Plugin {
  let outDir = 'dist';
  let styleHash = '';
  const withHash = (csp: string) => csp.replaceAll("style-src 'self';", `style-src 'self' ${styleHash};`);
  return {
    name: 'keybench:inline-entry-stylesheet',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const links = html.match(/\s*<link rel="stylesheet"[^>]*href="\.\/([^"]+\.css)"[^>]*>/g) ?? [];
        if (links.length !== 1 || !ctx.bundle) return html;
        const file = /href="\.\/([^"]+)"/.exec(links[0]!)![1]!;
        const asset = ctx.bundle[file];
        if (!asset || asset.type !== 'asset') return html;
        const css = String(asset.source);
        styleHash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
        const meta = /(http-equiv="Content-Security-Policy"\s+content=")([^"]+)(")/;
        return html
          .replace(links[0]!, `\n    <style>${css}</style>`)
          .replace(meta, (_m, a: string, csp: string, b: string) => a + withHash(csp) + b);
      },
    },
    writeBundle() {
      // public/_headers, as copied into the build: the page's CSP there must allow the same style.
      const file = join(outDir, '_headers');
      if (styleHash && existsSync(file)) writeFileSync(file, withHash(readFileSync(file, 'utf8')));
    },
  };
}

/**
 * Writes dist/.vite/chunks.json: each emitted chunk with the modules inside it, so that
 * `npm run size` can say what the first load carries.
 */
function chunkModules(): Plugin {
  return {
    name: 'keybench:chunk-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      const root = process.cwd() + '/';
      const chunks = Object.values(bundle)
        .filter((c) => c.type === 'chunk')
        .map((c) => ({
          file: c.fileName,
          // Only modules that left code in the chunk: tree-shaken ones render nothing.
          modules: Object.entries(c.modules)
            .filter(([, m]) => m.renderedLength > 0)
            .map(([id]) => id.replace(root, ''))
            .sort(),
        }))
        .sort((a, b) => a.file.localeCompare(b.file));
      this.emitFile({
        type: 'asset',
        fileName: '.vite/chunks.json',
        source: JSON.stringify(chunks, null, 1),
      });
    },
  };
}

/**
 * Writes the hash of the build's sources into the build (dist/.vite/build-inputs.txt), taken when the
 * build starts: `npm start` serves dist/ without building again only if the sources still match it.
 */
function buildInputsStamp(): Plugin {
  let root = process.cwd();
  let hash = '';
  return {
    name: 'keybench:build-inputs-stamp',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    buildStart() {
      hash = buildInputsHash(root);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: STAMP_FILE, source: `${hash}\n` });
    },
  };
}

/** Installable and offline after one visit: Workbox precaches every file of the build. */
const pwa = VitePWA({
  registerType: 'prompt', // a new version waits for the user's "Reload", never swaps mid-task
  injectRegister: false, // src/state/app-update.svelte.ts registers it after first paint
  includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
  manifest: {
    name: 'keybench — keys, JWTs and partner signatures',
    short_name: 'keybench',
    description:
      'Generate non-extractable keys, verify JWTs and sign partner requests. Nothing leaves your browser.',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#f7f8fa',
    theme_color: '#1f4e79',
    icons: [
      { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    devWithoutCsp(),
    inlineEntryStylesheet(),
    chunkModules(),
    buildInputsStamp(),
    pwa,
    previewWithHeaders(),
  ],
  // The request doctor's worker (src/lib/scheme/doctor.worker.ts) is a module worker: it splits
  // into chunks like the page (the key parser loads lazily inside it too).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      // Rolldown warns when plugins take "significant time", which depends on how busy the machine
      // is, not on the code: under load it made a clean build print a warning nobody can act on.
      checks: { bundlerTimings: false },
    },
  },
  preview: { host: '127.0.0.1' },
});
