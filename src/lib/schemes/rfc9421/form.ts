/**
 * The Sign form of HTTP Message Signatures (RFC 9421), built from the engine's pieces alone: the
 * fields are data (fields.ts), `sign` turns the values into a request and calls signRequest.
 */
import { KeybenchError } from '../../errors';
import { HTTP_TOKEN } from '../../request/text';
import { defineForm, type FieldValue, type FormValues, type SignerKey } from '../engine/types';
import { algorithmForCryptoKey, isHttpSigAlg, type HttpSigAlg } from './algorithms';
import type { DigestAlg } from './digest';
import { baseParts } from './base';
import { FIELDS } from './fields';
import { signRequest, type SignParams } from './sign';

function text(v: FieldValue | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function whole(v: FieldValue | undefined, name: string): number {
  const n = typeof v === 'number' ? v : Number(text(v).trim() || '0');
  if (!Number.isInteger(n) || n < 0)
    throw new KeybenchError('ERR_HTTPSIG_SIGN_INPUT', `${name} must be a whole number of seconds.`);
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
      throw new KeybenchError(
        'ERR_HTTPSIG_SIGN_INPUT',
        `Headers, line ${i + 1}: write one "Name: value" a line (got "${line.slice(0, 40)}").`,
      );
    out.push([name, line.slice(colon + 1).trim()]);
  }
  return out;
}

/**
 * The signature parameters the values ask for; created 0 is the signing time. An empty keyid is the
 * key pair's label: what keybench's Inspect knows a stored key by, so what keybench signed names its key.
 */
function paramsOf(values: FormValues, nowMs: number, keyLabel: string | undefined): SignParams {
  const created = whole(values['created'], 'Created') || Math.floor(nowMs / 1000);
  const expiresIn = whole(values['expiresIn'], 'Expires in');
  const optional = (name: 'keyid' | 'nonce' | 'tag') => {
    const v = text(values[name]).trim();
    return v ? { [name]: v } : {};
  };
  return {
    created,
    ...(expiresIn > 0 ? { expires: created + expiresIn } : {}),
    ...(text(values['keyid']).trim() || !keyLabel ? optional('keyid') : { keyid: keyLabel }),
    ...optional('nonce'),
    ...optional('tag'),
    alg: values['includeAlg'] !== false,
  };
}

export default defineForm({
  id: 'rfc9421',
  fields: FIELDS,
  keyTypes: ['RSA', 'EC', 'OKP', 'secret'],
  async sign(values: FormValues, key: SignerKey, nowMs: number) {
    const method = text(values['method']).trim() || 'GET';
    const url = text(values['url']).trim();
    if (!/^https?:\/\/[^/?#]+/i.test(url))
      throw new KeybenchError(
        'ERR_HTTPSIG_SIGN_INPUT',
        'The URL must be the full URL sent, with its scheme and host (https://example.com/path?query).',
      );
    const covered = Array.isArray(values['covered']) ? (values['covered'] as readonly string[]) : [];
    if (covered.length === 0)
      throw new KeybenchError('ERR_HTTPSIG_SIGN_INPUT', 'Choose at least one covered component.');
    if (key.kind === 'pair' && !algorithmForCryptoKey(key.privateKey))
      throw new KeybenchError(
        'ERR_HTTPSIG_SIGN_INPUT',
        `RFC 9421 defines no algorithm for the key "${key.label}": choose an Ed25519, ECDSA P-256 or P-384, or RSA key pair, or an HMAC secret.`,
      );
    const chosen = text(values['alg']);
    const alg: HttpSigAlg | undefined = isHttpSigAlg(chosen) ? chosen : undefined;
    const out = await signRequest({
      request: {
        method,
        url,
        headers: headerLines(text(values['headers'])),
        body: method === 'GET' ? '' : text(values['body']),
      },
      covered,
      // A structured-field string holds printable ASCII only: another label names no keyid.
      params: paramsOf(
        values,
        nowMs,
        key.kind === 'pair' && /^[\x20-\x7e]+$/.test(key.label) ? key.label : undefined,
      ),
      key: key.kind === 'secret' ? { secret: key.secret } : key.privateKey,
      ...(alg && key.kind === 'pair' ? { alg } : {}),
      label: text(values['label']).trim() || 'sig1',
      digest: (text(values['digest']) || 'sha-512') as DigestAlg,
    });
    return {
      headers: out.added,
      base: baseParts(out.base),
      request: out.request,
      curl: out.curl,
    };
  },
});
