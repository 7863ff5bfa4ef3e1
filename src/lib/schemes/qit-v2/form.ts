/**
 * QI Tech v2's Sign form as data: an ES512 JWT in AUTHORIZATION over payload_md5, timestamp, method
 * and uri. `v2Form` also makes QI DTVM's form (qi-dtvm/form.ts): the variant says what differs.
 */
import {
  defineForm,
  type FieldValue,
  type FormField,
  type FormValues,
  type SchemeForm,
} from '../engine/types';
import { KeybenchError } from '../../errors';
import { SERIALISATIONS } from '../../partners/body-bytes';
import { describeV2Request, signV2Request, V2, type V2Variant } from './sign';

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const bodyless = (v: FormValues) => v['method'] === 'GET' || v['method'] === 'DELETE';
/** The payload_md5 choices for a request without a body. */
export const EMPTY_PAYLOADS = [
  'md5("{}") (QI Tech\'s complete sample; default)',
  'md5("") (no bytes)',
] as const;

/** The fields every QI Tech scheme shares, first: key, method, endpoint. */
export const QIT_LEAD: readonly FormField[] = [
  {
    name: 'key',
    label: 'Key pair',
    kind: 'key',
    default: '',
    help: 'A P-521 key pair: QI Tech signs with ES512.',
  },
  {
    name: 'method',
    label: 'Method',
    kind: 'choice',
    default: 'POST',
    options: METHODS,
    help: 'The HTTP method, signed.',
  },
  {
    name: 'endpoint',
    label: 'Endpoint',
    kind: 'text',
    default: '/test',
    remember: true,
    help: 'The path sent, starting with "/", with any query string.',
  },
];

/** The API key field every QI Tech scheme ends with. */
export const QIT_API_KEY: FormField = {
  name: 'apiKey',
  label: 'API key',
  kind: 'text',
  default: '',
  help: 'Your integration key (a UUID), sent as API-CLIENT-KEY.',
};

/** The form of v2 or a variant of it (QI DTVM). */
export function v2Form(id: 'qit-v2' | 'qi-dtvm', variant: V2Variant): SchemeForm {
  return defineForm({
    id,
    keyTypes: ['EC'],
    fields: [
      ...QIT_LEAD,
      {
        name: 'body',
        label: 'Body',
        kind: 'textarea',
        default: '{"name":"QI Tech"}',
        when: (v) => !bodyless(v),
        help: 'The JSON body.',
      },
      {
        name: 'serialisation',
        label: 'Body bytes to send (payload_md5 covers exactly these)',
        kind: 'choice',
        default: SERIALISATIONS[0]!.label,
        options: SERIALISATIONS.map((s) => s.label),
        when: (v) => !bodyless(v),
        help: "QI Tech hashes the bytes it receives. Its samples hash Python's json.dumps(body); a JavaScript server sends JSON.stringify(body). Pick what your server will send: it must send those same bytes.",
      },
      ...(variant.md5WithoutBody
        ? [
            {
              name: 'emptyPayload',
              label: 'payload_md5 of a request without a body',
              kind: 'choice',
              default: EMPTY_PAYLOADS[0],
              options: EMPTY_PAYLOADS,
              when: bodyless,
              help: 'What payload_md5 hashes when no body is sent.',
            } satisfies FormField,
          ]
        : []),
      {
        name: 'timestamp',
        label: 'Timestamp',
        kind: 'text',
        default: (now) => variant.timestamp(now),
        help: `UTC, e.g. ${variant.timestampExample}.`,
      },
      QIT_API_KEY,
    ],
    async sign(values, key) {
      if (key.kind !== 'pair')
        throw new KeybenchError('ERR_PARTNER_INPUT', 'QI Tech signs with a P-521 key pair.');
      const method = str(values['method']) || 'POST';
      const serialisation =
        SERIALISATIONS.find((s) => s.label === values['serialisation']) ?? SERIALISATIONS[0]!;
      const r = await signV2Request(variant, {
        privateKey: key.privateKey,
        apiKey: str(values['apiKey']),
        method,
        endpoint: str(values['endpoint']).trim(),
        body: str(values['body']),
        serialisation: serialisation.id,
        emptyPayload: values['emptyPayload'] === EMPTY_PAYLOADS[1] ? '' : '{}',
        timestamp: str(values['timestamp']).trim(),
      });
      return {
        headers: Object.entries(r.headers),
        base: describeV2Request(r).map((p) => ({ label: p.label, text: p.text })),
        request: {
          method: method.toUpperCase(),
          url: str(values['endpoint']).trim(),
          headers: Object.entries(r.headers),
          body: r.sentBody ?? '',
        },
        curl: r.curl,
        // The bytes shown are the bytes signed: that a server sending others fails is information.
        info: r.notes.map((n) => [n]),
      };
    },
  });
}

export default v2Form('qit-v2', V2);
