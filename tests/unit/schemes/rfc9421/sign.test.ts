/**
 * RFC 9421 signing: deterministic algorithms reproduce the RFC's signatures exactly (B.2.5 HMAC,
 * B.2.6 Ed25519) and Node's own RSASSA-PKCS1-v1_5; the curl command sends what was signed; bad
 * input is refused with a specific code.
 */
import { createSign, createPrivateKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { isKeybenchError } from '../../../../src/lib/errors';
import { base64ToBytes, bytesToBase64 } from '../../../../src/lib/encoding/base64url';
import { parseKeyText } from '../../../../src/lib/keys/parse';
import { toRequestCheck } from '../../../../src/lib/scheme/check';
import { recognise } from '../../../../src/lib/schemes/rfc9421/components';
import scheme from '../../../../src/lib/schemes/rfc9421/scheme';
import { MISTAKES } from '../../../../src/lib/schemes/rfc9421/mistakes';
import { signRequest, type SignInput } from '../../support/rfc9421-engine';
import { verifyRequest } from '../../support/rfc9421-engine';
import { publicKey, req, request, secretKey } from '../../support/rfc9421-helpers';
import * as V from '../../support/rfc9421-vectors';

const CREATED = 1618884473;

async function privateKey(pem: string, alg: RsaHashedImportParams | Algorithm): Promise<CryptoKey> {
  const parsed = await parseKeyText(pem);
  if (parsed.kind !== 'private' || !parsed.pkcs8) throw new Error('not a private key');
  return crypto.subtle.importKey('pkcs8', parsed.pkcs8, alg, false, ['sign']);
}

/**
 * The RFC's test-key-rsa-pss is an id-RSASSA-PSS PKCS#8 file, which WebCrypto (and keybench's key
 * reader) refuse: the same RSA key, relabelled rsaEncryption.
 */
function asRsaEncryption(pem: string): ArrayBuffer {
  const der = base64ToBytes(pem.replace(/-----[^-]+-----/g, ''));
  const info = AsnConvert.parse(der, PrivateKeyInfo);
  info.privateKeyAlgorithm = new AlgorithmIdentifier({
    algorithm: '1.2.840.113549.1.1.1',
    parameters: new Uint8Array([5, 0]).buffer,
  });
  return AsnConvert.serialize(info);
}

/** The RFC's test-request without any signature. */
const testRequest = () => request(V.TEST_REQUEST);

function sigOf(signed: string): { input: string; signature: string } {
  const line = (n: string) =>
    signed
      .split('\n')
      .find((l) => l.startsWith(`${n}: `))!
      .slice(n.length + 2);
  return { input: line('Signature-Input'), signature: line('Signature') };
}

describe('signing reproduces the RFC', () => {
  it('B.2.6 ed25519: same Signature-Input, same base, same signature, byte for byte', async () => {
    const out = await signRequest({
      request: testRequest(),
      covered: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
      params: { created: CREATED, keyid: 'test-key-ed25519' },
      key: await privateKey(V.TEST_KEY_ED25519_PRIVATE, { name: 'Ed25519' }),
      label: 'sig-b26',
    });
    expect(out.base.text).toBe(V.B26_BASE);
    expect(out.signatureInput).toBe(sigOf(V.B26_SIGNED).input);
    expect(out.signature).toBe(sigOf(V.B26_SIGNED).signature);
    expect(out.alg).toBe('ed25519');
  });

  it('B.2.5 hmac-sha256: same signature, byte for byte', async () => {
    const out = await signRequest({
      request: testRequest(),
      covered: ['date', '@authority', 'content-type'],
      params: { created: CREATED, keyid: 'test-shared-secret' },
      key: { secret: base64ToBytes(V.TEST_SHARED_SECRET) },
      label: 'sig-b25',
    });
    expect(out.base.text).toBe(V.B25_BASE);
    expect(out.signatureInput).toBe(sigOf(V.B25_SIGNED).input);
    expect(out.signature).toBe(sigOf(V.B25_SIGNED).signature);
  });

  it('B.2.2 shape with a fresh RSA-PSS signature: the RFC test key verifies it', async () => {
    const out = await signRequest({
      request: testRequest(),
      covered: ['@authority', 'content-digest', '@query-param;name="Pet"'],
      params: { created: CREATED, keyid: 'test-key-rsa-pss', tag: 'header-example' },
      key: await crypto.subtle.importKey(
        'pkcs8',
        asRsaEncryption(V.TEST_KEY_RSA_PSS_PRIVATE),
        { name: 'RSA-PSS', hash: 'SHA-512' },
        false,
        ['sign'],
      ),
      label: 'sig-b22',
    });
    expect(out.base.text).toBe(V.B22_BASE);
    expect(out.signatureInput).toBe(sigOf(V.B22_SIGNED).input);
    expect(out.contentDigest).toBeUndefined(); // the request already has one: it is kept, not replaced
    const v = await verifyRequest({
      request: out.request,
      keys: [await publicKey(V.TEST_KEY_RSA_PSS_PUB, 'test-key-rsa-pss')],
      nowMs: CREATED * 1000,
    });
    expect(v.results[0]!.signatureHolds).toBe(true);
  });

  it('rsa-v1_5-sha256 with the B.1.1 test key: exactly what Node (OpenSSL) signs', async () => {
    const out = await signRequest({
      request: testRequest(),
      covered: ['@method', '@path', '@query', '@authority', 'content-digest'],
      params: { created: CREATED, keyid: 'test-key-rsa', alg: true },
      key: await privateKey(V.TEST_KEY_RSA_PRIVATE, {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
      } as RsaHashedImportParams),
    });
    const node = createSign('sha256').update(out.base.text).sign(createPrivateKey(V.TEST_KEY_RSA_PRIVATE));
    expect(out.signature).toBe(`sig1=:${bytesToBase64(node)}:`);
    expect(out.signatureInput).toBe(
      'sig1=("@method" "@path" "@query" "@authority" "content-digest");created=1618884473;keyid="test-key-rsa";alg="rsa-v1_5-sha256"',
    );
    const v = await verifyRequest({
      request: out.request,
      keys: [await publicKey(V.TEST_KEY_RSA_PUB, 'test-key-rsa')],
      nowMs: CREATED * 1000,
    });
    expect(v.results[0]).toMatchObject({ signatureHolds: true, alg: 'rsa-v1_5-sha256' });
  });
});

describe('the curl command sends what was signed', () => {
  it('curl → keybench reads it back → the signature holds and Content-Digest matches', async () => {
    const key = await privateKey(V.TEST_KEY_ED25519_PRIVATE, { name: 'Ed25519' });
    const body = `{"it's": "quoted", "n": 1}`;
    const out = await signRequest({
      request: req(
        'POST',
        "https://example.com/it's?x=1&y=two%20words",
        [
          ['Content-Type', 'application/json'],
          ['X-Multi', 'a'],
          ['X-Multi', 'b'],
        ],
        body,
      ),
      covered: ['@method', '@target-uri', 'content-type', 'content-digest', 'x-multi'],
      params: { created: CREATED, keyid: 'test-key-ed25519' },
      key,
      digest: 'sha-256',
    });
    expect(out.added.map(([k]) => k)).toEqual(['Content-Digest', 'Signature-Input', 'Signature']);
    expect(out.contentDigest).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    expect(out.curl).toContain("-H 'Signature-Input: ");
    const back = request(out.curl);
    const v = await verifyRequest({
      request: back,
      keys: [await publicKey(V.TEST_KEY_ED25519_PUB, 'test-key-ed25519')],
      nowMs: CREATED * 1000,
    });
    expect(v.results[0]!.signatureHolds).toBe(true);
    expect(v.results[0]!.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('bad sign input is refused with a specific code', () => {
  async function base(): Promise<SignInput> {
    return {
      request: req('GET', 'https://example.com/foo', []),
      covered: ['@method'],
      params: { created: CREATED },
      key: await privateKey(V.TEST_KEY_ED25519_PRIVATE, { name: 'Ed25519' }),
    };
  }
  const cases: [string, (i: SignInput) => SignInput | Promise<SignInput>, string][] = [
    [
      'created in milliseconds',
      (i) => ({ ...i, params: { created: CREATED * 1000 } }),
      'ERR_HTTPSIG_SIGN_INPUT',
    ],
    [
      'a component that does not parse',
      (i) => ({ ...i, covered: ['@query-param;name='] }),
      'ERR_HTTPSIG_SIGN_INPUT',
    ],
    [
      'a header the request lacks',
      (i) => ({ ...i, covered: ['x-missing'] }),
      'ERR_HTTPSIG_MISSING_COMPONENT',
    ],
    [
      'a component covered twice',
      (i) => ({ ...i, covered: ['@method', '@method'] }),
      'ERR_HTTPSIG_DUPLICATE_COMPONENT',
    ],
    ['@status on a request', (i) => ({ ...i, covered: ['@status'] }), 'ERR_HTTPSIG_COMPONENT'],
    [
      'an algorithm the key cannot sign',
      (i) => ({ ...i, alg: 'ecdsa-p256-sha256' }),
      'ERR_HTTPSIG_SIGN_INPUT',
    ],
    ['an empty secret', (i) => ({ ...i, key: { secret: new Uint8Array(0) } }), 'ERR_HTTPSIG_SIGN_INPUT'],
    ['an invalid label', (i) => ({ ...i, label: 'Sig 1' }), 'ERR_HTTPSIG_SIGN_INPUT'],
  ];
  for (const [name, change, code] of cases) {
    it(name, async () => {
      const e = await signRequest(await change(await base())).catch((x: unknown) => x);
      expect(isKeybenchError(e)).toBe(true);
      expect((e as { code: string }).code).toBe(code);
    });
  }

  it('a public key cannot sign', async () => {
    const pub = await crypto.subtle.importKey(
      'spki',
      (await parseKeyText(V.TEST_KEY_ED25519_PUB)).spki,
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    const e = await signRequest({ ...(await base()), key: pub }).catch((x: unknown) => x);
    expect(isKeybenchError(e, 'ERR_HTTPSIG_SIGN_INPUT')).toBe(true);
  });
});

describe('the scheme object', () => {
  it('recognises a request by Signature-Input and Signature, in any case', () => {
    expect(recognise(request(V.B26_SIGNED))).toBe(true);
    expect(
      recognise(
        req('GET', 'https://x.example/', [
          ['signature-input', 'a=()'],
          ['SIGNATURE', 'a=:AA==:'],
        ]),
      ),
    ).toBe(true);
    expect(recognise(request(V.TEST_REQUEST))).toBe(false);
    expect(recognise(req('GET', 'https://x.example/', [['Signature', 'keyId="x",signature="y"']]))).toBe(
      false,
    );
  });

  it('has its fields and mistakes as data, and names the Sign form fields the e2e hooks use', () => {
    expect(scheme.id).toBe('rfc9421');
    expect(toRequestCheck(scheme).id).toBe('rfc9421');
    expect(scheme.name).toBe('HTTP Message Signatures (RFC 9421)');
    expect(scheme.signer.fields.map((f) => f.label)).toEqual(
      expect.arrayContaining(['Method', 'URL', 'Body']),
    );
    for (const f of scheme.signer.fields) expect(f.help.length).toBeGreaterThan(10);
    expect(MISTAKES.length).toBeGreaterThanOrEqual(10);
  });

  it('verifies through the request check the registry loads too', async () => {
    const r = await toRequestCheck(scheme).verify({
      request: request(V.B25_SIGNED),
      keys: [secretKey(V.TEST_SHARED_SECRET, 's')],
      nowMs: CREATED * 1000,
    });
    const results = Array.isArray(r) ? r : [r];
    expect(results.map((x) => x.signedBy?.label)).toEqual(['s']);
  });
});
