/**
 * Work bounded and linear in the request: an RFC 9421 request covering thousands of header fields
 * reaches its verdict, and the mistake search tries a bounded number of alternatives, however many
 * a mistake could make. Structure only: no timing.
 */
import { describe, expect, it } from 'vitest';
import { examineRequest } from '../../../../src/lib/scheme/doctor';
import {
  MAX_ALTERNATIVES,
  searchMistakes,
  type Alternative,
  type Searched,
} from '../../../../src/lib/scheme/search';
import { MISTAKES } from '../../../../src/lib/schemes/rfc9421/mistakes';
import { partsOf } from '../../../../src/lib/schemes/rfc9421/read';
import { buildBase } from '../../../../src/lib/schemes/rfc9421/base';
import { parseItem } from 'structured-headers';
import { req, secretKey } from '../../support/rfc9421-helpers';

const SECRET = 'dGhlIHNoYXJlZCBzZWNyZXQgb2YgdGhlIHRlc3Rz';
const NOW_S = 1_700_000_000;

/** A POST covering @method, @authority, @path and `n` header fields, HMAC-signed (over a changed base when `broken`). */
async function covering(n: number, broken: boolean): Promise<string> {
  const names = Array.from({ length: n }, (_, i) => `x-f${i}`);
  const params = `(${['"@method"', '"@authority"', '"@path"', ...names.map((x) => `"${x}"`)].join(' ')});created=${NOW_S};keyid="s"`;
  const base = [
    '"@method": POST',
    '"@authority": example.com',
    '"@path": /foo',
    ...names.map((x, i) => `"${x}": v${i}`),
    `"@signature-params": ${params}`,
  ].join('\n');
  const key = await crypto.subtle.importKey(
    'raw',
    Buffer.from(SECRET, 'base64'),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signed = new TextEncoder().encode(broken ? `${base} ` : base);
  const sig = Buffer.from(await crypto.subtle.sign('HMAC', key, signed)).toString('base64');
  return [
    'POST /foo HTTP/1.1',
    'Host: example.com',
    ...names.map((x, i) => `${x}: v${i}`),
    `Signature-Input: sig1=${params}`,
    `Signature: sig1=:${sig}:`,
    '',
    '',
  ].join('\n');
}

const keys = async () => [secretKey(SECRET, 's')];

describe('an RFC 9421 request covering thousands of fields', () => {
  for (const n of [6000, 20_000])
    it(`${n} covered fields: verified when it holds, a verdict with its code when it does not`, async () => {
      const good = await examineRequest(await covering(n, false), keys, NOW_S * 1000);
      expect(good?.kind).toBe('verdict');
      if (good?.kind !== 'verdict') return;
      expect(good.verdict.code).toBe('OK');
      const bad = await examineRequest(await covering(n, true), keys, NOW_S * 1000);
      expect(bad?.kind).toBe('verdict');
      if (bad?.kind !== 'verdict') return;
      expect(bad.verdict.code).toBe('ERR_HTTPSIG_SIGNATURE');
    });

  it('every RFC 9421 mistake makes its alternatives one at a time, or a few whatever the request', () => {
    const n = 20_000;
    const headers: [string, string][] = Array.from({ length: n }, (_, i) => [`X-F${i}`, `a,b  c${i}`]);
    const request = req('POST', 'https://example.com/foo?a=1', headers);
    const covered = headers.map(([k]) => parseItem(`"${k.toLowerCase()}"`));
    const built = buildBase(request, covered, new Map());
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const parts = partsOf(built.base, 'sig1');
    for (const m of MISTAKES) {
      const alts = m.variants(parts, request);
      // A list is fine only when its length does not grow with the request.
      if (Array.isArray(alts)) expect(alts.length, m.code).toBeLessThanOrEqual(8);
      else alts[Symbol.iterator]().next();
    }
  });
});

describe('the mistake search is bounded', () => {
  const endless: Searched<Alternative> = {
    code: 'ERR_HTTPSIG_HEADER_WHITESPACE',
    title: 'endless',
    explanation: 'x',
    remedy: 'x',
    *alternatives() {
      for (let i = 0; ; i++)
        yield { part: 'p', signed: String(i), sent: 's', bytes: new Uint8Array([i & 255]) };
    },
  };
  const last: Searched<Alternative> = {
    ...endless,
    code: 'ERR_HTTPSIG_BASE_FORMAT',
    *alternatives() {
      yield { part: 'p', signed: 'right', sent: 's', bytes: new Uint8Array([1, 2, 3]) };
    },
  };
  const candidate = { key: secretKey(SECRET, 's') };

  it(`tries at most ${MAX_ALTERNATIVES} alternatives of a mistake that never ends`, async () => {
    let tried = 0;
    const found = await searchMistakes({
      mistakes: [endless],
      candidates: [candidate],
      sentText: '',
      verifyOver: async () => (tried++, false),
    });
    expect(found).toEqual([]);
    expect(tried).toBe(MAX_ALTERNATIVES);
  });

  it('shares the budget: a mistake listed after an endless one is still tried', async () => {
    let tried = 0;
    const found = await searchMistakes({
      mistakes: [endless, last],
      candidates: [candidate],
      sentText: '',
      fair: true,
      verifyOver: async (_c, alt) => (tried++, alt.bytes.length === 3),
    });
    expect(found.map((d) => d.code)).toEqual(['ERR_HTTPSIG_BASE_FORMAT']);
    expect(tried).toBeLessThanOrEqual(MAX_ALTERNATIVES);
  });

  it('stops when the bytes verified reach the cap', async () => {
    let tried = 0;
    const big: Searched<Alternative> = {
      ...endless,
      *alternatives() {
        for (;;) yield { part: 'p', signed: 'x', sent: 's', bytes: new Uint8Array(1024) };
      },
    };
    await searchMistakes({
      mistakes: [big],
      candidates: [candidate, candidate],
      sentText: '',
      maxBytes: 10 * 1024,
      verifyOver: async () => (tried++, false),
    });
    expect(tried).toBe(10);
  });
});

describe('many @query-param components', () => {
  it('each reads its own values from one reading of the query', async () => {
    const { componentValue } = await import('../../../../src/lib/schemes/rfc9421/components');
    const n = 20_000;
    const query = Array.from({ length: n }, (_, i) => `p${i}=v%20${i}`).join('&') + '&p7=again';
    const r = req('GET', `https://example.com/?${query}`, []);
    for (const i of [0, 7, n - 1]) {
      const v = componentValue(r, parseItem(`"@query-param";name="p${i}"`));
      expect(v).toEqual({ ok: true, values: i === 7 ? ['v%207', 'again'] : [`v%20${i}`] });
    }
    const other = req('GET', 'https://example.com/?p7=x', []);
    expect(componentValue(other, parseItem('"@query-param";name="p7"'))).toEqual({ ok: true, values: ['x'] });
    const covered = Array.from({ length: n }, (_, i) => parseItem(`"@query-param";name="p${i}"`));
    const built = buildBase(r, covered, new Map());
    expect(built.ok && built.base.lines.length).toBe(n + 1);
  });
});
