/**
 * Interop with an independent implementation, http-message-signatures (npm): what it signs,
 * keybench verifies; what keybench signs, it verifies; for every algorithm of RFC 9421 §3.3.
 * Tampering with any covered component breaks the signature on both sides.
 */
import { constants, createSign, KeyObject, webcrypto } from 'node:crypto';
import { createSigner, createVerifier, httpbis, type Request } from 'http-message-signatures';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import type { HttpSigAlg } from '../../../../src/lib/schemes/rfc9421/algorithms';
import { contentDigest } from '../../../../src/lib/schemes/rfc9421/digest';
import { signRequest } from '../../support/rfc9421-engine';
import { verifyRequest } from '../../support/rfc9421-engine';
import { req } from '../../support/rfc9421-helpers';

const GEN: Record<Exclude<HttpSigAlg, 'hmac-sha256'>, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm> = {
  'rsa-pss-sha512': {
    name: 'RSA-PSS',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-512',
  } as RsaHashedKeyGenParams,
  'rsa-v1_5-sha256': {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  } as RsaHashedKeyGenParams,
  'ecdsa-p256-sha256': { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams,
  'ecdsa-p384-sha384': { name: 'ECDSA', namedCurve: 'P-384' } as EcKeyGenParams,
  ed25519: { name: 'Ed25519' },
};

const ALGS = [
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
  'ecdsa-p256-sha256',
  'ecdsa-p384-sha384',
  'ed25519',
  'hmac-sha256',
] as const;

const NOW = 1_760_000_000_000;
const BODY = '{"amount": 10, "to": "alice"}';
const URL = 'https://api.example.com/v1/pay?currency=EUR&note=two%20words';
const FIELDS = [
  '@method',
  '@authority',
  '@path',
  '@query',
  '@target-uri',
  '@request-target',
  '@scheme',
  '@query-param;name="currency"',
  'content-type',
  'content-digest',
  'x-multi',
];

interface Material {
  /** For keybench's signer: a non-extractable private key (or the secret). */
  signKey: CryptoKey | { secret: Uint8Array<ArrayBuffer> };
  /** For keybench's verifier: the key as a trusted key. */
  trusted: VerificationKey;
  /** For the library: Node key objects or the secret. */
  libPrivate: KeyObject | Buffer;
  libPublic: KeyObject | Buffer;
}

async function material(alg: HttpSigAlg): Promise<Material> {
  if (alg === 'hmac-sha256') {
    const secret = new Uint8Array(webcrypto.getRandomValues(new Uint8Array(32)));
    return {
      signKey: { secret },
      trusted: { kind: 'secret', label: 'shared', origin: 'pasted', secret },
      libPrivate: Buffer.from(secret),
      libPublic: Buffer.from(secret),
    };
  }
  const pair = (await crypto.subtle.generateKey(GEN[alg], true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', pair.privateKey);
  const nonExtractable = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    GEN[alg] as RsaHashedImportParams,
    false,
    ['sign'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return {
    signKey: nonExtractable,
    trusted: {
      kind: 'public',
      label: 'partner key',
      origin: 'pasted',
      spki,
      type: keyTypeOf(pair.publicKey),
      kid: 'kid-1',
    },
    libPrivate: KeyObject.from(pair.privateKey),
    libPublic: KeyObject.from(pair.publicKey),
  };
}

function baseRequest(digest: string) {
  return req(
    'POST',
    URL,
    [
      ['Content-Type', 'application/json'],
      ['Content-Digest', digest],
      ['X-Multi', 'a'],
      ['X-Multi', 'b'],
    ],
    BODY,
  );
}

function toLib(r: { method: string; url: string; headers: [string, string][] }): Request {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of r.headers) {
    const n = k.toLowerCase();
    const prev = headers[n];
    headers[n] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return { method: r.method, url: r.url, headers };
}

function fromLib(r: Request, body: string) {
  const headers: [string, string][] = [];
  for (const [k, v] of Object.entries(r.headers))
    for (const x of Array.isArray(v) ? v : [v]) headers.push([k, x]);
  return req(r.method, String(r.url), headers, body);
}

/** The library's signer, except RSA-PSS with the RFC's 64-byte salt (its default is the largest). */
function libSigner(alg: HttpSigAlg, m: Material, salt64: boolean) {
  if (alg === 'rsa-pss-sha512' && salt64)
    return {
      id: 'kid-1',
      alg,
      sign: async (data: Buffer) =>
        createSign('sha512')
          .update(data)
          .sign({ key: m.libPrivate as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }),
    };
  return createSigner(m.libPrivate, alg, 'kid-1');
}

async function libSign(alg: HttpSigAlg, m: Material, salt64 = true) {
  const digest = await contentDigest(BODY);
  const signed = await httpbis.signMessage(
    {
      key: libSigner(alg, m, salt64),
      fields: FIELDS,
      params: ['created', 'expires', 'keyid', 'alg', 'nonce'],
      paramValues: { created: new Date(NOW), expires: new Date(NOW + 300_000), nonce: 'n-1' },
    },
    toLib(baseRequest(digest)),
  );
  return fromLib(signed, BODY);
}

async function libVerify(
  alg: HttpSigAlg,
  m: Material,
  r: { method: string; url: string; headers: [string, string][] },
) {
  return httpbis.verifyMessage(
    {
      keyLookup: async () => ({ id: 'kid-1', algs: [alg], verify: createVerifier(m.libPublic, alg) }),
      notAfter: NOW + 60_000,
      tolerance: 1e9,
    },
    toLib(r),
  );
}

describe('http-message-signatures signs, keybench verifies', () => {
  for (const alg of ALGS) {
    it(alg, async () => {
      const m = await material(alg);
      const signed = await libSign(alg, m);
      const v = await verifyRequest({ request: signed, keys: [m.trusted], nowMs: NOW + 1000 });
      const r = v.results[0]!;
      expect(r.signatureHolds).toBe(true);
      expect(r.alg).toBe(alg);
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(r.signatureBase.some((l) => l === '"x-multi": a, b')).toBe(true);
      expect(r.signatureBase).toContain('"@query-param";name="currency": EUR');
    });

    it(`${alg}: a tampered component never verifies`, async () => {
      const m = await material(alg);
      const signed = await libSign(alg, m);
      const tampered = [
        { ...signed, method: 'PUT' },
        { ...signed, url: signed.url.replace('EUR', 'USD') },
        { ...signed, url: signed.url.replace('api.example.com', 'evil.example.com') },
        { ...signed, url: signed.url.replace('/v1/pay', '/v1/pay2') },
        {
          ...signed,
          headers: signed.headers.map(([k, v]): [string, string] => [
            k,
            k === 'content-type' ? 'text/plain' : v,
          ]),
        },
        { ...signed, headers: signed.headers.filter(([k, v]) => !(k === 'x-multi' && v === 'b')) },
      ];
      for (const t of tampered) {
        const v = await verifyRequest({ request: t, keys: [m.trusted], nowMs: NOW + 1000 });
        expect(v.results[0]!.signatureHolds).toBe(false);
        expect(await libVerify(alg, m, t)).toBe(false);
      }
      const body = await verifyRequest({
        request: { ...signed, body: BODY.replace('10', '99') },
        keys: [m.trusted],
        nowMs: NOW + 1000,
      });
      expect(body.results[0]!.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_DIGEST_MISMATCH');
    });
  }

  it("rsa-pss-sha512 with Node's default salt (the largest, not 64): does not hold, and the salt is diagnosed", async () => {
    const m = await material('rsa-pss-sha512');
    const signed = await libSign('rsa-pss-sha512', m, false);
    const r = (await verifyRequest({ request: signed, keys: [m.trusted], nowMs: NOW + 1000 })).results[0]!;
    expect(r.signatureHolds).toBe(false);
    expect(r.diagnoses.map((d) => d.code)).toEqual(['ERR_HTTPSIG_PSS_SALT']);
  });
});

describe('keybench signs, http-message-signatures verifies', () => {
  for (const alg of ALGS) {
    it(alg, async () => {
      const m = await material(alg);
      const out = await signRequest({
        request: req(
          'POST',
          URL,
          [
            ['Content-Type', 'application/json'],
            ['X-Multi', 'a'],
            ['X-Multi', 'b'],
          ],
          BODY,
        ),
        covered: FIELDS,
        params: { created: NOW / 1000, expires: NOW / 1000 + 300, keyid: 'kid-1', nonce: 'n-1', alg: true },
        key: m.signKey,
        alg,
      });
      expect(out.contentDigest).toBe(await contentDigest(BODY));
      expect(await libVerify(alg, m, out.request)).toBe(true);
      // and keybench's own verify agrees
      const v = await verifyRequest({ request: out.request, keys: [m.trusted], nowMs: NOW + 1000 });
      expect(v.results[0]!.signatureHolds).toBe(true);
      // tampered: the library refuses it too
      expect(await libVerify(alg, m, { ...out.request, method: 'GET' })).toBe(false);
    });
  }
});
