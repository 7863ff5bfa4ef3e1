/**
 * An attacker's review of the Kalshi scheme as the doctor runs it: for every path that ends green,
 * what the sender (or a confused developer) controls and the exact outcome. Requests are signed by
 * node:crypto with an openssl key (RSA-PSS SHA-256, salt 32, as kalshi-typescript's KalshiAuth
 * does), never by keybench. Kalshi publishes no verifier: the judge is what the SDK signs
 * (`timestamp + METHOD + new URL(url).pathname`) and what Kalshi's docs say the server reads
 * (KALSHI-ACCESS-TIMESTAMP "the request timestamp in ms", the path without its query).
 *
 * What held: one copy of each KALSHI-ACCESS-* header; the signature's text read as base64 only
 * (quotes, base64url, hex are never green); the method as sent (lower case refused, lower case
 * signed named); the path as curl sends it (no #fragment, no dot segments, no query); only PSS with
 * a 32-byte salt and SHA-256; only the user's own key (a key stored as Kalshi's, as another
 * partner's, with no owner, or of another type is never tried).
 *
 * What did not (fixed in src/lib/schemes/kalshi/scheme.ts): a timestamp that is not milliseconds
 * at all — empty, signed, in exponent or hex notation, in micro- or nanoseconds — was green when
 * signed as sent; an empty KALSHI-ACCESS-KEY (no key for the server to look up) was green; and,
 * because timestamp ‖ METHOD ‖ path has no separators, a signature over a 14-digit timestamp and
 * GET verified as a 13-digit timestamp and a method "1GET" nobody serves. Still open (a decision,
 * not a code change): Kalshi documents no timestamp window, so a 13-digit timestamp years away
 * from now is green; and keybench cannot see whether KALSHI-ACCESS-KEY names the key that verified.
 */
import { constants, createPublicKey, sign as nodeSign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { doctorOf } from '../../support/exchange-helpers';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import { toolKey } from '../../support/jwt-helpers';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const TS = String(NOW - 1000);
const KEY_ID = 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c';
const HOST = 'external-api.kalshi.com';
const PATH = '/trade-api/v2/portfolio/balance';
const ORDERS = '/trade-api/v2/portfolio/events/orders';
const BODY = '{"ticker":"KXBTC-26DEC31-T100000","side":"bid","count":"1","price":"0.50"}';

const rsa = toolKey('rsa2048');
const other = toolKey('rsa3072');
let mine: VerificationKey;

type Owner = 'mine' | 'kalshi' | 'truelayer' | undefined;

/** A stored (or pasted) public key, as the page hands it to the doctor. */
async function stored(
  pem: string,
  label: string,
  owner: Owner,
  origin: VerificationKey['origin'] = 'stored',
): Promise<VerificationKey> {
  const spki = new Uint8Array(createPublicKey(pem).export({ format: 'der', type: 'spki' }));
  const ec = createPublicKey(pem).asymmetricKeyType === 'ec';
  const params = ec ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSA-PSS', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return { kind: 'public', label, origin, ...(owner ? { owner } : {}), spki, type: keyTypeOf(key) };
}

beforeAll(async () => {
  mine = await stored(rsa.publicPem, 'my kalshi key', 'mine');
});

interface How {
  /** RSA-PSS salt length (default 32, the digest's: RSA_PSS_SALTLEN_DIGEST). */
  salt?: number;
  pkcs1?: boolean;
  hash?: 'sha256' | 'sha512';
  key?: typeof rsa;
}

/** The signature's bytes, made by node:crypto as KalshiAuth.signPssText does (unless told otherwise). */
function signBytes(text: string, how: How = {}): Buffer {
  return nodeSign(how.hash ?? 'sha256', Buffer.from(text), {
    key: (how.key ?? rsa).privateKey,
    padding: how.pkcs1 ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_PSS_PADDING,
    saltLength: how.salt ?? 32,
  });
}
const sign = (text: string, how?: How) => signBytes(text, how).toString('base64');

interface Req {
  method?: string;
  target?: string;
  ts?: string;
  sig?: string;
  key?: string;
  /** Replaces the KALSHI-ACCESS-SIGNATURE line(s). */
  signLines?: string[];
  extra?: string[];
}

/** A raw HTTP/1.1 Kalshi request; by default signed over ts ‖ METHOD ‖ path (no query) as sent. */
function kalshi(r: Req = {}): string {
  const method = r.method ?? 'GET';
  const target = r.target ?? (method === 'POST' ? ORDERS : PATH);
  const ts = r.ts ?? TS;
  const body = method === 'POST' ? BODY : '';
  const sig = r.sig ?? sign(`${ts}${method}${target.split('?')[0]!}`);
  return [
    `${method} ${target} HTTP/1.1`,
    `Host: ${HOST}`,
    `KALSHI-ACCESS-KEY: ${r.key ?? KEY_ID}`,
    `KALSHI-ACCESS-TIMESTAMP: ${ts}`,
    ...(r.signLines ?? [`KALSHI-ACCESS-SIGNATURE: ${sig}`]),
    ...(r.extra ?? []),
    ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
    '',
    body,
  ].join('\r\n');
}

/** A curl command (curl drops the #fragment and dot segments of the URL it is given). */
function curl(url: string, sig: string, ts = TS): string {
  return [
    `curl '${url}'`,
    `-H 'KALSHI-ACCESS-KEY: ${KEY_ID}'`,
    `-H 'KALSHI-ACCESS-TIMESTAMP: ${ts}'`,
    `-H 'KALSHI-ACCESS-SIGNATURE: ${sig}'`,
  ].join(' ');
}

const { examine, verdictOf, outcome } = doctorOf('kalshi', NOW, () => [mine]);

describe('the baselines the attacks change', () => {
  it('a GET, a POST and a DELETE signed as KalshiAuth signs them verify with my key', async () => {
    expect(await outcome(kalshi())).toEqual(['verified', 'OK']);
    expect(await outcome(kalshi({ method: 'POST' }))).toEqual(['verified', 'OK']);
    expect(await outcome(kalshi({ method: 'DELETE', target: `${ORDERS}/ee3d0c5c` }))).toEqual([
      'verified',
      'OK',
    ]);
  });
});

describe('the KALSHI-ACCESS-* headers as sent', () => {
  const good = () => sign(`${TS}GET${PATH}`);

  it.each([
    [
      'KALSHI-ACCESS-SIGNATURE',
      () => ({ signLines: [`KALSHI-ACCESS-SIGNATURE: ${good()}`, 'KALSHI-ACCESS-SIGNATURE: x'] }),
    ],
    ['KALSHI-ACCESS-TIMESTAMP', () => ({ extra: [`KALSHI-ACCESS-TIMESTAMP: ${NOW}`] })],
    ['KALSHI-ACCESS-KEY', () => ({ extra: ['kalshi-access-key: another-key-id'] })],
  ])('%s sent twice (the good one first): refused', async (_, req) => {
    expect(await outcome(kalshi(req()))).toEqual(['refused', 'ERR_REQUEST_DUPLICATE_HEADER']);
  });

  it('spaces around the signature (optional whitespace the server strips too): verified', async () => {
    expect(await outcome(kalshi({ signLines: [`KALSHI-ACCESS-SIGNATURE:    ${good()}   `] }))).toEqual([
      'verified',
      'OK',
    ]);
  });

  it.each([
    ['in double quotes', (s: string) => `"${s}"`],
    ['in single quotes', (s: string) => `'${s}'`],
    ['with a space inside', (s: string) => `${s.slice(0, 50)} ${s.slice(50)}`],
    ['as two comma-joined copies', (s: string) => `${s}, ${s}`],
  ])('the signature %s: unreadable, never verified', async (_, make) => {
    expect(await outcome(kalshi({ sig: make(good()) }))).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE_UNREADABLE',
    ]);
  });

  // Was a defect (src/lib/schemes/kalshi/scheme.ts checks): only a missing KALSHI-ACCESS-KEY was an
  // error; an empty one (the key id is not signed) verified, yet Kalshi finds the public key by it.
  it('an empty KALSHI-ACCESS-KEY, correctly signed: not verified', async () => {
    expect(await outcome(kalshi({ key: '' }))).toEqual(['failed', 'ERR_SCHEME_HEADER_VALUE']);
  });

  it('no KALSHI-ACCESS-KEY at all: missing', async () => {
    const text = kalshi().replace(/KALSHI-ACCESS-KEY: [^\r]*\r\n/, '');
    expect(await outcome(text)).toEqual(['failed', 'ERR_SCHEME_HEADER_MISSING']);
  });
});

describe('timestamps the sender chooses, signed exactly as sent', () => {
  // Was a defect (src/lib/schemes/kalshi/scheme.ts checks): only a 1-12 digit timestamp (seconds)
  // was refused; anything else signed as sent verified, though Kalshi reads the header as a number
  // of milliseconds. A timestamp that is not one is never green.
  it.each([
    ['', 'ERR_SCHEME_TIMESTAMP'],
    ['-1765108799000', 'ERR_SCHEME_TIMESTAMP'],
    ['+1765108799000', 'ERR_SCHEME_TIMESTAMP'],
    ['1.765108799e12', 'ERR_SCHEME_TIMESTAMP'],
    ['1765108799000.5', 'ERR_SCHEME_TIMESTAMP'],
    ['0x19AFC1F8A78', 'ERR_SCHEME_TIMESTAMP'],
    ['NaN', 'ERR_SCHEME_TIMESTAMP'],
    ['1765108799 000', 'ERR_SCHEME_TIMESTAMP'],
    [String(Math.floor(NOW / 1000)), 'ERR_SCHEME_TIMESTAMP_SECONDS'],
    ['0', 'ERR_SCHEME_TIMESTAMP_SECONDS'],
    // Python's time.time_ns() // 1000 and time.time_ns(): micro- and nanoseconds, read as ms
    // they are tens of thousands of years ahead.
    [`${NOW}000`, 'ERR_SCHEME_TIMESTAMP_AHEAD'],
    [`${NOW}000000`, 'ERR_SCHEME_TIMESTAMP_AHEAD'],
    ['10000000000000', 'ERR_SCHEME_TIMESTAMP_AHEAD'],
    ['9'.repeat(40), 'ERR_SCHEME_TIMESTAMP_AHEAD'],
  ])('KALSHI-ACCESS-TIMESTAMP %j: failed with %s', async (ts, code) => {
    const v = verdictOf(await examine(kalshi({ ts })));
    // The signature holds over what was sent: only the check refuses it.
    expect([v.state, v.code, v.signatureVerified]).toEqual(['failed', code, true]);
  });

  it('a timestamp with leading zeros (the same milliseconds to a decimal parser): verified', async () => {
    expect(await outcome(kalshi({ ts: `0${TS}` }))).toEqual(['verified', 'OK']);
  });

  it('seconds signed, milliseconds sent: the unit mistake, confirmed', async () => {
    const v = verdictOf(await examine(kalshi({ sig: sign(`${TS.slice(0, -3)}GET${PATH}`) })));
    expect([v.state, v.code, v.diagnoses[0]?.confirmed]).toEqual([
      'failed',
      'ERR_SCHEME_TIMESTAMP_UNIT',
      true,
    ]);
  });

  // Was a defect (src/lib/schemes/kalshi/scheme.ts): timestamp ‖ METHOD ‖ path has no separators,
  // so the signature over a 14-digit timestamp and GET is also the signature over its first 13
  // digits and a method "1GET". Each split verified (the first as a timestamp nobody checked, the
  // second as a method no Kalshi endpoint serves).
  it('one signature, the text split elsewhere between timestamp and method: never verified', async () => {
    const sig = sign(`${TS}1GET${PATH}`);
    expect(await outcome(kalshi({ ts: `${TS}1`, sig }))).toEqual(['failed', 'ERR_SCHEME_TIMESTAMP_AHEAD']);
    expect(await outcome(kalshi({ ts: TS, method: '1GET', sig }))).toEqual([
      'failed',
      'ERR_SCHEME_METHOD_SENT',
    ]);
    const post = sign(`${TS}POST${ORDERS}`);
    const shifted = kalshi({ ts: `${TS}PO`, method: 'ST', target: ORDERS, sig: post });
    expect(await outcome(shifted)).toEqual(['failed', 'ERR_SCHEME_METHOD_SENT']);
  });
});

describe('the method as sent', () => {
  it('GET signed, sent as "get": the signature holds, Kalshi does not read it as GET', async () => {
    const text = kalshi({ sig: sign(`${TS}GET${PATH}`) }).replace(/^GET /, 'get ');
    const v = verdictOf(await examine(text));
    expect([v.state, v.code, v.signatureVerified]).toEqual(['failed', 'ERR_SCHEME_METHOD_SENT', true]);
  });

  it('"get" signed, GET sent: the lower-case mistake, confirmed', async () => {
    const v = verdictOf(await examine(kalshi({ sig: sign(`${TS}get${PATH}`) })));
    expect([v.state, v.code, v.diagnoses[0]?.confirmed]).toEqual(['failed', 'ERR_SCHEME_METHOD_CASE', true]);
  });

  it.each(['PATCH', 'HEAD', 'OPTIONS'])(
    '%s, correctly signed (no Kalshi endpoint serves it): not verified',
    async (method) => {
      expect(await outcome(kalshi({ method }))).toEqual(['failed', 'ERR_SCHEME_METHOD_SENT']);
    },
  );

  it('PUT, correctly signed (the SDK sends it): verified', async () => {
    expect(await outcome(kalshi({ method: 'PUT', target: `${ORDERS}/ee3d0c5c/amend` }))).toEqual([
      'verified',
      'OK',
    ]);
  });
});

describe('the path as the server receives it', () => {
  const url = (path: string) => `https://${HOST}${path}`;

  it('a #fragment in the URL (curl never sends it): the path without it verifies, with it does not', async () => {
    expect(await outcome(curl(url(`${PATH}#x`), sign(`${TS}GET${PATH}`)))).toEqual(['verified', 'OK']);
    expect(await outcome(curl(url(`${PATH}#x`), sign(`${TS}GET${PATH}#x`)))).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
    ]);
  });

  it('dot segments: curl sends the path without them, so only a signature over that verifies', async () => {
    const written = '/trade-api/v2/markets/../portfolio/./balance';
    expect(await outcome(curl(url(written), sign(`${TS}GET${written}`)))).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
    ]);
    // What the SDK signs: new URL(url).pathname, the same path curl sends.
    const sdkPath = new URL(url(written)).pathname;
    expect(sdkPath).toBe(PATH);
    expect(await outcome(curl(url(written), sign(`${TS}GET${sdkPath}`)))).toEqual(['verified', 'OK']);
  });

  it('a trailing slash sent, signed without (Kalshi accepts no other path): not verified', async () => {
    const sig = sign(`${TS}GET${PATH}`);
    expect(await outcome(kalshi({ target: `${PATH}/`, sig }))).toEqual(['failed', 'ERR_SCHEME_SIGNATURE']);
  });

  it('a query string the signature does not cover: verified; the query signed with it: named', async () => {
    const target = `${PATH}?subaccount=1`;
    expect(await outcome(kalshi({ target }))).toEqual(['verified', 'OK']);
    expect(await outcome(kalshi({ target, sig: sign(`${TS}GET${target}`) }))).toEqual([
      'failed',
      'ERR_SCHEME_QUERY_SIGNED',
    ]);
  });
});

describe('the signature: only RSA-PSS, SHA-256, salt 32, base64', () => {
  const text = `${TS}GET${PATH}`;

  it('PKCS#1 v1.5 by my key: the padding mistake, never verified', async () => {
    expect(await outcome(kalshi({ sig: sign(text, { pkcs1: true }) }))).toEqual([
      'failed',
      'ERR_SCHEME_RSA_PADDING',
    ]);
  });

  it.each([0, 64, 222])('PSS with a %i-byte salt: the salt mistake, never verified', async (salt) => {
    expect(await outcome(kalshi({ sig: sign(text, { salt }) }))).toEqual(['failed', 'ERR_SCHEME_PSS_SALT']);
  });

  it('PSS with a 20-byte salt (a length no mistake names): not verified', async () => {
    expect(await outcome(kalshi({ sig: sign(text, { salt: 20 }) }))).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
    ]);
  });

  it('PSS over SHA-512: not verified', async () => {
    expect(await outcome(kalshi({ sig: sign(text, { hash: 'sha512' }) }))).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE',
    ]);
  });

  it('the same bytes in hex, or in base64url: the encoding mistake, never verified', async () => {
    // A signature whose base64url differs from its base64 (it holds + or /).
    let ts = TS;
    let bytes = signBytes(text);
    for (let d = 1; !/[+/]/.test(bytes.toString('base64')); d++) {
      ts = String(NOW - 1000 - d);
      bytes = signBytes(`${ts}GET${PATH}`);
    }
    for (const sig of [bytes.toString('hex'), bytes.toString('base64url')])
      expect(await outcome(kalshi({ ts, sig }))).toEqual(['failed', 'ERR_SCHEME_SIGNATURE_ENCODING']);
  });

  it('signed by another RSA key (3072 bits: its signature cannot be my key’s): another key, none named', async () => {
    const v = verdictOf(await examine(kalshi({ sig: sign(text, { key: other }) })));
    expect([v.state, v.code, v.keyLabel]).toEqual(['failed', 'ERR_SCHEME_OTHER_KEY', undefined]);
  });
});

describe('whose key verifies a request the user sends to Kalshi', () => {
  it('my stored key, or a key pasted in the key box for this check: verified', async () => {
    const pasted = await stored(rsa.publicPem, 'pasted', undefined, 'pasted');
    expect(await outcome(kalshi(), () => [pasted])).toEqual(['verified', 'OK']);
    expect(await outcome(kalshi(), () => [mine])).toEqual(['verified', 'OK']);
  });

  it.each([
    ['Kalshi', 'kalshi' as const],
    ['another partner', 'truelayer' as const],
  ])('the same key stored as %s’s: not tried, and named as skipped', async (_, owner) => {
    const theirs = await stored(rsa.publicPem, 'said to be theirs', owner);
    const e = await examine(kalshi(), () => [theirs]);
    expect([verdictOf(e).state, verdictOf(e).code]).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
    expect(e?.kind === 'verdict' && e.skipped?.otherOwner).toEqual([{ label: 'said to be theirs', owner }]);
  });

  it('the same key stored with no owner: not tried, and named as unowned', async () => {
    const nobody = await stored(rsa.publicPem, 'nobody’s', undefined);
    const e = await examine(kalshi(), () => [nobody]);
    expect([verdictOf(e).state, verdictOf(e).code]).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
    expect(e?.kind === 'verdict' && e.skipped?.unowned).toEqual(['nobody’s']);
  });

  it('the same key with the origin of a key a message carries (x5c, jwk header): never tried', async () => {
    for (const origin of ['x5c', 'jwk-header'] as const) {
      const carried = await stored(rsa.publicPem, 'carried', 'mine', origin);
      expect(await outcome(kalshi(), () => [carried]), origin).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
    }
  });

  it('an EC key of mine (Kalshi verifies RSA-PSS): no key', async () => {
    const ec = await stored(toolKey('p256').publicPem, 'my EC key', 'mine');
    expect(await outcome(kalshi(), () => [ec])).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
  });
});
