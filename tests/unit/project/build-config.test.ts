import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headersForPath, readHeadersFile } from '../../../scripts/headers.mjs';
import { BUDGET, firstLoadFiles, measure } from '../../../scripts/size.mjs';
import { SW_POLICY_NAME, createServiceWorkerPolicy } from '../../../src/state/sw-policy';

const root = join(import.meta.dirname, '../../..');
const rules = readHeadersFile(join(root, 'public/_headers'));
const header = (path: string, name: string) =>
  headersForPath(rules, path)
    .filter(([n]) => n.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v);

describe('public/_headers', () => {
  const metaCsp = readFileSync(join(root, 'index.html'), 'utf8').match(
    /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/,
  )![1]!;

  it("gives the page index.html's CSP plus frame-ancestors 'none', once, at / and /index.html", () => {
    for (const path of ['/', '/index.html']) {
      expect(header(path, 'Content-Security-Policy')).toEqual([`${metaCsp}; frame-ancestors 'none'`]);
    }
    expect(metaCsp).toContain("connect-src 'none'");
  });

  it('denies by default, allows each kind of resource explicitly, and requires Trusted Types', () => {
    const directives = Object.fromEntries(
      metaCsp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self'",
      'connect-src': "'none'",
      'worker-src': "'self'",
      'manifest-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'require-trusted-types-for': "'script'",
      'trusted-types': `svelte-trusted-html ${SW_POLICY_NAME}`,
    });
  });

  it("names Svelte's own Trusted Types policy as the installed Svelte creates it", () => {
    const reconciler = readFileSync(
      join(root, 'node_modules/svelte/src/internal/client/dom/reconciler.js'),
      'utf8',
    );
    const created = [...reconciler.matchAll(/createPolicy\(\s*'([^']+)'/g)].map((m) => m[1]);
    expect(created).toEqual(['svelte-trusted-html']);
  });

  it('sends nosniff, no-referrer and a Permissions-Policy with every file', () => {
    for (const path of ['/', '/assets/index-abc.js', '/sw.js', '/manifest.webmanifest']) {
      expect(header(path, 'X-Content-Type-Options')).toEqual(['nosniff']);
      expect(header(path, 'Referrer-Policy')).toEqual(['no-referrer']);
      const [policy] = header(path, 'Permissions-Policy');
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'clipboard-read'])
        expect(policy).toContain(`${feature}=()`);
    }
  });

  it('lets only the service worker fetch, and only from this site', () => {
    expect(header('/sw.js', 'Content-Security-Policy')).toEqual([
      "default-src 'none'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    ]);
    expect(header('/assets/index-abc.js', 'Content-Security-Policy')).toEqual([]);
    for (const [, value] of rules.flatMap((r) => r.headers))
      expect(value).not.toMatch(/unsafe-|\*\.|https?:/);
  });

  it('refuses a header line that comes before any path', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kb-headers-')), '_headers');
    writeFileSync(file, '  X-Frame-Options: DENY\n');
    expect(() => readHeadersFile(file)).toThrow(/_headers:1: expected "Name: value" under a path/);
  });
});

describe("the service worker's Trusted Types policy", () => {
  const url = 'https://keybench.example/tools/sw.js';

  it('without Trusted Types (other browsers) still passes only the one URL', () => {
    const policy = createServiceWorkerPolicy(undefined, url);
    expect(policy.createScriptURL(url)).toBe(url);
    for (const other of ['./sw.js', `${url}?v=2`, 'https://keybench.example/tools/evil.js'])
      expect(() => policy.createScriptURL(other)).toThrow(
        new TypeError(`keybench-sw vouches only for ${url}, not ${other}`),
      );
  });
});

describe('npm run size', () => {
  /** A fake build: an entry, a modulepreload, a lazy chunk and the chunk map. */
  function fakeDist(entryBytes: Buffer, entryModules: string[]) {
    const dist = mkdtempSync(join(tmpdir(), 'kb-dist-'));
    mkdirSync(join(dist, 'assets'));
    mkdirSync(join(dist, '.vite'));
    writeFileSync(
      join(dist, 'index.html'),
      `<script type="module" crossorigin src="./assets/index.js"></script>
       <link rel="modulepreload" crossorigin href="./assets/runtime.js">
       <link rel="stylesheet" crossorigin href="./assets/index.css">`,
    );
    writeFileSync(join(dist, 'assets/index.js'), entryBytes);
    writeFileSync(join(dist, 'assets/runtime.js'), 'export const r = 1;');
    writeFileSync(join(dist, 'assets/index.css'), 'body{margin:0}');
    writeFileSync(join(dist, 'assets/lazy.js'), randomBytes(200_000));
    writeFileSync(
      join(dist, '.vite/chunks.json'),
      JSON.stringify([
        { file: 'assets/index.js', modules: entryModules },
        { file: 'assets/lazy.js', modules: ['node_modules/@peculiar/x509/build/x509.es.js'] },
      ]),
    );
    return dist;
  }

  it('reads the entry script and modulepreloads as the first load, stylesheets apart', () => {
    expect(
      firstLoadFiles(
        '<script type="module" src="./assets/a.js"></script><link rel="modulepreload" href="/assets/b.js"><link rel="stylesheet" href="assets/c.css"><link rel="icon" href="./favicon.svg">',
      ),
    ).toEqual({ js: ['assets/a.js', 'assets/b.js'], css: ['assets/c.css'] });
  });

  it('passes a small first load and ignores lazy chunks, however large', () => {
    const r = measure(fakeDist(Buffer.from('export default 1;'.repeat(100)), ['src/main.ts']));
    expect(r.ok).toBe(true);
    expect(r.jsFiles.map((f) => f.file)).toEqual(['assets/index.js', 'assets/runtime.js']);
    expect(r.firstLoadJs).toBeLessThan(500);
  });

  it('fails over budget, with the figure in the message', () => {
    const r = measure(fakeDist(randomBytes(BUDGET + 1000), ['src/main.ts']));
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(new RegExp(`^first-load JS is \\d+ B gzip, over the ${BUDGET} B budget$`));
  });

  it('fails when a lazy-only dependency reaches the first load', () => {
    const r = measure(fakeDist(Buffer.from('x'), ['src/main.ts', 'node_modules/jose/dist/webapi/index.js']));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'lazy-only module on the first load: node_modules/jose/dist/webapi/index.js in assets/index.js',
    ]);
  });
});
