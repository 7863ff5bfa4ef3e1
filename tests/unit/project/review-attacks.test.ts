/**
 * An attacker's review of the verdict code after the eight merges: each test is an input that
 * reached green (or a secret) where it must not, first written failing, then fixed. What held is
 * in the report, not here.
 */
import {
  createPrivateKey,
  generateKeyPairSync,
  sign as nodeSign,
  type RSAPSSKeyPairKeyObjectOptions,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { decideKeyBox } from '../../../src/lib/keys/key-box';
import { parseKeyText } from '../../../src/lib/keys/parse';
import type { ParsedRequest } from '../../../src/lib/request/types';
import { binanceCheck as binance } from '../support/binance-helpers';
import qredoScheme from '../../../src/lib/schemes/qredo/scheme';
import { toRequestCheck } from '../../../src/lib/scheme/check';
import { cardSummary } from '../../../src/lib/trust/card';
import { decideRequest, type SchemeResult } from '../../../src/lib/trust/verdict';
import { failing, nodeThumbprints, runCard, toolKey } from '../support/client-assertion-helpers';
import { nodeJwk, nodeJws } from '../support/jwt-helpers';

const NOW_S = Math.floor(Date.now() / 1000);

/**
 * An id-RSASSA-PSS key pair (what `openssl genpkey -algorithm RSA-PSS` makes), its public key as
 * keybench reads it (stored, mine), and the same private key unrestricted, which can still make
 * a PKCS#1 v1.5 signature: a key restricted to PSS must never verify one (RFC 4055 §3.1).
 */
async function pssOnlyKey() {
  const k = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  const parsed = await parseKeyText(String(k.publicKey.export({ type: 'spki', format: 'pem' })));
  if (parsed.kind !== 'public' || parsed.type.kty !== 'RSA' || !parsed.type.pss) throw new Error('not PSS');
  const priv = await parseKeyText(String(k.privateKey.export({ type: 'pkcs8', format: 'pem' })));
  if (priv.kind !== 'private' || !priv.pkcs8) throw new Error('not a private key');
  const unrestricted = createPrivateKey({ key: Buffer.from(priv.pkcs8), format: 'der', type: 'pkcs8' });
  const key: VerificationKey = {
    kind: 'public',
    label: 'my PSS key',
    origin: 'stored',
    owner: 'mine',
    spki: parsed.spki,
    type: parsed.type,
  };
  return { key, unrestricted };
}

const one = (r: SchemeResult | SchemeResult[]) => {
  if (Array.isArray(r)) throw new Error('one result expected');
  return r;
};

describe('an id-RSASSA-PSS key never verifies PKCS#1 v1.5 in the partner schemes', () => {
  it('Qredo: x-sign made with PKCS#1 v1.5 by the same modulus is not verified with the PSS-only key', async () => {
    const { key, unrestricted } = await pssOnlyKey();
    const ts = '1700000000';
    const url = 'https://play-api.qredo.network/api/v1/p/company';
    const body = '{"name":"Acme"}';
    const sig = nodeSign('sha256', Buffer.from(`${ts}${url}${body}`), unrestricted).toString('base64url');
    const request: ParsedRequest = {
      source: 'curl',
      method: 'POST',
      url,
      headers: [
        ['X-Api-Key', Buffer.from('{"key_id":"k"}').toString('base64url')],
        ['X-Timestamp', ts],
        ['X-Sign', sig],
      ],
      body,
      notes: [],
    };
    const qredo = toRequestCheck(qredoScheme);
    const r = one(await qredo.verify({ request, keys: [key], nowMs: 1700000000_000 + 20_000 }));
    expect(r.signedBy).toBeUndefined();
    expect(decideRequest({ direction: 'request-to', partner: 'qredo' }, r).state).toBe('failed');
  });

  it('Qredo: the same signature over a GET with no body, no finding says verified', async () => {
    const { key, unrestricted } = await pssOnlyKey();
    const url = 'https://play-api.qredo.network/api/v1/p/company';
    const xSign = nodeSign('sha256', Buffer.from(`1700000000${url}`), unrestricted).toString('base64url');
    const request: ParsedRequest = {
      source: 'curl',
      method: 'GET',
      url,
      headers: [
        ['x-timestamp', '1700000000'],
        ['x-sign', xSign],
      ],
      body: '',
      notes: [],
    };
    const r = one(await toRequestCheck(qredoScheme).verify({ request, keys: [key], nowMs: 1700000000_000 }));
    expect(r.signedBy).toBeUndefined();
    expect(r.findings.some((f) => f.check === 'signature' && f.severity === 'ok')).toBe(false);
  });

  it('Binance: an RSA signature made with PKCS#1 v1.5 by the same modulus is not verified with the PSS-only key', async () => {
    const { key, unrestricted } = await pssOnlyKey();
    const ts = 1668481559918;
    const query = 'symbol=BTCUSDT&side=SELL&type=LIMIT';
    const body = `timeInForce=GTC&quantity=1&price=0.2&timestamp=${ts}&recvWindow=5000`;
    const sig = nodeSign('sha256', Buffer.from(`${query}${body}`), unrestricted).toString('base64');
    const request: ParsedRequest = {
      source: 'curl',
      method: 'POST',
      url: `https://api.binance.com/api/v3/order?${query}`,
      headers: [
        ['X-MBX-APIKEY', 'k'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: `${body}&signature=${encodeURIComponent(sig)}`,
      notes: [],
    };
    const r = one(await binance.verify({ request, keys: [key], nowMs: ts + 1200 }));
    expect(r.signedBy).toBeUndefined();
    expect(decideRequest({ direction: 'none' }, r).state).toBe('failed');
  });
});

describe('key box: a public key written as JSON without kty, pasted as it is often copied, is not a secret unticked', () => {
  const { kty: _kty, ...bare } = nodeJwk(toolKey('rsa2048')) as Record<string, string>;
  const { kty: _k2, ...bareEc } = nodeJwk(toolKey('p256')) as Record<string, string>;
  const hs = { hmac: true, ticked: false, guess: true };
  const shapes: [string, string][] = [
    ['copied out of a JWKS with its trailing comma', `${JSON.stringify(bare, null, 2)},`],
    ['the keys member of a JWKS without its braces', `"keys": [${JSON.stringify(bareEc)}]`],
    ['a JSON string holding the JWK (an environment variable)', JSON.stringify(JSON.stringify(bare))],
    ['e written as a number', JSON.stringify({ n: bare.n, e: 65537 })],
  ];
  for (const [name, text] of shapes) {
    it(`${name}: refused, the tick helps`, async () => {
      expect(await decideKeyBox(text, hs)).toMatchObject({ read: 'refused', tickHelps: true });
      const box = await keysFromText(text, 'HS256', 'text');
      expect(box.candidates).toEqual([]);
      // Ticked, the user said it is the secret: it is.
      expect(await decideKeyBox(text, { ...hs, ticked: true })).toEqual({ read: 'secret' });
    });
  }
});

describe('Entra: a thumbprint padded with = is accepted only with the padding base64 adds', () => {
  const ENTRA = 'Microsoft Entra ID';
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
  const rsa = toolKey('rsa2048');
  const t = nodeThumbprints(rsa.certPem);
  const claims = {
    aud: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    iss: CLIENT,
    sub: CLIENT,
    jti: 'j-1',
    iat: NOW_S,
    exp: NOW_S + 600,
  };
  const typed = { clientId: CLIENT, tenant: TENANT, certificate: rsa.certPem };

  it("x5t + '=' (MSAL for Python) passes; x5t + '==' and x5t#S256 + '==' are not a thumbprint", async () => {
    const good = nodeJws('RS256', rsa.privateKey, claims, { x5t: `${t.x5t}=` });
    expect(failing(await runCard(ENTRA, good, typed))).toEqual({});
    const odd = nodeJws('RS256', rsa.privateKey, claims, { x5t: `${t.x5t}==` });
    const f = await runCard(ENTRA, odd, typed);
    expect(failing(f)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_MISSING' });
    expect(cardSummary(ENTRA, f, true).tone).toBe('bad');
    const odd256 = nodeJws('PS256', rsa.privateKey, claims, { 'x5t#S256': `${t.x5tS256}==` }, { pss: true });
    expect(failing(await runCard(ENTRA, odd256, typed))).toEqual({
      thumbprint: 'ERR_ASSERT_THUMBPRINT_MISSING',
    });
  });
});

describe('Entra: a token with both thumbprints is the certificate of each', () => {
  const ENTRA = 'Microsoft Entra ID';
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
  const rsa = toolKey('rsa2048');
  const t = nodeThumbprints(rsa.certPem);
  const other = nodeThumbprints(toolKey('rsa3072').certPem);
  const claims = {
    aud: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    iss: CLIENT,
    sub: CLIENT,
    jti: 'j-1',
    iat: NOW_S,
    exp: NOW_S + 600,
  };
  const typed = { clientId: CLIENT, tenant: TENANT, certificate: rsa.certPem };
  const sign = (header: Record<string, string>) =>
    nodeJws('PS256', rsa.privateKey, claims, header, { pss: true });

  it('x5t#S256 of the certificate with x5t of another: red, whichever one Entra reads', async () => {
    const f = await runCard(ENTRA, sign({ 'x5t#S256': t.x5tS256, x5t: other.x5t }), typed);
    expect(failing(f)).toEqual({ thumbprint: 'ERR_ASSERT_THUMBPRINT_OTHER_CERT' });
    expect(cardSummary(ENTRA, f, true).tone).toBe('bad');
  });

  it('both of the same certificate (as some libraries send): passes', async () => {
    expect(failing(await runCard(ENTRA, sign({ 'x5t#S256': t.x5tS256, x5t: t.x5t }), typed))).toEqual({});
  });
});

describe('Google: at the token endpoint the grant needs a scope (or target_audience for an ID token)', () => {
  const GOOGLE = 'Google service account';
  const email = 'sa@proj.iam.gserviceaccount.com';
  const rsa = toolKey('rsa2048');
  const token = (claims: Record<string, unknown>) =>
    nodeJws(
      'RS256',
      rsa.privateKey,
      { iss: email, aud: 'https://oauth2.googleapis.com/token', iat: NOW_S, exp: NOW_S + 3600, ...claims },
      { kid: 'k1' },
    );
  const typed = { email, keyId: 'k1' };

  it('aud = token endpoint with no scope and no target_audience: red', async () => {
    const f = await runCard(GOOGLE, token({}), typed);
    expect(failing(f)).toEqual({ aud: 'ERR_ASSERT_CLAIM_MISSING' });
    expect(cardSummary(GOOGLE, f, true).tone).toBe('bad');
    expect(failing(await runCard(GOOGLE, token({ scope: '  ' }), typed))).toEqual({
      aud: 'ERR_ASSERT_CLAIM_MISSING',
    });
  });

  it('with a scope, or a target_audience (an ID token), it passes', async () => {
    expect(
      failing(await runCard(GOOGLE, token({ scope: 'https://www.googleapis.com/auth/pubsub' }), typed)),
    ).toEqual({});
    expect(
      failing(await runCard(GOOGLE, token({ target_audience: 'https://svc.example.com' }), typed)),
    ).toEqual({});
  });
});

describe("the example's key is nobody's: no partner card trusts it", () => {
  it(
    'a token re-signed with the example key verifies, names the sample key, and its partner card is never green',
    { timeout: 30_000 },
    async () => {
      const { makeExample, EXAMPLE_KEY_LABEL } = await import('../../../src/lib/jwt/example');
      const { resignToken } = await import('../../../src/lib/jwt/resign');
      const { inspector } = await import('../../../src/state/inspector.svelte');
      const { tokenEditor } = await import('../../../src/state/token-editor.svelte');
      const { runTokenCard, tokenChecks } = await import('../../../src/lib/scheme/token');
      const ex = await makeExample(Date.now());
      tokenEditor.showExample(ex);
      const email = 'sa@proj.iam.gserviceaccount.com';
      const claims = {
        iss: email,
        aud: 'https://oauth2.googleapis.com/token',
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        iat: NOW_S,
        exp: NOW_S + 3600,
      };
      const r = await resignToken(
        JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }),
        JSON.stringify(claims),
        ex.signer,
      );
      inspector.token = r.token;
      await inspector.verify();
      expect(inspector.verdict?.state).toBe('verified');
      expect(inspector.verdict?.key?.label).toBe(EXAMPLE_KEY_LABEL);
      const card = await runTokenCard(await tokenChecks(), {
        token: inspector.decoded,
        verdict: inspector.verdict,
        nowMs: Date.now(),
        options: { 'client-assertion/google': { email, keyId: 'k1' } },
      });
      expect(card?.check.partnerName).toBe('Google service account');
      expect(card?.findings.filter((f) => f.code !== 'OK').map((f) => f.code)).toEqual([
        'ERR_ASSERT_UNVERIFIED',
      ]);
      expect(card?.summary.tone).toBe('warn');
    },
  );
});

describe('an imported id-RSASSA-PSS key signs only what its parameters allow', () => {
  it('a PSS key bound to SHA-512 gets no PS256 (SHA-256) twin; a plain RSA key does, non-extractable', async () => {
    const { importPrivateKey } = await import('../../../src/lib/keys/import');
    // Node's types call saltLength a string; Node takes a number.
    const bound = generateKeyPairSync('rsa-pss', {
      modulusLength: 2048,
      hashAlgorithm: 'sha512',
      mgf1HashAlgorithm: 'sha512',
      saltLength: 64,
    } as unknown as RSAPSSKeyPairKeyObjectOptions);
    const parsed = await parseKeyText(String(bound.privateKey.export({ type: 'pkcs8', format: 'pem' })));
    if (parsed.kind !== 'private') throw new Error('not a private key');
    const imported = await importPrivateKey(parsed);
    expect(imported.jwsAlg).toBe('PS512');
    expect(imported.pssPrivateKey).toBeUndefined();
    const plain = await parseKeyText(toolKey('rsa2048').privatePem);
    if (plain.kind !== 'private') throw new Error('not a private key');
    const twin = (await importPrivateKey(plain)).pssPrivateKey;
    expect(twin?.extractable).toBe(false);
    expect(twin?.algorithm.name).toBe('RSA-PSS');
  });
});

describe('re-sign in place signs the text shown, or nothing', () => {
  const secret = {
    kind: 'secret' as const,
    secret: new Uint8Array(Buffer.from('a shared secret for this test, long enough')),
  };
  it('a payload naming a member twice is not signed (the token would hold only the last one)', async () => {
    const { resignToken } = await import('../../../src/lib/jwt/resign');
    const r = await resignToken('{"alg":"HS256"}', '{"sub":"alice","admin":false,\n"admin":true}', secret);
    expect(r.signed).toBe(false);
    expect(r.token.endsWith('.')).toBe(true);
    if (!r.signed) expect(r.problem).toContain('admin');
    const h = await resignToken('{"alg":"HS256","alg":"none"}', '{"sub":"alice"}', secret);
    expect(h.signed).toBe(false);
  });

  it('a number JSON cannot hold exactly is not signed as another number', async () => {
    const { resignToken } = await import('../../../src/lib/jwt/resign');
    const r = await resignToken('{"alg":"HS256"}', '{"account":12345678901234567890}', secret);
    expect(r.signed).toBe(false);
    if (!r.signed) expect(r.problem).toContain('12345678901234567890');
  });
});

describe("a card compares a deciding rule only with what the user typed, never with a field's example default", () => {
  it('Coinbase: uris equal to the URL field’s default is not compared until a URL is typed', async () => {
    const { runTokenCard, tokenChecks } = await import('../../../src/lib/scheme/token');
    const { decodeToken } = await import('../../../src/lib/jwt/decode');
    const p256 = toolKey('p256');
    const name = 'organizations/o/apiKeys/k';
    const jwt = nodeJws(
      'ES256',
      p256.privateKey,
      {
        sub: name,
        iss: 'cdp',
        nbf: NOW_S,
        exp: NOW_S + 120,
        uris: ['GET api.cdp.coinbase.com/platform/v2/evm/accounts'],
      },
      { kid: name, nonce: '0123456789abcdef' },
    );
    const parsed = await parseKeyText(p256.publicPem);
    const verdict = {
      state: 'verified',
      key: { kind: 'public', label: 'my key', origin: 'pasted', spki: parsed.spki, type: parsed.type },
    } as never;
    const run = (typed: Record<string, string>) =>
      runTokenCard(PARTNER_CHECKS, {
        token: decodeToken(jwt),
        verdict,
        nowMs: NOW_S * 1000,
        options: { 'client-assertion/coinbase': typed },
      });
    const PARTNER_CHECKS = await tokenChecks();
    const open = await run({ keyName: name });
    expect(open?.check.partnerName).toBe('Coinbase CDP');
    expect(open?.findings.find((f) => f.check === 'uris')?.severity).toBe('unchecked');
    expect(open?.findings.find((f) => f.check === 'uris')?.detail).toContain('type URL on the card');
    expect(open?.summary.tone).toBe('warn');
    const typed = await run({ keyName: name, url: 'https://api.cdp.coinbase.com/platform/v2/evm/accounts' });
    expect(typed?.findings.filter((f) => f.code !== 'OK')).toEqual([]);
    expect(typed?.summary.tone).toBe('ok');
  });
});
