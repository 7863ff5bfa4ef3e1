/**
 * Qredo's Sign form as data: x-sign = RS256 over timestamp (or nonce) ‖ URL ‖ body, exactly as
 * sent. The API key's "remember" choice and its notes are the Qredo panel's (features/sign/panels).
 */
import { defineForm, type FieldValue, type FormValues } from '../engine/types';
import { qredoNonce, qredoTimestamp, signQredoRequest, type QredoAuthHeader } from './sign';
import { KeybenchError } from '../../errors';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : '');
const withBody = (v: FormValues) => v['method'] !== 'GET';

/** The body exactly as signed and sent: none for GET; a text box cannot hold \r, so CRLF is a choice. */
export function qredoBodyBytes(values: FormValues): string {
  if (!withBody(values)) return '';
  const body = str(values['body']);
  return values['crlf'] === true ? `${body.replace(/\n$/, '')}\r\n` : body;
}

export default defineForm({
  id: 'qredo',
  keyTypes: ['RSA'],
  fields: [
    {
      name: 'key',
      label: 'Key pair',
      kind: 'key',
      default: '',
      help: 'An RSA-2048 key pair: Qredo signs with RS256.',
    },
    {
      name: 'method',
      label: 'Method',
      kind: 'choice',
      default: 'GET',
      options: METHODS,
      help: 'The HTTP method sent (it is not signed).',
    },
    {
      name: 'url',
      label: 'URL',
      kind: 'text',
      default: 'https://play-api.qredo.network/api/v1/p/company',
      remember: true,
      help: 'The full URL as sent, with scheme, host, path and query string; no trailing slash added.',
    },
    {
      name: 'body',
      label: 'Body',
      kind: 'textarea',
      default: '',
      when: withBody,
      help: 'The signed bytes must equal the sent bytes: send exactly this text.',
    },
    {
      name: 'crlf',
      label: 'End with a Windows line break (\\r\\n), as a file saved with CRLF would',
      kind: 'checkbox',
      default: false,
      when: withBody,
      help: 'A text box cannot hold \\r: tick this to sign (and send) a body that ends in CRLF.',
    },
    {
      name: 'authHeader',
      label: 'Signed value header',
      kind: 'choice',
      default: 'x-timestamp',
      options: ['x-timestamp', 'x-nonce'],
      help: "x-timestamp: Unix seconds (default); x-nonce: a value used once, in place of x-timestamp (Qredo's docs allow either).",
    },
    {
      name: 'timestamp',
      label: 'Timestamp',
      kind: 'text',
      default: (now) => qredoTimestamp(now),
      when: (v) => v['authHeader'] !== 'x-nonce',
      help: 'Unix time in seconds (10 digits), close to now: Qredo refuses a stale one.',
    },
    {
      name: 'nonce',
      label: 'Nonce',
      kind: 'text',
      default: (now) => qredoNonce(now),
      when: (v) => v['authHeader'] === 'x-nonce',
      help: 'A value used once, sent as x-nonce; no spaces.',
    },
    {
      name: 'apiKey',
      label: 'API key',
      kind: 'text',
      default: '',
      help: 'Your Qredo API key, sent as x-api-key (it is not signed).',
    },
  ],
  async sign(values, key) {
    if (key.kind !== 'pair')
      throw new KeybenchError('ERR_PARTNER_INPUT', 'Qredo signs with an RSA key pair.');
    const method = str(values['method']) || 'GET';
    const authHeader = (values['authHeader'] === 'x-nonce' ? 'x-nonce' : 'x-timestamp') as QredoAuthHeader;
    const body = qredoBodyBytes(values);
    const value = str(authHeader === 'x-nonce' ? values['nonce'] : values['timestamp']).trim();
    const url = str(values['url']).trim();
    const r = await signQredoRequest({
      privateKey: key.privateKey,
      method,
      url,
      body,
      timestamp: value,
      apiKey: str(values['apiKey']),
      authHeader,
    });
    const headers = Object.entries(r.headers) as [string, string][];
    return {
      headers,
      base: [
        { label: authHeader === 'x-nonce' ? 'nonce' : 'timestamp', text: r.timestamp },
        { label: 'URL', text: url },
        { label: 'body', text: body },
      ],
      request: {
        method,
        url,
        headers: body ? [...headers, ['Content-Type', 'application/json']] : headers,
        body,
      },
      curl: r.curl,
      notes: r.warnings.map((w) => [w]),
    };
  },
});
