// Makes sure a system Chromium exists before the browser tests run. Playwright never downloads one here.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { CHROMIUM_PATH } from './chromium.mjs';

const wanted = CHROMIUM_PATH;
if (existsSync(wanted)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt || process.env.CHROMIUM_PATH) {
  console.error(
    `No Chromium at ${wanted}. Install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary, then run the tests again.`,
  );
  process.exit(1);
}
console.log("No Chromium found: installing Debian's chromium with apt-get (root)…");
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
if (!existsSync(wanted)) {
  console.error(`apt-get finished but ${wanted} is still missing.`);
  process.exit(1);
}
