// `npm run size`: what the first visit downloads before keybench can paint, gzipped, against the
// budget. Deterministic: the same build gives the same bytes. Exits 1 over budget, or when a heavy
// dependency has crept into the first load. Writes test-results/size.json for .ci/run's count.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** First-load JavaScript budget, gzip bytes (entry plus modulepreloads). */
export const BUDGET = 30_000;

/** Packages and folders that must only ever arrive in lazy chunks. */
export const LAZY_ONLY = [
  'node_modules/@peculiar/',
  'node_modules/reflect-metadata/',
  'node_modules/jose/',
  'node_modules/@noble/',
  'node_modules/workbox-window/',
  'src/lib/x509/',
  'src/lib/jwt/',
  'src/lib/partners/',
];

/**
 * Files the HTML loads before the app runs: the entry script, modulepreloads and stylesheets.
 * @param {string} html
 */
export function firstLoadFiles(html) {
  /** @type {(tag: string, name: string) => string | undefined} */
  const attr = (tag, name) => tag.match(new RegExp(`\\b${name}="([^"]+)"`))?.[1];
  /** @type {string[]} */
  const js = [];
  /** @type {string[]} */
  const css = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const src = attr(tag, 'src');
    const href = attr(tag, 'href');
    if (tag.startsWith('<script') && /type="module"/.test(tag) && src) js.push(src);
    else if (/rel="modulepreload"/.test(tag) && href) js.push(href);
    else if (/rel="stylesheet"/.test(tag) && href) css.push(href);
  }
  /** @type {(p: string) => string} */
  const local = (p) => p.replace(/^\.?\//, '');
  return { js: js.map(local), css: css.map(local) };
}

/**
 * Gzip size at level 9, the figure the budget is written in.
 * @param {Buffer} buf
 */
export function gzipBytes(buf) {
  return gzipSync(buf, { level: 9 }).length;
}

/**
 * Measure a build folder: first-load JS and CSS, gzipped, and which lazy-only modules (from
 * .vite/chunks.json) the first load carries. `ok` is false over budget or with any such module.
 * @param {string} dist
 * @param {number} budget
 */
export function measure(dist, budget = BUDGET) {
  const { js, css } = firstLoadFiles(readFileSync(join(dist, 'index.html'), 'utf8'));
  /** @type {(files: string[]) => { file: string, gzip: number }[]} */
  const sized = (files) => files.map((file) => ({ file, gzip: gzipBytes(readFileSync(join(dist, file))) }));
  const jsFiles = sized(js);
  const cssFiles = sized(css);
  const firstLoadJs = jsFiles.reduce((n, f) => n + f.gzip, 0);
  /** @type {{ file: string, modules: string[] }[]} */
  const chunks = JSON.parse(readFileSync(join(dist, '.vite/chunks.json'), 'utf8'));
  const strays = chunks
    .filter((c) => js.includes(c.file))
    .flatMap((c) =>
      c.modules.filter((m) => LAZY_ONLY.some((p) => m.startsWith(p))).map((m) => `${m} in ${c.file}`),
    );
  /** @type {string[]} */
  const problems = [];
  if (js.length === 0) problems.push('index.html loads no module script: is this a build?');
  if (firstLoadJs > budget)
    problems.push(`first-load JS is ${firstLoadJs} B gzip, over the ${budget} B budget`);
  for (const s of strays) problems.push(`lazy-only module on the first load: ${s}`);
  return { budget, firstLoadJs, jsFiles, cssFiles, ok: problems.length === 0, problems };
}

function main() {
  const dist = process.argv[2] ?? 'dist';
  const r = measure(dist);
  /** @type {(n: number) => string} */
  const kb = (n) => `${(n / 1000).toFixed(2)} kB`;
  for (const f of r.jsFiles) console.log(`  ${f.file.padEnd(44)} ${kb(f.gzip).padStart(10)} gzip`);
  console.log(`first-load JS: ${kb(r.firstLoadJs)} gzip of ${kb(r.budget)} budget`);
  for (const f of r.cssFiles) console.log(`  ${f.file.padEnd(44)} ${kb(f.gzip).padStart(10)} gzip (CSS)`);
  for (const p of r.problems) console.error(`size: ${p}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/size.json', JSON.stringify(r, null, 2));
  console.log(r.ok ? 'size check passed' : 'size check FAILED');
  process.exit(r.ok ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
