/**
 * RFC 9421 to the letter: component parameters (§2.1, §2.2, §2.5), @authority (§2.2.3), an old
 * `created` and a label given twice. Every request here carries a signature that is valid over the
 * base a lenient verifier would build, so only the rule under test can refuse it.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/lib/trust/finding';
import { hostProblem } from '../../../../src/lib/request/doctor-refusals';
import { verifyRequest } from '../../support/rfc9421-engine';
import { MAX_CREATED_AGE_SECONDS } from '../../../../src/lib/schemes/rfc9421/checks';
import { req, secretKey } from '../../support/rfc9421-helpers';

const SECRET = 'dGhlIHNoYXJlZCBzZWNyZXQgb2YgdGhlIHRlc3Rz';
const NOW_S = 1_700_000_000;
const NOW = NOW_S * 1000;

/** HMAC-SHA256 over a base written out by hand, as base64. */
async function hmac(base: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    Buffer.from(SECRET, 'base64'),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(base))).toString(
    'base64',
  );
}

/**
 * A request signed over `lines` (each `"id": value`, as a lenient verifier would build them) and the
 * inner list `covered` with `params`.
 */
async function signed(
  lines: string[],
  covered: string,
  params = `;created=${NOW_S};keyid="s"`,
  url = 'https://example.com/foo?a=1',
  headers: [string, string][] = [
    ['Content-Digest', 'sha-256=:eA==:'],
    ['Example-Dict', 'a=1,  b=:eA==:'],
  ],
) {
  lines = lines.map((l) =>
    l
      .replace('BS2', Buffer.from('a=1,  b=:eA==:').toString('base64'))
      .replace('BS', Buffer.from('sha-256=:eA==:').toString('base64')),
  );
  const sigParams = `(${covered})${params}`;
  const base = [...lines, `"@signature-params": ${sigParams}`].join('\n');
  const sig = await hmac(base);
  return req('GET', url, [
    ...headers,
    ['Signature-Input', `sig1=${sigParams}`],
    ['Signature', `sig1=:${sig}:`],
  ]);
}

async function verdict(r: ReturnType<typeof req>, nowMs = NOW) {
  const v = await verifyRequest({ request: r, keys: [secretKey(SECRET, 's')], nowMs });
  const all: Finding[] = [...v.findings, ...v.results.flatMap((x) => x.findings)];
  return {
    holds: v.results.some((x) => x.signatureHolds),
    errors: all.filter((f) => f.severity === 'error').map((f) => f.code),
    warnings: all.filter((f) => f.severity === 'warning').map((f) => f.code),
    all,
  };
}

describe('component parameters (§2.1, §2.2, §2.5)', () => {
  it('control: the same construction without a bad parameter holds', async () => {
    const v = await verdict(await signed(['"@path": /foo'], '"@path"'));
    expect(v.holds).toBe(true);
    expect(v.errors).toEqual([]);
  });

  const refused: [string, string, string][] = [
    ['unknown parameter on a derived component', '"@path";foo', '"@path";foo: /foo'],
    ['unknown parameter on a field', '"content-digest";x=1', '"content-digest";x=1: sha-256=:eA==:'],
    ['name on @authority', '"@authority";name="x"', '"@authority";name="x": example.com'],
    ['name on a field', '"content-digest";name="x"', '"content-digest";name="x": sha-256=:eA==:'],
    ["req on a request's own derived component", '"@path";req', '"@path";req: /foo'],
    ["req on a request's own field", '"content-digest";req', '"content-digest";req: sha-256=:eA==:'],
    ['sf given a value other than true', '"content-digest";sf=?0', '"content-digest";sf=?0: sha-256=:eA==:'],
    ['bs given a value', '"content-digest";bs=1', '"content-digest";bs=1: :BS:'],
    ['key with bs', '"content-digest";key="sha-256";bs', '"content-digest";key="sha-256";bs: :x:'],
    ['sf on a derived component', '"@method";sf', '"@method";sf: GET'],
    ['name on @query-param given as a token', '"@query-param";name=a', '"@query-param";name=a: 1'],
  ];
  for (const [what, id, line] of refused)
    it(`${what} (${id}) is an error, never a signature that holds`, async () => {
      const v = await verdict(await signed([line], id));
      expect(v.holds).toBe(false);
      expect(v.errors).toContain('ERR_HTTPSIG_COMPONENT');
    });

  it('the parameters §2.1 defines still hold: sf, key, bs and @query-param;name', async () => {
    const v = await verdict(
      await signed(
        [
          '"example-dict";sf: a=1, b=:eA==:',
          '"example-dict";key="b": :eA==:',
          '"example-dict": a=1,  b=:eA==:',
          '"example-dict";bs: :BS2:',
          '"@query-param";name="a": 1',
        ],
        '"example-dict";sf "example-dict";key="b" "example-dict" "example-dict";bs "@query-param";name="a"',
      ),
    );
    expect(v.errors).toEqual([]);
    expect(v.holds).toBe(true);
  });
});

describe('@authority (§2.2.3) and the Host check', () => {
  it('a default port is dropped only for its own scheme', () => {
    const host = (url: string, h: string) => hostProblem(req('GET', url, [['Host', h]]))?.code ?? null;
    expect(host('http://example.com/foo', 'example.com:443')).toBe('ERR_REQUEST_HEADER_VALUE');
    expect(host('https://example.com/foo', 'example.com:80')).toBe('ERR_REQUEST_HEADER_VALUE');
    expect(host('http://example.com/foo', 'example.com:80')).toBeNull();
    expect(host('https://example.com/foo', 'example.com:443')).toBeNull();
    expect(host('https://example.com:443/foo', 'example.com')).toBeNull();
  });

  it('@authority of http://example.com with Host example.com:443 is example.com:443', async () => {
    const r = await signed(
      ['"@authority": example.com'],
      '"@authority"',
      undefined,
      'http://example.com/foo',
      [['Host', 'example.com:443']],
    );
    const v = await verifyRequest({ request: r, keys: [secretKey(SECRET, 's')], nowMs: NOW });
    expect(v.results[0]?.base?.lines[0]?.value).toBe('example.com:443');
    expect(v.results[0]?.signatureHolds).toBe(false);
  });

  it('@authority keeps the port of the other scheme and drops its own', async () => {
    const at = async (url: string) => {
      const r = await signed(['"@authority": x'], '"@authority"', undefined, url, []);
      const v = await verifyRequest({ request: r, keys: [], nowMs: NOW });
      return v.results[0]?.base?.lines[0]?.value;
    };
    expect(await at('http://example.com:443/')).toBe('example.com:443');
    expect(await at('https://example.com:80/')).toBe('example.com:80');
    expect(await at('https://Example.com:443/')).toBe('example.com');
  });
});

describe('created and repeated labels', () => {
  it(`created older than ${MAX_CREATED_AGE_SECONDS} s is a warning with the bound in its words`, async () => {
    const old = await verdict(await signed(['"@path": /foo'], '"@path"', ';created=1;keyid="s"'));
    expect(old.holds).toBe(true);
    expect(old.warnings).toContain('ERR_HTTPSIG_CREATED_OLD');
    const f = old.all.find((x) => x.code === 'ERR_HTTPSIG_CREATED_OLD')!;
    expect(JSON.stringify(f.parts)).toContain(`${MAX_CREATED_AGE_SECONDS / 60} minutes`);
    expect(old.all.filter((x) => x.check === 'rfc9421.created' && x.severity === 'ok')).toEqual([]);
  });

  it('created within the bound is an OK line', async () => {
    const fresh = await verdict(
      await signed(['"@path": /foo'], '"@path"', `;created=${NOW_S - 60};keyid="s"`),
    );
    expect(fresh.warnings).not.toContain('ERR_HTTPSIG_CREATED_OLD');
    expect(fresh.all.some((x) => x.check === 'rfc9421.created' && x.severity === 'ok')).toBe(true);
  });

  it('a label given twice in Signature-Input is refused', async () => {
    const r = await signed(['"@path": /foo'], '"@path"');
    const input = r.headers.find(([n]) => n === 'Signature-Input')!;
    input[1] = `sig1=("@method");created=${NOW_S}, ${input[1]}`;
    const v = await verdict(r);
    expect(v.holds).toBe(false);
    expect(v.errors).toContain('ERR_HTTPSIG_DUPLICATE_LABEL');
  });

  it('a label given twice in Signature (over two lines) is refused', async () => {
    const r = await signed(['"@path": /foo'], '"@path"');
    const i = r.headers.findIndex(([n]) => n === 'Signature');
    r.headers.splice(i, 0, ['Signature', 'sig1=:AAAA:']);
    const v = await verdict(r);
    expect(v.holds).toBe(false);
    expect(v.errors).toContain('ERR_HTTPSIG_DUPLICATE_LABEL');
  });
});
