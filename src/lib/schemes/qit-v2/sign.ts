/**
 * QI Tech "v2" (current docs): AUTHORIZATION is a bare ES512 JWT with claims payload_md5,
 * timestamp, method and uri; the body is sent as plain JSON. The md5 covers the body bytes sent.
 * The QI DTVM variant (qi-dtvm/sign.ts) differs only in its {@link V2Variant}. The request check
 * is verify.ts.
 */
import { KeybenchError } from '../../errors';
import { curlCommand, shellQuote } from '../../partners/shell';
import { serialiseBody, type BodySerialisation } from '../../partners/body-bytes';
import { md5Hex, requireP521, signEs512 } from '../qitech/shared';
import type { SignedPart } from '../../partners/scheme';

/** What an "empty payload" (GET, DELETE, no body) hashes: "{}" (QI Tech's complete sample) or "". */
export type EmptyPayload = '{}' | '';

/** The differences between v2 and its variants. */
export interface V2Variant {
  id: 'v2' | 'qi-dtvm';
  label: string;
  /** The timestamp claim for a time. */
  timestamp(ms: number): string;
  /** What a correct timestamp claim looks like, and an example. */
  timestampPattern: RegExp;
  timestampExample: string;
  /** Whether payload_md5 is sent without a body. */
  md5WithoutBody: boolean;
  /** Claim order as the partner's samples write it. */
  claimOrder: readonly ('payload_md5' | 'timestamp' | 'method' | 'uri')[];
}

/** QI Tech v2: UTC ISO 8601 with microseconds and Z; payload_md5 always. */
export const V2: V2Variant = {
  id: 'v2',
  label: 'v2',
  // Date has milliseconds; the sample's datetime has microseconds: pad, so the form matches.
  timestamp: (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
  timestampPattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  timestampExample: '2023-06-26T19:48:32.759844Z',
  md5WithoutBody: true,
  claimOrder: ['payload_md5', 'timestamp', 'method', 'uri'],
};

/** Methods that send no body: their payload_md5 hashes the "empty payload". */
const BODYLESS = new Set(['GET', 'DELETE', 'HEAD']);

/** Whether a request of this method with this body text sends a body. */
export function sendsBody(method: string, body: string): boolean {
  return !BODYLESS.has(method.toUpperCase()) && body.trim() !== '';
}

/** Input to {@link signV2Request}. */
export interface V2SignInput {
  privateKey: CryptoKey;
  apiKey: string;
  method: string;
  /** The path (the uri claim), e.g. /test. */
  endpoint: string;
  /** JSON body text ("" for none). */
  body: string;
  serialisation: BodySerialisation;
  emptyPayload: EmptyPayload;
  timestamp: string;
  baseUrl?: string;
}

/** A signed v2 / QI DTVM request. */
export interface V2Signed {
  variant: V2Variant['id'];
  claims: Record<string, string>;
  /** The exact text payload_md5 hashes, when there is a payload_md5. */
  md5Input?: string;
  /** The exact body bytes to send, when there is a body. */
  sentBody?: string;
  token: string;
  headers: Record<string, string>;
  curl: string;
  /** Plain warnings about the bytes (e.g. they differ from JSON.stringify). */
  notes: string[];
}

/**
 * Sign a v2 (or variant) request.
 * @throws KeybenchError ERR_PARTNER_INPUT for a non-P-521 key, invalid JSON, a bad endpoint or timestamp.
 */
export async function signV2Request(variant: V2Variant, input: V2SignInput): Promise<V2Signed> {
  requireP521(input.privateKey);
  if (!input.endpoint.startsWith('/')) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The endpoint is the path, starting with "/", e.g. /test.');
  }
  if (!input.timestamp.trim()) {
    throw new KeybenchError('ERR_PARTNER_INPUT', `The timestamp is empty: e.g. ${variant.timestampExample}.`);
  }
  const method = input.method.toUpperCase();
  const notes: string[] = [];
  let sentBody: string | undefined;
  let md5Input: string | undefined;
  if (sendsBody(method, input.body)) {
    sentBody = serialiseBody(input.body, input.serialisation);
    md5Input = sentBody;
    const js = JSON.stringify(JSON.parse(input.body));
    if (sentBody !== js) {
      notes.push(
        `These bytes differ from JSON.stringify(body) (md5 ${md5Hex(js)}): a server that re-serialises the body sends other bytes, and QI Tech's md5 check fails. Your server must send exactly the body shown here.`,
      );
    }
  } else if (variant.md5WithoutBody) {
    md5Input = input.emptyPayload;
  }
  const values: Record<string, string | undefined> = {
    payload_md5: md5Input === undefined ? undefined : md5Hex(md5Input),
    timestamp: input.timestamp.trim(),
    method,
    uri: input.endpoint,
  };
  const claims: Record<string, string> = {};
  for (const name of variant.claimOrder) if (values[name] !== undefined) claims[name] = values[name]!;
  const token = await signEs512(claims, input.privateKey);
  const headers: Record<string, string> = { AUTHORIZATION: token, 'API-CLIENT-KEY': input.apiKey.trim() };
  if (sentBody !== undefined) headers['Content-Type'] = 'application/json';
  const url = input.baseUrl
    ? shellQuote(`${input.baseUrl.replace(/\/$/, '')}${input.endpoint}`)
    : `"$QITECH_BASE_URL"${shellQuote(input.endpoint)}`;
  // --data-binary sends the bytes as given (no newline stripping, no @file unless the text starts with @).
  const curl = curlCommand(
    method,
    url,
    headers,
    sentBody !== undefined ? [`  --data-binary ${shellQuote(sentBody)}`] : [],
  );
  return { variant: variant.id, claims, md5Input, sentBody, token, headers, curl, notes };
}

/** The texts a v2 request signs: the md5 input and the claims JSON. */
export function describeV2Request(s: V2Signed): SignedPart[] {
  const parts: SignedPart[] = [];
  if (s.md5Input !== undefined) parts.push({ label: 'MD5 input (the body bytes)', text: s.md5Input });
  parts.push({ label: 'JWT claims', text: JSON.stringify(s.claims) });
  return parts;
}
