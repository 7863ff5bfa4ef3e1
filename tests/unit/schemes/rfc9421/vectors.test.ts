/**
 * RFC 9421 Appendix B: the B.2 request examples verify with the B.1 test keys, and keybench builds
 * each signature base byte for byte as the RFC prints it.
 */
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../../support/rfc9421-engine';
import { publicKey, request, secretKey } from '../../support/rfc9421-helpers';
import * as V from '../../support/rfc9421-vectors';

const NOW = 1618884473_000 + 30_000;

const CASES = [
  {
    name: 'B.2.1 minimal, rsa-pss-sha512',
    label: 'sig-b21',
    signed: V.B21_SIGNED,
    base: V.B21_BASE,
    key: 'pss',
    alg: 'rsa-pss-sha512',
  },
  {
    name: 'B.2.2 selective, rsa-pss-sha512',
    label: 'sig-b22',
    signed: V.B22_SIGNED,
    base: V.B22_BASE,
    key: 'pss',
    alg: 'rsa-pss-sha512',
  },
  {
    name: 'B.2.3 full coverage, rsa-pss-sha512',
    label: 'sig-b23',
    signed: V.B23_SIGNED,
    base: V.B23_BASE,
    key: 'pss',
    alg: 'rsa-pss-sha512',
  },
  {
    name: 'B.2.5 hmac-sha256',
    label: 'sig-b25',
    signed: V.B25_SIGNED,
    base: V.B25_BASE,
    key: 'hmac',
    alg: 'hmac-sha256',
  },
  {
    name: 'B.2.6 ed25519',
    label: 'sig-b26',
    signed: V.B26_SIGNED,
    base: V.B26_BASE,
    key: 'ed25519',
    alg: 'ed25519',
  },
] as const;

async function keys() {
  return {
    pss: await publicKey(V.TEST_KEY_RSA_PSS_PUB, 'test-key-rsa-pss'),
    ed25519: await publicKey(V.TEST_KEY_ED25519_PUB, 'test-key-ed25519'),
    hmac: secretKey(V.TEST_SHARED_SECRET, 'test-shared-secret'),
    rsa: await publicKey(V.TEST_KEY_RSA_PUB, 'test-key-rsa'),
    p256: await publicKey(V.TEST_KEY_ECC_P256_PUB, 'test-key-ecc-p256'),
  };
}

describe('RFC 9421 Appendix B.2 requests', () => {
  for (const c of CASES) {
    it(`${c.name}: base byte for byte, and the signature holds with the test key`, async () => {
      const k = await keys();
      const v = await verifyRequest({ request: request(c.signed), keys: [k[c.key]], nowMs: NOW });
      expect(v.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(v.results).toHaveLength(1);
      const r = v.results[0]!;
      expect(r.label).toBe(c.label);
      expect(r.base?.text).toBe(c.base);
      expect(r.signatureBase.join('\n')).toBe(c.base);
      expect(r.signatureHolds).toBe(true);
      expect(r.alg).toBe(c.alg);
      expect(r.verifyingKey?.label).toBe(
        c.key === 'hmac' ? 'test-shared-secret' : `test-key-${c.key === 'pss' ? 'rsa-pss' : c.key}`,
      );
      expect(r.diagnoses).toEqual([]);
    });

    it(`${c.name}: does not hold with the other test keys`, async () => {
      const k = await keys();
      const others = Object.entries(k)
        .filter(([name]) => name !== c.key)
        .map(([, key]) => key);
      const v = await verifyRequest({ request: request(c.signed), keys: others, nowMs: NOW });
      expect(v.results[0]!.signatureHolds).toBe(false);
    });
  }

  it('B.2.2 and B.2.3 check the covered Content-Digest against the body', async () => {
    const k = await keys();
    for (const signed of [V.B22_SIGNED, V.B23_SIGNED]) {
      const v = await verifyRequest({ request: request(signed), keys: [k.pss], nowMs: NOW });
      const digest = v.results[0]!.findings.find((f) => f.check === 'rfc9421.content-digest');
      expect(digest?.code).toBe('OK');
    }
  });

  it('B.2.1 covers nothing: a warning says the signature could be moved to any request', async () => {
    const k = await keys();
    const v = await verifyRequest({ request: request(V.B21_SIGNED), keys: [k.pss], nowMs: NOW });
    expect(v.results[0]!.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_EMPTY_COVERAGE');
  });

  it('a signature that does not cover the method, path or host says so (it could be replayed on another target)', async () => {
    const k = await keys();
    const codes = async (signed: string, key: Parameters<typeof verifyRequest>[0]['keys'][number]) =>
      (
        await verifyRequest({ request: request(signed), keys: [key], nowMs: NOW })
      ).results[0]!.findings.filter((f) => f.check === 'rfc9421.coverage-target').map((f) => [
        f.code,
        f.severity,
        f.detail.includes('@method'),
        f.detail.includes('@path'),
      ]);
    // B.2.2 covers @authority, content-digest and @query-param only: no method, no path.
    expect(await codes(V.B22_SIGNED, k.pss)).toEqual([
      ['ERR_HTTPSIG_TARGET_NOT_COVERED', 'warning', true, true],
    ]);
    // B.2.3 covers @method, @path and @authority: nothing to say.
    expect(await codes(V.B23_SIGNED, k.pss)).toEqual([]);
  });

  it('all five signatures in one message: each judged and labelled', async () => {
    const k = await keys();
    const lines = [V.B21_SIGNED, V.B22_SIGNED, V.B23_SIGNED, V.B25_SIGNED, V.B26_SIGNED].map((t) =>
      t.split('\n').filter((l) => l.startsWith('Signature')),
    );
    const head = V.TEST_REQUEST.split('\n\n')[0]!;
    const text = `${head}\n${lines.map((l) => l[0]).join('\n')}\n${lines.map((l) => l[1]).join('\n')}\n\n{"hello": "world"}`;
    const v = await verifyRequest({ request: request(text), keys: [k.pss, k.hmac, k.ed25519], nowMs: NOW });
    expect(v.results.map((r) => [r.label, r.signatureHolds, r.verifyingKey?.label])).toEqual([
      ['sig-b21', true, 'test-key-rsa-pss'],
      ['sig-b22', true, 'test-key-rsa-pss'],
      ['sig-b23', true, 'test-key-rsa-pss'],
      ['sig-b25', true, 'test-shared-secret'],
      ['sig-b26', true, 'test-key-ed25519'],
    ]);
    for (const r of v.results)
      expect(r.signatureBase.join('\n')).toBe(CASES.find((c) => c.label === r.label)!.base);
  });
});
