// WebKit: WebKitGTK's MiniBrowser (Debian's webkit2gtk-driver) under Xvfb, through WebKitWebDriver,
// driven by selenium-webdriver. One session per driver process; nothing is downloaded (the driver is
// started here and selenium only talks to it, so Selenium Manager never runs).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, By } from 'selenium-webdriver';

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
export const MINIBROWSER =
  process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB = '/usr/bin/Xvfb';

/** A port no one listens on right now. */
async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = s.address();
  await new Promise((ok) => s.close(() => ok(undefined)));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Start Xvfb on a display number it picks itself (-displayfd), so parallel runs never collide.
 * @returns {Promise<{ display: string, stop(): void }>}
 */
async function startXvfb() {
  const x = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  x.stderr?.on('data', (d) => (stderr += d));
  const display = await new Promise((ok, fail) => {
    let out = '';
    const fd3 = /** @type {import('node:stream').Readable} */ (x.stdio[3]);
    fd3.on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(`:${out.trim()}`);
    });
    x.on('exit', (code) => fail(new Error(`Xvfb exited (${code}): ${stderr}`)));
  });
  return { display, stop: () => void x.kill() };
}

/**
 * Wait until the driver answers /status with ready: true.
 * @param {string} url @param {import('node:child_process').ChildProcess} proc @param {() => string} log
 */
async function driverReady(url, proc, log, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`WebKitWebDriver exited (${proc.exitCode}): ${log()}`);
    const ready = await fetch(`${url}/status`)
      .then((r) => r.json())
      .then((j) => j?.value?.ready === true)
      .catch(() => false);
    if (ready) return;
    if (Date.now() > end) throw new Error(`WebKitWebDriver did not become ready: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** @returns {Promise<import('./checks.mjs').Engine>} */
export async function webkit() {
  const dir = mkdtempSync(join(tmpdir(), 'keybench-webkit-'));
  const downloadDir = join(dir, 'downloads');
  const config = join(dir, 'config');
  mkdirSync(downloadDir);
  mkdirSync(config);
  // WebKitGTK saves downloads in the XDG download folder, which user-dirs.dirs names.
  writeFileSync(join(config, 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloadDir}"\n`);
  const xvfb = await startXvfb();
  const port = await freePort();
  let log = '';
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DISPLAY: xvfb.display,
      HOME: dir,
      XDG_CONFIG_HOME: config,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_RUNTIME_DIR: dir,
      // No GPU here: software rendering, and no sandbox namespaces in a container.
      LIBGL_ALWAYS_SOFTWARE: '1',
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    },
  });
  driver.stdout.on('data', (d) => (log += d));
  driver.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stopAll = () => {
    driver.kill();
    xvfb.stop();
  };
  try {
    await driverReady(url, driver, () => log);
    const session = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
    await session.manage().setTimeouts({ script: 60_000, pageLoad: 60_000 });
    const caps = await session.getCapabilities();
    return {
      name: 'WebKit',
      version: `WebKitGTK ${caps.get('browserVersion') ?? ''}`.trim(),
      downloadDir,
      async goto(u) {
        await session.get(u);
      },
      async reload() {
        await session.navigate().refresh();
      },
      async evaluate(expression) {
        // Async script: WebKitWebDriver resolves the callback, whatever it does with returned promises.
        const out = await session.executeAsyncScript(
          `const done = arguments[arguments.length - 1];
           Promise.resolve().then(() => ${expression}).then(
             (value) => done({ value: value === undefined ? null : value }),
             (e) => done({ error: String(e && e.stack || e) }));`,
        );
        const r = /** @type {{ value?: unknown, error?: string }} */ (out);
        if (r.error) throw new Error(`in the page: ${r.error}`);
        return r.value;
      },
      async click(selector) {
        await session.findElement(By.css(selector)).click();
      },
      // WebKitWebDriver has no BiDi log: the probe script's error and CSP listeners are the record.
      driverErrors: () => [],
      async close() {
        await session.quit().catch(() => {});
        stopAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    stopAll();
    throw e;
  }
}
