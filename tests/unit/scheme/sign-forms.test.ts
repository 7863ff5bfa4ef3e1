/**
 * The schemes' Sign forms (form.ts): fields as data, and `sign` making exactly what the
 * partner's rules (and independent implementations) accept.
 */
import { binanceParts } from '../support/binance-helpers';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createVerifier, httpbis } from 'http-message-signatures';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPrivateKey } from '../../../src/lib/keys/parse';
import { importPrivateKey } from '../../../src/lib/keys/import';
import { loadForm, SCHEMES } from '../../../src/lib/scheme/registry';
import type { FormValues, SchemeForm, SignerKey } from '../../../src/lib/scheme/contract';
import { initialValues } from '../../../src/state/sign-form.svelte';
import { headerLines } from '../../../src/lib/schemes/rfc9421/sign';
import { verifyRequest } from '../support/rfc9421-engine';
import { vector } from '../support/helpers';
import { nodeVerifiesJws } from '../support/jwt-helpers';

const FORMS = ['qredo', 'binance', 'qit-v2', 'qit-v1', 'qi-dtvm', 'rfc9421'] as const;
const NOW = 1_760_000_000_000;

async function form(id: string): Promise<SchemeForm> {
  const f = await loadForm(id);
  if (!f) throw new Error(`no form for ${id}`);
  return f;
}

async function pair(pem: string): Promise<SignerKey> {
  const parsed = (await parseKeyText(pem)) as ParsedPrivateKey;
  const { privateKey, publicKey } = await importPrivateKey(parsed);
  return { kind: 'pair', label: 'fixture', privateKey, publicKey, spki: parsed.spki };
}

const values = (f: SchemeForm, patch: FormValues): FormValues => ({ ...initialValues(f, NOW), ...patch });

describe('every form is data the one signer view can render', () => {
  for (const id of FORMS) {
    it(id, async () => {
      const f = await form(id);
      expect(f.id).toBe(id);
      expect(SCHEMES.get(id)?.kind).toBe('request');
      const names = f.fields.map((x) => x.name);
      expect(new Set(names).size).toBe(names.length);
      expect(f.fields.filter((x) => x.kind === 'key')).toHaveLength(1);
      for (const x of f.fields) {
        expect(x.label.length).toBeGreaterThan(1);
        expect(x.help.length).toBeGreaterThan(10);
        if (x.kind === 'key') expect(x.remember).not.toBe(true);
        if (x.kind === 'choice') expect(x.options).toContain(initialValues(f, NOW)[x.name]);
      }
    });
  }
  it('the stable labels of the Sign view', async () => {
    const labels = async (id: string) => (await form(id)).fields.map((x) => x.label);
    expect(await labels('qredo')).toEqual(expect.arrayContaining(['URL', 'Body', 'Timestamp', 'API key']));
    expect(await labels('qit-v1')).toEqual(expect.arrayContaining(['Endpoint', 'Date', 'Body', 'API key']));
    expect(await labels('qit-v2')).toEqual(expect.arrayContaining(['Endpoint', 'Timestamp', 'Body']));
    expect(await labels('rfc9421')).toEqual(expect.arrayContaining(['URL', 'Body', 'Method']));
  });
});

describe('Qredo (qredo/scheme.ts)', () => {
  it('reproduces every Qredo vector exactly', async () => {
    const f = await form('qredo');
    const key = await pair(vector('qredo', 'private.pem'));
    const qredo = JSON.parse(vector('qredo', 'vectors.json'));
    for (const c of qredo.cases) {
      const out = await f.sign(
        values(f, { method: c.method, url: c.url, body: c.body, timestamp: c.timestamp, apiKey: 'k' }),
        key,
        NOW,
      );
      expect(out.headers).toEqual([
        ['x-api-key', 'k'],
        ['x-timestamp', c.timestamp],
        ['x-sign', c.expected_x_sign],
      ]);
      expect(out.base.map((p) => p.text).join('')).toBe(
        `${c.timestamp}${c.url}${c.method === 'GET' ? '' : c.body}`,
      );
    }
  });
  it('refuses an HMAC secret and a timestamp in milliseconds, by name', async () => {
    const f = await form('qredo');
    const secret: SignerKey = { kind: 'secret', label: 's', secret: new Uint8Array([1]) };
    await expect(f.sign(values(f, {}), secret, NOW)).rejects.toThrow(/RSA.*which this key cannot make/);
    const key = await pair(vector('qredo', 'private.pem'));
    await expect(f.sign(values(f, { timestamp: String(NOW) }), key, NOW)).rejects.toThrow('seconds');
  });
});

describe('binance/scheme.ts', () => {
  it('signs the payload Binance reads, with the timestamp of the signing moment', async () => {
    const f = await form('binance');
    const pem = vector('qredo', 'private.pem');
    const out = await f.sign(values(f, { apiKey: 'kb' }), await pair(pem), NOW);
    const payload = out.base[0]!.text;
    expect(payload).toContain(`timestamp=${NOW}&recvWindow=5000`);
    const sig = decodeURIComponent(/signature=([^&]*)$/.exec(out.request.body)![1]!);
    expect(nodeVerify('sha256', Buffer.from(payload), createPublicKey(pem), Buffer.from(sig, 'base64'))).toBe(
      true,
    );
    expect(out.headers).toEqual([['X-MBX-APIKEY', 'kb']]);
  });
  it('recvWindow: empty is omitted, over 60000 is refused', async () => {
    const f = await form('binance');
    const payload = (recvWindow: string | number) => {
      const p = binanceParts(values(f, { method: 'GET', recvWindow }), NOW);
      return `${p.query}${p.body}`;
    };
    expect(payload('')).toBe(`symbol=BTCUSDT&timestamp=${NOW}`);
    expect(payload(5000)).toBe(`symbol=BTCUSDT&timestamp=${NOW}&recvWindow=5000`);
    expect(() => payload(60001)).toThrow('60000');
    expect(() => payload(0)).toThrow('more than 0');
  });
});

describe('qit-v2/form.ts and qit-v1/form.ts', () => {
  it('v2: the AUTHORIZATION JWT verifies and payload_md5 is the md5 of the bytes sent', async () => {
    const f = await form('qit-v2');
    const out = await f.sign(
      values(f, { apiKey: 'api' }),
      await pair(vector('qitech', 'jwtECDSASHA512.key')),
      NOW,
    );
    const auth = out.headers.find(([h]) => h === 'AUTHORIZATION')![1];
    expect(nodeVerifiesJws(auth, createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub')))).toBe(true);
    const claims = JSON.parse(Buffer.from(auth.split('.')[1]!, 'base64url').toString());
    expect(claims.payload_md5).toBe(createHash('md5').update(out.request.body).digest('hex'));
    expect(out.request.body).toBe('{"name": "QI Tech"}');
  });
  it('v1: QIT <api key>:<JWT> over the string to sign', async () => {
    const f = await form('qit-v1');
    const out = await f.sign(
      values(f, { apiKey: 'api' }),
      await pair(vector('qitech', 'jwtECDSASHA512.key')),
      NOW,
    );
    const auth = out.headers.find(([h]) => h === 'AUTHORIZATION')![1];
    expect(auth.startsWith('QIT api:')).toBe(true);
    expect(nodeVerifiesJws(auth.slice(8), createPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub')))).toBe(
      true,
    );
  });
});

describe('rfc9421 Sign form', () => {
  it('signs with an HMAC secret; keybench and http-message-signatures verify; tampering breaks it', async () => {
    const f = await form('rfc9421');
    const secret = new TextEncoder().encode('a shared secret of 32 bytes, ok?');
    const out = await f.sign(
      values(f, { method: 'POST', url: 'https://api.example.com/pay?x=1', keyid: 'k1' }),
      { kind: 'secret', label: 's', secret },
      NOW,
    );
    expect(out.headers.map(([h]) => h)).toEqual(['Content-Digest', 'Signature-Input', 'Signature']);
    expect(out.headers[1]![1]).toContain(
      `created=${NOW / 1000};expires=${NOW / 1000 + 300};keyid="k1";alg="hmac-sha256"`,
    );
    const v = await verifyRequest({
      request: out.request,
      keys: [{ kind: 'secret', label: 's', origin: 'pasted', secret }],
      nowMs: NOW + 1000,
    });
    expect(v.results[0]!.signatureHolds).toBe(true);
    const lib = (r: typeof out.request) => {
      const headers: Record<string, string> = {};
      for (const [k, val] of r.headers) headers[k.toLowerCase()] = val;
      return httpbis.verifyMessage(
        {
          keyLookup: async () => ({
            id: 'k1',
            algs: ['hmac-sha256'],
            verify: createVerifier(Buffer.from(secret), 'hmac-sha256'),
          }),
          notAfter: NOW + 60_000,
          tolerance: 1e9,
        },
        { method: r.method, url: r.url, headers },
      );
    };
    expect(await lib(out.request)).toBe(true);
    expect(await lib({ ...out.request, url: 'https://api.example.com/pay?x=2' })).toBe(false);
  });
  it('bad input is named: a header line, a URL without a host, no covered component', async () => {
    expect(() => headerLines('Content-Type application/json')).toThrow('line 1');
    expect(headerLines('A: 1\n\nA: 2')).toEqual([
      ['A', '1'],
      ['A', '2'],
    ]);
    const f = await form('rfc9421');
    const secret: SignerKey = { kind: 'secret', label: 's', secret: new Uint8Array([1, 2]) };
    await expect(f.sign(values(f, { url: '/pay' }), secret, NOW)).rejects.toThrow('full URL');
    await expect(f.sign(values(f, { covered: [] }), secret, NOW)).rejects.toThrow('at least one');
  });
});

describe('rfc9421 Sign form and a key RFC 9421 has no algorithm for', () => {
  it('a P-521 pair is refused by name, before anything is signed', async () => {
    const f = await form('rfc9421');
    const key = await pair(vector('qitech', 'jwtECDSASHA512.key'));
    await expect(f.sign(values(f, {}), key, NOW)).rejects.toThrow(
      'HTTP Message Signatures (RFC 9421) signs with RSASSA-PSS SHA-512 or RSASSA-PKCS1-v1_5 SHA-256 or ECDSA P-256 SHA-256 or ECDSA P-384 SHA-384 or Ed25519 or HMAC-SHA256, which this key cannot make',
    );
  });
});
