/**
 * The Binance signature payload, as a signer builds it (issue 14): parameters form-encoded,
 * `timestamp` (and `recvWindow`) appended, payload = query string ‖ body with no separator.
 *
 * Sources (binance/binance-spot-api-docs, rest-api.md, commit a5e0bc3d):
 * - "SIGNED Endpoint Examples for POST /api/v3/order" (HMAC, RSA and Ed25519 sections): "The
 *   signature payload of your request is the query string concatenated without separator to the
 *   HTTP body. Any non-ASCII character must be percent-encoded before signing."
 * - "Timing security": `timestamp` in ms or µs; `recvWindow` default 5000, max 60000.
 * - The docs' Python example and binance-connector-python (common/src/binance_common/utils.py,
 *   `encoded_string` → `urllib.parse.urlencode`) encode parameters as
 *   application/x-www-form-urlencoded: unreserved `A-Z a-z 0-9 - _ . ~` kept, space as `+`,
 *   everything else `%XX` (upper-case hex) of UTF-8.
 */
import { KeybenchError } from '../../errors';
import type { SignedPart } from '../../partners/scheme';
import { rich } from '../../rich';

/** Binance's default and largest `recvWindow`, in ms ("Timing security"). */
export const BINANCE_DEFAULT_RECV_WINDOW = 5000;
export const BINANCE_MAX_RECV_WINDOW = 60000;

const RESERVED = new Set(['timestamp', 'recvWindow', 'signature']);

/**
 * One value as Python's `urllib.parse.urlencode` writes it (what Binance's connector sends and
 * signs): application/x-www-form-urlencoded, space as `+`, `~` kept.
 * @throws KeybenchError ERR_PARTNER_INPUT for text that is not valid Unicode (a lone surrogate).
 */
export function binanceEncode(text: string): string {
  let e: string;
  try {
    e = encodeURIComponent(text);
  } catch {
    throw new KeybenchError('ERR_PARTNER_INPUT', rich`Not valid Unicode (a lone surrogate): ${text}.`);
  }
  return e.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

function encodePairs(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${binanceEncode(k)}=${binanceEncode(v)}`).join('&');
}

/** Input to {@link binancePayload}. */
export interface BinancePayloadInput {
  /** Query parameters, in the order sent. */
  params: [string, string][];
  /** Form body parameters, in the order sent; given (even empty) means the request has a form body. */
  body?: [string, string][];
  /** Now, in ms. */
  timestampMs: number;
  /** Send `timestamp` in microseconds. */
  micro?: boolean;
  /** `recvWindow` in ms (up to three decimals); omitted: not sent, Binance uses 5000. */
  recvWindow?: number;
}

/** The query, the form body and the exact payload signed (query ‖ body, no separator). */
export interface BinancePayload {
  query: string;
  body: string;
  payload: string;
}

/** @throws KeybenchError ERR_PARTNER_INPUT for a bad timestamp, recvWindow or a reserved name. */
function checkPayloadInput(input: BinancePayloadInput): void {
  const { params, body, timestampMs, recvWindow } = input;
  if (!Number.isFinite(timestampMs) || timestampMs <= 0) {
    throw new KeybenchError('ERR_PARTNER_INPUT', 'The timestamp must be a positive time in milliseconds.');
  }
  if (
    recvWindow !== undefined &&
    (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > BINANCE_MAX_RECV_WINDOW)
  ) {
    throw new KeybenchError(
      'ERR_PARTNER_INPUT',
      `recvWindow must be more than 0 and at most ${BINANCE_MAX_RECV_WINDOW} ms (Binance's maximum).`,
    );
  }
  for (const [k] of [...params, ...(body ?? [])]) {
    if (RESERVED.has(k)) {
      throw new KeybenchError(
        'ERR_PARTNER_INPUT',
        rich`Leave out the parameter ${k}: keybench adds timestamp, recvWindow and signature itself.`,
      );
    }
  }
}

/**
 * The signature payload of a Spot API request: parameters form-encoded, `timestamp` (and
 * `recvWindow` when given) appended to the body when there is one, else to the query; payload =
 * query string ‖ body with no separator (rest-api.md, "SIGNED Endpoint Examples").
 * @throws KeybenchError ERR_PARTNER_INPUT for a bad timestamp or recvWindow, or a parameter named
 *   timestamp, recvWindow or signature (keybench adds those).
 */
export function binancePayload(input: BinancePayloadInput): BinancePayload {
  checkPayloadInput(input);
  const { params, body, timestampMs, micro, recvWindow } = input;
  const ts = micro ? Math.floor(timestampMs * 1000) : Math.floor(timestampMs);
  const added: [string, string][] = [['timestamp', String(ts)]];
  if (recvWindow !== undefined) added.push(['recvWindow', String(Math.round(recvWindow * 1000) / 1000)]);
  const q = body === undefined ? [...params, ...added] : params;
  const b = body === undefined ? [] : [...body, ...added];
  const query = encodePairs(q);
  const bodyText = encodePairs(b);
  // "the query string concatenated without separator to the HTTP body" (rest-api.md).
  return { query, body: bodyText, payload: `${query}${bodyText}` };
}

/** The payload signed, part by part, as the signer shows it (query string, then form body). */
export function payloadParts(p: BinancePayload): SignedPart[] {
  return [
    { label: 'query string', text: p.query },
    { label: 'form body', text: p.body },
  ];
}
