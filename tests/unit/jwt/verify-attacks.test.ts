/**
 * An attacker's review of the JWT verifier now that it verifies through lib/crypto itself (no
 * jose compactVerify): every token here is made by hand with node:crypto, and each attack has its
 * exact outcome (state and code). Last, a differential: for random tokens and keys, keybench's
 * "verified" equals what node:crypto answers under RFC 7515/7518's rules.
 */
import {
  constants,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import { verifyToken, type VerificationKey, type Verdict } from '../../../src/lib/jwt/verify';
import { plain } from '../../../src/lib/rich';
import { nodeJws, toolKey, type ToolKey } from '../support/jwt-helpers';
import { fcSeed } from '../support/helpers';

const SEED = 20261207;

vi.setConfig({ testTimeout: 120_000 });

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const input = (header: Record<string, unknown>, payload: unknown = { sub: 'attacker' }) =>
  `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;

const KEYS = {
  rsa: toolKey('rsa2048'),
  p256: toolKey('p256'),
  p384: toolKey('p384'),
  p521: toolKey('p521'),
  ed: toolKey('ed25519'),
};
type KeyName = keyof typeof KEYS;
const trusted = {} as Record<KeyName, VerificationKey>;
const SECRET = randomBytes(32);
const secretKey: VerificationKey = {
  kind: 'secret',
  label: 'the pasted secret',
  origin: 'pasted',
  secret: new Uint8Array(SECRET),
};

beforeAll(async () => {
  for (const name of Object.keys(KEYS) as KeyName[]) {
    const box = await keysFromText(KEYS[name].publicPem, undefined, 'text');
    trusted[name] = box.candidates[0]!;
  }
});

const verify = (token: string, keys: readonly VerificationKey[]) => verifyToken(decodeToken(token), keys);
const outcome = (v: Verdict) => [v.state, v.code ?? 'OK'];

/** The raw signature of `data` for a JWS alg, by node:crypto (`der`: ECDSA as DER; `salt`: PSS salt). */
function rawSign(
  alg: string,
  key: KeyObject | Buffer,
  data: string,
  o: { der?: boolean; salt?: number } = {},
) {
  const bits = alg.slice(2);
  if (alg.startsWith('HS'))
    return createHmac(`sha${bits}`, key as Buffer)
      .update(data)
      .digest();
  if (alg === 'EdDSA') return nodeSign(null, Buffer.from(data), key as KeyObject);
  if (alg.startsWith('ES'))
    return nodeSign(`sha${bits}`, Buffer.from(data), {
      key: key as KeyObject,
      dsaEncoding: o.der ? 'der' : 'ieee-p1363',
    });
  return nodeSign(`sha${bits}`, Buffer.from(data), {
    key: key as KeyObject,
    padding: alg.startsWith('PS') ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
    saltLength: o.salt ?? Number(bits) / 8,
  });
}

/** A token whose header says `alg` but whose signature is `signAlg`'s (or its own), made by hand. */
function forge(
  alg: string,
  key: KeyObject | Buffer,
  o: { signAlg?: string; der?: boolean; salt?: number; header?: Record<string, unknown>; tail?: Buffer } = {},
) {
  const data = input({ alg, ...o.header });
  const sig = rawSign(o.signAlg ?? alg, key, data, o);
  return `${data}.${b64u(o.tail ? Buffer.concat([sig, o.tail]) : sig)}`;
}

describe('alg none and names that are not algorithms', () => {
  it.each(['none', 'None', 'NONE', ' none', 'nOnE '])(
    'alg %j, with or without a signature: unsecured',
    async (alg) => {
      const data = input({ alg });
      for (const sig of ['', b64u(createHmac('sha256', SECRET).update(data).digest())]) {
        expect(outcome(await verify(`${data}.${sig}`, [secretKey, trusted.rsa]))).toEqual([
          'failed',
          'ERR_JWT_UNSECURED',
        ]);
      }
    },
  );

  it.each(['constructor', '__proto__', 'toString', 'hs256', 'HS256 ', 'RS1', 'ES256K', 'Ed448'])(
    'alg %j: unsupported, never looked up on a prototype',
    async (alg) => {
      const token = `${input({ alg })}.${b64u(createHmac('sha256', SECRET).update(input({ alg })).digest())}`;
      expect(outcome(await verify(token, [secretKey]))).toEqual(['failed', 'ERR_JWT_ALG_UNSUPPORTED']);
    },
  );

  it('alg named twice (the second hidden behind an escape): malformed, whichever one a parser takes', async () => {
    const header = '{"alg":"RS256","\\u0061lg":"HS256"}';
    const data = `${b64u(header)}.${b64u('{"sub":"admin"}')}`;
    const token = `${data}.${b64u(createHmac('sha256', SECRET).update(data).digest())}`;
    const d = decodeToken(token);
    expect(d.form).toBe('malformed');
    expect(d.errors.map((e) => e.code)).toEqual(['ERR_JWT_DUPLICATE_MEMBER']);
    expect(outcome(await verifyToken(d, [secretKey, trusted.rsa]))).toEqual([
      'failed',
      'ERR_JWT_DUPLICATE_MEMBER',
    ]);
  });
});

describe('algorithm confusion: the header picks an algorithm the key was not made for', () => {
  it('HS256 keyed with the RSA public key PEM, checked with that public key: refused as the confusion attack', async () => {
    for (const text of [
      KEYS.rsa.publicPem,
      createPublicKey(KEYS.rsa.publicPem).export({ format: 'der', type: 'spki' }),
    ]) {
      const token = forge('HS256', Buffer.from(text));
      expect(outcome(await verify(token, [trusted.rsa]))).toEqual(['failed', 'ERR_JWT_HMAC_WITH_PUBLIC_KEY']);
    }
  });

  it('HS256 keyed with the public key PEM, checked through the key box with that PEM: refused', async () => {
    const token = forge('HS256', Buffer.from(KEYS.p256.publicPem));
    const box = await keysFromText(KEYS.p256.publicPem, 'HS256', 'text');
    const v = await verdictFor(decodeToken(token), box, []);
    expect(outcome(v)).toEqual(['failed', 'ERR_JWT_HMAC_WITH_PUBLIC_KEY']);
  });

  it('HS256 keyed with a base64-encoded PEM file that has a line after it (padding, then text): refused', async () => {
    // The '=' ending the base64 used to join the next line into one undecodable run: no key was
    // seen, and the text was taken as the secret the attacker had used.
    const encoded = Buffer.from(KEYS.p256.publicPem).toString('base64');
    expect(encoded).toMatch(/=$/);
    for (const text of [`${encoded}\n/A/A`, `${encoded}\nAAAAAAAA`, `${encoded} \r\n abcd`]) {
      const token = forge('HS256', Buffer.from(text));
      const box = await keysFromText(text, 'HS256', 'text');
      const v = await verdictFor(decodeToken(token), box, []);
      expect(outcome(v), JSON.stringify(text.slice(-8))).toEqual(['failed', 'ERR_JWT_HMAC_WITH_PUBLIC_KEY']);
    }
  });

  it.each([
    ['RS256', 'rsa', 'p256', 'ERR_JWT_ALG_KEY_MISMATCH'],
    ['EdDSA', 'ed', 'rsa', 'ERR_JWT_ALG_KEY_MISMATCH'],
    ['ES256', 'p256', 'ed', 'ERR_JWT_ALG_KEY_MISMATCH'],
    ['ES256', 'p256', 'p384', 'ERR_JWT_CURVE_MISMATCH'],
    ['ES512', 'p521', 'p256', 'ERR_JWT_CURVE_MISMATCH'],
  ] as const)('%s signed by %s, checked with a %s key: %s', async (alg, signer, checker, code) => {
    const token = forge(alg, KEYS[signer].privateKey);
    expect(outcome(await verify(token, [trusted[checker]]))).toEqual(['failed', code]);
  });

  it('ES384 in the header over a P-256 signature with SHA-384 (valid ECDSA, wrong curve for the alg): refused', async () => {
    const token = forge('ES384', KEYS.p256.privateKey);
    expect(outcome(await verify(token, [trusted.p256]))).toEqual(['failed', 'ERR_JWT_ECDSA_LENGTH']);
  });

  it('a secret never verifies an RS256 token, even one whose bytes are an HMAC of the input', async () => {
    const token = forge('RS256', SECRET, { signAlg: 'HS256' });
    expect(outcome(await verify(token, [secretKey]))).toEqual(['failed', 'ERR_JWT_ALG_KEY_MISMATCH']);
  });
});

describe('a weak key', () => {
  it('RS256 by an RSA-1024 key, its public key pasted as PEM, JWK or JWKS: never verified (jose refuses < 2048 bits)', async () => {
    const weak = toolKey('rsa1024');
    const token = forge('RS256', weak.privateKey);
    const jwk = createPublicKey(weak.publicPem).export({ format: 'jwk' });
    for (const [text, code] of [
      [weak.publicPem, 'ERR_KEY_WEAK'],
      [JSON.stringify(jwk), 'ERR_KEY_WEAK'],
      // A JWKS whose only key is refused reads as no key understood at all.
      [JSON.stringify({ keys: [jwk] }), 'ERR_KEY_UNRECOGNISED'],
    ] as const) {
      const box = await keysFromText(text, 'RS256', 'text');
      const v = await verdictFor(decodeToken(token), box, []);
      expect(outcome(v), text.slice(0, 20)).toEqual(['failed', code]);
    }
  });
});

describe('RSA padding', () => {
  it('RS256 header over a PSS signature, and PS256 over PKCS#1 v1.5: the RS/PS confusion', async () => {
    for (const [alg, signAlg] of [
      ['RS256', 'PS256'],
      ['PS256', 'RS256'],
      ['RS512', 'PS512'],
    ]) {
      const token = forge(alg!, KEYS.rsa.privateKey, { signAlg: signAlg! });
      expect(outcome(await verify(token, [trusted.rsa])), alg).toEqual(['failed', 'ERR_JWT_RS_PS_CONFUSION']);
    }
  });

  it.each([0, 20, 64, 222])('PS256 with a salt of %i bytes (JWS wants 32): not verified', async (salt) => {
    const token = forge('PS256', KEYS.rsa.privateKey, { salt });
    expect(outcome(await verify(token, [trusted.rsa]))).toEqual(['failed', 'ERR_JWT_SIGNATURE']);
  });
});

describe('ECDSA shapes', () => {
  const N256 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const hex = (n: bigint, len: number) => Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex');

  it('DER instead of raw r‖s: refused (with the converted token), never verified', async () => {
    const token = forge('ES256', KEYS.p256.privateKey, { der: true });
    const v = await verify(token, [trusted.p256]);
    expect(outcome(v)).toEqual(['failed', 'ERR_JWT_ECDSA_DER']);
    expect(v.fixedToken && (await verify(v.fixedToken, [trusted.p256])).state).toBe('verified');
  });

  it('DER with a needless leading zero in r (non-minimal): still refused', async () => {
    const data = input({ alg: 'ES256' });
    const raw = rawSign('ES256', KEYS.p256.privateKey, data);
    const int = (b: Buffer) => Buffer.concat([Buffer.from([0x02, b.length + 1, 0]), b]);
    const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
    const der = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    expect(outcome(await verify(`${data}.${b64u(der)}`, [trusted.p256]))).toEqual([
      'failed',
      'ERR_JWT_ECDSA_DER',
    ]);
  });

  it('the psychic signature (r = s = 0): refused', async () => {
    const token = `${input({ alg: 'ES256' })}.${b64u(Buffer.alloc(64))}`;
    expect(outcome(await verify(token, [trusted.p256]))).toEqual(['failed', 'ERR_JWT_SIGNATURE']);
  });

  it('r = n, s = n (zero modulo n, not zero as bytes): not verified', async () => {
    const token = `${input({ alg: 'ES256' })}.${b64u(Buffer.concat([hex(N256, 32), hex(N256, 32)]))}`;
    expect((await verify(token, [trusted.p256])).state).toBe('failed');
  });

  it('high S (r, n − s): valid ECDSA, verified as node:crypto and jose do, with a note', async () => {
    const data = input({ alg: 'ES256' });
    let raw = rawSign('ES256', KEYS.p256.privateKey, data);
    const s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
    raw = Buffer.concat([raw.subarray(0, 32), hex(s > N256 / 2n ? s : N256 - s, 32)]);
    const token = `${data}.${b64u(raw)}`;
    const nodeSays = nodeVerify(
      'sha256',
      Buffer.from(data),
      { key: createPublicKey(KEYS.p256.publicPem), dsaEncoding: 'ieee-p1363' },
      raw,
    );
    const v = await verify(token, [trusted.p256]);
    expect(outcome(v)).toEqual(['verified', 'OK']);
    expect(nodeSays).toBe(true);
    expect(v.notes.map((n) => plain(n)).join(' ')).toContain('High-S');
  });
});

describe('trailing bytes and lengths', () => {
  it.each([
    ['RS256', 'rsa', 'ERR_JWT_SIGNATURE'],
    ['PS256', 'rsa', 'ERR_JWT_SIGNATURE'],
    ['EdDSA', 'ed', 'ERR_JWT_SIGNATURE'],
    ['ES256', 'p256', 'ERR_JWT_ECDSA_LENGTH'],
  ] as const)('%s with a zero byte appended: %s', async (alg, k, code) => {
    const token = forge(alg, KEYS[k].privateKey, { tail: Buffer.from([0]) });
    expect(outcome(await verify(token, [trusted[k]]))).toEqual(['failed', code]);
  });

  it('HS256 with a byte appended, or truncated to 16 bytes: not verified', async () => {
    const good = forge('HS256', SECRET);
    const [data, sig] = [good.slice(0, good.lastIndexOf('.')), Buffer.from(good.split('.')[2]!, 'base64url')];
    expect(outcome(await verify(good, [secretKey]))).toEqual(['verified', 'OK']);
    for (const bad of [Buffer.concat([sig, Buffer.from([0])]), sig.subarray(0, 16), Buffer.alloc(0)])
      expect(outcome(await verify(`${data}.${b64u(bad)}`, [secretKey])), String(bad.length)).toEqual([
        'failed',
        'ERR_JWT_SIGNATURE',
      ]);
  });
});

describe('base64url read leniently', () => {
  it('a signature in the standard alphabet (+ /): malformed, never verified', async () => {
    let token = forge('RS256', KEYS.rsa.privateKey);
    for (let n = 0; !/[-_]/.test(token.split('.')[2]!); n++)
      token = forge('RS256', KEYS.rsa.privateKey, { header: { n } });
    const std = token.replace(/[^.]+$/, (s) => s.replace(/-/g, '+').replace(/_/g, '/'));
    expect(outcome(await verify(std, [trusted.rsa]))).toEqual(['failed', 'ERR_JWT_BASE64URL']);
  });

  it('= padding that base64 would not add (== on a segment needing one): malformed', async () => {
    const token = forge('HS256', SECRET); // 32-byte MAC: 43 characters, one = would make 44
    expect(outcome(await verify(`${token}==`, [secretKey]))).toEqual(['failed', 'ERR_JWT_BASE64URL']);
    const v = await verify(`${token}=`, [secretKey]);
    expect(outcome(v)).toEqual(['verified', 'OK']);
  });

  it('line breaks inside a pasted token are removed and said so; the bytes verified are the token without them', async () => {
    const token = forge('ES256', KEYS.p256.privateKey);
    const wrapped = `${token.slice(0, 40)}\n  ${token.slice(40)}`;
    const d = decodeToken(wrapped);
    expect(d.cleaned).toContain('line breaks or spaces inside the token');
    expect(d.token).toBe(token);
    expect(outcome(await verifyToken(d, [trusted.p256]))).toEqual(['verified', 'OK']);
  });

  it('= padding added to the header after signing (the signer signed the bare text): not verified', async () => {
    let token = forge('HS256', SECRET);
    for (let n = 0; token.split('.')[0]!.length % 4 === 0; n++)
      token = forge('HS256', SECRET, { header: { n } });
    const [h, p, s] = token.split('.');
    const pad = '='.repeat(4 - (h!.length % 4));
    expect(outcome(await verify(`${h}${pad}.${p}.${s}`, [secretKey]))).toEqual([
      'failed',
      'ERR_JWT_SIGNATURE',
    ]);
  });
});

describe('keys the token carries', () => {
  it("a jwk header holding the attacker's key, with the trusted key's kid: embedded only, never verified", async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = attacker.publicKey.export({ format: 'jwk' });
    const token = nodeJws('ES384', attacker.privateKey, { sub: 'admin' }, { jwk, kid: 'trusted-kid' });
    for (const stored of [[], [{ ...trusted.p384, kid: 'trusted-kid' } as VerificationKey]]) {
      const v = await verdictFor(decodeToken(token), null, stored);
      expect(outcome(v), String(stored.length)).toEqual(['embedded', 'ERR_JWT_EMBEDDED_KEY_ONLY']);
      expect(v.verified).toBe(false);
    }
  });

  it('a key of origin jwk-header or x5c slipped into the trusted list never verifies', async () => {
    const token = forge('ES256', KEYS.p256.privateKey);
    for (const origin of ['jwk-header', 'x5c'] as const) {
      const v = await verify(token, [{ ...trusted.p256, origin } as VerificationKey]);
      expect(v.state, origin).not.toBe('verified');
      expect(v.verified).toBe(false);
    }
  });

  it('a jku header is never fetched: with no trusted key, no key', async () => {
    const token = forge('RS256', KEYS.rsa.privateKey, {
      header: { jku: 'https://attacker.example/jwks.json' },
    });
    const v = await verify(token, []);
    expect(outcome(v)).toEqual(['failed', 'ERR_JWT_NO_KEY']);
  });
});

describe('extensions', () => {
  it('an unknown crit: refused even with the right key', async () => {
    const token = forge('HS256', SECRET, { header: { crit: ['exp'], exp: 1 } });
    expect(outcome(await verify(token, [secretKey]))).toEqual(['failed', 'ERR_JWT_CRIT']);
  });

  it('b64:false without crit: refused even with the right key', async () => {
    const data = `${b64u(JSON.stringify({ alg: 'HS256', b64: false }))}.payload`;
    const token = `${data}.${b64u(createHmac('sha256', SECRET).update(data).digest())}`;
    expect(outcome(await verify(token, [secretKey]))).toEqual(['failed', 'ERR_JWT_B64_FALSE']);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential: keybench against node:crypto under RFC 7515/7518's rules.

const ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'HS256',
  'HS384',
  'HS512',
];
const CURVE_OF: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };
const KEY_FOR: Record<string, KeyName> = { ES256: 'p256', ES384: 'p384', ES512: 'p521', EdDSA: 'ed' };
const keyFor = (alg: string): KeyName => KEY_FOR[alg] ?? 'rsa';

/** A verifier key for the reference: a public key or a secret. */
type RefKey = { kind: 'public'; key: KeyObject } | { kind: 'secret'; secret: Buffer };

/** node:crypto's answer for a compact JWS under RFC 7518 (the alg decides the key type, curve, salt, length). */
function nodeAccepts(token: string, k: RefKey): boolean {
  const [h, p, s] = token.split('.') as [string, string, string];
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: unknown }).alg;
  } catch {
    return false;
  }
  if (typeof alg !== 'string' || !ALGS.includes(alg)) return false;
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const bits = alg.slice(2);
  if (alg.startsWith('HS')) {
    if (k.kind !== 'secret') return false;
    const mac = createHmac(`sha${bits}`, k.secret).update(data).digest();
    return mac.length === sig.length && timingSafeEqual(mac, sig);
  }
  if (k.kind !== 'public') return false;
  const type = k.key.asymmetricKeyType;
  try {
    if (alg === 'EdDSA') return type === 'ed25519' && nodeVerify(null, data, k.key, sig);
    if (alg.startsWith('ES')) {
      const size = alg === 'ES512' ? 66 : Number(bits) / 8;
      if (
        type !== 'ec' ||
        k.key.asymmetricKeyDetails?.namedCurve !== CURVE_OF[alg] ||
        sig.length !== 2 * size
      )
        return false;
      return nodeVerify(`sha${bits}`, data, { key: k.key, dsaEncoding: 'ieee-p1363' }, sig);
    }
    if (type !== 'rsa') return false;
    const pss = alg.startsWith('PS');
    return nodeVerify(
      `sha${bits}`,
      data,
      {
        key: k.key,
        padding: pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
        saltLength: Number(bits) / 8,
      },
      sig,
    );
  } catch {
    return false;
  }
}

describe('differential: keybench verifies exactly what node:crypto accepts under JWS rules', () => {
  it('600 random tokens (alg, header alg, key, tampering) × random trusted key: the same answer', async () => {
    const OTHER_SECRET = randomBytes(48);
    const pubs = Object.keys(KEYS) as KeyName[];
    const refOf = (name: KeyName | 'secret' | 'other-secret'): [RefKey, VerificationKey] =>
      name === 'secret'
        ? [{ kind: 'secret', secret: SECRET }, secretKey]
        : name === 'other-secret'
          ? [
              { kind: 'secret', secret: OTHER_SECRET },
              { ...secretKey, secret: new Uint8Array(OTHER_SECRET) },
            ]
          : [{ kind: 'public', key: createPublicKey(KEYS[name].publicPem) }, trusted[name]];
    let verified = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALGS),
        // The header's own alg three times in four; another alg (the confusions) otherwise.
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom(...ALGS) },
        ),
        fc.constantFrom('none', 'flip', 'der', 'salt', 'tail', 'payload'),
        fc.constantFrom<KeyName | 'secret' | 'other-secret' | 'signer'>(
          ...pubs,
          'secret',
          'other-secret',
          ...Array<'signer'>(7).fill('signer'),
        ),
        fc.nat(),
        async (signAlg, headerAlg, tamper, verifier, n) => {
          const alg = headerAlg ?? signAlg;
          const signer: ToolKey | Buffer = signAlg.startsWith('HS') ? SECRET : KEYS[keyFor(signAlg)];
          const signKey = Buffer.isBuffer(signer) ? signer : signer.privateKey;
          const data = input({ alg, n });
          let sig = rawSign(signAlg, signKey, data, {
            der: tamper === 'der',
            salt: tamper === 'salt' ? 0 : undefined,
          });
          if (tamper === 'flip') sig = Buffer.from(sig.map((b, i) => (i === n % sig.length ? b ^ 1 : b)));
          if (tamper === 'tail') sig = Buffer.concat([sig, Buffer.from([n % 256])]);
          const signedData = tamper === 'payload' ? input({ alg, n }, { sub: 'admin' }) : data;
          const token = `${signedData}.${b64u(sig)}`;
          const which =
            verifier === 'signer' ? (signAlg.startsWith('HS') ? 'secret' : keyFor(signAlg)) : verifier;
          const [ref, ours] = refOf(which);
          const expected = nodeAccepts(token, ref);
          const v = await verify(token, [ours]);
          if (expected) verified++;
          expect(v.verified, `${token} with ${which}: ${plain(v.parts)}`).toBe(expected);
          expect(v.state === 'verified').toBe(expected);
        },
      ),
      { numRuns: 600, seed: fcSeed(SEED) },
    );
    expect(verified).toBeGreaterThan(40); // the property is not all refusals (about 100 expected)
  });
});
