// Partner profiles are data: these tests hold every profile file to the same rules, and hold the
// rest of keybench (key generation, the request doctor, the Sign view's schemes) to the profiles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTNER_PROFILES, partnerById, profileOfScheme } from '../../../src/lib/partners/profiles';
import { pairServes, profileAccepts, type PartnerProfile } from '../../../src/lib/partner-profile';
import { generateKeyPair } from '../../../src/lib/keys/generate';
import { ENCRYPTION_KEY_SPEC, KEY_SPECS, PROFILE_KEY_SPECS } from '../../../src/lib/keys/key-specs';
import { keyTypeOf } from '../../../src/lib/keys/key-type';
import { examineRequest } from '../../../src/lib/scheme/doctor';
import type { SchemeId } from '../../../src/lib/request/types';
import { SCHEMES } from '../../../src/lib/scheme/registry';
import { plain } from '../../../src/lib/rich';
import { codesOf } from '../../../src/lib/schemes/client-assertion/evaluate';
import { rulesFor } from '../../../src/lib/schemes/client-assertion/rules';
import { PARTNER_OWNERS } from '../../../src/lib/trust/owner';
import { PARTNER_NAMES } from '../../../src/lib/partners/profiles';

const partnersDir = join(import.meta.dirname, '../../../src/lib/partners');

describe('the profile registry', () => {
  it('holds every *.profile.ts file of src/lib/partners, in order, with unique ids, names and orders', () => {
    const files = readdirSync(partnersDir).filter((f) => f.endsWith('.profile.ts'));
    expect(PARTNER_PROFILES.map((p) => `${p.id}.profile.ts`).sort()).toEqual(files.sort());
    expect(PARTNER_PROFILES.map((p) => p.id)).toEqual([
      'qredo',
      'qitech',
      'binance',
      'snowflake',
      // client assertions
      'entra',
      'okta',
      'auth0',
      'google',
      'salesforce',
      // exchanges and banks whose scheme is one declarative file
      'bybit',
      'kalshi',
      'truelayer',
      // message-level encryption
      'visa',
      'cybersource',
      'mastercard',
    ]);
    for (const key of ['id', 'name', 'order'] as const)
      expect(new Set(PARTNER_PROFILES.map((p) => p[key])).size).toBe(PARTNER_PROFILES.length);
    expect(partnerById('snowflake')?.name).toBe('Snowflake');
    expect(partnerById('nobody')).toBeUndefined();
  });

  it("the first paint's list of owners (trust/owner.ts) is the profiles' ids, in order; a partner's name in a sentence is its profile's name or that name's first words", () => {
    // The owners load without the profiles (the key cards paint before them): they are held here.
    expect([...PARTNER_OWNERS]).toEqual([...PARTNER_PROFILES].map((p) => p.id));
    expect(Object.keys(PARTNER_NAMES).sort()).toEqual(PARTNER_PROFILES.map((p) => p.id).sort());
    // A sentence names the company ("Qredo's key"); a tab the product ("Qredo Partner API").
    const mismatched = PARTNER_PROFILES.filter(
      (p) => p.name !== PARTNER_NAMES[p.id] && !p.name.startsWith(`${PARTNER_NAMES[p.id]} `),
    ).map((p) => `${p.id}: ${PARTNER_NAMES[p.id]} / ${p.name}`);
    expect(mismatched).toEqual([]);
  });

  it('every request scheme a profile lists belongs to exactly one profile (its requests go to that partner); every listed scheme has a folder', () => {
    const doctorSchemes: SchemeId[] = [
      'qredo',
      'qit-v1',
      'qit-v2',
      'qi-dtvm',
      'binance',
      'bybit',
      'kalshi',
      'truelayer',
    ];
    for (const id of doctorSchemes) expect(profileOfScheme(id)?.schemes).toContain(id);
    const all = PARTNER_PROFILES.flatMap((p) => p.schemes);
    // A token scheme may serve several partners (client assertions: one rules file each); a request
    // scheme may not, or the doctor could not say whose request it is.
    const requests = all.filter((id) => SCHEMES.get(id)?.kind === 'request');
    expect(new Set(requests).size).toBe(requests.length);
    expect(requests.sort()).toEqual([...doctorSchemes].sort());
    for (const id of all) expect(SCHEMES.get(id)?.id, id).toBe(id);
    // A standard no partner owns: its requests are verified with any key the user trusts.
    expect(profileOfScheme('rfc9421')).toBeUndefined();
    expect(profileOfScheme('nope')).toBeUndefined();
  });
});

describe.each(PARTNER_PROFILES.map((p) => [p.name, p] as const))(
  'profile %s',
  (_name, profile: PartnerProfile) => {
    it('generates only key types it accepts (real WebCrypto keys), the suggested one first', async () => {
      expect(profile.generate.length).toBeGreaterThan(0);
      for (const spec of profile.generate) {
        expect([...KEY_SPECS, ...PROFILE_KEY_SPECS, ENCRYPTION_KEY_SPEC].map((s) => s.id)).toContain(spec);
        const pair = await generateKeyPair(spec);
        expect(profileAccepts(profile, keyTypeOf(pair.publicKey)), spec).toBe(true);
      }
    });

    it('has a checklist with a generate and an upload step, and says where the key goes', () => {
      const actions = profile.checklist.map((s) => s.action);
      expect(actions).toContain('generate');
      expect(actions).toContain('upload');
      expect(profile.upload.where.length).toBeGreaterThan(10);
      expect(profile.fingerprint.where.length).toBeGreaterThan(10);
      if (profile.upload.fileName !== null) expect(profile.upload.fileName).toMatch(/^[A-Za-z0-9._-]+$/);
    });

    it("lists exactly the partner's mistakes the doctor or checker can name (no more, no fewer)", () => {
      // Which module names this partner's mistakes, and the prefix of their codes.
      const where = {
        // Qredo's scheme is one folder: every file in it.
        qredo: [
          readdirSync(join(partnersDir, '../schemes/qredo')).map((f) => `../schemes/qredo/${f}`),
          'ERR_QREDO_',
        ],
        qitech: [
          // One folder, three variants (the response check is the Sign view's, not the doctor's).
          ['../schemes/qitech/scheme.ts', '../schemes/qitech/v1.ts', '../schemes/qitech/token.ts'],
          'ERR_QIT_',
        ],
        snowflake: [
          ['account.ts', 'token-check.ts', 'rules.ts', 'sign.ts'].map((f) => `../schemes/snowflake-jwt/${f}`),
          'ERR_SNOWFLAKE_',
        ],
        // Message-level encryption: what decrypting a partner's JWE can name.
        visa: [['../jwe/decrypt.ts'], 'ERR_JWE_'],
        cybersource: [['../jwe/decrypt.ts'], 'ERR_JWE_'],
        mastercard: [['../jwe/decrypt.ts'], 'ERR_JWE_'],
      } as const;
      // A declarative scheme (scheme.ts) declares its mistakes itself: its profile lists none.
      if (profile.mistakes === undefined) {
        expect(profile.schemes.every((s) => existsSync(join(partnersDir, `../schemes/${s}/scheme.ts`)))).toBe(
          true,
        );
        return;
      }
      const codes = profile.mistakes.map((m) => m.code);
      if (!(profile.id in where)) {
        // Client-assertion partners: exactly the codes their card's rules can name.
        const rules = rulesFor(profile.id);
        expect(rules, profile.id).toBeDefined();
        expect(new Set(codes).size).toBe(codes.length);
        expect([...codes].sort()).toEqual(codesOf(rules!));
        for (const m of profile.mistakes!) expect(m.title.length, m.code).toBeGreaterThan(5);
        return;
      }
      const [files, prefix] = where[profile.id as keyof typeof where];
      const named = new Set(
        files.flatMap((f) =>
          [
            ...readFileSync(join(partnersDir, f), 'utf8').matchAll(
              new RegExp(`'(${prefix}[A-Z0-9_]+)'`, 'g'),
            ),
          ].map((m) => m[1]!),
        ),
      );
      expect(new Set(codes).size).toBe(codes.length);
      expect([...codes].sort()).toEqual([...named].sort());
      for (const m of profile.mistakes!) expect(m.title.length, m.code).toBeGreaterThan(5);
    });
  },
);

describe('which partners a key pair can serve', () => {
  it.each([
    [
      'rsa-2048',
      ['qredo', 'binance', 'snowflake', 'entra', 'okta', 'auth0', 'google', 'salesforce', 'bybit', 'kalshi'],
    ],
    ['p-521', ['qitech', 'okta', 'truelayer']],
    ['ed25519', ['binance']],
    ['rsa-oaep-2048', ['visa', 'cybersource', 'mastercard']],
  ] as const)('a %s pair serves %j', async (spec, partners) => {
    const pair = await generateKeyPair(spec);
    const type = keyTypeOf(pair.publicKey);
    expect(PARTNER_PROFILES.filter((p) => profileAccepts(p, type)).map((p) => p.id)).toEqual(partners);
  });

  it('an RSA-4096 key serves Binance and Snowflake, not Qredo (RSA-2048 only); a P-256 key serves only Okta', () => {
    const served = (type: Parameters<typeof profileAccepts>[1]) =>
      PARTNER_PROFILES.filter((p) => profileAccepts(p, type)).map((p) => p.id);
    expect(served({ kty: 'RSA', bits: 4096 })).toEqual([
      'binance',
      'snowflake',
      'entra',
      'okta',
      'auth0',
      'salesforce',
      'bybit',
      'kalshi',
    ]);
    expect(served({ kty: 'RSA', bits: 1024 })).toEqual([]);
    expect(served({ kty: 'EC', curve: 'P-256' })).toEqual(['okta']);
  });
});

describe('which partners a stored RSA pair can sign for (WebCrypto ties a key to PSS or PKCS#1 v1.5)', () => {
  it('a generated PKCS#1 pair serves Bybit, not Kalshi; a PSS pair Kalshi and Entra, not Bybit; a pair imported for both, each', async () => {
    const served = (key: Parameters<typeof pairServes>[1]) =>
      ['bybit', 'kalshi', 'entra'].filter((id) => pairServes(partnerById(id)!, key));
    const pkcs1 = await generateKeyPair('rsa-2048');
    const pss = await generateKeyPair('rsa-pss-2048');
    expect(served(pkcs1)).toEqual(['bybit', 'entra']);
    expect(served(pss)).toEqual(['kalshi', 'entra']);
    expect(served({ ...pkcs1, pssPrivateKey: pss.privateKey })).toEqual(['bybit', 'kalshi', 'entra']);
    // A public key alone is told by its type.
    expect(served({ publicKey: pkcs1.publicKey })).toEqual(['bybit', 'kalshi', 'entra']);
  });
});

describe('the request doctor lists the profiles when a request carries no known signature', () => {
  it('names each profile and what it looks for', async () => {
    const exam = await examineRequest(
      "curl -H 'x-foo: 1' https://api.example.com/v1/x",
      async () => [],
      Date.now(),
    );
    expect(exam?.kind).toBe('error');
    const text = exam && 'parts' in exam ? plain(exam.parts) : '';
    for (const p of PARTNER_PROFILES) {
      expect(text).toContain(p.name);
      for (const s of p.schemes) expect(text).toContain(SCHEMES.get(s)!.recognisedBy);
    }
    for (const m of SCHEMES.values()) {
      if (m.kind === 'request') expect(text).toContain(m.recognisedBy);
    }
  });
});
