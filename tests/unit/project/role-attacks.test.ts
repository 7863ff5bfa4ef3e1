/**
 * Key roles and the one rule for "verified": every entry of the role attack corpus gets
 * exactly its state and code through the path the page takes, and no scheme can set the verified
 * state itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidatesFromStored, keysFromText } from '../../../src/lib/jwt/candidates';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { importPublicKey } from '../../../src/lib/keys/import';
import { parseKeyText, type ParsedPublicKey } from '../../../src/lib/keys/parse';
import { upgradeStoredKey, type StoredKey } from '../../../src/lib/keys/stored-key';
import { verifyQitResponse, type QitKeyringEntry } from '../../../src/lib/schemes/qitech/response';
import { verifyScheme } from '../../../src/lib/scheme/check';
import QITECH from '../../../src/lib/schemes/qitech/scheme';
import { diagnoseQredo } from '../support/qredo-helpers';
import { ok, problem } from '../../../src/lib/trust/finding';
import { examineRequest, parseRequest } from '../../../src/lib/scheme/doctor';
import type { ParsedRequest } from '../../../src/lib/request/types';
import { plain } from '../../../src/lib/rich';
import { keyFits, keysFor, skippedKeys, type VerificationContext } from '../../../src/lib/trust/roles';
import { decideRequest, isVerified, type SchemeResult } from '../../../src/lib/trust/verdict';
import { vector } from '../support/helpers';
import { ROLE_NOW, roleCorpus, v2Request, type RoleCase, type StoredForCase } from '../support/role-attacks';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';

type PublicKey = Extract<VerificationKey, { kind: 'public' }>;

const qit = JSON.parse(vector('qitech', 'vectors.json'));
const API = qit.request_post.api_key as string;

/** The keyring records the page would hold for these keys (read back as storage reads them). */
async function storedKeys(stored: readonly StoredForCase[]): Promise<StoredKey[]> {
  return Promise.all(
    stored.map(async (s, i) => {
      const parsed = (await parseKeyText(s.publicPem)) as ParsedPublicKey;
      const { publicKey } = await importPublicKey(parsed);
      return upgradeStoredKey({
        id: `k${i}`,
        kind: s.kind,
        label: s.label,
        algorithm: 'test',
        jwsAlg: parsed.type.kty === 'RSA' ? 'RS256' : 'ES512',
        createdAt: i,
        origin: 'imported',
        spki: parsed.spki,
        publicKey,
        progress: { publicKeyExported: false, uploaded: {} },
        ...(s.owner ? { owner: s.owner } : {}),
      });
    }),
  );
}

/** keybench's state, code and skipped keys for a case, through the path the page takes. */
async function keybench(
  c: RoleCase,
): Promise<{ state: string; code: string; unowned: string[]; words: string }> {
  const keyring = await storedKeys(c.stored);
  const stored = candidatesFromStored(keyring, {});
  if (c.check === 'request') {
    const e = await examineRequest(
      c.input,
      async () => {
        if (c.keyText === undefined) return stored;
        const box = await keysFromText(c.keyText, undefined, 'text');
        return box.candidates.filter((k) => k.kind === 'public');
      },
      ROLE_NOW,
    );
    if (e?.kind !== 'verdict') throw new Error(`expected a verdict, got ${JSON.stringify(e)}`);
    return {
      state: e.verdict.state,
      code: e.verdict.code,
      unowned: e.skipped?.unowned ?? [],
      words: plain(e.verdict.parts),
    };
  }
  if (c.check === 'response') {
    const entries: QitKeyringEntry[] = keyring.map((k) => ({
      kind: k.kind,
      label: k.label,
      spki: k.spki,
      type: (stored.find((s) => s.label === k.label) as PublicKey).type,
      ...(k.owner ? { owner: k.owner } : {}),
    }));
    const v = await verifyQitResponse({
      authorization: c.input,
      body: c.body ?? '',
      apiKey: API,
      keyring: entries,
      request: { method: 'POST', endpoint: '/test', date: qit.request_post.date },
    });
    const unowned = /(\d+) stored P-521 public keys? (?:has|have) no owner set/.exec(v.message);
    return {
      state: v.verified ? 'verified' : 'failed',
      code: v.verified ? 'OK' : (v.code ?? v.checks.find((f) => f.severity === 'error')!.code),
      unowned: unowned ? entries.filter((e) => !e.owner && e.kind === 'public').map((e) => e.label) : [],
      words: v.message,
    };
  }
  const verdict = await verdictFor(decodeToken(c.input), null, stored);
  return { state: verdict.state, code: verdict.code ?? 'OK', unowned: [], words: verdict.message };
}

const corpus = roleCorpus();

describe('role attack corpus: every input gets exactly its expected state and code', () => {
  it('covers requests, responses and plain JWTs, each name once', () => {
    expect(new Set(corpus.map((c) => c.check))).toEqual(new Set(['request', 'response', 'jwt']));
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const got = await keybench(c);
    expect([got.state, got.code], got.words).toEqual([c.expect.state, c.expect.code]);
    expect(got.unowned).toEqual(c.expect.unownedSkipped ?? []);
    // "Signature verified" is said when, and only when, the state is verified.
    expect(got.words.includes('Signature verified'), got.words).toBe(got.state === 'verified');
  });
});

describe('the one rule re-checks the role of the key that verified, whatever the scheme was given', () => {
  const qitechSide = async (owner?: 'qitech'): Promise<PublicKey> => {
    const p = (await parseKeyText(vector('qitech', 'qitech-side.key.pub'))) as ParsedPublicKey;
    return { kind: 'public', label: "QI Tech's key", origin: 'stored', spki: p.spki, type: p.type, owner };
  };
  const parsed = (text: string): ParsedRequest => {
    const r = parseRequest(text);
    if (r.kind !== 'request') throw new Error('not a request');
    return r.request;
  };

  it("a QI Tech scheme handed QI Tech's key directly: the signature holds, the verdict is ERR_TRUST_KEY_ROLE", async () => {
    const createKey = createPrivateKey(vector('qitech', 'qitech-side.key'));
    const input = {
      request: parsed(v2Request(createKey)),
      keys: [await qitechSide('qitech')],
      nowMs: ROLE_NOW,
    };
    const scheme = QITECH.find((s) => s.id === 'qit-v2')!;
    const v = decideRequest(
      { direction: 'request-to', partner: 'qitech' },
      await verifyScheme(scheme, input),
    );
    expect([v.state, v.code, v.signatureVerified]).toEqual(['failed', 'ERR_TRUST_KEY_ROLE', false]);
    expect(v.findings.find((f) => f.check === 'key-role')?.severity).toBe('error');
    expect(plain(v.parts)).not.toContain('Signature verified');
    expect(plain(v.parts)).toContain("QI Tech's key");
  });

  it('the Qredo scheme handed a Qredo-owned key directly: ERR_TRUST_KEY_ROLE, never verified', async () => {
    const ts = String(Math.floor(ROLE_NOW / 1000));
    const url = 'https://api.example.test/api/v1/p/company';
    const sig = nodeSign(
      'sha256',
      Buffer.from(`${ts}${url}{}`),
      createPrivateKey(vector('qredo', 'private.pem')),
    ).toString('base64url');
    const text = [
      'POST /api/v1/p/company HTTP/1.1',
      'Host: api.example.test',
      'x-api-key: k',
      `x-timestamp: ${ts}`,
      `x-sign: ${sig}`,
      'Content-Length: 2',
      '',
      '{}',
    ].join('\r\n');
    const p = (await parseKeyText(vector('qredo', 'public.pem'))) as ParsedPublicKey;
    const key: VerificationKey = {
      kind: 'public',
      label: 'Qredo',
      origin: 'stored',
      spki: p.spki,
      type: p.type,
      owner: 'qredo',
    };
    const v = await diagnoseQredo({ request: parsed(text), keys: [key], nowMs: ROLE_NOW }, false);
    expect([v.state, v.code]).toEqual(['failed', 'ERR_TRUST_KEY_ROLE']);
    const mine = await diagnoseQredo({
      request: parsed(text),
      keys: [{ ...key, owner: 'mine' }],
      nowMs: ROLE_NOW,
    });
    expect([mine.state, mine.code]).toEqual(['verified', 'OK']);
  });

  const result = (over: Partial<SchemeResult>): SchemeResult => ({
    scheme: 'qit-v2',
    findings: [ok('signature', 'Signature', 'holds')],
    diagnoses: [],
    signInput: { method: 'GET', url: 'https://x.test/', body: '' },
    parts: ['Signature verified with the key.'],
    fallback: 'ERR_QIT_TOKEN_SIGNATURE',
    ...over,
  });
  const REQ: VerificationContext = { direction: 'request-to', partner: 'qitech' };

  it('decideRequest: verified only with a fitting key, no error finding and no refusal', async () => {
    const mine = { ...(await qitechSide()), owner: 'mine' as const };
    expect(decideRequest(REQ, result({ signedBy: mine })).state).toBe('verified');
    expect(decideRequest(REQ, result({})).state).toBe('failed');
    const carried = { ...mine, origin: 'x5c' as const };
    expect(decideRequest(REQ, result({ signedBy: carried })).code).toBe('ERR_TRUST_KEY_ROLE');
    const unowned = await qitechSide();
    expect(decideRequest(REQ, result({ signedBy: unowned })).code).toBe('ERR_TRUST_KEY_ROLE');
    const withError = decideRequest(
      REQ,
      result({
        signedBy: mine,
        findings: [problem('md5', 'ERR_QIT_MD5', 'error', 'md5', 'differs')],
      }),
    );
    expect([withError.state, withError.code]).toEqual(['failed', 'ERR_QIT_MD5']);
    // A scheme's "verified" headline cannot survive a verdict the rule refuses.
    expect(plain(withError.parts)).not.toMatch(/^Signature verified/);
    const refused = decideRequest(REQ, result({ signedBy: mine, refusal: 'ERR_QIT_AUTH_HEADER' }));
    expect([refused.state, refused.code]).toEqual(['failed', 'ERR_QIT_AUTH_HEADER']);
    expect(isVerified({ direction: 'none' }, unowned, [])).toBe(true);
  });

  it("keysFor: requests take mine and pasted keys, responses the partner's, a plain JWT every trusted key", async () => {
    const base = await qitechSide();
    const keys: VerificationKey[] = [
      { ...base, label: 'mine', owner: 'mine' },
      { ...base, label: 'qitech', owner: 'qitech' },
      { ...base, label: 'qredo', owner: 'qredo' },
      { ...base, label: 'unowned' },
      { ...base, label: 'pasted', origin: 'pasted' },
      { ...base, label: 'jwk', origin: 'jwk-header' },
    ];
    const labels = (c: VerificationContext) => keysFor(c, keys).map((k) => k.label);
    expect(labels(REQ)).toEqual(['mine', 'pasted']);
    expect(labels({ direction: 'response-from', partner: 'qitech' })).toEqual(['qitech', 'pasted']);
    expect(labels({ direction: 'none' })).toEqual(['mine', 'qitech', 'qredo', 'unowned', 'pasted']);
    expect(skippedKeys(REQ, keys)).toEqual({
      unowned: ['unowned'],
      otherOwner: [
        { label: 'qitech', owner: 'qitech' },
        { label: 'qredo', owner: 'qredo' },
      ],
    });
    expect(keyFits({ direction: 'none' }, keys[5]!)).toBe(false);
  });
});

describe('no module but src/lib/trust makes the verified state', () => {
  const root = join(import.meta.dirname, '../../../src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(n) ? [p] : [];
    });

  it("only trust/verdict.ts writes state 'verified' for a request, and only it casts to Verified", () => {
    const offenders: string[] = [];
    for (const f of files(root)) {
      const rel = relative(root, f);
      if (rel.startsWith('lib/trust/')) continue;
      const text = readFileSync(f, 'utf8');
      // A request verdict's state set to 'verified', a cast to the brand, or a verified flag set true.
      if (/state:\s*['"`]verified['"`]/.test(text) && rel !== 'lib/jwt/verify.ts')
        offenders.push(`${rel}: state`);
      if (/\bVerified\b/.test(text) && !/import type \{[^}]*\bVerified\b/.test(text))
        offenders.push(`${rel}: Verified`);
      if (/\bverified:\s*true\b/.test(text) && rel !== 'lib/jwt/verify.ts')
        offenders.push(`${rel}: verified: true`);
    }
    expect(offenders).toEqual([]);
  });

  it("the plain-JWT verifier's one 'verified' is behind a trusted key (never x5c or a header jwk)", () => {
    const text = readFileSync(join(root, 'lib/jwt/verify.ts'), 'utf8');
    expect(text.match(/state:\s*'verified'/g)?.length).toBe(1);
  });
});
