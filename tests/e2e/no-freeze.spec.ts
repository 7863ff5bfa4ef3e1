/**
 * No freeze, whatever is pasted (issue 17 §4), through the page: a 6 M-character key box is
 * refused before any scan (the old verdict never stays beside it, a private key in it is cleared),
 * and the request doctor's search over a 7 MB body runs in a worker, so the page's longest task
 * stays near that of pasting 7 MB of plain text. Each failed before its fix.
 */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, pasteInto } from './fixtures';
import { nodeJws, toolKey } from '../unit/jwt-helpers';

/**
 * A form-encoded Binance order of `size` characters, every parameter sent many times, signed by
 * another key (so the doctor's whole search runs). The bench times 7 MB; 2 MB here keeps the test
 * short on a shared machine while the doctor's work still far outlasts the paste on the main thread.
 */
function binanceCurl(size = 2_000_000): { curl: string; publicPem: string } {
  const signer = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const params = `${'symbol=BTCUSDT&side=BUY&'.repeat(Math.floor(size / 24))}timestamp=${Date.now()}`;
  const sig = nodeSign(null, Buffer.from(params), other.privateKey).toString('base64');
  return {
    curl: `curl -X POST 'https://api.binance.com/api/v3/order' -H 'X-MBX-APIKEY: e2e' -H 'Content-Type: application/x-www-form-urlencoded' --data-raw '${params}&signature=${encodeURIComponent(sig)}'`,
    publicPem: String(signer.publicKey.export({ type: 'spki', format: 'pem' })),
  };
}

/** Start recording the page's long tasks (a fresh list). */
async function watchLongTasks(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __observer?: PerformanceObserver };
    w.__observer?.disconnect();
    w.__longest = 0;
    w.__observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    });
    w.__observer.observe({ type: 'longtask' });
  });
}

/** The longest task since `watchLongTasks`, once the tasks queued so far have been reported. */
async function longestTask(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        setTimeout(() => resolve((window as unknown as { __longest: number }).__longest), 200),
      ),
  );
}

test('6 M characters in the key box: refused before any scan, a private key in them cleared, the old "verified" gone', async ({
  page,
}) => {
  const key = toolKey('rsa2048');
  await page.goto('./#/inspect');
  await page.getByLabel(/^JWT/).fill(nodeJws('RS256', key.privateKey));
  await page.getByLabel('Verification key').fill(key.publicPem);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');

  await pasteInto(page, '#key-input', `${key.privatePem}\n${'AAAAAAAAAAAAAAAAAAAA\n'.repeat(300_000)}`);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-code', 'ERR_KEY_TOO_LARGE');
  await expect(verdict).toHaveAttribute('data-state', 'failed');
  await expect(verdict).not.toContainText('Signature verified');
  await expect(verdict).toContainText('keybench reads key text up to 256 KB');
  await expect(page.getByLabel('Verification key')).toHaveValue('');
  await expect(page.locator('#key-notes')).toContainText('The box was cleared');

  // The page still answers: the public key verifies again.
  await page.getByLabel('Verification key').fill(key.publicPem);
  await expect(verdict).toContainText('Signature verified');
});

test('a 2 MB Binance body with repeated parameters: the doctor runs in a worker, the page stays responsive', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const { curl, publicPem } = binanceCurl();
  await page.goto('./#/inspect');
  const verdict = page.getByTestId('verdict');

  // Baseline: as much plain text in the same box.
  await watchLongTasks(page);
  await pasteInto(page, '#jwt-input', 'x'.repeat(curl.length));
  await expect(page.getByTestId('header-json').or(verdict)).toBeVisible();
  await page.waitForTimeout(1_000);
  const baseline = await longestTask(page);
  await page.getByLabel(/^JWT/).fill('');

  await page.getByLabel('Verification key').fill(publicPem);
  await watchLongTasks(page);
  await pasteInto(page, '#jwt-input', curl);
  await expect(verdict).toHaveAttribute('data-code', 'ERR_BINANCE_DUPLICATE_PARAM', { timeout: 180_000 });
  const longest = await longestTask(page);
  await expect(page.getByTestId('doctor-note')).toHaveCount(0); // it ran in the worker
  console.log(`longest task: plain text ${baseline.toFixed(0)} ms, Binance body ${longest.toFixed(0)} ms`);
  expect(longest).toBeLessThan(baseline * 1.5 + 500);
});

test('offline: the doctor worker comes from the service worker cache and examines a request', async ({
  page,
  context,
}) => {
  await page.goto('./#/inspect');
  await expect(page.getByText('works offline')).toBeVisible({ timeout: 30_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.reload();
  const { curl } = binanceCurl();
  const small = curl.replace(
    /--data-raw '[^']*'/,
    `--data-raw 'symbol=BTCUSDT&timestamp=${Date.now()}&signature=abc'`,
  );
  await page.getByLabel(/^JWT/).fill(small);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(verdict).toHaveAttribute('data-code', /^ERR_/);
  await expect(page.getByTestId('doctor-note')).toHaveCount(0);
  const fromWorker = await page.evaluate(() =>
    performance.getEntriesByType('resource').some((e) => /doctor\.worker-.*\.js$/.test(e.name)),
  );
  expect(fromWorker).toBe(true);
  await context.setOffline(false);
});
