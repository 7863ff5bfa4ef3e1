/**
 * No freeze, whatever is pasted: size caps come before any scan, and the Qredo
 * doctor does no arithmetic with an RSA key WebCrypto would not import. Each case failed (threw,
 * kept the text, or took seconds) before its fix.
 */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPublicKey, id_rsaEncryption } from '@peculiar/asn1-rsa';
import { Inspector } from '../../../src/state/inspector.svelte';
import { keysFromText, publicHalfOf } from '../../../src/lib/jwt/candidates';
import {
  MAX_KEY_TEXT,
  holdsPrivateKey,
  keyTextTooLarge,
  scanKeyMaterial,
} from '../../../src/lib/keys/key-material';
import { parseKeySetText, parseKeyText } from '../../../src/lib/keys/parse';
import { diagnoseQredo } from '../support/qredo-helpers';
import { recover, rsaNumbers } from '../../../src/lib/crypto/rsa-recover';
import QITECH from '../../../src/lib/schemes/qitech/scheme';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { nodeJws, toolKey } from '../support/jwt-helpers';

/** 6 M characters: what overflowed a regular expression's stack in the key box. */
const SIX_M = 'AAAAAAAAAAAAAAAAAAAA\n'.repeat(300_000);

describe('size caps come before any scan', () => {
  it('6 M characters are not scanned: they count as unread, possibly private, key material', () => {
    expect(scanKeyMaterial(SIX_M)).toEqual({
      kinds: ['text too large to read'],
      hasPrivate: true,
      der: [],
      points: [],
    });
    expect(holdsPrivateKey(`${toolKey('rsa2048').privatePem}${'x'.repeat(6_000_000)}`)).toBe(true);
  });

  it.each([
    ['lines of base64', 'AAAAAAAAAAAAAAAAAAAA\n'],
    ['short base64 lines', 'AAAA\n'],
    ['hex with colons', 'ab:'],
    ['a decimal byte list', '1,'],
    ['a hex byte list', '0x30, '],
    ['escapes', '\\u0041'],
    ['percent-encoding', '%41'],
  ])('%s up to the cap are scanned without overflowing a stack', (_, unit) => {
    const text = unit.repeat(Math.ceil(MAX_KEY_TEXT / unit.length)).slice(0, MAX_KEY_TEXT);
    expect(() => scanKeyMaterial(text)).not.toThrow();
  });

  it('the key box, the import box and the QI Tech check box refuse it with the exact message', async () => {
    const message =
      'The key text is 6152 KB; keybench reads key text up to 256 KB (a key, a certificate chain or a JWKS is far smaller) and did not read this text. Paste only the key.';
    expect(keyTextTooLarge(SIX_M)).toBe(message);
    expect(await keysFromText(SIX_M, 'RS256', 'text')).toEqual({
      candidates: [],
      error: { code: 'ERR_KEY_TOO_LARGE', message },
    });
    await expect(parseKeyText(SIX_M)).rejects.toMatchObject({ code: 'ERR_KEY_TOO_LARGE', message });
    await expect(parseKeySetText(SIX_M)).rejects.toMatchObject({ code: 'ERR_KEY_TOO_LARGE' });
    expect(await publicHalfOf(SIX_M)).toEqual({ source: 'text too large to read', problem: message });
  });

  it('the inspector: a private key with 6 M characters of filler is cleared, and the old "verified" does not stay', async () => {
    const a = toolKey('rsa2048');
    const i = new Inspector();
    i.token = nodeJws('RS256', a.privateKey);
    i.keyText = a.publicPem;
    await i.verify();
    expect(i.verdict?.state).toBe('verified');
    i.keyText = `${a.privatePem}\n${SIX_M}`;
    expect(i.keyText).toBe('');
    await i.verify();
    expect(i.verdict?.state).toBe('failed');
    expect(i.verdict?.code).toBe('ERR_KEY_TOO_LARGE');
    expect(i.keyBox?.error?.message).toMatch(
      /did not read this text\. Paste only the key\. The box was cleared/,
    );
    // A new paste is read as usual.
    i.keyText = a.publicPem;
    await i.verify();
    expect(i.verdict?.state).toBe('verified');
  });
});

describe('the Qredo doctor refuses RSA keys WebCrypto would not import, before any arithmetic', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const modulus = AsnConvert.parse(
    AsnConvert.parse(spki, SubjectPublicKeyInfo).subjectPublicKey,
    RSAPublicKey,
  ).modulus;
  /** The same modulus with a 17 KB odd public exponent. */
  function hugeExponentKey(n: number): Extract<VerificationKey, { kind: 'public' }> {
    const e = new Uint8Array(17 * 1024).fill(0xa5 + n);
    e[e.length - 1] = 0x01;
    const pub = new RSAPublicKey({ modulus, publicExponent: e.buffer });
    const der = AsnConvert.serialize(
      new SubjectPublicKeyInfo({
        algorithm: new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null }),
        subjectPublicKey: AsnConvert.serialize(pub),
      }),
    );
    return {
      kind: 'public',
      label: `huge exponent ${n}`,
      origin: 'stored',
      spki: new Uint8Array(der),
      type: { kty: 'RSA', bits: 2048 },
    };
  }

  it('three keys with 17 KB exponents: named as not used, and no key made the signature', async () => {
    const ts = '1700000000';
    const url = 'https://play-api.qredo.network/api/v1/p/company';
    const body = '{"name":"Acme"}';
    const sig = nodeSign('sha256', Buffer.from(`${ts}${url}{"name": "Acme"}`), privateKey).toString(
      'base64url',
    );
    const apiKey = Buffer.from(JSON.stringify({ key_id: 'k', key: 's' })).toString('base64url');
    const v = await diagnoseQredo({
      request: {
        source: 'curl',
        method: 'POST',
        url,
        headers: [
          ['x-api-key', apiKey],
          ['x-timestamp', ts],
          ['x-sign', sig],
        ],
        body,
        notes: [],
      },
      keys: [hugeExponentKey(0), hugeExponentKey(1), hugeExponentKey(2)],
      nowMs: 1700000000 * 1000,
    });
    expect(v.state).toBe('failed');
    expect(v.signatureVerified).toBe(false);
    // WebCrypto imports none of them, so none is used: no key to check with.
    expect(v.findings.find((f) => f.check === 'signature')?.code).toBe('ERR_REQUEST_NO_KEY');
    // Who made a signature (RSA's public operation) does no arithmetic with such a key.
    const s = Buffer.from(sig, 'base64url');
    for (const n of [0, 1, 2]) expect(await recover(hugeExponentKey(n).spki, s)).toBeNull();
    expect(rsaNumbers(hugeExponentKey(0).spki)).toBeNull();
  });

  it('the key box refuses such a key with a clear message', async () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(hugeExponentKey(0).spki).toString('base64')}\n-----END PUBLIC KEY-----\n`;
    await expect(parseKeyText(pem)).rejects.toMatchObject({
      code: 'ERR_KEY_UNSUPPORTED',
      message:
        "This RSA key's public exponent is 17408 bytes long: WebCrypto imports RSA keys whose exponent is odd, at least 3 and at most 2³²−1 (almost every key uses 65537). Generate or export the key again.",
    });
  });
});

/** A v2 token's shape (its claims are not checked here). */
const TOKEN = `eyJhbGciOiJFUzUxMiJ9.${Buffer.from('{"uri":"/test"}').toString('base64url')}.AA`;

describe('the QI Tech doctor builds serialisations lazily and within a bound', () => {
  const v2 = QITECH.find((s) => s.id === 'qit-v2')!;
  /** The bodies payload_md5 may hash instead of the one sent, as the scheme's mistakes try them. */
  const forms = (body: string) => {
    const request = {
      source: 'curl' as const,
      method: 'POST',
      url: 'https://h/test',
      headers: [],
      body,
      notes: [],
    };
    const read = v2.read({ ...request, headers: [['AUTHORIZATION', TOKEN]] });
    if (!('parts' in read)) throw new Error('not read');
    return v2.mistakes
      .filter((m) => m.code === 'ERR_QIT_V2_SERIALISATION')
      .flatMap((m) => {
        try {
          return [...m.variants(read.parts, request)].map((v) => v.signed);
        } catch {
          return []; // as the search does: a form that cannot be made (not JSON) is not tried
        }
      });
  };

  it('a 7 MB JSON body: only the likeliest forms are built (no pretty-printing past the bound)', () => {
    const body = JSON.stringify({
      items: Array.from({ length: 150_000 }, (_, i) => ({ id: i, name: 'item', ok: true })),
    });
    expect(body.length).toBeGreaterThan(5_000_000);
    // compact is the body itself (no variant); python is built; pretty forms are past the bound.
    expect(forms(body)).toHaveLength(2);
    // A small body still gets every form.
    expect(forms('{ "a" : 1 }  ')).toEqual([
      '{"a":1}',
      '{"a": 1}',
      '{\n  "a": 1\n}',
      '{\n    "a": 1\n}',
      '{ "a" : 1 }',
    ]);
  });

  it('a long run of inner whitespace is trimmed in linear time (no /\\s+$/)', { timeout: 10_000 }, () => {
    const body = `${' '.repeat(300_000)}x`;
    expect(forms(body)).toEqual([`${body}\n`]);
  });
});
