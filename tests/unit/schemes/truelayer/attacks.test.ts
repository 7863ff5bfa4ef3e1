/**
 * An attacker's review of the TrueLayer scheme (Tl-Signature, a detached ES512 JWS) as the doctor
 * runs it, differential against TrueLayer's own verifier: for each attack, keybench's exact outcome
 * (state and code) beside whether truelayer-signing's `verify` accepts the same request with the
 * same key (`requiredHeaders: ['Idempotency-Key']`, as TrueLayer's docs require). Green ⇔ the SDK
 * accepts, except where noted: there keybench is stricter, because TrueLayer's other SDKs (Rust,
 * C#, Go, Python, Ruby in TrueLayer/truelayer-signing) or its server refuse what the Node SDK lets
 * through. Signatures are made by node:crypto (ieee-p1363) or by the SDK, never by keybench.
 *
 * What held: one Tl-Signature; alg ES512 only (none, HS512, es512 refused); tl_version "2" only; a
 * jwk, jku, x5c in the header never brings a key; b64/crit do not change the bytes (as in every SDK);
 * tl_headers' spelling and order; a signed header sent twice is refused; a header line moved into
 * the body never verifies; the method as sent; only P-521 keys of the user's own (TrueLayer's own
 * key, an unowned key, RSA and other curves are never tried); high-S signatures verify in both.
 *
 * What did not (fixed in src/lib/schemes/truelayer/scheme.ts): a header tl_headers lists but the
 * request does not send (or lists with a space, which names no header) was signed as `Name: \n`
 * and green (the Node SDK's reading; every other TrueLayer SDK refuses "Missing tl_header declared
 * in signature"); a name listed twice was green (Node and C# sign two lines, Rust one); an empty
 * Idempotency-Key was green; a space inside the signature's text (after the dots) was trimmed away
 * and green (Node skips it, Rust refuses it); and for the path "/", the trailing-slash retry verified
 * a signature over an empty path, which the SDK refuses.
 *
 * A JWS header with a duplicate member (the last alg wins in the Node SDK; the Rust SDK refuses
 * it) was green; it is refused.
 *
 * Open (not fixed here): keybench cannot see whether the kid names the key that verified (TrueLayer picks the key by kid), so a request whose kid names another of the
 * user's keys is green.
 */
import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import * as tl from 'truelayer-signing';
import { beforeAll, describe, expect, it } from 'vitest';
import { doctorOf } from '../../support/exchange-helpers';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import { plain } from '../../../../src/lib/rich';
import { toolKey } from '../../support/jwt-helpers';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const KID = '45fc75cf-5649-4134-84b3-192c2c78e990';
const IDEMPOTENCY = 'idemp-2076717c-9005-4811-a321-9e0787fa0382';
const HOST = 'api.truelayer-sandbox.com';
const PATH = '/v3/payouts';
const BODY = '{"merchant_account_id":"AB8FA060","amount_in_minor":100,"currency":"GBP","name":"Foo £"}';
const HEADER = { alg: 'ES512', kid: KID, tl_version: '2', tl_headers: 'Idempotency-Key' };
// The SDK types its methods as a const enum, which it does not export at run time.
const asMethod = (m: string) => m as unknown as tl.HttpMethod;

interface Pair {
  privateKey: KeyObject;
  publicPem: string;
  spki: Uint8Array<ArrayBuffer>;
}

/** A P-521 pair made by node:crypto. */
function p521(): Pair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return { privateKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }) as string, spki };
}

/** A public key as the page hands it to the doctor (stored with an owner, or pasted). */
async function trusted(
  pem: string,
  label: string,
  owner: 'mine' | 'truelayer' | undefined,
  origin: VerificationKey['origin'] = 'stored',
): Promise<VerificationKey> {
  const k = createPublicKey(pem);
  const spki = new Uint8Array(k.export({ format: 'der', type: 'spki' }));
  const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[
    String(k.asymmetricKeyDetails?.namedCurve)
  ];
  const params = curve ? { name: 'ECDSA', namedCurve: curve } : { name: 'RSA-PSS', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return { kind: 'public', label, origin, ...(owner ? { owner } : {}), spki, type: keyTypeOf(key) };
}

let me: Pair;
let attacker: Pair;
let truelayerSide: Pair;
let mine: VerificationKey;
beforeAll(async () => {
  [me, attacker, truelayerSide] = [p521(), p521(), p521()];
  mine = await trusted(me.publicPem, 'my TrueLayer key', 'mine');
});

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** The v2 payload: `METHOD path\n`, one `Name: value\n` per signed header, the body. */
const payload = (method: string, path: string, lines: [string, string][], body: string) =>
  `${method} ${path}\n${lines.map(([n, v]) => `${n}: ${v}\n`).join('')}${body}`;

interface Forge {
  header?: Record<string, unknown> | string;
  method?: string;
  path?: string;
  lines?: [string, string][];
  body?: string;
  key?: KeyObject;
  hash?: 'sha512' | 'sha256';
  /** The payload segment as signed (default: base64url of the payload). */
  segment?: (payload: string) => string;
}

/** A Tl-Signature made by node:crypto over base64url(header) "." base64url(payload). */
function forge(f: Forge = {}): { sig: string; raw: Buffer } {
  const h = typeof f.header === 'string' ? f.header : b64u(JSON.stringify(f.header ?? HEADER));
  const p = payload(
    f.method ?? 'POST',
    f.path ?? PATH,
    f.lines ?? [['Idempotency-Key', IDEMPOTENCY]],
    f.body ?? BODY,
  );
  const input = `${h}.${(f.segment ?? b64u)(p)}`;
  const raw = nodeSign(f.hash ?? 'sha512', Buffer.from(input), {
    key: f.key ?? me.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return { sig: `${h}..${b64u(raw)}`, raw };
}

interface Req {
  method?: string;
  /** The request target: path and query. */
  target?: string;
  sig?: string;
  /** Replaces the Tl-Signature line(s). */
  tlLines?: string[];
  /** Headers besides Host, Tl-Signature and Content-* (default: the Idempotency-Key). */
  headers?: [string, string][];
  body?: string;
}

/** The request as raw HTTP/1.1, exactly as sent. */
function raw(r: Req): string {
  const body = r.body ?? BODY;
  return [
    `${r.method ?? 'POST'} ${r.target ?? PATH} HTTP/1.1`,
    `Host: ${HOST}`,
    ...(r.tlLines ?? [`Tl-Signature: ${r.sig ?? forge().sig}`]),
    ...(r.headers ?? [['Idempotency-Key', IDEMPOTENCY]]).map(([n, v]) => `${n}: ${v}`),
    ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
    '',
    body,
  ].join('\r\n');
}

const { examine, verdictOf, outcome } = doctorOf('truelayer', NOW, () => [mine]);

/** Does truelayer-signing's verify accept the request, with the same key, as a server hands it over? */
function sdkAccepts(r: Req, publicKeyPem = me.publicPem): boolean {
  const signature = (r.sig ?? forge().sig).trim();
  try {
    tl.verify({
      publicKeyPem,
      signature,
      method: asMethod(r.method ?? 'POST'),
      path: (r.target ?? PATH).split('?')[0]!,
      body: r.body ?? BODY,
      headers: Object.fromEntries(r.headers ?? [['Idempotency-Key', IDEMPOTENCY]]),
      requiredHeaders: ['Idempotency-Key'],
    });
    return true;
  } catch {
    return false;
  }
}

/** keybench's outcome beside the SDK's: [state, code, SDK accepts]. */
async function both(r: Req): Promise<[string, string, boolean]> {
  const [state, code] = await outcome(raw(r));
  return [state, code, sdkAccepts(r)];
}

describe('the baseline the attacks change', () => {
  it('what the SDK signs verifies in both; a changed byte of the body fails in both', async () => {
    const sig = tl.sign({
      kid: KID,
      privateKeyPem: me.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      method: asMethod('POST'),
      path: PATH,
      headers: { 'Idempotency-Key': IDEMPOTENCY },
      body: BODY,
    });
    expect(await both({ sig })).toEqual(['verified', 'OK', true]);
    expect(await both({ sig: forge().sig })).toEqual(['verified', 'OK', true]);
    expect(await both({ sig, body: BODY.replace('100', '101') })).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
      false,
    ]);
  });
});

describe('the Tl-Signature header and its text', () => {
  it('sent twice (the good one first): refused before any key (a server reads the first, the last, or both)', async () => {
    const tlLines = [
      `Tl-Signature: ${forge().sig}`,
      `tl-signature: ${forge({ key: attacker.privateKey }).sig}`,
    ];
    expect(await outcome(raw({ tlLines }))).toEqual(['refused', 'ERR_REQUEST_DUPLICATE_HEADER']);
  });

  it('optional whitespace around it (every server strips it): verified in both', async () => {
    const sig = forge().sig;
    expect(await outcome(raw({ tlLines: [`Tl-Signature:   ${sig}  `] }))).toEqual(['verified', 'OK']);
    expect(sdkAccepts({ sig })).toBe(true);
  });

  it('in double quotes: refused by keybench, rejected by the SDK', async () => {
    expect(await both({ sig: `"${forge().sig}"` })).toEqual(['failed', 'ERR_JWT_JSON', false]);
  });

  it('four segments (header..signature.more): refused; the Node SDK reads the third and accepts', async () => {
    // Stricter than Node on purpose: Rust splits at ".." and C# wants exactly two dots.
    expect(await both({ sig: `${forge().sig}.AAAA` })).toEqual(['failed', 'ERR_JWT_SEGMENTS', true]);
  });

  it('the signature in the standard base64 alphabet: the encoding mistake; Node’s lenient decoder accepts', async () => {
    // A signature whose base64 holds + or / (else both alphabets write it alike).
    let body = BODY;
    let made = forge();
    for (let i = 1; !/[+/]/.test(made.raw.toString('base64')); i++) {
      body = `${BODY}${' '.repeat(i)}`;
      made = forge({ body });
    }
    const [h] = made.sig.split('..');
    const sig = `${h}..${made.raw.toString('base64').replace(/=+$/, '')}`;
    // Stricter than Node on purpose: TrueLayer's docs say base64url, and Rust (URL_SAFE_NO_PAD)
    // refuses + and /; Node reads the signature with Buffer.from(…, 'base64'), which takes both.
    expect(await both({ sig, body })).toEqual(['failed', 'ERR_SCHEME_SIGNATURE_ENCODING', true]);
  });

  // Was a defect (src/lib/schemes/truelayer/scheme.ts read): the signature's text was trimmed, so a
  // space after the dots was green; Node's Buffer skips it, Rust (URL_SAFE_NO_PAD) refuses it.
  it('a space inside, after the dots: refused; Node’s lenient decoder accepts it', async () => {
    const [h, sig] = forge().sig.split('..');
    expect(await both({ sig: `${h}.. ${sig}` })).toEqual(['failed', 'ERR_JWT_BASE64URL', true]);
  });

  it('the signature padded with "=" (132 bytes need none): unreadable; Node’s decoder skips it', async () => {
    // Stricter than Node on purpose: a JWS is unpadded base64url (RFC 7515 §2), as Rust reads it.
    expect(await both({ sig: `${forge().sig}=` })).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE_UNREADABLE',
      true,
    ]);
  });

  it('the header segment padded with "=": refused by keybench; Node’s lenient decoder accepts it', async () => {
    const h = b64u(JSON.stringify({ ...HEADER, kid: `${KID}x` }));
    const padded = `${h}${'='.repeat((4 - (h.length % 4)) % 4) || '=='}`;
    const { sig } = forge({ header: padded });
    expect(await both({ sig })).toEqual(['failed', 'ERR_JWT_JSON', true]);
  });
});

describe('the JWS header: alg, keys it carries, b64 and crit', () => {
  it.each([
    ['alg none with no signature', () => `${b64u(JSON.stringify({ ...HEADER, alg: 'none' }))}..`],
    [
      'alg HS512 keyed with my public key’s PEM (the confusion attack)',
      () => {
        const h = b64u(JSON.stringify({ ...HEADER, alg: 'HS512' }));
        const p = b64u(payload('POST', PATH, [['Idempotency-Key', IDEMPOTENCY]], BODY));
        return `${h}..${createHmac('sha512', me.publicPem).update(`${h}.${p}`).digest('base64url')}`;
      },
    ],
    ['alg es512 (lower case)', () => forge({ header: { ...HEADER, alg: 'es512' } }).sig],
    [
      'alg ES256 over a P-521 key with SHA-256',
      () => forge({ header: { ...HEADER, alg: 'ES256' }, hash: 'sha256' }).sig,
    ],
  ])('%s: refused, and the SDK rejects it', async (_, make) => {
    expect(await both({ sig: make() })).toEqual(['failed', 'ERR_JWT_ALG_UNSUPPORTED', false]);
  });

  it('ES512 named but the digest is SHA-256: not verified in either', async () => {
    expect(await both({ sig: forge({ hash: 'sha256' }).sig })).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
      false,
    ]);
  });

  it('an x5c and x5u of the attacker’s, signed by the attacker: not verified, the keys only noted', async () => {
    const x5c = [toolKey('p521').certPem.replace(/-----[^-]+-----|\s/g, '')];
    const h = { ...HEADER, x5c, x5u: 'https://attacker.example/cert.pem' };
    const r = { sig: forge({ header: h, key: attacker.privateKey }).sig };
    expect(await both(r)).toEqual(['failed', 'ERR_SCHEME_SIGNATURE', false]);
    const v = verdictOf(await examine(raw(r)));
    expect(v.signatureVerified).toBe(false);
    expect(v.findings.find((f) => f.code === 'ERR_JWT_EMBEDDED_KEY_ONLY')?.detail).toContain('x5c, x5u');
  });

  it('b64 false and crit ["b64"]: no SDK honours them, so the payload is still base64url (verified in both)', async () => {
    const header = { ...HEADER, b64: false, crit: ['b64'] };
    expect(await both({ sig: forge({ header }).sig })).toEqual(['verified', 'OK', true]);
    // Signed as RFC 7797 says (the payload unencoded): neither accepts it.
    const unencoded = forge({ header, segment: (p) => p }).sig;
    expect(await both({ sig: unencoded })).toEqual(['failed', 'ERR_SCHEME_SIGNATURE', false]);
  });

  it('an unknown crit member (ignored by every SDK): verified in both', async () => {
    expect(await both({ sig: forge({ header: { ...HEADER, crit: ['exp'], exp: 1 } }).sig })).toEqual([
      'verified',
      'OK',
      true,
    ]);
  });

  it('tl_headers that is not text (an array): refused; the SDK throws', async () => {
    const sig = forge({ header: { ...HEADER, tl_headers: ['Idempotency-Key'] } }).sig;
    expect(await both({ sig })).toEqual(['failed', 'ERR_JWT_HEADER', false]);
  });

  it('a kid that is not text: not verified (TrueLayer finds the key by it); the SDK, given the key, accepts', async () => {
    expect(await both({ sig: forge({ header: { ...HEADER, kid: 7 } }).sig })).toEqual([
      'failed',
      'ERR_JWT_HEADER',
      true,
    ]);
  });

  // Was green: JSON.parse keeps the last of a duplicate member, as the Node SDK does, but the Rust
  // SDK (serde) refuses the header. Where TrueLayer's SDKs disagree, the request is not verified.
  it.each([
    [
      'alg, none then ES512',
      `{"alg":"none","kid":"${KID}","tl_version":"2","tl_headers":"Idempotency-Key","alg":"ES512"}`,
    ],
    [
      'kid, escaped the second time',
      `{"alg":"ES512","kid":"x","tl_version":"2","tl_headers":"Idempotency-Key","\\u006bid":"${KID}"}`,
    ],
  ])('a member written twice (%s): refused, though the Node SDK accepts it', async (_, json) => {
    expect(await both({ sig: forge({ header: b64u(json) }).sig })).toEqual([
      'failed',
      'ERR_JWT_HEADER',
      true,
    ]);
  });
});

describe('tl_headers and the headers sent', () => {
  const X = 'X-Custom';

  it('listed in another case than sent, and in another order: signed as listed, verified in both', async () => {
    const header = { ...HEADER, tl_headers: `${X},idempotency-key` };
    const lines: [string, string][] = [
      [X, '123'],
      ['idempotency-key', IDEMPOTENCY],
    ];
    const headers: [string, string][] = [
      ['Idempotency-Key', IDEMPOTENCY],
      ['x-custom', '123'],
    ];
    expect(await both({ sig: forge({ header, lines }).sig, headers })).toEqual(['verified', 'OK', true]);
  });

  // Was a defect (src/lib/schemes/truelayer/scheme.ts checks: a warning): a listed header the
  // request does not send was signed as "Name: \n" and the request was green. That is the Node
  // SDK's reading alone: Rust, C#, Go, Python and Ruby refuse "Missing tl_header … declared in
  // signature". Stricter than Node on purpose.
  it('a listed header the request does not send (signed as "Name: \\n"): not verified', async () => {
    const header = { ...HEADER, tl_headers: `Idempotency-Key,${X}` };
    const lines: [string, string][] = [
      ['Idempotency-Key', IDEMPOTENCY],
      [X, ''],
    ];
    expect(await both({ sig: forge({ header, lines }).sig })).toEqual([
      'failed',
      'ERR_SCHEME_HEADER_MISSING',
      true,
    ]);
  });

  it('a listed name with a space before it (it names no header sent; C# trims it, Node does not): not verified', async () => {
    const header = { ...HEADER, tl_headers: `Idempotency-Key, ${X}` };
    const lines: [string, string][] = [
      ['Idempotency-Key', IDEMPOTENCY],
      [` ${X}`, ''],
    ];
    const headers: [string, string][] = [
      ['Idempotency-Key', IDEMPOTENCY],
      [X, 'changed by anyone'],
    ];
    expect(await both({ sig: forge({ header, lines }).sig, headers })).toEqual([
      'failed',
      'ERR_SCHEME_HEADER_MISSING',
      true,
    ]);
  });

  // Was a defect (src/lib/schemes/truelayer/scheme.ts read): a name listed twice was green; Node and
  // C# sign its line twice, Rust (an IndexSet) once, so TrueLayer's own verifiers disagree.
  it.each([
    ['the same spelling', 'Idempotency-Key,Idempotency-Key'],
    ['another case', 'Idempotency-Key,IDEMPOTENCY-KEY'],
  ])('a name listed twice (%s), signed twice as Node does: refused', async (_, list) => {
    const names = list.split(',');
    const lines = names.map((n) => [n, IDEMPOTENCY] as [string, string]);
    const sig = forge({ header: { ...HEADER, tl_headers: list }, lines }).sig;
    expect(await both({ sig })).toEqual(['failed', 'ERR_JWT_HEADER', true]);
  });

  it.each([
    [
      'twice with one spelling',
      [
        [X, '1'],
        [X, '2'],
      ],
    ],
    [
      'twice in two cases',
      [
        ['x-custom', '1'],
        [X, '1'],
      ],
    ],
  ] as const)('a signed header sent %s: refused', async (_, extra) => {
    const header = { ...HEADER, tl_headers: `Idempotency-Key,${X}` };
    const sig = forge({
      header,
      lines: [
        ['Idempotency-Key', IDEMPOTENCY],
        [X, '1'],
      ],
    }).sig;
    const headers: [string, string][] = [
      ['Idempotency-Key', IDEMPOTENCY],
      ...extra.map(([n, v]) => [n, v] as [string, string]),
    ];
    expect(await outcome(raw({ sig, headers }))).toEqual(['failed', 'ERR_REQUEST_DUPLICATE_HEADER']);
  });

  it('a signed header’s line moved into the body (tl_headers shortened): verified in neither', async () => {
    const header = { ...HEADER, tl_headers: `Idempotency-Key,${X}` };
    const sig = forge({
      header,
      lines: [
        ['Idempotency-Key', IDEMPOTENCY],
        [X, '1'],
      ],
    }).sig;
    // The same payload bytes, read with tl_headers "Idempotency-Key" and the line in the body: the
    // header segment is signed too, so the attacker cannot shorten tl_headers.
    const h = b64u(JSON.stringify(HEADER));
    const moved = `${h}..${sig.split('..')[1]!}`;
    expect(await both({ sig: moved, body: `${X}: 1\n${BODY}` })).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
      false,
    ]);
  });

  // Was a defect (src/lib/schemes/truelayer/scheme.ts checks): an Idempotency-Key sent empty, and
  // signed so, was green; TrueLayer needs a key per request to make it idempotent (the SDK's verify
  // does not look at values).
  it('an empty Idempotency-Key, signed as sent: not verified; the SDK accepts', async () => {
    const headers: [string, string][] = [['Idempotency-Key', '']];
    const sig = forge({ lines: [['Idempotency-Key', '']] }).sig;
    expect(await both({ sig, headers })).toEqual(['failed', 'ERR_SCHEME_HEADER_VALUE', true]);
  });

  it('Idempotency-Key neither sent nor listed: missing, and the SDK rejects it', async () => {
    const sig = forge({ header: { ...HEADER, tl_headers: '' }, lines: [] }).sig;
    expect(await both({ sig, headers: [] })).toEqual(['failed', 'ERR_SCHEME_HEADER_MISSING', false]);
  });
});

describe('the path and the method', () => {
  it('a query string the signature does not cover: verified in both; the query signed: named, rejected', async () => {
    const target = `${PATH}?currency=GBP`;
    expect(await both({ target })).toEqual(['verified', 'OK', true]);
    const sig = forge({ path: target }).sig;
    expect(await both({ target, sig })).toEqual(['failed', 'ERR_SCHEME_QUERY_SIGNED', false]);
  });

  it('a trailing slash either way verifies in both; two slashes in neither', async () => {
    expect(await both({ target: `${PATH}/` })).toEqual(['verified', 'OK', true]);
    expect(await both({ target: PATH, sig: forge({ path: `${PATH}/` }).sig })).toEqual([
      'verified',
      'OK',
      true,
    ]);
    expect(await both({ target: `${PATH}//` })).toEqual(['failed', 'ERR_SCHEME_SIGNATURE', false]);
  });

  // Was a defect (src/lib/schemes/truelayer/scheme.ts accepts): for the path "/" the other reading
  // was "", so a signature over "POST \n…" verified; the SDK's retry refuses a path that does not
  // start with "/".
  it('the path "/" and a signature over an empty path: verified in neither', async () => {
    expect(await both({ target: '/', sig: forge({ path: '' }).sig })).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
      false,
    ]);
    expect(await both({ target: '/', sig: forge({ path: '/' }).sig })).toEqual(['verified', 'OK', true]);
  });

  it('POST signed, sent as "post": not verified (the server routes by the method as sent); the SDK upper-cases it', async () => {
    expect(await both({ method: 'post' })).toEqual(['failed', 'ERR_SCHEME_METHOD_SENT', true]);
  });

  it('"post" signed, POST sent: the lower-case mistake, and the SDK rejects it', async () => {
    expect(await both({ sig: forge({ method: 'post' }).sig })).toEqual([
      'failed',
      'ERR_SCHEME_METHOD_CASE',
      false,
    ]);
  });
});

describe('the ECDSA signature’s bytes', () => {
  // The order of P-521.
  const N = BigInt(
    '0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  );
  const hex = (n: bigint) => n.toString(16).padStart(132, '0');

  it('s replaced by n − s (the other valid signature, "high S"): verified in both', async () => {
    const { sig, raw } = forge();
    const s = BigInt(`0x${raw.subarray(66).toString('hex')}`);
    const flipped = Buffer.concat([raw.subarray(0, 66), Buffer.from(hex(N - s), 'hex')]);
    expect(flipped.equals(raw)).toBe(false);
    const high = `${sig.split('..')[0]!}..${b64u(flipped)}`;
    expect(await both({ sig: high })).toEqual(['verified', 'OK', true]);
  });

  it.each([
    ['a zero byte before it (133 bytes)', (b: Buffer) => Buffer.concat([Buffer.from([0]), b])],
    ['its last byte dropped (131 bytes)', (b: Buffer) => b.subarray(0, 131)],
    ['r and s zero', () => Buffer.alloc(132)],
    [
      's replaced by s + n (out of range)',
      (b: Buffer) =>
        Buffer.concat([
          b.subarray(0, 66),
          Buffer.from(hex(BigInt(`0x${b.subarray(66).toString('hex')}`) + N).slice(-132), 'hex'),
        ]),
    ],
  ])('%s: verified in neither', async (_, change) => {
    const { sig, raw } = forge();
    const bad = `${sig.split('..')[0]!}..${b64u(change(raw))}`;
    const [state, code, sdk] = await both({ sig: bad });
    expect([state, sdk]).toEqual(['failed', false]);
    expect(code).not.toBe('OK');
  });
});

describe('whose key verifies a request the user sends to TrueLayer', () => {
  // TrueLayer's own key signs webhooks (with a jku): one pasted as a request is not the user's.
  const webhook = () => {
    const header = { ...HEADER, jku: 'https://webhooks.truelayer-sandbox.com/.well-known/jwks' };
    return { sig: forge({ header, key: truelayerSide.privateKey }).sig };
  };

  it('signed by TrueLayer’s own key, stored as TrueLayer’s: never tried, though the SDK given it accepts', async () => {
    const theirs = await trusted(truelayerSide.publicPem, 'TrueLayer webhooks', 'truelayer');
    expect(sdkAccepts(webhook(), truelayerSide.publicPem)).toBe(true);
    const e = await examine(raw(webhook()), () => [theirs]);
    expect([verdictOf(e).state, verdictOf(e).code]).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
    expect(e?.kind === 'verdict' && e.skipped?.otherOwner).toEqual([
      { label: 'TrueLayer webhooks', owner: 'truelayer' },
    ]);
    // With my key beside it: my key is tried, and fails.
    const v = verdictOf(await examine(raw(webhook()), () => [theirs, mine]));
    expect([v.state, v.code, v.signatureVerified]).toEqual(['failed', 'ERR_SCHEME_SIGNATURE', false]);
    expect(plain(v.parts)).not.toContain('Signature verified');
  });

  it('my own key stored with no owner: not tried; pasted in the key box for this check: verified', async () => {
    const unowned = await trusted(me.publicPem, 'no owner', undefined);
    const e = await examine(raw({}), () => [unowned]);
    expect([verdictOf(e).state, verdictOf(e).code]).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
    expect(e?.kind === 'verdict' && e.skipped?.unowned).toEqual(['no owner']);
    const pasted = await trusted(me.publicPem, 'pasted', undefined, 'pasted');
    expect(await outcome(raw({}), () => [pasted])).toEqual(['verified', 'OK']);
  });

  it.each([
    ['an RSA key', () => toolKey('rsa2048').publicPem],
    ['a P-256 key', () => toolKey('p256').publicPem],
    ['a P-384 key', () => toolKey('p384').publicPem],
  ])('%s of mine (ES512 needs P-521): no key', async (_, pem) => {
    const k = await trusted(pem(), 'mine, another type', 'mine');
    expect(await outcome(raw({}), () => [k])).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
  });
});
