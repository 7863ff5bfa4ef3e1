// The test-only package (tests/package.json: test runners, browser drivers, linters, partner SDKs) is
// installed here, by the test and check commands, not by the app's `npm install`. Run as a script it
// installs tests/node_modules with `npm ci` when tests/package-lock.json changed since the last install,
// and does nothing otherwise. Scripts in scripts/ reach those packages through tests/tools.mjs.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TESTS = join(import.meta.dirname, '..', 'tests');
const STAMP = join(TESTS, 'node_modules', '.keybench-lock.sha256');

/** SHA-256 of tests/package-lock.json: what the installed test packages must match. */
function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(TESTS, 'package-lock.json')))
    .digest('hex');
}

/** Installs tests/node_modules unless it was installed from this very lock file. */
export function ensureTestDeps() {
  const want = lockHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === want) return;
  console.log('Installing the test-only packages (tests/package.json) with npm ci…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: TESTS, stdio: 'inherit' });
  writeFileSync(STAMP, `${want}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) ensureTestDeps();
