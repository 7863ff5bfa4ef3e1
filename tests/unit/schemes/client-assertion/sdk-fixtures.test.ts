// Tokens made by the partners' own SDKs (tests/fixtures/assertions, made by the scripts in make/):
// each verifies in keybench with the key the user stored as theirs, and the partner's card says what
// the partner says: green for what it accepts, the named error for each refusal it documents. The
// card gets the stored certificate (as a trusted key's certificates), never a pasted one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../../src/lib/errors';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import { keysFromText } from '../../../../src/lib/jwt/candidates';
import { verifyToken, type VerificationKey } from '../../../../src/lib/jwt/verify';
import { parseKeyText } from '../../../../src/lib/keys/parse';
import { rulesFor } from '../../../../src/lib/schemes/client-assertion/rules';
import { AUTO, runTokenCard, tokenChecks } from '../../../../src/lib/scheme/token';
import type { TrustedKeyInfo } from '../../../../src/lib/scheme/contract';

/** One fixture file, as the generators write it. */
interface Fixture {
  name: string;
  sdk: string;
  sdkVersion: string;
  language: 'python' | 'javascript';
  partner: string;
  description: string;
  token: string;
  publicKeyPem: string;
  certificatePem?: string;
  nowMs: number;
  options: Record<string, string>;
  expect: 'accept' | { code: ErrorCode };
}

const DIR = join(__dirname, '../../../fixtures/assertions');
const fixtures: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({
    ...(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Omit<Fixture, 'name'>),
    name: f.replace(/\.json$/, ''),
  }));
const accepted = fixtures.filter((f) => f.expect === 'accept');

/** The key as the user stored it (Keys → import, owner Mine), and its certificate's DER. */
async function storedKey(f: Fixture) {
  const parsed = await parseKeyText(f.publicKeyPem);
  if (parsed.kind !== 'public') throw new Error(`${f.name}: publicKeyPem is not a public key`);
  const key: VerificationKey = {
    kind: 'public',
    label: `${f.sdk} key`,
    origin: 'stored',
    owner: 'mine',
    spki: parsed.spki,
    type: parsed.type,
  };
  const info: TrustedKeyInfo = { label: key.label, spki: parsed.spki };
  if (f.certificatePem) {
    const cert = await parseKeyText(f.certificatePem);
    if (cert.kind !== 'public' || !cert.certificate) throw new Error(`${f.name}: not a certificate`);
    expect(cert.spki).toEqual(parsed.spki);
    info.certificates = [cert.certificate];
  }
  return { key, info };
}

/** The inspector's verdict on the fixture's token and the partner card it makes. */
async function inspect(f: Fixture, choice: string = f.partner) {
  const { key, info } = await storedKey(f);
  const token = decodeToken(f.token);
  const verdict = await verifyToken(token, [key]);
  const card = await runTokenCard(await tokenChecks(), {
    token,
    verdict,
    nowMs: f.nowMs,
    trustedKeys: [info],
    options: { [f.partner]: f.options },
    choice,
  });
  return { verdict, card };
}

/** Findings at severity error, as "check: CODE" (what a failure message should show). */
function errors(findings: readonly { check: string; code: string; severity: string }[]): string[] {
  return findings.filter((x) => x.severity === 'error').map((x) => `${x.check}: ${x.code}`);
}

describe('SDK fixtures: what they hold', () => {
  it('are there, each for a known partner, with no private key', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    for (const f of fixtures) {
      expect(rulesFor(f.partner), f.name).toBeDefined();
      expect(f.token.split('.'), f.name).toHaveLength(3);
      expect(Number.isSafeInteger(f.nowMs), f.name).toBe(true);
      expect(JSON.stringify(f), f.name).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('give every partner an accepted token and a documented refusal, from SDKs in two languages', () => {
    const partners = new Set(fixtures.map((f) => f.partner));
    for (const p of partners) {
      const mine = fixtures.filter((f) => f.partner === p);
      expect(
        mine.some((f) => f.expect === 'accept'),
        p,
      ).toBe(true);
      expect(
        mine.some((f) => f.expect !== 'accept'),
        p,
      ).toBe(true);
    }
    expect(new Set(fixtures.map((f) => f.language))).toEqual(new Set(['python', 'javascript']));
  });
});

describe.each(fixtures)('$name ($sdk $sdkVersion)', (f) => {
  it('verifies with the stored key (owner Mine)', async () => {
    const { verdict } = await inspect(f);
    expect(verdict.state, verdict.message).toBe('verified');
  });

  if (f.expect === 'accept') {
    it(`passes the ${f.partner} card: no error, green`, async () => {
      const { card } = await inspect(f);
      expect(card?.check.id).toBe(f.partner);
      expect(errors(card!.findings)).toEqual([]);
      expect(card!.summary.tone).toBe('ok');
    });
  } else {
    const code = f.expect.code;
    it(`fails the ${f.partner} card with ${code} (an error)`, async () => {
      const { card } = await inspect(f);
      expect(card?.check.id).toBe(f.partner);
      expect(errors(card!.findings)).toContainEqual(expect.stringMatching(new RegExp(`: ${code}$`)));
      expect(card!.summary.tone).toBe('bad');
    });
  }
});

describe('SDK fixtures the partner accepts: the inspector picks the partner by itself', () => {
  it.each(accepted.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const { card } = await inspect(f, AUTO);
    expect(card?.check.id).toBe(f.partner);
  });
});

describe('a certificate pasted as the verification key is a known value, like a stored one', () => {
  const withCert = fixtures.filter((f) => f.certificatePem && f.partner === 'client-assertion/entra');

  it.each(withCert.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const token = decodeToken(f.token);
    const box = await keysFromText(f.certificatePem!, token.header?.alg as string, 'text');
    expect(box.candidates[0]?.kind === 'public' && box.candidates[0].certificate).toBeTruthy();
    const verdict = await verifyToken(token, box.candidates);
    expect(verdict.state, verdict.message).toBe('verified');
    // No stored key at all: only the pasted certificate can give the thumbprint to compare.
    const card = await runTokenCard(await tokenChecks(), {
      token,
      verdict,
      nowMs: f.nowMs,
      trustedKeys: [],
      options: { [f.partner]: f.options },
      choice: f.partner,
    });
    const thumb = card!.findings.find((x) => x.check === 'thumbprint');
    if (f.expect === 'accept') {
      expect(thumb?.severity, thumb?.detail).toBe('ok');
      expect(card!.summary.tone).toBe('ok');
    } else {
      expect(card!.summary.tone).toBe('bad');
    }
  });
});
