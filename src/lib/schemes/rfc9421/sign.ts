/**
 * Signing a request with HTTP Message Signatures (RFC 9421): the chosen components and parameters,
 * a (non-extractable) private key or an HMAC secret → Content-Digest (when covered),
 * Signature-Input, Signature, the signature base and a curl command that sends exactly that.
 */
import { parseItem, serializeDictionary, type Item, type Parameters } from 'structured-headers';
import { KeybenchError } from '../../errors';
import { curlCommand, shellQuote } from '../../partners/shell';
import { rich } from '../../rich';
import { importHmacSigner, signBytes } from '../../crypto/signature';
import { algorithmForCryptoKey, ALGORITHMS, type HttpSigAlg } from './algorithms';
import { buildBase, type SignatureBase } from './base';
import { fieldLines, type RequestParts } from './components';
import { contentDigest, type DigestAlg } from './digest';
import type { SignatureParams } from './verify';

/** The signature parameters to put in Signature-Input (§2.3). `alg: true` writes the algorithm name. */
export type SignParams = Omit<SignatureParams, 'alg'> & { alg?: boolean };

/** What to sign and with what. */
export interface SignInput {
  request: RequestParts;
  /** Component identifiers, e.g. `@method`, `content-type`, `@query-param;name="Pet"`, `"example-dict";sf`. */
  covered: readonly string[];
  params: SignParams;
  /** A private key (non-extractable is fine) or an HMAC key, or a shared secret's bytes. */
  key: CryptoKey | { secret: Uint8Array<ArrayBuffer> };
  /** The algorithm; by default the one the key's WebCrypto algorithm implies. */
  alg?: HttpSigAlg;
  /** The signature label (default `sig1`). */
  label?: string;
  /** Digest algorithm for a Content-Digest that keybench adds when it is covered and absent (default sha-512). */
  digest?: DigestAlg;
}

/** What signing produces. */
export interface SignOutput {
  alg: HttpSigAlg;
  label: string;
  /** The headers added, in order: Content-Digest (if added), Signature-Input, Signature. */
  added: [string, string][];
  contentDigest?: string;
  signatureInput: string;
  signature: string;
  base: SignatureBase;
  /** The request as it is to be sent, with the headers added. */
  request: RequestParts;
  /** A curl command sending exactly this request. */
  curl: string;
}

/** A refusal of what the user asked to sign. */
export function bad(message: ReturnType<typeof rich> | string): KeybenchError {
  return new KeybenchError('ERR_HTTPSIG_SIGN_INPUT', message);
}

/**
 * A component identifier from what a person types: `@path`, `content-type`, `@query-param;name="x"`
 * or an already quoted `"content-type";sf`.
 * @throws KeybenchError ERR_HTTPSIG_SIGN_INPUT when it does not parse.
 */
export function parseComponentId(text: string): Item {
  const t = text.trim();
  const quoted = t.startsWith('"')
    ? t
    : `"${t.replace(/;.*$/s, '').toLowerCase()}"${t.includes(';') ? t.slice(t.indexOf(';')) : ''}`;
  try {
    const item = parseItem(quoted);
    if (typeof item[0] !== 'string') throw new Error('not a string');
    return item;
  } catch {
    throw bad(
      rich`${text} is not a component identifier (e.g. @method, content-type, @query-param;name="id").`,
    );
  }
}

/** The signature parameters as an sf Parameters map, in the order of the RFC's examples (created, expires, keyid, nonce, alg, tag). */
function paramsMap(p: SignParams, alg: HttpSigAlg): Parameters {
  for (const k of ['created', 'expires'] as const) {
    const v = p[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 1e11))
      throw bad(`${k} must be a UNIX time in whole seconds (not milliseconds).`);
  }
  const { created, expires, keyid, nonce, tag } = p;
  const all = { created, expires, keyid, nonce, alg: p.alg ? alg : undefined, tag };
  return new Map(Object.entries(all).filter(([, v]) => v !== undefined)) as Parameters;
}

async function keyAndAlg(input: SignInput): Promise<{ key: CryptoKey; alg: HttpSigAlg }> {
  if (!('type' in input.key)) {
    const secret = input.key.secret;
    if (secret.length === 0) throw bad('The HMAC secret is empty.');
    return { key: await importHmacSigner(secret, 'HS256'), alg: 'hmac-sha256' };
  }
  const implied = algorithmForCryptoKey(input.key);
  const alg = input.alg ?? implied;
  if (!alg || (implied !== undefined && implied !== alg))
    throw bad(
      `This key signs ${implied ?? 'with no RFC 9421 algorithm'}, not ${input.alg ?? 'an algorithm keybench knows'}.`,
    );
  const hash = (input.key.algorithm as Partial<RsaHashedKeyAlgorithm>).hash?.name;
  const want = (ALGORITHMS[alg].importParams as Partial<RsaHashedImportParams>).hash;
  if (hash !== undefined && want !== undefined && hash !== want)
    throw bad(`${alg} needs a key made for ${String(want)}, this one is for ${hash}.`);
  if (!input.key.usages.includes('sign'))
    throw bad('This key cannot sign (it is a public key or a verify-only key).');
  return { key: input.key, alg };
}

/**
 * Sign a request.
 * @throws KeybenchError ERR_HTTPSIG_SIGN_INPUT (bad component, parameter or key) or the component's
 * own code when the request lacks a covered component.
 */
export async function signRequest(input: SignInput): Promise<SignOutput> {
  const label = input.label ?? 'sig1';
  if (!/^[a-z*][a-z0-9_.*-]*$/.test(label))
    throw bad(rich`${label} is not a valid label (lower case, e.g. sig1).`);
  const { key, alg } = await keyAndAlg(input);
  const covered = input.covered.map(parseComponentId);
  const params = paramsMap(input.params, alg);
  const req = input.request;
  const added: [string, string][] = [];
  const withAdded = (): RequestParts => ({ ...req, headers: [...req.headers, ...added] });
  let digest: string | undefined;
  if (covered.some((c) => c[0] === 'content-digest') && fieldLines(req, 'content-digest').length === 0) {
    digest = await contentDigest(req.body, [input.digest ?? 'sha-512']);
    added.push(['Content-Digest', digest]);
  }
  const built = buildBase(withAdded(), covered, params);
  if (!built.ok) throw new KeybenchError(built.code, built.parts);
  const sig = await signBytes(ALGORITHMS[alg].id, key, new TextEncoder().encode(built.base.text));
  const signatureInput = serializeDictionary(new Map([[label, [covered, params]]]));
  const signature = serializeDictionary(new Map([[label, [sig.buffer, new Map() as Parameters]]]));
  added.push(['Signature-Input', signatureInput], ['Signature', signature]);
  const request = withAdded();
  return {
    alg,
    label,
    added,
    ...(digest !== undefined ? { contentDigest: digest } : {}),
    signatureInput,
    signature,
    base: built.base,
    request,
    curl: curlOf(request),
  };
}

/** A curl command that sends exactly this request (method, URL, header lines in order, body bytes). */
function curlOf(req: RequestParts): string {
  const body = req.body !== '' ? [`  --data-raw ${shellQuote(req.body)}`] : [];
  return curlCommand(shellQuote(req.method), shellQuote(req.url), req.headers, body);
}
