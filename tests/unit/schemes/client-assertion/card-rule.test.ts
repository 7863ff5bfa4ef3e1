// The one rule for a green partner card (trust/card.ts): green only when the signature verified
// with a trusted key, no rule fails and every rule that decides acceptance was compared with a
// known value. Findings from the review, each first written as a failing test, then the property
// over every rules file: no card reaches 'ok' with a deciding rule it could not compare.
import fc from 'fast-check';
import { createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { makeAssertion } from '../../../../src/lib/schemes/client-assertion/build';
import { cardOptions } from '../../../../src/lib/schemes/client-assertion/evaluate';
import { PARTNER_RULES } from '../../../../src/lib/schemes/client-assertion/rules';
import type { PartnerRules, Rule } from '../../../../src/lib/schemes/client-assertion/rules/types';
import { deriveVars, optionsUsed } from '../../../../src/lib/schemes/client-assertion/template';
import { tokenCheckOf } from '../../../../src/lib/schemes/client-assertion/token-check';
import type { TrustedKeyInfo } from '../../../../src/lib/scheme/contract';
import snowflake from '../../../../src/lib/schemes/snowflake-jwt/token-check';
import { cardSummary } from '../../../../src/lib/trust/card';
import type { Finding } from '../../../../src/lib/trust/finding';
import { failing, nodeThumbprints, runCard, toolKey, webKey } from '../../support/client-assertion-helpers';
import { nodeJws } from '../../support/jwt-helpers';
import { fcSeed } from '../../support/helpers';

const SEED = 20261207;

const NOW = Math.floor(Date.now() / 1000);
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const ENTRA_AUD = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
const rsa = () => toolKey('rsa2048');

/** The summary of a card whose signature a trusted key verified. */
const green = (partner: string, findings: Finding[]) => cardSummary(partner, findings, true);

/** The SPKI DER of a tool key. */
function spkiOf(pem: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createPublicKey(pem).export({ type: 'spki', format: 'der' }));
}

/** The key that verified, as the inspector hands it to a card (a pasted key). */
function verifier(pem: string): VerificationKey {
  return {
    kind: 'public',
    label: 'my key',
    origin: 'pasted',
    spki: spkiOf(pem),
    type: { kty: 'RSA' } as never,
  };
}

function entraToken(over: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const t = nodeThumbprints(rsa().certPem);
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
  return nodeJws('PS256', rsa().privateKey, payload, { 'x5t#S256': t.x5tS256, ...header }, { pss: true });
}

const ENTRA = 'Microsoft Entra ID';

describe('Entra: a thumbprint or tenant the card could not compare is never green', () => {
  const random = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255)).toString('base64url');
  const otherCert = nodeThumbprints(toolKey('rsa3072').certPem).x5tS256;

  it('random bytes or another certificate’s x5t#S256, no certificate typed or stored: amber, says what to paste', async () => {
    for (const x5t of [random, otherCert]) {
      const f = await runCard(ENTRA, entraToken({}, { 'x5t#S256': x5t }), {
        clientId: CLIENT,
        tenant: TENANT,
      });
      const thumb = f.find((x) => x.check === 'thumbprint')!;
      expect(thumb.severity).toBe('unchecked');
      expect(thumb.detail).toContain('Certificate (PEM)');
      const s = green(ENTRA, f);
      expect(s.tone).toBe('warn');
      expect(s.text).toMatch(/^No Microsoft Entra ID check fails, but 1 check was not compared/);
    }
  });

  it('the same, compared with the certificate typed: red', async () => {
    for (const x5t of [random, otherCert]) {
      const f = await runCard(ENTRA, entraToken({}, { 'x5t#S256': x5t }), {
        clientId: CLIENT,
        tenant: TENANT,
        certificate: rsa().certPem,
      });
      expect(failing(f)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_OTHER_CERT' });
      expect(green(ENTRA, f).tone).toBe('bad');
    }
  });

  it('compared with the stored certificates of the key that verified (no paste): green when it is theirs, red when not', async () => {
    const stored: TrustedKeyInfo = {
      label: 'my key',
      spki: spkiOf(rsa().publicPem),
      certificates: [new Uint8Array(nodeThumbprints(rsa().certPem).der)],
    };
    const run = (token: string) =>
      tokenCheckOf(PARTNER_RULES.find((p) => p.partnerName === ENTRA)!).check({
        token: decodeToken(token),
        signatureVerified: true,
        verifiedBy: verifier(rsa().publicPem),
        nowMs: Date.now(),
        options: { clientId: CLIENT, tenant: TENANT },
        trustedKeys: [stored],
      });
    const good = await run(entraToken());
    expect(failing(good)).toEqual({});
    expect(good.find((x) => x.check === 'thumbprint')?.detail).toContain('stored certificates');
    expect(green(ENTRA, good)).toEqual({ text: 'All Microsoft Entra ID checks pass.', tone: 'ok' });
    const bad = await run(entraToken({}, { 'x5t#S256': otherCert }));
    expect(failing(bad)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_OTHER_CERT' });
  });

  it('a tenant typed as a domain against an aud naming the tenant id: not compared, never red', async () => {
    const jwt = entraToken();
    const f = await runCard(ENTRA, jwt, {
      clientId: CLIENT,
      tenant: 'contoso.onmicrosoft.com',
      certificate: rsa().certPem,
    });
    const aud = f.find((x) => x.check === 'aud');
    expect(aud?.severity).toBe('unchecked');
    expect(aud?.detail).toContain('contoso.onmicrosoft.com');
    expect(green(ENTRA, f).tone).toBe('warn');
    // Two tenant ids that differ are two directories: red.
    const other = await runCard(ENTRA, jwt, {
      clientId: CLIENT,
      tenant: '00000000-0000-4000-8000-000000000000',
      certificate: rsa().certPem,
    });
    expect(failing(other)).toEqual({ aud: 'ERR_ASSERT_AUD' });
    // Two domains that differ are two directories too.
    const domains = await runCard(
      ENTRA,
      entraToken({ aud: 'https://login.microsoftonline.com/fabrikam.com/oauth2/v2.0/token' }),
      { clientId: CLIENT, tenant: 'contoso.onmicrosoft.com', certificate: rsa().certPem },
    );
    expect(failing(domains)).toEqual({ aud: 'ERR_ASSERT_AUD' });
  });

  it('aud naming another tenant: amber with no tenant typed, red with it', async () => {
    const other = entraToken({ aud: ENTRA_AUD.replace(TENANT, '00000000-0000-4000-8000-000000000000') });
    const open = await runCard(ENTRA, other, { clientId: CLIENT, certificate: rsa().certPem });
    expect(open.find((x) => x.check === 'aud')?.severity).toBe('unchecked');
    expect(open.find((x) => x.check === 'aud')?.detail).toContain('type Tenant ID on the card');
    expect(green(ENTRA, open).tone).toBe('warn');
    const typed = await runCard(ENTRA, other, {
      clientId: CLIENT,
      tenant: TENANT,
      certificate: rsa().certPem,
    });
    expect(failing(typed)).toEqual({ aud: 'ERR_ASSERT_AUD' });
  });

  it("MSAL for Python's assertion: x5t padded with '=' and no nbf pass, with a note", async () => {
    const t = nodeThumbprints(rsa().certPem);
    const padded = `${t.x5t}=`; // what base64.urlsafe_b64encode gives for 20 bytes
    const token = nodeJws(
      'RS256',
      rsa().privateKey,
      { aud: ENTRA_AUD, iss: CLIENT, sub: CLIENT, jti: 'j-1', iat: NOW, exp: NOW + 600 },
      { x5t: padded },
    );
    const f = await runCard(ENTRA, token, { clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem });
    expect(failing(f)).toEqual({});
    expect(f.find((x) => x.check === 'thumbprint')?.detail).toContain("padded with '='");
    expect(f.find((x) => x.check === 'lifetime')?.detail).toContain('after iat');
    expect(green(ENTRA, f).tone).toBe('ok');
    // Lifetime is still measured, from iat when nbf is absent.
    const long = nodeJws(
      'RS256',
      rsa().privateKey,
      { aud: ENTRA_AUD, iss: CLIENT, sub: CLIENT, jti: 'j-1', iat: NOW, exp: NOW + 3600 },
      { x5t: padded },
    );
    expect(
      failing(await runCard(ENTRA, long, { clientId: CLIENT, tenant: TENANT, certificate: rsa().certPem })),
    ).toEqual({
      lifetime: 'ERR_ASSERT_LIFETIME',
    });
  });
});

describe('Google: aud is the token endpoint, the API, or a scope instead', () => {
  const GOOGLE = 'Google service account';
  const email = 'sa@proj.iam.gserviceaccount.com';
  const token = (claims: Record<string, unknown>) =>
    nodeJws(
      'RS256',
      rsa().privateKey,
      { iss: email, sub: email, iat: NOW, exp: NOW + 3600, ...claims },
      { kid: 'k1' },
    );
  const typed = { email, keyId: 'k1' };

  it("google-auth-library's self-signed JWT (aud = https://pubsub.googleapis.com/) is not red; amber until the API is typed", async () => {
    const jwt = token({ aud: 'https://pubsub.googleapis.com/' });
    const open = await runCard(GOOGLE, jwt, typed);
    expect(failing(open)).toEqual({ aud: 'ERR_ASSERT_OPTION_MISSING' });
    expect(green(GOOGLE, open).tone).toBe('warn');
    const f = await runCard(GOOGLE, jwt, { ...typed, audience: 'https://pubsub.googleapis.com/' });
    expect(failing(f)).toEqual({});
    expect(green(GOOGLE, f).tone).toBe('ok');
    expect(
      failing(await runCard(GOOGLE, jwt, { ...typed, audience: 'https://storage.googleapis.com/' })),
    ).toEqual({
      aud: 'ERR_ASSERT_AUD',
    });
  });

  it('the token endpoint, and scope without aud, pass', async () => {
    expect(
      failing(
        await runCard(GOOGLE, token({ aud: 'https://oauth2.googleapis.com/token', scope: 'x' }), typed),
      ),
    ).toEqual({});
    expect(
      failing(await runCard(GOOGLE, token({ scope: 'https://www.googleapis.com/auth/pubsub' }), typed)),
    ).toEqual({});
  });

  it('the token grant (aud = token endpoint) without scope or target_audience is red: Google answers invalid_scope', async () => {
    const grant = token({ aud: 'https://oauth2.googleapis.com/token' });
    const f = await runCard(GOOGLE, grant, typed);
    expect(failing(f)).toEqual({ aud: 'ERR_ASSERT_CLAIM_MISSING' });
    expect(green(GOOGLE, f).tone).toBe('bad');
    // An ID token request names its audience in target_audience instead of scope.
    const idToken = token({
      aud: 'https://oauth2.googleapis.com/token',
      target_audience: 'https://svc.run.app',
    });
    expect(failing(await runCard(GOOGLE, idToken, typed))).toEqual({});
    // An empty scope is no scope.
    const empty = token({ aud: 'https://oauth2.googleapis.com/token', scope: ' ' });
    expect(failing(await runCard(GOOGLE, empty, typed))).toEqual({ aud: 'ERR_ASSERT_CLAIM_MISSING' });
  });

  it('neither aud nor scope: red, even with email, key id and audience typed', async () => {
    const f = await runCard(GOOGLE, token({}), { ...typed, audience: 'https://pubsub.googleapis.com/' });
    expect(failing(f)).toEqual({ aud: 'ERR_ASSERT_AUD' });
    expect(green(GOOGLE, f).tone).toBe('bad');
  });
});

describe('Coinbase CDP: kid and sub are both the key name', () => {
  it('red when they differ, typed or not', async () => {
    const p256 = toolKey('p256');
    const jwt = nodeJws(
      'ES256',
      p256.privateKey,
      {
        iss: 'cdp',
        sub: 'key-a',
        nbf: NOW,
        exp: NOW + 120,
        uris: ['GET api.cdp.coinbase.com/platform/v2/evm/accounts'],
      },
      { kid: 'key-b', nonce: '00112233445566778899aabbccddeeff' },
    );
    const f = await runCard('Coinbase CDP', jwt, {});
    expect(failing(f)['kid-sub']).toBe('ERR_ASSERT_KID');
    expect(cardSummary('Coinbase CDP', f, true).tone).toBe('bad');
  });
});

describe('Salesforce: no iat needed; exp within 3 minutes from now', () => {
  const SF = 'Salesforce';
  const opts = { clientId: '3MVG9abc', username: 'me@example.com' };
  const token = (claims: Record<string, unknown>) =>
    nodeJws('RS256', rsa().privateKey, {
      iss: '3MVG9abc',
      sub: 'me@example.com',
      aud: 'https://login.salesforce.com',
      ...claims,
    });

  it("salesforce-jwt-bearer-token-flow's token (exp only) passes", async () => {
    const f = await runCard(SF, token({ exp: NOW + 180 }), opts);
    expect(failing(f)).toEqual({});
    expect(green(SF, f).tone).toBe('ok');
  });

  it('exp 3 to 5 minutes ahead is a warning (the SDK and Salesforce’s sample send 300 s); more, or missing, fails', async () => {
    const five = await runCard(SF, token({ exp: NOW + 300 }), opts);
    expect(five.find((f) => f.check === 'lifetime')?.severity).toBe('warning');
    expect(green(SF, five).tone).toBe('ok');
    expect(failing(await runCard(SF, token({ exp: NOW + 600 }), opts))).toEqual({
      lifetime: 'ERR_ASSERT_LIFETIME',
    });
    expect(failing(await runCard(SF, token({ iat: NOW }), opts)).lifetime).toBe('ERR_ASSERT_CLAIM_MISSING');
  });
});

// ─── The property over every rules file ───────────────────────────────────────────────────────

/** Values the user would type, per partner, so that the made token passes every rule. */
const FULL: Record<string, Record<string, string>> = {
  entra: { clientId: CLIENT, tenant: TENANT },
  okta: { clientId: CLIENT, tokenEndpoint: 'https://dev-1.okta.com/oauth2/v1/token', keyId: 'k1' },
  auth0: { clientId: CLIENT, domain: 'example.eu.auth0.com', keyId: 'k1' },
  google: {
    email: 'sa@proj.iam.gserviceaccount.com',
    keyId: 'k1',
    audience: 'https://pubsub.googleapis.com/',
  },
  github: { clientId: 'Iv23liAbCdEf' },
  apple: { issuerId: '57246542-96fe-1a63-e053-0824d011072a', keyId: '2X9R4HXF34' },
  salesforce: { clientId: '3MVG9abc', username: 'me@example.com' },
  coinbase: {
    keyName: 'organizations/o/apiKeys/k',
    url: 'https://api.cdp.coinbase.com/platform/v2/evm/accounts',
  },
};

/** Whether a deciding rule had a known value to be compared with (independent of the evaluator). */
function known(
  r: Rule,
  vars: Record<string, string>,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  stored: boolean,
): boolean {
  const typed = (o: string) => (vars[o]?.trim() ?? '') !== '';
  switch (r.kind) {
    case 'claim':
      return r.equals === undefined || optionsUsed(r.equals).every(typed);
    case 'header':
      return !r.equalsOption || header[r.param] === undefined || typed(r.equalsOption);
    case 'thumbprint':
      return typed(r.certificateOption) || stored;
    case 'audience':
      return (
        payload.aud === undefined ||
        (typeof payload.aud === 'string' && r.fixed.includes(payload.aud)) ||
        (typed(r.option) && !r.fixed.includes(vars[r.option]!.trim()))
      );
    default:
      return true;
  }
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const part = (t: string, i: number) =>
  JSON.parse(Buffer.from(t.split('.')[i]!, 'base64url').toString()) as Record<string, unknown>;

describe('property: no card is green with a deciding rule it could not compare', () => {
  const made = new Map<string, string>();
  const rsaKey = toolKey('rsa2048');
  const cert = rsaKey.certPem;

  beforeAll(async () => {
    for (const p of PARTNER_RULES) {
      const ec = p.profile === 'apple' || p.profile === 'coinbase';
      const key = await webKey(ec ? toolKey('p256') : rsaKey, ec ? 'ES256' : 'RS256');
      const opts = { ...FULL[p.profile], ...(p.profile === 'entra' ? { certificate: cert } : {}) };
      made.set(p.id, (await makeAssertion(p, opts, key, Date.now())).token!);
    }
  });

  it('every rule that compares with a value only the user knows declares that it decides', () => {
    // Without this, a rule marked non-deciding would make the property below vacuous for it.
    for (const p of PARTNER_RULES) {
      for (const r of p.rules) {
        const userValue =
          (r.kind === 'claim' && r.equals !== undefined && optionsUsed(r.equals).length > 0) ||
          (r.kind === 'header' && r.equalsOption !== undefined) ||
          r.kind === 'thumbprint' ||
          r.kind === 'audience';
        if (userValue) expect(r.decides, `${p.partnerName} ${r.check}`).toBe(true);
      }
    }
  });

  it('every partner’s own token is green with everything typed (the property is not vacuous)', async () => {
    for (const p of PARTNER_RULES) {
      const opts = { ...FULL[p.profile], ...(p.profile === 'entra' ? { certificate: cert } : {}) };
      const f = await runCard(p.partnerName, made.get(p.id)!, opts);
      expect(failing(f), p.partnerName).toEqual({});
      expect(green(p.partnerName, f).tone, p.partnerName).toBe('ok');
    }
  });

  it('over every rules file, blanked options and changed claims', async () => {
    const pool = fc.constantFrom<unknown>(
      undefined,
      'other',
      'https://pubsub.googleapis.com/',
      'https://oauth2.googleapis.com/token',
      ENTRA_AUD.replace(TENANT, 'common'),
      'organizations/o/apiKeys/k',
      NOW,
      NOW + 60,
      ['x'],
    );
    let greens = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: PARTNER_RULES.length - 1 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 8 }), pool), { maxLength: 3 }),
        fc.boolean(),
        async (which, keep, edits, storeCert) => {
          const p: PartnerRules = PARTNER_RULES[which]!;
          const full: Record<string, string> = {
            ...FULL[p.profile],
            ...(p.profile === 'entra' ? { certificate: cert } : {}),
          };
          const options = Object.fromEntries(Object.entries(full).map(([k, v], i) => [k, keep[i] ? v : '']));
          const token = made.get(p.id)!;
          const header = part(token, 0);
          const payload = part(token, 1);
          for (const [inHeader, rawName, v] of edits) {
            const target = inHeader ? header : payload;
            const names = Object.keys(target);
            const name =
              names.length && rawName.length % 2 === 0 ? names[rawName.length % names.length]! : rawName;
            if (v === undefined) delete target[name];
            else target[name] = v;
          }
          const jwt = `${b64(header)}.${b64(payload)}.${token.split('.')[2]}`;
          const trusted: TrustedKeyInfo[] = storeCert
            ? [
                {
                  label: 'my key',
                  spki: spkiOf(rsaKey.publicPem),
                  certificates: [new Uint8Array(nodeThumbprints(cert).der)],
                },
              ]
            : [];
          const findings = await tokenCheckOf(p).check({
            token: decodeToken(jwt),
            signatureVerified: true,
            verifiedBy: verifier(rsaKey.publicPem),
            nowMs: Date.now(),
            options,
            trustedKeys: trusted,
          });
          const tone = cardSummary(p.partnerName, findings, true).tone;
          if (tone !== 'ok') return;
          greens++;
          const vars = deriveVars(cardOptions(p, options));
          const applying = p.rules.filter((r) => !r.when || r.when.is.includes(vars[r.when.option] ?? ''));
          for (const r of applying.filter((x) => x.decides)) {
            expect(known(r, vars, header, payload, storeCert), `${p.partnerName} ${r.check}`).toBe(true);
          }
          expect(findings.some((f) => f.severity === 'unchecked')).toBe(false);
        },
      ),
      { numRuns: 400, seed: fcSeed(SEED) },
    );
    expect(greens).toBeGreaterThan(0);
  });

  it('Snowflake: green only with the account and user typed and the signing key known', async () => {
    const fp =
      'SHA256:' +
      Buffer.from(await crypto.subtle.digest('SHA-256', spkiOf(rsaKey.publicPem))).toString('base64');
    const jwt = nodeJws('RS256', rsaKey.privateKey, {
      iss: `XY12345.JSMITH.${fp}`,
      sub: 'XY12345.JSMITH',
      iat: NOW,
      exp: NOW + 600,
    });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.boolean(), fc.boolean(), async (account, user, verified) => {
        const findings = await snowflake.check({
          token: decodeToken(jwt),
          signatureVerified: verified,
          ...(verified ? { verifiedBy: verifier(rsaKey.publicPem) } : {}),
          nowMs: Date.now(),
          options: { account: account ? 'xy12345' : '', user: user ? 'jsmith' : '' },
          trustedKeys: [{ label: 'my key', spki: spkiOf(rsaKey.publicPem) }],
        });
        const tone = cardSummary('Snowflake', findings, verified).tone;
        expect(tone === 'ok').toBe(account && user && verified);
      }),
    );
  });
});
