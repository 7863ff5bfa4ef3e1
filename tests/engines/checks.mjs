// The cross-engine checks: one list, run in order against one page of one browser, whichever engine
// drives it (see firefox.mjs, webkit.mjs, chromium.mjs). A check waits on what the page shows, never
// on a fixed delay. Interop is with node:crypto and openssl; crypto.subtle is never mocked.
import { createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/**
 * What an engine adapter gives the checks.
 * @typedef {object} Engine
 * @property {string} name
 * @property {string} version the browser's own name for its version
 * @property {string} downloadDir where the browser saves downloads, without asking
 * @property {(url: string) => Promise<void>} goto navigate and wait for the load event
 * @property {() => Promise<void>} reload reload and wait for the load event
 * @property {(expression: string) => Promise<unknown>} evaluate run an expression (which may be a promise) in the page; JSON back
 * @property {(selector: string) => Promise<void>} click a real, trusted click on the element matching the CSS selector
 * @property {() => string[]} driverErrors page errors the driver itself reported (where it can)
 * @property {() => Promise<void>} close
 */

/**
 * What the checks share: the engine, the server, and what earlier checks found.
 * @typedef {object} Context
 * @property {Engine} engine
 * @property {{ url: string, stop(): Promise<void>, start(): Promise<void> }} server
 * @property {Record<string, string>} pems downloaded public keys by file name
 * @property {string[]} labels the stored keys' labels, in order
 */

/** Helpers evaluated in the page (self-contained: their source is sent, not their closure). */
function pageLib() {
  const norm = (/** @type {string | null | undefined} */ s) => (s ?? '').replace(/\s+/g, ' ').trim();
  /** @param {Element} el */
  const labelOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return norm(aria);
    const label = /** @type {HTMLInputElement} */ (el).labels?.[0];
    if (!label) return '';
    const span = label.querySelector('span, strong');
    return norm(span ? span.textContent : label.textContent);
  };
  return {
    norm,
    /** @param {string} selector @param {string} source @param {string} flags */
    find(selector, source, flags = '') {
      const re = new RegExp(source, flags);
      return [...document.querySelectorAll(selector)].find(
        (el) =>
          re.test(norm(el.getAttribute('aria-label') || el.textContent)) && el.getClientRects().length > 0,
      );
    },
    /** @param {string} source */
    control(source) {
      const re = new RegExp(source);
      return /** @type {HTMLInputElement | undefined} */ (
        [...document.querySelectorAll('input, textarea, select')].find((el) => re.test(labelOf(el)))
      );
    },
    /** Tag an element so that the driver can click it by a CSS selector. @param {Element} el */
    mark(el) {
      const id = `m${Math.random().toString(36).slice(2)}${performance.now().toString(36)}`;
      el.setAttribute('data-engine-click', id);
      return `[data-engine-click="${id}"]`;
    },
    /** Set a text field's value as typing would (Svelte's bind:value listens to input). @param {HTMLInputElement} el @param {string} value */
    fill(el, value) {
      const proto = Object.getPrototypeOf(el);
      Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    /** @param {string} testid */
    text(testid) {
      return norm(document.querySelector(`[data-testid="${testid}"]`)?.textContent);
    },
    /** @param {string} testid */
    raw(testid) {
      return document.querySelector(`[data-testid="${testid}"]`)?.textContent ?? null;
    },
    articles() {
      return [...document.querySelectorAll('article')].map((a) => ({
        label: norm(a.querySelector('h3')?.textContent),
        fingerprint: norm(a.querySelector('[data-testid="fingerprint"]')?.textContent),
      }));
    },
  };
}

/**
 * Run `body` (the source of `(lib, arg) => value`) in the page with a JSON argument.
 * @param {Engine} engine @param {string} body @param {unknown} [arg]
 */
export async function inPage(engine, body, arg = null) {
  return engine.evaluate(
    `(async () => { const lib = (${pageLib})(); return (${body})(lib, ${JSON.stringify(arg)}); })()`,
  );
}

/**
 * Wait until `body` (as for inPage) returns a truthy value, polling inside the page; returns that value.
 * @param {Engine} engine @param {string} what @param {string} body @param {unknown} [arg] @param {number} [timeout]
 */
export async function until(engine, what, body, arg = null, timeout = 30_000) {
  const result = /** @type {{ ok: boolean, value: unknown, page?: string }} */ (
    await engine.evaluate(`(async () => {
      const lib = (${pageLib})();
      const test = ${body};
      const end = performance.now() + ${timeout};
      let value;
      for (;;) {
        try { value = await test(lib, ${JSON.stringify(arg)}); } catch (e) { value = null; }
        if (value) return { ok: true, value };
        if (performance.now() > end) return { ok: false, value, page: location.href + ' ' + (document.body?.innerText ?? '').replace(/\\s+/g, ' ').slice(0, 400) };
        await new Promise((r) => setTimeout(r, 50));
      }
    })()`)
  );
  if (!result.ok)
    throw new Error(`timed out after ${timeout} ms waiting for ${what}; the page: ${result.page}`);
  return result.value;
}

/** Click the visible element of `selector` whose text (or aria-label) matches. @param {Engine} engine @param {string} selector @param {RegExp} name */
export async function clickOn(engine, selector, name) {
  const target = await until(
    engine,
    `a ${selector} named ${name}`,
    `(lib, [sel, src, flags]) => { const el = lib.find(sel, src, flags); return el && !el.disabled ? lib.mark(el) : null; }`,
    [selector, name.source, name.flags],
  );
  await engine.click(/** @type {string} */ (target));
}

/** @param {Engine} engine @param {string} label @param {string} value */
async function fill(engine, label, value) {
  await until(
    engine,
    `a field labelled ${label}`,
    `(lib, [src, value]) => { const el = lib.control(src); if (!el) return false; lib.fill(el, value); return el.value === value; }`,
    [label, value],
  );
}

/** @param {Engine} engine @param {string} view */
async function goToView(engine, view) {
  await clickOn(engine, 'nav a', new RegExp(`^${view}$`));
  await until(
    engine,
    `the ${view} view`,
    `(lib, v) => location.hash === '#/' + v.toLowerCase() && lib.norm(document.querySelector('main h1')?.textContent) === v`,
    view,
  );
}

/** @param {unknown} actual @param {unknown} expected @param {string} what */
function equal(actual, expected, what) {
  if (!isDeepStrictEqual(actual, expected))
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** @param {unknown} ok @param {string} what */
function assert(ok, what) {
  if (!ok) throw new Error(what);
}

const ANSWERED = String.raw`/^Storage is (persistent|best-effort):/`;

/** What the probe script recorded in the current document (null where it did not run). @param {Engine} engine */
export async function probe(engine) {
  return /** @type {{ errors: string[], violations: string[], persistCalls: { afterGesture: boolean | null }[] }} */ (
    await inPage(engine, `() => window.__kbProbe ?? null`)
  );
}

/** @param {string} part */
const b64u = (part) => Buffer.from(part).toString('base64url');

/** A compact JWS made by node:crypto. @param {'RS256' | 'ES512'} alg @param {import('node:crypto').KeyObject} key @param {object} claims */
function nodeJwt(alg, key, claims) {
  const input = `${b64u(JSON.stringify({ alg, typ: 'JWT' }))}.${b64u(JSON.stringify(claims))}`;
  const sig =
    alg === 'RS256'
      ? nodeSign('sha256', Buffer.from(input), key)
      : nodeSign('sha512', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

/** Whether node:crypto verifies a compact RS256 or ES512 JWS with a PEM public key. @param {string} jws @param {string} pem */
export function nodeVerifies(jws, pem) {
  const [h, p, s] = jws.split('.');
  if (!h || !p || s === undefined) return false;
  const { alg } = JSON.parse(Buffer.from(h, 'base64url').toString());
  const key = createPublicKey(pem);
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  if (alg === 'RS256') return key.asymmetricKeyType === 'rsa' && nodeVerify('sha256', data, key, sig);
  if (alg === 'ES512')
    return (
      key.asymmetricKeyType === 'ec' && nodeVerify('sha512', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    );
  return false;
}

/** Wait until the browser has finished writing `name` into `dir` (no partial file left); its text. @param {string} dir @param {string} name */
async function downloaded(dir, name, timeout = 20_000) {
  const file = join(dir, name);
  const end = Date.now() + timeout;
  for (;;) {
    const partial = existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(name) && f !== name);
    if (!partial && existsSync(file) && statSync(file).size > 0) {
      const text = readFileSync(file, 'utf8');
      if (text.endsWith('-----END PUBLIC KEY-----\n')) return text;
    }
    if (Date.now() > end)
      throw new Error(
        `no complete download ${name} in ${dir} (has: ${existsSync(dir) ? readdirSync(dir).join(', ') : 'no folder'})`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A downloaded public key must be byte for byte what `openssl pkey -pubin -pubout` prints for it. */
function assertOpensslRoundTrip(/** @type {string} */ pem, /** @type {string} */ file) {
  const viaOpenssl = execFileSync('openssl', ['pkey', '-pubin', '-pubout'], { input: pem, encoding: 'utf8' });
  assert(pem === viaOpenssl, `${file} differs from openssl's output:\n${pem}\n---\n${viaOpenssl}`);
}

/**
 * The checks, in the order they run; later ones use what earlier ones made. A check that passes may
 * return a note (a fact about the engine, such as an API it lacks), which the report keeps.
 * @type {{ name: string, run(ctx: Context): Promise<void | string> }[]} */
export const CHECKS = [
  {
    name: 'loads Keys, Inspect and Sign with no page error and no securitypolicyviolation',
    async run({ engine, server }) {
      await engine.goto(`${server.url}#/keys`);
      await until(
        engine,
        'the Keys view, keys read',
        `(lib) => lib.norm(document.querySelector('main h1')?.textContent) === 'Keys' && !document.querySelector('.reading') && lib.find('button', 'Generate.*RSA-2048')`,
      );
      await goToView(engine, 'Inspect');
      // A decoded token shows every part of the view: header, payload, claims and their times.
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
      const now = Math.floor(Date.now() / 1000);
      await fill(engine, '^JWT', nodeJwt('ES512', privateKey, { sub: 'engines', iat: now, exp: now + 600 }));
      await until(
        engine,
        'the decoded claims',
        `(lib) => lib.text('time-status') && lib.text('payload-json').includes('engines')`,
      );
      await fill(engine, '^JWT', '');
      await goToView(engine, 'Sign');
      await until(engine, 'the Sign JWT button', `(lib) => lib.find('button', '^Sign JWT$')`);
      await goToView(engine, 'Keys');
      const p = await probe(engine);
      assert(p, 'the probe script did not run');
      equal(p.errors, [], 'uncaught page errors');
      equal(p.violations, [], 'securitypolicyviolation events');
      equal(engine.driverErrors(), [], 'page errors reported by the driver');
    },
  },
  {
    name: 'no persist() call before a user gesture; the storage line answers at once',
    async run({ engine }) {
      const line = await until(
        engine,
        'the storage line to answer',
        `(lib) => { const t = lib.text('persistence'); return ${ANSWERED}.test(t) && t; }`,
      );
      const p = await probe(engine);
      equal(p.persistCalls, [], 'persist() calls before any click');
      assert(typeof line === 'string', 'storage line');
    },
  },
  {
    name: 'generates RSA-2048 and P-521 keys (and asks persist() once, after the click)',
    async run(ctx) {
      const { engine } = ctx;
      for (const [i, name] of /** @type {const} */ (['RSA-2048', 'P-521']).entries()) {
        await clickOn(engine, 'button', new RegExp(`Generate.*${name}`));
        await until(
          engine,
          `key ${i + 1} stored and shown`,
          `(lib, n) => { const a = lib.articles(); return a.length === n && a.every((k) => k.fingerprint.includes(':') && k.label); }`,
          i + 1,
          40_000,
        );
      }
      ctx.labels = /** @type {{ label: string }[]} */ (await inPage(engine, `(lib) => lib.articles()`)).map(
        (a) => a.label,
      );
      await until(
        engine,
        'the storage line to show the answer',
        `(lib) => ${ANSWERED}.test(lib.text('persistence'))`,
      );
      const calls = (await probe(engine)).persistCalls;
      const hasStorage = await inPage(engine, `() => typeof navigator.storage?.persist === 'function'`);
      if (hasStorage) {
        equal(calls.length, 1, 'persist() calls after two generated keys');
        assert(calls[0]?.afterGesture !== false, 'persist() was called before any user activation');
      } else equal(calls, [], 'persist() calls');
    },
  },
  {
    name: 'a reload keeps both keys',
    async run({ engine, labels }) {
      await engine.reload();
      await until(
        engine,
        'both keys after the reload',
        `(lib, labels) => JSON.stringify(lib.articles().map((a) => a.label)) === JSON.stringify(labels)`,
        labels,
      );
    },
  },
  {
    name: 'stored private keys are extractable === false and exportKey rejects',
    async run({ engine }) {
      const keys = await inPage(
        engine,
        `async () => {
          const db = await new Promise((res, rej) => { const r = indexedDB.open('keybench'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
          const all = await new Promise((res, rej) => { const r = db.transaction('keys').objectStore('keys').getAll(); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
          db.close();
          return Promise.all(all.map(async (k) => {
            const priv = k.privateKey;
            const rejects = (format) => crypto.subtle.exportKey(format, priv).then(() => false, () => true);
            const params = priv.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-512' } : { name: priv.algorithm.name };
            return {
              algorithm: priv.algorithm.name,
              extractable: priv.extractable,
              pkcs8Rejected: await rejects('pkcs8'),
              jwkRejected: await rejects('jwk'),
              canSign: await crypto.subtle.sign(params, priv, new Uint8Array([1])).then(() => true, () => false),
            };
          }));
        }`,
      );
      const sorted = /** @type {{ algorithm: string }[]} */ (keys).sort((a, b) =>
        a.algorithm.localeCompare(b.algorithm),
      );
      equal(
        sorted,
        [
          { algorithm: 'ECDSA', extractable: false, pkcs8Rejected: true, jwkRejected: true, canSign: true },
          {
            algorithm: 'RSASSA-PKCS1-v1_5',
            extractable: false,
            pkcs8Rejected: true,
            jwkRejected: true,
            canSign: true,
          },
        ],
        'stored private keys',
      );
    },
  },
  {
    name: 'the downloaded public keys are byte-identical to openssl pkey -pubin -pubout of themselves',
    async run(ctx) {
      const { engine } = ctx;
      for (const [i, file] of ['public.pem', 'jwtECDSASHA512.key.pub'].entries()) {
        const target = await until(
          engine,
          `key ${i + 1}'s Download public key button`,
          `(lib, i) => { const b = [...document.querySelectorAll('article')][i]?.querySelectorAll('button'); const el = b && [...b].find((x) => lib.norm(x.textContent) === 'Download public key'); return el ? lib.mark(el) : null; }`,
          i,
        );
        await engine.click(/** @type {string} */ (target));
        const pem = await downloaded(engine.downloadDir, file);
        assertOpensslRoundTrip(pem, file);
        const shown = await inPage(
          engine,
          `(lib, i) => [...document.querySelectorAll('article')][i]?.querySelector('[data-testid="public-pem"]')?.textContent ?? null`,
          i,
        );
        if (shown !== null) equal(String(shown).trim(), pem.trim(), `${file} as shown on the card`);
        const key = createPublicKey(pem);
        equal(
          [
            key.asymmetricKeyType,
            key.asymmetricKeyDetails?.modulusLength ?? key.asymmetricKeyDetails?.namedCurve,
          ],
          i === 0 ? ['rsa', 2048] : ['ec', 'secp521r1'],
          `${file} key type`,
        );
        ctx.pems[file] = pem;
      }
    },
  },
  {
    name: 'RS256 and ES512 tokens signed by node:crypto verify with the pasted PEM; tampered ones do not',
    async run({ engine }) {
      await goToView(engine, 'Inspect');
      const claims = {
        sub: 'engines',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 600,
      };
      for (const alg of /** @type {const} */ (['RS256', 'ES512'])) {
        const { publicKey, privateKey } =
          alg === 'RS256'
            ? generateKeyPairSync('rsa', { modulusLength: 2048 })
            : generateKeyPairSync('ec', { namedCurve: 'P-521' });
        const pem = /** @type {string} */ (publicKey.export({ type: 'spki', format: 'pem' }));
        const token = nodeJwt(alg, privateKey, claims);
        const [h, , s] = token.split('.');
        const tampered = `${h}.${b64u(JSON.stringify({ ...claims, sub: 'mallory' }))}.${s}`;
        await fill(engine, '^Verification key', pem);
        await fill(engine, '^JWT', token);
        await until(
          engine,
          `${alg}: Signature verified`,
          `(lib, alg) => { const t = lib.text('verdict'); return t.includes('Signature verified') && t.includes(alg); }`,
          alg,
        );
        await fill(engine, '^JWT', tampered);
        const verdict = await until(
          engine,
          `${alg} tampered: Not verified`,
          `(lib) => { const t = lib.text('verdict'); return t.includes('Not verified') && t; }`,
        );
        assert(!String(verdict).includes('Signature verified'), `tampered ${alg} token: ${verdict}`);
      }
      await fill(engine, '^Verification key', '');
      await fill(engine, '^JWT', '');
    },
  },
  {
    name: 'the request doctor: a Qredo curl command signed by node:crypto verifies; signed pretty, sent compact, it is diagnosed',
    async run({ engine }) {
      await goToView(engine, 'Inspect');
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const url = 'https://play-api.qredo.network/api/v1/p/company';
      const body = { name: 'Acme Test Ltd', city: 'London' };
      const ts = String(Math.floor(Date.now() / 1000));
      /** @param {string} signed @param {string} sent */
      const curl = (signed, sent) =>
        `curl -X POST '${url}' \\\n  -H 'x-sign: ${nodeSign('sha256', Buffer.from(ts + url + signed), privateKey).toString('base64url')}' \\\n  -H 'x-timestamp: ${ts}' -H 'x-api-key: engines' \\\n  --data-raw '${sent}'`;
      await fill(
        engine,
        '^Verification key',
        /** @type {string} */ (publicKey.export({ type: 'spki', format: 'pem' })),
      );
      await fill(engine, '^JWT', curl(JSON.stringify(body), JSON.stringify(body)));
      await until(
        engine,
        'request: Signature verified',
        `(lib) => lib.text('verdict').includes('Signature verified')`,
      );
      await fill(engine, '^JWT', curl(JSON.stringify(body, null, 2), JSON.stringify(body)));
      const code = await until(
        engine,
        'request: diagnosed ERR_QREDO_BODY_PRETTY',
        `(lib) => { const d = document.querySelector('[data-testid="diagnosis"]'); return d && !lib.text('verdict').includes('Signature verified') && d.getAttribute('data-code'); }`,
      );
      equal(code, 'ERR_QREDO_BODY_PRETTY', 'diagnosis code');
      await fill(engine, '^Verification key', '');
      await fill(engine, '^JWT', '');
    },
  },
  {
    name: 'a test JWT signed in the page (with each stored key) verifies with node:crypto',
    async run({ engine, pems }) {
      await goToView(engine, 'Sign');
      await clickOn(engine, '[aria-label="Signer"] button', /^Test JWT$|JWT/);
      for (const [i, alg] of ['RS256', 'ES512'].entries()) {
        await until(
          engine,
          `key pair ${i + 1} chosen`,
          `(lib, i) => { const s = lib.control('^Key pair'); if (!s || !s.options[i]) return false; s.value = s.options[i].value; s.dispatchEvent(new Event('change', { bubbles: true })); return s.selectedIndex === i; }`,
          i,
        );
        const before = await inPage(engine, `(lib) => lib.raw('signed-jwt')`);
        await clickOn(engine, 'button', /^Sign JWT$/);
        const token = /** @type {string} */ (
          await until(
            engine,
            `a new ${alg} token`,
            `(lib, [before, alg]) => { const t = lib.raw('signed-jwt'); if (!t || t === before) return null; const h = JSON.parse(atob(t.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))); return h.alg === alg && t; }`,
            [before, alg],
          )
        );
        const pem = alg === 'RS256' ? pems['public.pem'] : pems['jwtECDSASHA512.key.pub'];
        assert(pem, 'the public key download check ran first');
        assert(
          nodeVerifies(token, /** @type {string} */ (pem)),
          `node:crypto does not verify the page's ${alg} token ${token}`,
        );
        const [h, p, s] = token.split('.');
        assert(!nodeVerifies(`${h}.${p}x.${s}`, /** @type {string} */ (pem)), 'a tampered token verified');
      }
    },
  },
  {
    name: 'a QI Tech request signed in the page verifies with node:crypto',
    async run({ engine, pems }) {
      await goToView(engine, 'Sign');
      await clickOn(engine, '[aria-label="Signer"] button', /^QI Tech$/);
      // v2 is the default scheme; this check signs the QIT (v1) form, whose Date and encoded_body it reads.
      await clickOn(engine, 'fieldset label', /^QIT \(v1\)$/);
      await until(
        engine,
        'the P-521 key chosen for QI Tech',
        `(lib) => /ES512/.test(lib.control('^Key pair')?.selectedOptions[0]?.textContent ?? '')`,
      );
      const apiKey = 'engines-api-key';
      await fill(engine, '^Endpoint', '/test');
      await fill(engine, '^Body', JSON.stringify({ amount: 1, from: 'engines' }));
      await fill(engine, '^Date', new Date().toUTCString());
      await fill(engine, '^API key', apiKey);
      await clickOn(engine, 'button', /^Sign request$/);
      const out = /** @type {{ auth: string, body: string }} */ (
        await until(
          engine,
          'the AUTHORIZATION header',
          `(lib) => { const auth = lib.raw('qit-authorization'); const body = lib.raw('qit-body'); return auth && body && { auth, body }; }`,
        )
      );
      const pem = /** @type {string} */ (pems['jwtECDSASHA512.key.pub']);
      const prefix = `QIT ${apiKey}:`;
      assert(out.auth.startsWith(prefix), `AUTHORIZATION ${out.auth}`);
      const token = out.auth.slice(prefix.length);
      assert(nodeVerifies(token, pem), 'node:crypto does not verify the AUTHORIZATION token');
      const encoded = JSON.parse(out.body).encoded_body;
      assert(nodeVerifies(encoded, pem), 'node:crypto does not verify encoded_body');
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
      equal(claims.sub, apiKey, 'sub of the AUTHORIZATION token');
    },
  },
  {
    name: 'Ed25519: the Generate button says whether this browser has it; where it does, the pair is non-extractable, ed25519.pub.pem matches openssl, and a Binance request signed in the page verifies with node:crypto',
    async run(ctx) {
      const { engine } = ctx;
      await goToView(engine, 'Keys');
      const supported = await inPage(
        engine,
        `() => crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']).then(() => true, () => false)`,
      );
      const UNSUPPORTED = 'not supported by this browser';
      if (!supported) {
        // The page asks once, before any click: wait for its answer on the button.
        await until(
          engine,
          `the Ed25519 Generate button to say "${UNSUPPORTED}" and be disabled`,
          `(lib, text) => { const b = lib.find('button', 'Generate.*Ed25519'); return b && b.disabled && lib.norm(b.textContent).includes(text); }`,
          UNSUPPORTED,
        );
        return `Ed25519 is not supported by this browser's WebCrypto (generateKey rejects); the Generate button says so and is disabled`;
      }
      // Every stored key's card is complete (fingerprint shown) before the click: the new card is the one
      // whose fingerprint was not there.
      const before = /** @type {string[]} */ (
        await until(
          engine,
          'the stored keys with their fingerprints',
          `(lib) => { const a = lib.articles(); return a.length > 0 && a.every((k) => k.fingerprint.includes(':')) && a.map((k) => k.fingerprint); }`,
        )
      );
      const button = await inPage(
        engine,
        `(lib) => lib.norm(lib.find('button', 'Generate.*Ed25519')?.textContent) || null`,
      );
      assert(button, 'no visible button named Generate … Ed25519');
      assert(
        !String(button).includes(UNSUPPORTED),
        `this browser generates Ed25519 keys, but the button says: ${button}`,
      );
      await clickOn(engine, 'button', /Generate.*Ed25519/);
      const fingerprint = /** @type {string} */ (
        await until(
          engine,
          'the new Ed25519 key stored and shown',
          `(lib, before) => { const a = lib.articles(); if (a.length !== before.length + 1 || !a.every((k) => k.fingerprint.includes(':') && k.label)) return null; const fresh = a.filter((k) => !before.includes(k.fingerprint)); return fresh.length === 1 && fresh[0].fingerprint; }`,
          before,
          40_000,
        )
      );
      ctx.labels = /** @type {{ label: string }[]} */ (await inPage(engine, `(lib) => lib.articles()`)).map(
        (a) => a.label,
      );

      // The stored pair: exactly one Ed25519 private key, non-extractable, and it signs.
      const stored =
        /** @type {{ extractable: boolean, pkcs8Rejected: boolean, jwkRejected: boolean, canSign: boolean, spki: string }[]} */ (
          await inPage(
            engine,
            `async () => {
            const db = await new Promise((res, rej) => { const r = indexedDB.open('keybench'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
            const all = await new Promise((res, rej) => { const r = db.transaction('keys').objectStore('keys').getAll(); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
            db.close();
            return Promise.all(all.filter((k) => k.privateKey?.algorithm.name === 'Ed25519').map(async (k) => {
              const priv = k.privateKey;
              const rejects = (format) => crypto.subtle.exportKey(format, priv).then(() => false, () => true);
              return {
                extractable: priv.extractable,
                pkcs8Rejected: await rejects('pkcs8'),
                jwkRejected: await rejects('jwk'),
                canSign: await crypto.subtle.sign({ name: 'Ed25519' }, priv, new Uint8Array([1])).then(() => true, () => false),
                spki: btoa(String.fromCharCode(...new Uint8Array(k.spki))),
              };
            }));
          }`,
          )
        );
      equal(stored.length, 1, 'stored Ed25519 key pairs');
      const [pair] = /** @type {[(typeof stored)[number]]} */ (stored);
      equal(
        { ...pair, spki: undefined },
        { extractable: false, pkcs8Rejected: true, jwkRejected: true, canSign: true, spki: undefined },
        'the stored Ed25519 private key',
      );

      // Its public key file, from the new card.
      const file = 'ed25519.pub.pem';
      const target = await until(
        engine,
        `the new key's Download public key button`,
        `(lib, fp) => { const a = [...document.querySelectorAll('article')].find((x) => lib.norm(x.querySelector('[data-testid="fingerprint"]')?.textContent) === fp); const el = a && [...a.querySelectorAll('button')].find((x) => lib.norm(x.textContent) === 'Download public key'); return el ? lib.mark(el) : null; }`,
        fingerprint,
      );
      await engine.click(/** @type {string} */ (target));
      const pem = await downloaded(engine.downloadDir, file);
      assertOpensslRoundTrip(pem, file);
      const publicKey = createPublicKey(pem);
      equal(publicKey.asymmetricKeyType, 'ed25519', `${file} key type`);
      equal(
        /** @type {Buffer} */ (publicKey.export({ type: 'spki', format: 'der' })).toString('base64'),
        pair.spki,
        `${file} against the stored key's SPKI`,
      );
      ctx.pems[file] = pem;

      // A Binance request signed in the page with that key.
      await goToView(engine, 'Sign');
      await clickOn(engine, '[aria-label="Signer"] button', /^Binance$/);
      await until(
        engine,
        'the Ed25519 key chosen for Binance',
        `(lib) => { const s = lib.control('^Key pair'); const o = s && [...s.options].find((x) => /EdDSA/.test(x.textContent)); if (!o) return false; s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); return /EdDSA/.test(s.selectedOptions[0]?.textContent ?? ''); }`,
      );
      const apiKey = 'engines-binance-api-key';
      const endpoint = 'https://api.binance.com/api/v3/order';
      const params = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=0.1';
      await fill(engine, '^URL', endpoint);
      await fill(engine, '^Query parameters', params.split('&').join('\n'));
      // No body parameters: timestamp, recvWindow and signature go in the query (Binance's curl examples).
      await fill(engine, '^Body parameters', '');
      await fill(engine, '^API key', apiKey);
      await clickOn(engine, 'button', /^Sign Binance request$/);
      const out =
        /** @type {{ url: string, payload: string, signature: string, apiKey: string, curl: string }} */ (
          await until(
            engine,
            'the signed Binance request',
            `(lib) => { const url = lib.raw('binance-url'); const payload = lib.raw('binance-payload'); const signature = lib.raw('binance-signature'); return url && payload && signature && { url, payload, signature, apiKey: lib.raw('binance-apikey'), curl: lib.raw('binance-curl') ?? '' }; }`,
          )
        );
      equal(out.apiKey, apiKey, 'X-MBX-APIKEY');
      // What is sent: the endpoint, the payload as the query, and the percent-encoded signature last.
      const sent = `${endpoint}?${out.payload}&signature=`;
      assert(out.url.startsWith(sent), `URL ${out.url} is not ${sent}…`);
      const encoded = out.url.slice(sent.length);
      equal(decodeURIComponent(encoded), out.signature, 'the signature in the URL, decoded');
      assert(!/[+/=]/.test(encoded), `the signature is not percent-encoded in the URL: ${encoded}`);
      assert(out.curl.includes(out.url), `the shell command does not send ${out.url}:\n${out.curl}`);
      assert(
        new RegExp(`^${params.replace(/\./g, '\\.')}&timestamp=\\d{13}(&recvWindow=\\d+)?$`).test(
          out.payload,
        ),
        `payload ${out.payload}`,
      );
      const signature = Buffer.from(out.signature, 'base64');
      equal(signature.length, 64, 'Ed25519 signature bytes');
      const payload = Buffer.from(out.payload);
      assert(
        nodeVerify(null, payload, publicKey, signature),
        `node:crypto does not verify the page's Binance signature over ${out.payload}`,
      );
      const altered = Buffer.from(payload);
      altered[altered.length - 1] = /** @type {number} */ (altered.at(-1)) ^ 1;
      assert(!nodeVerify(null, altered, publicKey, signature), 'a payload with one byte changed verified');
      return undefined; // nothing to note: this engine has Ed25519
    },
  },
  {
    name: 'with the server gone, a reload after the service worker is ready shows the stored keys',
    async run({ engine, server, labels }) {
      await goToView(engine, 'Keys');
      // Ready = activated, so its precache is complete. Not the header's "works offline": a reload
      // during the first install can leave that page without it (or with a needless update banner).
      await until(
        engine,
        'the service worker activated',
        `async () => (await navigator.serviceWorker.ready).active?.state === 'activated'`,
        null,
        60_000,
      );
      await server.stop();
      try {
        const cut = await fetch(server.url).then(
          () => false,
          () => true,
        );
        assert(cut, 'the server still answers');
        await engine.reload();
        await until(
          engine,
          'the stored keys offline',
          `(lib, labels) => JSON.stringify(lib.articles().map((a) => a.label)) === JSON.stringify(labels)`,
          labels,
        );
        const p = await probe(engine);
        if (p) equal(p.errors, [], 'uncaught page errors offline');
      } finally {
        await server.start();
      }
    },
  },
];
