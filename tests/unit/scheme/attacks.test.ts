/**
 * An attacker's review of the scheme engine as the doctor runs it (Bybit, the model scheme): for
 * every path that ends green, what the sender controls (headers, their copies and invisible
 * characters, the signature's text, the timestamp and recvWindow, the key's role) and the exact
 * outcome. Requests are signed by node:crypto with an openssl key, never by keybench.
 */
import {
  constants,
  createHash,
  createPublicKey,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
} from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { doctorOf } from '../support/exchange-helpers';
import { readSignature } from '../../../src/lib/crypto/encoding';
import { timestampChecks } from '../../../src/lib/scheme/mistakes';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../src/lib/keys/key-type';
import { plain } from '../../../src/lib/rich';
import { decideRequest } from '../../../src/lib/trust/verdict';
import { contextOfScheme } from '../../../src/lib/trust/roles';
import { PARTNER_PROFILES } from '../../../src/lib/partners/profiles';
import type { RequestScheme } from '../../../src/lib/scheme/types';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toolKey } from '../support/jwt-helpers';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const TS = String(NOW - 1000);
const API_KEY = 'XXXXXXXXXXXXXXXXXX';
const QUERY = 'accountType=UNIFIED';
const BODY = '{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"1"}';

const rsa = toolKey('rsa2048');
const other = toolKey('rsa3072');
let mine: VerificationKey;
let partners: VerificationKey;
let otherMine: VerificationKey;

async function stored(pem: string, label: string, owner: 'mine' | 'bybit'): Promise<VerificationKey> {
  const spki = new Uint8Array(createPublicKey(pem).export({ format: 'der', type: 'spki' }));
  const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return { kind: 'public', label, origin: 'stored', owner, spki, type: keyTypeOf(key) };
}

beforeAll(async () => {
  mine = await stored(rsa.publicPem, 'my bybit key', 'mine');
  partners = await stored(rsa.publicPem, 'bybit said this is theirs', 'bybit');
  otherMine = await stored(other.publicPem, 'my other key', 'mine');
});

/** Bybit's RSA signature (PKCS#1 v1.5 SHA-256, base64) made by node:crypto. */
function sign(text: string, opts: { pss?: boolean; key?: typeof rsa } = {}): string {
  return nodeSign('sha256', Buffer.from(text), {
    key: (opts.key ?? rsa).privateKey,
    padding: opts.pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
    saltLength: 32,
  }).toString('base64');
}

interface Req {
  method?: string;
  target?: string;
  ts?: string;
  recv?: string;
  sig?: string;
  body?: string;
  extra?: string[];
  /** Replaces the X-BAPI-SIGN line(s). */
  signLines?: string[];
  apiKey?: string;
}

/** A raw HTTP/1.1 Bybit request; the signature covers ts ‖ apiKey ‖ recvWindow ‖ payload as given. */
function bybit(r: Req = {}): string {
  const method = r.method ?? 'GET';
  const ts = r.ts ?? TS;
  const recv = r.recv ?? '5000';
  const body = r.body ?? (method === 'POST' ? BODY : '');
  const target = r.target ?? (method === 'POST' ? '/v5/order/create' : `/v5/account/wallet-balance?${QUERY}`);
  const payload = method === 'POST' ? body : (target.split('?')[1] ?? '');
  const apiKey = r.apiKey ?? API_KEY;
  const sig = r.sig ?? sign(`${ts}${apiKey}${recv}${payload}`);
  return [
    `${method} ${target} HTTP/1.1`,
    'Host: api.bybit.com',
    `X-BAPI-API-KEY: ${apiKey}`,
    `X-BAPI-TIMESTAMP: ${ts}`,
    `X-BAPI-RECV-WINDOW: ${recv}`,
    ...(r.signLines ?? [`X-BAPI-SIGN: ${sig}`]),
    'X-BAPI-SIGN-TYPE: 2',
    ...(r.extra ?? []),
    ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
    '',
    body,
  ].join('\r\n');
}

const { examine, verdictOf, outcome } = doctorOf('bybit', NOW, () => [mine]);

describe('the baselines the attacks change', () => {
  it('a GET and a POST signed by node:crypto verify with my key', async () => {
    expect(await outcome(bybit())).toEqual(['verified', 'OK']);
    expect(await outcome(bybit({ method: 'POST' }))).toEqual(['verified', 'OK']);
  });
});

describe('headers the server reads differently than keybench', () => {
  it('X-BAPI-API-KEY sent twice: refused', async () => {
    expect(await outcome(bybit({ extra: ['X-BAPI-API-KEY: attacker'] }))).toEqual([
      'refused',
      'ERR_REQUEST_DUPLICATE_HEADER',
    ]);
  });

  it('a zero-width space in the API key (signed as sent, looks like nothing): refused', async () => {
    const apiKey = `${API_KEY}\u200b`;
    expect(await outcome(bybit({ apiKey }))).toEqual(['refused', 'ERR_REQUEST_HEADER_VALUE']);
  });

  // Was a defect (src/lib/schemes/bybit/scheme.ts signedHeaders): X-BAPI-SIGN is not listed, so the
  // doctor's one-copy rule (request/doctor-refusals.ts signedHeaderProblem) never looks at it;
  // header() reads the first copy, a server may read the last or "sig, junk" and refuse. Every
  // scheme's signature header should be refused when sent twice (list it, or the engine should
  // add the header the signature is read from).
  it('X-BAPI-SIGN sent twice (the good one first): refused, not verified', async () => {
    const good = sign(`${TS}${API_KEY}5000${QUERY}`);
    const text = bybit({ signLines: [`X-BAPI-SIGN: ${good}`, `X-BAPI-SIGN: ${sign('junk')}`] });
    expect(await outcome(text)).toEqual(['refused', 'ERR_REQUEST_DUPLICATE_HEADER']);
  });

  it('a no-break space after the signature (bytes the server decodes and refuses): refused', async () => {
    const good = sign(`${TS}${API_KEY}5000${QUERY}`);
    expect(await outcome(bybit({ sig: `${good}\u00a0` }))).toEqual(['refused', 'ERR_REQUEST_HEADER_VALUE']);
  });

  it('a line separator (U+2028) before the signature: refused', async () => {
    const good = sign(`${TS}${API_KEY}5000${QUERY}`);
    expect(await outcome(bybit({ sig: `\u2028${good}` }))).toEqual(['refused', 'ERR_REQUEST_HEADER_VALUE']);
  });
});

describe('no signature, no key that fits', () => {
  it('an empty X-BAPI-SIGN: no signature', async () => {
    expect(await outcome(bybit({ signLines: ['X-BAPI-SIGN: '] }))).toEqual([
      'failed',
      'ERR_SCHEME_NO_SIGNATURE',
    ]);
  });

  it('an HMAC secret pasted for an RSA scheme: no key (a secret never verifies RS256)', async () => {
    const secret: VerificationKey = {
      kind: 'secret',
      label: 's',
      origin: 'pasted',
      secret: new Uint8Array(32),
    };
    expect(await outcome(bybit(), () => [secret])).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
  });

  it('readSignature keeps a no-break space, a line separator or a zero-width space: no reading at all', () => {
    const good = sign('x');
    for (const c of ['\u00a0', '\u2028', '\u200b', '\ufeff'])
      expect(readSignature(`${good}${c}`, 'base64'), JSON.stringify(c)).toEqual([]);
    expect(readSignature(` ${good}\t`, 'base64').map((r) => r.encoding)).toEqual(['base64']);
  });
});

describe('the method as sent', () => {
  // Was a defect (src/lib/schemes/bybit/scheme.ts read: `req.method.toUpperCase()`): a request sent as
  // "post" is verified as the POST it was signed for, but methods are case-sensitive (RFC 9110
  // §9.1): a server answers "post" with 404/405, it never runs the order. The QI Tech schemes
  // refuse this (scheme/doctor-attacks.test.ts, ERR_QIT_METHOD_CASE).
  it('a POST signed as POST but sent as "post": not verified', async () => {
    const text = bybit({ method: 'POST' }).replace(/^POST /, 'post ');
    const [state] = await outcome(text);
    expect(state).toBe('failed');
  });
});

describe("the signature's text, read leniently", () => {
  const good = () => sign(`${TS}${API_KEY}5000${QUERY}`);

  it('a space inside the base64: unreadable, not verified', async () => {
    const s = good();
    expect(await outcome(bybit({ sig: `${s.slice(0, 100)} ${s.slice(100)}` }))).toEqual([
      'failed',
      'ERR_SCHEME_SIGNATURE_UNREADABLE',
    ]);
  });

  it('mixed alphabets (base64 with one - or _ for + or /): unreadable, not verified', async () => {
    // A valid signature holding at least two of + and /, so that one swap leaves both alphabets.
    let ts = TS;
    let s = good();
    for (let d = 1; (s.match(/[+/]/g) ?? []).length < 2; d++) {
      ts = String(NOW - 1000 - d);
      s = sign(`${ts}${API_KEY}5000${QUERY}`);
    }
    const i = s.search(/[+/]/);
    const mixed = s.slice(0, i) + (s[i] === '+' ? '-' : '_') + s.slice(i + 1);
    expect(await outcome(bybit({ ts, sig: s }))).toEqual(['verified', 'OK']);
    expect(await outcome(bybit({ ts, sig: mixed }))).toEqual(['failed', 'ERR_SCHEME_SIGNATURE_UNREADABLE']);
  });

  it('the same bytes in base64url: the encoding mistake, never verified', async () => {
    // One holding - or _ (else the text is base64 too, only unpadded).
    let ts = TS;
    let s = Buffer.from(good(), 'base64').toString('base64url');
    for (let d = 1; !/[-_]/.test(s); d++) {
      ts = String(NOW - 1000 - d);
      s = Buffer.from(sign(`${ts}${API_KEY}5000${QUERY}`), 'base64').toString('base64url');
    }
    const v = verdictOf(await examine(bybit({ ts, sig: s })));
    // The confirmed encoding mistake is the verdict's code, and its diagnosis says why.
    expect([v.state, v.code]).toEqual(['failed', 'ERR_SCHEME_SIGNATURE_ENCODING']);
    expect([v.diagnoses[0]?.code, v.diagnoses[0]?.confirmed]).toEqual([
      'ERR_SCHEME_SIGNATURE_ENCODING',
      true,
    ]);
  });

  it('the signature with a byte appended: not verified', async () => {
    const s = Buffer.concat([Buffer.from(good(), 'base64'), Buffer.from([0])]).toString('base64');
    const [state, code] = await outcome(bybit({ sig: s }));
    expect(state).toBe('failed');
    expect(code).not.toBe('OK');
  });

  it('RSA-PSS by the same key: the padding mistake, never verified', async () => {
    const s = sign(`${TS}${API_KEY}5000${QUERY}`, { pss: true });
    expect(await outcome(bybit({ sig: s }))).toEqual(['failed', 'ERR_SCHEME_RSA_PADDING']);
  });

  it('signed by another key: not verified', async () => {
    const s = sign(`${TS}${API_KEY}5000${QUERY}`, { key: other });
    const [state] = await outcome(bybit({ sig: s }));
    expect(state).toBe('failed');
  });
});

describe('timestamps and recvWindow the sender chooses', () => {
  it.each([
    ['NaN', 'ERR_SCHEME_TIMESTAMP'],
    ['1.7651088e12', 'ERR_SCHEME_TIMESTAMP'],
    ['-1765108799000', 'ERR_SCHEME_TIMESTAMP'],
    [' ', 'ERR_SCHEME_TIMESTAMP'],
    ['0x19AF8B2E7F8', 'ERR_SCHEME_TIMESTAMP'],
    [String(Math.floor(NOW / 1000)), 'ERR_SCHEME_TIMESTAMP_SECONDS'],
    ['9999999999999999', 'ERR_SCHEME_TIMESTAMP_AHEAD'],
    [String(NOW + 5000), 'ERR_SCHEME_TIMESTAMP_AHEAD'],
    [String(NOW - 6000), 'ERR_SCHEME_TIMESTAMP_STALE'],
  ])('X-BAPI-TIMESTAMP %j, correctly signed: failed with %s', async (ts, code) => {
    expect(await outcome(bybit({ ts }))).toEqual(['failed', code]);
  });

  it('a day-old timestamp inside an honest recvWindow of 5000: stale', async () => {
    const ts = String(NOW - 86_400_000);
    expect(await outcome(bybit({ ts }))).toEqual(['failed', 'ERR_SCHEME_TIMESTAMP_STALE']);
  });

  // Was a defect (src/lib/schemes/bybit/scheme.ts checks: `Number(p.recvWindow || '5000')`): the window
  // is read with JavaScript's Number, which takes exponent and hex notation ("1e12", "0x7fffffff")
  // and fractions, so a day-old request whose recvWindow is "1e12" is judged fresh. Bybit reads
  // recv_window as an integer and refuses such text; the window must be /^\d+$/ or the request fails.
  it.each(['1e12', '0x7fffffff', '86400000.5'])(
    'recvWindow %j with a day-old timestamp, correctly signed: not verified',
    async (recv) => {
      const ts = String(NOW - 86_400_000 + 1000);
      const [state] = await outcome(bybit({ ts, recv }));
      expect(state).toBe('failed');
    },
  );

  // Was a defect (minor; src/lib/scheme/mistakes.ts timestampChecks: `t - nowMs > aheadMs`): Bybit accepts
  // server_time - recv_window <= timestamp < server_time + 1000, so a timestamp exactly 1000 ms
  // ahead is refused by Bybit and passed here (the window's end is exclusive).
  it('a timestamp exactly 1000 ms ahead, correctly signed: ahead', async () => {
    expect(await outcome(bybit({ ts: String(NOW + 1000) }))).toEqual([
      'failed',
      'ERR_SCHEME_TIMESTAMP_AHEAD',
    ]);
  });

  // Was a defect (minor; src/lib/scheme/mistakes.ts timestampChecks: `value.trim()`): String.trim drops
  // Unicode spaces too, so a timestamp read from a query or body (where the doctor's ASCII rule for
  // headers does not reach) with a no-break space passes, while Java's Long.parseLong and Go's
  // strconv.ParseInt refuse it. Only the digits as sent are a timestamp.
  it('timestampChecks: a timestamp with a no-break space or a BOM is not a number', () => {
    for (const c of ['\u00a0', '\ufeff', '\u2028'])
      expect(
        timestampChecks(`${c}${NOW}`, NOW, 5000).map((f) => f.code),
        JSON.stringify(c),
      ).toEqual(['ERR_SCHEME_TIMESTAMP']);
  });

  it('recvWindow "NaN" (not whole milliseconds): refused, never a default window', async () => {
    const ts = String(NOW - 60_000);
    expect(await outcome(bybit({ ts, recv: 'NaN' }))).toEqual(['failed', 'ERR_SCHEME_HEADER_VALUE']);
  });
});

describe('whose key verifies a request the user sends to Bybit', () => {
  it('a stored key owned by Bybit is not tried: no key, and it is named as skipped', async () => {
    const e = await examine(bybit(), () => [partners]);
    const v = verdictOf(e);
    expect([v.state, v.code]).toEqual(['failed', 'ERR_REQUEST_NO_KEY']);
    expect(e?.kind === 'verdict' && e.skipped?.otherOwner).toEqual([
      { label: 'bybit said this is theirs', owner: 'bybit' },
    ]);
  });

  it("a scheme result signed by the partner's key is refused by the rule itself (ERR_TRUST_KEY_ROLE)", () => {
    const v = decideRequest(
      { direction: 'request-to', partner: 'bybit' },
      {
        scheme: 'bybit',
        findings: [],
        diagnoses: [],
        signInput: { method: 'GET', url: 'https://api.bybit.com/', body: '' },
        signedBy: partners,
        parts: ['Signature verified with it.'],
        fallback: 'ERR_SCHEME_SIGNATURE',
      },
    );
    expect([v.state, v.code, v.signatureVerified]).toEqual(['failed', 'ERR_TRUST_KEY_ROLE', false]);
    expect(plain(v.parts)).not.toContain('Signature verified');
  });

  it('a key the request carries (an x5c or jwk-header origin) never makes a verdict', () => {
    for (const origin of ['x5c', 'jwk-header'] as const) {
      const v = decideRequest(
        { direction: 'request-to', partner: 'bybit' },
        {
          scheme: 'bybit',
          findings: [],
          diagnoses: [],
          signInput: { method: 'GET', url: 'https://api.bybit.com/', body: '' },
          signedBy: { ...mine, origin } as VerificationKey,
          parts: ['Signature verified with it.'],
          fallback: 'ERR_SCHEME_SIGNATURE',
        },
      );
      expect([v.state, v.code], origin).toEqual(['failed', 'ERR_TRUST_KEY_ROLE']);
    }
  });
});

describe('what the report shows belongs to this request', () => {
  it('the verified headline names the key that verified and the base shows the parts as sent', async () => {
    const v = verdictOf(await examine(bybit(), () => [otherMine, mine]));
    expect(v.state).toBe('verified');
    expect(v.keyLabel).toBe('my bybit key');
    expect(v.base?.map((p) => p.text).join('')).toBe(`${TS}${API_KEY}5000${QUERY}`);
    expect(v.signInput.url).toBe(`https://api.bybit.com/v5/account/wallet-balance?${QUERY}`);
  });

  it('a confirmed mistake never verifies, and names the key that made it', async () => {
    const text = bybit({ sig: sign(`${TS.slice(0, -3)}${API_KEY}5000${QUERY}`) });
    const v = verdictOf(await examine(text));
    expect([v.state, v.code]).toEqual(['failed', 'ERR_SCHEME_TIMESTAMP_UNIT']);
    expect(v.signatureVerified).toBe(false);
    expect(plain(v.parts)).not.toMatch(/^\s*(✔\s*)?Signature verified/);
  });
});

/**
 * A signature that is no signature at all, yet whose RSA public operation under `pem` (2048-bit)
 * has the shape of EMSA-PSS with SHA-256 and the largest salt (trailer 0xbc, DB = 0x01 ‖ salt):
 * about one random value in 2^15 has it, and node:crypto's raw RSA finds one in a second.
 */
function pssShaped(pem: string): Buffer {
  const key = createPublicKey(pem);
  const mgf1 = (seed: Buffer, length: number) => {
    const out: Buffer[] = [];
    for (let c = 0; out.length * 32 < length; c++) {
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(c);
      out.push(createHash('sha256').update(seed).update(counter).digest());
    }
    return Buffer.concat(out).subarray(0, length);
  };
  for (;;) {
    const s = randomBytes(256);
    s[0] = s[0]! & 0x3f; // below the modulus
    const em = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, s);
    if (em[255] !== 0xbc) continue;
    const mask = mgf1(em.subarray(223, 255), 223);
    const db0 = (em[0]! ^ mask[0]!) & 0x7f;
    if (db0 === 1) return s;
  }
}

describe('what the report says about a signature no key made', () => {
  // Was a defect (src/lib/scheme/who-made.ts via qredo/rsa.ts recover → pssOf): "made by this key"
  // is read off the shape of the RSA public operation's output. For PKCS#1 v1.5 the shape is all but
  // the digest, so it cannot be forged; for PSS with the largest salt it is a trailer byte and one
  // bit pattern (about 2^-15, 2^-13 over the four hashes tried), so anyone with the public key makes,
  // in a second, a "signature" the doctor reports as the user's own key signing with RSA-PSS
  // (ERR_SCHEME_RSA_PADDING, keyLabel: the user's key). The verdict still fails, but what it says
  // beside it is false: PSS authorship is unprovable without the signed bytes, so only a
  // verified PSS signature (or a PKCS#1 recovery) may name the key.
  it('random bytes shaped like PSS under my key: not reported as made by my key', async () => {
    const sig = pssShaped(rsa.publicPem).toString('base64');
    const v = verdictOf(await examine(bybit({ sig })));
    expect(v.state).toBe('failed');
    expect(v.keyLabel).toBeUndefined();
    expect(v.code).not.toBe('ERR_SCHEME_RSA_PADDING');
  });

  // The same defect where the scheme wants PSS (Kalshi): the report says my key signed other bytes.
  it('Kalshi: random bytes shaped like PSS under my key: not reported as my key over other bytes', async () => {
    const sig = pssShaped(rsa.publicPem).toString('base64');
    const text = [
      'GET /trade-api/v2/portfolio/balance HTTP/1.1',
      'Host: api.elections.kalshi.com',
      'KALSHI-ACCESS-KEY: a952bcbe-ec3b-4b5b-b8f9-11dae589608c',
      `KALSHI-ACCESS-TIMESTAMP: ${TS}`,
      `KALSHI-ACCESS-SIGNATURE: ${sig}`,
      '',
      '',
    ].join('\r\n');
    const e = await examine(text);
    if (e?.kind !== 'verdict') throw new Error(`expected a verdict, got ${JSON.stringify(e)}`);
    expect(e.scheme.id).toBe('kalshi');
    expect(e.verdict.state).toBe('failed');
    expect(e.verdict.keyLabel).toBeUndefined();
    expect(e.verdict.code).not.toBe('ERR_SCHEME_OTHER_BYTES');
  });
});

describe('every declarative scheme sends to the partner it names', () => {
  // A scheme no profile lists has no direction, so every stored key, a partner's too, may verify
  // it: a scheme.ts whose partner's profile forgets its id would let the partner's key pass.
  const dir = join(import.meta.dirname, '../../../src/lib/schemes');
  const ids = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'scheme.ts')));

  it.each(ids)('%s: the context is "a request to" its partner, so only my keys verify', async (folder) => {
    // A folder of variants (QI Tech) exports an array; each variant names its own partner.
    const d = (
      (await import(`../../../src/lib/schemes/${folder}/scheme.ts`)) as {
        default: RequestScheme | RequestScheme[];
      }
    ).default;
    const schemes = Array.isArray(d) ? d : [d];
    if (!Array.isArray(d)) expect(d.id).toBe(folder);
    // A standard with no partner (RFC 9421) is listed by no profile: the user's trusted keys verify it.
    for (const scheme of schemes)
      expect(contextOfScheme(scheme.id, PARTNER_PROFILES), scheme.id).toEqual(
        scheme.partner ? { direction: 'request-to', partner: scheme.partner } : { direction: 'none' },
      );
  });
});
