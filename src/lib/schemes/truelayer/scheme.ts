/**
 * TrueLayer request signing v2: `Tl-Signature` is a detached JWS, `header..signature`, ES512 (raw r‖s,
 * base64url), header `{"alg":"ES512","kid":…,"tl_version":"2","tl_headers":"Idempotency-Key,…"}`,
 * payload `METHOD /path\n` + `Name: value\n` per tl_headers name (its order, its case) + the body;
 * signed: base64url(header) "." base64url(payload). The key is the user's own (the request goes TO
 * TrueLayer, which finds it by kid): a `jwk` or `jku` in the header never supplies one.
 *
 * Sources: truelayer-signing (npm) lib/lib.js `buildV2SigningPayload`, `createJwsHeader`, `verify`
 * (it also accepts the path with or without a trailing slash), lib/headers.js `retainAndSort`;
 * TrueLayer/truelayer-signing request-signing-v2.md. Where its SDKs disagree, the request is not verified.
 */
import { field, keyField, methodField, text } from '../../scheme/fields';
import { textToBase64url, base64urlToBytes } from '../../encoding/base64url';
import { KeybenchError, type ErrorCode } from '../../errors';
import { signedHeaderProblem } from '../../request/doctor-refusals';
import { header, type ParsedRequest } from '../../request/types';
import { duplicateMembers } from '../../json';
import { rich, type Rich } from '../../rich';
import { bodyReformatted, fullUrl, methodCase, pathAndQuery, querySigned } from '../../scheme/mistakes';
import { methodSent, requiredHeaders, signatureEncoding } from '../../scheme/mistakes';
import { defineScheme, type SchemeMistake, type SchemeRefusal } from '../../scheme/types';
import { problem, type Finding } from '../../trust/finding';

type TlParts = {
  header: string; // the JWS header, base64url, as sent (signed as it is)
  kid: string;
  tlHeaders: string;
  embedded: string; // key members the header carries (jwk, jku …), never used
  method: string;
  path: string;
  headers: string; // `Name: value\n` for each header tl_headers lists
  body: string;
};

const names = (tlHeaders: string) => tlHeaders.split(',').filter(Boolean);
const lines = (list: readonly string[], req: Pick<ParsedRequest, 'headers'>, name = (n: string) => n) =>
  list.map((n) => `${name(n)}: ${header(req, n) ?? ''}\n`).join('');
/** Headers no signer puts in the payload (the signature itself, what the client library adds). */
const NEVER_SIGNED = new Set(['tl-signature', 'host', 'content-length', 'authorization', 'user-agent']);
const EMPTY = { header: '', kid: '', tlHeaders: '', embedded: '', headers: '' };
const HOST = 'https://api.truelayer-sandbox.com';
// The kid and Idempotency-Key of TrueLayer's request-signing-v2.md.
const EXAMPLE = {
  kid: '9f2b7bd6-c055-40b5-b616-120ccfd33c49',
  idempotencyKey: '619410b3-b00c-406e-bb1b-2982f97edb8b',
};
const uuid = () => crypto.randomUUID();
const payloadOf = (p: TlParts) => `${p.method} ${p.path}\n${p.headers}${p.body}`;

/** The JWS header's JSON object, or undefined when it is not base64url JSON. */
function headerJson(segment: string): Record<string, unknown> | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(segment));
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? { ...json } : undefined;
  } catch {
    return undefined;
  }
}

/** Why TrueLayer cannot read a Tl-Signature (split at its dots), before any key is tried. */
function refusal(jws: readonly string[], json: Record<string, unknown> | undefined): SchemeRefusal | null {
  const no = (code: ErrorCode, words: Rich) => ({ code, words });
  const [alg, version] = [String(json?.['alg']), JSON.stringify(json?.['tl_version']) ?? 'missing'];
  if (jws.length !== 3) return no('ERR_JWT_SEGMENTS', rich`Tl-Signature is not header..signature.`);
  if (jws[1]) return no('ERR_JWT_SEGMENTS', rich`Tl-Signature carries a payload: send header..signature.`);
  if (/\s/.test(jws[2]!)) return no('ERR_JWT_BASE64URL', rich`Tl-Signature holds a space: ${jws[2]!}.`);
  if (!json) return no('ERR_JWT_JSON', rich`The header of Tl-Signature is not base64url JSON: ${jws[0]!}.`);
  // Node's SDK reads the last of a member named twice, Rust's refuses the header: never verified.
  const member = duplicateMembers(new TextDecoder().decode(base64urlToBytes(jws[0]!)))[0];
  if (member) return no('ERR_JWT_HEADER', rich`The JWS header has ${member} twice: write it once.`);
  if (alg !== 'ES512') return no('ERR_JWT_ALG_UNSUPPORTED', rich`alg is ${alg}; TrueLayer wants ES512.`);
  if (version !== '"2"') return no('ERR_JWT_HEADER', rich`tl_version is ${version}; TrueLayer wants "2".`);
  if (typeof (json['tl_headers'] ?? '') !== 'string')
    return no('ERR_JWT_HEADER', rich`tl_headers is not text: list the signed header names, comma-separated.`);
  const twice = names(String(json['tl_headers'] ?? '').toLowerCase()).find((n, i, a) => a.indexOf(n) !== i);
  if (twice) return no('ERR_JWT_HEADER', rich`tl_headers lists ${twice} twice: list each header once.`);
  return null;
}

/** The ECDSA signature sent as DER (node:crypto's and OpenSSL's default) where a JWS carries r‖s. */
const derSignature: SchemeMistake<TlParts> = {
  code: 'ERR_JWT_ECDSA_DER',
  title: 'Signature in DER instead of raw r‖s',
  explanation:
    'The signer sent the ECDSA signature DER-encoded (what OpenSSL, Java and node:crypto make by default); a JWS carries the raw 132-byte r‖s.',
  remedy: "Write the signature as raw r‖s: node:crypto's dsaEncoding 'ieee-p1363', or a JOSE library.",
  *variants() {
    yield { der: true, part: 'signature', signed: 'DER', sent: 'raw r‖s (132 bytes)' };
  },
};

/** A header's line signed in the payload while tl_headers leaves its name out. */
const headerNotListed: SchemeMistake<TlParts> = {
  code: 'ERR_SCHEME_HEADER_UNSIGNED',
  title: 'A header signed but left out of tl_headers',
  explanation:
    'The signer put a header’s line in the payload but did not list its name in tl_headers; TrueLayer rebuilds the payload from the headers tl_headers lists, and no others.',
  remedy: 'Build tl_headers and the payload’s header lines from one list, in one order (as the SDK does).',
  *variants(parts, request) {
    const listed = new Set(names(parts.tlHeaders).map((n) => n.toLowerCase()));
    for (const [n, v] of request.headers) {
      if (listed.has(n.toLowerCase()) || NEVER_SIGNED.has(n.toLowerCase())) continue;
      for (const signed of [`${parts.headers}${n}: ${v}\n`, `${n}: ${v}\n${parts.headers}`])
        yield { parts: { headers: signed }, part: 'signed headers', signed, sent: parts.headers };
    }
  },
};

/** The header lines written otherwise than tl_headers says: names in lower case, or left out. */
const headerLines: SchemeMistake<TlParts> = {
  code: 'ERR_TRUELAYER_HEADER_LINES',
  title: 'Header lines signed otherwise than tl_headers lists them',
  explanation:
    'The signer wrote the header names in the payload in lower case (as HTTP libraries hand them over), or left the lines out; TrueLayer puts one line per tl_headers name, spelled as listed, between the path and the body.',
  remedy: 'After "METHOD /path\\n", add "Name: value\\n" for each name in tl_headers, as spelled there.',
  *variants(parts, request) {
    const lower = lines(names(parts.tlHeaders), request, (n) => n.toLowerCase());
    for (const signed of new Set([lower, '']))
      if (signed !== parts.headers)
        yield { parts: { headers: signed }, part: 'signed headers', signed, sent: parts.headers };
  },
};

/** The request's own values TrueLayer checks besides the signature. */
function checks(p: TlParts, req: ParsedRequest): Finding[] {
  if (!p.header) return [];
  const out: Finding[] = [...requiredHeaders(req, ['Idempotency-Key']), ...methodSent(req)];
  const say = (code: ErrorCode, severity: 'error' | 'warning' | 'info', label: string, words: Rich) =>
    out.push(problem('headers', code, severity, label, words));
  const listed = names(p.tlHeaders).map((n) => n.toLowerCase());
  if (header(req, 'idempotency-key') !== undefined && !listed.includes('idempotency-key'))
    say('ERR_SCHEME_HEADER_UNSIGNED', 'error', 'tl_headers', [
      'TrueLayer refuses it: Idempotency-Key is sent but not signed. List it in tl_headers and sign its line.',
    ]);
  if (header(req, 'idempotency-key')?.trim() === '')
    say('ERR_SCHEME_HEADER_VALUE', 'error', 'Idempotency-Key', ['It is empty: send a fresh key.']);
  for (const n of names(p.tlHeaders).filter((n) => header(req, n) === undefined))
    if (n.toLowerCase() !== 'idempotency-key')
      say('ERR_SCHEME_HEADER_MISSING', 'error', n, rich`tl_headers lists ${n}; it is not sent.`);
  if (!p.kid) say('ERR_JWT_HEADER', 'error', 'kid', ['No kid in the header: add the kid Console shows.']);
  if (p.embedded)
    say('ERR_JWT_EMBEDDED_KEY_ONLY', 'info', 'header', [
      `The header carries ${p.embedded}: never used. Only your stored keys were tried; TrueLayer uses the kid.`,
    ]);
  return out;
}

export default defineScheme<TlParts>({
  id: 'truelayer',
  name: 'TrueLayer',
  partner: 'truelayer',
  recognisedBy: 'Tl-Signature (a detached JWS: header..signature)',
  source:
    'truelayer-signing (npm) lib/lib.js buildV2SigningPayload, createJwsHeader, verify; TrueLayer/truelayer-signing request-signing-v2.md',
  recognise: (req) => (header(req, 'tl-signature') !== undefined ? 3 : 0),
  signedHeaders: ['tl-signature', 'idempotency-key'],
  algorithms: ['ES512'],
  encoding: 'base64url',
  keyHint: 'ES512',
  read(req) {
    const { path } = pathAndQuery(req.url);
    const asSent = { ...EMPTY, method: req.method.toUpperCase(), path, body: req.body };
    const jws = (header(req, 'tl-signature')?.trim() ?? '').split('.');
    if (!jws.join('')) return { signature: '', parts: asSent };
    const json = headerJson(jws[0]!);
    const refused = refusal(jws, json);
    if (refused || !json) return refused ?? { code: 'ERR_JWT_JSON', words: [] };
    const tl = String(json['tl_headers'] ?? '');
    const dup = signedHeaderProblem(req, names(tl.toLowerCase()));
    if (dup) return { code: dup.code, words: dup.parts };
    const embedded = ['jwk', 'jku', 'x5c', 'x5u'].filter((k) => k in json).join(', ');
    const kid = typeof json['kid'] === 'string' ? json['kid'] : '';
    const headers = lines(names(tl), req);
    const parts = { ...asSent, header: jws[0]!, kid, tlHeaders: tl, embedded, headers };
    return { signature: jws[2]!, parts };
  },
  base: (p) => [
    { label: 'JWS header (base64url, as sent)', text: p.header },
    { label: 'separator', text: '.' },
    { label: 'payload (signed as base64url): METHOD path', text: `${p.method} ${p.path}\n` },
    { label: 'each tl_headers line', text: p.headers },
    { label: 'body', text: p.body },
  ],
  signedBytes: (p) => new TextEncoder().encode(`${p.header}.${textToBase64url(payloadOf(p))}`),
  baseWords: 'JWS header . base64url(METHOD path, tl_headers lines, body)',
  accepts(p) {
    // truelayer-signing's verify tries the path with and without a trailing slash (#80), never "".
    const other = p.path.endsWith('/') ? p.path.slice(0, -1) : `${p.path}/`;
    const words = rich`Signed as ${other}; TrueLayer accepts either trailing slash.`;
    return other ? [{ parts: { path: other }, words }] : [];
  },
  checks,
  mistakes: [
    methodCase('method'),
    querySigned('path'),
    fullUrl('path'),
    bodyReformatted('body'),
    headerNotListed,
    headerLines,
    signatureEncoding('base64url'),
    derSignature,
  ],
  signer: {
    fields: [
      keyField('The P-521 key pair whose public key is in TrueLayer Console.'),
      field('kid', 'Key ID (kid)', 'text', 'Console shows it beside the uploaded public key.', {
        remember: true,
      }),
      methodField(['POST', 'GET']),
      field('url', 'URL', 'text', 'Its path is signed.', { default: `${HOST}/v3/payouts`, remember: true }),
      field('idempotencyKey', 'Idempotency-Key', 'text', 'Fresh per request.', { default: () => uuid() }),
      field('body', 'Body', 'textarea', 'The JSON body, signed exactly as sent.', {
        default:
          '{"merchant_account_id":"AB8FA060-3F1B-4AE8-9692-4AA3131020D0","amount_in_minor":100,"currency":"GBP"}',
        when: (v) => v['method'] !== 'GET',
      }),
    ],
    parts(values) {
      const [kid, idempotencyKey] = [text(values['kid']).trim(), text(values['idempotencyKey']).trim()];
      const missing = !kid ? 'the kid Console shows' : idempotencyKey ? '' : 'an Idempotency-Key';
      if (missing) throw new KeybenchError('ERR_PARTNER_INPUT', `Type ${missing}.`);
      const method = (text(values['method']) || 'POST').toUpperCase();
      // The SDK's members, in its order: alg, kid, tl_version, tl_headers.
      const json = { alg: 'ES512', kid, tl_version: '2', tl_headers: 'Idempotency-Key' };
      const [header, tlHeaders] = [textToBase64url(JSON.stringify(json)), json.tl_headers];
      const path = pathAndQuery(text(values['url'])).path;
      const body = method === 'GET' ? '' : text(values['body']);
      const headers = `${tlHeaders}: ${idempotencyKey}\n`;
      return { ...EMPTY, header, kid, tlHeaders, method, path, headers, body };
    },
    examples: [EXAMPLE, { ...EXAMPLE, method: 'GET', url: `${HOST}/v3/merchant-accounts?currency=GBP` }],
    request: (p, signature, values) => ({
      method: p.method,
      url: text(values['url']).trim(),
      headers: [
        ['Tl-Signature', `${p.header}..${signature}`],
        ['Idempotency-Key', text(values['idempotencyKey']).trim()],
        ...(p.body ? [['Content-Type', 'application/json'] as [string, string]] : []),
      ],
      body: p.body,
    }),
    values: (p, req) => ({ kid: p.kid, idempotencyKey: header(req, 'idempotency-key') ?? '' }),
  },
});
