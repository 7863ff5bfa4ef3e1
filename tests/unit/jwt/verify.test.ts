import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verifyToken, type VerificationKey } from '../../../src/lib/jwt/verify';
import { candidatesFromHeader, keysFromText, type SecretEncoding } from '../../../src/lib/jwt/candidates';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import { nodeJws, nodeJwk, pkcs1Public, toolKey, type ToolKey } from '../support/jwt-helpers';
import { tamper } from '../support/attack-corpus';

async function verifyWith(token: string, keyText: string, encoding: SecretEncoding = 'text') {
  const decoded = decodeToken(token);
  const box = await keysFromText(keyText, decoded.header?.alg as string | undefined, encoding);
  expect(box.error, box.error?.message).toBeUndefined();
  return { verdict: await verifyToken(decoded, box.candidates), box };
}

const ASYMMETRIC: { alg: string; key: () => ToolKey }[] = [
  { alg: 'RS256', key: () => toolKey('rsa2048') },
  { alg: 'RS384', key: () => toolKey('rsa2048') },
  { alg: 'RS512', key: () => toolKey('rsa3072') },
  { alg: 'PS256', key: () => toolKey('rsa2048') },
  { alg: 'PS384', key: () => toolKey('rsa3072') },
  { alg: 'PS512', key: () => toolKey('rsa2048') },
  { alg: 'ES256', key: () => toolKey('p256') },
  { alg: 'ES384', key: () => toolKey('p384') },
  { alg: 'ES512', key: () => toolKey('p521') },
  { alg: 'EdDSA', key: () => toolKey('ed25519') },
];

describe.each(ASYMMETRIC)('$alg signed by node:crypto with an openssl/ssh-keygen key', ({ alg, key }) => {
  it('verifies with the SPKI PEM, the certificate, the JWK, a JWKS and the armourless body', async () => {
    const k = key();
    const token = nodeJws(alg, k.privateKey);
    const body = k.publicPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('\n');
    // The JWKS holds another key beside this one: the token names its key by kid, as a server
    // selecting keys from a set needs.
    const jwks = JSON.stringify({
      keys: [nodeJwk(toolKey('p256'), { kid: 'other' }), nodeJwk(k, { kid: 'mine' })],
    });
    const texts = [k.publicPem, k.certPem, JSON.stringify(nodeJwk(k)), jwks, body];
    if (alg.startsWith('RS') || alg.startsWith('PS')) texts.push(pkcs1Public(k));
    const withKid = nodeJws(alg, k.privateKey, undefined, { kid: 'mine' });
    for (const text of texts) {
      const { verdict } = await verifyWith(text === jwks ? withKid : token, text);
      expect(verdict.verified, `${alg} with ${text.slice(0, 40)}: ${verdict.message}`).toBe(true);
      expect(verdict.message).toMatch(/^Signature verified/);
    }
  });

  it('does not verify when header, payload or signature is altered', async () => {
    const k = key();
    const token = nodeJws(alg, k.privateKey);
    for (const part of [0, 1, 2] as const) {
      const { verdict } = await verifyWith(tamper(token, part), k.publicPem);
      expect(verdict.verified).toBe(false);
      expect(verdict.code).toBe('ERR_JWT_SIGNATURE');
    }
  });
});

describe.each(['HS256', 'HS384', 'HS512'])('%s', (alg) => {
  const secret = randomBytes(64);
  const token = nodeJws(alg, secret);
  it('verifies with the secret as base64, base64url, and an oct JWK; text secrets too', async () => {
    expect((await verifyWith(token, secret.toString('base64'), 'base64')).verdict.verified).toBe(true);
    expect((await verifyWith(token, secret.toString('base64url'), 'base64url')).verdict.verified).toBe(true);
    expect(
      (await verifyWith(token, JSON.stringify({ kty: 'oct', k: secret.toString('base64url') }))).verdict
        .verified,
    ).toBe(true);
    const textToken = nodeJws(alg, Buffer.from('correct horse battery staple'));
    expect((await verifyWith(textToken, 'correct horse battery staple')).verdict.verified).toBe(true);
  });
  it('does not verify with the wrong secret or when altered', async () => {
    const wrong = await verifyWith(token, randomBytes(64).toString('base64'), 'base64');
    expect(wrong.verdict.verified).toBe(false);
    expect(wrong.verdict.code).toBe('ERR_JWT_SIGNATURE');
    for (const part of [0, 1, 2] as const) {
      const t = await verifyWith(tamper(token, part), secret.toString('base64'), 'base64');
      expect(t.verdict.verified).toBe(false);
    }
  });
});

describe('an oct JWK whose "k" is not text', () => {
  it('is the clean base64url refusal, not an exception', async () => {
    // JSON.parse makes objects whose toString is not a function: String() throws on them.
    for (const k of ['{"toString":1}', '{"toString":1,"valueOf":1}', '{"valueOf":{}}']) {
      const box = await keysFromText(`{"kty":"oct","k":${k}}`, 'HS256', 'text');
      expect(box.candidates).toEqual([]);
      expect(box.error?.code, k).toBe('ERR_BASE64');
      expect(box.error?.message).toMatch(/^The oct JWK's "k" is not base64url: /);
    }
  });
});

describe('every failure has its own code and an explanation', () => {
  it('ERR_JWT_SIGNATURE: wrong key, naming every key tried', async () => {
    const token = nodeJws('ES512', toolKey('p521').privateKey);
    const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', other.publicKey));
    const rsa = (await keysFromText(toolKey('rsa2048').publicPem, 'RS256', 'text')).candidates[0]!;
    const keys: VerificationKey[] = [
      {
        kind: 'public',
        label: 'QI Tech 2026-11-23',
        origin: 'stored',
        spki,
        type: { kty: 'EC', curve: 'P-521' },
      },
      { ...rsa, label: 'Qredo', origin: 'stored' } as VerificationKey,
    ];
    const v = await verifyToken(decodeToken(token), keys);
    expect(v.verified).toBe(false);
    expect(v.code).toBe('ERR_JWT_SIGNATURE');
    expect(v.message).toContain('"QI Tech 2026-11-23"');
    expect(v.message).toContain('"Qredo"');
    expect(v.tried).toEqual(['QI Tech 2026-11-23', 'Qredo']);
  });

  it('ERR_JWT_ALG_KEY_MISMATCH: ES512 token, RSA key', async () => {
    const { verdict } = await verifyWith(
      nodeJws('ES512', toolKey('p521').privateKey),
      toolKey('rsa2048').publicPem,
    );
    expect(verdict.code).toBe('ERR_JWT_ALG_KEY_MISMATCH');
    expect(verdict.message).toMatch(/ES512 needs an ECDSA P-521 key.*RSA-2048/);
  });

  it('ERR_JWT_CURVE_MISMATCH: ES512 token, P-256 key', async () => {
    const { verdict } = await verifyWith(
      nodeJws('ES512', toolKey('p521').privateKey),
      toolKey('p256').publicPem,
    );
    expect(verdict.code).toBe('ERR_JWT_CURVE_MISMATCH');
    expect(verdict.message).toContain('ES512 needs a P-521 key');
  });

  it('ERR_JWT_ECDSA_DER: detected, explained, and the converted token verifies', async () => {
    const k = toolKey('p521');
    const der = nodeJws('ES512', k.privateKey, undefined, {}, { der: true });
    const { verdict } = await verifyWith(der, k.publicPem);
    expect(verdict.verified).toBe(false);
    expect(verdict.code).toBe('ERR_JWT_ECDSA_DER');
    expect(verdict.remedy).toMatch(/Java|OpenSSL/);
    expect(verdict.message).toContain('Converted, it verifies');
    const fixed = await verifyWith(verdict.fixedToken!, k.publicPem);
    expect(fixed.verdict.verified).toBe(true);
  });

  it('ERR_JWT_ECDSA_LENGTH: 130 bytes instead of 132 for ES512 (missing zero padding)', async () => {
    const k = toolKey('p521');
    const token = nodeJws('ES512', k.privateKey);
    const [h, p, s] = token.split('.');
    const sig = Buffer.from(s!, 'base64url');
    const short = Buffer.concat([sig.subarray(1, 66), sig.subarray(67)]);
    expect(short.length).toBe(130);
    const { verdict } = await verifyWith(`${h}.${p}.${short.toString('base64url')}`, k.publicPem);
    expect(verdict.code).toBe('ERR_JWT_ECDSA_LENGTH');
    expect(verdict.message).toContain('130 bytes');
    expect(verdict.remedy).toMatch(/2 bytes short.*leading zero/);
  });

  it('ERR_JWT_RS_PS_CONFUSION: header RS256, PSS signature (and the reverse)', async () => {
    const k = toolKey('rsa2048');
    const a = await verifyWith(nodeJws('RS256', k.privateKey, undefined, {}, { pss: true }), k.publicPem);
    expect(a.verdict.code).toBe('ERR_JWT_RS_PS_CONFUSION');
    expect(a.verdict.message).toContain('PS256');
    const b = await verifyWith(nodeJws('PS256', k.privateKey, undefined, {}, { pkcs1: true }), k.publicPem);
    expect(b.verdict.code).toBe('ERR_JWT_RS_PS_CONFUSION');
    expect(b.verdict.message).toContain('RS256');
  });

  it('ERR_JWT_HMAC_WITH_PUBLIC_KEY: an HS256 token "signed" with the public key PEM is refused', async () => {
    const k = toolKey('rsa2048');
    const forged = nodeJws('HS256', Buffer.from(k.publicPem));
    const decoded = decodeToken(forged);
    const verdict = await verdictFor(decoded, await keysFromText(k.publicPem, 'HS256', 'text'), []);
    expect(verdict.verified).toBe(false);
    expect(verdict.code).toBe('ERR_JWT_HMAC_WITH_PUBLIC_KEY');
    expect(verdict.remedy).toContain('algorithm-confusion');
  });

  it('ERR_JWT_UNSECURED: alg none is never verified', async () => {
    const token = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    const v = await verifyToken(decodeToken(token), []);
    expect(v.verified).toBe(false);
    expect(v.code).toBe('ERR_JWT_UNSECURED');
    const none2 = `${Buffer.from('{"alg":"NoNe"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    expect((await verifyToken(decodeToken(none2), [])).code).toBe('ERR_JWT_UNSECURED');
  });

  it('ERR_JWT_CRIT: an unknown critical header is rejected', async () => {
    const k = toolKey('p256');
    const { verdict } = await verifyWith(
      nodeJws('ES256', k.privateKey, undefined, { crit: ['exp-ext'], 'exp-ext': 1 }),
      k.publicPem,
    );
    expect(verdict.code).toBe('ERR_JWT_CRIT');
    expect(verdict.message).toContain('"exp-ext"');
  });

  it('ERR_JWT_B64_FALSE: b64:false without crit is rejected; with crit it verifies over the raw payload', async () => {
    const k = toolKey('p256');
    const { sign } = await import('node:crypto');
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', b64: false })).toString('base64url');
    const bad = `${header}.$.${sign('sha256', Buffer.from(`${header}.$`), { key: k.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    expect((await verifyWith(bad, k.publicPem)).verdict.code).toBe('ERR_JWT_B64_FALSE');
    const header2 = Buffer.from(JSON.stringify({ alg: 'ES256', b64: false, crit: ['b64'] })).toString(
      'base64url',
    );
    const good = `${header2}.hello.${sign('sha256', Buffer.from(`${header2}.hello`), { key: k.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const ok = await verifyWith(good, k.publicPem);
    expect(ok.verdict.verified).toBe(true);
    expect(ok.verdict.notes.join(' ')).toContain('RFC 7797');
  });

  it('ERR_JWT_ALG_UNSUPPORTED and ERR_JWT_NO_KEY', async () => {
    const t = `${Buffer.from('{"alg":"ES256K"}').toString('base64url')}.e30.AAAA`;
    expect((await verifyToken(decodeToken(t), [])).code).toBe('ERR_JWT_ALG_UNSUPPORTED');
    const token = nodeJws('ES256', toolKey('p256').privateKey);
    const v = await verifyToken(decodeToken(token), []);
    expect(v.code).toBe('ERR_JWT_NO_KEY');
    expect(v.verified).toBe(false);
  });

  it('ERR_JWKS_NO_MATCH: a kid no JWKS key has', async () => {
    const token = nodeJws('ES256', toolKey('p256').privateKey, undefined, { kid: 'rotated' });
    // The only key in the set is a different P-256 key, with another kid:
    const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const otherJwk = await crypto.subtle.exportKey('jwk', other.publicKey);
    const { verdict } = await verifyWith(token, JSON.stringify({ keys: [{ ...otherJwk, kid: 'a' }] }));
    expect(verdict.code).toBe('ERR_JWKS_NO_MATCH');
    expect(verdict.message).toContain('"rotated"');
  });

  it('a private key pasted in the key box: its public half is used and the private key is reported, not kept', async () => {
    for (const k of [toolKey('rsa2048'), toolKey('p521')]) {
      const alg = k === toolKey('rsa2048') ? 'RS256' : 'ES512';
      const { verdict, box } = await verifyWith(nodeJws(alg, k.privateKey), k.privatePem);
      expect(verdict.verified).toBe(true);
      expect(box.privateKeyPasted?.publicPem).toBe(k.publicPem);
      expect(JSON.stringify(box.candidates)).not.toContain('PRIVATE');
    }
  });

  it('x5c: the header certificate alone gives the amber "embedded" state, never verified', async () => {
    const k = toolKey('p256');
    const certB64 = k.certPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const token = nodeJws('ES256', k.privateKey, undefined, { x5c: [certB64] });
    const decoded = decodeToken(token);
    const v = await verifyToken(decoded, [], await candidatesFromHeader(decoded.header));
    expect(v.verified).toBe(false);
    expect(v.state).toBe('embedded');
    expect(v.code).toBe('ERR_JWT_EMBEDDED_KEY_ONLY');
    expect(v.message).toContain('says nothing about who signed it');
    expect(v.message).not.toContain('Signature verified');
  });

  it('x5c: an entry that is not plain base64 DER (RFC 7515 §4.1.6) is not a candidate', async () => {
    const k = toolKey('p256');
    const cert = k.certPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    // A valid certificate with extra PEM armour and a second block appended.
    const smuggled = `${cert}\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n${cert}`;
    const bad = decodeToken(nodeJws('ES256', k.privateKey, undefined, { x5c: [smuggled] }));
    expect(await candidatesFromHeader(bad.header)).toEqual([]);
    const good = decodeToken(nodeJws('ES256', k.privateKey, undefined, { x5c: [cert] }));
    expect(await candidatesFromHeader(good.header)).toHaveLength(1);
  });

  it('stored keys are matched by kid = thumbprint first', async () => {
    const a = toolKey('p256');
    const token = nodeJws('ES256', a.privateKey, undefined, { kid: 'thumb-a' });
    const box = await keysFromText(a.publicPem, 'ES256', 'text');
    const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const keys: VerificationKey[] = [
      {
        kind: 'public',
        label: 'other',
        origin: 'stored',
        spki: new Uint8Array(await crypto.subtle.exportKey('spki', other.publicKey)),
        type: { kty: 'EC', curve: 'P-256' },
      },
      {
        ...(box.candidates[0] as VerificationKey & { kind: 'public' }),
        label: 'mine',
        origin: 'stored',
        thumbprint: 'thumb-a',
        // "your key" is said only of a key whose owner is Mine.
        owner: 'mine',
      },
    ];
    const v = await verifyToken(decodeToken(token), keys);
    expect(v.verified).toBe(true);
    expect(v.tried[0]).toBe('mine');
    expect(v.message).toContain('your key "mine"');
  });
});
