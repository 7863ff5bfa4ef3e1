/**
 * The one rule for what the key box is (keys/key-box.ts), and the exact words of the JWT findings
 * beside it. The attack corpus holds the same attacks as input → outcome; here are the words.
 */
import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decideKeyBox, jsonKeyShape, type KeyBoxContext } from '../../../src/lib/keys/key-box';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import { verifyToken, type VerificationKey } from '../../../src/lib/jwt/verify';
import { spkiKeyType } from '../../../src/lib/keys/parse';
import type { KeyOwner } from '../../../src/lib/trust/owner';
import { nodeJwk, nodeJws, toolKey } from '../support/jwt-helpers';
import { leadingZeroJwk } from '../support/attack-corpus';

const rsa = toolKey('rsa2048');
const p256 = toolKey('p256');
const ed = toolKey('ed25519');
const ktyLess = (k: typeof rsa) => {
  const { kty: _kty, ...rest } = nodeJwk(k) as Record<string, string>;
  return JSON.stringify(rest);
};

const token: KeyBoxContext = { hmac: true, ticked: false, guess: true };
const ticked: KeyBoxContext = { hmac: true, ticked: true, guess: true };
const request: KeyBoxContext = { hmac: true, ticked: false, guess: false };
const requestTicked: KeyBoxContext = { hmac: true, ticked: true, guess: false };
const notHmac: KeyBoxContext = { hmac: false, ticked: true, guess: true };

describe('decideKeyBox: tokens and requests read the box by one rule', () => {
  const cases: [string, string, KeyBoxContext, unknown][] = [
    ['RSA JWK without kty, HS token', ktyLess(rsa), token, { read: 'refused', tickHelps: true }],
    ['EC JWK without kty, HS token', ktyLess(p256), token, { read: 'refused', tickHelps: true }],
    ['OKP JWK without kty, HS token', ktyLess(ed), token, { read: 'refused', tickHelps: true }],
    ['RSA JWK without kty, ticked', ktyLess(rsa), ticked, { read: 'secret' }],
    ['RSA JWK without kty, request unticked', ktyLess(rsa), request, { read: 'keys' }],
    ['RSA JWK without kty, request ticked', ktyLess(rsa), requestTicked, { read: 'secret' }],
    ['SPKI PEM, HS token', rsa.publicPem, token, { read: 'refused', tickHelps: false }],
    [
      'SPKI PEM, ticked: key material is never a secret',
      rsa.publicPem,
      ticked,
      { read: 'refused', tickHelps: false },
    ],
    ['JWK with kty, ticked', JSON.stringify(nodeJwk(p256)), ticked, { read: 'refused', tickHelps: false }],
    ['a plain secret, HS token', 'correct horse battery staple', token, { read: 'secret' }],
    [
      'a plain secret, request unticked: never guessed',
      'correct horse battery staple',
      request,
      { read: 'keys' },
    ],
    ['a plain secret, request ticked', 'correct horse battery staple', requestTicked, { read: 'secret' }],
    ['JSON that is no key shape, HS token', '{"secret":"abc","x":"1"}', token, { read: 'secret' }],
    ['anything, not an HMAC check', 'correct horse battery staple', notHmac, { read: 'keys' }],
  ];
  it.each(cases)('%s', async (_name, text, context, want) => {
    expect(await decideKeyBox(text, context)).toMatchObject(want as object);
  });

  it('names the key shape it found', async () => {
    expect(await decideKeyBox(ktyLess(rsa), token)).toEqual({
      read: 'refused',
      found: 'a public key written as JSON (RSA members n, e)',
      tickHelps: true,
    });
  });
});

describe('jsonKeyShape: a JSON object with RSA, EC or OKP public members, with or without kty', () => {
  const cases: [string, string, string | null][] = [
    ['RSA', ktyLess(rsa), 'RSA members n, e'],
    ['EC', ktyLess(p256), 'EC members crv, x, y'],
    ['OKP', ktyLess(ed), 'OKP members crv, x'],
    ['with kty', JSON.stringify(nodeJwk(rsa)), 'RSA members n, e'],
    ['in a JWKS', JSON.stringify({ keys: [JSON.parse(ktyLess(ed))] }), 'OKP members crv, x'],
    ['n alone', '{"n":"AQAB"}', null],
    ['numbers, not strings', '{"n":1,"e":2}', null],
    ['not JSON', 'n=abc e=AQAB', null],
    ['broken JSON', '{"n":"a","e":', null],
  ];
  it.each(cases)('%s', (_name, text, want) => {
    expect(jsonKeyShape(text)).toBe(want);
  });
  it('stays bounded on deep or wide JSON', () => {
    const wide = JSON.stringify(Array.from({ length: 50_000 }, () => ({ a: '1' })));
    expect(jsonKeyShape(wide)).toBeNull();
  });
});

describe('an HS256 token keyed with a kty-less JWK: what the page says', () => {
  const text = ktyLess(rsa);
  const forged = nodeJws('HS256', Buffer.from(text), { sub: 'attacker' });

  it('unticked: algorithm confusion, said plainly, and how to tick it', async () => {
    const box = await keysFromText(text, 'HS256', 'text');
    const v = await verdictFor(decodeToken(forged), box, []);
    expect(v.verified).toBe(false);
    expect(v.code).toBe('ERR_JWT_HMAC_WITH_PUBLIC_KEY');
    expect(v.message).toBe(
      'Not verified: the token says HS256 (a shared secret), but the key box holds a public key written as JSON (RSA members n, e), so keybench did not use it as the secret.',
    );
    expect(v.remedy).toMatch(
      /^Using a public key as an HMAC secret is the algorithm-confusion attack \(RFC 8725 §2\.1\)/,
    );
    expect(v.remedy).toMatch(/tick "Shared secret \(HMAC\)" under the key box\.$/);
    expect(v.message).not.toContain('Signature verified');
  });

  it('ticked: the user said it is the secret', async () => {
    const box = await keysFromText(text, 'HS256', 'text', { ticked: true });
    const v = await verdictFor(decodeToken(forged), box, []);
    expect(v.message).toBe('Signature verified (HS256) with "the pasted secret".');
  });
});

const storedKey = (owner?: KeyOwner): VerificationKey => {
  const spki = new Uint8Array(createPublicKey(p256.publicPem).export({ type: 'spki', format: 'der' }));
  return {
    kind: 'public',
    label: 'Key A',
    origin: 'stored',
    spki,
    type: spkiKeyType(spki),
    ...(owner ? { owner } : {}),
  };
};

describe('"your key" means a key whose owner is Mine', () => {
  const t = nodeJws('ES256', p256.privateKey, { sub: 'x' });
  const cases: [string, KeyOwner | undefined, string][] = [
    ['Mine', 'mine', 'Signature verified (ES256) with your key "Key A".'],
    ['Entra', 'entra', 'Signature verified (ES256) with Microsoft Entra ID\'s key "Key A".'],
    ['QI Tech', 'qitech', 'Signature verified (ES256) with QI Tech\'s key "Key A".'],
    ['no owner', undefined, 'Signature verified (ES256) with the stored key "Key A".'],
  ];
  it.each(cases)('%s', async (_name, owner, want) => {
    const v = await verifyToken(decodeToken(t), [storedKey(owner)]);
    expect(v.message).toBe(want);
  });
});

describe('the smaller JWT findings, each with its words and code', () => {
  const pem = p256.publicPem;
  const verdict = async (tok: string, keyText: string) => {
    const box = await keysFromText(keyText, 'ES256', 'text');
    return verdictFor(decodeToken(tok), box, []);
  };

  it('b64 that is not a boolean, listed in crit', async () => {
    const v = await verdict(nodeJws('ES256', p256.privateKey, 'raw', { b64: 'false', crit: ['b64'] }), pem);
    expect(v.code).toBe('ERR_JWT_B64_INVALID');
    expect(v.message).toBe(
      'Malformed header: "b64" is "\\"false\\"", but it must be true or false (RFC 7797 §3).',
    );
    expect(v.message).not.toContain('Wrong key');
  });

  it('b64 that is not a boolean, not in crit: ignored as verifiers do, and said', async () => {
    const v = await verdict(nodeJws('ES256', p256.privateKey, { sub: 'x' }, { b64: 0 }), pem);
    expect(v.verified).toBe(true);
    expect(v.notes.map((n) => n.join(''))).toContainEqual(
      expect.stringContaining('verifiers ignore it (RFC 7797 §6)'),
    );
  });

  it('crit lists b64 that the header lacks', async () => {
    const v = await verdict(nodeJws('ES256', p256.privateKey, { sub: 'x' }, { crit: ['b64'] }), pem);
    expect(v.code).toBe('ERR_JWT_CRIT');
    expect(v.message).toBe('Malformed header: "crit" lists "b64", but the header has no "b64" member.');
  });

  it('a numeric kid is named, never "the token has no kid"', async () => {
    const keyText = JSON.stringify(nodeJwk(p256, { kid: '42' }));
    const v = await verdict(nodeJws('ES256', p256.privateKey, { sub: 'x' }, { kid: 42 }), keyText);
    expect(v.verified).toBe(true);
    const notes = v.notes.map((n) => n.map((p) => (typeof p === 'string' ? p : p.untrusted)).join(''));
    expect(notes).toContainEqual(
      'The token\'s kid is 42, not a string (RFC 7515 §4.1.4): a server that picks keys by kid matches it to no key. A kid is a string: make the signer write it in quotes (for example "42", not 42).',
    );
    expect(notes.join('\n')).not.toContain('has no kid');
  });

  it('two keys of one kid in a JWKS: refused as jose refuses it, both named', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const keyText = JSON.stringify({ keys: [{ ...other, kid: 'k1' }, nodeJwk(p256, { kid: 'k1' })] });
    const v = await verdict(nodeJws('ES256', p256.privateKey, { sub: 'x' }, { kid: 'k1' }), keyText);
    expect(v.state).toBe('kid-mismatch');
    expect(v.code).toBe('ERR_JWKS_KID_AMBIGUOUS');
    expect(v.message).toBe(
      'Signature valid (ES256) with "key 2 of 2 (kid k1)", but 2 keys of the JWKS have kid "k1" ("key 1 of 2 (kid k1)", "key 2 of 2 (kid k1)"): a server that picks keys by kid cannot choose, and jose refuses the token (JWKSMultipleMatchingKeys).',
    );
  });

  it('two pasted PEMs: two keys, in their own words (not a JWKS)', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string;
    const box = await keysFromText(`${other}\n${pem}`, 'ES256', 'text');
    expect(box.understood).toBe('2 keys, each tried in turn');
    expect(box.candidates.map((c) => c.label)).toEqual([
      'the public key you pasted (1 of 2)',
      'the public key you pasted (2 of 2)',
    ]);
    const v = await verdictFor(decodeToken(nodeJws('ES256', p256.privateKey, { sub: 'x' })), box, []);
    expect(v.message).toBe('Signature verified (ES256) with "the public key you pasted (2 of 2)".');
    expect(v.message).not.toMatch(/JWKS/);
  });

  it('one pasted PEM: "the public key you pasted", not "the pasted SPKI PEM"', async () => {
    const v = await verdict(nodeJws('ES256', p256.privateKey, { sub: 'x' }), pem);
    expect(v.message).toBe('Signature verified (ES256) with "the public key you pasted".');
  });

  it('an RSA modulus with a leading zero byte is named, not "DataError"', async () => {
    const keyText = JSON.stringify(leadingZeroJwk(rsa));
    const box = await keysFromText(keyText, 'RS256', 'text');
    const v = await verdictFor(decodeToken(nodeJws('RS256', rsa.privateKey, { sub: 'x' })), box, []);
    expect(v.code).toBe('ERR_KEY_INVALID');
    expect(v.message).toBe(
      'The verification key was not understood: This JWK\'s modulus "n" starts with a zero byte. RFC 7518 §6.3.1.1 says n has no leading zero bytes, and browsers refuse such a key. Ask the issuer to encode n without it (the library wrote a signed integer).',
    );
    expect(v.message).not.toContain('DataError');
  });

  it('the same key in a JWKS: the set says why it has no usable key', async () => {
    const box = await keysFromText(JSON.stringify({ keys: [leadingZeroJwk(rsa)] }), 'RS256', 'text');
    expect(box.error?.message).toMatch(
      /^This JWKS holds no usable signature key\. The first key: This JWK's modulus "n" starts with a zero byte\./,
    );
  });
});

describe('a key imported for a partner is named for whose it is', () => {
  const day = (() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  })();
  const cases: [KeyOwner, string][] = [
    ['qitech', `QI Tech public key ${day}`],
    ['entra', `Microsoft Entra ID public key ${day}`],
    ['mine', `Trusted ECDSA P-256 public key ${day}`],
  ];
  it.each(cases)('%s', async (owner, want) => {
    const { storedKeyFromText } = await import('../../../src/lib/keys/import-stored');
    const { key } = await storedKeyFromText(p256.publicPem, '', owner);
    expect(key.label).toBe(want);
  });
  it('a name the user typed is kept', async () => {
    const { storedKeyFromText } = await import('../../../src/lib/keys/import-stored');
    expect((await storedKeyFromText(p256.publicPem, ' Prod ', 'qitech')).key.label).toBe('Prod');
  });
});

describe('the inspector applies the rule, with the tick, for tokens', () => {
  it('a kty-less JWK as an HS256 secret: refused until ticked, verified while ticked, refused again when unticked', async () => {
    const { Inspector } = await import('../../../src/state/inspector.svelte');
    const text = ktyLess(p256);
    const i = new Inspector();
    i.token = nodeJws('HS256', Buffer.from(text), { sub: 'attacker' });
    i.keyText = text;
    await i.verify();
    expect(i.verdict?.code).toBe('ERR_JWT_HMAC_WITH_PUBLIC_KEY');
    i.secretTicked = true;
    await i.verify();
    expect(i.verdict?.state).toBe('verified');
    i.secretTicked = false;
    await i.verify();
    expect(i.verdict?.verified).toBe(false);
  });
});
