// TrueLayer's Tl-Signature against TrueLayer's own SDK (truelayer-signing, npm), both ways: what the
// SDK signs with a node:crypto P-521 key verifies in keybench's doctor with the user's own key, and
// what keybench's engine signs passes the SDK's verify. A key the request carries (jwk, jku) is
// never used, and what the SDK refuses keybench refuses with a named code.
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as tl from 'truelayer-signing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import { shellQuote } from '../../../../src/lib/partners/shell';
import { plain } from '../../../../src/lib/rich';
import { signScheme } from '../../../../src/lib/scheme/sign';
import { examineRequest, type RequestExamination } from '../../../../src/lib/scheme/doctor';
import type { SignerKey } from '../../../../src/lib/scheme/contract';
import scheme from '../../../../src/lib/schemes/truelayer/scheme';
import { NOW } from '../../support/exchange-helpers';

const KID = '45fc75cf-5649-4134-84b3-192c2c78e990';
const IDEMPOTENCY = 'idemp-2076717c-9005-4811-a321-9e0787fa0382';
const BODY = '{"currency":"GBP","max_amount_in_minor":5000000,"name":"Foo £"}';
const HOST = 'https://api.truelayer-sandbox.com';
const PATH = '/merchant_accounts/a61acaef-ee05-4077-92f3-25543a11bd8d/sweeping';
// The SDK types its methods as a const enum, which it does not export at run time.
const POST = 'POST' as unknown as tl.HttpMethod;

interface Pair {
  node: { privateKey: KeyObject; publicKey: KeyObject };
  pem: { privateKey: string; publicKey: string };
  trusted: VerificationKey;
  signer: SignerKey;
}

/** A P-521 key pair as node:crypto (for the SDK), a stored key of the user's, and a signer. */
async function pair(label: string): Promise<Pair> {
  const node = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const pkcs8 = node.privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = new Uint8Array(node.publicKey.export({ format: 'der', type: 'spki' }));
  const params = { name: 'ECDSA', namedCurve: 'P-521' };
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, params, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return {
    node,
    pem: {
      privateKey: node.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      publicKey: node.publicKey.export({ format: 'pem', type: 'spki' }) as string,
    },
    trusted: { kind: 'public', label, origin: 'stored', owner: 'mine', spki, type: keyTypeOf(publicKey) },
    signer: { kind: 'pair', label, privateKey, publicKey, spki },
  };
}

/** A curl command sending the request as TrueLayer receives it. */
function curl(url: string, headers: Record<string, string>, body = BODY, method = 'POST'): string {
  const h = Object.entries(headers).map(([n, v]) => `-H ${shellQuote(`${n}: ${v}`)}`);
  return [
    `curl -X ${method} ${shellQuote(url)}`,
    ...h,
    ...(body ? [`--data-raw ${shellQuote(body)}`] : []),
  ].join(' ');
}

/** keybench's doctor on a pasted request, with the user's stored keys. */
async function doctor(text: string, keys: VerificationKey[]) {
  const e: RequestExamination | null = await examineRequest(text, async () => keys, NOW);
  if (e?.kind !== 'verdict') return { kind: e?.kind, code: e && 'code' in e ? e.code : undefined, e };
  expect(e.scheme.id).toBe('truelayer');
  return { kind: e.kind, code: e.verdict.code, v: e.verdict };
}

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

let mine: Pair;
let attacker: Pair;
beforeAll(async () => {
  [mine, attacker] = await Promise.all([pair('my TrueLayer key'), pair('attacker')]);
});

describe('the SDK signs, keybench verifies with the user’s own key', () => {
  const sdkSign = (path: string, headers: Record<string, string>, body = BODY) =>
    tl.sign({ kid: KID, privateKeyPem: mine.pem.privateKey, method: POST, path, headers, body });

  it('a payout request verifies; a changed body, Idempotency-Key or path does not', async () => {
    const sig = sdkSign(PATH, { 'Idempotency-Key': IDEMPOTENCY });
    const headers = {
      'Tl-Signature': sig,
      'Idempotency-Key': IDEMPOTENCY,
      'Content-Type': 'application/json',
    };
    const ok = await doctor(curl(HOST + PATH, headers), [mine.trusted]);
    expect(ok.v?.state, plain(ok.v?.parts ?? [])).toBe('verified');
    expect(plain(ok.v!.parts)).toContain('Signature verified');
    for (const text of [
      curl(HOST + PATH, headers, BODY.replace('5000000', '5000001')),
      curl(HOST + PATH, { ...headers, 'Idempotency-Key': 'idemp-other' }),
      curl(`${HOST}/merchant_accounts/123/sweeping`, headers),
    ])
      expect((await doctor(text, [mine.trusted])).v?.state).toBe('failed');
    // Another P-521 key (not the one uploaded) never verifies it.
    expect((await doctor(curl(HOST + PATH, headers), [attacker.trusted])).v?.state).toBe('failed');
  });

  it('several signed headers keep tl_headers’ order and case, whatever order and case the request sends', async () => {
    const sig = sdkSign(PATH, { 'Idempotency-Key': IDEMPOTENCY, 'X-Custom': '123' });
    const text = curl(HOST + PATH, {
      'x-custom': '123',
      'Tl-Signature': sig,
      'idempotency-key': IDEMPOTENCY,
    });
    expect((await doctor(text, [mine.trusted])).v?.state).toBe('verified');
  });

  it('a path signed with a trailing slash verifies, as the SDK’s verify accepts it (and says so)', async () => {
    const sig = sdkSign(`${PATH}/`, { 'Idempotency-Key': IDEMPOTENCY });
    const headers = { 'Tl-Signature': sig, 'Idempotency-Key': IDEMPOTENCY };
    expect(() =>
      tl.verify({
        publicKeyPem: mine.pem.publicKey,
        signature: sig,
        method: POST,
        path: PATH,
        body: BODY,
        headers,
      }),
    ).not.toThrow();
    const r = await doctor(curl(HOST + PATH, headers), [mine.trusted]);
    expect(r.v?.state).toBe('verified');
    expect(r.v!.findings.map((f) => f.detail).join(' ')).toContain('trailing slash');
  });

  it('a body signed pretty-printed and sent compact is named, with the payload readable in the report', async () => {
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    const sig = sdkSign(PATH, { 'Idempotency-Key': IDEMPOTENCY }, pretty);
    const r = await doctor(curl(HOST + PATH, { 'Tl-Signature': sig, 'Idempotency-Key': IDEMPOTENCY }), [
      mine.trusted,
    ]);
    expect(r.v?.state).toBe('failed');
    expect(r.v?.diagnoses[0]).toMatchObject({ code: 'ERR_SCHEME_BODY_REFORMATTED', confirmed: true });
    expect(r.v!.diagnoses[0]!.signed).toContain(`POST ${PATH}\nIdempotency-Key: ${IDEMPOTENCY}\n${pretty}`);
    expect(r.v!.diagnoses[0]!.sent).toContain(`\n${BODY}`);
  });

  it('Idempotency-Key sent but not signed: the signature holds, TrueLayer refuses it (as the SDK’s requiredHeaders does)', async () => {
    const sig = sdkSign(PATH, {});
    const headers = { 'Tl-Signature': sig, 'Idempotency-Key': IDEMPOTENCY };
    expect(() =>
      tl.verify({
        publicKeyPem: mine.pem.publicKey,
        signature: sig,
        method: POST,
        path: PATH,
        body: BODY,
        headers,
        requiredHeaders: ['Idempotency-Key'],
      }),
    ).toThrow('signature is missing required header Idempotency-Key');
    const r = await doctor(curl(HOST + PATH, headers), [mine.trusted]);
    expect(r.v?.signatureVerified).toBe(true);
    expect(r.v?.state).toBe('failed');
    expect(r.code).toBe('ERR_SCHEME_HEADER_UNSIGNED');
  });
});

describe('keybench signs, the SDK verifies', () => {
  const values = { kid: KID, method: 'POST', url: HOST + PATH, idempotencyKey: IDEMPOTENCY, body: BODY };

  it('the engine’s Tl-Signature passes the SDK’s verify; a changed body or path fails it', async () => {
    const out = await signScheme(scheme, values, mine.signer, NOW);
    const h = Object.fromEntries(out.request.headers);
    const signature = h['Tl-Signature']!;
    expect(tl.extractKid(signature)).toBe(KID);
    expect(signature).toMatch(/^[\w-]+\.\.[\w-]+$/);
    // The report shows the payload as text; what is signed is its base64url (a JWS).
    expect(out.base.map((p) => p.text).join('')).toContain(
      `POST ${PATH}\nIdempotency-Key: ${IDEMPOTENCY}\n${BODY}`,
    );
    const args = {
      publicKeyPem: mine.pem.publicKey,
      signature,
      method: POST,
      path: PATH,
      body: BODY,
      headers: h,
      requiredHeaders: ['Idempotency-Key'],
    };
    expect(() => tl.verify(args)).not.toThrow();
    expect(() => tl.verify({ ...args, body: `${BODY} ` })).toThrow('Invalid signature');
    expect(() => tl.verify({ ...args, path: '/v3/payouts' })).toThrow('Invalid signature');
    expect(() => tl.verify({ ...args, publicKeyPem: attacker.pem.publicKey })).toThrow('Invalid signature');
    // The same request, through keybench's own curl and doctor.
    expect((await doctor(out.curl, [mine.trusted])).v?.state).toBe('verified');
  });
});

describe('attacks and refusals', () => {
  /** A Tl-Signature with any header, signed by node:crypto over the SDK's own payload layout. */
  function forge(
    header: Record<string, unknown>,
    key: KeyObject,
    dsaEncoding: 'ieee-p1363' | 'der' = 'ieee-p1363',
  ) {
    const h = b64u(JSON.stringify(header));
    const payload = `POST ${PATH}\nIdempotency-Key: ${IDEMPOTENCY}\n${BODY}`;
    const sig = nodeSign('sha512', Buffer.from(`${h}.${b64u(payload)}`), { key, dsaEncoding });
    return `${h}..${sig.toString('base64url')}`;
  }
  const HEADER = { alg: 'ES512', kid: KID, tl_version: '2', tl_headers: 'Idempotency-Key' };
  const send = (sig: string) => curl(HOST + PATH, { 'Tl-Signature': sig, 'Idempotency-Key': IDEMPOTENCY });

  it('a jwk or jku in the header never brings a key: the attacker’s own key signs it, it is not verified', async () => {
    const jwk = attacker.node.publicKey.export({ format: 'jwk' });
    const jku = 'https://attacker.example/.well-known/jwks';
    const sig = forge({ ...HEADER, jwk, jku }, attacker.node.privateKey);
    // The signature is genuine for the attacker's key (the SDK, given that key, accepts it) …
    expect(() =>
      tl.verify({
        publicKeyPem: attacker.pem.publicKey,
        signature: sig,
        method: POST,
        path: PATH,
        body: BODY,
        headers: { 'Idempotency-Key': IDEMPOTENCY },
      }),
    ).not.toThrow();
    // … but keybench tries the user's stored keys only.
    const r = await doctor(send(sig), [mine.trusted]);
    expect(r.v?.state).toBe('failed');
    expect(r.v?.signatureVerified).toBe(false);
    expect(plain(r.v!.parts)).not.toContain('Signature verified');
    expect(r.v!.findings.some((f) => f.code === 'ERR_JWT_EMBEDDED_KEY_ONLY')).toBe(true);
    const none = await doctor(send(sig), []);
    expect(none.v?.state ?? 'failed').toBe('failed');
    expect(none.v?.signatureVerified ?? false).toBe(false);
  });

  it('a DER signature is named (the SDK rejects it too)', async () => {
    const sig = forge(HEADER, mine.node.privateKey, 'der');
    expect(() =>
      tl.verify({
        publicKeyPem: mine.pem.publicKey,
        signature: sig,
        method: POST,
        path: PATH,
        body: BODY,
        headers: { 'Idempotency-Key': IDEMPOTENCY },
      }),
    ).toThrow();
    const r = await doctor(send(sig), [mine.trusted]);
    expect(r.v?.state).toBe('failed');
    expect(r.v?.diagnoses[0]).toMatchObject({ code: 'ERR_JWT_ECDSA_DER', confirmed: true });
  });

  it.each([
    [
      'not three parts',
      () => forge(HEADER, mine.node.privateKey).replace('..', '.'),
      'ERR_JWT_SEGMENTS',
      'is not header..signature',
    ],
    [
      'a payload between the dots',
      () => forge(HEADER, mine.node.privateKey).replace('..', `.${b64u(`POST ${PATH}\n`)}.`),
      'ERR_JWT_SEGMENTS',
      'carries a payload',
    ],
    ['a header that is not JSON', () => `${b64u('not json')}..AAAA`, 'ERR_JWT_JSON', 'not base64url JSON'],
    [
      'alg ES256',
      () => forge({ ...HEADER, alg: 'ES256' }, mine.node.privateKey),
      'ERR_JWT_ALG_UNSUPPORTED',
      'TrueLayer wants ES512',
    ],
    [
      'tl_version 1',
      () => forge({ ...HEADER, tl_version: '1' }, mine.node.privateKey),
      'ERR_JWT_HEADER',
      'TrueLayer wants "2"',
    ],
    [
      'tl_version as a number',
      () => forge({ ...HEADER, tl_version: 2 }, mine.node.privateKey),
      'ERR_JWT_HEADER',
      'tl_version',
    ],
  ] as const)('refuses %s', async (_, make, code, words) => {
    const e = await examineRequest(send(make()), async () => [mine.trusted], NOW);
    const found = e?.kind === 'verdict' ? e.verdict : e;
    expect(found && 'code' in found ? found.code : undefined).toBe(code);
    expect(plain(found && 'parts' in found ? found.parts : [])).toContain(words);
    if (e?.kind === 'verdict') expect(e.verdict.state).toBe('failed');
  });
});
