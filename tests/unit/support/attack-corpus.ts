/**
 * The attack corpus: inputs an adversary controls (a token, and often the text a victim will paste
 * as the key), each with the exact outcome keybench must give. Unit tests run every entry against
 * src/lib; the e2e suite runs the `ui` ones through the page. Every token is made with node:crypto
 * or openssl, never with keybench.
 */
import {
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import type { SecretEncoding } from '../../../src/lib/jwt/candidates';
import type { VerdictState } from '../../../src/lib/jwt/verify';
import type { ErrorCode } from '../../../src/lib/errors';
import { openssl, tempDir, writeTemp } from './helpers';
import { nodeJwk, nodeJws, pkcs1Public, toolKey, type ToolKey } from './jwt-helpers';

/** A key the user trusts, as node:crypto sees it, with the JWK metadata that limits its use. */
export interface TrustedForNode {
  key: KeyObject;
  use?: string;
  keyOps?: string[];
  alg?: string;
  /** The JWK's kid, when the key is one of a JWKS. */
  kid?: string;
  /** One key of a JWKS: a verifier selects among the set's keys by kid (as jose's createLocalJWKSet). */
  inSet?: boolean;
}

/** One attack and its exact expected outcome. */
export interface AttackCase {
  name: string;
  /** The issue item it proves (e.g. "#10.1"), or "classic". */
  item: string;
  token: string;
  /** Key box text; absent: the box is empty and the stored keys (and nothing else) are trusted. */
  keyText?: string;
  encoding?: SecretEncoding;
  /** The user ticked **Shared secret (HMAC)**. */
  ticked?: boolean;
  /** Stored keys (public PEM), for cases with an empty key box. */
  stored?: { label: string; publicPem: string }[];
  expect: {
    state: VerdictState;
    code?: ErrorCode;
    /** Every pattern must match some note. */
    notes?: RegExp[];
    /** The key box held private key material: it must be reported (and the page must clear it). */
    privateKey?: boolean;
  };
  /** The keys the user trusts in this case, for the differential check against node:crypto. */
  trusted?: TrustedForNode[];
  /** Also run through the page in the e2e suite. */
  ui?: boolean;
}

const b64u = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const segment = (v: unknown) => b64u(JSON.stringify(v));

function spkiDer(k: ToolKey): Buffer {
  return createPublicKey(k.publicPem).export({ type: 'spki', format: 'der' });
}

function pemBody(pem: string, joiner = '\n'): string {
  return pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join(joiner);
}

function sshPublic(k: ToolKey): string {
  const dir = tempDir();
  const file = writeTemp(dir, 'key', k.privatePem);
  chmodSync(file, 0o600);
  return execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
}

/** A public key as someone might paste it, and the secret encodings an attacker would forge for. */
export interface KeyText {
  label: string;
  text: string;
  encodings: SecretEncoding[];
}

function hexLines(bytes: Buffer, perLine: number, sep = ''): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += perLine) lines.push(hex.slice(i, i + perLine).join(sep));
  return lines.join('\n');
}

/**
 * The public key of a tool key, in every way a developer might paste it: PEM and its wrappers,
 * armourless DER (base64, base64url, hex, byte arrays), JWK in JSON/Python/JS/YAML, SSH, `openssl
 * -text`, and the forms it takes when stored elsewhere (base64 of the PEM file as in a Kubernetes
 * secret, JSON-escaped, URL-encoded). Several came from an attacker's review of keybench.
 */
export function keyTexts(k: ToolKey, name: string): KeyText[] {
  const der = spkiDer(k);
  const jwk = nodeJwk(k) as Record<string, string>;
  const t = (label: string, text: string, encodings: SecretEncoding[] = ['text']): KeyText => ({
    label: `${name} ${label}`,
    text,
    encodings,
  });
  const texts = [
    t('SPKI PEM', k.publicPem),
    t('certificate PEM', k.certPem),
    t('armourless DER, one line', der.toString('base64'), ['text', 'base64']),
    t('armourless DER, 64-column lines', pemBody(k.publicPem), ['text', 'base64']),
    t('armourless DER, base64url', der.toString('base64url'), ['text', 'base64url']),
    t('certificate, armourless', pemBody(k.certPem, ''), ['text', 'base64']),
    t('DER as hex', der.toString('hex')),
    t('DER as xxd -p (60-column hex lines)', hexLines(der, 30), ['text', 'base64']),
    t(
      'DER as xxd -i (C array)',
      `unsigned char pub_der[] = {\n  ${hexLines(der, 12, ', 0x').replace(/^/gm, '0x').replace(/\n/g, ',\n  ')}\n};`,
    ),
    t('DER as a JSON byte array', JSON.stringify([...der])),
    t('PEM after a heading', `Public key:\n${k.publicPem}`),
    t('openssl x509 -subject output', openssl(['x509', '-subject'], k.certPem)),
    t('openssl x509 -text output', openssl(['x509', '-text'], k.certPem)),
    t('openssl x509 -noout -text (no PEM at all)', openssl(['x509', '-noout', '-text'], k.certPem)),
    t('openssl pkey -pubin -text -noout', openssl(['pkey', '-pubin', '-text', '-noout'], k.publicPem)),
    t('DER after "key=" glued', `key=${der.toString('base64')};`),
    t('JWK', JSON.stringify(jwk)),
    t('JWKS', JSON.stringify({ keys: [{ ...jwk, kid: 'k1' }] })),
    t('JWK inside other JSON', `config = ${JSON.stringify({ issuer: 'x', key: jwk }, null, 2)}`),
    t('JWK with an escaped member name', JSON.stringify(jwk).replace('"kty"', '"\\u006bty"')),
    t(
      'JWK printed by Python',
      `{${Object.entries(jwk)
        .map(([m, v]) => `'${m}': '${v}'`)
        .join(', ')}}`,
    ),
    t(
      'JWK as a JS object literal',
      `{ ${Object.entries(jwk)
        .map(([m, v]) => `${m}: "${v}"`)
        .join(', ')} }`,
    ),
    t(
      'JWK as YAML',
      Object.entries(jwk)
        .map(([m, v]) => `${m}: ${v}`)
        .join('\n'),
    ),
    t('base64 of the PEM file (Kubernetes secret)', Buffer.from(k.publicPem).toString('base64'), [
      'text',
      'base64',
    ]),
    t(
      'base64 of the PEM file, 76-column lines',
      (
        Buffer.from(k.publicPem)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n'),
      ['text', 'base64'],
    ),
    t('base64 of the certificate PEM', Buffer.from(k.certPem).toString('base64'), ['text', 'base64']),
    t('base64 of the JWK', Buffer.from(JSON.stringify(jwk)).toString('base64'), ['text', 'base64']),
    t('PEM body with literal \\n separators (.env)', pemBody(k.publicPem, '\\n')),
    t('DER with JSON-escaped slashes', der.toString('base64').replace(/\//g, '\\/')),
    t('DER URL-encoded', encodeURIComponent(der.toString('base64'))),
  ];
  if (k.privateKey.asymmetricKeyType === 'rsa') {
    texts.push(t('PKCS#1 RSA PUBLIC KEY', pkcs1Public(k)));
    texts.push(
      t('openssl rsa -noout -modulus', openssl(['rsa', '-pubin', '-noout', '-modulus'], k.publicPem)),
    );
  }
  if (k.privateKey.asymmetricKeyType === 'ec' && jwk.y) {
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x!, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]);
    texts.push(
      t('raw uncompressed point, base64url (VAPID)', point.toString('base64url'), ['text', 'base64url']),
    );
    texts.push(t('raw uncompressed point, hex', point.toString('hex')));
  }
  if (k.privateKey.asymmetricKeyType !== 'ed25519') {
    texts.push(t('OpenSSH public key', sshPublic(k)));
  }
  return texts;
}

function hmacToken(secret: Buffer, alg = 'HS256'): string {
  return nodeJws(alg, secret, { sub: 'attacker', admin: true });
}

/** Forged HS256 tokens whose secret is exactly the text (or bytes) the victim will paste. */
function hmacConfusion(): AttackCase[] {
  const cases: AttackCase[] = [];
  const keys: [ToolKey, string][] = [
    [toolKey('p256'), 'P-256'],
    [toolKey('p384'), 'P-384'],
    [toolKey('ed25519'), 'Ed25519'],
    [toolKey('rsa2048'), 'RSA-2048'],
  ];
  for (const [k, name] of keys) {
    for (const { label, text, encodings } of keyTexts(k, name)) {
      const trusted = [{ key: createPublicKey(k.publicPem) }];
      for (const encoding of encodings) {
        const secret =
          encoding === 'text' ? Buffer.from(text) : Buffer.from(text.replace(/\s+/g, ''), encoding);
        cases.push({
          name: `HS256 forged with the public key as the secret (${encoding}): ${label}`,
          item: '#10.1',
          token: hmacToken(secret),
          keyText: text,
          encoding,
          expect: { state: 'failed', code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY' },
          trusted,
          ui:
            name === 'P-256' &&
            /one line|x509 -text output|-subject|Kubernetes|Python/.test(label) &&
            (encoding === 'text' || label.includes('one line')),
        });
      }
    }
  }
  // With the box empty, an HS token is checked against the stored (public) keys: refused, not used as secrets.
  const rsa = toolKey('rsa2048');
  cases.push({
    name: 'HS256 forged with a stored key PEM, key box empty',
    item: '#10.1',
    token: hmacToken(Buffer.from(rsa.publicPem)),
    stored: [{ label: 'Qredo', publicPem: rsa.publicPem }],
    expect: { state: 'failed', code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY' },
    trusted: [{ key: createPublicKey(rsa.publicPem) }],
  });
  return cases;
}

function embeddedKeys(): AttackCase[] {
  const attacker = toolKey('p256');
  const victim = toolKey('p384');
  const rsa = toolKey('rsa2048');
  const certB64 = pemBody(attacker.certPem, '');
  const jwk = nodeJwk(attacker);
  const payload = { sub: 'attacker', admin: true };
  return [
    {
      name: 'jwk header with the attacker key, key box empty, no stored keys',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, { jwk }),
      expect: { state: 'embedded', code: 'ERR_JWT_EMBEDDED_KEY_ONLY' },
      ui: true,
    },
    {
      name: 'self-signed x5c with the attacker key, key box empty, no stored keys',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, { x5c: [certB64] }),
      expect: { state: 'embedded', code: 'ERR_JWT_EMBEDDED_KEY_ONLY' },
      ui: true,
    },
    {
      name: 'x5c with the attacker key while stored keys exist: embedded only, stored keys tried',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, { x5c: [certB64] }),
      stored: [{ label: 'Production', publicPem: victim.publicPem }],
      expect: { state: 'embedded', code: 'ERR_JWT_EMBEDDED_KEY_ONLY' },
      trusted: [{ key: createPublicKey(victim.publicPem) }],
    },
    {
      name: 'jwk header with the attacker key, and a pasted (wrong) trusted key',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, { jwk }),
      ...pasted(rsa),
      expect: { state: 'embedded', code: 'ERR_JWT_EMBEDDED_KEY_ONLY' },
    },
    {
      name: 'x5c whose certificate is the one the user pasted: verified (by the pasted key)',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, { x5c: [certB64] }),
      keyText: attacker.certPem,
      expect: { state: 'verified' },
      trusted: [{ key: createPublicKey(attacker.publicPem) }],
      ui: true,
    },
    {
      name: 'x5c whose key is a stored key: verified (by the stored key)',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, { x5c: [certB64] }),
      stored: [{ label: 'Mine', publicPem: attacker.publicPem }],
      expect: { state: 'verified' },
      trusted: [{ key: createPublicKey(attacker.publicPem) }],
    },
    {
      name: 'jku and x5u are noted, never fetched',
      item: '#10.2',
      token: nodeJws('ES256', attacker.privateKey, payload, {
        jku: 'https://attacker.example/jwks.json',
        x5u: 'https://attacker.example/cert.pem',
      }),
      ...pasted(attacker),
      expect: { state: 'verified', notes: [/jku.*never fetches/, /x5u.*never fetches/] },
    },
    {
      name: 'an oct jwk in the header of an HS256 token is never a candidate',
      item: '#10.2',
      token: nodeJws('HS256', Buffer.from('attacker secret'), payload, {
        jwk: { kty: 'oct', k: b64u('attacker secret') },
      }),
      expect: { state: 'failed', code: 'ERR_JWT_NO_KEY' },
    },
  ];
}

function duplicateMembers(): AttackCase[] {
  const k = toolKey('rsa2048');
  const input = (headerText: string) => `${b64u(headerText)}.${segment({ sub: 'x' })}`;
  const rs = (headerText: string) => {
    const i = input(headerText);
    return `${i}.${b64u(nodeSign('sha256', Buffer.from(i), k.privateKey))}`;
  };
  return [
    {
      name: 'duplicate alg: none first, RS256 last (validly signed)',
      item: '#10.7',
      token: rs('{"alg":"none","alg":"RS256"}'),
      ...pasted(k),
      expect: { state: 'failed', code: 'ERR_JWT_DUPLICATE_MEMBER' },
      ui: true,
    },
    {
      name: 'duplicate alg spelled with a unicode escape',
      item: '#10.7',
      token: rs('{"alg":"RS256","\\u0061lg":"RS256"}'),
      ...pasted(k),
      expect: { state: 'failed', code: 'ERR_JWT_DUPLICATE_MEMBER' },
    },
    {
      name: 'duplicate claim in the payload',
      item: '#10.7',
      token: (() => {
        const i = `${segment({ alg: 'RS256' })}.${b64u('{"sub":"alice","sub":"admin"}')}`;
        return `${i}.${b64u(nodeSign('sha256', Buffer.from(i), k.privateKey))}`;
      })(),
      ...pasted(k),
      expect: { state: 'failed', code: 'ERR_JWT_DUPLICATE_MEMBER' },
    },
  ];
}

function jwksSelection(): AttackCase[] {
  const a = toolKey('p256');
  const b = toolKey('rsa2048');
  const token = nodeJws('ES256', a.privateKey, { sub: 'x' }, { kid: 'expected' });
  const noKid = nodeJws('ES256', a.privateKey, { sub: 'x' });
  // A second P-256 key, for a set in which two keys fit ES256.
  const c = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  const cJwk = (extra: Record<string, unknown>) => ({ ...c.export({ format: 'jwk' }), ...extra });
  const pub = (k: ToolKey) => createPublicKey(k.publicPem);
  return [
    {
      name: 'JWKS key with another kid verifies: amber, a server selecting by kid finds no key',
      item: '#17.5',
      token,
      keyText: JSON.stringify({ keys: [nodeJwk(a, { kid: 'other' })] }),
      expect: { state: 'kid-mismatch', code: 'ERR_JWKS_KID_MISMATCH' },
      trusted: [{ key: pub(a), kid: 'other', inSet: true }],
      ui: true,
    },
    {
      name: "JWKS key with another kid verifies, and the token's kid names a key that does not: amber",
      item: '#17.5',
      token,
      keyText: JSON.stringify({ keys: [cJwk({ kid: 'expected' }), nodeJwk(a, { kid: 'other' })] }),
      expect: { state: 'kid-mismatch', code: 'ERR_JWKS_KID_MISMATCH' },
      trusted: [
        { key: c, kid: 'expected', inSet: true },
        { key: pub(a), kid: 'other', inSet: true },
      ],
    },
    {
      name: 'JWKS key without a kid verifies a token with a kid: amber',
      item: '#17.5',
      token,
      keyText: JSON.stringify({ keys: [nodeJwk(a)] }),
      expect: { state: 'kid-mismatch', code: 'ERR_JWKS_KID_MISMATCH' },
      trusted: [{ key: pub(a), inSet: true }],
    },
    {
      name: 'token without kid, two JWKS keys fit ES256: amber, a server cannot choose',
      item: '#17.5',
      token: noKid,
      keyText: JSON.stringify({ keys: [cJwk({ kid: 'k1' }), nodeJwk(a, { kid: 'k2' })] }),
      expect: { state: 'kid-mismatch', code: 'ERR_JWKS_KID_AMBIGUOUS' },
      trusted: [
        { key: c, kid: 'k1', inSet: true },
        { key: pub(a), kid: 'k2', inSet: true },
      ],
      ui: true,
    },
    {
      name: 'token without kid, one JWKS key fits ES256 (the other is RSA): verified',
      item: '#17.5',
      token: noKid,
      keyText: JSON.stringify({ keys: [nodeJwk(b, { kid: 'k1' }), nodeJwk(a, { kid: 'k2' })] }),
      expect: { state: 'verified' },
      trusted: [
        { key: pub(b), kid: 'k1', inSet: true },
        { key: pub(a), kid: 'k2', inSet: true },
      ],
    },
    {
      name: 'token without kid, the other ES256 key of the set is for encryption: verified',
      item: '#17.5',
      token: noKid,
      keyText: JSON.stringify({ keys: [cJwk({ kid: 'k1', use: 'enc' }), nodeJwk(a, { kid: 'k2' })] }),
      expect: { state: 'verified' },
      trusted: [
        { key: c, kid: 'k1', use: 'enc', inSet: true },
        { key: pub(a), kid: 'k2', inSet: true },
      ],
    },
    {
      name: 'a single pasted JWK with another kid verifies: verified, the kid mismatch noted',
      item: '#17.5',
      token,
      keyText: JSON.stringify(nodeJwk(a, { kid: 'other' })),
      expect: { state: 'verified', notes: [/kid mismatch/] },
      trusted: [{ key: pub(a) }],
    },
    {
      name: 'JWKS key with use "enc" is not used to verify',
      item: '#10.8',
      token,
      keyText: JSON.stringify({ keys: [nodeJwk(a, { kid: 'expected', use: 'enc' })] }),
      expect: { state: 'failed', code: 'ERR_JWK_NOT_FOR_VERIFYING' },
      trusted: [{ key: pub(a), kid: 'expected', use: 'enc', inSet: true }],
      ui: true,
    },
    {
      name: 'JWKS key with key_ops ["encrypt"] is not used to verify',
      item: '#10.8',
      token,
      keyText: JSON.stringify({ keys: [nodeJwk(a, { kid: 'expected', key_ops: ['encrypt'] })] }),
      expect: { state: 'failed', code: 'ERR_JWK_NOT_FOR_VERIFYING' },
      trusted: [{ key: pub(a), kid: 'expected', keyOps: ['encrypt'], inSet: true }],
    },
    {
      name: 'JWKS with two keys of one kid: the right one verifies',
      item: '#10.8',
      token,
      keyText: JSON.stringify({
        keys: [nodeJwk(b, { kid: 'expected' }), nodeJwk(a, { kid: 'expected' })],
      }),
      expect: { state: 'verified' },
      trusted: [
        { key: pub(b), kid: 'expected', inSet: true },
        { key: pub(a), kid: 'expected', inSet: true },
      ],
    },
  ];
}

function privateKeys(): AttackCase[] {
  const rsa = toolKey('rsa2048');
  const weak = toolKey('rsa1024');
  const ed = toolKey('ed25519');
  const p256 = toolKey('p256');
  const rsToken = nodeJws('RS256', rsa.privateKey);
  const privJwk = JSON.stringify(rsa.privateKey.export({ format: 'jwk' }));
  const pkcs8Der = (p256.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  return [
    {
      name: 'PKCS#1 RSA private key in the key box: its public half verifies, the private key is reported',
      item: '#10.9',
      token: rsToken,
      keyText: rsa.privatePem,
      expect: { state: 'verified', privateKey: true },
      trusted: [{ key: createPublicKey(rsa.publicPem) }],
      ui: true,
    },
    {
      name: 'private JWK in the key box',
      item: '#10.9',
      token: rsToken,
      keyText: privJwk,
      expect: { state: 'verified', privateKey: true },
      trusted: [{ key: createPublicKey(rsa.publicPem) }],
    },
    {
      name: 'RSA-1024 private key (refused by the parser) is still reported',
      item: '#10.9',
      token: nodeJws('RS256', weak.privateKey),
      keyText: weak.privatePem,
      expect: { state: 'failed', code: 'ERR_KEY_WEAK', privateKey: true },
      ui: true,
    },
    {
      // keybench derives an Ed25519 PKCS#8 key's public half: it verifies, and is reported.
      name: 'Ed25519 PKCS#8 private key verifies with its public half and is reported',
      item: '#10.9',
      token: nodeJws('EdDSA', ed.privateKey),
      keyText: ed.privatePem,
      expect: { state: 'verified', privateKey: true },
      trusted: [{ key: createPublicKey(ed.publicPem) }],
      ui: true,
    },
    {
      name: 'armourless PKCS#8 DER is reported as a private key',
      item: '#10.9',
      token: nodeJws('ES256', p256.privateKey),
      keyText: pkcs8Der,
      expect: { state: 'verified', privateKey: true },
      trusted: [{ key: createPublicKey(p256.publicPem) }],
    },
    {
      name: 'a private key pasted for an HS token is reported and refused as a secret',
      item: '#10.9',
      token: hmacToken(Buffer.from(rsa.privatePem)),
      keyText: rsa.privatePem,
      expect: { state: 'failed', code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY', privateKey: true },
      trusted: [{ key: createPublicKey(rsa.publicPem) }],
    },
  ];
}

function highS(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const sig = Buffer.from(s, 'base64url');
  const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  const sv = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const flipped = n - sv;
  const sBytes = Buffer.from(flipped.toString(16).padStart(64, '0'), 'hex');
  return `${h}.${p}.${Buffer.concat([sig.subarray(0, 32), sBytes]).toString('base64url')}`;
}

function lowS(token: string): string {
  const sig = Buffer.from(token.split('.')[2]!, 'base64url');
  const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  return BigInt(`0x${sig.subarray(32).toString('hex')}`) > n / 2n ? highS(token) : token;
}

function notes(): AttackCase[] {
  const p256 = toolKey('p256');
  const lowToken = lowS(nodeJws('ES256', p256.privateKey, { sub: 'x' }));
  const secret = Buffer.from('short');
  return [
    {
      name: 'HMAC secret shorter than the hash output: verified, with a note',
      item: '#10.12',
      token: nodeJws('HS256', secret),
      keyText: 'short',
      expect: { state: 'verified', notes: [/shorter than the SHA-256 output|needs at least 32/] },
      trusted: [{ key: createSecretKey(secret) }],
    },
    {
      name: 'high-S ECDSA signature: valid, with a note',
      item: '#10.12',
      token: highS(lowToken),
      ...pasted(p256),
      expect: { state: 'verified', notes: [/High-S/] },
    },
    {
      name: 'low-S ECDSA signature: no high-S note',
      item: '#10.12',
      token: lowToken,
      ...pasted(p256),
      expect: { state: 'verified' },
    },
  ];
}

/** The key box holds this key's SPKI PEM, and that key is the one the user trusts. */
function pasted(k: ToolKey): Pick<AttackCase, 'keyText' | 'trusted'> {
  return { keyText: k.publicPem, trusted: [{ key: createPublicKey(k.publicPem) }] };
}

/** The token with its header or payload changed (admin: true), or one signature bit flipped. */
export function tamper(token: string, part: 0 | 1 | 2): string {
  const parts = token.split('.');
  if (part === 2) {
    const sig = Buffer.from(parts[2]!, 'base64url');
    sig[5] = sig[5]! ^ 0x01;
    parts[2] = sig.toString('base64url');
  } else {
    const json = JSON.parse(Buffer.from(parts[part]!, 'base64url').toString()) as Record<string, unknown>;
    json.admin = true;
    parts[part] = segment(json);
  }
  return parts.join('.');
}

function classics(): AttackCase[] {
  const otherP256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  const rsa = toolKey('rsa2048');
  const p256 = toolKey('p256');
  const p521 = toolKey('p521');
  const ed = toolKey('ed25519');
  const cases: AttackCase[] = [];
  for (const spelling of ['none', 'None', 'NONE', 'nOnE', ' none']) {
    for (const withSig of [false, true]) {
      const input = `${segment({ alg: spelling, typ: 'JWT' })}.${segment({ sub: 'admin' })}`;
      cases.push({
        name: `alg ${JSON.stringify(spelling)}${withSig ? ' with a signature segment' : ''}`,
        item: 'classic',
        token: `${input}.${withSig ? b64u(nodeSign('sha256', Buffer.from(input), rsa.privateKey)) : ''}`,
        ...pasted(rsa),
        expect: { state: 'failed', code: 'ERR_JWT_UNSECURED' },
        ui: spelling === 'none' && !withSig,
      });
    }
  }
  cases.push({
    name: 'alg none with stored keys and an empty box',
    item: 'classic',
    token: `${segment({ alg: 'none' })}.${segment({ sub: 'admin' })}.`,
    stored: [{ label: 'Qredo', publicPem: rsa.publicPem }],
    expect: { state: 'failed', code: 'ERR_JWT_UNSECURED' },
    trusted: [{ key: createPublicKey(rsa.publicPem) }],
  });
  // Psychic signatures (CVE-2022-21449): r = s = 0.
  for (const [alg, size, k] of [
    ['ES256', 32, p256],
    ['ES512', 66, p521],
  ] as const) {
    cases.push({
      name: `psychic signature ${alg} (r = s = 0)`,
      item: 'classic',
      token: `${segment({ alg })}.${segment({ sub: 'admin' })}.${b64u(Buffer.alloc(size * 2))}`,
      ...pasted(k),
      expect: { state: 'failed', code: 'ERR_JWT_SIGNATURE' },
      ui: alg === 'ES256',
    });
  }
  cases.push({
    name: 'DER-encoded ES512 signature',
    item: 'classic',
    token: nodeJws('ES512', p521.privateKey, undefined, {}, { der: true }),
    ...pasted(p521),
    expect: { state: 'failed', code: 'ERR_JWT_ECDSA_DER' },
  });
  const signed: [string, ToolKey][] = [
    ['RS256', rsa],
    ['PS256', rsa],
    ['ES256', p256],
    ['ES512', p521],
    ['EdDSA', ed],
  ];
  for (const [alg, k] of signed) {
    const token = nodeJws(alg, k.privateKey);
    cases.push({
      name: `${alg} signed by node:crypto, pasted SPKI: verified`,
      item: 'classic',
      token,
      ...pasted(k),
      expect: { state: 'verified' },
      ui: alg === 'RS256' || alg === 'ES512',
    });
    cases.push({
      name: `${alg} signed by node:crypto, stored key: verified`,
      item: 'classic',
      token,
      stored: [{ label: 'Mine', publicPem: k.publicPem }],
      expect: { state: 'verified' },
      trusted: [{ key: createPublicKey(k.publicPem) }],
    });
    for (const part of [0, 1, 2] as const) {
      cases.push({
        name: `${alg} tampered in its ${['header', 'payload', 'signature'][part]}`,
        item: 'classic',
        token: tamper(token, part),
        ...pasted(k),
        expect: { state: 'failed', code: 'ERR_JWT_SIGNATURE' },
        ui: alg === 'RS256' && part === 1,
      });
    }
  }
  cases.push(
    {
      name: 'RS256 header, PSS signature',
      item: 'classic',
      token: nodeJws('RS256', rsa.privateKey, undefined, {}, { pss: true }),
      ...pasted(rsa),
      expect: { state: 'failed', code: 'ERR_JWT_RS_PS_CONFUSION' },
    },
    {
      name: 'ES256 token, RSA key',
      item: 'classic',
      token: nodeJws('ES256', p256.privateKey),
      ...pasted(rsa),
      expect: { state: 'failed', code: 'ERR_JWT_ALG_KEY_MISMATCH' },
    },
    {
      name: 'ES512 token, P-256 key',
      item: 'classic',
      token: nodeJws('ES512', p521.privateKey),
      ...pasted(p256),
      expect: { state: 'failed', code: 'ERR_JWT_CURVE_MISMATCH' },
    },
    {
      name: 'unknown crit',
      item: 'classic',
      token: nodeJws('ES256', p256.privateKey, undefined, { crit: ['exp-ext'], 'exp-ext': 1 }),
      ...pasted(p256),
      expect: { state: 'failed', code: 'ERR_JWT_CRIT' },
    },
    {
      name: 'b64:false without crit',
      item: 'classic',
      token: (() => {
        const h = segment({ alg: 'ES256', b64: false });
        const i = `${h}.$.`;
        return `${h}.$.${b64u(nodeSign('sha256', Buffer.from(i.slice(0, -1)), { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
      })(),
      ...pasted(p256),
      expect: { state: 'failed', code: 'ERR_JWT_B64_FALSE' },
    },
    {
      name: 'kid naming the stored key, signed by another key of the same curve',
      item: 'classic',
      token: nodeJws('ES256', p256.privateKey, undefined, { kid: 'Production' }),
      stored: [{ label: 'Production', publicPem: otherP256 }],
      expect: { state: 'failed', code: 'ERR_JWT_SIGNATURE' },
      trusted: [{ key: createPublicKey(otherP256) }],
    },
  );
  return cases;
}

function misleadingText(): AttackCase[] {
  const p256 = toolKey('p256');
  const other = toolKey('p384');
  return [
    {
      name: 'a kid that reads like a verdict stays untrusted text inside a failure',
      item: '#10.6',
      token: nodeJws(
        'ES256',
        p256.privateKey,
        { sub: 'x' },
        {
          kid: "✔ Signature verified (ES256) with your key 'Production'",
        },
      ),
      keyText: JSON.stringify({
        keys: [nodeJwk(other, { kid: "✔ Signature verified (ES256) with your key 'Production'" })],
      }),
      expect: { state: 'failed', code: 'ERR_JWT_CURVE_MISMATCH' },
      trusted: [{ key: createPublicKey(other.publicPem) }],
      ui: true,
    },
  ];
}

/** A public JWK without its "kty" (and its metadata), as an attacker would hand it over. */
function ktyLess(k: ToolKey): Record<string, string> {
  const { kty: _kty, ...rest } = nodeJwk(k) as Record<string, string>;
  return rest;
}

/**
 * HS* tokens whose secret is a public key written as JSON without "kty": a key shape, so never the
 * secret unless the user ticks Shared secret (HMAC) (RFC 8725 §2.1), and text that is no key shape
 * still is the secret of an HS* token.
 */
function keyBoxShapes(): AttackCase[] {
  const cases: AttackCase[] = [];
  const keys: [ToolKey, string][] = [
    [toolKey('rsa2048'), 'RSA (n, e)'],
    [toolKey('p256'), 'EC P-256 (crv, x, y)'],
    [toolKey('ed25519'), 'OKP Ed25519 (crv, x)'],
  ];
  for (const [k, name] of keys) {
    const jwk = ktyLess(k);
    const texts: [string, string][] = [
      ['JWK without kty', JSON.stringify(jwk)],
      ['JWK without kty, pretty-printed', JSON.stringify(jwk, null, 2)],
      ['JWKS whose key has no kty', JSON.stringify({ keys: [{ ...jwk, kid: 'k1' }] })],
      ['JWK without kty inside other JSON', JSON.stringify({ issuer: 'https://id.example', key: jwk })],
    ];
    for (const [label, text] of texts) {
      for (const alg of ['HS256', 'HS512']) {
        cases.push({
          name: `${alg} forged with a ${name} ${label} as the secret, unticked: refused`,
          item: '#24.6',
          token: hmacToken(Buffer.from(text), alg),
          keyText: text,
          expect: { state: 'failed', code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY' },
          trusted: [{ key: createPublicKey(k.publicPem) }],
        });
      }
    }
    const text = JSON.stringify(jwk);
    cases.push({
      name: `HS256 keyed with a ${name} JWK without kty, ticked Shared secret (HMAC): the user said so, verified`,
      item: '#24.6',
      token: hmacToken(Buffer.from(text)),
      keyText: text,
      ticked: true,
      expect: { state: 'verified' },
      trusted: [{ key: createSecretKey(Buffer.from(text)) }],
    });
  }
  const plainJson = '{"secret":"correct horse battery staple, long enough"}';
  cases.push(
    {
      name: 'HS256 keyed with JSON that is no key shape, unticked: the secret, verified',
      item: '#24.6',
      token: hmacToken(Buffer.from(plainJson)),
      keyText: plainJson,
      expect: { state: 'verified' },
      trusted: [{ key: createSecretKey(Buffer.from(plainJson)) }],
    },
    {
      name: 'HS256 keyed with an RSA SPKI PEM, ticked: key material is never a secret',
      item: '#24.6',
      token: hmacToken(Buffer.from(toolKey('rsa2048').publicPem)),
      keyText: toolKey('rsa2048').publicPem,
      ticked: true,
      expect: { state: 'failed', code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY' },
      trusted: [{ key: createPublicKey(toolKey('rsa2048').publicPem) }],
    },
  );
  return cases;
}

/** An RSA JWK whose modulus carries a leading zero byte (a signed-integer encoding). */
export function leadingZeroJwk(k: ToolKey): Record<string, string> {
  const jwk = nodeJwk(k) as Record<string, string>;
  return {
    ...jwk,
    n: Buffer.concat([Buffer.from([0]), Buffer.from(jwk.n!, 'base64url')]).toString('base64url'),
  };
}

/** The smaller JWT findings: malformed b64/crit, a numeric kid, one kid twice, two PEMs, n with a zero byte. */
function jwtFindings(): AttackCase[] {
  const p = toolKey('p256');
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  const otherPem = other.export({ type: 'spki', format: 'pem' }) as string;
  const pub = createPublicKey(p.publicPem);
  const rsa = toolKey('rsa2048');
  return [
    {
      name: 'b64 written as the string "false", listed in crit: malformed b64, named',
      item: '#24.6',
      token: nodeJws('ES256', p.privateKey, 'raw', { b64: 'false', crit: ['b64'] }),
      ...pasted(p),
      expect: { state: 'failed', code: 'ERR_JWT_B64_INVALID' },
    },
    {
      name: 'crit lists b64 but the header has none: malformed crit, named',
      item: '#24.6',
      token: nodeJws('ES256', p.privateKey, { sub: 'x' }, { crit: ['b64'] }),
      ...pasted(p),
      expect: { state: 'failed', code: 'ERR_JWT_CRIT' },
    },
    {
      name: 'a numeric kid, one pasted key: verified, the kid named as not a string',
      item: '#24.6',
      token: nodeJws('ES256', p.privateKey, { sub: 'x' }, { kid: 42 }),
      ...pasted(p),
      expect: { state: 'verified', notes: [/kid is , not a string \(RFC 7515/] },
    },
    {
      name: 'a numeric kid, a JWKS whose key has kid "42": amber, a kid-selecting server finds no key',
      item: '#24.6',
      token: nodeJws('ES256', p.privateKey, { sub: 'x' }, { kid: 42 }),
      keyText: JSON.stringify({ keys: [nodeJwk(p, { kid: '42' })] }),
      expect: { state: 'kid-mismatch', code: 'ERR_JWKS_KID_MISMATCH' },
      trusted: [{ key: pub, kid: '42', inSet: true }],
    },
    {
      name: 'a JWKS with two ES256 keys of one kid: amber, jose refuses it (JWKSMultipleMatchingKeys)',
      item: '#24.6',
      token: nodeJws('ES256', p.privateKey, { sub: 'x' }, { kid: 'k1' }),
      keyText: JSON.stringify({
        keys: [{ ...other.export({ format: 'jwk' }), kid: 'k1' }, nodeJwk(p, { kid: 'k1' })],
      }),
      expect: { state: 'kid-mismatch', code: 'ERR_JWKS_KID_AMBIGUOUS' },
      trusted: [
        { key: other, kid: 'k1', inSet: true },
        { key: pub, kid: 'k1', inSet: true },
      ],
    },
    {
      name: 'two pasted PEMs, the second signed it, no kid: verified (two keys, not a JWKS)',
      item: '#24.6',
      token: nodeJws('ES256', p.privateKey, { sub: 'x' }),
      keyText: `${otherPem}\n${p.publicPem}`,
      expect: { state: 'verified' },
      trusted: [{ key: other }, { key: pub }],
    },
    {
      name: 'an RSA JWK whose n has a leading zero byte: refused, named',
      item: '#24.6',
      token: nodeJws('RS256', rsa.privateKey, { sub: 'x' }),
      keyText: JSON.stringify(leadingZeroJwk(rsa)),
      expect: { state: 'failed', code: 'ERR_KEY_INVALID' },
    },
  ];
}

let cached: AttackCase[] | undefined;

/** The whole corpus (made once per process: it runs openssl). */
export function attackCorpus(): AttackCase[] {
  cached ??= [
    ...hmacConfusion(),
    ...embeddedKeys(),
    ...duplicateMembers(),
    ...jwksSelection(),
    ...privateKeys(),
    ...notes(),
    ...misleadingText(),
    ...classics(),
    ...keyBoxShapes(),
    ...jwtFindings(),
  ];
  return cached;
}

export { pemBody, segment, b64u };
