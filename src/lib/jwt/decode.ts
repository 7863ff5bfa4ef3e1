import { base64urlToBytes, firstNonBase64urlChar, toHex } from '../encoding/base64url';
import type { ErrorCode } from '../errors';
import { duplicateMembers, own } from '../json';
import { plain, rich, type Rich } from '../rich';

/** One thing wrong with (or worth saying about) a token, pointing at where it is. */
export interface Diagnostic {
  code: ErrorCode;
  /** What is wrong, in parts (untrusted text apart). */
  parts: Rich;
  /** The same as plain text. */
  message: string;
  segment?: 'header' | 'payload' | 'signature' | 'token';
  /** 1-based character position inside the segment, when known. */
  position?: number;
  /** Set when the text is a public key that belongs in the Verification key box: a hint, not a failure. */
  belongs?: 'key-box';
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

function diag(
  code: ErrorCode,
  what: string | Rich,
  segment?: Diagnostic['segment'],
  position?: number,
): Diagnostic {
  const parts = typeof what === 'string' ? [what] : what;
  return { code, parts, message: plain(parts), segment, position };
}

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
  const near = at !== undefined ? rich` near ${text.slice(Math.max(0, at - 10), at + 10)}` : [];
  return diag(
    'ERR_JWT_JSON',
    [`The ${segment} is not valid JSON: `, ...rich`${msg}`, ...near, '.'],
    segment,
    at !== undefined ? at + 1 : undefined,
  );
}

/**
 * The segment without its `=` padding when the padding is exactly what base64 would add (1 or 2
 * characters making a multiple of 4), else the segment as it is. RFC 7515 says a JWS has none, but
 * SDKs sent it (google-auth for Python before 1.6, MSAL for Python's x5t) and the partners' servers
 * took it; the signature still covers the padded text, which verification keeps.
 */
function unpadded(segment: string): string {
  const m = /^([A-Za-z0-9_-]*[A-Za-z0-9_-])(={1,2})$/.exec(segment);
  return m && segment.length % 4 === 0 && (m[1]!.length % 4) + m[2]!.length === 4 ? m[1]! : segment;
}

function decodeSegment(
  segment: string,
  name: SegmentName,
  padded?: SegmentName[],
): Uint8Array<ArrayBuffer> | Diagnostic {
  const bare = unpadded(segment);
  if (bare !== segment) {
    padded?.push(name);
    segment = bare;
  }
  const bad = firstNonBase64urlChar(segment);
  if (bad >= 0) {
    const ch = segment[bad]!;
    const hint =
      ch === '+' || ch === '/'
        ? ' It uses the standard base64 alphabet; JWTs use base64url (- and _ instead of + and /).'
        : ch === '='
          ? ' JWTs use base64url without = padding.'
          : '';
    return diag(
      'ERR_JWT_BASE64URL',
      rich`The ${{ ours: name }} has a character that is not base64url: ${ch} at position ${bad + 1}.${{ ours: hint }}`,
      name,
      bad + 1,
    );
  }
  if (segment.length % 4 === 1) {
    return diag(
      'ERR_JWT_BASE64URL',
      `The ${name} is ${segment.length} characters long, which no base64url text can be (a character is missing or extra).`,
      name,
    );
  }
  return base64urlToBytes(segment);
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
      // A stack overflow on absurd nesting is reported like any other JSON error.
      return { kind: 'text', text, jsonError: jsonError('payload', text, e) };
    }
  }
  return { kind: 'text', text };
}

const SHAPE = 'A JWT is three base64url parts separated by dots (header.payload.signature).';

/** A pasted text that is not a token; `belongs` when it is a public key for the Verification key box. */
function nonToken(what: string | Rich, belongs = false): Diagnostic {
  return { ...diag('ERR_JWT_SEGMENTS', what, 'token'), ...(belongs ? { belongs: 'key-box' as const } : {}) };
}

/**
 * What a pasted text that is not a token is, and where it goes: a PEM key or certificate, an SSH
 * key, a JWK, a JWKS, or other JSON. Null when it could be a token (no token starts with `-`, `{`, `[`).
 */
function recogniseNonToken(text: string): Diagnostic | null {
  const t = text.trim();
  const pem = /^-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(t);
  if (pem) {
    const label = pem[1]!;
    const parts: string | Rich = /PRIVATE KEY/.test(label)
      ? 'This is a private key: do not paste it here. Verifying needs only its public key, in Verification key below; to sign with it, import it in Keys.'
      : label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY'
        ? 'This is a public key (PEM), not a token. Paste it in Verification key below.'
        : label === 'CERTIFICATE'
          ? 'This is a certificate (PEM), not a token. Paste it in Verification key below: its key checks the signature.'
          : label === 'CERTIFICATE REQUEST'
            ? 'This is a certificate signing request (CSR), not a token: it goes to the certificate authority.'
            : rich`This is a PEM file (${label}), not a token. ${{ ours: SHAPE }}`;
    return nonToken(parts, label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY' || label === 'CERTIFICATE');
  }
  if (/^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp\d+) AAAA/.test(t)) {
    return nonToken(
      'This is an SSH public key, not a token. Convert it to PEM (ssh-keygen -e -m PKCS8 -f key.pub) and paste that in Verification key below.',
      true,
    );
  }
  if (!t.startsWith('{') && !t.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return nonToken(`This looks like JSON, not a token. ${SHAPE}`);
  }
  if (Array.isArray(own(value, 'keys'))) {
    return nonToken('This is a JWKS (a set of keys), not a token. Paste it in Verification key below.', true);
  }
  if (typeof own(value, 'kty') !== 'string') {
    return nonToken(
      "This is JSON, not a token. A JWK goes in Verification key below; a token's header or payload alone is not a token (Sign, Test JWT makes one).",
    );
  }
  return own(value, 'd') === undefined
    ? nonToken('This is a JWK (a key in JSON), not a token. Paste it in Verification key below.', true)
    : nonToken(
        'This is a private JWK: do not paste it here. Verifying needs only its public part (without "d"), in Verification key below.',
      );
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
  const other = recogniseNonToken(input);
  if (other) {
    out.errors.push(other);
    return out;
  }
  const n = out.segments.length;
  if (n === 5) {
    out.form = 'jwe';
    const h = decodeSegment(out.segments[0]!, 'header');
    if (h instanceof Uint8Array) parseHeader(out, h);
    out.errors.push(
      diag(
        'ERR_JWT_JWE',
        "Five segments: this is an encrypted token (JWE), not a signed one. Its payload can only be read with the recipient's private key; keybench shows its header only.",
        'token',
      ),
    );
    return out;
  }
  if (n !== 3) {
    out.errors.push(
      diag(
        'ERR_JWT_SEGMENTS',
        `A JWT has three segments separated by dots (header.payload.signature); this has ${n}.${n === 2 ? ' The signature segment (and its dot) may have been cut off.' : ''}`,
        'token',
      ),
    );
    // Still decode whatever header there is, to help.
    if (n >= 1 && out.segments[0]) {
      const h = decodeSegment(out.segments[0], 'header');
      if (h instanceof Uint8Array) parseHeader(out, h);
    }
    return out;
  }
  const [hSeg, pSeg, sSeg] = out.segments as [string, string, string];
  const padded: SegmentName[] = [];
  const h = decodeSegment(hSeg, 'header', padded);
  if (h instanceof Uint8Array) parseHeader(out, h);
  else out.errors.push(h);

  const b64 = own(out.header, 'b64');
  if (b64 === false) {
    // RFC 7797: the payload segment is the raw payload, not base64url.
    out.payload = decodePayload(new TextEncoder().encode(pSeg));
  } else {
    const p = decodeSegment(pSeg, 'payload', padded);
    if (p instanceof Uint8Array) out.payload = decodePayload(p);
    else out.errors.push(p);
  }
  if (out.payload?.kind === 'json') {
    const dups = duplicateMembers(out.payload.text);
    if (dups.length) out.errors.push(duplicateError('payload', dups));
  }
  const s = decodeSegment(sSeg, 'signature', padded);
  if (s instanceof Uint8Array) out.signature = s;
  else out.errors.push(s);
  if (padded.length) {
    out.cleaned.push(
      `= padding at the end of the ${padded.join(' and ')} (RFC 7515 says a JWT has none; older SDKs sent it, and the signature still covers it)`,
    );
  }
  out.form = out.errors.length === 0 ? 'jws' : 'malformed';
  return out;
}

function parseHeader(out: DecodedToken, bytes: Uint8Array): void {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    out.errors.push(diag('ERR_JWT_HEADER', 'The header is not UTF-8 text.', 'header'));
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
    out.errors.push(diag('ERR_JWT_HEADER', 'The header is JSON but not an object.', 'header'));
    return;
  }
  out.header = value as Record<string, unknown>;
  const dups = duplicateMembers(text);
  if (dups.length) out.errors.push(duplicateError('header', dups));
  if (typeof own(out.header, 'alg') !== 'string') {
    out.errors.push(diag('ERR_JWT_HEADER', 'The header has no "alg" string.', 'header'));
  }
}

/**
 * RFC 7515 §4 and RFC 7519 §4 allow a parser to reject duplicate member names or to take the last;
 * keybench rejects, because two parsers that choose differently read two different tokens.
 */
function duplicateError(segment: 'header' | 'payload', names: string[]): Diagnostic {
  return diag(
    'ERR_JWT_DUPLICATE_MEMBER',
    [
      `The ${segment} has duplicate member name${names.length > 1 ? 's' : ''} `,
      ...names.flatMap((n, i) => (i ? [', ', { untrusted: n }] : [{ untrusted: n }])),
      `. Parsers disagree on which one counts (some take the first, some the last), so the token means different things to different verifiers; keybench refuses it.`,
    ],
    segment,
  );
}
