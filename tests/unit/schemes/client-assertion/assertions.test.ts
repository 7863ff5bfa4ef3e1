// Client assertions: each partner's card, made by one evaluator from its rules as data,
// on tokens made by hand with node:crypto; each named mistake named exactly; the form's sign()
// verified with node:crypto and passing its own card.
import { verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isKeybenchError } from '../../../../src/lib/errors';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import form, { fieldName } from '../../../../src/lib/schemes/client-assertion/form';
import { rulesFor } from '../../../../src/lib/schemes/client-assertion/rules';
import { ENTRA_S256, ENTRA_SHA1 } from '../../../../src/lib/schemes/client-assertion/rules/entra';
import { APPLE_SERVER } from '../../../../src/lib/schemes/client-assertion/rules/apple';
import type { SignerKey } from '../../../../src/lib/scheme/contract';
import { nodeJws } from '../../support/jwt-helpers';
import {
  failing,
  nodeThumbprints,
  publicOf,
  recognised,
  runCard,
  toolKey,
  webKey,
} from '../../support/client-assertion-helpers';

const NOW = Math.floor(Date.now() / 1000);
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const ENTRA_AUD = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
const rsa = () => toolKey('rsa2048');

function entraToken(over: Record<string, unknown> = {}, header: Record<string, unknown> = {}, alg = 'PS256') {
  const t = nodeThumbprints(rsa().certPem);
  const thumb = alg === 'PS256' ? { 'x5t#S256': t.x5tS256 } : { x5t: t.x5t };
  const payload = {
    aud: ENTRA_AUD,
    iss: CLIENT,
    sub: CLIENT,
    jti: 'a5b1c3d4-0000-4000-8000-000000000001',
    nbf: NOW,
    iat: NOW,
    exp: NOW + 600,
    ...over,
  };
  return nodeJws(alg, rsa().privateKey, payload, { ...thumb, ...header }, { pss: alg === 'PS256' });
}

const entraOptions = () => ({ clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem });

describe('Microsoft Entra ID card', () => {
  it('passes a PS256 + x5t#S256 assertion (current docs) and an RS256 + x5t one (older docs)', async () => {
    for (const alg of ['PS256', 'RS256']) {
      const findings = await runCard('Microsoft Entra ID', entraToken({}, {}, alg), entraOptions());
      expect(failing(findings), alg).toEqual({});
      expect(recognised(entraToken({}, {}, alg))).toBe('Microsoft Entra ID');
    }
  });

  it('names a wrong aud (the v1 endpoint, another tenant) ERR_ASSERT_AUD', async () => {
    const v1 = `https://login.microsoftonline.com/${TENANT}/oauth2/token`;
    expect(failing(await runCard('Microsoft Entra ID', entraToken({ aud: v1 }), entraOptions()))).toEqual({
      aud: 'ERR_ASSERT_AUD',
    });
    const other = ENTRA_AUD.replace(TENANT, 'common');
    expect(failing(await runCard('Microsoft Entra ID', entraToken({ aud: other }), entraOptions()))).toEqual({
      aud: 'ERR_ASSERT_AUD',
    });
  });

  it('names a SHA-1 thumbprint under x5t#S256 ERR_ASSERT_THUMBPRINT_SHA1, and SHA-256 under x5t _SHA256', async () => {
    const t = nodeThumbprints(rsa().certPem);
    const sha1InS256 = nodeJws(
      'PS256',
      rsa().privateKey,
      JSON.parse(Buffer.from(entraToken().split('.')[1]!, 'base64url').toString()),
      { 'x5t#S256': t.x5t },
      { pss: true },
    );
    expect(failing(await runCard('Microsoft Entra ID', sha1InS256, entraOptions()))).toEqual({
      thumbprint: 'ERR_ASSERT_THUMBPRINT_SHA1',
    });
    // Without the certificate typed, the length alone tells.
    expect(
      failing(await runCard('Microsoft Entra ID', sha1InS256, { clientId: CLIENT, tenant: TENANT })),
    ).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_SHA1' });
    const s256InX5t = entraToken({}, { x5t: t.x5tS256 }, 'RS256');
    expect(failing(await runCard('Microsoft Entra ID', s256InX5t, entraOptions()))).toEqual({
      thumbprint: 'ERR_ASSERT_THUMBPRINT_SHA256',
    });
  });

  it('names an x5t when x5t#S256 is chosen, and a thumbprint of another certificate', async () => {
    const findings = await runCard('Microsoft Entra ID', entraToken({}, {}, 'RS256'), {
      ...entraOptions(),
      thumbprint: ENTRA_S256,
    });
    expect(failing(findings)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_SHA1' });
    const other = await runCard('Microsoft Entra ID', entraToken(), {
      ...entraOptions(),
      certificate: toolKey('rsa3072').certPem,
    });
    expect(failing(other)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_OTHER_CERT' });
  });

  it('names a token that carries only x5c (no thumbprint) ERR_ASSERT_X5C_ONLY', async () => {
    const t = nodeThumbprints(rsa().certPem);
    const payload = JSON.parse(Buffer.from(entraToken().split('.')[1]!, 'base64url').toString());
    const x5cOnly = nodeJws('RS256', rsa().privateKey, payload, { x5c: [t.der.toString('base64')] });
    expect(failing(await runCard('Microsoft Entra ID', x5cOnly, entraOptions()))).toEqual({
      thumbprint: 'ERR_ASSERT_X5C_ONLY',
    });
  });

  it('names a lifetime over 10 minutes, iat in the future, iss ≠ sub, a missing jti, times in ms', async () => {
    const card = (over: Record<string, unknown>) =>
      runCard('Microsoft Entra ID', entraToken(over), entraOptions());
    expect(failing(await card({ exp: NOW + 3600 }))).toEqual({ lifetime: 'ERR_ASSERT_LIFETIME' });
    expect(failing(await card({ iat: NOW + 900, nbf: NOW, exp: NOW + 600 }))).toEqual({
      'iat-skew': 'ERR_ASSERT_IAT_FUTURE',
    });
    expect(failing(await card({ sub: 'someone-else' }))).toEqual({ 'iss-sub': 'ERR_ASSERT_ISS_SUB' });
    expect(failing(await card({ jti: undefined }))).toEqual({ jti: 'ERR_ASSERT_JTI_MISSING' });
    expect(failing(await card({ iss: 'x', sub: 'x' }))).toEqual({ iss: 'ERR_ASSERT_CLIENT_ID' });
    const ms = failing(await card({ nbf: NOW * 1000, iat: NOW * 1000, exp: (NOW + 600) * 1000 }));
    expect(ms.lifetime).toBe('ERR_ASSERT_TIME_UNIT');
    expect(failing(await card({ exp: NOW - 10, nbf: NOW - 300, iat: NOW - 300 }))).toEqual({
      expired: 'ERR_ASSERT_EXPIRED',
    });
  });

  it('is never all-pass beside a signature no trusted key verified (the x5c certificate is not trusted)', async () => {
    const findings = await runCard('Microsoft Entra ID', entraToken({}, { x5c: ['MIIB'] }), entraOptions(), {
      verified: false,
    });
    expect(failing(findings)).toEqual({ signature: 'ERR_ASSERT_UNVERIFIED' });
    expect(findings[0]!.detail).toMatch(/x5c is not a key you trust/);
  });
});

describe('the other partners’ cards on hand-made assertions', () => {
  const p256 = () => toolKey('p256');
  const cases: [
    partner: string,
    alg: string,
    key: () => ReturnType<typeof toolKey>,
    payload: Record<string, unknown>,
    header: Record<string, unknown>,
    options: Record<string, string>,
  ][] = [
    [
      'Okta',
      'RS256',
      rsa,
      {
        iss: 'cid',
        sub: 'cid',
        aud: 'https://dev-1.okta.com/oauth2/v1/token',
        jti: 'j1',
        iat: NOW,
        exp: NOW + 300,
      },
      { kid: 'k1' },
      { clientId: 'cid', tokenEndpoint: 'https://dev-1.okta.com/oauth2/v1/token', keyId: 'k1' },
    ],
    [
      'Auth0',
      'RS256',
      rsa,
      { iss: 'cid', sub: 'cid', aud: 'https://acme.eu.auth0.com/', jti: 'j1', iat: NOW, exp: NOW + 60 },
      {},
      { clientId: 'cid', domain: 'acme.eu.auth0.com' },
    ],
    [
      'Google service account',
      'RS256',
      rsa,
      {
        iss: 'sa@proj.iam.gserviceaccount.com',
        sub: 'sa@proj.iam.gserviceaccount.com',
        aud: 'https://pubsub.googleapis.com/',
        iat: NOW,
        exp: NOW + 3600,
      },
      { kid: 'abc123' },
      {
        email: 'sa@proj.iam.gserviceaccount.com',
        keyId: 'abc123',
        audience: 'https://pubsub.googleapis.com/',
      },
    ],
    [
      'GitHub App',
      'RS256',
      rsa,
      { iat: NOW - 60, exp: NOW + 540, iss: 'Iv23liABCDEF' },
      {},
      { clientId: 'Iv23liABCDEF' },
    ],
    [
      'Apple App Store Connect',
      'ES256',
      p256,
      { iss: '57246542-96fe-1a63-e053-0824d011072a', iat: NOW, exp: NOW + 1200, aud: 'appstoreconnect-v1' },
      { kid: '2X9R4HXF34' },
      { issuerId: '57246542-96fe-1a63-e053-0824d011072a', keyId: '2X9R4HXF34' },
    ],
    [
      'Salesforce',
      'RS256',
      rsa,
      { iss: '3MVG9', sub: 'me@example.com', aud: 'https://login.salesforce.com', iat: NOW, exp: NOW + 180 },
      {},
      { clientId: '3MVG9', username: 'me@example.com' },
    ],
    [
      'Coinbase CDP',
      'ES256',
      p256,
      {
        sub: 'key-1',
        iss: 'cdp',
        nbf: NOW,
        exp: NOW + 120,
        uris: ['GET api.cdp.coinbase.com/platform/v2/evm/accounts'],
      },
      { kid: 'key-1', nonce: 'ab12' },
      // The URL typed: the field's default is only an example, never compared.
      { keyName: 'key-1', url: 'https://api.cdp.coinbase.com/platform/v2/evm/accounts' },
    ],
  ];

  it.each(cases)(
    '%s: all checks pass, and the token is recognised as its partner’s',
    async (partner, alg, key, payload, header, options) => {
      const token = nodeJws(alg, key().privateKey, payload, header);
      expect(failing(await runCard(partner, token, options))).toEqual({});
      expect(recognised(token)).toBe(partner);
    },
  );

  it('names the partners’ own mistakes exactly', async () => {
    const [okta, auth0, , github, apple, sf, cb] = cases;
    const make = (
      c: (typeof cases)[number],
      over: Record<string, unknown>,
      h: Record<string, unknown> = c[4],
    ) => runCard(c[0], nodeJws(c[1], c[2]().privateKey, { ...c[3], ...over }, h), c[5]).then(failing);
    expect(await make(okta!, { exp: NOW + 7200 })).toEqual({ lifetime: 'ERR_ASSERT_LIFETIME' });
    expect(await make(okta!, { aud: 'https://dev-1.okta.com/oauth2/default/v1/token' })).toEqual({
      aud: 'ERR_ASSERT_AUD',
    });
    expect(await make(okta!, {}, { kid: 'other' })).toEqual({ kid: 'ERR_ASSERT_KID' });
    expect(await make(auth0!, { jti: undefined })).toEqual({ jti: 'ERR_ASSERT_JTI_MISSING' });
    expect(await make(auth0!, { aud: 'https://acme.eu.auth0.com/oauth/token' })).toEqual({
      aud: 'ERR_ASSERT_AUD',
    });
    expect(await make(auth0!, { exp: NOW + 600 })).toEqual({ lifetime: 'ERR_ASSERT_LIFETIME' });
    expect(await make(github!, { iat: NOW + 120, exp: NOW + 540 })).toEqual({
      'iat-skew': 'ERR_ASSERT_IAT_FUTURE',
    });
    expect(await make(github!, { iat: NOW, exp: NOW + 900 })).toEqual({ lifetime: 'ERR_ASSERT_LIFETIME' });
    expect(await make(apple!, { aud: 'appstoreconnect-v2' })).toEqual({ aud: 'ERR_ASSERT_AUD' });
    expect(await make(apple!, { exp: NOW + 3600 })).toEqual({ lifetime: 'ERR_ASSERT_LIFETIME' });
    expect(await make(apple!, {}, {})).toEqual({ kid: 'ERR_ASSERT_HEADER_MISSING' });
    expect(await make(sf!, { sub: '3MVG9' })).toEqual({ sub: 'ERR_ASSERT_CLAIM_VALUE' });
    expect(await make(sf!, { exp: NOW + 600 })).toEqual({ lifetime: 'ERR_ASSERT_LIFETIME' });
    expect(await make(cb!, { uris: ['GET https://api.cdp.coinbase.com/platform/v2/evm/accounts'] })).toEqual({
      uris: 'ERR_ASSERT_URIS',
    });
    expect(await make(cb!, {}, { kid: 'key-1' })).toEqual({ nonce: 'ERR_ASSERT_HEADER_MISSING' });
    // Apple's App Store Server API needs bid; with 60 minutes allowed, a 60-minute token passes.
    const server = { ...apple![5], api: APPLE_SERVER, bundleId: 'com.example.app' };
    const t = nodeJws('ES256', p256().privateKey, { ...apple![3], exp: NOW + 3600 }, apple![4]);
    expect(failing(await runCard('Apple App Store Connect', t, server))).toEqual({
      bid: 'ERR_ASSERT_CLAIM_MISSING',
    });
  });

  it('does not recognise a token of none of them (a Snowflake key-pair JWT)', () => {
    const t = nodeJws('RS256', rsa().privateKey, {
      iss: 'ACC.USER.SHA256:abc=',
      sub: 'ACC.USER',
      iat: NOW,
      exp: NOW + 60,
    });
    expect(recognised(t)).toBeNull();
  });
});

/** Sign with the form, then check with node:crypto and with the card. */
async function signWithForm(partner: string, options: Record<string, string>, alg: string, k = rsa()) {
  const p = rulesFor(partner)!;
  const values: Record<string, string> = { partner };
  for (const [n, v] of Object.entries(options)) values[fieldName(p, n)] = v;
  const privateKey = await webKey(k, alg);
  const key: SignerKey = {
    kind: 'pair',
    label: 'test',
    privateKey,
    publicKey: privateKey,
    spki: new Uint8Array(),
  };
  return form.sign(values, key, Date.now());
}

function nodeVerifies(token: string, alg: string, k = rsa()): boolean {
  const [h, p, s] = token.split('.');
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s!, 'base64url');
  const pub = publicOf(k);
  if (alg === 'EdDSA') return nodeVerify(null, data, pub, sig);
  if (alg.startsWith('ES'))
    return nodeVerify(`sha${alg.slice(2)}`, data, { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
  if (alg.startsWith('PS'))
    return nodeVerify(`sha${alg.slice(2)}`, data, { key: pub, padding: 6, saltLength: 32 }, sig);
  return nodeVerify(`sha${alg.slice(2)}`, data, pub, sig);
}

describe('the form signs each partner’s assertion with a stored (non-extractable) key', () => {
  const signCases: [string, Record<string, string>, string, () => ReturnType<typeof toolKey>][] = [
    ['Microsoft Entra ID', { clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem }, 'RS256', rsa],
    ['Microsoft Entra ID', { clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem }, 'PS256', rsa],
    [
      'Okta',
      { clientId: 'cid', tokenEndpoint: 'https://dev-1.okta.com/oauth2/v1/token', keyId: 'k1' },
      'ES256',
      () => toolKey('p256'),
    ],
    ['Auth0', { clientId: 'cid', domain: 'acme.eu.auth0.com' }, 'RS256', rsa],
    [
      'Google service account',
      {
        email: 'sa@p.iam.gserviceaccount.com',
        keyId: 'k',
        subject: 'sa@p.iam.gserviceaccount.com',
        audience: 'https://pubsub.googleapis.com/',
      },
      'RS256',
      rsa,
    ],
    ['GitHub App', { clientId: 'Iv23liABCDEF' }, 'RS256', rsa],
    [
      'Apple App Store Connect',
      { issuerId: '57246542-96fe-1a63-e053-0824d011072a', keyId: 'K' },
      'ES256',
      () => toolKey('p256'),
    ],
    ['Salesforce', { clientId: '3MVG9', username: 'me@example.com' }, 'RS256', rsa],
    [
      'Coinbase CDP',
      { keyName: 'key-1', method: 'POST', url: 'https://api.cdp.coinbase.com/platform/v2/evm/accounts?x=1' },
      'EdDSA',
      () => toolKey('ed25519'),
    ],
  ];

  it.each(signCases)(
    '%s: node:crypto verifies what the form signs, and the card passes it',
    async (partner, options, alg, k) => {
      const out = await signWithForm(partner, options, alg, k());
      expect(nodeVerifies(out.token!, alg, k())).toBe(true);
      expect(failing(await runCard(partner, out.token!, options))).toEqual({});
      expect(recognised(out.token!)).toBe(partner);
      expect(out.curl).toContain(out.request.url);
      expect(out.base.map((b) => b.label)).toEqual([
        'Header',
        'Payload',
        'Signing input (base64url header . payload)',
      ]);
      const d = decodeToken(out.token!);
      expect(d.header?.alg).toBe(alg);
    },
  );

  it('puts fresh jti, nonce and the certificate’s thumbprint in (x5t for RS256, x5t#S256 for PS256)', async () => {
    const t = nodeThumbprints(rsa().certPem);
    const opts = { clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem };
    const a = decodeToken((await signWithForm('Microsoft Entra ID', opts, 'RS256')).token!);
    const b = decodeToken((await signWithForm('Microsoft Entra ID', opts, 'PS256')).token!);
    expect(a.header).toMatchObject({ alg: 'RS256', x5t: t.x5t });
    expect(b.header).toMatchObject({ alg: 'PS256', 'x5t#S256': t.x5tS256 });
    const ja = (a.payload as { value: { jti: string } }).value.jti;
    const jb = (b.payload as { value: { jti: string } }).value.jti;
    expect(ja).not.toBe(jb);
    const cb1 = await signWithForm(
      'Coinbase CDP',
      { keyName: 'k', url: 'https://api.cdp.coinbase.com/a' },
      'EdDSA',
      toolKey('ed25519'),
    );
    expect(decodeToken(cb1.token!).header?.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect((decodeToken(cb1.token!).payload as { value: { uris: string[] } }).value.uris).toEqual([
      'GET api.cdp.coinbase.com/a',
    ]);
  });

  it('refuses what it cannot sign, with a specific code', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'signed',
        (e: unknown) => (isKeybenchError(e) ? e.code : String(e)),
      );
    expect(await code(signWithForm('Okta', { clientId: 'cid' }, 'RS256'))).toBe('ERR_ASSERT_INPUT');
    expect(
      await code(
        signWithForm(
          'Microsoft Entra ID',
          { clientId: CLIENT, tenant: TENANT, thumbprint: ENTRA_S256, certificate: rsa().certPem },
          'RS256',
        ),
      ),
    ).toBe('ERR_ASSERT_KEY_ALG');
    expect(
      await code(
        signWithForm(
          'Microsoft Entra ID',
          { clientId: CLIENT, tenant: TENANT, thumbprint: ENTRA_SHA1, certificate: rsa().certPem },
          'PS256',
        ),
      ),
    ).toBe('ERR_ASSERT_KEY_ALG');
    expect(
      await code(
        signWithForm(
          'Microsoft Entra ID',
          { clientId: CLIENT, tenant: TENANT, certificate: 'not a cert' },
          'RS256',
        ),
      ),
    ).toBe('ERR_ASSERT_CERTIFICATE');
    expect(await code(signWithForm('Apple App Store Connect', { issuerId: 'i', keyId: 'k' }, 'RS256'))).toBe(
      'ERR_ASSERT_KEY_ALG',
    );
  });

  it('sends the assertion as the partners say: a form post, or a Bearer header', async () => {
    const entra = await signWithForm(
      'Microsoft Entra ID',
      { clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem },
      'RS256',
    );
    expect(entra.request.url).toBe(ENTRA_AUD);
    const body = new URLSearchParams(entra.request.body as string);
    expect(body.get('client_assertion')).toBe(entra.token);
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const gh = await signWithForm('GitHub App', { clientId: 'Iv23liABCDEF' }, 'RS256');
    expect(gh.headers).toEqual([['Authorization', `Bearer ${gh.token}`]]);
  });
});

describe('certificate thumbprints (x509/thumbprint.ts)', () => {
  it('are the base64url SHA-1 and SHA-256 of the DER, as node:crypto computes them; a non-certificate is refused', async () => {
    const { certificateDer, thumbprints, certificatePem } =
      await import('../../../../src/lib/x509/thumbprint');
    const k = rsa();
    const t = await thumbprints(certificateDer(k.certPem));
    expect(t.x5t).toBe(nodeThumbprints(k.certPem).x5t);
    expect(t.x5tS256).toBe(nodeThumbprints(k.certPem).x5tS256);
    expect(certificatePem(certificateDer(k.certPem))).toBe(k.certPem);
    expect(() => certificateDer(k.publicPem)).toThrow(
      expect.objectContaining({ code: 'ERR_ASSERT_CERTIFICATE' }),
    );
  });
});

describe('the engine finds the scheme', () => {
  it('as a token scheme whose check is one TokenCheck per partner and whose form starts with Partner', async () => {
    const { SCHEMES, loadTokenChecks, loadForm } = await import('../../../../src/lib/scheme/registry');
    expect(SCHEMES.get('client-assertion')?.kind).toBe('token');
    const ids = (await loadTokenChecks()).map((c) => c.id).filter((id) => id.startsWith('client-assertion/'));
    expect(ids).toEqual(
      ['entra', 'okta', 'auth0', 'google', 'github', 'apple', 'salesforce', 'coinbase'].map(
        (p) => `client-assertion/${p}`,
      ),
    );
    const f = await loadForm('client-assertion');
    expect(f?.fields[0]).toMatchObject({ name: 'partner', label: 'Partner', kind: 'choice' });
    // Each partner's fields show only when that partner is chosen; the key pair that signs is always visible.
    const shown = (partner: string) =>
      f!.fields.filter((x) => !x.when || x.when({ partner })).map((x) => x.label);
    expect(shown('Okta')).toEqual(['Partner', 'Key pair', 'Client ID', 'Token endpoint', 'Key ID']);
    expect(shown('Apple App Store Connect')).toEqual(['Partner', 'Key pair', 'Issuer ID', 'Key ID', 'API']);
    expect(shown('Apple App Store Connect')).not.toContain('Bundle ID');
  });
});
