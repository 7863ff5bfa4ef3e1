// Sums passed and failed tests from Vitest's, Playwright's and the cross-engine suite's JSON reports in
// test-results/, and counts the size check (npm run size) as one more test.
// With --line prints only "N passed, M failed"; otherwise a per-runner breakdown.
import { existsSync, readFileSync } from 'node:fs';

const lineOnly = process.argv.includes('--line');
let passed = 0;
let failed = 0;
const notes = [];

const vitestFile = 'test-results/vitest.json';
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests + (v.numRuntimeErrorTestSuites ?? 0);
  notes.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed`);
} else {
  failed += 1;
  notes.push('vitest: no report (the unit tests did not run)');
}

const pwFile = 'test-results/playwright.json';
if (existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, 'utf8'));
  const s = p.stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  if (p.errors?.length) failed += p.errors.length;
  notes.push(
    `playwright: ${s.expected} passed, ${s.unexpected} failed, ${s.flaky ?? 0} flaky, ${s.skipped} skipped`,
  );
} else {
  failed += 1;
  notes.push('playwright: no report (the end-to-end tests did not run)');
}

// The cross-engine suite (npm run test:engines): each check in each engine is one test.
const enginesFile = 'test-results/engines.json';
if (existsSync(enginesFile)) {
  const e = JSON.parse(readFileSync(enginesFile, 'utf8'));
  passed += e.passed;
  failed += e.failed;
  const per = e.engines
    .map((/** @type {{ engine: string, ms: number }} */ x) => `${x.engine} ${(x.ms / 1000).toFixed(1)} s`)
    .join(', ');
  notes.push(`engines: ${e.passed} passed, ${e.failed} failed in ${(e.ms / 1000).toFixed(1)} s (${per})`);
} else {
  failed += 1;
  notes.push('engines: no report (the cross-engine tests did not run)');
}

const sizeFile = 'test-results/size.json';
if (existsSync(sizeFile)) {
  const r = JSON.parse(readFileSync(sizeFile, 'utf8'));
  if (r.ok) passed += 1;
  else failed += 1;
  notes.push(`size: first-load JS ${r.firstLoadJs} of ${r.budget} B gzip, ${r.ok ? 'passed' : 'failed'}`);
} else {
  failed += 1;
  notes.push('size: no report (npm run size did not run)');
}

if (!lineOnly) for (const n of notes) console.log(n);
else console.log(`${passed} passed, ${failed} failed`);
