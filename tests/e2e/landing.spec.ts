import { test, expect, generateKey } from './fixtures';

/** The words a visitor sees without scrolling: visible text of elements inside the viewport. */
async function wordsOnFirstScreen(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const { innerHeight, innerWidth } = window;
    const words: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      const style = getComputedStyle(el);
      if (
        style.visibility === 'hidden' ||
        el.closest('[hidden], .visually-hidden, details:not([open]) > :not(summary)')
      )
        continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const onScreen = [...range.getClientRects()].some(
        (r) =>
          r.width > 0 &&
          r.height > 0 &&
          r.bottom > 0 &&
          r.right > 0 &&
          r.top < innerHeight &&
          r.left < innerWidth,
      );
      if (onScreen) words.push(...(n.textContent ?? '').split(/\s+/).filter((w) => /\w/.test(w)));
    }
    return words;
  });
}

test.describe('landing at 1280×800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('says what keybench is, and has the JWT box and the Generate buttons on the first screen', async ({
    page,
  }) => {
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText(/keybench is a browser-only workbench/)).toBeInViewport();
    await expect(page.getByRole('textbox', { name: /^JWT/ })).toBeInViewport();
    await expect(page.getByRole('button', { name: /Generate.*RSA-2048/ })).toBeInViewport();
    await expect(page.getByRole('button', { name: /Generate.*P-521/ })).toBeInViewport();
    await expect(page.getByLabel('Partner profile')).toBeInViewport();
    // The details wait behind disclosures.
    await expect(page.getByText('Why non-extractable?')).toBeVisible();
    await expect(page.getByText(/nobody \(not this page/)).toBeHidden();
    const words = await wordsOnFirstScreen(page);
    expect(words.length, words.join(' ')).toBeLessThanOrEqual(120);
  });
});

test('text typed or pasted on the landing moves to Inspect, with the focus', async ({ page }) => {
  await page.goto('./');
  const box = page.getByRole('textbox', { name: /^JWT/ });
  await box.click();
  // Typed key by key: every character reaches the inspector, also those typed while it loads.
  await page.keyboard.type('eyJhbGciOiJub25lIn0.eyJzdWIiOiJsYW5kaW5nIn0.', { delay: 5 });
  await expect(page).toHaveURL(/#\/inspect$/);
  const inspectBox = page.getByRole('textbox', { name: /^JWT/ });
  await expect(inspectBox).toHaveValue('eyJhbGciOiJub25lIn0.eyJzdWIiOiJsYW5kaW5nIn0.');
  await expect(inspectBox).toBeFocused();
  await expect(page.getByText('"landing"').first()).toBeVisible();

  // A paste (one input event) does the same.
  await page.goto('./#/');
  await page.getByRole('textbox', { name: /^JWT/ }).fill('eyJhbGciOiJub25lIn0.eyJzdWIiOiJwYXN0ZSJ9.');
  await expect(page).toHaveURL(/#\/inspect$/);
  await expect(page.getByRole('textbox', { name: /^JWT/ })).toHaveValue(
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJwYXN0ZSJ9.',
  );
  await expect(page.getByRole('textbox', { name: /^JWT/ })).toBeFocused();
});

test('after Generate the new card is in view, has the focus, and a status line says it was created', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('./');
  const first = await generateKey(page, 'P-521');
  await expect(first).toBeFocused();
  await expect(first).toBeInViewport();
  await expect(page.getByRole('status').filter({ hasText: /Created “QI Tech P-521/ })).toBeVisible();

  // On Keys, with cards already there, the next one lands below the fold: it is brought into view.
  await page.goto('./#/keys');
  await generateKey(page, 'RSA-2048');
  const card = await generateKey(page, 'P-521', null);
  await expect(card).toBeFocused();
  await expect(card).toBeInViewport();
  await expect(page.getByRole('status').filter({ hasText: /Created “P-521 key/ })).toBeVisible();
});

test('the first paint needs only the HTML and the stylesheet: the page paints text before its script runs', async ({
  page,
}) => {
  // Hold the app's script back: what is painted meanwhile comes from index.html and its CSS.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('./', { waitUntil: 'commit' });
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName('first-contentful-paint').length))
    .toBe(1);
  await expect(page.getByText(/keybench is a browser-only workbench/)).toBeVisible();
  release();
  // Then the app takes over, and the static text is gone.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('#shell')).toHaveCount(0);
});

test('the first paint needs only the HTML: with every script and stylesheet held back, the first screen paints, styled', async ({
  page,
}) => {
  // The stylesheet is a request of its own that the first paint would wait for; the first screen's
  // styles come inline (allowed by their hash in the CSP), so holding every file back changes nothing.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/[^/]+\.(js|css)$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('./', { waitUntil: 'commit' });
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName('first-contentful-paint').length))
    .toBe(1);
  await expect(page.getByText(/keybench is a browser-only workbench/)).toBeVisible();
  const bar = await page.locator('#shell .shell-bar').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(bar).not.toBe('rgba(0, 0, 0, 0)'); // the brand bar has its colour: the CSS is there
  release();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('#shell')).toHaveCount(0);
});
