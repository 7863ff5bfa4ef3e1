// Message-level encryption end to end: generate an encryption key pair, encrypt to it on Sign →
// Encrypt (JWE), paste the partner body into Inspect → Decrypted; a changed byte → the tag fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactDecrypt, importPKCS8 } from 'jose';
import { test, expect, expectNoAxeViolations } from './fixtures';

const PAYLOAD = '{"acctNumber":"4111111111111111","amount":"10.00"}';

/** Change one character in the middle of the ciphertext (part 4) of the compact JWE in a body. */
function tamper(body: string): string {
  const { encData } = JSON.parse(body) as { encData: string };
  const parts = encData.split('.');
  const c = parts[3]!;
  const at = Math.floor(c.length / 2);
  parts[3] = c.slice(0, at) + (c[at] === 'A' ? 'B' : 'A') + c.slice(at + 1);
  return JSON.stringify({ encData: parts.join('.') });
}

test('encrypt to a generated encryption key, then Inspect decrypts it; a changed byte fails the tag', async ({
  page,
}) => {
  await page.goto('./#/keys');
  const picker = page.getByLabel('Partner profile');
  await expect(picker.getByRole('option', { name: 'Visa MLE' })).toHaveCount(1);
  await picker.selectOption({ label: 'Visa MLE' });
  await expect(page.locator('#profile-summary')).toContainText('Visa MLE takes');
  await page.getByRole('button', { name: /Generate.*encryption/ }).click();
  const card = page.getByRole('article', { name: /Visa MLE/ });
  await expect(card.getByTestId('fingerprint')).toContainText(':', { timeout: 20_000 });
  await expect(card).toContainText('Encryption key pair');
  // It decrypts only: a CSR, which needs a signature, is refused with the reason.
  await card.getByRole('button', { name: 'Create CSR' }).click();
  await card.getByLabel(/Common name/).fill('keybench test');
  await card.getByRole('button', { name: 'Create and download CSR' }).click();
  await expect(card.getByRole('alert')).toContainText('decrypts only, so it cannot sign a CSR');
  await expect(card.getByRole('button', { name: 'Download public key' })).toBeVisible();

  await page.getByRole('link', { name: 'Sign' }).click();
  // It never signs: the Test JWT signer does not offer it.
  await page.getByRole('button', { name: 'Test JWT' }).click();
  await expect(page.locator('main')).not.toContainText('RSA-OAEP-256');
  await page.getByRole('button', { name: 'Encrypt (JWE)' }).click();
  await page.getByLabel('Partner').selectOption({ label: 'Visa MLE' });
  await page.getByLabel(/Key-ID/).fill('visa-key-id-1');
  await page.getByLabel('Payload').fill(PAYLOAD);
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  const body = (await page.getByTestId('jwe-body').textContent())!;
  expect(JSON.parse(body)).toHaveProperty('encData');
  await expect(page.getByTestId('jwe-header-out')).toContainText('"enc": "A128GCM"');
  await expect(page.getByTestId('jwe-curl')).toContainText('keyId: visa-key-id-1');
  await expectNoAxeViolations(page, 'Sign, Encrypt (JWE)');

  await page.getByRole('link', { name: 'Inspect' }).click();
  const box = page.getByRole('textbox', { name: /^JWT/ });
  await box.fill(body);
  const status = page.locator('main').getByRole('status').filter({ hasText: /crypt/ });
  await expect(status).toContainText('Decrypted', { timeout: 20_000 });
  await expect(page.getByTestId('jwe-plaintext')).toHaveText(PAYLOAD);
  await expect(page.getByTestId('jwe-header')).toContainText('milliseconds');
  // Said once, in the verdict itself (the note below it shows only while nothing was decrypted).
  await expect(status).toContainText('proves nothing about who sent');
  await expect(page.getByTestId('jwe-sender-note')).toHaveCount(0);
  await expectNoAxeViolations(page, 'Inspect, decrypted JWE');

  await box.fill(tamper(body));
  await expect(status).toHaveAttribute('data-code', 'ERR_JWE_TAG', { timeout: 20_000 });
  await expect(status).toContainText('authentication tag');
  await expect(status).not.toContainText('Decrypted');
  await expect(page.getByTestId('jwe-plaintext')).toHaveCount(0);
});

test("CyberSource's certificate imported as CyberSource's key: Encrypt picks it, kid = its serial, and its private key decrypts", async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'keybench-jwe-'));
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', [
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-out',
    keyPath,
  ]);
  const cert = execFileSync(
    'openssl',
    ['req', '-new', '-x509', '-key', keyPath, '-subj', '/CN=CyberSource MLE test', '-days', '2'],
    { encoding: 'utf8' },
  );
  const serial = execFileSync('openssl', ['x509', '-noout', '-serial'], { input: cert, encoding: 'utf8' })
    .trim()
    .replace(/^serial=/, '')
    .toLowerCase();

  await page.goto('./#/keys');
  await page.getByLabel('Key to import').fill(cert);
  await page.getByLabel('Name (optional)').fill('CyberSource MLE certificate');
  await page
    .getByRole('radiogroup', { name: 'Whose key' })
    .getByRole('radio', { name: 'CyberSource' })
    .check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('article', { name: 'CyberSource MLE certificate' })).toBeVisible();

  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Encrypt (JWE)' }).click();
  await page.getByLabel('Partner').selectOption({ label: 'CyberSource MLE' });
  await expect(page.getByLabel('Recipient key')).toHaveValue(/.+/);
  await expect(page.getByLabel(/Serial number/)).not.toHaveValue('');
  await page.getByLabel('Payload').fill(PAYLOAD);
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  const body = JSON.parse((await page.getByTestId('jwe-body').textContent())!) as {
    encryptedRequest: string;
  };
  const key = await importPKCS8(readFileSync(keyPath, 'utf8'), 'RSA-OAEP-256');
  const { plaintext, protectedHeader } = await compactDecrypt(body.encryptedRequest, key);
  expect(new TextDecoder().decode(plaintext)).toBe(PAYLOAD);
  expect(protectedHeader).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
  expect(BigInt(`0x${String(protectedHeader.kid)}`)).toBe(BigInt(`0x${serial}`));
});

test('a signed token inside a decrypted JWE is inspected in turn, on its own', async ({ page }) => {
  const b64u = (s: string) => Buffer.from(s).toString('base64url');
  const jws = `${b64u('{"alg":"RS256","typ":"JWT"}')}.${b64u('{"sub":"inner"}')}.${b64u('not a signature')}`;
  await page.goto('./#/keys');
  const picker = page.getByLabel('Partner profile');
  await expect(picker.getByRole('option', { name: 'Mastercard encryption' })).toHaveCount(1);
  await picker.selectOption({ label: 'Mastercard encryption' });
  await page.getByRole('button', { name: /Generate.*encryption/ }).click();
  await expect(page.getByRole('article', { name: /Mastercard/ }).getByTestId('fingerprint')).toContainText(
    ':',
    {
      timeout: 20_000,
    },
  );
  await page.getByRole('link', { name: 'Sign' }).click();
  await page.getByRole('button', { name: 'Encrypt (JWE)' }).click();
  await page.getByLabel('Partner').selectOption({ label: 'Mastercard encryption' });
  await page.getByLabel('Payload').fill(jws);
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  const body = (await page.getByTestId('jwe-body').textContent())!;
  await page.getByRole('link', { name: 'Inspect' }).click();
  const box = page.getByRole('textbox', { name: /^JWT/ });
  await box.fill(body);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('Decrypted', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Inspect the signed token inside' }).click();
  await expect(box).toHaveValue(jws);
  // The inner token is judged as a token: its bad signature is never "Decrypted" nor verified.
  await expect(verdict).not.toContainText('Decrypted');
  await expect(verdict).not.toContainText('Signature verified');
});
