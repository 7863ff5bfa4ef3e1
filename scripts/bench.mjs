// `npm run bench`: serves the production build (npm run bench builds it first), drives the system
// Chromium and prints medians (min–max) over repeated runs. Every time is taken inside the page
// with performance.now()/performance marks, so Playwright's round trips are not in the figures.
// A report, not a test: it fails only if the page does not do what is measured.
// Options: --runs N (default 15); --only NAME[,NAME] (rows: navigation, fcp, paste, card, decode,
// doctor, rfc9421, longtask, jwe); --port N (default 4199); --write-docs (replace the table between the markers in
// docs/benchmarks.md; --write-readme is the old name).
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium, format, resolveConfig } from '../tests/tools.mjs';
import { preview } from 'vite';
import { CompactEncrypt, importSPKI } from 'jose';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

/** @type {(name: string) => string | undefined} */
const arg = (name) => process.argv.find((_, i, a) => a[i - 1] === name);
const RUNS = Number(arg('--runs') ?? 15);
const PORT = Number(arg('--port') ?? 4199);
const ONLY = arg('--only')?.split(',');
/** @type {(row: string) => boolean} */
const wanted = (row) => !ONLY || ONLY.includes(row);
/** The page the landing's first paint is compared with: served by the same server, from dist/. */
const MINIMAL_PAGE = '__bench-minimal.html';
const BASE = `http://127.0.0.1:${PORT}/`;

/** @type {(s: string | Buffer) => string} */
const b64u = (s) => Buffer.from(s).toString('base64url');

writeFileSync(
  `dist/${MINIMAL_PAGE}`,
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>minimal</title><p>Hello.</p></html>\n',
);
const server = await preview({
  preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
  logLevel: 'warn',
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
/** @type {{ name: string, values: number[], target?: string, unit?: string }[]} */
const rows = [];

/** The groups of rows, by the word `--only` selects them with. */
try {
  if (wanted('navigation')) rows.push(...(await navigation()));
  if (wanted('fcp')) rows.push(...(await firstPaint()));
  if (wanted('paste')) rows.push(...(await pasteToVerdict()));
  if (wanted('card')) rows.push(...(await clickToCard()));
  if (wanted('decode')) rows.push(await decodeLargeToken());
  if (wanted('jwe')) rows.push(await decryptLargeJwe());
  if (wanted('doctor')) rows.push(...(await requestDoctor()));
  if (wanted('rfc9421')) rows.push(...(await rfc9421Doctor()));
  if (wanted('longtask')) rows.push(...(await longestTasks()));
} finally {
  await browser.close();
  await server.close();
  rmSync(`dist/${MINIMAL_PAGE}`, { force: true });
}

const table = render(rows);
console.log(table);
if (process.argv.includes('--write-docs') || process.argv.includes('--write-readme')) {
  // The table in the docs is one whole run: a partial one (--only) would drop the other rows.
  if (ONLY) console.error('--write-docs needs every row: run it without --only');
  else await writeDocs(table);
}

/**
 * Navigation → interactive (page and buttons on screen) and → usable (stored keys shown too), on a
 * first visit (new browser profile) and on a returning one (served by the service worker).
 */
async function navigation() {
  /** @type {Record<'first' | 'returning', Record<'start' | 'interactive' | 'usable', number[]>>} */
  const runs = {
    first: { start: [], interactive: [], usable: [] },
    returning: { start: [], interactive: [], usable: [] },
  };
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(BASE);
    await record(page, runs.first);
    // Once the service worker has cached everything, the next load is a returning visit.
    await page.getByText('works offline').waitFor({ timeout: 30_000 });
    await page.reload();
    await record(page, runs.returning);
    await context.close();
  }
  return /** @type {const} */ (['first', 'returning']).flatMap((visit) => [
    {
      name: `navigation → app code running (HTML and JS fetched, parsed), ${visit} visit`,
      values: runs[visit].start,
    },
    { name: `navigation → interactive, ${visit} visit`, values: runs[visit].interactive, target: '≤ 100 ms' },
    { name: `navigation → stored keys shown, ${visit} visit`, values: runs[visit].usable },
  ]);
}

/**
 * First contentful paint of the landing on a first visit (a new browser profile each run), against
 * that of a minimal HTML page served by the same server in the same browser. The two alternate, so
 * that a slow moment of the machine falls on both.
 */
async function firstPaint() {
  /** @type {{ landing: number[], minimal: number[], ratio: number[] }} */
  const runs = { landing: [], minimal: [], ratio: [] };
  /** @param {string} url */
  const fcp = async (url) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const ms = await page.evaluate(
      () =>
        new Promise((resolve) => {
          new PerformanceObserver((list) => {
            const entry = list.getEntriesByName('first-contentful-paint')[0];
            if (entry) resolve(entry.startTime);
          }).observe({ type: 'paint', buffered: true });
        }),
    );
    await context.close();
    return /** @type {number} */ (ms);
  };
  // One of each first, not counted: the server's and the browser's own first time.
  await fcp(`${BASE}${MINIMAL_PAGE}`);
  await fcp(BASE);
  for (let i = 0; i < RUNS; i++) {
    const minimal = await fcp(`${BASE}${MINIMAL_PAGE}`);
    const landing = await fcp(BASE);
    runs.minimal.push(minimal);
    runs.landing.push(landing);
    runs.ratio.push(landing / minimal);
  }
  return [
    { name: 'first contentful paint, minimal HTML page, first visit', values: runs.minimal },
    { name: 'first contentful paint, landing, first visit', values: runs.landing },
    {
      name: 'landing FCP ÷ minimal page FCP (per run pair)',
      values: runs.ratio,
      target: '≤ 1.5 ×',
      unit: '×',
    },
  ];
}

/** @param {import('../tests/tools.mjs').Page} page @param {Record<'start' | 'interactive' | 'usable', number[]>} into */
async function record(page, into) {
  into.start.push(await markTime(page, 'keybench:start'));
  into.usable.push(await markTime(page, 'keybench:usable'));
  into.interactive.push(await markTime(page, 'keybench:interactive'));
}

/**
 * When the page set a performance mark, in ms from navigation start (waits for it).
 * @param {import('../tests/tools.mjs').Page} page
 * @returns {Promise<number>}
 */
async function markTime(page, name = 'keybench:usable') {
  return page.evaluate(
    (name) =>
      new Promise((resolve) => {
        const read = () => performance.getEntriesByName(name)[0]?.startTime;
        const poll = () => {
          const t = read();
          if (t === undefined) setTimeout(poll, 5);
          else resolve(t);
        };
        poll();
      }),
    name,
  );
}

/** Paste → verdict: a signed token goes into the JWT box; stop when "Signature verified" is in the DOM. */
async function pasteToVerdict() {
  const out = [];
  for (const alg of ['RS256', 'ES512']) {
    const { privateKey, publicKey } =
      alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const tokens = Array.from({ length: RUNS + 2 }, (_, i) => {
      const input = `${b64u(JSON.stringify({ alg, typ: 'JWT' }))}.${b64u(JSON.stringify({ sub: 'bench', jti: `run-${i}` }))}`;
      /** @type {import('node:crypto').SignKeyObjectInput} */
      const key = { key: privateKey, dsaEncoding: alg === 'RS256' ? 'der' : 'ieee-p1363' };
      return `${input}.${b64u(sign(alg === 'RS256' ? 'sha256' : 'sha512', Buffer.from(input), key))}`;
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}#/inspect`);
    await page.getByLabel('Verification key').fill(String(publicKey.export({ type: 'spki', format: 'pem' })));
    const box = await page.getByLabel(/^JWT/).elementHandle();
    const values = [];
    for (const [i, token] of tokens.entries()) {
      const ms = await timeInput(page, box, token, 'Signature verified');
      if (i >= 2) values.push(ms); // the first two warm up the lazy chunks and the key import
    }
    await context.close();
    out.push({ name: `paste → verdict, ${alg}`, values, target: '≤ 16 ms' });
  }
  return out;
}

/**
 * Paste a Qredo request (curl) → its verdict, for a correct request with a 1 MB body, and → the
 * diagnosis, for one signed over the pretty body but sent compact (the doctor's search).
 */
async function requestDoctor() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const url = 'https://play-api.qredo.network/api/v1/p/company';
  /** @param {string} signedBody @param {string} sentBody @param {number} i */
  const curl = (signedBody, sentBody, i) => {
    const ts = String(Math.floor(Date.now() / 1000) - i);
    const xSign = sign('sha256', Buffer.from(ts + url + signedBody), privateKey).toString('base64url');
    return `curl -X POST '${url}' -H 'x-sign: ${xSign}' -H 'x-timestamp: ${ts}' -H 'x-api-key: bench' --data-raw '${sentBody}'`;
  };
  const body = { name: 'Acme Test Ltd', city: 'London', country: 'GB' };
  const big = JSON.stringify({ ...body, blob: 'x'.repeat(1_000_000) });
  const cases = [
    {
      name: 'paste request → verdict, Qredo, 1 MB body',
      make: (/** @type {number} */ i) => curl(big, big, i),
      expected: 'Signature verified',
      target: '≤ 300 ms',
    },
    {
      name: 'paste request → diagnosis, Qredo, pretty signed / compact sent',
      make: (/** @type {number} */ i) => curl(JSON.stringify(body, null, 2), JSON.stringify(body), i),
      expected: 'ERR_QREDO_BODY_PRETTY',
      where: '[data-testid="diagnoses"]',
      target: '≤ 300 ms',
    },
  ];
  const out = [];
  for (const c of cases) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}#/inspect`);
    await page.getByLabel('Verification key').fill(String(publicKey.export({ type: 'spki', format: 'pem' })));
    const box = await page.getByLabel(/^JWT/).elementHandle();
    const values = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const ms = await timeInput(page, box, c.make(i), c.expected, c.where);
      if (i >= 2) values.push(ms);
    }
    await context.close();
    out.push({ name: c.name, values, target: c.target });
  }
  return out;
}

/**
 * RFC 9421 requests covering 6 000 and 20 000 header fields (about 106 KB and 378 KB), pasted →
 * verdict: the doctor's work must grow linearly with the request (it took 56 s, and 20 000 fields
 * crashed the tab, when each covered field scanned every header). Fewer runs: each is large.
 */
async function rfc9421Doctor() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  /** @param {number} n @param {number} i */
  const request = (n, i) => {
    const names = Array.from({ length: n }, (_, k) => `x-f${k}`);
    const created = Math.floor(Date.now() / 1000) - i;
    const covered = ['"@method"', '"@authority"', '"@path"', ...names.map((x) => `"${x}"`)].join(' ');
    const params = `(${covered});created=${created}`;
    const base = [
      '"@method": POST',
      '"@authority": example.com',
      '"@path": /foo',
      ...names.map((x, k) => `"${x}": v${k}`),
      `"@signature-params": ${params}`,
    ].join('\n');
    const sig = sign(null, Buffer.from(base), privateKey).toString('base64');
    return [
      'POST https://example.com/foo HTTP/1.1',
      'Host: example.com',
      ...names.map((x, k) => `${x}: v${k}`),
      `Signature-Input: sig1=${params}`,
      `Signature: sig1=:${sig}:`,
      '',
      '',
    ].join('\n');
  };
  const runs = Math.min(RUNS, 5);
  const out = [];
  for (const [n, target] of /** @type {const} */ ([
    [6000, '≤ 2 000 ms'],
    [20_000, '≤ 5 000 ms'],
  ])) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('crash', () => {
      throw new Error(`the tab crashed on ${n} covered fields`);
    });
    await page.goto(`${BASE}#/inspect`);
    await page.getByLabel('Verification key').fill(String(publicKey.export({ type: 'spki', format: 'pem' })));
    const box = await page.getByLabel(/^JWT/).elementHandle();
    const values = [];
    for (let i = 0; i < runs + 1; i++) {
      const ms = await timeInput(page, box, request(n, i), 'Signature verified', undefined, 60_000);
      if (i >= 1) values.push(ms);
    }
    await context.close();
    out.push({
      name: `paste request → verdict, RFC 9421 covering ${n.toLocaleString('en')} header fields`,
      values,
      target,
    });
  }
  return out;
}

/**
 * Clear the box, then put the text in as a paste does and time, in the page, until `expected`
 * appears in the verdict (or, for the large token, in the payload).
 * @param {import('../tests/tools.mjs').Page} page
 * @param {any} box
 * @param {string} text
 * @param {string} expected
 * @param {string} where
 * @param {number} timeoutMs
 */
async function timeInput(page, box, text, expected, where = '[data-testid="verdict"]', timeoutMs = 10_000) {
  return page.evaluate(([el, text, expected, where, timeoutMs]) => {
    /** @param {string} v */
    const set = (v) => {
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const has = () => document.querySelector(where)?.textContent?.includes(expected) ?? false;
    return new Promise((resolve, reject) => {
      set('');
      requestAnimationFrame(() => {
        if (has()) return reject(new Error('the old verdict is still shown after clearing'));
        const observer = new MutationObserver(() => {
          if (!has()) return;
          observer.disconnect();
          resolve(performance.now() - t0);
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const t0 = performance.now();
        set(text);
        setTimeout(() => reject(new Error(`no "${expected}" after ${timeoutMs / 1000} s`)), timeoutMs);
      });
    });
  }, /** @type {const} */ ([box, text, expected, where, timeoutMs]));
}

/** Click → key card, next to crypto.subtle.generateKey with the same parameters in the same page. */
async function clickToCard() {
  const out = [];
  for (const kind of ['RSA-2048', 'P-521']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const click = [];
    const raw = [];
    for (let i = 0; i < RUNS + 1; i++) {
      await page.goto(BASE);
      await markTime(page);
      await page.waitForLoadState('networkidle'); // a person reads for a moment before clicking
      const button = await page
        .getByRole('button', { name: new RegExp(`Generate.*${kind}`) })
        .elementHandle();
      const ms = await page.evaluate(
        (button) =>
          new Promise((resolve, reject) => {
            const cards = () => document.querySelectorAll('article').length;
            const before = cards();
            const observer = new MutationObserver(() => {
              const card = document.querySelectorAll('article')[before];
              if (!card?.querySelector('[data-testid="fingerprint"]')?.textContent?.includes(':')) return;
              observer.disconnect();
              resolve(performance.now() - t0);
            });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
            const t0 = performance.now();
            /** @type {HTMLElement} */ (button).click();
            setTimeout(() => reject(new Error('no key card after 20 s')), 20_000);
          }),
        button,
      );
      const rawMs = await page.evaluate(async (kind) => {
        const params =
          kind === 'P-521'
            ? { name: 'ECDSA', namedCurve: 'P-521' }
            : {
                name: 'RSASSA-PKCS1-v1_5',
                modulusLength: 2048,
                publicExponent: new Uint8Array([1, 0, 1]),
                hash: 'SHA-256',
              };
        const t0 = performance.now();
        await crypto.subtle.generateKey(params, false, ['sign', 'verify']);
        return performance.now() - t0;
      }, kind);
      if (i > 0) {
        click.push(ms);
        raw.push(rawMs);
      }
      // Start the next run with an empty keyring, as the first one did.
      await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const open = indexedDB.open('keybench');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction('keys', 'readwrite');
              tx.objectStore('keys').clear();
              tx.oncomplete = () => (open.result.close(), resolve(undefined));
            };
          }),
      );
    }
    await context.close();
    out.push({
      name: `click → key card, ${kind}`,
      values: click,
      target: kind === 'P-521' ? '≤ raw + 16 ms' : undefined,
    });
    out.push({ name: `raw crypto.subtle.generateKey, ${kind}`, values: raw });
    out.push({
      name: `key card over raw (medians), ${kind}`,
      values: [median(click) - median(raw)],
      target: kind === 'P-521' ? '≤ 16 ms' : undefined,
    });
  }
  return out;
}

/** Decode of a 1 MB token: paste → header and payload shown (no key, so nothing to verify). */
async function decodeLargeToken() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}#/inspect`);
  const box = await page.getByLabel(/^JWT/).elementHandle();
  const values = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const marker = `end-of-run-${i}`;
    // The marker comes first: the pane shows the first 200 K characters of a long payload.
    const payload = b64u(JSON.stringify({ marker, data: 'x'.repeat(750_000) }));
    const token = `${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${payload}.${b64u('sig')}`;
    const ms = await timeInput(page, box, token, marker, '[data-testid="payload-json"]');
    if (i > 0) values.push(ms);
  }
  await context.close();
  return { name: 'paste → decoded, 1 MB token', values };
}

/**
 * Paste → Decrypted for a Mastercard body around a JWE of a 1 MB payload, encrypted (by jose in
 * Node) to an encryption key pair generated in the page.
 */
async function decryptLargeJwe() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}#/keys`);
  const picker = page.getByLabel('Partner profile');
  await picker.getByRole('option', { name: 'Mastercard encryption' }).waitFor({ state: 'attached' });
  await picker.selectOption({ label: 'Mastercard encryption' });
  await page.getByRole('button', { name: /Generate.*encryption/ }).click();
  const pem = page.getByTestId('public-pem').first();
  await pem.waitFor({ state: 'attached', timeout: 20_000 });
  const key = await importSPKI(/** @type {string} */ (await pem.textContent()), 'RSA-OAEP-256');
  await page.goto(`${BASE}#/inspect`);
  const box = await page.getByLabel(/^JWT/).elementHandle();
  const values = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const payload = JSON.stringify({ run: i, data: 'x'.repeat(1_000_000) });
    const compact = await new CompactEncrypt(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'application/json' })
      .encrypt(key);
    const body = JSON.stringify({ encryptedValue: compact });
    const ms = await timeInput(page, box, body, 'Decrypted', '[data-testid="verdict"]', 30_000);
    if (i > 0) values.push(ms);
  }
  await context.close();
  return { name: 'paste → decrypted, 1 MB JWE (Mastercard body)', values };
}

/**
 * The longest main-thread task (PerformanceObserver 'longtask') from a paste until the verdict
 * settles, for inputs that froze the page, beside pasting as much plain text.
 */
async function longestTasks() {
  const MB7 = 7_000_000;
  const ed = generateKeyPairSync('ed25519');
  const otherEd = generateKeyPairSync('ed25519');
  const params = `${'symbol=BTCUSDT&side=BUY&'.repeat(Math.floor(MB7 / 24))}timestamp=${Date.now()}`;
  const binance = `curl -X POST 'https://api.binance.com/api/v3/order' -H 'X-MBX-APIKEY: bench' -H 'Content-Type: application/x-www-form-urlencoded' --data-raw '${params}&signature=${encodeURIComponent(sign(null, Buffer.from(params), otherEd.privateKey).toString('base64'))}'`;

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const items = Array.from({ length: Math.floor(MB7 / 46) }, (_, i) => ({ id: i, name: 'item', ok: true }));
  const body = JSON.stringify({ items });
  // payload_md5 of no serialisation of the body: the doctor tries every one it may.
  const claims = {
    payload_md5: createHash('md5').update(`${body} `).digest('hex'),
    timestamp: new Date().toISOString().replace('Z', '000Z'),
    method: 'POST',
    uri: '/bench',
  };
  const input = `${b64u(JSON.stringify({ typ: 'JWT', alg: 'ES512' }))}.${b64u(JSON.stringify(claims))}`;
  const jws = `${input}.${b64u(sign('sha512', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
  const qitech = `curl -X POST 'https://api-auth.sandbox.qitech.app/bench' -H 'AUTHORIZATION: ${jws}' -H 'API-CLIENT-KEY: bench' -H 'Content-Type: application/json' --data-raw '${body}'`;

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // The same key with a 17 KB public exponent, three times (its DER: modulus then exponent, at the end).
  const hugeExponentPem = (/** @type {number} */ n) => {
    const jwk = rsa.publicKey.export({ format: 'jwk' });
    const e = Buffer.alloc(17 * 1024, 0xa5 + n);
    e[e.length - 1] = 1;
    const der = rsaSpki(Buffer.from(String(jwk.n), 'base64url'), e);
    return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`;
  };
  const url = 'https://play-api.qredo.network/api/v1/p/company';
  const ts = String(Math.floor(Date.now() / 1000));
  const qBody = '{"name":"Acme"}';
  const xSign = sign('sha256', Buffer.from(`${ts}${url}{"name": "Acme"}`), rsa.privateKey).toString(
    'base64url',
  );
  const qredo = `curl -X POST '${url}' -H 'x-sign: ${xSign}' -H 'x-timestamp: ${ts}' -H 'x-api-key: bench' --data-raw '${qBody}'`;

  const token = (() => {
    const i = `${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64u(JSON.stringify({ sub: 'bench' }))}`;
    return `${i}.${b64u(sign('sha256', Buffer.from(i), rsa.privateKey))}`;
  })();
  const rsaPem = String(rsa.publicKey.export({ type: 'spki', format: 'pem' }));

  const cases = [
    { name: '7 MB of plain text pasted (baseline)', box: '#jwt-input', text: 'x'.repeat(MB7) },
    {
      name: '7 MB Binance body, repeated parameters',
      key: String(ed.publicKey.export({ type: 'spki', format: 'pem' })),
      box: '#jwt-input',
      text: binance,
    },
    {
      name: '7 MB QI Tech v2 body',
      key: String(ec.publicKey.export({ type: 'spki', format: 'pem' })),
      box: '#jwt-input',
      text: qitech,
    },
    {
      name: '3 RSA keys with 17 KB exponents in the key box + a Qredo request',
      key: [0, 1, 2].map(hugeExponentPem).join(''),
      box: '#jwt-input',
      text: qredo,
    },
    {
      name: '6 M characters in the key box',
      token,
      key: rsaPem,
      box: '#key-input',
      text: 'AAAAAAAAAAAAAAAAAAAA\n'.repeat(300_000),
      code: 'ERR_KEY_TOO_LARGE',
    },
  ];
  const out = [];
  for (const c of cases) {
    const values = [];
    const settle = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${BASE}#/inspect`);
      if (c.token) await page.getByLabel(/^JWT/).fill(c.token);
      if (c.key) await page.getByLabel('Verification key').fill(c.key);
      if (c.token) await page.getByTestId('verdict').getByText('Signature verified').waitFor();
      const box = await page.locator(c.box).elementHandle();
      const [longest, ms] = await page.evaluate(
        ([box, text, code]) =>
          new Promise((resolve, reject) => {
            const el = /** @type {HTMLTextAreaElement} */ (/** @type {unknown} */ (box));
            let max = 0;
            const observer = new PerformanceObserver((list) => {
              for (const e of list.getEntries()) max = Math.max(max, e.duration);
            });
            observer.observe({ type: 'longtask' });
            const verdict = () => document.querySelector('[data-testid="verdict"]');
            const t0 = performance.now();
            el.value = String(text);
            el.dispatchEvent(new Event('input', { bubbles: true }));
            const poll = () => {
              const v = verdict();
              const state = v?.getAttribute('data-state');
              const done =
                state !== 'pending' && state !== 'empty' && (!code || v?.getAttribute('data-code') === code);
              if (!done) return void setTimeout(poll, 20);
              const took = performance.now() - t0;
              // Let the observer report the tasks queued so far.
              setTimeout(() => (observer.disconnect(), resolve([max, took])), 100);
            };
            setTimeout(poll, 20);
            setTimeout(() => reject(new Error(`no verdict after 300 s: ${verdict()?.textContent}`)), 300_000);
          }),
        [box, c.text, c.code],
      );
      values.push(longest);
      settle.push(ms);
      await context.close();
    }
    out.push({ name: `longest main-thread task, ${c.name}`, values });
    out.push({ name: `paste → verdict settled, ${c.name}`, values: settle });
  }
  return out;
}

/** DER of an SPKI for an RSA key (n, e), written out by hand for an exponent no library would take. */
/** @param {Buffer} n @param {Buffer} e */
function rsaSpki(n, e) {
  const len = (/** @type {number} */ k) =>
    k < 0x80 ? Buffer.from([k]) : k < 0x100 ? Buffer.from([0x81, k]) : Buffer.from([0x82, k >> 8, k & 0xff]);
  const tlv = (/** @type {number} */ tag, /** @type {Buffer} */ body) =>
    Buffer.concat([Buffer.from([tag]), len(body.length), body]);
  const int = (/** @type {Buffer} */ b) =>
    tlv(0x02, (b[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  const rsaKey = tlv(0x30, Buffer.concat([int(n), int(e)]));
  const algorithm = Buffer.from('300d06092a864886f70d0101010500', 'hex');
  return tlv(0x30, Buffer.concat([algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), rsaKey]))]));
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

/** @param {{ name: string, values: number[], target?: string, unit?: string }[]} rows */
function render(rows) {
  const lines = [
    `Chromium ${browser.version()} headless, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, loopback; ${RUNS} runs each, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| measure | median | min – max | target |',
    '| --- | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    /** @param {number} n */
    const f = (n) => (r.unit === '×' ? `${n.toFixed(2)} ×` : `${n.toFixed(1)} ms`);
    const range = r.values.length > 1 ? `${f(Math.min(...r.values))} – ${f(Math.max(...r.values))}` : '';
    lines.push(`| ${r.name} | ${f(median(r.values))} | ${range} | ${r.target ?? ''} |`);
  }
  return lines.join('\n');
}

/** @param {string} table */
async function writeDocs(table) {
  const file = 'docs/benchmarks.md';
  const doc = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!doc.includes(start) || !doc.includes(end)) throw new Error(`${file} has no ${start} … ${end} markers`);
  const next = doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`);
  const options = { ...(await resolveConfig(file)), filepath: file };
  writeFileSync(file, await format(next, options));
  console.log(`${file}: benchmark table updated`);
}
