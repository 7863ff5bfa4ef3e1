/**
 * The Sign form of HTTP Message Signatures (RFC 9421), built from the engine's pieces alone: the
 * fields are data (the UI renders them; nothing here knows the DOM), `sign` turns the values into
 * a request and calls signRequest.
 */
import { HTTP_TOKEN } from '../../request/text';
import { field, keyField, methodField } from '../../scheme/fields';
import {
  defineForm,
  type FieldValue,
  type FormField,
  type FormValues,
  type SignerKey,
} from '../../scheme/contract';
import { algorithmForCryptoKey, isHttpSigAlg, NAMES, type HttpSigAlg } from './algorithms';
import type { DigestAlg } from './digest';
import { baseParts } from './base';
import { DERIVED_COMPONENTS } from './components';
import { bad, signRequest, type SignParams } from './sign';

/** Headers commonly covered besides the derived components. */
const COMMON_HEADERS = ['content-type', 'content-digest', 'content-length', 'date', 'authorization'] as const;

/** The Sign form, in order. */
export const FIELDS: readonly FormField[] = [
  methodField(
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    'The HTTP method, signed as @method exactly as sent (case included).',
    'POST',
  ),
  field(
    'url',
    'URL',
    'text',
    'The full URL sent. @authority, @path, @query and the other derived components come from it.',
    { default: 'https://example.com/foo?param=Value&Pet=dog', remember: true },
  ),
  field(
    'headers',
    'Headers',
    'textarea',
    'One "Name: value" per line. A header sent twice is signed as its values joined with ", ".',
    { default: 'Content-Type: application/json' },
  ),
  field(
    'body',
    'Body',
    'textarea',
    'The body exactly as sent. Cover content-digest to sign it: keybench adds the Content-Digest header.',
    { default: '{"hello": "world"}', when: (v) => v['method'] !== 'GET' },
  ),
  field(
    'covered',
    'Covered components',
    'multi',
    'What the signature covers, in order. Add ;sf, ;key="…" or ;bs to a header as RFC 9421 §2.1 allows.',
    {
      default: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
      options: [
        ...DERIVED_COMPONENTS.filter((c) => c !== '@query-param'),
        '@query-param;name=""',
        ...COMMON_HEADERS,
      ],
    },
  ),
  keyField('A stored key (Ed25519, ECDSA P-256 or P-384, RSA) or a shared secret for hmac-sha256.'),
  field(
    'alg',
    'Algorithm',
    'choice',
    'Taken from the key (RSA: rsa-pss-sha512); choose rsa-v1_5-sha256 for an RSA key made for it.',
    { default: 'from the key', options: ['from the key', ...NAMES] },
  ),
  field(
    'includeAlg',
    'Include alg',
    'checkbox',
    'Write the algorithm in Signature-Input (the alg parameter). A verifier must then use exactly it.',
    { default: true },
  ),
  field(
    'created',
    'Created',
    'integer',
    'UNIX time in seconds (not milliseconds) when the signature is made; 0 means the moment you sign.',
    { default: 0 },
  ),
  field(
    'expiresIn',
    'Expires in (seconds)',
    'integer',
    'How long the signature stays valid after created; 0 leaves expires out.',
    { default: 300 },
  ),
  field(
    'keyid',
    'keyid',
    'text',
    "The key name the verifier knows your key by. Empty: the key pair's name in keybench.",
  ),
  field('nonce', 'nonce', 'text', 'A unique value, when the verifier refuses replays.'),
  field('tag', 'tag', 'text', 'An application-specific tag the verifier expects, if any.'),
  field('label', 'Label', 'text', 'The signature label in Signature-Input and Signature.', {
    default: 'sig1',
  }),
  field(
    'digest',
    'Content-Digest algorithm',
    'choice',
    'RFC 9530 digest of the body, when content-digest is covered.',
    { default: 'sha-512', options: ['sha-512', 'sha-256'] },
  ),
];

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
      throw bad(
        'The URL must be the full URL sent, with its scheme and host (https://example.com/path?query).',
      );
    const covered = Array.isArray(values['covered']) ? (values['covered'] as readonly string[]) : [];
    if (covered.length === 0) throw bad('Choose at least one covered component.');
    if (key.kind === 'pair' && !algorithmForCryptoKey(key.privateKey))
      throw bad(
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
