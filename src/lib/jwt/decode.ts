import { base64urlToBytes, firstNonBase64urlChar, toHex } from '../encoding/base64url';
import type { ErrorCode } from '../errors';

/** One thing wrong with (or worth saying about) a token, pointing at where it is. */
export interface Diagnostic {
  code: ErrorCode;
  message: string;
  segment?: 'header' | 'payload' | 'signature' | 'token';
  /** 1-based character position inside the segment, when known. */
  position?: number;
}

/** The payload, as JSON when it is, otherwise text, otherwise hex. */
export type DecodedPayload =
  | { kind: 'json'; value: unknown; text: string }
  | { kind: 'text'; text: string; jsonError?: Diagnostic }
  | { kind: 'binary'; hex: string; length: number };

/** What `decodeToken` found. `header`/`payload` are present when their segment decoded. */
export interface DecodedToken {
  /** The token after tolerated wrapping (whitespace, `Bearer `, quotes) was removed. */
  token: string;
  /** What was tolerated and removed, to tell the user. */
  cleaned: string[];
  form: 'empty' | 'jws' | 'jwe' | 'malformed';
  segments: string[];
  header?: Record<string, unknown>;
  headerText?: string;
  payload?: DecodedPayload;
  signature?: Uint8Array<ArrayBuffer>;
  /** Why this cannot be a verifiable JWS, if it cannot. */
  errors: Diagnostic[];
}

type SegmentName = 'header' | 'payload' | 'signature';

function clean(input: string): { token: string; cleaned: string[] } {
  const cleaned: string[] = [];
  let t = input;
  if (/^\s|\s$/.test(t)) cleaned.push('surrounding whitespace');
  t = t.trim();
  // Quotes and "Bearer " come in either order ("Bearer …" copied with its quotes, or Bearer "…").
  for (let i = 0; i < 2; i++) {
    const q = /^(["'`])([\s\S]*)\1$/.exec(t);
    if (q) {
      cleaned.push('surrounding quotes');
      t = q[2]!.trim();
    }
    const bearer = /^bearer\s+/i.exec(t);
    if (bearer) {
      cleaned.push(`a leading "${bearer[0].trim()} "`);
      t = t.slice(bearer[0].length).trim();
    }
  }
  if (/\s/.test(t)) {
    cleaned.push('line breaks or spaces inside the token');
    t = t.replace(/\s+/g, '');
  }
  return { token: t, cleaned };
}

function jsonError(segment: 'header' | 'payload', text: string, e: unknown): Diagnostic {
  const msg = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(msg);
  const at = pos ? Number(pos[1]) : undefined;
  const near = at !== undefined ? ` near ${JSON.stringify(text.slice(Math.max(0, at - 10), at + 10))}` : '';
  return {
    code: 'ERR_JWT_JSON',
    segment,
    position: at !== undefined ? at + 1 : undefined,
    message: `The ${segment} is not valid JSON: ${msg}${near}.`,
  };
}

function decodeSegment(segment: string, name: SegmentName): Uint8Array<ArrayBuffer> | Diagnostic {
  const bad = firstNonBase64urlChar(segment);
  if (bad >= 0) {
    const ch = segment[bad]!;
    const hint =
      ch === '+' || ch === '/'
        ? ' It uses the standard base64 alphabet; JWTs use base64url (- and _ instead of + and /).'
        : ch === '='
          ? ' JWTs use base64url without = padding.'
          : '';
    return {
      code: 'ERR_JWT_BASE64URL',
      segment: name,
      position: bad + 1,
      message: `The ${name} has a character that is not base64url: ${JSON.stringify(ch)} at position ${bad + 1}.${hint}`,
    };
  }
  try {
    return base64urlToBytes(segment);
  } catch {
    return {
      code: 'ERR_JWT_BASE64URL',
      segment: name,
      message: `The ${name} is ${segment.length} characters long, which no base64url text can be (a character is missing or extra).`,
    };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodePayload(bytes: Uint8Array): DecodedPayload {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'binary', hex: toHex(bytes.subarray(0, 4096), ' '), length: bytes.length };
  }
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return { kind: 'json', value: JSON.parse(text), text };
    } catch (e) {
      return { kind: 'text', text, jsonError: jsonError('payload', text, e) };
    }
  }
  return { kind: 'text', text };
}

/**
 * Decode a compact JWS/JWT (or recognise a JWE) for display. **Does not verify anything.**
 * Never throws: every problem is returned in `errors`, pointing at the segment and position.
 */
export function decodeToken(input: string): DecodedToken {
  const { token, cleaned } = clean(input);
  const out: DecodedToken = { token, cleaned, form: 'malformed', segments: token.split('.'), errors: [] };
  if (!token) {
    out.form = 'empty';
    return out;
  }
  const n = out.segments.length;
  if (n === 5) {
    out.form = 'jwe';
    const h = decodeSegment(out.segments[0]!, 'header');
    if (h instanceof Uint8Array) parseHeader(out, h);
    out.errors.push({
      code: 'ERR_JWT_JWE',
      segment: 'token',
      message:
        "Five segments: this is an encrypted token (JWE), not a signed one. Its payload can only be read with the recipient's private key; keybench shows its header only.",
    });
    return out;
  }
  if (n !== 3) {
    out.errors.push({
      code: 'ERR_JWT_SEGMENTS',
      segment: 'token',
      message: `A JWT has three segments separated by dots (header.payload.signature); this has ${n}.${n === 2 ? ' The signature segment (and its dot) may have been cut off.' : ''}`,
    });
    // Still decode whatever header there is, to help.
    if (n >= 1 && out.segments[0]) {
      const h = decodeSegment(out.segments[0], 'header');
      if (h instanceof Uint8Array) parseHeader(out, h);
    }
    return out;
  }
  const [hSeg, pSeg, sSeg] = out.segments as [string, string, string];
  const h = decodeSegment(hSeg, 'header');
  if (h instanceof Uint8Array) parseHeader(out, h);
  else out.errors.push(h);

  const b64 = out.header?.b64;
  if (b64 === false) {
    // RFC 7797: the payload segment is the raw payload, not base64url.
    out.payload = decodePayload(new TextEncoder().encode(pSeg));
  } else {
    const p = decodeSegment(pSeg, 'payload');
    if (p instanceof Uint8Array) out.payload = decodePayload(p);
    else out.errors.push(p);
  }
  const s = decodeSegment(sSeg, 'signature');
  if (s instanceof Uint8Array) out.signature = s;
  else out.errors.push(s);
  out.form = out.errors.length === 0 ? 'jws' : 'malformed';
  return out;
}

function parseHeader(out: DecodedToken, bytes: Uint8Array): void {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    out.errors.push({ code: 'ERR_JWT_HEADER', segment: 'header', message: 'The header is not UTF-8 text.' });
    return;
  }
  out.headerText = text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    out.errors.push(jsonError('header', text, e));
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.errors.push({
      code: 'ERR_JWT_HEADER',
      segment: 'header',
      message: 'The header is JSON but not an object.',
    });
    return;
  }
  out.header = value as Record<string, unknown>;
  if (typeof out.header.alg !== 'string') {
    out.errors.push({
      code: 'ERR_JWT_HEADER',
      segment: 'header',
      message: 'The header has no "alg" string.',
    });
  }
}
