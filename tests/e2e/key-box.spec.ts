import { generateKeyPairSync } from 'node:crypto';
import { test, expect, generateKey } from './fixtures';
import { nodeJws } from '../unit/support/jwt-helpers';

/** A public key written as a JWK without its "kty", and an HS256 token whose secret is that text. */
function ktyLessForgery() {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { kty: _kty, ...jwk } = publicKey.export({ format: 'jwk' });
  const keyText = JSON.stringify(jwk);
  const token = nodeJws('HS256', Buffer.from(keyText), { sub: 'attacker', admin: true });
  return { keyText, token };
}

test('an HS256 token keyed with a JWK without kty is never "Signature verified" unless the user ticks Shared secret (HMAC)', async ({
  page,
}) => {
  await page.goto('./#/inspect');
  const { keyText, token } = ktyLessForgery();
  const status = page.getByTestId('verdict');
  await page.getByLabel('JWT').fill(token);
  await page.getByLabel('Verification key').fill(keyText);
  await expect(status).toHaveAttribute('data-code', 'ERR_JWT_HMAC_WITH_PUBLIC_KEY');
  await expect(status).toContainText('algorithm-confusion attack (RFC 8725 §2.1)');
  await expect(status).toContainText('tick "Shared secret (HMAC)" under the key box');
  await expect(status).not.toContainText('Signature verified');
  // The user says it is the secret: then, and only then, it is one.
  await page.getByLabel('Shared secret (HMAC)').check();
  await expect(status).toContainText('Signature verified (HS256) with the pasted secret');
  await page.getByLabel('Shared secret (HMAC)').uncheck();
  await expect(status).toHaveAttribute('data-code', 'ERR_JWT_HMAC_WITH_PUBLIC_KEY');
  await expect(status).not.toContainText('Signature verified');
});

test('a public key pasted in the token box is a calm hint to move it, not a red "Not verified"', async ({
  page,
}) => {
  await page.goto('./#/inspect');
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const status = page.getByTestId('verdict');
  // Whatever the key box holds, the hint is about the token box.
  await page.getByLabel('Verification key').fill('{"n":"not a key"}');
  await page.getByLabel('JWT').fill(pem);
  await expect(status).toHaveAttribute('data-kind', 'key-in-token-box');
  await expect(status).toHaveAttribute('data-code', 'ERR_JWT_SEGMENTS');
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await expect(status).toContainText(
    'This is a public key (PEM), not a token. Paste it in Verification key below.',
  );
  await expect(status).not.toContainText('Not verified');
  await expect(status).not.toContainText('✘');
  await expect(status).not.toHaveClass(/verdict-bad/);
  await page.getByRole('button', { name: 'Move it to Verification key' }).click();
  await expect(page.getByLabel('Verification key')).toHaveValue(pem);
  await expect(page.getByLabel('JWT')).toHaveValue('');
});

test('words: no "Trying 0 stored keys", and a pasted key is "the public key you pasted"', async ({
  page,
}) => {
  await page.goto('./#/inspect');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await page.getByLabel('JWT').fill(nodeJws('ES256', privateKey, { sub: 'x' }));
  const hint = page.getByTestId('key-hint');
  await expect(hint).toHaveText(
    "No keys are stored, so nothing can check this token yet. Paste the issuer's public key (PEM, certificate, JWK or JWKS) here, or import it in Keys.",
  );
  await expect(page.locator('#key-notes')).not.toContainText('Trying 0');
  await page.getByLabel('Verification key').fill(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const status = page.getByTestId('verdict');
  await expect(status).toContainText('Signature verified (ES256) with the public key you pasted.');
  await expect(status).not.toContainText('SPKI PEM');
});

test('words: the certificate form marks its name required', async ({ page }) => {
  await page.goto('./#/keys');
  const card = await generateKey(page, 'RSA-2048');
  await card.getByRole('button', { name: 'Create self-signed certificate' }).click();
  const name = card.getByLabel('Common name (CN) (required)');
  await expect(name).toHaveAttribute('required', '');
  await expect(card.getByLabel('Organization (O)')).not.toHaveAttribute('required', '');
});
