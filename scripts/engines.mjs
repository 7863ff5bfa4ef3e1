// The cross-engine smoke suite: the checks of tests/engines/checks.mjs in Firefox (firefox-esr,
// WebDriver BiDi) and WebKit (WebKitGTK's MiniBrowser through WebKitWebDriver), against the production
// build in dist/. Writes test-results/engines.json (each check in each engine counts as one test).
// Usage: node scripts/engines.mjs [firefox] [webkit] [chromium] [--reuse-build]   (default: firefox webkit)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { CHECKS, probe } from '../tests/engines/checks.mjs';
import { engineServer } from '../tests/engines/server.mjs';

const ADAPTERS = {
  firefox: async () => (await import('../tests/engines/firefox.mjs')).firefox(),
  webkit: async () => (await import('../tests/engines/webkit.mjs')).webkit(),
  chromium: async () => (await import('../tests/engines/chromium.mjs')).chromium(),
};
const CHECK_TIMEOUT = 120_000;

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = asked.length ? asked : ['firefox', 'webkit'];
for (const n of names) {
  if (!(n in ADAPTERS)) {
    console.error(`Unknown engine ${n}; known: ${Object.keys(ADAPTERS).join(', ')}`);
    process.exit(2);
  }
}
// npm test has just built dist/ for the e2e suite (--reuse-build); on its own, the suite builds first.
if (!process.argv.includes('--reuse-build') || !existsSync('dist/index.html'))
  execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });

/**
 * @template T
 * @param {Promise<T>} promise @param {number} ms @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, late])).finally(() => clearTimeout(timer));
}

/** Run every check in one engine; never throws. @param {keyof typeof ADAPTERS} id */
async function runEngine(id) {
  const started = performance.now();
  /** @type {{ name: string, ok: boolean, ms: number, error?: string, note?: string }[]} */
  const results = [];
  const server = await engineServer('dist');
  /** @type {import('../tests/engines/checks.mjs').Engine | undefined} */
  let engine;
  let version = '';
  let startMs = 0;
  let closeMs = 0;
  try {
    engine = await withTimeout(ADAPTERS[id](), 90_000, `starting ${id}`);
    version = engine.version;
    startMs = Math.round(performance.now() - started);
  } catch (e) {
    const error = `could not start ${id}: ${e instanceof Error ? e.message : e}`;
    for (const c of CHECKS) results.push({ name: c.name, ok: false, ms: 0, error });
  }
  if (engine) {
    /** @type {import('../tests/engines/checks.mjs').Context} */
    const ctx = { engine, server, pems: {}, labels: [] };
    /** @type {string[]} */
    let seen = [];
    /** Page errors and CSP violations that appeared since the last look (a new document starts afresh). */
    const newTrouble = async () => {
      const p = await probe(/** @type {import('../tests/engines/checks.mjs').Engine} */ (engine)).catch(
        () => null,
      );
      const now = [
        ...(p?.errors ?? []).map((e) => `page error: ${e}`),
        ...(p?.violations ?? []).map((v) => `securitypolicyviolation: ${v}`),
      ];
      const fresh = now.slice(0, seen.length).every((x, i) => x === seen[i]) ? now.slice(seen.length) : now;
      seen = now;
      return fresh;
    };
    let driverSeen = 0;
    for (const check of CHECKS) {
      const t0 = performance.now();
      /** @type {string | undefined} */
      let error;
      /** @type {string | void} */
      let note = undefined;
      try {
        note = await withTimeout(check.run(ctx), CHECK_TIMEOUT, check.name);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      // Whatever went wrong in the page meanwhile fails the check too (and is reported once).
      const driverErrors = engine.driverErrors();
      const trouble = [...(await newTrouble()), ...driverErrors.slice(driverSeen).map((e) => `driver: ${e}`)];
      driverSeen = driverErrors.length;
      if (!error && trouble.length) error = `during this check:\n    ${trouble.join('\n    ')}`;
      const ms = Math.round(performance.now() - t0);
      results.push(
        error
          ? { name: check.name, ok: false, ms, error }
          : { name: check.name, ok: true, ms, ...(note ? { note } : {}) },
      );
      const r = /** @type {(typeof results)[number]} */ (results.at(-1));
      console.log(
        `${r.ok ? '✓' : '✘'} [${engine.name}] ${r.name} (${r.ms} ms)${r.ok ? (r.note ? `\n    note: ${r.note}` : '') : `\n    ${r.error}`}`,
      );
    }
    const closing = performance.now();
    await withTimeout(engine.close(), 30_000, `closing ${id}`).catch((e) => console.error(String(e)));
    closeMs = Math.round(performance.now() - closing);
  }
  await server.stop();
  return {
    engine: engine?.name ?? id,
    version,
    ms: Math.round(performance.now() - started),
    startMs,
    closeMs,
    checks: results,
  };
}

const t0 = performance.now();
// One engine after the other: on two cores, parallel browsers only slow each other down.
const engines = [];
for (const id of names) engines.push(await runEngine(/** @type {keyof typeof ADAPTERS} */ (id)));
const all = engines.flatMap((e) => e.checks);
const report = {
  passed: all.filter((c) => c.ok).length,
  failed: all.filter((c) => !c.ok).length,
  ms: Math.round(performance.now() - t0),
  engines,
};
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/engines.json', JSON.stringify(report, null, 2));
const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
for (const e of engines) {
  const ok = e.checks.filter((c) => c.ok).length;
  console.log(
    `${e.engine} ${e.version}: ${ok} of ${e.checks.length} checks passed in ${seconds(e.ms)} (start ${seconds(e.startMs)}, close ${seconds(e.closeMs)})`,
  );
}
console.log(`engines: ${report.passed} passed, ${report.failed} failed in ${seconds(report.ms)}`);
process.exit(report.failed ? 1 : 0);
