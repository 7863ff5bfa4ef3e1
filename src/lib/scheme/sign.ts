/**
 * The engine's signing, the same for every declarative scheme: form values → parts → base → the
 * stored key signs (non-extractable; it never leaves WebCrypto) → the signature's text in the
 * scheme's encoding → the request, its headers and a curl command that sends exactly those bytes.
 */
import { ALGORITHMS, type AlgId } from '../crypto/algorithms';
import { encodeAs } from '../crypto/encoding';
import { importHmacSigner, signBytes } from '../crypto/signature';
import { KeybenchError } from '../errors';
import { curlCommand, shellQuote } from '../partners/shell';
import type { SchemeForm, SignerKey, SignOutput } from './contract';
import { baseBytes, codeFor } from './check';
import { encodingFor, type Parts, type RequestScheme } from './types';

/** The key type a form offers for an algorithm. */
function keyTypeOfAlg(alg: AlgId): 'RSA' | 'EC' | 'OKP' | 'secret' {
  const a = ALGORITHMS[alg].importParams.name;
  return a === 'ECDSA' ? 'EC' : a === 'Ed25519' ? 'OKP' : a === 'HMAC' ? 'secret' : 'RSA';
}

/** Does a private key's WebCrypto algorithm sign `alg` (name, hash and curve bound at import)? */
function signs(key: CryptoKey, alg: AlgId): boolean {
  const want = ALGORITHMS[alg].importParams as { name: string; hash?: string; namedCurve?: string };
  const has = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  return (
    has.name === want.name &&
    (want.hash === undefined || has.hash?.name === want.hash) &&
    (want.namedCurve === undefined || has.namedCurve === want.namedCurve)
  );
}

/**
 * The algorithm and WebCrypto key that sign for this scheme: the one the form asks for (`wanted`),
 * else the scheme's first algorithm that the key can make.
 * @throws KeybenchError ERR_PARTNER_INPUT when the key signs none of them.
 */
export async function signerFor(
  scheme: Pick<RequestScheme, 'algorithms' | 'name' | 'codes'>,
  key: SignerKey,
  wanted?: AlgId,
): Promise<{ alg: AlgId; key: CryptoKey }> {
  const code = codeFor(scheme, 'cannotSign');
  if (key.kind === 'secret' && !key.secret.length) throw new KeybenchError(code, 'The HMAC secret is empty.');
  for (const alg of wanted ? [wanted] : scheme.algorithms) {
    if (key.kind === 'secret') {
      if (keyTypeOfAlg(alg) === 'secret') return { alg, key: await importHmacSigner(key.secret, alg) };
      continue;
    }
    const k = [key.privateKey, key.pssPrivateKey].find(
      (c) => c !== undefined && c.usages.includes('sign') && signs(c, alg),
    );
    if (k) return { alg, key: k };
  }
  const want = (wanted ? [wanted] : scheme.algorithms).map((a) => ALGORITHMS[a].words).join(' or ');
  throw new KeybenchError(
    code,
    `${scheme.name} signs with ${want}, which this key cannot make. Choose or generate a key of that kind (the partner's profile under Keys makes one).`,
  );
}

/** Sign the form's values with the key: the headers to send, the base, the request and curl. */
export async function signScheme<P extends Parts>(
  scheme: RequestScheme<P>,
  values: Parameters<SchemeForm['sign']>[0],
  key: SignerKey,
  nowMs: number,
): Promise<SignOutput> {
  const signer = await signerFor(scheme, key, scheme.signer.algorithm?.(values));
  const sign = async (bytes: Uint8Array<ArrayBuffer>) =>
    encodeAs(await signBytes(signer.alg, signer.key, bytes), encodingFor(scheme, signer.alg));
  const parts = await scheme.signer.parts(values, nowMs, sign, {
    alg: signer.alg,
    ...(key.kind === 'pair' ? { keyLabel: key.label } : {}),
  });
  const signature = await sign(baseBytes(scheme, parts));
  const request = scheme.signer.request(parts, signature, values);
  const shown = scheme.signer.shown?.map((n) => n.toLowerCase());
  const headers = request.headers.filter(([n]) => !shown || shown.includes(n.toLowerCase()));
  const extra = request.body ? [`  --data-raw ${shellQuote(request.body)}`] : [];
  const info = scheme.signer.info?.(values) ?? [];
  return {
    headers,
    base: scheme.base(parts),
    request,
    // A method is a token, and a token may hold characters a shell reads (' | & $): quoted unless plain.
    curl: curlCommand(
      /^[A-Z]+$/.test(request.method) ? request.method : shellQuote(request.method),
      shellQuote(request.url),
      request.headers,
      extra,
    ),
    ...(info.length ? { info } : {}),
  };
}

/** The scheme's Sign form, for the one signer view. */
export function toForm<P extends Parts>(scheme: RequestScheme<P>): SchemeForm {
  return {
    id: scheme.id,
    fields: scheme.signer.fields,
    keyTypes: [...new Set(scheme.algorithms.map(keyTypeOfAlg))],
    canSign: (keys) => scheme.algorithms.some((alg) => keys.some((k) => k !== undefined && signs(k, alg))),
    sign: (values, key, nowMs) => signScheme(scheme, values, key, nowMs),
  };
}
