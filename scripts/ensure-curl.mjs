// Makes sure bash and Debian's curl exist before the unit tests run: the curl differential
// (tests/unit/request/curl-differential.test.ts) runs real curl through real bash and must never skip.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/**
 * Whether a program runs (found on PATH).
 * @param {string} program
 * @param {string[]} args
 */
function runs(program, args) {
  try {
    execFileSync(program, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!runs('bash', ['-c', 'true'])) {
  console.error(
    'No bash on PATH: the curl differential test needs it. Install bash, then run the tests again.',
  );
  process.exit(1);
}
if (runs('curl', ['--version'])) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(
    "No curl on PATH: the curl differential test needs Debian's curl (sudo apt-get install -y curl). Install it, then run the tests again.",
  );
  process.exit(1);
}
console.log("No curl found: installing Debian's curl with apt-get (root)…");
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'curl'], { stdio: 'inherit', env });
if (!runs('curl', ['--version'])) {
  console.error('apt-get finished but curl still does not run.');
  process.exit(1);
}
