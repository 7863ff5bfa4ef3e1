import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePem } from '../../../../src/lib/encoding/pem';
import { isKeybenchError } from '../../../../src/lib/errors';
import { decodeToken } from '../../../../src/lib/jwt/decode';
import { signJws } from '../../../../src/lib/jwt/sign';
import type { Finding } from '../../../../src/lib/trust/finding';
import { plain } from '../../../../src/lib/rich';
import {
  normaliseAccount,
  normaliseUser,
  snowflakeIdentifier,
} from '../../../../src/lib/schemes/snowflake-jwt/account';
import { cardSummary } from '../../../../src/lib/trust/card';
import {
  alterUserStatement,
  signSnowflakeJwt,
  snowflakeAccountHost,
  snowflakeClaims,
  snowflakeCurl,
  snowflakeFingerprint,
  snowflakeHeaders,
  type SnowflakeClaims,
} from '../../../../src/lib/schemes/snowflake-jwt/sign';
import snowflakeCheck from '../../../../src/lib/schemes/snowflake-jwt/token-check';
import { openssl, tempDir, vector, vectorPath, writeTemp } from '../../support/helpers';

/** The pipeline Snowflake's docs give, run by the shell on a public key PEM file. */
function opensslFingerprint(publicPemPath: string): string {
  const b64 = execFileSync(
    'sh',
    [
      '-c',
      'openssl pkey -pubin -in "$1" -outform DER | openssl dgst -sha256 -binary | base64',
      'sh',
      publicPemPath,
    ],
    { encoding: 'utf8' },
  ).trim();
  return `SHA256:${b64}`;
}

function spkiOf(pem: string): Uint8Array<ArrayBuffer> {
  const block = parsePem(pem).find((b) => b.label === 'PUBLIC KEY');
  if (!block) throw new Error('no PUBLIC KEY block');
  return block.der;
}

function pkcs8Of(pem: string): Uint8Array<ArrayBuffer> {
  const block = parsePem(pem).find((b) => b.label === 'PRIVATE KEY');
  if (!block) throw new Error('no PRIVATE KEY block');
  return block.der;
}

/** A non-extractable RS256 signing key from PKCS#8 PEM, as keybench holds stored keys. */
async function importRs256(pkcs8Pem: string): Promise<CryptoKey> {
  const key = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8Of(pkcs8Pem),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  expect(key.extractable).toBe(false);
  return key;
}

const qredoPublic = vector('qredo', 'public.pem');
const qredoPrivate = vector('qredo', 'private.pkcs8.pem');

/** A second RSA pair made by node:crypto. */
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

/** The Snowflake card's summary (trust/card.ts, the same for every partner card). */
function snowflakeSummary(findings: readonly Finding[], signatureVerified: boolean) {
  return cardSummary('Snowflake', findings, signatureVerified);
}

const jsonB64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The claims as a token the inspector decoded (header `{alg, typ}`; the signature is not read). */
function tokenOf(claims: Record<string, unknown>, alg: unknown) {
  return decodeToken(`${jsonB64({ alg, typ: 'JWT' })}.${jsonB64(claims)}.c2ln`);
}

/** The public keys the tests trust, by their Snowflake fingerprint. */
const SPKI_BY_PRINT = new Map<string, Uint8Array<ArrayBuffer>>(
  await Promise.all(
    [spkiOf(qredoPublic), spkiOf(other.publicKey)].map(
      async (spki) => [await snowflakeFingerprint(spki), spki] as const,
    ),
  ),
);

function spkiByPrint(fingerprint: string): Uint8Array<ArrayBuffer> {
  const spki = SPKI_BY_PRINT.get(fingerprint);
  if (!spki) throw new Error(`no test key has the fingerprint ${fingerprint}`);
  return spki;
}

/** A trusted key by its Snowflake fingerprint (one of the test keys). `label` is untrusted. */
interface KeyPrint {
  label: string;
  fingerprint: string;
}

/**
 * The Snowflake card's findings for these claims, as the inspector's token check makes them: the
 * trusted keys, the one that verified the signature (`signedBy`), the header's alg, the clock, its
 * skew setting and the account and user typed on the card (`expected`).
 */
async function checkSnowflakeJwt(
  claims: Record<string, unknown>,
  opts: {
    keyFingerprints: KeyPrint[];
    nowSec: number;
    signedBy?: KeyPrint;
    alg: unknown;
    skewSec?: number;
    expected?: { account?: string; user?: string };
  },
): Promise<Finding[]> {
  const signer = opts.signedBy;
  return snowflakeCheck.check({
    token: tokenOf(claims, opts.alg),
    signatureVerified: signer !== undefined,
    ...(signer
      ? {
          verifiedBy: {
            kind: 'public' as const,
            label: signer.label,
            origin: 'stored' as const,
            spki: spkiByPrint(signer.fingerprint),
            type: { kty: 'RSA' } as never,
          },
        }
      : {}),
    nowMs: opts.nowSec * 1000,
    ...(opts.skewSec === undefined ? {} : { skewSec: opts.skewSec }),
    options: { account: opts.expected?.account ?? '', user: opts.expected?.user ?? '' },
    trustedKeys: opts.keyFingerprints.map((k) => ({ label: k.label, spki: spkiByPrint(k.fingerprint) })),
  });
}

/** What recognition says of these claims (the card's recognise from its rules). */
function looksLikeSnowflakeJwt(claims: Record<string, unknown>): boolean {
  return snowflakeCheck.recognise(tokenOf(claims, 'RS256')) > 0;
}

/**
 * The codes of the findings that are not OK. The account and user nobody typed are `unchecked`
 * (they keep the card amber; tested on their own below), so they are left out here.
 */
function codesOf(findings: Finding[]): string[] {
  return findings
    .filter((f) => f.severity !== 'unchecked')
    .map((f) => f.code)
    .filter((c) => c !== 'OK');
}

function byCheck(findings: Finding[], check: string): Finding | undefined {
  return findings.find((f) => f.check === check);
}

describe('snowflakeFingerprint equals the openssl pipeline', () => {
  it('the shared Qredo fixture', async () => {
    expect(await snowflakeFingerprint(spkiOf(qredoPublic))).toBe(
      opensslFingerprint(vectorPath('qredo', 'public.pem')),
    );
  });

  it('a key made by openssl genrsa', async () => {
    const dir = tempDir();
    const priv = writeTemp(dir, 'rsa.pem', openssl(['genrsa', '2048']));
    const pubPem = openssl(['pkey', '-in', priv, '-pubout']);
    const pub = writeTemp(dir, 'rsa.pub', pubPem);
    const fp = await snowflakeFingerprint(spkiOf(pubPem));
    expect(fp).toBe(opensslFingerprint(pub));
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
  });

  it('a key made by node:crypto', async () => {
    const pub = writeTemp(tempDir(), 'node.pub', other.publicKey);
    expect(await snowflakeFingerprint(spkiOf(other.publicKey))).toBe(opensslFingerprint(pub));
  });
});

describe('alterUserStatement', () => {
  const spki = spkiOf(qredoPublic);
  const body = qredoPublic.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');

  it('slot 1 and slot 2 carry the SPKI base64 body, no armour, no newlines', () => {
    expect(alterUserStatement('jsmith', spki, 1)).toBe(`ALTER USER jsmith SET RSA_PUBLIC_KEY='${body}';`);
    expect(alterUserStatement('jsmith', spki, 2)).toBe(`ALTER USER jsmith SET RSA_PUBLIC_KEY_2='${body}';`);
    expect(alterUserStatement('jsmith', spki, 1)).not.toMatch(/\n|-----/);
  });

  it.each([
    ['jsmith', 'jsmith'],
    ['J_Smith$2', 'J_Smith$2'],
    ['_svc', '_svc'],
    ['john.smith@example.com', '"john.smith@example.com"'],
    ['2fast', '"2fast"'],
    ['with space', '"with space"'],
    ['say "hi"', '"say ""hi"""'],
    ['élodie', '"élodie"'],
  ])('user %j is written as %s', (user, ident) => {
    expect(snowflakeIdentifier(user)).toBe(ident);
    expect(alterUserStatement(user, spki, 1).startsWith(`ALTER USER ${ident} SET `)).toBe(true);
  });

  it('refuses an empty user', () => {
    expect(() => alterUserStatement('', spki, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_SNOWFLAKE_USER' }),
    );
  });
});

describe('normaliseAccount (rules of PARTNERS.md)', () => {
  it.each([
    ['xy12345.us-east-1', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.us-east-1.aws', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.us-east-2.aws', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.eu-west-1', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.ap-southeast-2', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.us-gov-west-1.aws', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.east-us-2.azure', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.west-europe.azure', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.us-central1.gcp', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.europe-west2.gcp', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['xy12345.us-east-1.privatelink', 'XY12345', ['region/cloud suffix', 'upper-cased']],
    ['XY12345.US-EAST-1', 'XY12345', ['region/cloud suffix']],
    ['myorg.myaccount', 'MYORG-MYACCOUNT', ["replaced '.' with '-'", 'upper-cased']],
    ['MyOrg.My_Account', 'MYORG-MY_ACCOUNT', ["replaced '.' with '-'", 'upper-cased']],
    ['myorg-myaccount', 'MYORG-MYACCOUNT', ['upper-cased']],
    ['xY12345', 'XY12345', ['upper-cased']],
    [
      'xy12345.us-east-1.snowflakecomputing.com',
      'XY12345',
      ['host suffix', 'region/cloud suffix', 'upper-cased'],
    ],
    [
      'https://xy12345.us-east-1.snowflakecomputing.com/',
      'XY12345',
      ['scheme', 'path', 'host suffix', 'region/cloud suffix', 'upper-cased'],
    ],
    [
      'https://myorg-myaccount.snowflakecomputing.com',
      'MYORG-MYACCOUNT',
      ['scheme', 'host suffix', 'upper-cased'],
    ],
    [
      ' https://XY12345.east-us-2.azure.snowflakecomputing.com:443/console#/ ',
      'XY12345',
      ['spaces', 'scheme', 'path', 'port', 'host suffix', 'region/cloud suffix'],
    ],
    ['XY12345', 'XY12345', []],
    ['MYORG-MYACCOUNT', 'MYORG-MYACCOUNT', []],
  ])('%j → %s', (input, value, stepWords) => {
    const n = normaliseAccount(input);
    expect(n.value).toBe(value);
    expect(n.steps).toHaveLength(stepWords.length);
    stepWords.forEach((w, i) => expect(n.steps[i]).toContain(w));
  });

  it('each step says what was removed', () => {
    expect(normaliseAccount('xy12345.us-east-1').steps).toEqual([
      "removed the region/cloud suffix '.us-east-1' (an account locator goes into the JWT without its region)",
      "upper-cased ('xy12345' → 'XY12345')",
    ]);
  });

  it('pasted fragments in steps stay untrusted, invisible characters revealed', () => {
    const n = normaliseAccount('https://xy12345.snowflakecomputing.com/\u202eevil');
    expect(n.value).toBe('XY12345');
    expect(n.stepParts[1]).toEqual(['removed the path ', { untrusted: '/\u202eevil' }, ' after the host']);
    expect(n.steps[1]).toBe("removed the path '/⟨U+202E⟩evil' after the host");
  });

  it.each([
    [''],
    ['   '],
    ['a.b.c'],
    ['xy12345.us-east-1.extra'],
    ['xy12345.global'],
    ['my org'],
    ['https://'],
  ])('refuses %j with ERR_SNOWFLAKE_ACCOUNT', (input) => {
    expect(() => normaliseAccount(input)).toThrow(expect.objectContaining({ code: 'ERR_SNOWFLAKE_ACCOUNT' }));
  });

  it('the user is trimmed and upper-cased', () => {
    expect(normaliseUser('jsmith')).toEqual({
      value: 'JSMITH',
      steps: ["upper-cased ('jsmith' → 'JSMITH')"],
      stepParts: [['upper-cased (', { untrusted: 'jsmith' }, ' → ', { untrusted: 'JSMITH' }, ')']],
    });
    expect(normaliseUser('JSMITH')).toEqual({ value: 'JSMITH', steps: [], stepParts: [] });
    expect(normaliseUser(' j.smith@example.com ').value).toBe('J.SMITH@EXAMPLE.COM');
    expect(() => normaliseUser(' ')).toThrow(expect.objectContaining({ code: 'ERR_SNOWFLAKE_USER' }));
  });
});

describe('snowflakeClaims', () => {
  const fingerprint = 'SHA256:' + 'A'.repeat(43) + '=';

  it('iss/sub from the normalised account and user; exp = iat + 3600 by default', () => {
    expect(
      snowflakeClaims({ account: 'xy12345.us-east-1', user: 'jsmith', fingerprint, nowSec: 1000.7 }),
    ).toEqual({
      iss: `XY12345.JSMITH.${fingerprint}`,
      sub: 'XY12345.JSMITH',
      iat: 1000,
      exp: 4600,
    });
    expect(
      snowflakeClaims({
        account: 'myorg.myaccount',
        user: 'svc_loader',
        fingerprint,
        nowSec: 0,
        lifetimeSec: 60,
      }),
    ).toMatchObject({ sub: 'MYORG-MYACCOUNT.SVC_LOADER', exp: 60 });
  });

  it.each([3601, 7200, 0, -1, 1.5])('refuses a lifetime of %s s', (lifetimeSec) => {
    try {
      snowflakeClaims({ account: 'a', user: 'b', fingerprint, nowSec: 0, lifetimeSec });
      expect.unreachable();
    } catch (e) {
      expect(isKeybenchError(e, 'ERR_SNOWFLAKE_LIFETIME')).toBe(true);
    }
  });

  it('accepts exactly 3600 s and refuses a fingerprint in another form', () => {
    expect(snowflakeClaims({ account: 'a', user: 'b', fingerprint, nowSec: 0, lifetimeSec: 3600 }).exp).toBe(
      3600,
    );
    expect(() => snowflakeClaims({ account: 'a', user: 'b', fingerprint: 'ab:cd', nowSec: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_SNOWFLAKE_FINGERPRINT' }),
    );
  });
});

describe('a key-pair JWT signed by keybench', () => {
  it('verifies with node:crypto and carries the exact iss/sub', async () => {
    const key = await importRs256(qredoPrivate);
    const fp = await snowflakeFingerprint(spkiOf(qredoPublic));
    const claims = snowflakeClaims({
      account: 'https://MyOrg-MyAccount.snowflakecomputing.com',
      user: 'jsmith',
      fingerprint: fp,
      nowSec: 1_700_000_000,
    });
    const jwt = await signSnowflakeJwt(key, claims);
    const [h, p, s] = jwt.split('.');
    expect(
      nodeVerify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        createPublicKey(qredoPublic),
        Buffer.from(s!, 'base64url'),
      ),
    ).toBe(true);
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({
      iss: `MYORG-MYACCOUNT.JSMITH.${fp}`,
      sub: 'MYORG-MYACCOUNT.JSMITH',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
    expect(fp).toBe(opensslFingerprint(vectorPath('qredo', 'public.pem')));
  });

  it('headers and the SQL API curl', () => {
    expect(snowflakeHeaders('a.b.c')).toEqual({
      Authorization: 'Bearer a.b.c',
      'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT',
    });
    const curl = snowflakeCurl('myorg-myaccount', 'a.b.c', "select 'it''s' as x");
    expect(curl).toBe(
      [
        "curl -X POST 'https://myorg-myaccount.snowflakecomputing.com/api/v2/statements'",
        "  -H 'Content-Type: application/json'",
        "  -H 'Accept: application/json'",
        "  -H 'Authorization: Bearer a.b.c'",
        "  -H 'X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT'",
        `  --data-raw '{"statement":"select '\\''it'\\'''\\''s'\\'' as x","timeout":60}'`,
      ].join(' \\\n'),
    );
    // The shell gives back the JSON body exactly.
    const args = execFileSync('sh', ['-c', `printf '%s' ${curl.split('--data-raw ')[1]}`], {
      encoding: 'utf8',
    });
    expect(JSON.parse(args)).toEqual({ statement: "select 'it''s' as x", timeout: 60 });
    expect(() => snowflakeCurl('evil.com/x?', 'a', 'b')).toThrow(
      expect.objectContaining({ code: 'ERR_SNOWFLAKE_ACCOUNT' }),
    );
  });
});

describe('checkSnowflakeJwt', () => {
  const now = 1_700_000_000;

  async function setup() {
    const key = await importRs256(qredoPrivate);
    const fp = await snowflakeFingerprint(spkiOf(qredoPublic));
    const otherFp = await snowflakeFingerprint(spkiOf(other.publicKey));
    const keys = [
      { label: 'Qredo key', fingerprint: fp },
      { label: 'Rotation key', fingerprint: otherFp },
    ];
    return { key, fp, otherFp, keys };
  }

  /** Sign arbitrary claims with keybench, then decode them back as the inspector does. */
  async function roundTrip(key: CryptoKey, claims: Record<string, unknown>) {
    const jwt = await signJws({ typ: 'JWT' }, claims, key, 'RS256');
    const decoded = decodeToken(jwt);
    if (decoded.payload?.kind !== 'json') throw new Error('payload not JSON');
    return decoded.payload.value as Record<string, unknown>;
  }

  /** The options for a token that the stored "Qredo key" verified (RS256). */
  const verifiedBy = (fp: string) => ({ alg: 'RS256', signedBy: { label: 'Qredo key', fingerprint: fp } });

  function good(fp: string): SnowflakeClaims {
    return snowflakeClaims({ account: 'xy12345', user: 'jsmith', fingerprint: fp, nowSec: now });
  }

  it('a correct token: recognised, every check OK, check names unique', async () => {
    const { key, fp, keys } = await setup();
    const claims = await roundTrip(key, { ...good(fp) });
    expect(looksLikeSnowflakeJwt(claims)).toBe(true);
    const f = await checkSnowflakeJwt(claims, {
      keyFingerprints: keys,
      nowSec: now + 10,
      ...verifiedBy(fp),
      expected: { account: 'xy12345', user: 'jsmith' },
    });
    expect(f.map((x) => x.code).filter((c) => c !== 'OK')).toEqual([]);
    expect(f.map((x) => x.check)).toEqual([
      'alg',
      'iss-shape',
      'sub-shape',
      'account-case',
      'user-case',
      'account-region',
      'account-dot',
      'iss-sub',
      'account-expected',
      'user-expected',
      'fingerprint',
      'lifetime',
      'exp',
      'iat',
    ]);
    expect(plain(byCheck(f, 'fingerprint')!.parts)).toContain('"Qredo key"');
  });

  it('looksLikeSnowflakeJwt is false for other tokens', () => {
    expect(looksLikeSnowflakeJwt({ iss: 'https://issuer.example', sub: 'x' })).toBe(false);
    expect(looksLikeSnowflakeJwt({ iss: 'A.B.C' })).toBe(false);
    expect(looksLikeSnowflakeJwt({ iss: 42 })).toBe(false);
    expect(looksLikeSnowflakeJwt({})).toBe(false);
    expect(looksLikeSnowflakeJwt({ iss: 'XY12345.US-EAST-1.JSMITH.SHA256:x' })).toBe(true);
  });

  it.each([
    [
      'lower-case account',
      (fp: string) => ({ iss: `xy12345.JSMITH.${fp}`, sub: 'xy12345.JSMITH' }),
      ['ERR_SNOWFLAKE_CASE'],
      'account-case',
    ],
    [
      'lower-case user',
      (fp: string) => ({ iss: `XY12345.jsmith.${fp}`, sub: 'XY12345.jsmith' }),
      ['ERR_SNOWFLAKE_CASE'],
      'user-case',
    ],
    [
      'region left in the account',
      (fp: string) => ({ iss: `XY12345.US-EAST-1.JSMITH.${fp}`, sub: 'XY12345.US-EAST-1.JSMITH' }),
      ['ERR_SNOWFLAKE_REGION'],
      'account-region',
    ],
    [
      "organisation.account with its '.' kept",
      (fp: string) => ({
        iss: `MYORG.MYACCOUNT.JSMITH.${fp}`,
        sub: 'MYORG.MYACCOUNT.JSMITH',
      }),
      ['ERR_SNOWFLAKE_ACCOUNT'],
      'account-dot',
    ],
    [
      'iss and sub name different users',
      (fp: string) => ({ iss: `XY12345.JSMITH.${fp}`, sub: 'XY12345.JDOE' }),
      ['ERR_SNOWFLAKE_ISS_SUB'],
      'iss-sub',
    ],
    [
      'iss without the fingerprint',
      () => ({ iss: 'XY12345.JSMITH', sub: 'XY12345.JSMITH' }),
      ['ERR_SNOWFLAKE_CLAIMS_SHAPE'],
      'iss-shape',
    ],
    [
      'fingerprint as hex',
      () => ({ iss: 'XY12345.JSMITH.SHA256:ab12', sub: 'XY12345.JSMITH' }),
      ['ERR_SNOWFLAKE_CLAIMS_SHAPE'],
      'iss-shape',
    ],
    [
      'no sub',
      (fp: string) => ({ iss: `XY12345.JSMITH.${fp}`, sub: undefined }),
      ['ERR_SNOWFLAKE_CLAIMS_SHAPE'],
      'sub-shape',
    ],
    [
      'fingerprint of no trusted key',
      () => ({ iss: `XY12345.JSMITH.SHA256:${'Z'.repeat(43)}=`, sub: 'XY12345.JSMITH' }),
      ['ERR_SNOWFLAKE_FINGERPRINT'],
      'fingerprint',
      'not verified by a trusted key',
    ],
    [
      'lifetime over an hour',
      (fp: string) => ({ exp: now + 3601, iss: `XY12345.JSMITH.${fp}` }),
      ['ERR_SNOWFLAKE_LIFETIME'],
      'lifetime',
    ],
    [
      'exp before iat',
      (fp: string) => ({ exp: now - 1, iss: `XY12345.JSMITH.${fp}` }),
      ['ERR_SNOWFLAKE_LIFETIME', 'ERR_SNOWFLAKE_EXPIRED'],
      'lifetime',
    ],
    [
      'expired',
      (fp: string) => ({ iat: now - 7200, exp: now - 3600, iss: `XY12345.JSMITH.${fp}` }),
      ['ERR_SNOWFLAKE_EXPIRED'],
      'exp',
    ],
    [
      'iat in the future',
      (fp: string) => ({ iat: now + 600, exp: now + 1200, iss: `XY12345.JSMITH.${fp}` }),
      ['ERR_SNOWFLAKE_IAT_FUTURE'],
      'iat',
    ],
    [
      'iat not a number',
      (fp: string) => ({ iat: '1700000000', iss: `XY12345.JSMITH.${fp}` }),
      ['ERR_SNOWFLAKE_CLAIMS_SHAPE'],
      'lifetime',
    ],
  ])('%s → exact codes', async (_name, mistake, codes, check, unverified?: string) => {
    const { key, fp, keys } = await setup();
    const claims = await roundTrip(key, {
      ...good(fp),
      sub: 'XY12345.JSMITH',
      ...mistake(fp),
    });
    const signer = unverified ? { alg: 'RS256' } : verifiedBy(fp);
    const f = await checkSnowflakeJwt(claims, { keyFingerprints: keys, nowSec: now, ...signer });
    expect(codesOf(f)).toEqual(codes);
    const finding = byCheck(f, check)!;
    expect(finding.code).toBe(codes.find((c) => finding.code === c));
    expect(finding.detail.length).toBeGreaterThan(20);
    // Every check name appears once.
    expect(new Set(f.map((x) => x.check)).size).toBe(f.length);
  });

  it('messages give the difference and what Snowflake answers', async () => {
    const { key, fp, keys } = await setup();
    const claims = await roundTrip(key, { ...good(fp), iat: now + 600, exp: now + 5000 });
    const f = await checkSnowflakeJwt(claims, { keyFingerprints: keys, nowSec: now, ...verifiedBy(fp) });
    expect(byCheck(f, 'iat')!.detail).toContain('10 min in the future');
    expect(byCheck(f, 'lifetime')!.detail).toContain('4400 s');
    expect(byCheck(f, 'lifetime')!.detail).toContain('JWT token is invalid');
    const region = await checkSnowflakeJwt(
      { ...good(fp), iss: `XY12345.us-east-1.JSMITH.${fp}`, sub: 'XY12345.us-east-1.JSMITH' },
      { keyFingerprints: keys, nowSec: now, ...verifiedBy(fp) },
    );
    expect(byCheck(region, 'account-region')!.detail).toContain('".us-east-1"');
  });

  it('a fingerprint of another trusted key than the signer is named', async () => {
    const { key, otherFp, fp, keys } = await setup();
    const claims = await roundTrip(key, { ...good(otherFp) });
    const f = await checkSnowflakeJwt(claims, {
      keyFingerprints: keys,
      nowSec: now,
      ...verifiedBy(fp),
    });
    expect(codesOf(f)).toEqual(['ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY']);
    expect(byCheck(f, 'fingerprint')!.detail).toContain(
      'the fingerprint of "Rotation key", but the token was signed by "Qredo key"',
    );
    // With no trusted key having verified the token (a secret did, or none), a fingerprint that
    // matches a stored key proves nothing: a warning that names the key, never OK.
    const g = await checkSnowflakeJwt(claims, { keyFingerprints: keys, nowSec: now, alg: 'RS256' });
    expect(byCheck(g, 'fingerprint')).toMatchObject({
      code: 'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED',
      severity: 'warning',
    });
    expect(byCheck(g, 'fingerprint')!.detail).toContain('"Rotation key"');
  });

  it('only RS256 and ECDSA are Snowflake key-pair JWTs: another alg fails, whatever key verified it', async () => {
    const { key, fp, keys } = await setup();
    const claims = await roundTrip(key, { ...good(fp) });
    for (const alg of ['HS256', 'PS256', 'RS512', 'EdDSA', 'ES256K', 'es256', undefined, { x: 1 }]) {
      const f = await checkSnowflakeJwt(claims, {
        keyFingerprints: keys,
        nowSec: now,
        signedBy: verifiedBy(fp).signedBy,
        alg,
      });
      expect(codesOf(f), String(alg)).toEqual(['ERR_SNOWFLAKE_ALG']);
    }
  });

  it('an HS256 token verified with a secret, naming a stored key in iss: the alg fails and the fingerprint proves nothing', async () => {
    const { fp, keys } = await setup();
    const f = await checkSnowflakeJwt({ ...good(fp) }, { keyFingerprints: keys, nowSec: now, alg: 'HS256' });
    expect(codesOf(f)).toEqual(['ERR_SNOWFLAKE_ALG', 'ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED']);
    expect(f.filter((x) => x.code === 'OK' && x.check === 'fingerprint')).toEqual([]);
  });

  it('a user name that is an e-mail address is not taken for organisation.account', async () => {
    const { fp, keys } = await setup();
    const claims = snowflakeClaims({
      account: 'myorg-myaccount',
      user: 'john.smith@example.com',
      fingerprint: fp,
      nowSec: now,
    });
    expect(claims.sub).toBe('MYORG-MYACCOUNT.JOHN.SMITH@EXAMPLE.COM');
    const f = await checkSnowflakeJwt(
      { ...claims },
      { keyFingerprints: keys, nowSec: now, ...verifiedBy(fp) },
    );
    expect(codesOf(f)).toEqual([]);
  });

  it('with no trusted key the fingerprint is a warning, not an error', async () => {
    const { fp } = await setup();
    const f = await checkSnowflakeJwt({ ...good(fp) }, { keyFingerprints: [], nowSec: now, alg: 'RS256' });
    expect(byCheck(f, 'fingerprint')).toMatchObject({
      code: 'ERR_SNOWFLAKE_FINGERPRINT',
      severity: 'warning',
    });
  });

  it('key labels and claims stay untrusted', async () => {
    const { fp } = await setup();
    const label = 'Trusted by keybench\u202e – ok';
    const f = await checkSnowflakeJwt(
      { ...good(fp), iss: `xy12345.JSMITH.${fp}`, sub: 'xy12345.JSMITH' },
      {
        keyFingerprints: [{ label, fingerprint: fp }],
        nowSec: now,
        alg: 'RS256',
        signedBy: { label, fingerprint: fp },
      },
    );
    const fpParts = byCheck(f, 'fingerprint')!.parts;
    expect(fpParts).toContainEqual({ untrusted: label });
    expect(fpParts.filter((p) => typeof p === 'string').join('')).not.toContain(label);
    expect(byCheck(f, 'fingerprint')!.detail).toContain('⟨U+202E⟩');
    const caseParts = byCheck(f, 'account-case')!.parts;
    expect(caseParts).toContainEqual({ untrusted: 'xy12345' });
    // keybench's own remedy text is not marked untrusted.
    expect(caseParts.some((p) => typeof p === 'string' && p.includes('JWT token is invalid'))).toBe(true);
  });
});

describe('snowflakeAccountHost (the SQL API host from the account as typed)', () => {
  it('a locator keeps its region; organisation.account takes its - form; a URL loses the rest', () => {
    expect(snowflakeAccountHost('xy12345.us-east-1')).toBe('xy12345.us-east-1');
    expect(snowflakeAccountHost('XY12345')).toBe('xy12345');
    expect(snowflakeAccountHost('myorg.myaccount')).toBe('myorg-myaccount');
    expect(snowflakeAccountHost('MyOrg-MyAccount')).toBe('myorg-myaccount');
    expect(snowflakeAccountHost('https://xy12345.east-us-2.azure.snowflakecomputing.com/console')).toBe(
      'xy12345.east-us-2.azure',
    );
  });
  it('refuses what normaliseAccount refuses', () => {
    expect(() => snowflakeAccountHost('a.b.c')).toThrow();
  });
});

describe('the Snowflake card agrees with what the drivers do', () => {
  const now = 1_700_000_000;
  const fp = [...SPKI_BY_PRINT.keys()][0]!;
  const keys = [{ label: 'Mine', fingerprint: fp }];
  const signedBy = keys[0]!;
  const claims = (iat: number, exp: number) => ({
    iss: `XY12345.JSMITH.${fp}`,
    sub: 'XY12345.JSMITH',
    iat,
    exp,
  });

  it('ES256/384/512 pass, labelled with snowflake-connector-python >= 4.5.0 as the source', async () => {
    for (const alg of ['ES256', 'ES384', 'ES512']) {
      const f = await checkSnowflakeJwt(claims(now, now + 60), {
        keyFingerprints: keys,
        nowSec: now,
        signedBy,
        alg,
      });
      expect(codesOf(f), alg).toEqual([]);
      expect(byCheck(f, 'alg')!.detail).toMatch(/snowflake-connector-python ≥ 4\.5\.0/);
      expect(byCheck(f, 'alg')!.detail).toMatch(/documentation still names RSA/);
    }
  });

  it('iat/exp in milliseconds (the Node driver) are named as such and checked as milliseconds', async () => {
    const ms = now * 1000 + 123;
    const f = await checkSnowflakeJwt(claims(ms, ms + 3_600_000), {
      keyFingerprints: keys,
      nowSec: now + 5,
      signedBy,
      alg: 'RS256',
    });
    expect(codesOf(f)).toEqual(['ERR_SNOWFLAKE_TIME_UNIT']);
    expect(byCheck(f, 'time-unit')).toMatchObject({ severity: 'warning' });
    expect(byCheck(f, 'time-unit')!.detail).toMatch(
      /milliseconds \(13 digits\), as the Node driver snowflake-sdk/,
    );
    expect(byCheck(f, 'iat')!.detail).toBe('iat is 5 s ago, read as milliseconds.');
    expect(byCheck(f, 'lifetime')!.detail).toContain('3600 s after iat, read as milliseconds');
    expect(f.map((x) => x.detail).join(' ')).not.toMatch(/in the future|hours|\d{4,} ?h/);
  });

  it('a lifetime over an hour in milliseconds is still refused, in seconds', async () => {
    const ms = now * 1000;
    const f = await checkSnowflakeJwt(claims(ms, ms + 7_200_000), {
      keyFingerprints: keys,
      nowSec: now,
      signedBy,
      alg: 'RS256',
    });
    expect(codesOf(f)).toEqual(['ERR_SNOWFLAKE_TIME_UNIT', 'ERR_SNOWFLAKE_LIFETIME']);
    expect(byCheck(f, 'lifetime')!.detail).toMatch(
      /^exp is 7200 s \(2\.0 h\) after iat, read as milliseconds/,
    );
  });

  it('iat in milliseconds and exp in seconds: an error naming both', async () => {
    const f = await checkSnowflakeJwt(claims(now * 1000, now + 60), {
      keyFingerprints: keys,
      nowSec: now,
      signedBy,
      alg: 'RS256',
    });
    expect(codesOf(f)).toEqual(['ERR_SNOWFLAKE_TIME_UNIT']);
    expect(byCheck(f, 'time-unit')).toMatchObject({ severity: 'error' });
    expect(byCheck(f, 'time-unit')!.detail).toMatch(/^iat is in milliseconds .* but exp in seconds/);
  });

  it('the clock-skew setting: iat a little ahead and exp a little behind pass within it, fail outside it', async () => {
    const ahead = claims(now + 30, now + 90);
    const opts = { keyFingerprints: keys, nowSec: now, signedBy, alg: 'RS256' };
    expect(codesOf(await checkSnowflakeJwt(ahead, { ...opts, skewSec: 60 }))).toEqual([]);
    expect(byCheck(await checkSnowflakeJwt(ahead, { ...opts, skewSec: 60 }), 'iat')!.detail).toContain(
      'within the 60 s clock-skew tolerance',
    );
    expect(codesOf(await checkSnowflakeJwt(ahead, { ...opts, skewSec: 10 }))).toEqual([
      'ERR_SNOWFLAKE_IAT_FUTURE',
    ]);
    expect(codesOf(await checkSnowflakeJwt(ahead, opts))).toEqual(['ERR_SNOWFLAKE_IAT_FUTURE']);
    const expired = claims(now - 100, now - 30);
    expect(codesOf(await checkSnowflakeJwt(expired, { ...opts, skewSec: 60 }))).toEqual([]);
    expect(codesOf(await checkSnowflakeJwt(expired, { ...opts, skewSec: 20 }))).toEqual([
      'ERR_SNOWFLAKE_EXPIRED',
    ]);
  });

  it('the account and user nobody typed are not compared: never green, and the card says what to type', async () => {
    const open = await checkSnowflakeJwt(claims(now, now + 60), {
      keyFingerprints: keys,
      nowSec: now,
      signedBy,
      alg: 'RS256',
    });
    expect(open.filter((f) => f.severity === 'unchecked').map((f) => f.check)).toEqual([
      'account-expected',
      'user-expected',
    ]);
    expect(byCheck(open, 'account-expected')?.detail).toContain('type the Expected account');
    const s = snowflakeSummary(open, true);
    expect(s.tone).toBe('warn');
    expect(s.text).toMatch(/^No Snowflake check fails, but 2 checks were not compared \(Account, User\)/);
  });

  it('the summary is green only beside a verified signature', async () => {
    // Green needs the account and user compared (typed on the card), as every deciding rule.
    const pass = await checkSnowflakeJwt(claims(now, now + 60), {
      keyFingerprints: keys,
      nowSec: now,
      signedBy,
      alg: 'RS256',
      expected: { account: 'xy12345', user: 'jsmith' },
    });
    expect(snowflakeSummary(pass, true)).toEqual({ text: 'All Snowflake checks pass.', tone: 'ok' });
    const unverified = snowflakeSummary(pass, false);
    expect(unverified.tone).toBe('warn');
    expect(unverified.text).toMatch(
      /^All Snowflake checks pass\. But no key you trust verified the signature/,
    );
    const warned = await checkSnowflakeJwt(claims(now, now + 60), {
      keyFingerprints: keys,
      nowSec: now,
      alg: 'RS256',
      expected: { account: 'xy12345', user: 'jsmith' },
    });
    expect(snowflakeSummary(warned, false)).toMatchObject({ tone: 'warn' });
    expect(snowflakeSummary(warned, false).text).toMatch(/^No Snowflake check fails; 1 warning\./);
    const failing = await checkSnowflakeJwt(claims(now, now + 60), {
      keyFingerprints: keys,
      nowSec: now,
      signedBy,
      alg: 'PS256',
    });
    expect(snowflakeSummary(failing, true)).toEqual({ text: '1 Snowflake check fails.', tone: 'bad' });
  });

  it('organisation.account: says the drivers would put the organisation alone in the JWT', () => {
    const n = normaliseAccount('myorg.myaccount');
    expect(n.value).toBe('MYORG-MYACCOUNT');
    expect(n.steps[0]).toContain(
      "snowflake-connector-python and snowflake-sdk take everything after the first '.' as a region and would put 'MYORG' alone in the JWT, so give them 'myorg-myaccount' instead",
    );
    // A locator with a region reads the same for keybench and the drivers: nothing to say.
    expect(normaliseAccount('xy12345.us-east-1').steps.join(' ')).not.toContain('drivers');
  });
});

describe('attacks on the Snowflake card (through its token check, as the inspector runs it)', () => {
  const now = 1_700_000_000;
  const qredoSpki = spkiOf(qredoPublic);
  const otherSpki = spkiOf(other.publicKey);
  const trustedKeys = [
    { label: 'Qredo key', spki: qredoSpki },
    { label: 'Rotation key', spki: otherSpki },
  ];
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  /** Run the card on these claims; `signer` is the trusted key that verified the signature, if any. */
  async function card(
    claims: Record<string, unknown>,
    opts: {
      signer?: Uint8Array<ArrayBuffer>;
      account?: string;
      user?: string;
      alg?: string;
      skewSec?: number;
    },
  ) {
    const token = decodeToken(`${b64({ alg: opts.alg ?? 'RS256', typ: 'JWT' })}.${b64(claims)}.c2ln`);
    const signer = opts.signer;
    const findings = await snowflakeCheck.check({
      token,
      signatureVerified: signer !== undefined,
      ...(signer
        ? {
            verifiedBy: {
              kind: 'public' as const,
              label: signer === qredoSpki ? 'Qredo key' : 'Rotation key',
              origin: 'stored' as const,
              spki: signer,
              type: { kty: 'RSA' } as never,
            },
          }
        : {}),
      nowMs: now * 1000,
      skewSec: opts.skewSec ?? 0,
      options: { account: opts.account ?? '', user: opts.user ?? '' },
      trustedKeys,
    });
    const notOk = findings.filter((f) => f.code !== 'OK').map((f) => `${f.check} ${f.code} ${f.severity}`);
    return { findings, notOk, tone: snowflakeSummary(findings, signer !== undefined).tone };
  }

  const principal = (account: string, user: string, fp: string) => ({
    iss: `${account}.${user}.${fp}`,
    sub: `${account}.${user}`,
    iat: now,
    exp: now + 600,
  });

  it("iss names a stored key's fingerprint but another trusted key signed: red", async () => {
    const rotationFp = await snowflakeFingerprint(otherSpki);
    const r = await card(principal('XY12345', 'JSMITH', rotationFp), {
      signer: qredoSpki,
      account: 'xy12345',
      user: 'jsmith',
    });
    expect(r.notOk).toEqual(['fingerprint ERR_SNOWFLAKE_FINGERPRINT_OTHER_KEY error']);
    expect(r.tone).toBe('bad');
  });

  it('the right fingerprint without a verified signature: a warning, never green', async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const r = await card(principal('XY12345', 'JSMITH', fp), { account: 'xy12345', user: 'jsmith' });
    expect(r.notOk).toEqual(['fingerprint ERR_SNOWFLAKE_FINGERPRINT_UNVERIFIED warning']);
    expect(r.tone).toBe('warn');
  });

  it('the account typed in lower case matches the token upper-case; a lower-case token fails', async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const good = await card(principal('XY12345', 'JSMITH', fp), {
      signer: qredoSpki,
      account: 'xy12345',
      user: 'jsmith',
    });
    expect(good.notOk).toEqual([]);
    expect(good.tone).toBe('ok');
    const lower = await card(principal('xy12345', 'jsmith', fp), {
      signer: qredoSpki,
      account: 'XY12345',
      user: 'JSMITH',
    });
    expect(lower.notOk).toEqual([
      'account-case ERR_SNOWFLAKE_CASE error',
      'user-case ERR_SNOWFLAKE_CASE error',
    ]);
    expect(lower.tone).toBe('bad');
  });

  it('the region left in the account fails, even when the same locator with region is typed', async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const r = await card(principal('XY12345.US-EAST-1', 'JSMITH', fp), {
      signer: qredoSpki,
      account: 'xy12345.us-east-1',
      user: 'jsmith',
    });
    expect(r.notOk).toEqual(['account-region ERR_SNOWFLAKE_REGION error']);
    expect(r.tone).toBe('bad');
  });

  it('another account than the one typed fails; nothing typed stays amber', async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const other = await card(principal('XY99999', 'JSMITH', fp), {
      signer: qredoSpki,
      account: 'xy12345',
      user: 'jsmith',
    });
    expect(other.notOk).toEqual(['account-expected ERR_SNOWFLAKE_OTHER_PRINCIPAL error']);
    expect(other.tone).toBe('bad');
    const open = await card(principal('XY12345', 'JSMITH', fp), { signer: qredoSpki });
    expect(open.notOk).toEqual([
      'account-expected ERR_ASSERT_OPTION_MISSING unchecked',
      'user-expected ERR_ASSERT_OPTION_MISSING unchecked',
    ]);
    expect(open.tone).toBe('warn');
  });

  it('times in milliseconds are read as such, with a warning; a lifetime over an hour in ms still fails', async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const ms = { ...principal('XY12345', 'JSMITH', fp), iat: now * 1000, exp: now * 1000 + 600_000 };
    const r = await card(ms, { signer: qredoSpki, account: 'xy12345', user: 'jsmith' });
    expect(r.notOk).toEqual(['time-unit ERR_SNOWFLAKE_TIME_UNIT warning']);
    expect(r.findings.map((f) => f.check)).toEqual([
      'alg',
      'iss-shape',
      'sub-shape',
      'account-case',
      'user-case',
      'account-region',
      'account-dot',
      'iss-sub',
      'account-expected',
      'user-expected',
      'fingerprint',
      'time-unit',
      'lifetime',
      'exp',
      'iat',
    ]);
    // A warning does not stop the card being green (the one rule): today's outcome, pinned.
    expect(r.tone).toBe('ok');
    const long = await card(
      { ...ms, exp: now * 1000 + 7_200_000 },
      { signer: qredoSpki, account: 'xy12345', user: 'jsmith' },
    );
    expect(long.notOk).toEqual([
      'time-unit ERR_SNOWFLAKE_TIME_UNIT warning',
      'lifetime ERR_SNOWFLAKE_LIFETIME error',
    ]);
    const mixed = await card(
      { ...ms, exp: now + 600 },
      { signer: qredoSpki, account: 'xy12345', user: 'jsmith' },
    );
    expect(mixed.notOk).toEqual(['time-unit ERR_SNOWFLAKE_TIME_UNIT error']);
    expect(mixed.findings.map((f) => f.check).slice(-1)).toEqual(['time-unit']);
    const words = await card(
      { ...principal('XY12345', 'JSMITH', fp), iat: 'now' },
      { signer: qredoSpki, account: 'xy12345', user: 'jsmith' },
    );
    expect(words.notOk).toEqual(['lifetime ERR_SNOWFLAKE_CLAIMS_SHAPE error']);
    expect(words.findings.map((f) => f.check).slice(-2)).toEqual(['fingerprint', 'lifetime']);
  });

  it("the inspector's skew setting is honoured for exp and iat", async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const typed = { signer: qredoSpki, account: 'xy12345', user: 'jsmith' };
    const late = { ...principal('XY12345', 'JSMITH', fp), iat: now - 100, exp: now - 30 };
    expect((await card(late, { ...typed, skewSec: 60 })).notOk).toEqual([]);
    expect((await card(late, typed)).notOk).toEqual(['exp ERR_SNOWFLAKE_EXPIRED error']);
    const early = { ...principal('XY12345', 'JSMITH', fp), iat: now + 30, exp: now + 90 };
    expect((await card(early, { ...typed, skewSec: 60 })).notOk).toEqual([]);
    expect((await card(early, typed)).notOk).toEqual(['iat ERR_SNOWFLAKE_IAT_FUTURE error']);
  });

  it('an alg Snowflake does not take fails whatever verified it; ES256 passes with its note', async () => {
    const fp = await snowflakeFingerprint(qredoSpki);
    const typed = { signer: qredoSpki, account: 'xy12345', user: 'jsmith' };
    const ps = await card(principal('XY12345', 'JSMITH', fp), { ...typed, alg: 'PS256' });
    expect(ps.notOk).toEqual(['alg ERR_SNOWFLAKE_ALG error']);
    const es = await card(principal('XY12345', 'JSMITH', fp), { ...typed, alg: 'ES256' });
    expect(es.notOk).toEqual([]);
    expect(byCheck(es.findings, 'alg')!.parts[0]).toBe('ES256');
  });

  it('a payload that is no object of claims is read as no claims', async () => {
    const token = decodeToken(`${b64({ alg: 'RS256' })}.${b64([1, 2])}.c2ln`);
    const f = await snowflakeCheck.check({
      token,
      signatureVerified: false,
      nowMs: now * 1000,
      options: { account: '', user: '' },
    });
    expect(f.map((x) => `${x.check} ${x.code}`)).toEqual([
      'alg OK',
      'iss-shape ERR_SNOWFLAKE_CLAIMS_SHAPE',
      'sub-shape ERR_SNOWFLAKE_CLAIMS_SHAPE',
      'lifetime ERR_SNOWFLAKE_CLAIMS_SHAPE',
    ]);
  });
});
