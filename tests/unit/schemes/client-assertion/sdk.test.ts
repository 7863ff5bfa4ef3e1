// Proof against the partners' own code. What each SDK makes verifies in keybench (its
// one trust rule, with the key or certificate the user uploaded) and passes that partner's card;
// what keybench's form makes passes the SDK's own verification where it has one
// (google-auth-library), else the JWT library the SDK signs with (jsonwebtoken for MSAL and
// Apple, jose for Coinbase) or node:crypto, with the partner's rules. Mistakes an SDK user makes
// are named exactly.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ClientAssertion, CryptoProvider } from '@azure/msal-node';
import { AppStoreServerAPIClient, Environment } from '@apple/app-store-server-library';
import { generateJwt } from '@coinbase/cdp-sdk/auth';
import { JWTAccess, OAuth2Client } from 'google-auth-library';
import { importSPKI, jwtVerify, decodeProtectedHeader } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import githubAppJwt from 'universal-github-app-jwt';
import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import { verifyToken, type VerificationKey } from '../../../../src/lib/jwt/verify';
import { parseKeyText } from '../../../../src/lib/keys/parse';
import form, { fieldName } from '../../../../src/lib/schemes/client-assertion/form';
import { rulesFor } from '../../../../src/lib/schemes/client-assertion/rules';
import { APPLE_SERVER } from '../../../../src/lib/schemes/client-assertion/rules/apple';
import type { SignerKey } from '../../../../src/lib/scheme/contract';
import { card, failing, recognised, toolKey, webKey } from '../../support/client-assertion-helpers';

const TENANT = 'contoso.onmicrosoft.com';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const ENTRA_AUD = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;

/** keybench's verdict on a token, with the key (PEM public key or certificate) the user uploaded. */
async function keybench(token: string, trusted: string) {
  const parsed = await parseKeyText(trusted);
  if (parsed.kind !== 'public') throw new Error('expected a public key');
  const key: VerificationKey = {
    kind: 'public',
    label: 'uploaded',
    origin: 'pasted',
    spki: parsed.spki,
    type: parsed.type,
  };
  const decoded = decodeToken(token);
  const verdict = await verifyToken(decoded, [key]);
  return { decoded, verdict };
}

/** keybench verifies the token with the uploaded key, and the partner's card passes it. */
async function passesKeybench(
  partner: string,
  token: string,
  trusted: string,
  options: Record<string, string>,
) {
  const { decoded, verdict } = await keybench(token, trusted);
  expect(verdict.state, verdict.message).toBe('verified');
  const findings = await card(partner).check({
    token: decoded,
    signatureVerified: verdict.verified,
    verifiedBy: verdict.key,
    nowMs: Date.now(),
    options,
  });
  expect(findings[0]).toMatchObject({ check: 'signature', code: 'OK' });
  expect(failing(findings)).toEqual({});
  expect(recognised(token)).toBe(partner);
}

/** Sign with keybench's form (a non-extractable WebCrypto key). */
async function keybenchSigns(
  partner: string,
  options: Record<string, string>,
  alg: string,
  k: ReturnType<typeof toolKey>,
) {
  const p = rulesFor(partner)!;
  const values: Record<string, string> = { partner };
  for (const [n, v] of Object.entries(options)) values[fieldName(p, n)] = v;
  const privateKey = await webKey(k, alg);
  expect(privateKey.extractable).toBe(false);
  const key: SignerKey = {
    kind: 'pair',
    label: 'stored',
    privateKey,
    publicKey: privateKey,
    spki: new Uint8Array(),
  };
  return (await form.sign(values, key, Date.now())).token!;
}

const hex = (fp: string) => fp.replace(/:/g, '');
const nowSec = () => Math.floor(Date.now() / 1000);

describe('@azure/msal-node client assertions', () => {
  const k = toolKey('rsa2048');
  const x509 = new X509Certificate(k.certPem);
  const options = { clientId: CLIENT, tenant: TENANT, certificate: k.certPem };
  const msal = (a: ClientAssertion, aud = ENTRA_AUD) => a.getJwt(new CryptoProvider(), CLIENT, aud);

  it('fromCertificateWithSha256Thumbprint (PS256 + x5t#S256) verifies in keybench and passes the Entra card', async () => {
    const token = msal(
      ClientAssertion.fromCertificateWithSha256Thumbprint(hex(x509.fingerprint256), k.privatePem),
    );
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'PS256' });
    await passesKeybench('Microsoft Entra ID', token, k.certPem, options);
  });

  it('fromCertificate (RS256 + SHA-1 x5t) verifies in keybench and passes the Entra card', async () => {
    const token = msal(ClientAssertion.fromCertificate(hex(x509.fingerprint), k.privatePem));
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256' });
    await passesKeybench('Microsoft Entra ID', token, k.certPem, options);
  });

  it('names the MSAL mistakes: a SHA-1 thumbprint given as the SHA-256 one, the v1 token endpoint as aud', async () => {
    const sha1AsS256 = msal(
      ClientAssertion.fromCertificateWithSha256Thumbprint(hex(x509.fingerprint), k.privatePem),
    );
    const f1 = await card('Microsoft Entra ID').check({
      token: decodeToken(sha1AsS256),
      signatureVerified: true,
      nowMs: Date.now(),
      options,
    });
    expect(failing(f1)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_SHA1' });
    const v1 = msal(
      ClientAssertion.fromCertificate(hex(x509.fingerprint), k.privatePem),
      `https://login.microsoftonline.com/${TENANT}/oauth2/token`,
    );
    const f2 = await card('Microsoft Entra ID').check({
      token: decodeToken(v1),
      signatureVerified: true,
      nowMs: Date.now(),
      options,
    });
    expect(failing(f2)).toEqual({ aud: 'ERR_ASSERT_AUD' });
  });

  it.each([
    ['RS256', 'x5t', x509.fingerprint],
    ['PS256', 'x5t#S256', x509.fingerprint256],
  ] as const)(
    'what keybench signs (%s) jsonwebtoken (MSAL’s JWT library) verifies with the certificate; its %s is MSAL’s',
    async (alg, param, fp) => {
      const token = await keybenchSigns('Microsoft Entra ID', options, alg, k);
      const claims = jsonwebtoken.verify(token, k.certPem, {
        algorithms: [alg],
        audience: ENTRA_AUD,
        issuer: CLIENT,
        subject: CLIENT,
      }) as jsonwebtoken.JwtPayload;
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.exp! - claims.nbf!).toBe(600); // MSAL's lifetime
      // MSAL writes the thumbprint as EncodingUtils.base64EncodeUrl(hex thumbprint, 'hex').
      expect(decodeProtectedHeader(token)[param]).toBe(Buffer.from(hex(fp), 'hex').toString('base64url'));
    },
  );
});

describe('universal-github-app-jwt', () => {
  const k = toolKey('rsa2048'); // PKCS#1, as GitHub's downloaded .pem

  it('its JWT (iat 30 s back, exp 10 min on) verifies in keybench and passes the GitHub App card', async () => {
    const { token } = await githubAppJwt({ id: 'Iv23liABCDEFGH', privateKey: k.privatePem });
    await passesKeybench('GitHub App', token, k.publicPem, { clientId: 'Iv23liABCDEFGH' });
    const numeric = await githubAppJwt({ id: 123456, privateKey: k.privatePem });
    await passesKeybench('GitHub App', numeric.token, k.publicPem, { clientId: '123456' });
  });

  it('names a JWT made on a machine whose clock is ahead (iat in the future)', async () => {
    const { token } = await githubAppJwt({ id: 1, privateKey: k.privatePem, now: nowSec() + 300 });
    const f = await card('GitHub App').check({
      token: decodeToken(token),
      signatureVerified: true,
      nowMs: Date.now(),
      options: {},
    });
    expect(failing(f)).toMatchObject({ 'iat-skew': 'ERR_ASSERT_IAT_FUTURE' });
  });

  it('what keybench signs verifies with node:crypto (jsonwebtoken) under GitHub’s rules', async () => {
    const token = await keybenchSigns('GitHub App', { clientId: 'Iv23liABCDEFGH' }, 'RS256', k);
    const c = jsonwebtoken.verify(token, k.publicPem, {
      algorithms: ['RS256'],
      issuer: 'Iv23liABCDEFGH',
    }) as jsonwebtoken.JwtPayload;
    expect(c.iat!).toBeLessThanOrEqual(nowSec() - 59); // 60 s in the past, against clock drift
    expect(c.exp! - nowSec()).toBeLessThanOrEqual(600); // no more than 10 minutes into the future
  });
});

describe('google-auth-library self-signed JWTs', () => {
  const k = toolKey('rsa2048');
  const email = 'robot@my-project.iam.gserviceaccount.com';
  const keyId = '0123456789abcdef0123456789abcdef01234567';

  it('JWTAccess (aud = API URL, and scope instead of aud) verifies in keybench and passes the Google card', async () => {
    const access = new JWTAccess(email, k.privatePem, keyId);
    const withAud = access
      .getRequestHeaders('https://pubsub.googleapis.com/')
      .get('authorization')!
      .replace(/^Bearer /, '');
    await passesKeybench('Google service account', withAud, k.certPem, {
      email,
      keyId,
      audience: 'https://pubsub.googleapis.com/',
    });
    const withScope = access
      .getRequestHeaders(undefined, undefined, ['https://www.googleapis.com/auth/pubsub'])
      .get('authorization')!
      .replace(/^Bearer /, '');
    expect(decodeToken(withScope).payload).toMatchObject({
      value: { scope: 'https://www.googleapis.com/auth/pubsub' },
    });
    await passesKeybench('Google service account', withScope, k.certPem, { email, keyId });
  });

  it('what keybench signs passes OAuth2Client.verifySignedJwtWithCertsAsync (Google’s own check)', async () => {
    const audience = 'https://pubsub.googleapis.com/';
    const token = await keybenchSigns(
      'Google service account',
      { email, keyId, audience, subject: email },
      'RS256',
      k,
    );
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(
      token,
      { [keyId]: k.certPem },
      audience,
      [email],
      3600,
    );
    expect(ticket.getPayload()).toMatchObject({ iss: email, sub: email, aud: audience });
    // Signed for another key id, Google finds no certificate for it.
    const other = await keybenchSigns(
      'Google service account',
      { email, keyId: 'another', audience },
      'RS256',
      k,
    );
    await expect(
      new OAuth2Client().verifySignedJwtWithCertsAsync(
        other,
        { [keyId]: k.certPem },
        audience,
        [email],
        3600,
      ),
    ).rejects.toThrow(/No pem found/);
  });
});

describe('@coinbase/cdp-sdk generateJwt', () => {
  const ec = toolKey('p256');
  const ed = toolKey('ed25519');
  const edSecret = () => {
    const jwk = ed.privateKey.export({ format: 'jwk' });
    return Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]).toString(
      'base64',
    );
  };
  const req = {
    requestMethod: 'GET',
    requestHost: 'api.cdp.coinbase.com',
    requestPath: '/platform/v2/evm/accounts',
  };
  const options = {
    keyName: 'organizations/o/apiKeys/k',
    method: 'GET',
    url: 'https://api.cdp.coinbase.com/platform/v2/evm/accounts',
  };

  it.each([
    [
      'ES256 (PEM key)',
      () => createPrivateKey(ec.privatePem).export({ type: 'pkcs8', format: 'pem' }) as string,
      ec,
    ],
    ['EdDSA (base64 seed + public key)', edSecret, ed],
  ] as const)('%s: verifies in keybench and passes the Coinbase card', async (_n, secret, k) => {
    const token = await generateJwt({ apiKeyId: options.keyName, apiKeySecret: secret(), ...req });
    await passesKeybench('Coinbase CDP', token, k.publicPem, options);
  });

  it('names a JWT whose uris carries the scheme (https://) ERR_ASSERT_URIS', async () => {
    const token = await generateJwt({
      apiKeyId: options.keyName,
      apiKeySecret: edSecret(),
      ...req,
      requestHost: 'https://api.cdp.coinbase.com',
    });
    const f = await card('Coinbase CDP').check({
      token: decodeToken(token),
      signatureVerified: true,
      nowMs: Date.now(),
      options: { keyName: options.keyName },
    });
    expect(failing(f)).toEqual({ uris: 'ERR_ASSERT_URIS' });
  });

  it('what keybench signs jose (the SDK’s JWT library) verifies; header and claims are the SDK’s', async () => {
    const token = await keybenchSigns('Coinbase CDP', options, 'EdDSA', ed);
    const { payload, protectedHeader } = await jwtVerify(token, await importSPKI(ed.publicPem, 'EdDSA'), {
      issuer: 'cdp',
      subject: options.keyName,
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: options.keyName, typ: 'JWT' });
    expect(protectedHeader.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.uris).toEqual([`${req.requestMethod} ${req.requestHost}${req.requestPath}`]);
    expect(payload.exp! - payload.nbf!).toBe(120);
  });
});

describe('@apple/app-store-server-library', () => {
  const k = toolKey('p256');
  const p8 = createPrivateKey(k.privatePem).export({ type: 'pkcs8', format: 'pem' }) as string;
  const issuerId = '57246542-96fe-1a63-e053-0824d011072a';
  const options = { issuerId, keyId: '2X9R4HXF34', api: APPLE_SERVER, bundleId: 'com.example.app' };

  it('createBearerToken (App Store Server API) verifies in keybench and passes the Apple card', async () => {
    const client = new AppStoreServerAPIClient(
      p8,
      options.keyId,
      issuerId,
      options.bundleId,
      Environment.SANDBOX,
    );
    const token = (client as unknown as { createBearerToken(): string }).createBearerToken();
    await passesKeybench('Apple App Store Connect', token, k.publicPem, options);
  });

  it('what keybench signs jsonwebtoken (the library’s JWT library) verifies with Apple’s claims', async () => {
    const token = await keybenchSigns('Apple App Store Connect', options, 'ES256', k);
    const c = jsonwebtoken.verify(token, k.publicPem, {
      algorithms: ['ES256'],
      audience: 'appstoreconnect-v1',
      issuer: issuerId,
    }) as jsonwebtoken.JwtPayload;
    expect(c.bid).toBe('com.example.app');
    expect(jsonwebtoken.decode(token, { complete: true })?.header.kid).toBe(options.keyId);
  });
});

describe('the Entra card compares the pasted certificate with the key that verified', () => {
  it('names a certificate of another key ERR_ASSERT_THUMBPRINT_OTHER_CERT even when the thumbprint is that certificate’s', async () => {
    const signer = toolKey('rsa2048');
    const other = toolKey('rsa3072');
    const x509 = new X509Certificate(other.certPem);
    // The thumbprint of the other certificate, but signed with the signer's key (and verified with it).
    const token = ClientAssertion.fromCertificateWithSha256Thumbprint(
      hex(x509.fingerprint256),
      signer.privatePem,
    ).getJwt(new CryptoProvider(), CLIENT, ENTRA_AUD);
    const { decoded, verdict } = await keybench(token, signer.publicPem);
    expect(verdict.verified).toBe(true);
    const options = { clientId: CLIENT, tenant: TENANT, certificate: other.certPem };
    const f = await card('Microsoft Entra ID').check({
      token: decoded,
      signatureVerified: true,
      verifiedBy: verdict.key,
      nowMs: Date.now(),
      options,
    });
    expect(failing(f)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_OTHER_CERT' });
  });
});
