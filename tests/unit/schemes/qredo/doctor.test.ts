/**
 * The Qredo request doctor: every mistake is made with node:crypto and the fixture key (never with
 * keybench's signer), then diagnosed by keybench with the fixture public key as the trusted key.
 */
import {
  constants,
  createPrivateKey,
  generateKeyPairSync,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { diagnoseQredo } from '../../support/qredo-helpers';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import type { Rich } from '../../../../src/lib/rich';
import { vector } from '../../support/helpers';

const priv = createPrivateKey(vector('qredo', 'private.pem'));
const TS = '1700000000';
const NOW = 1700000000 * 1000 + 20_000;
const BASE = 'https://play-api.qredo.network/api/v1/p';
const URL_ = `${BASE}/company`;
const BODY = '{"name":"Acme Test Ltd","city":"London","country":"GB"}';
const API_KEY = Buffer.from(JSON.stringify({ key_id: 'kid-123', key: 'secret' })).toString('base64url');

async function publicKey(
  pem: string,
  label: string,
  origin: 'stored' | 'pasted' | 'x5c' = 'pasted',
): Promise<VerificationKey> {
  const p = (await parseKeyText(pem)) as ParsedPublicKey;
  return { kind: 'public', label, origin, spki: p.spki, type: p.type };
}
const trusted = () => publicKey(vector('qredo', 'public.pem'), 'Qredo fixture key');

/** x-sign as Qredo wants it, made by node:crypto: base64url without padding. */
function xSign(message: string | Buffer, key: KeyObject = priv, hash = 'sha256'): string {
  return nodeSign(hash, Buffer.from(message), key).toString('base64url');
}

interface Req {
  method?: string;
  url?: string;
  body?: string;
  ts?: string;
  sig: string;
  tsHeader?: 'x-timestamp' | 'x-nonce';
  apiKey?: string | null;
}

function request(r: Req): ParsedRequest {
  const headers: [string, string][] = [];
  if (r.apiKey !== null) headers.push(['x-api-key', r.apiKey ?? API_KEY]);
  headers.push([r.tsHeader ?? 'x-timestamp', r.ts ?? TS]);
  headers.push(['x-sign', r.sig]);
  return {
    source: 'curl',
    method: r.method ?? 'POST',
    url: r.url ?? URL_,
    headers,
    body: r.body ?? BODY,
    notes: [],
  };
}

async function doctor(r: Req, keys?: VerificationKey[], nowMs = NOW): Promise<RequestVerdict> {
  return diagnoseQredo({ request: request(r), keys: keys ?? [await trusted()], nowMs });
}

/** keybench's own words in a headline (untrusted parts left out). */
function ownWords(parts: Rich): string {
  return parts.filter((p): p is string => typeof p === 'string').join('');
}

/** A request signed over `signed` but sent as described: the first diagnosis must have `code`, and be confirmed. */
async function expectMistake(signed: string, sent: Omit<Req, 'sig'>, code: string, sig?: string) {
  const v = await doctor({ ...sent, sig: sig ?? xSign(signed) });
  expect(v.state).toBe('failed');
  expect(v.signatureVerified).toBe(false);
  expect(v.diagnoses[0]?.code).toBe(code);
  expect(v.diagnoses[0]?.confirmed).toBe(true);
  expect(v.diagnoses[0]?.signed).toBe(signed);
  expect(v.diagnoses[0]?.sent).toBe(`${sent.ts ?? TS}${sent.url ?? URL_}${sent.body ?? BODY}`);
  expect(v.code).toBe(code);
  expect(ownWords(v.parts)).not.toContain('Signature verified');
  expect(v.keyLabel).toBe('Qredo fixture key');
  return v;
}

describe('Qredo doctor: requests that verify', () => {
  it('a correct request verifies, says which key, and has no diagnosis', async () => {
    const v = await doctor({ sig: xSign(`${TS}${URL_}${BODY}`) });
    expect(v.state).toBe('verified');
    expect(v.signatureVerified).toBe(true);
    expect(v.code).toBe('OK');
    expect(v.diagnoses).toEqual([]);
    expect(ownWords(v.parts)).toContain('Signature verified');
    expect(v.parts).toContainEqual({ untrusted: 'Qredo fixture key' });
    expect(v.keyLabel).toBe('Qredo fixture key');
    expect(v.findings.every((f) => f.severity !== 'error')).toBe(true);
    expect(v.findings.find((f) => f.check === 'api-key')?.detail).toContain('kid-123');
    // "Sign it correctly" fills the Qredo form with these values.
    expect(v.signInput).toMatchObject({ method: 'POST', url: URL_, body: BODY });
    // The timestamp is left empty: it is taken when the user signs.
    expect(v.signInput.values).toMatchObject({ method: 'POST', url: URL_, body: BODY, apiKey: API_KEY });
    expect(v.signInput.values?.['timestamp']).toBe('');
  });

  it('every vector in vectors.json verifies', async () => {
    const { cases } = JSON.parse(vector('qredo', 'vectors.json')) as {
      cases: { method: string; timestamp: string; url: string; body: string; expected_x_sign: string }[];
    };
    for (const c of cases) {
      const v = await doctor({
        method: c.method,
        url: c.url,
        body: c.body,
        ts: c.timestamp,
        sig: c.expected_x_sign,
      });
      expect(v.state, c.url).toBe('verified');
      expect(v.diagnoses).toEqual([]);
    }
  });

  it('x-nonce leads the message in place of x-timestamp', async () => {
    const nonce = '1700000000123';
    const v = await doctor({ ts: nonce, tsHeader: 'x-nonce', sig: xSign(`${nonce}${URL_}${BODY}`) });
    expect(v.state).toBe('verified');
  });

  it('a timestamp far from now is a warning with the difference shown', async () => {
    const v = await doctor({ sig: xSign(`${TS}${URL_}${BODY}`) }, undefined, NOW + 3600_000);
    expect(v.state).toBe('verified');
    const skew = v.findings.find((f) => f.code === 'ERR_REQUEST_CLOCK_SKEW');
    expect(skew?.severity).toBe('warning');
    expect(skew?.detail).toContain('3620 s');
  });

  it('an API key that does not decode is a warning; a body ending in CRLF a note', async () => {
    const body = '{"a":1}\r\n';
    const v = await doctor({ apiKey: 'not a key', body, sig: xSign(`${TS}${URL_}${body}`) });
    expect(v.state).toBe('verified');
    expect(v.findings.find((f) => f.check === 'api-key')).toMatchObject({
      code: 'ERR_QREDO_API_KEY',
      severity: 'warning',
    });
    expect(v.findings.find((f) => f.check === 'body')).toMatchObject({
      code: 'ERR_QREDO_BODY_LINE_ENDINGS',
      severity: 'info',
    });
  });
});

describe('Qredo doctor: the signature holds but Qredo would refuse', () => {
  it('a timestamp in milliseconds: signatureVerified, state failed, ERR_QREDO_TIMESTAMP_UNIT', async () => {
    const ms = '1700000000000';
    const v = await doctor({ ts: ms, sig: xSign(`${ms}${URL_}${BODY}`) });
    expect(v.signatureVerified).toBe(true);
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_QREDO_TIMESTAMP_UNIT');
    expect(v.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'ERR_QREDO_TIMESTAMP_UNIT',
    ]);
    // The refusal is told as a diagnosis beside the bytes signed (they are the ones sent).
    expect(v.diagnoses.map((d) => [d.code, d.confirmed, d.signed === d.sent])).toEqual([
      ['ERR_QREDO_TIMESTAMP_UNIT', false, true],
    ]);
    expect(ownWords(v.parts)).not.toContain('Signature verified');
    expect(ownWords(v.parts)).toContain('The signature holds');
  });

  it('x-sign in standard base64 with padding, or hex: ERR_QREDO_SIGN_ENCODING', async () => {
    const raw = nodeSign('sha256', Buffer.from(`${TS}${URL_}${BODY}`), priv);
    for (const sig of [raw.toString('base64'), raw.toString('hex'), `${raw.toString('base64url')}==`]) {
      const v = await doctor({ sig });
      expect(v.signatureVerified, sig).toBe(true);
      expect(v.state).toBe('failed');
      expect(v.code).toBe('ERR_QREDO_SIGN_ENCODING');
      expect(v.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
        'ERR_QREDO_SIGN_ENCODING',
      ]);
      expect(ownWords(v.parts)).not.toContain('Signature verified');
    }
  });

  it('a missing x-api-key: ERR_REQUEST_MISSING_HEADER naming it and the 401', async () => {
    const v = await doctor({ apiKey: null, sig: xSign(`${TS}${URL_}${BODY}`) });
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_REQUEST_MISSING_HEADER');
    const f = v.findings.find((x) => x.code === 'ERR_REQUEST_MISSING_HEADER');
    expect(f?.label).toBe('x-api-key');
    expect(f?.detail).toContain('errPartnerAuth');
  });
});

describe('Qredo doctor: each mistake, made with node:crypto, is found and confirmed', () => {
  const q = `${URL_}?limit=10&name=Acme%20Ltd`;

  it('timestamp signed in ms, header in seconds', async () => {
    await expectMistake(`${TS}000${URL_}${BODY}`, {}, 'ERR_QREDO_TIMESTAMP_UNIT');
    await expectMistake(`${TS}123${URL_}${BODY}`, {}, 'ERR_QREDO_TIMESTAMP_UNIT');
    await expectMistake(`${TS}999${URL_}${BODY}`, {}, 'ERR_QREDO_TIMESTAMP_UNIT');
  });
  it('timestamp signed in ns, header in seconds', async () => {
    await expectMistake(`${TS}000000000${URL_}${BODY}`, {}, 'ERR_QREDO_TIMESTAMP_UNIT');
  });
  it('timestamp signed in seconds, header in ms', async () => {
    const v = await expectMistake(`${TS}${URL_}${BODY}`, { ts: `${TS}000` }, 'ERR_QREDO_TIMESTAMP_UNIT');
    expect(v.findings.find((f) => f.check === 'timestamp')?.code).toBe('ERR_QREDO_TIMESTAMP_UNIT');
  });
  it('x-timestamp differs from the signed one (shows the difference)', async () => {
    const v = await expectMistake(`1700000007${URL_}${BODY}`, {}, 'ERR_QREDO_TIMESTAMP_DIFFERS');
    expect(v.diagnoses[0]?.title).toContain('+7 s');
  });
  it('URL signed without its query', async () => {
    await expectMistake(`${TS}${URL_}${BODY}`, { url: q }, 'ERR_QREDO_URL_NO_QUERY');
  });
  it('path only signed', async () => {
    await expectMistake(`${TS}/api/v1/p/company${BODY}`, {}, 'ERR_QREDO_URL_PATH_ONLY');
    await expectMistake(
      `${TS}/api/v1/p/company?limit=10&name=Acme%20Ltd${BODY}`,
      { url: q },
      'ERR_QREDO_URL_PATH_ONLY',
    );
  });
  it('trailing slash added or removed', async () => {
    await expectMistake(`${TS}${URL_}/${BODY}`, {}, 'ERR_QREDO_URL_TRAILING_SLASH');
    await expectMistake(`${TS}${URL_}${BODY}`, { url: `${URL_}/` }, 'ERR_QREDO_URL_TRAILING_SLASH');
  });
  it('other percent-encoding', async () => {
    await expectMistake(`${TS}${URL_}?limit=10&name=Acme+Ltd${BODY}`, { url: q }, 'ERR_QREDO_URL_ENCODING');
    await expectMistake(`${TS}${URL_}?limit=10&name=Acme Ltd${BODY}`, { url: q }, 'ERR_QREDO_URL_ENCODING');
    const hex = `${URL_}?name=%c3%a9`;
    await expectMistake(`${TS}${URL_}?name=%C3%A9${BODY}`, { url: hex }, 'ERR_QREDO_URL_ENCODING');
  });
  it('body signed pretty-printed (2 spaces, 4 spaces, Python spacing), sent compact', async () => {
    const v = JSON.parse(BODY) as unknown;
    await expectMistake(`${TS}${URL_}${JSON.stringify(v, null, 2)}`, {}, 'ERR_QREDO_BODY_PRETTY');
    await expectMistake(`${TS}${URL_}${JSON.stringify(v, null, 4)}`, {}, 'ERR_QREDO_BODY_PRETTY');
    await expectMistake(
      `${TS}${URL_}{"name": "Acme Test Ltd", "city": "London", "country": "GB"}`,
      {},
      'ERR_QREDO_BODY_PRETTY',
    );
  });
  it('body signed compact, sent pretty', async () => {
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    await expectMistake(`${TS}${URL_}${BODY}`, { body: pretty }, 'ERR_QREDO_BODY_COMPACT');
  });
  it('line endings: signed LF, sent CRLF; and the reverse', async () => {
    const lf = '{\n  "a": 1\n}';
    const crlf = lf.replace(/\n/g, '\r\n');
    await expectMistake(`${TS}${URL_}${lf}`, { body: crlf }, 'ERR_QREDO_BODY_LINE_ENDINGS');
    await expectMistake(`${TS}${URL_}${crlf}`, { body: lf }, 'ERR_QREDO_BODY_LINE_ENDINGS');
    // Qredo's interactive client: a trailing \r\n signed as \n.
    await expectMistake(`${TS}${URL_}${BODY}\n`, { body: `${BODY}\r\n` }, 'ERR_QREDO_BODY_LINE_ENDINGS');
  });
  it('trailing newline added or removed', async () => {
    await expectMistake(`${TS}${URL_}${BODY}\n`, {}, 'ERR_QREDO_BODY_TRAILING_NEWLINE');
    await expectMistake(`${TS}${URL_}${BODY}`, { body: `${BODY}\n` }, 'ERR_QREDO_BODY_TRAILING_NEWLINE');
  });
  it('BOM added or removed', async () => {
    await expectMistake(`${TS}${URL_}\uFEFF${BODY}`, {}, 'ERR_QREDO_BODY_BOM');
    await expectMistake(`${TS}${URL_}${BODY}`, { body: `\uFEFF${BODY}` }, 'ERR_QREDO_BODY_BOM');
  });
  it('empty body signed while one was sent', async () => {
    await expectMistake(`${TS}${URL_}`, {}, 'ERR_QREDO_BODY_EMPTY');
  });
  it('separators between the parts', async () => {
    for (const sep of ['\n', ' ', '|', ':', '.']) {
      await expectMistake([TS, URL_, BODY].join(sep), {}, 'ERR_QREDO_MESSAGE_SEPARATORS');
    }
  });
  it('the HTTP method inside the message, with or without separators', async () => {
    await expectMistake(`POST${TS}${URL_}${BODY}`, {}, 'ERR_QREDO_MESSAGE_METHOD');
    await expectMistake(`${TS}POST${URL_}${BODY}`, {}, 'ERR_QREDO_MESSAGE_METHOD');
    const v = await expectMistake(['POST', TS, URL_, BODY].join('\n'), {}, 'ERR_QREDO_MESSAGE_METHOD');
    expect(v.diagnoses.map((d) => d.code)).toEqual([
      'ERR_QREDO_MESSAGE_METHOD',
      'ERR_QREDO_MESSAGE_SEPARATORS',
    ]);
  });
  it('two mistakes at once: ms timestamp and path only', async () => {
    const v = await expectMistake(`${TS}000/api/v1/p/company${BODY}`, {}, 'ERR_QREDO_TIMESTAMP_UNIT');
    expect(v.diagnoses.map((d) => d.code)).toEqual(['ERR_QREDO_TIMESTAMP_UNIT', 'ERR_QREDO_URL_PATH_ONLY']);
  });
  it('x-sign in hex over other bytes: the decode comes before the RSA step', async () => {
    const raw = nodeSign('sha256', Buffer.from(`${TS}${URL_}${BODY}\n`), priv);
    const v = await doctor({ sig: raw.toString('hex') });
    // The encoding is read from x-sign itself (a check); the bytes' mistake is confirmed.
    expect(v.code).toBe('ERR_QREDO_SIGN_ENCODING');
    expect(v.diagnoses.map((d) => d.code)).toEqual(['ERR_QREDO_BODY_TRAILING_NEWLINE']);
    expect(v.diagnoses.every((d) => d.confirmed)).toBe(true);
  });
  it('SHA-512 (or SHA-384) instead of SHA-256: ERR_QREDO_HASH', async () => {
    const msg = `${TS}${URL_}${BODY}`;
    for (const hash of ['sha512', 'sha384']) {
      const v = await expectMistake(msg, {}, 'ERR_QREDO_HASH', xSign(msg, priv, hash));
      expect(v.diagnoses).toHaveLength(1);
    }
    // And over other bytes: the search hashes with the recovered algorithm.
    const v = await expectMistake(
      `${TS}${URL_}${BODY}\n`,
      {},
      'ERR_QREDO_HASH',
      xSign(`${TS}${URL_}${BODY}\n`, priv, 'sha512'),
    );
    expect(v.diagnoses.map((d) => d.code)).toEqual(['ERR_QREDO_HASH', 'ERR_QREDO_BODY_TRAILING_NEWLINE']);
  });
  it('RSA-PSS instead of PKCS#1 v1.5: ERR_QREDO_PSS (salt 32 and max)', async () => {
    const msg = `${TS}${URL_}${BODY}`;
    for (const saltLength of [32, constants.RSA_PSS_SALTLEN_MAX_SIGN]) {
      const sig = nodeSign('sha256', Buffer.from(msg), {
        key: priv,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      });
      const v = await expectMistake(msg, {}, 'ERR_QREDO_PSS', sig.toString('base64url'));
      expect(v.diagnoses).toHaveLength(1);
    }
    const sig = nodeSign('sha256', Buffer.from(`POST${msg}`), {
      key: priv,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    const v = await expectMistake(`POST${msg}`, {}, 'ERR_QREDO_PSS', sig.toString('base64url'));
    expect(v.diagnoses.map((d) => d.code)).toEqual(['ERR_QREDO_PSS', 'ERR_QREDO_MESSAGE_METHOD']);
  });
  it('a diagnosis carries the signed and sent texts, a title, an explanation and a remedy', async () => {
    const v = await expectMistake(`${TS}${URL_}${BODY}\n`, {}, 'ERR_QREDO_BODY_TRAILING_NEWLINE');
    const d = v.diagnoses[0]!;
    expect(d.title.length).toBeGreaterThan(10);
    expect(d.explanation.length).toBeGreaterThan(0);
    expect(d.remedy.length).toBeGreaterThan(10);
  });
});

describe('Qredo doctor: failures and attacks', () => {
  it('signed by a different RSA key: ERR_QREDO_UNKNOWN_KEY, failed', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const v = await doctor({ sig: xSign(`${TS}${URL_}${BODY}`, other) });
    expect(v.state).toBe('failed');
    expect(v.signatureVerified).toBe(false);
    expect(v.code).toBe('ERR_QREDO_UNKNOWN_KEY');
    expect(v.diagnoses.map((d) => d.code)).toEqual(['ERR_QREDO_UNKNOWN_KEY']);
    expect(ownWords(v.parts)).toContain('another key made this signature, not your key here');
  });

  it('no trusted RSA key: ERR_REQUEST_NO_KEY', async () => {
    const v = await doctor({ sig: xSign(`${TS}${URL_}${BODY}`) }, []);
    expect(v).toMatchObject({ state: 'failed', signatureVerified: false, code: 'ERR_REQUEST_NO_KEY' });
    // A key that came with a token (x5c) is never trusted, even when it is the right key.
    const fromToken = await publicKey(vector('qredo', 'public.pem'), 'embedded', 'x5c');
    const w = await doctor({ sig: xSign(`${TS}${URL_}${BODY}`) }, [fromToken]);
    expect(w).toMatchObject({ state: 'failed', signatureVerified: false, code: 'ERR_REQUEST_NO_KEY' });
  });

  it('an empty x-sign cannot verify', async () => {
    const v = await doctor({ sig: '' });
    expect(v).toMatchObject({
      state: 'failed',
      signatureVerified: false,
      code: 'ERR_REQUEST_MISSING_HEADER',
    });
    expect(ownWords(v.parts)).not.toContain('Signature verified');
    const w = await doctor({ sig: 'Signature verified' });
    expect(w.state).toBe('failed');
    expect(ownWords(w.parts)).not.toContain('Signature verified');
  });

  it('a key label saying "Signature verified" stays an untrusted part', async () => {
    const evil = { ...(await trusted()), label: 'Signature verified' };
    const bad = await doctor({ sig: xSign(`${TS}${URL_}${BODY}\n`) }, [evil]);
    expect(bad.state).toBe('failed');
    expect(ownWords(bad.parts)).not.toContain('Signature verified');
    expect(bad.parts).toContainEqual({ untrusted: 'Signature verified' });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const unknown = await doctor({ sig: xSign(`${TS}${URL_}${BODY}`, other) }, [evil]);
    expect(ownWords(unknown.parts)).not.toContain('Signature verified');
  });

  it('bytes it cannot explain: says how many variants it tried', async () => {
    const v = await doctor({ sig: xSign(`${TS}${URL_}{"name":"someone else"}`) });
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_QREDO_SIGNATURE');
    expect(v.diagnoses[0]?.confirmed).toBe(false);
    expect(ownWords(v.parts)).toContain('made this signature, but over other bytes');
    expect(v.keyLabel).toBe('Qredo fixture key');
  });

  it('a 1 MB body signed pretty-printed and sent compact is diagnosed', async () => {
    const items = Array.from({ length: 9000 }, (_, i) => ({
      id: i,
      name: `item ${i}`,
      tags: ['a', 'b'],
      ok: true,
    }));
    const compact = JSON.stringify({ items });
    const pretty = JSON.stringify({ items }, null, 2);
    expect(compact.length).toBeGreaterThan(500_000);
    expect(pretty.length).toBeGreaterThan(1_000_000);
    const t0 = performance.now();
    const v = await expectMistake(`${TS}${URL_}${pretty}`, { body: compact }, 'ERR_QREDO_BODY_PRETTY');
    const ms = performance.now() - t0;
    console.log(`1 MB body diagnosed in ${ms.toFixed(0)} ms`);
    expect(v.diagnoses).toHaveLength(1);
    const t1 = performance.now();
    const none = await doctor({ body: pretty, sig: xSign(`${TS}${URL_}{}`) });
    console.log(`1 MB body, nothing found, in ${(performance.now() - t1).toFixed(0)} ms`);
    expect(none.code).toBe('ERR_QREDO_SIGNATURE');
  }, 60_000);
});
