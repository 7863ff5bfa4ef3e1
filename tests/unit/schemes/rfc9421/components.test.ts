/**
 * RFC 9421 §2.1–2.2 component values, from the RFC's own examples, and bad Signature-Input /
 * Signature headers: each gives a specific code, never a crash and never a signature that holds.
 */
import { parseItem } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { componentValue } from '../../../../src/lib/schemes/rfc9421/components';
import { verifyRequest } from '../../support/rfc9421-engine';
import { publicKey, req, request, secretKey } from '../../support/rfc9421-helpers';
import * as V from '../../support/rfc9421-vectors';

function value(r: ReturnType<typeof req>, id: string): string[] | string {
  const v = componentValue(r, parseItem(id));
  return v.ok ? v.values : v.code;
}

describe('derived components (§2.2)', () => {
  const r = request('POST /path?param=value HTTP/1.1\nHost: www.example.com\n\n');
  const cases: [string, string][] = [
    ['"@method"', 'POST'],
    ['"@target-uri"', 'https://www.example.com/path?param=value'],
    ['"@authority"', 'www.example.com'],
    ['"@scheme"', 'https'],
    ['"@request-target"', '/path?param=value'],
    ['"@path"', '/path'],
    ['"@query"', '?param=value'],
  ];
  for (const [id, want] of cases) it(id, () => expect(value(r, id)).toEqual([want]));

  it('@query of a URL without a query is "?"; the path of a bare host is "/"', () => {
    expect(value(req('GET', 'https://example.com', []), '"@query"')).toEqual(['?']);
    expect(value(req('GET', 'https://example.com', []), '"@path"')).toEqual(['/']);
  });

  it('@authority is normalised: lower case, default port dropped, other ports kept', () => {
    expect(value(req('GET', 'https://Example.COM:443/', []), '"@authority"')).toEqual(['example.com']);
    expect(value(req('GET', 'http://example.com:80/', []), '"@authority"')).toEqual(['example.com']);
    expect(value(req('GET', 'https://example.com:8443/', []), '"@authority"')).toEqual(['example.com:8443']);
  });

  it('@query-param: decoded then re-encoded (space as %20), one line per occurrence (§2.2.8)', () => {
    const q = req(
      'GET',
      'https://example.com/parameters?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something&bar=again',
      [],
    );
    expect(value(q, '"@query-param";name="var"')).toEqual(['this%20is%20a%20big%0Avalue']);
    expect(value(q, '"@query-param";name="bar"')).toEqual(['with%20plus%20whitespace', 'again']);
    expect(value(q, '"@query-param";name="fa%C3%A7ade%22%3A%20"')).toEqual(['something']);
    expect(value(q, '"@query-param";name="missing"')).toBe('ERR_HTTPSIG_MISSING_COMPONENT');
    expect(value(q, '"@query-param"')).toBe('ERR_HTTPSIG_COMPONENT');
  });

  it('@status, ;req and unknown derived components do not apply to a request', () => {
    const r2 = req('GET', 'https://example.com/', [['Content-Type', 'text/plain']]);
    expect(value(r2, '"@status"')).toBe('ERR_HTTPSIG_COMPONENT');
    expect(value(r2, '"@nope"')).toBe('ERR_HTTPSIG_COMPONENT');
    expect(value(r2, '"content-type";req')).toBe('ERR_HTTPSIG_COMPONENT');
  });
});

describe('header fields (§2.1)', () => {
  const r = req('GET', 'https://example.com/', [
    ['Example-Dict', ' a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
    ['Example-Header', 'value, with, lots'],
    ['Example-Header', 'of, commas'],
    ['X-Empty', ''],
    ['Date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
  ]);
  it('several lines: trimmed and joined with ", "', () => {
    expect(value(r, '"example-header"')).toEqual(['value, with, lots, of, commas']);
    expect(value(r, '"x-empty"')).toEqual(['']);
  });
  it(';sf re-serialises; ;key takes one member', () => {
    expect(value(r, '"example-dict"')).toEqual(['a=1,    b=2;x=1;y=2,   c=(a   b   c)']);
    expect(value(r, '"example-dict";sf')).toEqual(['a=1, b=2;x=1;y=2, c=(a b c)']);
    expect(value(r, '"example-dict";key="a"')).toEqual(['1']);
    expect(value(r, '"example-dict";key="b"')).toEqual(['2;x=1;y=2']);
    expect(value(r, '"example-dict";key="c"')).toEqual(['(a b c)']);
    expect(value(r, '"example-dict";key="d"')).toBe('ERR_HTTPSIG_MISSING_COMPONENT');
    expect(value(r, '"example-header";key="a"')).toBe('ERR_HTTPSIG_MISSING_COMPONENT'); // a dictionary of tokens
    expect(value(r, '"date";key="a"')).toBe('ERR_HTTPSIG_COMPONENT'); // not a dictionary at all
    expect(value(r, '"date";sf')).toBe('ERR_HTTPSIG_COMPONENT');
  });
  it(';bs wraps each line as a byte sequence', () => {
    expect(value(r, '"example-header";bs')).toEqual([':dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:']);
    expect(value(r, '"example-header";bs;sf')).toBe('ERR_HTTPSIG_COMPONENT');
  });
  it('a missing header, and a name not in lower case, are errors', () => {
    expect(value(r, '"x-missing"')).toBe('ERR_HTTPSIG_MISSING_COMPONENT');
    expect(value(r, '"Example-Header"')).toBe('ERR_HTTPSIG_COMPONENT');
  });
});

describe('bad Signature-Input and Signature: a specific code, no crash, nothing holds', () => {
  const keys = async () => [
    await publicKey(V.TEST_KEY_ED25519_PUB, 'test-key-ed25519'),
    secretKey(V.TEST_SHARED_SECRET, 'secret'),
  ];
  const head = V.TEST_REQUEST.split('\n\n')[0]!;
  const withSig = (input: string | null, sig: string | null) =>
    request(
      `${head}\n${input === null ? '' : `Signature-Input: ${input}\n`}${sig === null ? '' : `Signature: ${sig}\n`}\n{"hello": "world"}`,
    );
  const GOOD_SIG =
    'sig1=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';
  const cases: [string, string | null, string | null, string][] = [
    ['no Signature-Input', null, GOOD_SIG, 'ERR_HTTPSIG_NO_SIGNATURE'],
    ['no Signature', 'sig1=("@method");created=1', null, 'ERR_HTTPSIG_NO_SIGNATURE'],
    ['Signature-Input not a dictionary', 'sig1=("@method"', GOOD_SIG, 'ERR_HTTPSIG_MALFORMED'],
    ['Signature not a dictionary', 'sig1=("@method")', 'sig1=:abc', 'ERR_HTTPSIG_MALFORMED'],
    ['Signature-Input member not an inner list', 'sig1="@method"', GOOD_SIG, 'ERR_HTTPSIG_MALFORMED'],
    ['Signature member not bytes', 'sig1=("@method")', 'sig1="abc"', 'ERR_HTTPSIG_MALFORMED'],
    ['labels that do not match', 'sig1=("@method")', 'sig2=:AAAA:', 'ERR_HTTPSIG_LABEL'],
    ['an unknown algorithm', 'sig1=("@method");alg="rsa-v1_5-sha1"', GOOD_SIG, 'ERR_HTTPSIG_ALG_UNKNOWN'],
    [
      'an algorithm no trusted key fits',
      'sig1=("@method");alg="ecdsa-p384-sha384"',
      GOOD_SIG,
      'ERR_HTTPSIG_ALG_KEY_MISMATCH',
    ],
    ['created of the wrong type', 'sig1=("@method");created="yesterday"', GOOD_SIG, 'ERR_HTTPSIG_PARAM'],
    [
      'expires before created',
      'sig1=("@method");created=1618884473;expires=1618884000',
      GOOD_SIG,
      'ERR_HTTPSIG_PARAM',
    ],
    ['a component covered twice', 'sig1=("@method" "@method")', GOOD_SIG, 'ERR_HTTPSIG_DUPLICATE_COMPONENT'],
    ['a component that is not a string', 'sig1=(1 "@method")', GOOD_SIG, 'ERR_HTTPSIG_COMPONENT'],
    ['a covered header the request lacks', 'sig1=("x-missing")', GOOD_SIG, 'ERR_HTTPSIG_MISSING_COMPONENT'],
    [
      'the B.2.6 signature under other parameters',
      'sig1=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884474;keyid="test-key-ed25519"',
      GOOD_SIG,
      'ERR_HTTPSIG_SIGNATURE',
    ],
  ];
  for (const [name, input, sig, code] of cases) {
    it(name, async () => {
      const v = await verifyRequest({
        request: withSig(input, sig),
        keys: await keys(),
        nowMs: 1618884473_000,
      });
      const all = [...v.findings, ...v.results.flatMap((r) => r.findings)];
      expect(all.filter((f) => f.severity === 'error').map((f) => f.code)).toContain(code);
      expect(v.results.every((r) => !r.signatureHolds)).toBe(true);
      for (const f of all) expect(typeof f.detail).toBe('string');
    });
  }

  it('hmac-sha256 with only a public key: the public key is never used as the secret', async () => {
    const v = await verifyRequest({
      request: request(
        V.B25_SIGNED.replace('keyid="test-shared-secret"', 'keyid="test-shared-secret";alg="hmac-sha256"'),
      ),
      keys: [await publicKey(V.TEST_KEY_ED25519_PUB, 'k')],
      nowMs: 1618884473_000,
    });
    expect(v.results[0]!.signatureHolds).toBe(false);
    expect(v.results[0]!.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_ALG_KEY_MISMATCH');
  });
});

describe('a message with very many signatures', () => {
  it('judges the first 16 and says the rest were not', async () => {
    const head = V.TEST_REQUEST.split('\n\n')[0]!;
    const labels = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const text = `${head}\nSignature-Input: ${labels.map((l) => `${l}=("@method");created=1618884473`).join(', ')}\nSignature: ${labels.map((l) => `${l}=:AAAA:`).join(', ')}\n\n{"hello": "world"}`;
    const v = await verifyRequest({
      request: request(text),
      keys: [secretKey(V.TEST_SHARED_SECRET, 's')],
      nowMs: 1618884473_000,
    });
    expect(v.results).toHaveLength(16);
    expect(v.findings.map((f) => f.label)).toContain('Too many signatures');
    expect(v.results.every((r) => !r.signatureHolds)).toBe(true);
  });
});
