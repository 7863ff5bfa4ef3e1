/**
 * Signing a request with HTTP Message Signatures (RFC 9421), as the engine's signer: the form's
 * method, URL, headers, body, covered components and parameters → Content-Digest (when covered and
 * absent) → the signature base (§2.5) as parts → Signature-Input and Signature. The engine signs.
 */
import { parseItem, type Item, type Parameters } from 'structured-headers';
import type { AlgId } from '../../crypto/algorithms';
import { KeybenchError } from '../../errors';
import { HTTP_TOKEN } from '../../request/text';
import type { ParsedRequest } from '../../request/types';
import { rich } from '../../rich';
import type { FieldValue, FormValues } from '../../scheme/contract';
import type { SignedWith } from '../../scheme/types';
import { ALGORITHMS, algId, NAMES } from './algorithms';
import { buildBase } from './base';
import { fieldLines } from './components';
import { contentDigest, type DigestAlg } from './digest';
import { PARAMS, partsOf, type HttpSigParts } from './read';

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

function text(v: FieldValue | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function whole(v: FieldValue | undefined, name: string): number {
  const n = typeof v === 'number' ? v : Number(text(v).trim() || '0');
  if (!Number.isInteger(n) || n < 0) throw bad(`${name} must be a whole number of seconds.`);
  return n;
}

/**
 * "Name: value" lines → header pairs, in order (a header twice stays twice).
 * @throws KeybenchError ERR_HTTPSIG_SIGN_INPUT for a line without a name and a colon.
 */
export function headerLines(textValue: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, line] of textValue.split('\n').entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon <= 0 || !HTTP_TOKEN.test(name))
      throw bad(`Headers, line ${i + 1}: write one "Name: value" a line (got "${line.slice(0, 40)}").`);
    out.push([name, line.slice(colon + 1).trim()]);
  }
  return out;
}

/**
 * The signature parameters (§2.3) the values ask for, in the order of the RFC's examples; created 0
 * is the signing time. An empty keyid is the key pair's label (what keybench's Inspect knows a stored
 * key by, so what keybench signed names its key).
 */
function paramsOf(values: FormValues, nowMs: number, chosen: SignedWith): Parameters {
  const created = whole(values['created'], 'Created') || Math.floor(nowMs / 1000);
  const expiresIn = whole(values['expiresIn'], 'Expires in');
  for (const v of [created, created + expiresIn])
    if (v > 1e11) throw bad('created must be a UNIX time in whole seconds (not milliseconds).');
  const optional = (name: string) => text(values[name]).trim() || undefined;
  const label = chosen.keyLabel ?? '';
  // A structured-field string holds printable ASCII only: another label names no keyid.
  const keyid = optional('keyid') ?? (/^[\x20-\x7e]+$/.test(label) ? label : undefined);
  const name = NAMES.find((n) => ALGORITHMS[n].id === chosen.alg);
  const all = {
    created,
    expires: expiresIn > 0 ? created + expiresIn : undefined,
    keyid,
    nonce: optional('nonce'),
    alg: values['includeAlg'] !== false ? name : undefined,
    tag: optional('tag'),
  };
  return new Map(Object.entries(all).filter(([, v]) => v !== undefined)) as Parameters;
}

/** The request the values describe, before the signature's headers. */
function requestOf(values: FormValues): Pick<ParsedRequest, 'method' | 'url' | 'headers' | 'body'> {
  const method = text(values['method']).trim() || 'GET';
  const url = text(values['url']).trim();
  if (!/^https?:\/\/[^/?#]+/i.test(url))
    throw bad(
      'The URL must be the full URL sent, with its scheme and host (https://example.com/path?query).',
    );
  return {
    method,
    url,
    headers: headerLines(text(values['headers'])),
    body: method === 'GET' ? '' : text(values['body']),
  };
}

/** The algorithm the form asks for, when it names one. */
export function chosenAlgorithm(values: FormValues): AlgId | undefined {
  return algId(text(values['alg']));
}

/**
 * The parts of the signature the values ask for (its base, line by line), with `label` and the
 * Content-Digest keybench adds (`digest`, when content-digest is covered and the request has none).
 * @throws KeybenchError ERR_HTTPSIG_SIGN_INPUT (a component, parameter or label), or the component's
 * own code when the request lacks a covered component.
 */
export async function signedParts(
  values: FormValues,
  nowMs: number,
  chosen: SignedWith = {},
): Promise<HttpSigParts> {
  const req = requestOf(values);
  const label = text(values['label']).trim() || 'sig1';
  if (!/^[a-z*][a-z0-9_.*-]*$/.test(label))
    throw bad(rich`${label} is not a valid label (lower case, e.g. sig1).`);
  const listed = Array.isArray(values['covered']) ? (values['covered'] as readonly string[]) : [];
  if (listed.length === 0) throw bad('Choose at least one covered component.');
  const covered = listed.map(parseComponentId);
  const params = paramsOf(values, nowMs, chosen);
  const adds = covered.some((c) => c[0] === 'content-digest') && !fieldLines(req, 'content-digest').length;
  const digest = adds
    ? await contentDigest(req.body, [(text(values['digest']) || 'sha-512') as DigestAlg])
    : '';
  const headers: [string, string][] = digest ? [...req.headers, ['Content-Digest', digest]] : req.headers;
  const built = buildBase({ ...req, headers }, covered, params);
  if (!built.ok) throw new KeybenchError(built.code, built.parts);
  return { ...partsOf(built.base, label), ...(digest ? { digest } : {}) };
}

/** The request as sent: the values' own headers, then Content-Digest (if added), Signature-Input, Signature. */
export function signedRequest(parts: HttpSigParts, signature: string, values: FormValues) {
  const req = requestOf(values);
  const label = parts['label'] ?? 'sig1';
  const added: [string, string][] = [
    ...(parts['digest'] ? [['Content-Digest', parts['digest']] as [string, string]] : []),
    ['Signature-Input', `${label}=${parts[PARAMS] ?? '()'}`],
    ['Signature', `${label}=:${signature}:`],
  ];
  return { ...req, headers: [...req.headers, ...added] };
}
