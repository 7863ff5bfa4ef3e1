/**
 * RFC 9421 through the engine, in the shape the RFC 9421 tests read: every signature (label) of a
 * request verified by `verifyEach` over rfc9421/scheme.ts, and a request signed by `signScheme` from
 * the values its Sign form would have. Nothing here verifies or signs by itself.
 */
import { ALGORITHMS } from '../../../src/lib/crypto/algorithms';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import type { Diagnosis, ParsedRequest } from '../../../src/lib/request/types';
import { verifyEach } from '../../../src/lib/scheme/check';
import type { FormValues, SignerKey } from '../../../src/lib/scheme/contract';
import { signerFor, signScheme } from '../../../src/lib/scheme/sign';
import { NAMES, type HttpSigAlg } from '../../../src/lib/schemes/rfc9421/algorithms';
import scheme from '../../../src/lib/schemes/rfc9421/scheme';
import type { Finding, SignedPart } from '../../../src/lib/trust/finding';

/** One signature, judged by the engine. */
export interface SignatureResult {
  label: string;
  /** The signature base, line by line. */
  signatureBase: string[];
  base?: { lines: { id: string; name: string; value: string }[]; params: string; text: string };
  /** The §3.3 name of the algorithm the signature held with. */
  alg?: HttpSigAlg;
  signatureHolds: boolean;
  verifyingKey?: VerificationKey;
  findings: Finding[];
  diagnoses: Diagnosis[];
}

/** The findings before any label (a request no label can be read from), and each label's result. */
export interface Verification {
  findings: Finding[];
  results: SignatureResult[];
}

/** The algorithm whose words the engine's "holds" finding starts with. */
function heldWith(findings: readonly Finding[]): HttpSigAlg | undefined {
  const held = findings.find((f) => f.check === 'signature' && f.severity === 'ok');
  return NAMES.filter((n) => held?.detail.startsWith(ALGORITHMS[idOf(n)].words)).sort(
    (a, b) => ALGORITHMS[idOf(b)].words.length - ALGORITHMS[idOf(a)].words.length,
  )[0];
}

const idOf = (n: HttpSigAlg) => Object.values(ALGORITHMS).find((a) => a.rfc9421 === n)!.id;

/** The engine's base parts as RFC 9421's lines, parameters and text. */
function asBase(parts: readonly SignedPart[]) {
  const lines = parts.slice(0, -1).map((p) => ({
    id: p.label,
    name: /^"([^"]*)"/.exec(p.label)?.[1] ?? p.label,
    value: p.text,
  }));
  const text = parts.map((p) => `${p.label}: ${p.text}`).join('\n');
  return { lines, params: parts.at(-1)?.text ?? '', text };
}

/** Verify every signature of a request with the engine. */
export async function verifyRequest(input: {
  request: Pick<ParsedRequest, 'method' | 'url' | 'headers' | 'body'>;
  keys: readonly VerificationKey[];
  nowMs: number;
}): Promise<Verification> {
  const request: ParsedRequest = { source: 'http', notes: [], ...input.request };
  const results = await verifyEach(scheme, { request, keys: [...input.keys], nowMs: input.nowMs });
  if (results.length === 1 && results[0]!.label === undefined)
    return { findings: results[0]!.findings, results: [] };
  // What concerns the whole message is in every label's findings: the first label's, once.
  const message = (f: Finding) =>
    f.check === 'rfc9421.headers' ||
    f.check.startsWith('rfc9421.repeated:') ||
    f.code === 'ERR_HTTPSIG_DIGEST_NOT_COVERED';
  return {
    findings: results[0]!.findings.filter(message),
    results: results.map((r) => {
      const alg = r.signedBy ? heldWith(r.findings) : undefined;
      return {
        label: r.label ?? '',
        signatureBase: r.base?.map((p) => `${p.label}: ${p.text}`) ?? [],
        ...(r.base ? { base: asBase(r.base) } : {}),
        ...(alg ? { alg } : {}),
        signatureHolds: r.signedBy !== undefined,
        ...(r.signedBy ? { verifyingKey: r.signedBy } : {}),
        findings: r.findings,
        diagnoses: r.diagnoses,
      };
    }),
  };
}

/** What the RFC 9421 tests sign: a request, the components covered, the parameters, a key. */
export interface SignInput {
  request: Pick<ParsedRequest, 'method' | 'url' | 'headers' | 'body'>;
  covered: readonly string[];
  params: { created?: number; expires?: number; keyid?: string; nonce?: string; tag?: string; alg?: boolean };
  key: CryptoKey | { secret: Uint8Array<ArrayBuffer> };
  alg?: HttpSigAlg;
  label?: string;
  digest?: 'sha-256' | 'sha-512';
}

/** Sign with the engine, from the Sign form's values for `input`. */
export async function signRequest(input: SignInput) {
  const { request, params } = input;
  const values: FormValues = {
    method: request.method,
    url: request.url,
    headers: request.headers.map(([n, v]) => `${n}: ${v}`).join('\n'),
    body: request.body,
    covered: [...input.covered],
    alg: input.alg ?? 'from the key',
    includeAlg: params.alg === true,
    created: params.created ?? 0,
    expiresIn: params.expires !== undefined ? params.expires - (params.created ?? 0) : 0,
    keyid: params.keyid ?? '',
    nonce: params.nonce ?? '',
    tag: params.tag ?? '',
    label: input.label ?? 'sig1',
    digest: input.digest ?? 'sha-512',
  };
  const key: SignerKey =
    'secret' in input.key
      ? { kind: 'secret', label: '', secret: input.key.secret }
      : ({ kind: 'pair', label: '', privateKey: input.key } as SignerKey);
  const out = await signScheme(scheme, values, key, params.created ? params.created * 1000 : Date.now());
  const { alg } = await signerFor(scheme, key, input.alg && idOf(input.alg));
  const added = out.request.headers.slice(request.headers.length);
  const named = (n: string) => added.find(([h]) => h === n)?.[1];
  return {
    ...out,
    alg: NAMES.find((n) => idOf(n) === alg),
    added,
    signatureInput: named('Signature-Input')!,
    signature: named('Signature')!,
    ...(named('Content-Digest') ? { contentDigest: named('Content-Digest')! } : {}),
    base: { text: out.base.map((p) => `${p.label}: ${p.text}`).join('\n') },
  };
}
