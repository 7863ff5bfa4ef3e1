/**
 * Each usual mistake, made by hand (the test writes the mistaken base itself), is diagnosed with
 * exactly its code; and the checks read from the request: keyid never brings a key, expired,
 * created in milliseconds, Content-Digest over other bytes.
 */
import { createSign, KeyObject } from 'node:crypto';
import { serializeDictionary, type Parameters } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import { buildBase } from '../../../../src/lib/schemes/rfc9421/base';
import { contentDigest } from '../../../../src/lib/schemes/rfc9421/digest';
import { MISTAKES } from '../../../../src/lib/schemes/rfc9421/mistakes';
import { parseComponentId } from '../../../../src/lib/schemes/rfc9421/sign';
import { signRequest } from '../../support/rfc9421-engine';
import { verifyRequest } from '../../support/rfc9421-engine';
import { req } from '../../support/rfc9421-helpers';
import type { ParsedRequest } from '../../../../src/lib/request/types';

const NOW = 1_700_000_000_000;
const CREATED = NOW / 1000 - 10;

async function ed25519(label = 'my partner') {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const trusted: VerificationKey = {
    kind: 'public',
    label,
    origin: 'stored',
    spki,
    type: keyTypeOf(pair.publicKey),
  };
  return { pair, trusted };
}

/**
 * Sign `request` over the base RFC 9421 gives, after `mistake` changes its text (or as it is), and attach
 * Signature-Input (as RFC 9421 serialises it) and the signature.
 */
async function signedWithMistake(
  request: ParsedRequest,
  covered: string[],
  mistake: (base: string) => string,
  sign: (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>,
  params: Parameters = new Map([['created', CREATED]]),
): Promise<ParsedRequest> {
  const items = covered.map(parseComponentId);
  const built = buildBase(request, items, params);
  if (!built.ok) throw new Error(JSON.stringify(built));
  const mistaken = mistake(built.base.text);
  const sig = await sign(new TextEncoder().encode(mistaken));
  return {
    ...request,
    headers: [
      ...request.headers,
      ['Signature-Input', serializeDictionary(new Map([['sig1', [items, params]]]))],
      ['Signature', serializeDictionary(new Map([['sig1', [new Uint8Array(sig).buffer, new Map()]]]))],
    ],
  };
}

function buildBaseText(request: ParsedRequest, covered: string[]): string {
  const built = buildBase(request, covered.map(parseComponentId), new Map([['created', CREATED]]));
  if (!built.ok) throw new Error(JSON.stringify(built));
  return built.base.text;
}

interface Case {
  code: string;
  request: ParsedRequest;
  covered: string[];
  mistake: (base: string) => string;
}

const JSON_HEADERS: [string, string][] = [['Content-Type', 'application/json']];

const CASES: Case[] = [
  {
    code: 'ERR_HTTPSIG_AUTHORITY_PORT',
    request: req('GET', 'https://example.com/foo', []),
    covered: ['@authority', '@path'],
    mistake: (b) => b.replace('"@authority": example.com', '"@authority": example.com:443'),
  },
  {
    code: 'ERR_HTTPSIG_AUTHORITY_CASE',
    request: req('GET', 'https://Example.COM/foo', [['Host', 'Example.COM']]),
    covered: ['@authority'],
    mistake: (b) => b.replace('"@authority": example.com', '"@authority": Example.COM'),
  },
  {
    code: 'ERR_HTTPSIG_PATH_TARGET',
    request: req('GET', 'https://example.com/foo?a=1', []),
    covered: ['@method', '@path'],
    mistake: (b) => b.replace('"@path": /foo', '"@path": /foo?a=1'),
  },
  {
    code: 'ERR_HTTPSIG_QUERY_ENCODING',
    request: req('GET', 'https://example.com/search?q=two+words&lang=en', []),
    covered: ['@query-param;name="q"'],
    mistake: (b) => b.replace('"@query-param";name="q": two%20words', '"@query-param";name="q": two+words'),
  },
  {
    code: 'ERR_HTTPSIG_QUERY_ENCODING',
    request: req('GET', 'https://example.com/search?q=1', []),
    covered: ['@query'],
    mistake: (b) => b.replace('"@query": ?q=1', '"@query": q=1'),
  },
  {
    code: 'ERR_HTTPSIG_HEADER_CASE',
    request: req('POST', 'https://example.com/foo', JSON_HEADERS, '{}'),
    covered: ['content-type'],
    mistake: (b) =>
      b.replace('"content-type"', '"Content-Type"').replace('("Content-Type")', '("content-type")'),
  },
  {
    code: 'ERR_HTTPSIG_HEADER_WHITESPACE',
    request: req('GET', 'https://example.com/foo', [['X-List', 'a, b']]),
    covered: ['x-list'],
    mistake: (b) => b.replace('"x-list": a, b', '"x-list": a,b'),
  },
  {
    code: 'ERR_HTTPSIG_HEADER_COMBINED',
    request: req('GET', 'https://example.com/foo', [
      ['X-Multi', 'a'],
      ['X-Multi', 'b'],
    ]),
    covered: ['x-multi'],
    mistake: (b) => b.replace('"x-multi": a, b', '"x-multi": a'),
  },
  {
    code: 'ERR_HTTPSIG_SF_SERIALISATION',
    request: req('GET', 'https://example.com/foo', [
      ['Example-Dict', 'a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
    ]),
    covered: ['example-dict;sf'],
    mistake: (b) =>
      b.replace(
        '"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)',
        '"example-dict";sf: a=1,    b=2;x=1;y=2,   c=(a   b   c)',
      ),
  },
  {
    code: 'ERR_HTTPSIG_CREATED_MS',
    request: req('GET', 'https://example.com/foo', []),
    covered: ['@method'],
    mistake: (b) => b.replace(`created=${CREATED}`, `created=${CREATED * 1000}`),
  },
  {
    code: 'ERR_HTTPSIG_BASE_FORMAT',
    request: req('GET', 'https://example.com/foo', []),
    covered: ['@method', '@path'],
    mistake: (b) => b.replace(/\n/g, '\r\n'),
  },
  {
    code: 'ERR_HTTPSIG_BASE_FORMAT',
    request: req('GET', 'https://example.com/foo', []),
    covered: ['@method', '@path'],
    mistake: (b) => b.split('\n').slice(0, -1).join('\n'),
  },
];

describe('each mistake, made by hand, is diagnosed with exactly its code', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.covered.join(' ')}`, async () => {
      const { pair, trusted } = await ed25519();
      expect(c.mistake(buildBaseText(c.request, c.covered))).not.toBe(buildBaseText(c.request, c.covered));
      const signed = await signedWithMistake(
        c.request,
        c.covered,
        c.mistake,
        async (d) => new Uint8Array(await crypto.subtle.sign('Ed25519', pair.privateKey, d)),
      );
      const r = (await verifyRequest({ request: signed, keys: [trusted], nowMs: NOW })).results[0]!;
      expect(r.signatureHolds).toBe(false);
      expect(r.findings.find((f) => f.check === 'signature')?.code).toBe(c.code);
      expect(r.diagnoses.map((d) => d.code)).toEqual([c.code]);
      expect(r.diagnoses[0]!.confirmed).toBe(true);
      // it names the part that differs, and shows both bases
      const d = r.diagnoses[0]!;
      expect(d.sent).toBe(r.base!.text);
      expect(d.signed).not.toBe(d.sent);
      expect(d.explanation.some((p) => typeof p !== 'string')).toBe(true);
    });
  }

  it('ERR_HTTPSIG_ECDSA_DER: a DER-encoded P-256 signature', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const trusted: VerificationKey = {
      kind: 'public',
      label: 'p256',
      origin: 'stored',
      spki,
      type: keyTypeOf(pair.publicKey),
    };
    const der = async (d: Uint8Array) => createSign('sha256').update(d).sign(KeyObject.from(pair.privateKey));
    const request = await signedWithMistake(
      req('GET', 'https://example.com/foo', []),
      ['@method'],
      (b) => b,
      der,
    );
    const r = (await verifyRequest({ request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(r.signatureHolds).toBe(false);
    expect(r.diagnoses.map((d) => d.code)).toEqual(['ERR_HTTPSIG_ECDSA_DER']);
  });

  it('every mistake has a code, words and a remedy, and no two share a code', () => {
    expect(new Set(MISTAKES.map((m) => m.code)).size).toBe(MISTAKES.length);
    for (const m of MISTAKES) expect(m.title && m.explanation && m.remedy).toBeTruthy();
  });

  it('a signature that holds gets no mistake, and an unrelated key confirms none', async () => {
    const { pair, trusted } = await ed25519();
    const other = await ed25519('other');
    const out = await signRequest({
      request: req('GET', 'https://example.com:443/foo?a=1', [
        ['X-Multi', 'a'],
        ['X-Multi', 'b'],
      ]),
      covered: ['@method', '@authority', '@path', '@query', 'x-multi'],
      params: { created: CREATED },
      key: pair.privateKey,
    });
    const good = (await verifyRequest({ request: out.request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(good.signatureHolds).toBe(true);
    expect(good.diagnoses).toEqual([]);
    const bad = (await verifyRequest({ request: out.request, keys: [other.trusted], nowMs: NOW }))
      .results[0]!;
    expect(bad.signatureHolds).toBe(false);
    expect(bad.diagnoses.filter((d) => d.confirmed)).toEqual([]);
  });
});

describe('checks read from the request', () => {
  async function signed(params: { created?: number; expires?: number; keyid?: string }, key?: CryptoKey) {
    const { pair, trusted } = await ed25519();
    const out = await signRequest({
      request: req('GET', 'https://example.com/foo', []),
      covered: ['@method', '@path'],
      params,
      key: key ?? pair.privateKey,
    });
    return { request: out.request, trusted };
  }

  it('keyid only selects among trusted keys: it never brings one', async () => {
    const attacker = await ed25519('attacker');
    const { request, trusted } = await signed(
      { created: CREATED, keyid: 'my partner' },
      attacker.pair.privateKey,
    );
    // no key at all: nothing verifies, whatever keyid says
    const none = (await verifyRequest({ request, keys: [], nowMs: NOW })).results[0]!;
    expect(none.signatureHolds).toBe(false);
    expect(none.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_NO_KEY');
    // keyid names the trusted key: that key is tried, and the attacker's signature fails
    const named = (await verifyRequest({ request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(named.signatureHolds).toBe(false);
    // the attacker's own key, carried by something other than the user's trust (x5c, jwk header): never used
    for (const origin of ['x5c', 'jwk-header'] as const) {
      const carried = {
        ...(attacker.trusted as Extract<VerificationKey, { kind: 'public' }>),
        origin,
        kid: 'my partner',
      };
      const r = (await verifyRequest({ request, keys: [carried], nowMs: NOW })).results[0]!;
      expect(r.signatureHolds).toBe(false);
      expect(r.verifyingKey).toBeUndefined();
      expect(r.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_NO_KEY');
    }
  });

  it('keyid naming none of the keys: every trusted key is tried, and that is said', async () => {
    const { request, trusted } = await signed({ created: CREATED, keyid: 'unknown-key' });
    const r = (await verifyRequest({ request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(r.signatureHolds).toBe(true);
    expect(r.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_KEYID_UNKNOWN');
  });

  it('an expired signature is an error with its code, though the signature holds', async () => {
    const { request, trusted } = await signed({ created: CREATED - 600, expires: CREATED - 300 });
    const r = (await verifyRequest({ request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(r.signatureHolds).toBe(true);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'ERR_HTTPSIG_EXPIRED',
    ]);
    expect(r.diagnoses.map((d) => d.code)).toEqual(['ERR_HTTPSIG_EXPIRED']);
  });

  it('created in milliseconds (signed as sent): an error and a diagnosis', async () => {
    const { pair, trusted } = await ed25519();
    const sign = async (d: Uint8Array<ArrayBuffer>) =>
      new Uint8Array(await crypto.subtle.sign('Ed25519', pair.privateKey, d));
    const request = await signedWithMistake(
      req('GET', 'https://example.com/foo', []),
      ['@method'],
      (b) => b,
      sign,
      new Map([['created', NOW]]),
    );
    const r = (await verifyRequest({ request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(r.signatureHolds).toBe(true);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'ERR_HTTPSIG_CREATED_MS',
    ]);
    expect(r.diagnoses.map((d) => d.code)).toEqual(['ERR_HTTPSIG_CREATED_MS']);
  });

  it('created in the future is an error', async () => {
    const { request, trusted } = await signed({ created: CREATED + 3600 });
    const r = (await verifyRequest({ request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'ERR_HTTPSIG_CREATED_FUTURE',
    ]);
  });

  it('a covered Content-Digest over other bytes: the signature holds, the digest is an error, and the bytes are named', async () => {
    const { pair, trusted } = await ed25519();
    const body = '{"a":1}';
    const pretty = JSON.stringify({ a: 1 }, null, 2);
    const out = await signRequest({
      request: req(
        'POST',
        'https://example.com/foo',
        [
          ['Content-Type', 'application/json'],
          ['Content-Digest', await contentDigest(pretty, ['sha-256'])],
        ],
        body,
      ),
      covered: ['@method', 'content-digest'],
      params: { created: CREATED },
      key: pair.privateKey,
    });
    const r = (await verifyRequest({ request: out.request, keys: [trusted], nowMs: NOW })).results[0]!;
    expect(r.signatureHolds).toBe(true);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'ERR_HTTPSIG_DIGEST_MISMATCH',
    ]);
    expect(r.diagnoses.map((d) => d.code)).toEqual(['ERR_HTTPSIG_DIGEST_OTHER_BYTES']);
    expect(r.diagnoses[0]!.signed).toBe(pretty);
  });
});
