/**
 * The conformance suite: every declarative scheme (src/lib/schemes/<id>/scheme.ts) gets these tests
 * from its own data. Signing with the engine and verifying the request it makes gives verified;
 * each mistake, applied by a signer to the parts of a request (its first variant), gives exactly
 * that mistake's code; a changed signed part fails; a key of another role does not verify.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, type AlgId } from '../../../src/lib/crypto/algorithms';
import { encodeAs } from '../../../src/lib/crypto/encoding';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../src/lib/keys/key-type';
import { parseRequest } from '../../../src/lib/request/parse';
import type { ParsedRequest } from '../../../src/lib/request/types';
import { baseBytes, verifyScheme } from '../../../src/lib/scheme/check';
import { signScheme } from '../../../src/lib/scheme/sign';
import { encodingFor, type Parts, type RequestScheme } from '../../../src/lib/scheme/types';
import type { FormValues, SignerKey } from '../../../src/lib/scheme/contract';
import { contextOfScheme } from '../../../src/lib/trust/roles';
import { PARTNER_PROFILES } from '../../../src/lib/partners/profiles';
import { decideRequest } from '../../../src/lib/trust/verdict';

const dir = join(import.meta.dirname, '../../../src/lib/schemes');
// RFC 9421's mistakes need keys of several types (ECDSA DER beside RSA-PSS salts), and its RFC
// vectors, SDK both ways and hand-made mistakes are tested in tests/unit/schemes/rfc9421/.
const folders = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'scheme.ts')) && d !== 'rfc9421');
/** Every scheme of every folder (a folder of variants exports an array). */
const all: [string, RequestScheme][] = (
  await Promise.all(
    folders.map(async (folder) => {
      const d = (await import(`../../../src/lib/schemes/${folder}/scheme.ts`)).default as
        RequestScheme | RequestScheme[];
      return (Array.isArray(d) ? d : [d]).map((s) => [folder, s] as [string, RequestScheme]);
    }),
  )
).flat();
const ids = all.map(([, s]) => s.id);
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

/** A key pair of the kind the scheme's first algorithm needs, as WebCrypto and node:crypto keys. */
async function keyPairFor(alg: AlgId, pss = false) {
  const spec = ALGORITHMS[alg].importParams as { name: string; hash?: string; namedCurve?: string };
  const node: { publicKey: KeyObject; privateKey: KeyObject } =
    spec.name === 'ECDSA'
      ? generateKeyPairSync('ec', { namedCurve: spec.namedCurve! })
      : spec.name === 'Ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = node.privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = new Uint8Array(node.publicKey.export({ format: 'der', type: 'spki' }));
  const importAs = (params: typeof spec) => crypto.subtle.importKey('pkcs8', pkcs8, params, false, ['sign']);
  const privateKey = await importAs(spec);
  const publicKey = await crypto.subtle.importKey('spki', spki, spec, true, ['verify']);
  const pssPrivateKey =
    pss && spec.name === 'RSASSA-PKCS1-v1_5'
      ? await importAs({ name: 'RSA-PSS', hash: spec.hash! })
      : undefined;
  const signer: SignerKey = {
    kind: 'pair',
    label: 'conformance key',
    privateKey,
    ...(pssPrivateKey ? { pssPrivateKey } : {}),
    publicKey,
    spki,
  };
  const trusted: VerificationKey = {
    kind: 'public',
    label: 'conformance key',
    origin: 'stored',
    owner: 'mine',
    spki,
    type: keyTypeOf(publicKey),
  };
  // A signer who picks another algorithm than the scheme's imports the same private key for it
  // (its hash is bound at import: RS512 is not the RS256 key).
  const signingKeyFor = async (alg: AlgId) => {
    const params = ALGORITHMS[alg].importParams as { name: string; hash?: string };
    const hashOf = (c: CryptoKey) => (c.algorithm as { hash?: { name: string } }).hash?.name;
    const held = [privateKey, pssPrivateKey].find(
      (c) => c?.algorithm.name === params.name && hashOf(c) === params.hash,
    );
    return held ?? importAs(params as typeof spec);
  };
  return { signer, trusted, privateKey, pssPrivateKey, signingKeyFor };
}

/** A raw r‖s ECDSA signature as DER (what OpenSSL and Java write). */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return v[0]! & 0x80 ? [0, ...v] : [...v];
  };
  const len = (n: number) => (n < 128 ? [n] : [0x81, n]);
  const r = int(raw.subarray(0, raw.length / 2));
  const s = int(raw.subarray(raw.length / 2));
  const body = [0x02, ...len(r.length), ...r, 0x02, ...len(s.length), ...s];
  return new Uint8Array([0x30, ...len(body.length), ...body]);
}

/** The form's default values (a function default is taken at NOW). */
function defaults(scheme: RequestScheme): FormValues {
  return Object.fromEntries(
    scheme.signer.fields.map((f) => [f.name, typeof f.default === 'function' ? f.default(NOW) : f.default]),
  );
}

/** The scheme's example values over its defaults (the defaults alone when it has none). */
function examples(scheme: RequestScheme): FormValues[] {
  const list = scheme.signer.examples ?? [];
  return list.length ? list.map((e) => ({ ...defaults(scheme), ...e })) : [defaults(scheme)];
}

/** A mistake's first variant for a request, or undefined when it does not apply (a throw included). */
function firstVariant(mistake: RequestScheme['mistakes'][number], parts: Parts, request: ParsedRequest) {
  try {
    return [...mistake.variants(parts, request)][0];
  } catch {
    return undefined;
  }
}

/** The request as a server receives it, read back from the engine's own curl. */
function received(curl: string): ParsedRequest {
  const r = parseRequest(curl);
  if (r.kind !== 'request') throw new Error(`curl not read: ${JSON.stringify(r)}`);
  return r.request;
}

async function verdictOf(scheme: RequestScheme, request: ParsedRequest, key: VerificationKey) {
  const context = contextOfScheme(scheme.id, PARTNER_PROFILES);
  return decideRequest(context, await verifyScheme(scheme, { request, keys: [key], nowMs: NOW }));
}

describe.each(ids)('scheme %s', (id) => {
  const load = async () => all.find(([, s]) => s.id === id)![1];

  it('is named by its folder (a single scheme) and listed by a partner profile', async () => {
    const scheme = await load();
    const [folder] = all.find(([, s]) => s.id === id)!;
    if (all.filter(([f]) => f === folder).length === 1) expect(scheme.id).toBe(folder);
    expect(PARTNER_PROFILES.find((p) => p.schemes.includes(id))?.id).toBe(scheme.partner);
  });

  it('signs with the engine, and the request it makes verifies', async () => {
    const scheme = await load();
    const k = await keyPairFor(scheme.algorithms[0]!, true);
    for (const values of examples(scheme)) {
      const out = await signScheme(scheme, values, k.signer, NOW);
      const v = await verdictOf(scheme, received(out.curl), k.trusted);
      expect(v.code, JSON.stringify(v.parts)).toBe('OK');
      expect(v.state).toBe('verified');
      // Another key of the same kind never verifies it.
      const other = await keyPairFor(scheme.algorithms[0]!);
      const w = await verdictOf(scheme, received(out.curl), other.trusted);
      expect(w.state).toBe('failed');
    }
  });

  it('names each mistake by its own code, confirmed by a signature over the mistaken bytes', async () => {
    const scheme = await load();
    const k = await keyPairFor(scheme.algorithms[0]!, true);
    const valuesList = examples(scheme);
    for (const mistake of scheme.mistakes) {
      let tried = false;
      for (const values of valuesList) {
        const signText = async (b: Uint8Array<ArrayBuffer>) =>
          encodeAs(
            new Uint8Array(
              await crypto.subtle.sign(ALGORITHMS[scheme.algorithms[0]!].signParams, k.privateKey, b),
            ),
            scheme.encoding,
          );
        const parts = (await scheme.signer.parts(values, NOW, signText)) as Parts;
        // The request the correct signer sends, to know what the mistake applies to.
        const good = scheme.signer.request(parts, 'AAAA', values);
        const asSent = received((await signScheme(scheme, values, k.signer, NOW)).curl);
        const read = scheme.read(asSent);
        if (mistake.sentAs) {
          // How the request carries the signature (a raw +), not what is signed: made from this one.
          const mistaken = mistake.sentAs(asSent);
          if (!mistaken) continue;
          tried = true;
          const v = await verdictOf(scheme, mistaken, k.trusted);
          expect(v.state, mistake.code).toBe('failed');
          expect(v.diagnoses[0]?.code, `${mistake.code}: ${JSON.stringify(v.parts)}`).toBe(mistake.code);
          expect(v.diagnoses[0]?.confirmed).toBe(true);
          break;
        }
        const variant = 'parts' in read ? firstVariant(mistake, read.parts, asSent) : undefined;
        if (!variant) continue;
        tried = true;
        const alg = variant.alg ?? scheme.algorithms[0]!;
        const node = {
          ...ALGORITHMS[alg].signParams,
          ...(variant.saltLength !== undefined ? { saltLength: variant.saltLength } : {}),
        };
        const signingKey = await k.signingKeyFor(alg);
        const bytes = baseBytes(scheme, { ...parts, ...variant.parts } as Parts);
        const raw = new Uint8Array(await crypto.subtle.sign(node, signingKey, bytes));
        const sig = variant.der ? rawToDer(raw) : raw;
        const text = encodeAs(sig, variant.encoding ?? encodingFor(scheme, alg));
        const sent = scheme.signer.request(parts, text, values);
        expect(sent.url).toBe(good.url);
        const request: ParsedRequest = { source: 'curl', notes: [], ...sent };
        const v = await verdictOf(scheme, request, k.trusted);
        expect(v.state, mistake.code).toBe('failed');
        expect(v.diagnoses[0]?.code, `${mistake.code}: ${JSON.stringify(v.parts)}`).toBe(mistake.code);
        expect(v.diagnoses[0]?.confirmed).toBe(true);
        break;
      }
      if (!mistake.readsSigned)
        expect(tried, `${mistake.code} applies to no example request: add one to signer.examples`).toBe(true);
    }
  });

  it('a request with a changed signed part or no signature is never verified', async () => {
    const scheme = await load();
    const k = await keyPairFor(scheme.algorithms[0]!, true);
    // A request whose body is signed when an example has one (Kalshi signs none; Binance signs its
    // start, the signature ends it); else the path changes.
    const outs = await Promise.all(examples(scheme).map((v) => signScheme(scheme, v, k.signer, NOW)));
    const signsBody = (o: (typeof outs)[number]) => {
      const body = received(o.curl).body;
      return body !== '' && o.base.some((p) => p.text.includes(body.slice(0, 16)));
    };
    const out = outs.find(signsBody) ?? outs[0]!;
    const req = received(out.curl);
    const sigHeader = out.headers.find(([, v]) => req.headers.some(([, w]) => w === v) && v.length > 40);
    const stripped = { ...req, headers: req.headers.filter(([n]) => n !== sigHeader?.[0]) };
    expect((await verdictOf(scheme, stripped, k.trusted)).state).toBe('failed');
    const body = signsBody(out);
    const tampered = {
      ...req,
      // A changed letter, not added whitespace: QIT v1 signs encoded_body's value, not the JSON around it.
      body: body ? req.body.replace(/[A-Za-z0-9]/, (c) => (c === 'x' ? 'y' : 'x')) : req.body,
      url: body ? req.url : req.url.replace(/(\?|#|$)/, 'x$1'),
    };
    expect((await verdictOf(scheme, tampered, k.trusted)).state).toBe('failed');
  });
});
