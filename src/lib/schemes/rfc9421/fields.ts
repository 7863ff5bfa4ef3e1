/**
 * The Sign form of RFC 9421, as data: each field's name, kind, default and help. The UI renders
 * the form from this list; nothing here knows the DOM.
 */
import type { FormField } from '../engine/types';
import { NAMES } from './algorithms';
import { DERIVED_COMPONENTS } from './components';

export type { FieldKind, FormField } from '../engine/types';

/** Headers commonly covered besides the derived components. */
const COMMON_HEADERS = ['content-type', 'content-digest', 'content-length', 'date', 'authorization'] as const;

/** The Sign form, in order. */
export const FIELDS: readonly FormField[] = [
  {
    name: 'method',
    label: 'Method',
    kind: 'choice',
    default: 'POST',
    options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    help: 'The HTTP method, signed as @method exactly as sent (case included).',
  },
  {
    name: 'url',
    label: 'URL',
    kind: 'text',
    default: 'https://example.com/foo?param=Value&Pet=dog',
    help: 'The full URL sent. @authority, @path, @query and the other derived components come from it.',
    remember: true,
  },
  {
    name: 'headers',
    label: 'Headers',
    kind: 'textarea',
    default: 'Content-Type: application/json',
    help: 'One "Name: value" per line. A header sent twice is signed as its values joined with ", ".',
  },
  {
    name: 'body',
    label: 'Body',
    kind: 'textarea',
    default: '{"hello": "world"}',
    help: 'The body exactly as sent. Cover content-digest to sign it: keybench adds the Content-Digest header.',
    when: (v) => v['method'] !== 'GET',
  },
  {
    name: 'covered',
    label: 'Covered components',
    kind: 'multi',
    default: ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'],
    options: [
      ...DERIVED_COMPONENTS.filter((c) => c !== '@query-param'),
      '@query-param;name=""',
      ...COMMON_HEADERS,
    ],
    help: 'What the signature covers, in order. Add ;sf, ;key="…" or ;bs to a header as RFC 9421 §2.1 allows.',
  },
  {
    name: 'key',
    label: 'Key pair',
    kind: 'key',
    default: '',
    help: 'A stored key (Ed25519, ECDSA P-256 or P-384, RSA) or a shared secret for hmac-sha256.',
  },
  {
    name: 'alg',
    label: 'Algorithm',
    kind: 'choice',
    default: 'from the key',
    options: ['from the key', ...NAMES],
    help: 'Taken from the key (RSA: rsa-pss-sha512); choose rsa-v1_5-sha256 for an RSA key made for it.',
  },
  {
    name: 'includeAlg',
    label: 'Include alg',
    kind: 'checkbox',
    default: true,
    help: 'Write the algorithm in Signature-Input (the alg parameter). A verifier must then use exactly it.',
  },
  {
    name: 'created',
    label: 'Created',
    kind: 'integer',
    default: 0,
    help: 'UNIX time in seconds (not milliseconds) when the signature is made; 0 means the moment you sign.',
  },
  {
    name: 'expiresIn',
    label: 'Expires in (seconds)',
    kind: 'integer',
    default: 300,
    help: 'How long the signature stays valid after created; 0 leaves expires out.',
  },
  {
    name: 'keyid',
    label: 'keyid',
    kind: 'text',
    default: '',
    help: "The key name the verifier knows your key by. Empty: the key pair's name in keybench.",
  },
  {
    name: 'nonce',
    label: 'nonce',
    kind: 'text',
    default: '',
    help: 'A unique value, when the verifier refuses replays.',
  },
  {
    name: 'tag',
    label: 'tag',
    kind: 'text',
    default: '',
    help: 'An application-specific tag the verifier expects, if any.',
  },
  {
    name: 'label',
    label: 'Label',
    kind: 'text',
    default: 'sig1',
    help: 'The signature label in Signature-Input and Signature.',
  },
  {
    name: 'digest',
    label: 'Content-Digest algorithm',
    kind: 'choice',
    default: 'sha-512',
    options: ['sha-512', 'sha-256'],
    help: 'RFC 9530 digest of the body, when content-digest is covered.',
  },
];
