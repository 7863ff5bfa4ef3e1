import { readdirSync } from 'node:fs';
import { test, expect, generateKey } from './fixtures';

/** The request doctor's worker chunk in the build under test (its name carries a content hash). */
const doctorWorkerFile = () => readdirSync('dist/assets').find((f) => /^doctor\.worker-.*\.js$/.test(f))!;

/** The directive of each securitypolicyviolation event taken, in order. */
const directives = (seen: { source: string; text: string }[]) =>
  seen.filter((v) => v.source === 'violation').map((v) => v.text.split(' ')[0]);

test('a string given to an HTML sink throws a Trusted Types error and changes nothing', async ({
  page,
  policyViolations,
}) => {
  await page.goto('./#/keys');
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  const results = await page.evaluate(() => {
    const attempt = (f: () => void) => {
      try {
        f();
        return 'allowed';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    return {
      innerHTML: attempt(() => {
        document.body.innerHTML = '<b>x</b>';
      }),
      insertAdjacentHTML: attempt(() => document.body.insertAdjacentHTML('beforeend', '<img src=x>')),
      scriptSrc: attempt(() => {
        document.createElement('script').src = './assets/anything.js';
      }),
      policyNotAllowed: attempt(() => trustedTypesOf(window).createPolicy('attacker', {})),
      svelteNameTaken: attempt(() => trustedTypesOf(window).createPolicy('svelte-trusted-html', {})),
      swNameTaken: attempt(() => trustedTypesOf(window).createPolicy('keybench-sw', {})),
    };
    function trustedTypesOf(w: Window) {
      return (w as unknown as { trustedTypes: { createPolicy(name: string, o: object): unknown } })
        .trustedTypes;
    }
  });
  expect(results).toEqual({
    innerHTML: expect.stringMatching(/^TypeError: .*requires 'TrustedHTML' assignment/),
    insertAdjacentHTML: expect.stringMatching(/^TypeError: .*requires 'TrustedHTML' assignment/),
    scriptSrc: expect.stringMatching(/^TypeError: .*requires 'TrustedScriptURL' assignment/),
    policyNotAllowed: expect.stringMatching(/^TypeError: .*"attacker" disallowed/),
    svelteNameTaken: expect.stringMatching(/^TypeError: .*"svelte-trusted-html" already exists/),
    swNameTaken: expect.stringMatching(/^TypeError: .*"keybench-sw" already exists/),
  });
  // The page is untouched and still works.
  await expect(page.locator('b', { hasText: 'x' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();

  // Each refusal was reported, by both policies (the header's and the <meta>'s).
  const twice = (d: string) => [d, d];
  expect(directives(await policyViolations.take())).toEqual([
    ...twice('require-trusted-types-for'),
    ...twice('require-trusted-types-for'),
    ...twice('require-trusted-types-for'),
    ...twice('trusted-types'),
    ...twice('trusted-types'),
    ...twice('trusted-types'),
  ]);
});

test("keybench's policy vouches for sw.js and the doctor's worker and nothing else; a plain URL cannot register or start a worker", async ({
  page,
  policyViolations,
}) => {
  // Keep hold of the policy keybench creates (the only way to reach it: nothing exports it).
  await page.addInitScript(() => {
    const factory = (window as unknown as { trustedTypes: Record<string, unknown> }).trustedTypes;
    const create = factory.createPolicy as (name: string, o: object) => unknown;
    factory.createPolicy = (name: string, options: object) => {
      const policy = create.call(factory, name, options);
      if (name === 'keybench-sw') (window as unknown as Record<string, unknown>).__swPolicy = policy;
      return policy;
    };
  });
  await page.goto('./#/keys');
  await expect(page.getByText('works offline')).toBeVisible({ timeout: 30_000 });

  const results = await page.evaluate(async (workerFile) => {
    const policy = (window as unknown as Record<string, { createScriptURL(u: string): unknown }>).__swPolicy!;
    const trusted = (window as unknown as { trustedTypes: { isScriptURL(v: unknown): boolean } })
      .trustedTypes;
    const attempt = (url: string) => {
      try {
        const made = policy.createScriptURL(url);
        return trusted.isScriptURL(made) ? `trusted ${String(made)}` : 'not trusted';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const sw = new URL('sw.js', location.href).href;
    const worker = new URL(`assets/${workerFile}`, location.href).href;
    const registration = await navigator.serviceWorker.ready;
    return {
      sw: attempt(sw),
      worker: attempt(worker),
      workerQuery: attempt(`${worker}?x`),
      otherWorker: attempt(new URL('assets/doctor.worker-evil.js', location.href).href),
      plainWorker: (() => {
        try {
          new Worker(worker, { type: 'module' }).terminate();
          return 'started';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      })(),
      relative: attempt('./sw.js'),
      query: attempt(`${sw}?v=2`),
      other: attempt(new URL('assets/evil.js', location.href).href),
      foreign: attempt('https://example.com/sw.js'),
      plainRegister: await navigator.serviceWorker.register('./sw.js').then(
        () => 'registered',
        (e: Error) => `${e.name}: ${e.message}`,
      ),
      active: registration.active?.scriptURL,
      origin: location.origin,
    };
  }, doctorWorkerFile());
  const { origin, ...outcome } = results;
  const sw = `${origin}/sw.js`;
  const worker = `${origin}/assets/${doctorWorkerFile()}`;
  // The policy vouches for two URLs (the page's service worker and the doctor's worker), and its refusals name both.
  const only = `TypeError: keybench-sw vouches only for ${sw} and ${worker}, not`;
  expect(outcome).toEqual({
    sw: `trusted ${sw}`,
    worker: `trusted ${worker}`,
    workerQuery: `${only} ${worker}?x`,
    otherWorker: `${only} ${origin}/assets/doctor.worker-evil.js`,
    plainWorker: expect.stringMatching(/^TypeError: .*requires 'TrustedScriptURL' assignment/),
    relative: `${only} ./sw.js`,
    query: `${only} ${sw}?v=2`,
    other: `${only} ${results.origin}/assets/evil.js`,
    foreign: `${only} https://example.com/sw.js`,
    plainRegister: expect.stringMatching(/^TypeError: .*requires 'TrustedScriptURL' assignment/),
    active: sw,
  });
  expect(directives(await policyViolations.take())).toEqual([
    'require-trusted-types-for',
    'require-trusted-types-for',
    'require-trusted-types-for',
    'require-trusted-types-for',
  ]);
});

test('under the enforced policy every view renders, keys generate and it works offline, with no refusal', async ({
  page,
  request,
}) => {
  const served = (await request.get('./')).headers()['content-security-policy'];
  for (const csp of [
    served,
    await (async () => {
      await page.goto('./#/keys');
      return page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    })(),
  ]) {
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).toMatch(/; trusted-types svelte-trusted-html keybench-sw(;|$)/);
  }
  await generateKey(page, 'P-521');
  await generateKey(page, 'RSA-2048');
  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page.getByRole('textbox', { name: /^JWT/ })).toBeVisible();
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Sign JWT' }).click();
  await page.getByRole('button', { name: 'Open in Inspect' }).click();
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Create CSR' }).first().click();
  await expect(page.getByLabel('Common name (CN)')).toBeVisible();
  await expect(page.getByText('works offline')).toBeVisible({ timeout: 30_000 });
  // The fixture fails the test on any CSP or Trusted Types refusal seen on the way.
});
