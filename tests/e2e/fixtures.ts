import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { E2E_PORT } from '../../scripts/chromium.mjs';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A Content-Security-Policy or Trusted Types refusal seen by a page of the test's browser context. */
export interface PolicyViolation {
  /** `violation` for a securitypolicyviolation event, else where the message came from. */
  source: 'violation' | 'console' | 'pageerror';
  /** The page (or frame) it happened in. */
  url: string;
  /** For events: the directive and what was blocked; for messages: the text. */
  text: string;
}

/** What a CSP or Trusted Types refusal says in a console message or an error. */
const POLICY_MESSAGE =
  /Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript|trusted-types|require-trusted-types-for/i;

/**
 * Records every securitypolicyviolation event of every page and frame, reporting it to the test at
 * once (a reload would lose anything kept only in the page). Runs before the page's own scripts.
 */
function recordViolations() {
  const report = (globalThis as unknown as Record<string, (v: string) => void>).__keybenchViolation;
  document.addEventListener('securitypolicyviolation', (e) => {
    const blocked = e.blockedURI ? ` blocked ${e.blockedURI}` : '';
    const sample = e.sample ? ` sample ${JSON.stringify(e.sample)}` : '';
    void report?.(`${e.effectiveDirective}${blocked}${sample} at ${e.sourceFile}:${e.lineNumber}`);
  });
}

/**
 * Policy refusals so far. A test that provokes one on purpose takes it with `take()` and asserts
 * what it was; anything left when the test ends fails it.
 */
export interface PolicyViolations {
  /** The refusals recorded since the last take, oldest first; the list is emptied. */
  take(): Promise<PolicyViolation[]>;
}

/**
 * Every end-to-end test gets a page that fails the test on an uncaught page error, on any
 * request that leaves the app's own origin, and on any CSP or Trusted Types refusal in any page
 * of its context (a securitypolicyviolation event, or a console error or page error about either).
 */
export const test = base.extend<{ guard: void; policyViolations: PolicyViolations }>({
  policyViolations: [
    async ({ context }, use) => {
      let seen: PolicyViolation[] = [];
      await context.exposeBinding('__keybenchViolation', ({ frame }, text: string) => {
        seen.push({ source: 'violation', url: frame.url(), text });
      });
      await context.addInitScript(recordViolations);
      const watch = (page: Page) => {
        page.on('console', (m) => {
          if (m.type() === 'error' && POLICY_MESSAGE.test(m.text()))
            seen.push({ source: 'console', url: page.url(), text: m.text() });
        });
        page.on('pageerror', (e) => {
          if (POLICY_MESSAGE.test(e.message))
            seen.push({ source: 'pageerror', url: page.url(), text: e.message });
        });
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      /** Let events already dispatched in open pages reach the binding. */
      const settle = async () => {
        for (const page of context.pages())
          await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50))).catch(() => {});
      };
      await use({
        take: async () => {
          await settle();
          const taken = seen;
          seen = [];
          return taken;
        },
      });
      await settle();
      expect(seen, 'CSP or Trusted Types refusals').toEqual([]);
    },
    { auto: true },
  ],
  guard: [
    async ({ page, baseURL }, use) => {
      const errors: string[] = [];
      const foreign: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith(baseURL!) && !url.startsWith('blob:') && !url.startsWith('data:'))
          foreign.push(url);
      });
      await use();
      expect(errors, 'uncaught page errors').toEqual([]);
      expect(foreign, 'requests beyond the app origin').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** The partner profile each key type is generated for unless a test says otherwise. */
const PARTNER_OF = { 'RSA-2048': 'Qredo Partner API', 'P-521': 'QI Tech', Ed25519: 'Binance' } as const;

/**
 * Generate a key pair from the Keys view, for a partner profile (by default the usual one for the
 * key type; null for none), and wait for its card; returns the card.
 */
export async function generateKey(
  page: Page,
  keyName: 'RSA-2048' | 'P-521' | 'Ed25519',
  partner: string | null = PARTNER_OF[keyName],
) {
  const before = await page.getByRole('article').count();
  const picker = page.getByLabel('Partner profile');
  // The profiles load just after first paint: wait for the option before choosing it.
  if (partner) await expect(picker.getByRole('option', { name: partner })).toHaveCount(1);
  await picker.selectOption(partner ? { label: partner } : { value: '' });
  await page
    .getByRole('button', {
      name: new RegExp(`Generate ${keyName} key pair${partner ? ` for ${partner}` : ''}`),
    })
    .click();
  await expect(page.getByRole('article')).toHaveCount(before + 1, { timeout: 20_000 });
  const card = page.getByRole('article', { name: new RegExp(`${partner ?? ''}.*${keyName}`) }).last();
  await expect(card.getByTestId('fingerprint')).toContainText(':');
  return card;
}

/** What the page's IndexedDB holds: per stored key, its kind and its private key's properties. */
export async function storedKeysInPage(page: Page) {
  return page.evaluate(async () => {
    // keybench creates its database with the first key; opening a missing one here would create it.
    if (!(await indexedDB.databases()).some((d) => d.name === 'keybench')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('keybench');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const r = db.transaction('keys').objectStore('keys').getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return Promise.all(
      all.map(async (k) => {
        const priv = k.privateKey as CryptoKey | undefined;
        let exportRejected = null as boolean | null;
        let canSign = null as boolean | null;
        if (priv) {
          exportRejected = await crypto.subtle.exportKey('pkcs8', priv).then(
            () => false,
            () => true,
          );
          const params =
            priv.algorithm.name === 'ECDSA'
              ? { name: 'ECDSA', hash: 'SHA-512' }
              : { name: priv.algorithm.name };
          canSign = await crypto.subtle.sign(params, priv, new Uint8Array([1])).then(
            () => true,
            () => false,
          );
        }
        return {
          label: k.label as string,
          kind: k.kind as string,
          fields: Object.keys(k).sort(),
          extractable: priv?.extractable ?? null,
          exportRejected,
          canSign,
        };
      }),
    );
  });
}

/**
 * The system clipboard's text. keybench's own pages may not read it (its Permissions-Policy says
 * clipboard-read=()), so read it from a blank page on another origin that the test serves itself.
 */
export async function readClipboard(context: BrowserContext): Promise<string> {
  const reader = await context.newPage();
  const url = `http://localhost:${E2E_PORT}/__clipboard-reader__`;
  await reader.route(url, (r) => r.fulfill({ contentType: 'text/html', body: '<title>clipboard</title>' }));
  await reader.goto(url);
  const text = await reader.evaluate(() => navigator.clipboard.readText());
  await reader.close();
  return text;
}

/**
 * A JWT signed in the page with the first stored key pair, straight from IndexedDB: RS256 for an RSA
 * key, ES512 for a P-521 key. The key stays non-extractable; only the token comes back.
 */
export async function signWithStoredKey(page: Page, payload: Record<string, unknown>): Promise<string> {
  return page.evaluate(async (claims) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('keybench');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = await new Promise<{ privateKey?: CryptoKey }[]>((res, rej) => {
      const r = db.transaction('keys').objectStore('keys').getAll();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    const key = all.find((k) => k.privateKey)?.privateKey;
    if (!key) throw new Error('no stored key pair to sign with');
    const b64u = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const enc = (o: unknown) => b64u(new TextEncoder().encode(JSON.stringify(o)));
    const ec = key.algorithm.name === 'ECDSA';
    const input = `${enc({ alg: ec ? 'ES512' : 'RS256', typ: 'JWT' })}.${enc(claims)}`;
    const params = ec ? { name: 'ECDSA', hash: 'SHA-512' } : { name: 'RSASSA-PKCS1-v1_5' };
    const sig = await crypto.subtle.sign(params, key, new TextEncoder().encode(input));
    return `${input}.${b64u(new Uint8Array(sig))}`;
  }, payload);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Run axe-core (the package itself, evaluated in the page: the page's CSP allows no injected
 * script tag) and fail on any serious or critical violation, listing each with its elements.
 */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const { violations } = await axe.run(document);
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  expect(report, `axe on ${where}`).toEqual([]);
}

/**
 * Put a large text into a text box the way a paste does (one input event), and return how long the
 * page's input handling took. Playwright's fill() inserts very long multi-line text far more slowly
 * than a paste, so big inputs go through this.
 */
export async function pasteInto(page: Page, selector: string, text: string): Promise<number> {
  // The view may still be loading (routes are split): wait until the box is on the page.
  await page.locator(selector).waitFor();
  return page.evaluate(
    ([sel, value]) => {
      const box = document.querySelector<HTMLTextAreaElement>(sel)!;
      const t0 = performance.now();
      box.value = value;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      return performance.now() - t0;
    },
    [selector, text] as const,
  );
}
