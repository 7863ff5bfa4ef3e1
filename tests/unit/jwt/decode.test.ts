import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { claimRows, relativeTime, timeStatus } from '../../../src/lib/jwt/claims';
import { nodeJws, toolKey } from '../support/jwt-helpers';

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

describe('decodeToken (does not verify; never throws)', () => {
  const token = nodeJws('ES256', toolKey('p256').privateKey, { sub: 'alice', exp: 2000000000 });

  it('decodes header and payload as JSON', () => {
    const d = decodeToken(token);
    expect(d.form).toBe('jws');
    expect(d.header).toEqual({ alg: 'ES256', typ: 'JWT' });
    expect(d.payload).toMatchObject({ kind: 'json', value: { sub: 'alice', exp: 2000000000 } });
    expect(d.signature?.length).toBe(64);
    expect(d.cleaned).toEqual([]);
  });

  it('tolerates and reports Bearer, quotes, whitespace and line breaks', () => {
    const d = decodeToken(`  "Bearer ${token.slice(0, 20)}\n${token.slice(20)}"  `);
    expect(d.form).toBe('jws');
    expect(d.token).toBe(token);
    expect(d.cleaned).toEqual([
      'surrounding whitespace',
      'surrounding quotes',
      'a leading "Bearer "',
      'line breaks or spaces inside the token',
    ]);
    expect(decodeToken(`Bearer ${token}`).cleaned).toEqual(['a leading "Bearer "']);
  });

  it('ERR_JWT_SEGMENTS: wrong number of segments', () => {
    const d = decodeToken(token.split('.').slice(0, 2).join('.'));
    expect(d.form).toBe('malformed');
    expect(d.errors[0]).toMatchObject({ code: 'ERR_JWT_SEGMENTS' });
    expect(d.errors[0]!.message).toContain('this has 2');
    expect(d.header?.alg).toBe('ES256');
  });

  it('ERR_JWT_BASE64URL: names the segment, the character and its position', () => {
    const [h, p, s] = token.split('.');
    const d = decodeToken(`${h}.${p!.slice(0, 3)}+${p!.slice(4)}.${s}`);
    expect(d.errors[0]).toMatchObject({ code: 'ERR_JWT_BASE64URL', segment: 'payload', position: 4 });
    expect(d.errors[0]!.message).toContain('standard base64 alphabet');
    // Padding that is not what base64 adds (here one = too many) is not base64url.
    const s2 = s!.length % 4 === 2 ? `${s}===` : `${s}=`;
    const padded = decodeToken(`${h}.${p}.${s2}`);
    expect(padded.errors[0]).toMatchObject({ code: 'ERR_JWT_BASE64URL', segment: 'signature' });
    const middle = decodeToken(`${h}.${p!.slice(0, 4)}=${p!.slice(4)}.${s}`);
    expect(middle.errors[0]).toMatchObject({ code: 'ERR_JWT_BASE64URL', segment: 'payload' });
  });

  it('exact = padding (what google-auth for Python sent) decodes, with a note; the signed text keeps it', () => {
    const pad = (x: string) => x + '='.repeat((4 - (x.length % 4)) % 4);
    const [h, p, s] = token.split('.') as [string, string, string];
    const padded = `${pad(h)}.${pad(p)}.${pad(s)}`;
    expect(padded).not.toBe(token); // the fixture's segments need padding, or this proves nothing
    const d = decodeToken(padded);
    expect(d.errors).toEqual([]);
    expect(d.form).toBe('jws');
    expect(d.header).toEqual(decodeToken(token).header);
    expect(d.segments[0]).toBe(pad(h));
    expect(d.cleaned.join(' ')).toContain('= padding');
  });

  it('ERR_JWT_JSON: points at the JSON position in the header', () => {
    const d = decodeToken(`${b64u('{"alg":"ES256",}')}.${b64u('{}')}.AAAA`);
    expect(d.errors[0]).toMatchObject({ code: 'ERR_JWT_JSON', segment: 'header' });
    expect(d.errors[0]!.position).toBeGreaterThan(10);
  });

  it('ERR_JWT_HEADER: a header without alg', () => {
    const d = decodeToken(`${b64u('{"typ":"JWT"}')}.${b64u('{}')}.AAAA`);
    expect(d.errors[0]).toMatchObject({ code: 'ERR_JWT_HEADER' });
  });

  it('ERR_JWT_JWE: five segments shows the JWE header', () => {
    const d = decodeToken(`${b64u('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.a.b.c.d`);
    expect(d.form).toBe('jwe');
    expect(d.header).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM' });
    expect(d.errors[0]!.code).toBe('ERR_JWT_JWE');
  });

  it('shows a non-JSON payload as text, a broken JSON payload with its position, binary as hex', () => {
    const h = b64u('{"alg":"HS256"}');
    expect(decodeToken(`${h}.${b64u('hello world')}.AAAA`).payload).toEqual({
      kind: 'text',
      text: 'hello world',
    });
    const broken = decodeToken(`${h}.${b64u('{"a":1,,}')}.AAAA`).payload;
    expect(broken).toMatchObject({ kind: 'text', jsonError: { code: 'ERR_JWT_JSON', segment: 'payload' } });
    expect(decodeToken(`${h}.${b64u(Buffer.from([0xff, 0xfe, 0x00]))}.AAAA`).payload).toEqual({
      kind: 'binary',
      hex: 'ff fe 00',
      length: 3,
    });
  });

  it('empty input is "empty", not an error', () => {
    expect(decodeToken('   ').form).toBe('empty');
  });

  it('decodes a 1 MB token', () => {
    const big = `${b64u('{"alg":"HS256"}')}.${b64u(JSON.stringify({ data: 'x'.repeat(750_000) }))}.AAAA`;
    expect(big.length).toBeGreaterThan(1_000_000);
    const d = decodeToken(big);
    expect(d.form).toBe('jws');
  });
});

describe('claims', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  const s = now / 1000;

  it('explains registered claims first and formats times', () => {
    const { rows } = claimRows({ custom: 1, exp: s + 240, iss: 'me' }, now);
    expect(rows.map((r) => r.name)).toEqual(['iss', 'exp', 'custom']);
    expect(rows[1]!.time).toEqual({
      ms: (s + 240) * 1000,
      iso: '2026-11-23T12:04:00.000Z',
      relative: 'in 4 min',
    });
    expect(rows[0]!.description).toMatch(/Issuer/);
    expect(rows[2]!.description).toBeNull();
  });

  it('relative time', () => {
    expect(relativeTime(now - 2 * 3600_000, now)).toBe('2 h ago');
    expect(relativeTime(now + 1000, now)).toBe('just now');
    expect(relativeTime(now + 3 * 86400_000, now)).toBe('in 3 d');
  });

  it('time status with skew', () => {
    expect(timeStatus({ exp: s - 30 }, now, 60).state).toBe('valid');
    expect(timeStatus({ exp: s - 61 }, now, 60).state).toBe('expired');
    expect(timeStatus({ exp: s - 30 }, now, 0).state).toBe('expired');
    expect(timeStatus({ nbf: s + 120 }, now, 60).state).toBe('not-yet-valid');
    expect(timeStatus({ iat: s + 3600, exp: s + 7200 }, now, 60).state).toBe('issued-in-future');
    expect(timeStatus({ sub: 'x' }, now, 60).state).toBe('no-times');
    expect(timeStatus({ exp: '2026' }, now, 60).state).toBe('invalid-times');
  });
});

describe('a key or JSON pasted in the token box: what it is and where it goes', () => {
  const k = toolKey('p256');
  const jwk = createPublicKey(k.publicPem).export({ format: 'jwk' });
  const privJwk = createPrivateKey(k.privatePem).export({ format: 'jwk' });
  const cases: [string, string, RegExp][] = [
    [
      'public PEM',
      k.publicPem,
      /^This is a public key \(PEM\), not a token\. Paste it in Verification key below\.$/,
    ],
    ['certificate', k.certPem, /certificate \(PEM\), not a token\. Paste it in Verification key below/],
    ['private PEM', k.privatePem, /^This is a private key: do not paste it here\./],
    [
      'PKCS#1 private',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      /private key: do not paste/,
    ],
    [
      'JWK',
      JSON.stringify(jwk),
      /^This is a JWK \(a key in JSON\), not a token\. Paste it in Verification key below\.$/,
    ],
    ['private JWK', JSON.stringify(privJwk), /^This is a private JWK: do not paste it here/],
    ['JWKS', JSON.stringify({ keys: [jwk] }), /^This is a JWKS .* Paste it in Verification key below\.$/],
    [
      'payload JSON',
      '{"sub":"alice","exp":2000000000}',
      /^This is JSON, not a token\..*payload alone is not a token/,
    ],
    ['broken JSON', '{"sub":', /^This looks like JSON, not a token\. A JWT is three base64url parts/],
    ['SSH key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA me@host', /SSH public key, not a token/],
  ];
  it.each(cases)('%s', (_name, text, want) => {
    const d = decodeToken(`\n${text}\n`);
    expect(d.form).toBe('malformed');
    expect(d.errors).toHaveLength(1);
    // The code stays ERR_JWT_SEGMENTS; the words say what it is.
    expect(d.errors[0]!.code).toBe('ERR_JWT_SEGMENTS');
    expect(d.errors[0]!.message).toMatch(want);
    expect(d.errors[0]!.message).not.toContain('three segments separated');
  });

  it('an unknown PEM label is shown as untrusted text', () => {
    const d = decodeToken('-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----');
    expect(d.errors[0]!.parts).toContainEqual({ untrusted: 'X509 CRL' });
  });

  it('a real token is still a token', () => {
    expect(decodeToken(nodeJws('ES256', k.privateKey)).form).toBe('jws');
  });
});
