/**
 * The signature base of a pasted Binance request, as Binance reads it: the query string and the
 * form body split into `name=value` segments as sent, the `signature` parameter taken out, and
 * the payload the signature must cover (query ‖ body, no separator), shown part by part.
 */
import { base64ToBytes, base64urlToBytes } from '../../encoding/base64url';
import type { SignedPart } from '../../partners/scheme';
import type { ParsedRequest } from '../../request/types';

/** One `name=value` segment of a query or body, as sent. */
export interface Segment {
  raw: string;
  name: string;
}

/** Form decoding (`+` is a space); the text as it is when it holds a broken `%` escape. */
export function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The `&`-separated segments of a query string or form body. */
export function segments(text: string): Segment[] {
  if (!text) return [];
  return text.split('&').map((raw) => {
    const eq = raw.indexOf('=');
    return { raw, name: formDecode(eq < 0 ? raw : raw.slice(0, eq)) };
  });
}

/** A segment's value as sent (still encoded). */
export function valueOf(s: Segment): string {
  const eq = s.raw.indexOf('=');
  return eq < 0 ? '' : s.raw.slice(eq + 1);
}

/** Segments joined back as sent. */
export const joinSegments = (segs: readonly Segment[]): string => segs.map((s) => s.raw).join('&');

/** A request as Binance reads it, the signature parameter apart. */
export interface BinanceSent {
  /** Query and body segments as sent, without the signature. */
  q: Segment[];
  b: Segment[];
  /** The query and body as sent, with the signature (for the checks of how Binance reads them). */
  allQ: readonly Segment[];
  allB: readonly Segment[];
  /** The `signature` value as sent (still percent-encoded); undefined when there is none. */
  sigRaw?: string;
  where?: 'query' | 'body';
  /** What the signature must cover: query ‖ body as sent, minus the signature. */
  text: string;
}

/** Read a request's parameters; the signature is the last `signature` parameter, in the body first. */
export function readSent(request: ParsedRequest): BinanceSent {
  const qi = request.url.indexOf('?');
  const query = qi < 0 ? '' : request.url.slice(qi + 1).replace(/#.*$/, '');
  const q = segments(query);
  const b = segments(request.body);
  const out: BinanceSent = { q: [...q], b: [...b], allQ: q, allB: b, text: '' };
  for (const w of ['body', 'query'] as const) {
    const list = w === 'body' ? out.b : out.q;
    const i = list.map((s) => s.name).lastIndexOf('signature');
    if (i < 0) continue;
    out.sigRaw = valueOf(list[i]!);
    out.where = w;
    list.splice(i, 1);
    break;
  }
  out.text = `${joinSegments(out.q)}${joinSegments(out.b)}`;
  return out;
}

/** The payload as sent, part by part (what the signer must have signed). */
export function sentParts(sent: BinanceSent): SignedPart[] {
  return [
    { label: 'query string (without signature)', text: joinSegments(sent.q) },
    { label: 'form body (without signature)', text: joinSegments(sent.b) },
  ];
}

/**
 * The ways of reading `signature=` as bytes: `server`, as Binance reads it (form-decoded base64);
 * `literal`, a raw `+` kept as `+` (a signature sent without percent-encoding); `base64url`; `hex`,
 * an HMAC-SHA256 signature. Each only when the text is one.
 */
export interface SigReadings {
  server?: Uint8Array<ArrayBuffer>;
  literal?: Uint8Array<ArrayBuffer>;
  base64url?: Uint8Array<ArrayBuffer>;
  hex?: Uint8Array<ArrayBuffer>;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function attempt(read: () => Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | undefined {
  try {
    const bytes = read();
    return bytes.length ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function hexBytes(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(text.match(/../g)!.map((h) => parseInt(h, 16)));
}

/** Every reading of the signature parameter as sent (see {@link SigReadings}). */
export function sigReadings(raw: string): SigReadings {
  const out: SigReadings = {};
  const asServer = formDecode(raw);
  if (B64.test(asServer)) out.server = attempt(() => base64ToBytes(asServer));
  if (raw.includes('+')) {
    let literal = raw;
    try {
      literal = decodeURIComponent(raw);
    } catch {
      // Keep raw.
    }
    if (B64.test(literal)) out.literal = attempt(() => base64ToBytes(literal));
  }
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(asServer) && (/[-_]/.test(asServer) || asServer.length % 4 !== 0)) {
    out.base64url = attempt(() => base64urlToBytes(asServer.replace(/=+$/, '')));
  }
  if (/^[0-9a-fA-F]{64}$/.test(asServer)) out.hex = hexBytes(asServer);
  return out;
}
