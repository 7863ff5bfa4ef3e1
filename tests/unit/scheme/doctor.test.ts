/**
 * The one request doctor: the registry finds every scheme folder, the doctor picks the
 * check that recognises a request best (deterministically), refuses generically what the WINNING
 * scheme signs, filters keys by the role its profile gives, and judges every signature (RFC 9421
 * labels) by the one rule. request/ knows no partner. Real WebCrypto; RFC 9421's own test vectors.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import type { ParsedRequest, RequestVerdict } from '../../../src/lib/request/types';
import { plain } from '../../../src/lib/rich';
import {
  examineRequest,
  pickCheck,
  type KeysFor,
  type RequestExamination,
} from '../../../src/lib/scheme/doctor';
import { REQUEST_CHECKS } from '../../../src/lib/scheme/doctor-checks';
import { loadTokenChecks, SCHEMES } from '../../../src/lib/scheme/registry';
import { SCHEME_FOLDERS } from '../../../src/lib/scheme/metas';
import type { RequestCheck } from '../../../src/lib/scheme/contract';
import { toRequestCheck } from '../../../src/lib/scheme/check';
import { pastedPublicKey, vector } from '../support/helpers';
import { nodeJws } from '../support/jwt-helpers';
import { publicKey } from '../support/rfc9421-helpers';
import * as V from '../support/rfc9421-vectors';

const schemesDir = join(import.meta.dirname, '../../../src/lib/schemes');
const RFC_NOW = 1618884473_000 + 30_000;

function verdictsOf(e: RequestExamination | null): RequestVerdict[] {
  if (e?.kind !== 'verdict') throw new Error(`expected a verdict, got ${JSON.stringify(e)}`);
  expect(e.verdict).toBe(e.verdicts[0]);
  return e.verdicts;
}

describe('the registry', () => {
  const folders = readdirSync(schemesDir).filter(
    (d) => existsSync(join(schemesDir, d, 'meta.ts')) || existsSync(join(schemesDir, d, 'scheme.ts')),
  );
  // A folder of variants (QI Tech's) names each variant by its own id; every other id is its folder.
  const ids = folders.flatMap((f) => {
    const variants = [...SCHEME_FOLDERS].filter(([id, folder]) => folder === f && id !== f);
    return variants.length ? variants.map(([id]) => id) : [f];
  });

  it("finds every folder with a meta.ts or a scheme.ts, and each meta's id is its folder's name (or its variant's)", () => {
    expect([...SCHEMES.keys()].sort()).toEqual([...ids].sort());
    for (const [id, meta] of SCHEMES) expect(meta.id, id).toBe(id);
    expect(folders).toContain('rfc9421');
    expect(
      [...SCHEME_FOLDERS]
        .filter(([, f]) => f === 'qitech')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['qi-dtvm', 'qit-v1', 'qit-v2']);
  });

  it("request schemes have a check.ts or scheme.ts (the doctor's), token schemes a token-check.ts (the cards'), with the folder as id", async () => {
    const request = ids.filter((id) => SCHEMES.get(id)!.kind === 'request');
    const token = ids.filter((id) => SCHEMES.get(id)!.kind === 'token');
    // The doctor's eager list holds exactly the request schemes' checks, each with its folder's id.
    expect(REQUEST_CHECKS.map((c) => c.id).sort()).toEqual(request.sort());
    expect(request.sort()).toEqual(
      ['binance', 'bybit', 'kalshi', 'qi-dtvm', 'qit-v1', 'qit-v2', 'qredo', 'rfc9421', 'truelayer'].sort(),
    );
    for (const c of REQUEST_CHECKS) {
      expect(typeof c.recognise, c.id).toBe('function');
      expect(typeof c.verify, c.id).toBe('function');
      expect(Array.isArray(c.signedHeaders), c.id).toBe(true);
      for (const h of c.signedHeaders) expect(h, c.id).toBe(h.toLowerCase());
    }
    for (const id of token) expect(existsSync(join(schemesDir, id, 'check.ts')), id).toBe(false);
    const cards = await loadTokenChecks();
    for (const c of cards) expect('partnerName' in c && typeof c.check === 'function', c.id).toBe(true);
    // Every token scheme brings at least one card check, named after its folder.
    for (const id of token)
      expect(
        cards.some((c) => c.id === id || c.id.startsWith(`${id}/`)),
        id,
      ).toBe(true);
  });
});

describe('src/lib/request knows no partner and no scheme', () => {
  it('imports nothing from partners/ or schemes/ (nor the partner profiles)', () => {
    const dir = join(import.meta.dirname, '../../../src/lib/request');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
        const path = m[1] ?? m[2] ?? '';
        if (/(?:^|\/)(?:partners|schemes)(?:\/|$)|partner-profile/.test(path)) bad.push(`${f}: ${path}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

/** A fake check for dispatch: recognises with a fixed score, and records that it verified. */
function fake(id: string, score: number | (() => number), seen: string[]): RequestCheck {
  return {
    id,
    recognise: typeof score === 'number' ? () => score : score,
    signedHeaders: ['x-fake'],
    async verify() {
      seen.push(id);
      return {
        scheme: id,
        findings: [],
        diagnoses: [],
        signInput: { method: 'GET', url: '', body: '' },
        parts: ['Not verified.'],
        fallback: 'ERR_REQUEST_NO_KEY',
      };
    },
  };
}

const REQ: ParsedRequest = {
  source: 'http',
  method: 'GET',
  url: 'https://api.example.test/x',
  headers: [['x-fake', '1']],
  body: '',
  notes: [],
};

describe('dispatch: the highest recognise() wins, deterministically', () => {
  it('the highest score wins whatever the order; equal scores go to the first id; a throwing or NaN score is 0', () => {
    const seen: string[] = [];
    const a = fake('a', 1, seen);
    const b = fake('b', 3, seen);
    const c = fake('c', 3, seen);
    const boom = fake(
      'aa',
      () => {
        throw new Error('x');
      },
      seen,
    );
    const nan = fake('ab', Number.NaN, seen);
    expect(pickCheck(REQ, [a, b, c, boom, nan])?.id).toBe('b');
    expect(pickCheck(REQ, [c, nan, b, a, boom])?.id).toBe('b');
    expect(pickCheck(REQ, [a])?.id).toBe('a');
    expect(pickCheck(REQ, [fake('z', 0, seen), boom, nan])).toBeNull();
  });

  it('asks the page for keys of the winning scheme with its keyAlg, and verifies only with it', async () => {
    const seen: string[] = [];
    const asked: unknown[] = [];
    const keysFor: KeysFor = async (scheme, alg) => {
      asked.push([scheme, alg]);
      return [];
    };
    const checks = [fake('low', 1, seen), { ...fake('high', 2, seen), keyAlg: 'ES512' as const }];
    const e = await examineRequest(
      'GET /x HTTP/1.1\nHost: api.example.test\nx-fake: 1\n\n',
      keysFor,
      0,
      checks,
    );
    expect(asked).toEqual([['high', 'ES512']]);
    expect(seen).toEqual(['high']);
    expect(verdictsOf(e)[0]!.scheme).toBe('high');
  });
});

describe('attack: two schemes in one request', () => {
  const qredoKey = createPrivateKey(vector('qredo', 'private.pem'));
  const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
  const URL_ = 'https://api.example.test/v1/orders';
  const ts = String(Math.floor(NOW / 1000));
  const sign = nodeSign('sha256', Buffer.from(`${ts}${URL_}`), qredoKey).toString('base64url');
  let keys: VerificationKey[];
  beforeAll(async () => {
    keys = [(await pastedPublicKey(vector('qredo', 'public.pem'), 'Qredo fixture')).key!];
  });
  const http = (...headers: string[]) =>
    [
      'GET /v1/orders HTTP/1.1',
      'Host: api.example.test',
      `x-api-key: k`,
      `x-timestamp: ${ts}`,
      ...headers,
      '',
      '',
    ].join('\r\n');
  const rfcHeaders = ['Signature-Input: sig1=("@method");created=1', 'Signature: sig1=:AAAA:'];

  it("Qredo's x-sign beside RFC 9421 headers: Qredo wins (and verifies), in whatever order they come", async () => {
    for (const text of [http(`x-sign: ${sign}`, ...rfcHeaders), http(...rfcHeaders, `x-sign: ${sign}`)]) {
      const [v, ...more] = verdictsOf(await examineRequest(text, async () => keys, NOW));
      expect(more).toEqual([]);
      expect(v!.scheme).toBe('qredo');
      expect(v!.state).toBe('verified');
    }
  });

  it('a duplicate header signed by the WINNING scheme is refused; one only the losing scheme signs is not', async () => {
    const dupSign = await examineRequest(
      http(`x-sign: ${sign}`, `x-sign: ${sign}`, ...rfcHeaders),
      async () => keys,
      NOW,
    );
    expect(dupSign?.kind).toBe('error');
    expect(dupSign && 'code' in dupSign ? dupSign.code : '').toBe('ERR_REQUEST_DUPLICATE_HEADER');
    // Signature-Input sent twice matters to RFC 9421 only: Qredo wins and its verdict stands.
    const dupInput = await examineRequest(
      http(`x-sign: ${sign}`, ...rfcHeaders, rfcHeaders[0]!),
      async () => keys,
      NOW,
    );
    expect(verdictsOf(dupInput)[0]!.state).toBe('verified');
    // Without x-sign RFC 9421 wins, and its duplicate signed header is refused.
    const rfcOnly = await examineRequest(http(...rfcHeaders, rfcHeaders[0]!), async () => keys, NOW);
    expect(rfcOnly?.kind).toBe('error');
    expect(rfcOnly && 'code' in rfcOnly ? rfcOnly.code : '').toBe('ERR_REQUEST_DUPLICATE_HEADER');
  });
});

describe('RFC 9421 through the one doctor', () => {
  let ed: VerificationKey;
  beforeAll(async () => {
    ed = await publicKey(V.TEST_KEY_ED25519_PUB, 'test-key-ed25519');
  });
  const examine = (text: string, keys: () => VerificationKey[]) =>
    examineRequest(text, async () => keys(), RFC_NOW);

  it('B.2.6 (ed25519) verifies with the RFC key: one labelled verdict, its base part by part, byte for byte', async () => {
    const [v, ...more] = verdictsOf(await examine(V.B26_SIGNED, () => [ed]));
    expect(more).toEqual([]);
    expect(v!.scheme).toBe('rfc9421');
    expect(v!.label).toBe('sig-b26');
    expect(v!.state).toBe('verified');
    expect(plain(v!.parts)).toMatch(/^Signature verified with key "test-key-ed25519": Ed25519/);
    expect(v!.base!.map((p) => `${p.label}: ${p.text}`).join('\n')).toBe(V.B26_BASE);
  });

  it('a stored key of any owner may verify it (no partner sends RFC 9421 here), but never a key the request names', async () => {
    if (ed.kind !== 'public') throw new Error('a public key');
    const stored: VerificationKey = { ...ed, origin: 'stored', owner: 'qitech' };
    expect(verdictsOf(await examine(V.B26_SIGNED, () => [stored]))[0]!.state).toBe('verified');
    // keyid names test-key-ed25519, but no key is trusted: not verified, and it says there is no key.
    const [none] = verdictsOf(await examine(V.B26_SIGNED, () => []));
    expect(none!.state).toBe('failed');
    expect(none!.code).toBe('ERR_HTTPSIG_NO_KEY');
    expect(plain(none!.parts)).not.toMatch(/Signature verified/);
  });

  it('a tampered @authority fails, and the base names the component as sent', async () => {
    const tampered = V.B26_SIGNED.replace('Host: example.com', 'Host: example.org');
    const [v] = verdictsOf(await examine(tampered, () => [ed]));
    expect(v!.state).toBe('failed');
    expect(v!.signatureVerified).toBe(false);
    expect(v!.code).toBe('ERR_HTTPSIG_SIGNATURE');
    expect(v!.base).toContainEqual({ label: '"@authority"', text: 'example.org' });
  });

  it('several signatures: each judged and labelled by the rule (one holds, one has no key)', async () => {
    const input = (t: string) => /Signature-Input: (.*)/.exec(t)![1]!;
    const sig = (t: string) => /\nSignature: (.*)/.exec(t)![1]!;
    const both = V.B26_SIGNED.replace(
      /Signature-Input: .*\nSignature: .*/,
      `Signature-Input: ${input(V.B25_SIGNED)}, ${input(V.B26_SIGNED)}\nSignature: ${sig(V.B25_SIGNED)}, ${sig(V.B26_SIGNED)}`,
    );
    const vs = verdictsOf(await examine(both, () => [ed]));
    expect(vs.map((v) => [v.label, v.state])).toEqual([
      ['sig-b25', 'failed'],
      ['sig-b26', 'verified'],
    ]);
  });
});

describe('what nothing recognises', () => {
  it('a plain bearer JWT still goes to the token inspector', async () => {
    const key = createPrivateKey(vector('qredo', 'private.pem'));
    const jwt = nodeJws('RS256', key, { sub: 'x' });
    const e = await examineRequest(
      `curl -H 'Authorization: Bearer ${jwt}' https://api.example.test/x`,
      async () => [],
      0,
    );
    expect(e).toMatchObject({ kind: 'bearer', token: jwt });
  });

  it("the error lists every request scheme's recognisedBy from the metas", async () => {
    const e = await examineRequest("curl -H 'x-foo: 1' https://api.example.test/x", async () => [], 0);
    expect(e?.kind).toBe('error');
    const text = e && 'parts' in e ? plain(e.parts) : '';
    for (const m of SCHEMES.values()) if (m.kind === 'request') expect(text).toContain(m.recognisedBy);
    expect(text).toContain('HTTP Message Signatures (RFC 9421)');
  });
});

describe('RFC 9421: a covered field sent in several lines', () => {
  it('is a warning, and a repeated Content-Digest fails the verdict', async () => {
    const { default: scheme } = await import('../../../src/lib/schemes/rfc9421/scheme');
    const check = toRequestCheck(scheme);
    const req = (headers: [string, string][]): ParsedRequest => ({
      source: 'http',
      method: 'POST',
      url: 'https://example.com/foo',
      headers: [
        ['Signature-Input', 'sig1=("@method" "x-amount" "content-digest");created=1618884473'],
        ['Signature', 'sig1=:AAAA:'],
        ...headers,
      ],
      body: '{}',
      notes: [],
    });
    const found = async (headers: [string, string][]) => {
      const r = await check.verify({ request: req(headers), keys: [], nowMs: 1618884473_000 });
      return (Array.isArray(r) ? r[0]! : r).findings
        .filter((f) => f.check.startsWith('rfc9421.repeated:'))
        .map((f) => [f.check, f.severity]);
    };
    expect(
      await found([
        ['X-Amount', '10'],
        ['Content-Digest', 'sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:'],
      ]),
    ).toEqual([]);
    expect(
      await found([
        ['X-Amount', '10'],
        ['X-Amount', '1000'],
      ]),
    ).toEqual([['rfc9421.repeated:x-amount', 'warning']]);
    expect(
      await found([
        ['Content-Digest', 'sha-256=:AAAA:'],
        ['Content-Digest', 'sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:'],
      ]),
    ).toEqual([['rfc9421.repeated:content-digest', 'error']]);
  });
});
