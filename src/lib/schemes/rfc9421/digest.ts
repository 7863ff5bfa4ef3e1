/**
 * RFC 9530 Content-Digest: a dictionary of `algorithm=:base64 digest:` over the content as sent.
 * keybench computes and checks sha-256 and sha-512 (the two the RFC calls secure).
 */
import { parseDictionary, serializeDictionary, type Dictionary, type Parameters } from 'structured-headers';
import type { ErrorCode } from '../../errors';
import { repeatedKey } from './read';

/** The digest algorithms of RFC 9530 that keybench computes. */
export type DigestAlg = 'sha-256' | 'sha-512';

function bytesOf(body: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

/** The digest of the body (UTF-8 when text) with one algorithm. */
async function digestOf(
  alg: DigestAlg,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest(alg.toUpperCase(), bytesOf(body)));
}

/** The Content-Digest field value for a body, e.g. `sha-512=:…:`. */
export async function contentDigest(
  body: string | Uint8Array<ArrayBuffer>,
  algs: readonly DigestAlg[] = ['sha-512'],
): Promise<string> {
  const dict: Dictionary = new Map();
  for (const a of algs) dict.set(a, [(await digestOf(a, body)).buffer, new Map() as Parameters]);
  return serializeDictionary(dict);
}

/** How a Content-Digest field compares with a body. */
export type DigestCheck = { ok: true; algs: DigestAlg[] } | { ok: false; code: ErrorCode; message: string };

/** The digests a Content-Digest value declares, by algorithm (those keybench computes), or an error message. */
function parseContentDigest(value: string): Map<DigestAlg, Uint8Array> | string {
  let dict;
  try {
    dict = parseDictionary(value);
  } catch (e) {
    return `Content-Digest is not a structured-field dictionary: ${e instanceof Error ? e.message : String(e)}`;
  }
  // A server that keeps the first of a member given twice checks another digest than one that keeps
  // the last (RFC 8941), as with Content-Digest sent in two lines.
  const twice = repeatedKey(value, dict);
  if (twice !== undefined)
    return `Content-Digest gives ${twice || 'an algorithm'} twice. Servers disagree on which one counts (the first or the last), so keybench checks neither: send each algorithm once.`;
  const out = new Map<DigestAlg, Uint8Array>();
  for (const [k, member] of dict) {
    if (k !== 'sha-256' && k !== 'sha-512') continue;
    const v = member[0];
    if (!(v instanceof ArrayBuffer)) return `Content-Digest ${k} is not a byte sequence (:base64:).`;
    out.set(k, new Uint8Array(v));
  }
  return out;
}

/** The first declared digest that is not the digest of `body`, or null when all match. */
async function matches(
  parsed: Map<DigestAlg, Uint8Array>,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<DigestAlg | null> {
  for (const [alg, want] of parsed) {
    const got = await digestOf(alg, body);
    if (got.length !== want.length || got.some((x, i) => x !== want[i])) return alg;
  }
  return null;
}

/** Does the Content-Digest field match the body sent? Every sha-256/sha-512 member must. */
export async function checkContentDigest(
  value: string,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<DigestCheck> {
  const parsed = parseContentDigest(value);
  if (typeof parsed === 'string') return { ok: false, code: 'ERR_HTTPSIG_DIGEST_MALFORMED', message: parsed };
  const algs = [...parsed.keys()];
  if (algs.length === 0)
    return {
      ok: false,
      code: 'ERR_HTTPSIG_DIGEST_UNSUPPORTED',
      message: 'Content-Digest has no sha-256 or sha-512 member, the only algorithms RFC 9530 calls secure.',
    };
  const alg = await matches(parsed, body);
  if (alg === null) return { ok: true, algs };
  return {
    ok: false,
    code: 'ERR_HTTPSIG_DIGEST_MISMATCH',
    message: `Content-Digest ${alg} is not the digest of the body sent (${bytesOf(body).length} bytes): it was computed over other bytes, or the body was changed.`,
  };
}

/** Bodies a signer may have digested instead of the one sent, each with a name. */
function bodyVariants(body: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [
    { name: 'the body with a final newline', body: body + '\n' },
    { name: 'the body without its final newline', body: body.replace(/\r?\n$/, '') },
    { name: 'the body with CRLF line endings', body: body.replace(/\r?\n/g, '\r\n') },
    { name: 'the body with LF line endings', body: body.replace(/\r\n/g, '\n') },
    { name: 'an empty body', body: '' },
  ];
  try {
    const json: unknown = JSON.parse(body);
    out.push({ name: 'the JSON body compact', body: JSON.stringify(json) });
    out.push({ name: 'the JSON body pretty-printed (2 spaces)', body: JSON.stringify(json, null, 2) });
    out.push({ name: 'the JSON body pretty-printed (4 spaces)', body: JSON.stringify(json, null, 4) });
  } catch {
    // not JSON: no JSON variants
  }
  return out.filter((v, i, all) => v.body !== body && all.findIndex((w) => w.body === v.body) === i);
}

/** Which other bytes the Content-Digest was computed over, if one of the usual variants matches. */
export async function digestOtherBytes(
  value: string,
  body: string,
): Promise<{ name: string; body: string } | null> {
  const parsed = parseContentDigest(value);
  if (typeof parsed === 'string' || parsed.size === 0) return null;
  for (const v of bodyVariants(body)) if ((await matches(parsed, v.body)) === null) return v;
  return null;
}
