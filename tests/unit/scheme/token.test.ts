/**
 * The token half of the engine: one card summary for every partner, green only
 * beside a signature a trusted key verified; a key the token carries (x5c, jwk) never counts;
 * "Check as" overrides recognition. Real WebCrypto throughout (verdicts from the inspector's code).
 */
import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeToken, type DecodedToken } from '../../../src/lib/jwt/decode';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import type { Verdict } from '../../../src/lib/jwt/verify';
import { ok, problem } from '../../../src/lib/trust/finding';
import { cardSummary } from '../../../src/lib/trust/card';
import {
  AUTO,
  pickTokenCheck,
  runTokenCard,
  signatureFacts,
  tokenChecks,
} from '../../../src/lib/scheme/token';
import { defineTokenCheck, type TokenCheck } from '../../../src/lib/scheme/contract';
import { nodeJwk, nodeJws, toolKey } from '../support/jwt-helpers';

const warn = problem('w', 'ERR_SNOWFLAKE_FINGERPRINT', 'warning', 'W', 'a warning');
const err = problem('e', 'ERR_SNOWFLAKE_CASE', 'error', 'E', 'an error');
const pass = ok('p', 'P', 'fine');

describe('cardSummary: the words of every partner card', () => {
  it('names the partner, counts failures and warnings', () => {
    expect(cardSummary('Okta', [pass], true)).toEqual({ text: 'All Okta checks pass.', tone: 'ok' });
    expect(cardSummary('Okta', [pass, warn], true)).toEqual({
      text: 'No Okta check fails; 1 warning.',
      tone: 'ok',
    });
    expect(cardSummary('Okta', [warn, warn], true).text).toBe('No Okta check fails; 2 warnings.');
    expect(cardSummary('Microsoft Entra ID', [err], true)).toEqual({
      text: '1 Microsoft Entra ID check fails.',
      tone: 'bad',
    });
    expect(cardSummary('Okta', [err, err, warn], false)).toEqual({
      text: '2 Okta checks fail.',
      tone: 'bad',
    });
  });

  it('is green only when a trusted key verified the signature, and otherwise says so', () => {
    for (const findings of [[pass], [pass, warn], []]) {
      const s = cardSummary('Apple', findings, false);
      expect(s.tone).toBe('warn');
      expect(s.text).toContain('no key you trust verified the signature');
      expect(s.text).toContain('nothing about whether Apple accepts the token');
      expect(cardSummary('Apple', findings, true).tone).toBe('ok');
    }
  });
});

/** A Snowflake key-pair JWT signed with `k`, with its fingerprint in iss, and an x5c header if asked. */
function snowflakeToken(k: ReturnType<typeof toolKey>, header: Record<string, unknown> = {}): string {
  const der = createPublicKey(k.publicPem).export({ type: 'spki', format: 'der' });
  const fp = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  const now = Math.floor(Date.now() / 1000);
  return nodeJws(
    'RS256',
    k.privateKey,
    { iss: `XY12345.JSMITH.${fp}`, sub: 'XY12345.JSMITH', iat: now, exp: now + 600 },
    header,
  );
}

function certBase64(pem: string): string {
  return pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
}

/** The account and user typed on the card: without them the card is amber (not compared). */
const TYPED = { 'snowflake-jwt': { account: 'xy12345', user: 'jsmith' } };

async function card(decoded: DecodedToken, verdict: Verdict | null, choice?: string) {
  return runTokenCard(await tokenChecks(), {
    token: decoded,
    verdict,
    nowMs: Date.now(),
    choice,
    options: TYPED,
  });
}

describe('runTokenCard with the registry (Snowflake)', () => {
  const k = toolKey('rsa2048');

  it('the registry finds the Snowflake token check lazily; token check ids are unique', async () => {
    const checks = await tokenChecks();
    expect(checks.map((c) => c.id)).toContain('snowflake-jwt');
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  it('green with the key the user pasted, which verified it', async () => {
    const decoded = decodeToken(snowflakeToken(k));
    const box = await keysFromText(k.publicPem, 'RS256', 'text');
    const verdict = await verdictFor(decoded, box, []);
    expect(verdict.state).toBe('verified');
    const c = await card(decoded, verdict);
    expect(c?.check.id).toBe('snowflake-jwt');
    expect(c?.chosen).toBe(false);
    expect(c?.summary).toEqual({ text: 'All Snowflake checks pass.', tone: 'ok' });
  });

  it('a token that only its own x5c certificate verifies is never green, nor is its key trusted', async () => {
    const decoded = decodeToken(snowflakeToken(k, { x5c: [certBase64(k.certPem)] }));
    const verdict = await verdictFor(decoded, null, []);
    expect(verdict.state).toBe('embedded');
    const c = await card(decoded, verdict);
    expect(c?.summary.tone).toBe('warn');
    expect(c?.summary.text).toContain('no key you trust verified the signature');
    // The certificate's key is not a trusted key: the fingerprint matches none the user trusts.
    expect(c?.findings.find((f) => f.check === 'fingerprint')?.detail).toContain('No trusted key');
  });

  it('a "verified" verdict whose key the token carries counts as unverified (defence in depth)', async () => {
    const decoded = decodeToken(snowflakeToken(k, { x5c: [certBase64(k.certPem)] }));
    const embedded = await verdictFor(decoded, null, []);
    const forged: Verdict = { ...embedded, state: 'verified', verified: true };
    expect(signatureFacts(forged)).toEqual({ signatureVerified: false });
    const c = await card(decoded, forged);
    expect(c?.summary.tone).not.toBe('ok');
    expect(c?.findings.find((f) => f.check === 'fingerprint')?.severity).not.toBe('ok');
  });

  it("a stored key that is a partner's, or has no owner set, does not make the card green: the token is made with your own key", async () => {
    const decoded = decodeToken(snowflakeToken(k));
    const box = await keysFromText(k.publicPem, 'RS256', 'text');
    const pasted = await verdictFor(decoded, box, []);
    const key = pasted.key!;
    expect(key.kind).toBe('public');
    const as = (owner: 'mine' | 'snowflake' | undefined): Verdict => ({
      ...pasted,
      key: { ...(key as Extract<typeof key, { kind: 'public' }>), origin: 'stored', owner },
    });
    expect(signatureFacts(as('mine')).signatureVerified).toBe(true);
    expect(signatureFacts(as('snowflake'))).toEqual({ signatureVerified: false });
    expect(signatureFacts(as(undefined))).toEqual({ signatureVerified: false });
    expect((await card(decoded, as('snowflake')))?.summary.tone).toBe('warn');
    expect((await card(decoded, as('mine')))?.summary.tone).toBe('ok');
  });

  it('a key of a pasted JWKS that a kid-selecting server would not pick (kid-mismatch): never green', async () => {
    const decoded = decodeToken(snowflakeToken(k, { kid: 'the-one-in-the-token' }));
    const jwks = JSON.stringify({ keys: [nodeJwk(k, { kid: 'another-kid', alg: 'RS256' })] });
    const verdict = await verdictFor(decoded, await keysFromText(jwks, 'RS256', 'text'), []);
    expect(verdict.state).toBe('kid-mismatch');
    expect(verdict.key).toBeDefined();
    expect(signatureFacts(verdict)).toEqual({ signatureVerified: false });
    expect((await card(decoded, verdict))?.summary.tone).toBe('warn');
  });

  it('no verdict, or a failed one: never green', async () => {
    const decoded = decodeToken(snowflakeToken(k));
    expect((await card(decoded, null))?.summary.tone).toBe('warn');
    const failed = await verdictFor(
      decoded,
      await keysFromText(toolKey('rsa3072').publicPem, 'RS256', 'text'),
      [],
    );
    expect(failed.state).toBe('failed');
    expect((await card(decoded, failed))?.summary.tone).toBe('warn');
  });

  it('"Check as" Snowflake runs its rules on a token nothing recognises', async () => {
    const decoded = decodeToken(nodeJws('RS256', k.privateKey, { iss: 'someone', sub: 'x' }));
    expect(await card(decoded, null)).toBeNull();
    const c = await card(decoded, null, 'snowflake-jwt');
    expect(c?.chosen).toBe(true);
    expect(c?.check.partnerName).toBe('Snowflake');
    expect(c?.findings.find((f) => f.check === 'iss-shape')?.code).toBe('ERR_SNOWFLAKE_CLAIMS_SHAPE');
    expect(c?.summary.tone).toBe('bad');
  });

  it('the expected account and user typed on the card are checked, normalised', async () => {
    const decoded = decodeToken(snowflakeToken(k));
    const checks = await tokenChecks();
    const run = (account: string, user: string) =>
      runTokenCard(checks, {
        token: decoded,
        verdict: null,
        nowMs: Date.now(),
        options: { 'snowflake-jwt': { account, user } },
      });
    const same = await run('https://xy12345.us-east-1.snowflakecomputing.com', ' jsmith ');
    expect(same?.findings.filter((f) => f.check.endsWith('-expected')).map((f) => f.code)).toEqual([
      'OK',
      'OK',
    ]);
    const other = await run('myorg.other', 'JSMITH');
    const account = other?.findings.find((f) => f.check === 'account-expected');
    expect(account?.code).toBe('ERR_SNOWFLAKE_OTHER_PRINCIPAL');
    expect(account?.detail).toContain('MYORG-OTHER');
    // Nothing typed: not compared, so never green even beside a verified signature.
    const none = await run('', '');
    expect(none?.findings.filter((f) => f.check.endsWith('-expected')).map((f) => f.severity)).toEqual([
      'unchecked',
      'unchecked',
    ]);
    const box = await keysFromText(k.publicPem, 'RS256', 'text');
    const verified = await verdictFor(decoded, box, []);
    const open = await runTokenCard(checks, { token: decoded, verdict: verified, nowMs: Date.now() });
    expect(open?.summary.tone).toBe('warn');
    expect(open?.summary.text).toContain('not compared (Account, User)');
  });
});

describe('pickTokenCheck', () => {
  const make = (id: string, n: number | (() => number)): TokenCheck =>
    defineTokenCheck({
      id,
      partnerName: id,
      recognise: typeof n === 'number' ? () => n : n,
      options: [],
      check: () => [],
    });
  const token = decodeToken(nodeJws('RS256', toolKey('rsa2048').privateKey, { sub: 'x' }));

  it('the highest recognition wins, the first on a tie; 0, NaN or a throw never', () => {
    const checks = [
      make('a', 1),
      make('b', 2),
      make('c', 2),
      make('d', NaN),
      make('e', () => {
        throw new Error('boom');
      }),
    ];
    expect(pickTokenCheck(checks, token)?.check.id).toBe('b');
    expect(pickTokenCheck([make('a', 0), checks[3]!, checks[4]!], token)).toBeNull();
  });

  it('"Check as" overrides recognition; an unknown choice falls back to it', () => {
    const checks = [make('a', 1), make('b', 2)];
    expect(pickTokenCheck(checks, token, 'a')).toMatchObject({ check: { id: 'a' }, chosen: true });
    expect(pickTokenCheck([make('z', 0)], token, 'z')).toMatchObject({ check: { id: 'z' }, chosen: true });
    expect(pickTokenCheck(checks, token, 'nope')).toMatchObject({ check: { id: 'b' }, chosen: false });
    expect(pickTokenCheck(checks, token, AUTO)).toMatchObject({ check: { id: 'b' }, chosen: false });
  });
});
