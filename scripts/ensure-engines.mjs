// Makes sure Firefox ESR, WebKitWebDriver with its MiniBrowser, and Xvfb exist before the
// cross-engine suite runs. Never downloads a browser: Debian's packages only, installed with apt-get
// when running as root, otherwise it stops and says what to run.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { FIREFOX_PATH } from '../tests/engines/firefox.mjs';
import { MINIBROWSER, WEBKIT_DRIVER, XVFB } from '../tests/engines/webkit.mjs';

const wanted = /** @type {[string, string][]} */ ([
  [FIREFOX_PATH, 'firefox-esr'],
  [WEBKIT_DRIVER, 'webkit2gtk-driver'],
  [MINIBROWSER, 'webkit2gtk-driver'], // MiniBrowser comes with libwebkit2gtk-4.1-0, which the driver needs
  [XVFB, 'xvfb'],
]);
const missing = () => wanted.filter(([path]) => !existsSync(path));
const packages = () => [...new Set(missing().map(([, pkg]) => pkg))];

if (missing().length === 0) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const overridden = process.env.FIREFOX_PATH || process.env.WEBKIT_DRIVER || process.env.MINIBROWSER_PATH;
if (!isRoot || !existsSync('/usr/bin/apt-get') || overridden) {
  console.error(
    `Missing for the cross-engine tests: ${missing()
      .map(([p]) => p)
      .join(', ')}. Install Debian's packages (sudo apt-get install -y ${packages().join(' ')}), or set ` +
      'FIREFOX_PATH / WEBKIT_DRIVER / MINIBROWSER_PATH, then run the tests again.',
  );
  process.exit(1);
}
console.log(`Installing Debian's ${packages().join(', ')} with apt-get (root)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...packages()], {
  stdio: 'inherit',
  env,
});
if (missing().length) {
  console.error(
    `apt-get finished but these are still missing: ${missing()
      .map(([p]) => p)
      .join(', ')}`,
  );
  process.exit(1);
}
