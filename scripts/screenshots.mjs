// `node scripts/screenshots.mjs [--out DIR] [--port N]`: serves the production build (build it first
// with `npx vite build`), drives Debian's Chromium and saves each view (landing, Keys, Inspect, Sign)
// in light, dark and phone (390×844) to docs/screenshots/*.png, as a first-time visitor sees them
// after one key pair was generated and one token pasted. The README shows them.
import { BASE, OUT, eachMode } from './screenshot-kit.mjs';

await eachMode(async (newPage, mode) => {
  const page = await newPage();
  /** @param {string} view */
  const shot = async (view) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300); // let smooth scrolling and fonts settle
    await page.screenshot({ path: `${OUT}/${view}-${mode.name}.png` });
  };

  await page.goto(BASE);
  await page
    .getByRole('button', { name: /Generate/ })
    .first()
    .waitFor();
  await shot('landing');

  await page.goto(`${BASE}#/keys`);
  const picker = page.getByLabel('Partner profile');
  await picker.getByRole('option', { name: 'QI Tech' }).waitFor({ state: 'attached' });
  await picker.selectOption({ label: 'QI Tech' });
  await page.getByRole('button', { name: /Generate P-521 key pair for QI Tech/ }).click();
  await page.getByRole('article').first().getByTestId('fingerprint').waitFor();
  await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring in the picture
  await shot('keys');

  const token = await signedToken(page);
  await page.goto(`${BASE}#/inspect`);
  await page.getByLabel('JWT').first().fill(token);
  await page.getByText('Signature verified').first().waitFor({ timeout: 20_000 });
  await shot('inspect');

  await page.goto(`${BASE}#/sign`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await shot('sign');

  // The HTTP Message Signatures (RFC 9421) tab, signed with an HMAC secret.
  await page.getByRole('button', { name: 'HTTP Message Signatures (RFC 9421)' }).click();
  await page.getByLabel('Key pair').selectOption('secret');
  await page.getByLabel('Secret', { exact: true }).fill('a demo shared secret');
  await page.getByRole('button', { name: 'Sign request' }).click();
  await page.getByTestId('sign-curl').waitFor();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await shot('sign-rfc9421');

  // That request, verified in Inspect with the secret: each signature, its base line by line.
  const curl = await page.getByTestId('sign-curl').textContent();
  await page.goto(`${BASE}#/inspect`);
  await page
    .getByLabel('JWT')
    .first()
    .fill(curl ?? '');
  await page.getByLabel('Verification key').fill('a demo shared secret');
  await page.getByRole('checkbox', { name: /Shared secret \(HMAC\)/ }).check();
  await page.getByText('Signature verified').first().waitFor({ timeout: 20_000 });
  await page.getByTestId('signature-base').first().scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/inspect-rfc9421-${mode.name}.png` });

  // The JWT client assertion form.
  await page.goto(`${BASE}#/sign`);
  await page.getByRole('button', { name: 'JWT client assertion' }).click();
  await page
    .getByRole('button', { name: 'Sign' })
    .or(page.getByText('Partner', { exact: true }))
    .first()
    .waitFor();
  await shot('sign-assertion');
});

/**
 * A JWT signed in the page with the stored key pair (ES512), straight from IndexedDB: the key
 * stays non-extractable, only the token comes back.
 * @param {import('../tests/tools.mjs').Page} page
 */
async function signedToken(page) {
  return page.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open('keybench');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = await new Promise((res, rej) => {
      const r = /** @type {IDBDatabase} */ (db).transaction('keys').objectStore('keys').getAll();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    /** @type {IDBDatabase} */ (db).close();
    const key = /** @type {{ privateKey?: CryptoKey }[]} */ (all).find((k) => k.privateKey)?.privateKey;
    if (!key) throw new Error('no stored key pair');
    /** @param {Uint8Array} b */
    const b64u = (b) =>
      btoa(String.fromCharCode(...b))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    /** @param {unknown} o */
    const enc = (o) => b64u(new TextEncoder().encode(JSON.stringify(o)));
    const now = Math.floor(Date.now() / 1000);
    const input = `${enc({ alg: 'ES512', typ: 'JWT' })}.${enc({ sub: 'demo', iat: now, exp: now + 3600 })}`;
    const sig = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-512' },
      key,
      new TextEncoder().encode(input),
    );
    return `${input}.${b64u(new Uint8Array(sig))}`;
  });
}
