/**
 * The Sign journeys end where the user needs them: Sign opens on the one served partner's form,
 * nothing scrolls sideways, key names are unique, every form opens its result in Inspect (which
 * verifies it with no warning), and QI Tech's response check uses what the user already gave.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect, generateKey } from './fixtures';
import { vector } from '../unit/support/helpers';

const verdictOf = (page: Page) => page.getByRole('main').getByRole('status').and(page.getByTestId('verdict'));

/** Open the result in Inspect: verified with a stored key, no warning, no "Details: OK". */
async function opensVerifiedInInspect(page: Page, where: string) {
  await page.getByRole('button', { name: 'Open in Inspect', exact: true }).click();
  await expect(page).toHaveURL(/#\/inspect/);
  const status = verdictOf(page);
  await expect(status, where).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await expect(status).toContainText('Signature verified');
  await expect(status, where).not.toContainText('Details: OK');
  // No amber finding or diagnosis anywhere on the page (the request's checks, a partner card).
  expect(await page.locator('li.warning').allTextContents(), where).toEqual([]);
  await expect(page.getByTestId('diagnosis'), where).toHaveCount(0);
  await expect(page.getByText('keyid names', { exact: false }), where).toHaveCount(0);
}

/** No Copy button of the signer is named just "Copy". */
async function copyButtonsSayWhat(scope: Locator) {
  await expect(scope.getByRole('button', { name: 'Copy', exact: true })).toHaveCount(0);
  expect(await scope.getByRole('button', { name: /^Copy / }).count()).toBeGreaterThan(0);
}

async function noSidewaysScroll(page: Page, where: string) {
  const { scroll, inner, wide } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    // The innermost elements that reach past the window, to say what overflows.
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().left + e.scrollWidth > window.innerWidth + 1)
      .filter(
        (e) =>
          ![...e.children].some(
            (c) => c.getBoundingClientRect().left + c.scrollWidth > window.innerWidth + 1,
          ),
      )
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.getAttribute('data-testid') ?? ''}`),
  }));
  expect(
    scroll,
    `${where}: page ${scroll} px wide in a ${inner} px window (${wide.join('; ')})`,
  ).toBeLessThanOrEqual(inner);
}

async function importKey(page: Page, text: string, name: string, owner?: 'QI Tech') {
  await page.goto('./#/keys');
  await page.getByLabel('Key to import').fill(text);
  await page.getByLabel('Name (optional)').fill(name);
  if (owner)
    await page.getByRole('radiogroup', { name: 'Whose key' }).getByRole('radio', { name: owner }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('article', { name })).toBeVisible();
}

test('3. Sign opens on the form of the one partner the key pairs serve, Entra included', async ({ page }) => {
  await page.goto('./#/keys');
  await generateKey(page, 'RSA-2048', 'Microsoft Entra ID');
  await page.getByRole('link', { name: 'Sign' }).click();
  await expect(page.getByRole('button', { name: 'JWT client assertion' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('button', { name: 'Test JWT' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByLabel('Partner', { exact: true })).toHaveValue('Microsoft Entra ID');
  // A second partner served: the Test JWT form.
  await page.getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('article')).toHaveCount(1);
  await generateKey(page, 'P-521', 'QI Tech');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Test JWT' })).toHaveAttribute('aria-pressed', 'true');
});

test('5. two keys made the same day for the same partner have different names, on cards and in pickers', async ({
  page,
}) => {
  await page.goto('./#/keys');
  await generateKey(page, 'RSA-2048');
  await generateKey(page, 'RSA-2048');
  const [first, second] = [page.getByRole('article').nth(0), page.getByRole('article').nth(1)];
  const [a, b] = [
    (await first.getByRole('heading', { level: 3 }).textContent())!,
    (await second.getByRole('heading', { level: 3 }).textContent())!,
  ];
  expect(a).not.toBe(b);
  for (const name of [a, b])
    expect(name).toMatch(/^Qredo Partner API RSA-2048 \d{4}-\d{2}-\d{2} · [0-9a-f]{6}$/);
  // The suffix is the start of the card's own SHA-256 fingerprint.
  const print = (await first.getByTestId('fingerprint').textContent())!.replace(/[^0-9a-f]/gi, '');
  expect(a.endsWith(print.slice(0, 6).toLowerCase())).toBe(true);

  await page.getByRole('link', { name: 'Sign' }).click();
  for (const tab of ['Qredo Partner API', 'Test JWT']) {
    await page.getByRole('button', { name: tab, exact: true }).click();
    const picker = page.getByRole('combobox', { name: /^Key pair/ }).getByRole('option');
    await expect(picker).toHaveCount(2);
    const options = await picker.allTextContents();
    const names = options.map((o) => o.split(' — ')[0]!.trim());
    expect(names.sort()).toEqual([a.trim(), b.trim()].sort());
  }

  // Renamed, the other key's label is its own again: no suffix.
  await page.getByRole('link', { name: 'Keys' }).click();
  await second.getByRole('button', { name: 'Rename' }).click();
  await second.getByLabel('New name').fill('Qredo production');
  await second.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('heading', { level: 3, name: 'Qredo production' })).toBeVisible();
  await expect(first.getByRole('heading', { level: 3 })).toHaveText(
    /^Qredo Partner API RSA-2048 \d{4}-\d{2}-\d{2}$/,
  );
});

test('7. every Sign form opens its result in Inspect, which verifies it with no warning; Copy buttons say what', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('./#/keys');
  await generateKey(page, 'RSA-2048'); // Qredo, Snowflake, Binance, RFC 9421, assertions
  await generateKey(page, 'P-521'); // QI Tech
  await generateKey(page, 'Ed25519'); // Binance
  const sign = async (tab: string) => {
    await page.getByRole('link', { name: 'Sign' }).click();
    await page.getByRole('button', { name: tab, exact: true }).click();
  };

  await sign('Test JWT');
  await page.getByRole('button', { name: 'Sign JWT' }).click();
  await copyButtonsSayWhat(page.getByRole('main'));
  await opensVerifiedInInspect(page, 'Test JWT');

  await sign('Qredo Partner API');
  // A Qredo API key is the Base64 of its apikey file, JSON with key_id.
  await page.getByLabel('API key').fill(Buffer.from('{"key_id":"kb-e2e"}').toString('base64'));
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByRole('button', { name: 'Copy x-sign' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy curl' })).toBeVisible();
  await copyButtonsSayWhat(page.getByRole('main'));
  await opensVerifiedInInspect(page, 'Qredo');

  for (const scheme of ['v2', 'QIT (v1)', 'QI DTVM']) {
    await sign('QI Tech');
    await page.getByRole('radio', { name: scheme, exact: true }).check();
    await page.getByLabel('API key').fill('3f6b2c1e-8a4d-4f5e-9b7a-2d1c0e9f8a7b');
    await page.getByRole('button', { name: 'Sign request' }).click();
    await expect(page.getByRole('button', { name: 'Copy AUTHORIZATION' })).toBeVisible();
    await copyButtonsSayWhat(page.getByRole('main'));
    await opensVerifiedInInspect(page, `QI Tech ${scheme}`);
  }

  await sign('Binance');
  await page.getByLabel('API key').fill('kb-api-key');
  await page.getByRole('button', { name: 'Sign Binance request' }).click();
  await copyButtonsSayWhat(page.getByRole('main'));
  await opensVerifiedInInspect(page, 'Binance');

  await sign('HTTP Message Signatures (RFC 9421)');
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByRole('button', { name: 'Copy Signature', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy Signature-Input' })).toBeVisible();
  await expect(page.getByTestId('sign-curl')).toContainText('keyid="Qredo Partner API RSA-2048');
  await copyButtonsSayWhat(page.getByRole('main'));
  await opensVerifiedInInspect(page, 'RFC 9421');

  await sign('JWT client assertion');
  await page.getByLabel('Partner', { exact: true }).selectOption('Okta');
  await page.getByLabel('Client ID').fill('0oa1example');
  await page.getByLabel('Token endpoint').fill('https://example.okta.com/oauth2/v1/token');
  await page.getByLabel('Key ID').fill('kb-e2e-key');
  await page.getByRole('button', { name: 'Sign request' }).click();
  await copyButtonsSayWhat(page.getByRole('main'));
  await opensVerifiedInInspect(page, 'Okta client assertion');

  await sign('Snowflake');
  await page.getByRole('textbox', { name: 'Account' }).fill('xy12345.us-east-1');
  await page.getByRole('textbox', { name: 'User' }).fill('jsmith');
  await page.getByRole('button', { name: 'Create Snowflake JWT' }).click();
  await copyButtonsSayWhat(page.getByRole('main'));
  await opensVerifiedInInspect(page, 'Snowflake');
});

test('4. nothing scrolls sideways at 1280×800 or 390×844, whatever is signed or pasted', async ({ page }) => {
  test.setTimeout(120_000);
  const long = 'x'.repeat(1500);
  await page.goto('./#/keys');
  await generateKey(page, 'Ed25519');
  /** Paste what was signed into Inspect, as a user would, and wait for its verdict (the layout is the point here). */
  const pasteInInspect = async (text: string) => {
    await page.getByRole('link', { name: 'Inspect' }).click();
    await page.getByLabel(/^JWT/).fill(text);
    await expect(verdictOf(page)).toHaveAttribute('data-state', /^(verified|failed)$/, { timeout: 30_000 });
  };
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    const at = `${viewport.width}×${viewport.height}`;
    await page.getByRole('link', { name: 'Sign' }).click();
    await page.getByRole('button', { name: 'Binance', exact: true }).click();
    await page.getByLabel('Method').selectOption('GET');
    await page.getByLabel('Query parameters').fill(`symbol=BTCUSDT\nnote=${long}`);
    await page.getByLabel('API key').fill('k'.repeat(200));
    await page.getByRole('button', { name: 'Sign Binance request' }).click();
    await expect(page.getByTestId('binance-curl')).toBeVisible();
    await noSidewaysScroll(page, `Sign, Binance, ${at}`);
    await pasteInInspect((await page.getByTestId('binance-curl').textContent())!);
    await noSidewaysScroll(page, `Inspect, signed Binance URL, ${at}`);

    await page.getByRole('link', { name: 'Sign' }).click();
    await page.getByRole('button', { name: 'HTTP Message Signatures (RFC 9421)', exact: true }).click();
    await page.getByLabel('URL').fill(`https://api.example.com/${long}?q=${long}`);
    await page.getByLabel('Headers').fill(`Content-Type: application/json\nX-Long: ${long}`);
    await page.getByRole('button', { name: 'Sign request' }).click();
    await expect(page.getByTestId('sign-curl')).toBeVisible();
    await noSidewaysScroll(page, `Sign, RFC 9421, ${at}`);
    await pasteInInspect((await page.getByTestId('sign-curl').textContent())!);
    await noSidewaysScroll(page, `Inspect, RFC 9421 request, ${at}`);

    await page.getByRole('link', { name: 'Sign' }).click();
    await page.getByRole('button', { name: 'Test JWT', exact: true }).click();
    await page.getByLabel('Payload').fill(JSON.stringify({ sub: long }));
    await page.getByRole('button', { name: 'Sign JWT' }).click();
    await expect(page.getByTestId('signed-jwt')).toBeVisible();
    await noSidewaysScroll(page, `Sign, Test JWT, ${at}`);
    await pasteInInspect((await page.getByTestId('signed-jwt').textContent())!);
    await noSidewaysScroll(page, `Inspect, long token, ${at}`);
  }
});

test('8. QI Tech response check: the remembered API key, the response’s own date, the verdict in view, md5 as information', async ({
  page,
}) => {
  const qit = JSON.parse(vector('qitech', 'vectors.json'));
  const r = qit.response_post;
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'QI Tech fixture');
  await importKey(page, vector('qitech', 'qitech-side.key.pub'), 'QI Tech public key', 'QI Tech');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech', exact: true }).click();

  // v2 with every default: the md5 note is information, not an amber warning.
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByTestId('qit-authorization')).toBeVisible();
  await expect(page.getByTestId('sign-info')).toContainText('JSON.stringify');
  await expect(page.locator('.signer .warn')).toHaveCount(0);

  // The API key given once, with Remember ticked, survives a reload.
  await page.getByLabel('API key').fill(qit.request_post.api_key);
  await page.getByRole('checkbox', { name: /Remember it in this browser/ }).check();
  await page.reload();
  await page.getByRole('button', { name: 'QI Tech', exact: true }).click();
  await page.getByRole('radio', { name: 'QIT (v1)', exact: true }).check();
  await expect(page.getByLabel('API key')).toHaveValue(qit.request_post.api_key);

  await page.getByText('Verify a QI Tech response').click();
  await page.getByLabel('Response Authorization').fill(r.headers.Authorization);
  await page.getByLabel('Response body').fill(JSON.stringify(r.received_body));
  await page.getByRole('button', { name: 'Verify response' }).click();
  const verdict = page.getByTestId('qit-verdict');
  await expect(verdict).toContainText('Signature verified');
  await expect(verdict).not.toContainText('warning');
  await expect(verdict.locator('li.warning')).toHaveCount(0);
  await expect(verdict).toBeFocused();
  await expect(verdict).toBeInViewport();

  // The response's own Date header: the same moment holds, another is a warning.
  const signedDate = r.string_to_sign.split('\n')[3];
  await page.getByLabel('Response Date header (optional)').fill(signedDate);
  await page.getByRole('button', { name: 'Verify response' }).click();
  await expect(verdict.locator('li.warning')).toHaveCount(0);
  await expect(verdict).toContainText("the response's date");
  await page.getByLabel('Response Date header (optional)').fill('Fri, 24 Nov 2023 09:00:00 GMT');
  await page.getByRole('button', { name: 'Verify response' }).click();
  await expect(verdict.locator('li.warning')).toHaveCount(1);
  await expect(verdict).toContainText('Signature verified');
});
