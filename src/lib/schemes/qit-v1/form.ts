/**
 * QI Tech QIT (v1)'s Sign form as data: AUTHORIZATION: QIT <api key>:<ES512 JWT over the string to
 * sign>, the body sent as {"encoded_body": <JWS>}. Where the clients disagree, the form offers both.
 */
import { defineForm, type FieldValue, type FormValues } from '../engine/types';
import { KeybenchError } from '../../errors';
import { describeQitRequest, rfc1123Date, signQitRequest } from './sign';
import { QIT_API_KEY, QIT_LEAD } from '../qit-v2/form';

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '');
const isGet = (v: FormValues) => v['method'] === 'GET';
/** The content type line of a request without a body (the clients disagree). */
export const GET_CONTENT_TYPES = [
  'empty (qitech-wrapper, Clojure client; default)',
  'application/json (Elixir client)',
] as const;
/** The endpoint line: with its query string or the path only (the clients disagree). */
export const ENDPOINT_LINES = [
  'with its query string (qitech-wrapper 0.1.9 and later, Elixir client; default)',
  'path only (qitech-wrapper 0.1.8, Clojure client)',
] as const;

export default defineForm({
  id: 'qit-v1',
  keyTypes: ['EC'],
  fields: [
    ...QIT_LEAD,
    {
      name: 'body',
      label: 'Body',
      kind: 'textarea',
      default: '{"name":"QI Tech"}',
      when: (v) => !isGet(v),
      help: 'The JSON body: keybench sends it as encoded_body, a JWS.',
    },
    {
      name: 'getContentType',
      label: 'Content type line for requests without a body (the clients disagree)',
      kind: 'choice',
      default: GET_CONTENT_TYPES[0],
      options: GET_CONTENT_TYPES,
      when: isGet,
      help: 'The third line of the string to sign for a GET.',
    },
    {
      name: 'endpointLine',
      label: 'Endpoint line',
      kind: 'choice',
      default: ENDPOINT_LINES[0],
      options: ENDPOINT_LINES,
      help: 'The last line of the string to sign.',
    },
    {
      name: 'date',
      label: 'Date',
      kind: 'text',
      default: (now) => rfc1123Date(now),
      help: 'RFC 1123, GMT, e.g. Mon, 26 Jun 2023 19:48:32 GMT.',
    },
    QIT_API_KEY,
  ],
  async sign(values, key) {
    if (key.kind !== 'pair')
      throw new KeybenchError('ERR_PARTNER_INPUT', 'QI Tech signs with a P-521 key pair.');
    const method = str(values['method']) || 'POST';
    const r = await signQitRequest({
      privateKey: key.privateKey,
      apiKey: str(values['apiKey']).trim(),
      method,
      endpoint: str(values['endpoint']).trim(),
      body: method === 'GET' ? '' : str(values['body']),
      date: str(values['date']).trim(),
      options: {
        getContentType: values['getContentType'] === GET_CONTENT_TYPES[1] ? 'application/json' : '',
        endpointWithQuery: values['endpointLine'] !== ENDPOINT_LINES[1],
      },
    });
    return {
      headers: Object.entries(r.headers),
      base: [{ label: 'MD5 of encoded_body', text: r.md5 }, ...describeQitRequest(r)],
      request: {
        method,
        url: str(values['endpoint']).trim(),
        headers: Object.entries(r.headers),
        body: r.sentBody ?? '',
      },
      curl: r.curl,
    };
  },
});
