import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect, storedKeysInPage } from './fixtures';
import { vector, vectorPath } from '../unit/support/helpers';
import { nodeVerifiesJws } from '../unit/support/jwt-helpers';

const qredo = JSON.parse(vector('qredo', 'vectors.json'));
const qit = JSON.parse(vector('qitech', 'vectors.json'));
const qitV2 = JSON.parse(vector('qitech', 'vectors-v2.json'));

async function importKey(page: Page, text: string, name: string, owner?: 'Mine' | 'QI Tech') {
  await page.goto('./#/keys');
  await page.getByLabel('Key to import').fill(text);
  await page.getByLabel('Name (optional)').fill(name);
  // A public key needs an answer to "Whose key": QI Tech's key verifies its responses.
  if (owner)
    await page.getByRole('radiogroup', { name: 'Whose key' }).getByRole('radio', { name: owner }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Imported "${name}"` })).toBeVisible();
  await expect(page.getByLabel('Key to import')).toHaveValue('');
  await expect(page.getByRole('article', { name })).toBeVisible();
}

test('fixture keys import through the UI: private ones non-extractable, public one trusted', async ({
  page,
}) => {
  await importKey(page, vector('qredo', 'private.pem'), 'Qredo fixture');
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'QI Tech fixture');
  await importKey(page, vector('qitech', 'qitech-side.key.pub'), 'QI Tech public key', 'QI Tech');
  const stored = await storedKeysInPage(page);
  const rows = stored.map((k) => [k.label, k.kind, k.extractable, k.exportRejected]);
  expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
    ['QI Tech fixture', 'pair', false, true],
    ['QI Tech public key', 'public', null, null],
    ['Qredo fixture', 'pair', false, true],
  ]);
  // The imported pair's public key is exactly the fixture's public file.
  await expect(page.getByRole('article', { name: 'Qredo fixture' }).getByTestId('public-pem')).toHaveText(
    vector('qredo', 'public.pem'),
    { useInnerText: false },
  );
});

test('import refuses encrypted and weak keys with a clear message, keeping nothing', async ({ page }) => {
  await page.goto('./#/keys');
  const encrypted = execFileSync(
    'openssl',
    ['pkey', '-in', vectorPath('qredo', 'private.pkcs8.pem'), '-aes256', '-passout', 'pass:x'],
    { encoding: 'utf8' },
  );
  await page.getByLabel('Key to import').fill(encrypted);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('encrypted with a passphrase');
  await expect(page.getByRole('alert')).toContainText('openssl pkey -in encrypted.pem -out private.pem');
  await page
    .getByLabel('Key to import')
    .fill(execFileSync('openssl', ['genrsa', '-traditional', '1024'], { encoding: 'utf8' }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('1024 bits');
  expect(await storedKeysInPage(page)).toEqual([]);
});

test('Qredo: every vector gives its expected x-sign exactly', async ({ page }) => {
  await importKey(page, vector('qredo', 'private.pem'), 'Qredo fixture');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Qredo Partner API' }).click();
  for (const c of qredo.cases) {
    await page.getByLabel('Method').selectOption(c.method);
    await page.getByLabel('URL').fill(c.url);
    if (c.method !== 'GET') await page.getByLabel('Body').fill(c.body);
    await page.getByLabel('Timestamp').fill(c.timestamp);
    await page.getByLabel('API key').fill('test-api-key');
    await page.getByRole('button', { name: 'Sign request' }).click();
    await expect(page.getByTestId('x-sign')).toHaveText(c.expected_x_sign);
  }
});

test('QI Tech: a request signed in the page verifies with node:crypto; the response vector verifies', async ({
  page,
}) => {
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'QI Tech fixture');
  await importKey(page, vector('qitech', 'qitech-side.key.pub'), 'QI Tech public key', 'QI Tech');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech' }).click();
  // The key the signer will use is the one shown, before anyone picks one.
  await expect(page.getByRole('combobox', { name: 'Key pair' }).locator('option:checked')).toHaveText(
    /QI Tech fixture/,
  );
  // v2 is offered first and chosen by default; this test signs the v1 way.
  await expect(page.getByRole('radio', { name: 'v2' })).toBeChecked();
  await page.getByRole('radio', { name: 'QIT (v1)' }).check();
  const post = qit.request_post;
  await page.getByLabel('Endpoint').fill(post.endpoint);
  await page.getByLabel('Body').fill(JSON.stringify(post.body_json));
  await page.getByLabel('Date').fill(post.date);
  await page.getByLabel('API key').fill(post.api_key);
  await page.getByRole('button', { name: 'Sign request' }).click();
  const auth = (await page.getByTestId('qit-authorization').textContent())!;
  const body = JSON.parse((await page.getByTestId('qit-body').textContent())!);
  const pub = createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'));
  const verifies = (jws: string) => nodeVerifiesJws(jws, pub);
  const token = auth.replace(`QIT ${post.api_key}:`, '');
  expect(verifies(token)).toBe(true);
  expect(verifies(body.encoded_body)).toBe(true);
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  expect(claims.sub).toBe(post.api_key);
  expect(claims.signature.split('\n').slice(2)).toEqual(['application/json', post.date, '/test']);

  // The response vector.
  const r = qit.response_post;
  await page.getByText('Verify a QI Tech response').click();
  await page.getByLabel('Response Authorization').fill(r.headers.Authorization);
  await page.getByLabel('Response body').fill(JSON.stringify(r.received_body));
  // Request and response forms keep distinct names while both are open.
  await expect(page.getByLabel('Body', { exact: true })).toHaveCount(1);
  await page.getByRole('button', { name: 'Verify response' }).click();
  const verdict = page.getByTestId('qit-verdict');
  await expect(verdict).toContainText('Signature verified');
  await expect(page.getByTestId('qit-decoded')).toContainText('"success": true');

  // Tampered body: not verified, and the failing check is named.
  const tampered = {
    encoded_body: r.received_body.encoded_body.replace(
      /\.(.)/,
      (_m: string, c: string) => `.${c === 'e' ? 'f' : 'e'}`,
    ),
  };
  await page.getByLabel('Response body').fill(JSON.stringify(tampered));
  await page.getByRole('button', { name: 'Verify response' }).click();
  await expect(verdict).toContainText('Not verified');
  await expect(verdict).not.toContainText('Signature verified');
  await expect(verdict).toContainText('Body MD5');
});

test('test JWT: sign with a stored key, open in the inspector, and it verifies there', async ({ page }) => {
  await page.goto('./#/keys');
  await page.getByRole('button', { name: /Generate.*RSA-2048/ }).click();
  await expect(page.getByRole('article')).toHaveCount(1, { timeout: 20_000 });
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'exp = +5 min' }).click();
  await page.getByRole('button', { name: 'jti = random' }).click();
  await page.getByRole('button', { name: 'kid = key thumbprint' }).click();
  await page.getByRole('button', { name: 'Sign JWT' }).click();
  const token = (await page.getByTestId('signed-jwt').textContent())!;
  expect(token.split('.')).toHaveLength(3);
  await page.getByRole('button', { name: 'Open in Inspect' }).click();
  await expect(page).toHaveURL(/#\/inspect$/);
  await expect(page.getByTestId('verdict')).toContainText('Signature verified');
  await expect(page.getByTestId('verdict')).toContainText('RS256');
  // And node:crypto verifies the same token with the downloaded public key.
  await page.getByRole('link', { name: 'Keys' }).click();
  const pem = await page.getByTestId('public-pem').textContent();
  const [h, p, s] = token.split('.');
  expect(
    nodeVerify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(pem!), Buffer.from(s!, 'base64url')),
  ).toBe(true);
});

test('QI Tech response: a reflected request is refused when no trusted QI Tech key is imported', async ({
  page,
}) => {
  // Only the user's own P-521 pair is stored: it must never stand in for QI Tech's key.
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'QI Tech fixture');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech' }).click();
  await page.getByRole('radio', { name: 'QIT (v1)' }).check();
  const post = qit.request_post;
  await page.getByLabel('Endpoint').fill(post.endpoint);
  await page.getByLabel('Body').fill(JSON.stringify(post.body_json));
  await page.getByLabel('Date').fill(post.date);
  await page.getByLabel('API key').fill(post.api_key);
  await page.getByRole('button', { name: 'Sign request' }).click();
  const auth = (await page.getByTestId('qit-authorization').textContent())!;
  const body = (await page.getByTestId('qit-body').textContent())!;
  expect(auth).toMatch(/^QIT /);

  // The attacker reflects the request back as the "response".
  await page.getByText('Verify a QI Tech response').click();
  await page.getByLabel('Response Authorization').fill(auth);
  await page.getByLabel('Response body').fill(body);
  await page.getByRole('button', { name: 'Verify response' }).click();
  const verdict = page.getByTestId('qit-verdict');
  await expect(verdict).toContainText("Import QI Tech's public key");
  await expect(verdict).not.toContainText('Signature verified');
  await expect(page.getByText('Signature verified')).toHaveCount(0);
});

test('QI Tech v2: a request signed in the page verifies with node:crypto; the body bytes are what it hashed', async ({
  page,
}) => {
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'QI Tech fixture');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech' }).click();
  await expect(page.getByRole('radio', { name: 'v2' })).toBeChecked();
  const c = qitV2.v2_post;
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('Endpoint').fill(c.endpoint);
  await page.getByLabel('Body', { exact: true }).fill('{"name":"QI Tech","amount":1500.25,"items":[1,2,3]}');
  await page.getByLabel('Timestamp').fill(c.timestamp);
  await page.getByLabel('API key').fill(c.api_key);
  // Python's json.dumps is the default serialisation (QI Tech's samples).
  await expect(page.getByRole('radio', { name: /json\.dumps/ })).toBeChecked();
  await page.getByRole('button', { name: 'Sign request' }).click();
  const token = (await page.getByTestId('qit-authorization').textContent())!;
  expect(nodeVerifiesJws(token, createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub')))).toBe(true);
  expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toEqual(c.claims);
  // The same header and claims segments as QI Tech's Python sample made.
  expect(token.split('.').slice(0, 2)).toEqual(c.headers.AUTHORIZATION.split('.').slice(0, 2));
  await expect(page.getByTestId('qit-body')).toHaveText(c.sent_body, { useInnerText: false });
  await expect(page.getByTestId('qit-md5-input')).toHaveText(`⟨${c.md5_input}⟩`);
  await expect(page.getByTestId('qit-curl')).toContainText(`--data-raw '${c.sent_body}'`);
  await expect(page.getByText('Your server must send exactly these bytes')).toBeVisible();

  // Compact instead: other bytes, another md5, and the token still verifies.
  await page.getByRole('radio', { name: /JSON\.stringify/ }).check();
  await page.getByRole('button', { name: 'Sign request' }).click();
  await expect(page.getByTestId('qit-body')).toHaveText(JSON.stringify(JSON.parse(c.sent_body)));
  const compact = (await page.getByTestId('qit-authorization').textContent())!;
  const claims = JSON.parse(Buffer.from(compact.split('.')[1]!, 'base64url').toString());
  expect(claims.payload_md5).toBe(
    createHash('md5')
      .update(JSON.stringify(JSON.parse(c.sent_body)))
      .digest('hex'),
  );
  expect(nodeVerifiesJws(compact, createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub')))).toBe(true);
});

test('QI Tech: a request signed elsewhere is checked in Inspect (the doctor), not by a second verifier in Sign', async ({
  page,
}) => {
  await importKey(page, vector('qitech', 'jwtECDSASHA512.key'), 'QI Tech fixture');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'QI Tech' }).click();
  await expect(page.getByText('Verify a request signed elsewhere')).toHaveCount(0);
  const raw = (c: { method: string; endpoint: string; headers: Record<string, string> }, body: string) =>
    [
      `${c.method} ${c.endpoint} HTTP/1.1`,
      'Host: api-auth.sandbox.qitech.app',
      `AUTHORIZATION: ${c.headers.AUTHORIZATION}`,
      `API-CLIENT-KEY: ${c.headers['API-CLIENT-KEY']}`,
      ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
      '',
      body,
    ].join('\r\n');
  await page.getByRole('link', { name: 'Inspect' }).click();
  const verdict = page.getByTestId('verdict');
  for (const name of ['v2_post', 'v2_get', 'dtvm_post', 'dtvm_get']) {
    const c = qitV2[name];
    await page.getByLabel(/^JWT/).fill(raw(c, c.sent_body ?? ''));
    await expect(verdict).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
    await expect(verdict).toContainText('QI Tech fixture');
  }
  // The same body sent compact: the doctor names the serialisation that payload_md5 hashes.
  const c = qitV2.v2_post;
  await page.getByLabel(/^JWT/).fill(raw(c, JSON.stringify(JSON.parse(c.sent_body))));
  await expect(verdict).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(verdict).toHaveAttribute('data-code', 'ERR_QIT_V2_SERIALISATION');
  await expect(page.getByRole('main')).toContainText('json.dumps');
  await expect(verdict).not.toContainText('Signature verified');
});

test('Qredo: x-nonce in place of x-timestamp; a body ending in \\r\\n is warned about', async ({ page }) => {
  await importKey(page, vector('qredo', 'private.pem'), 'Qredo fixture');
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Qredo Partner API' }).click();
  await page.getByLabel('Method').selectOption('POST');
  const url = 'https://play-api.qredo.network/api/v1/p/company';
  await page.getByLabel('URL').fill(url);
  await page.getByLabel('Body').fill('{"a":1}');
  await expect(page.getByTestId('qredo-body-warning')).toHaveCount(0);
  await page.getByLabel('Signed value header').selectOption('x-nonce');
  await page.getByLabel('Nonce').fill('1700000000123');
  await page.getByRole('button', { name: 'Sign request' }).click();
  const xSign = (await page.getByTestId('x-sign').textContent())!;
  await expect(page.getByTestId('qredo-auth-value')).toHaveText('1700000000123');
  expect(
    nodeVerify(
      'sha256',
      Buffer.from(`1700000000123${url}{"a":1}`),
      createPublicKey(vector('qredo', 'public.pem')),
      Buffer.from(xSign, 'base64url'),
    ),
  ).toBe(true);
  // A textarea normalises line breaks to \n, so the CRLF ending is a checkbox; the warning follows the bytes.
  await page.getByRole('checkbox', { name: /Windows line break/ }).check();
  await expect(page.getByTestId('qredo-body-warning')).toContainText('interactive signing client');
  await page.getByRole('button', { name: 'Sign request' }).click();
  const crlfSign = (await page.getByTestId('x-sign').textContent())!;
  expect(
    nodeVerify(
      'sha256',
      Buffer.from(`1700000000123${url}{"a":1}\r\n`),
      createPublicKey(vector('qredo', 'public.pem')),
      Buffer.from(crlfSign, 'base64url'),
    ),
  ).toBe(true);
});
