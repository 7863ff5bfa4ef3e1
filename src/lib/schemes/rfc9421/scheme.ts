/**
 * HTTP Message Signatures (RFC 9421), as the engine runs it. A request carries its signatures in two
 * dictionaries, Signature-Input and Signature, one member per label (§4); each label is its own
 * signature, judged on its own:
 *
 *   parts  = its signature base, line by line (§2.5): one line per covered component (§2.1–2.2,
 *            components.ts), then "@signature-params", the components and parameters as sent (§2.3)
 *   alg    = the alg parameter's algorithm (§3.3), or else every one the key fits (§3.2)
 *   key    = a trusted key; keyid chooses among them and never brings one
 *   checks = created and expires, what is covered (§7.2.1), Content-Digest (RFC 9530), alg and key
 *
 * A standard, not a partner's scheme: any server may verify it, and no profile lists it.
 */
import type { FormField } from '../../scheme/contract';
import { field, keyField, methodField } from '../../scheme/fields';
import { defineScheme } from '../../scheme/types';
import { algId, NAMES } from './algorithms';
import { checks, keyidHeld, paramsOf } from './checks';
import { DERIVED_COMPONENTS, recognise } from './components';
import { MISTAKES } from './mistakes';
import { baseLines, readSignatures, type HttpSigParts } from './read';
import { chosenAlgorithm, signedParts, signedRequest } from './sign';

/** The §3.3 algorithms keybench handles: RSA-PSS first (RFC 9421's example), then PKCS#1 v1.5, … */
const ALG_IDS = NAMES.map((n) => algId(n)!);

/** Headers commonly covered besides the derived components. */
const COMMON_HEADERS = ['content-type', 'content-digest', 'content-length', 'date', 'authorization'] as const;

/** The Sign form, in order. */
const FIELDS: readonly FormField[] = [
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

export default defineScheme<HttpSigParts>({
  id: 'rfc9421',
  name: 'HTTP Message Signatures (RFC 9421)',
  recognisedBy: 'Signature-Input and Signature headers',
  source: 'RFC 9421 (HTTP Message Signatures), RFC 9530 (Digest Fields)',
  // A standard's generic headers: any partner scheme's own header outranks them.
  recognise: (req) => (recognise(req) ? 1 : 0),
  // Each sent once: RFC 9421 combines repeated lines, but servers that read one line pick either.
  signedHeaders: ['signature-input', 'signature'],
  algorithms: ALG_IDS,
  // alg, when given, is the only algorithm; one keybench does not handle allows none.
  algorithmsOf: (parts) => {
    const alg = paramsOf(parts).alg;
    const id = algId(alg);
    return alg === undefined ? ALG_IDS : id ? [id] : [];
  },
  keyName: (parts) => paramsOf(parts).keyid,
  encoding: 'base64',
  // The key box may hold a public key or an HMAC secret (hmac-sha256).
  keyHint: 'HS256',
  read: readSignatures,
  base: baseLines,
  layout: 'lines',
  baseWords: 'the signature base (RFC 9421 §2.5)',
  checks,
  heldWith: keyidHeld,
  mistakes: MISTAKES,
  // A signature may cover many fields: each mistake gets its share of the alternatives first.
  fair: true,
  codes: {
    noSignature: 'ERR_HTTPSIG_NO_SIGNATURE',
    unreadable: 'ERR_HTTPSIG_MALFORMED',
    noKey: 'ERR_HTTPSIG_NO_KEY',
    differ: 'ERR_HTTPSIG_SIGNATURE',
    otherBytes: 'ERR_HTTPSIG_SIGNATURE',
    otherKey: 'ERR_HTTPSIG_SIGNATURE',
    padding: 'ERR_HTTPSIG_SIGNATURE',
    cannotSign: 'ERR_HTTPSIG_SIGN_INPUT',
  },
  signer: {
    fields: FIELDS,
    parts: (values, nowMs, _sign, chosen) => signedParts(values, nowMs, chosen),
    algorithm: chosenAlgorithm,
    request: signedRequest,
    shown: ['content-digest', 'signature-input', 'signature'],
  },
});
