/**
 * TrueLayer request signing v2: `Tl-Signature` is a JWS with detached content, `header..signature`,
 * ES512 (ECDSA P-521 SHA-512, raw r‖s, base64url). The header is
 * `{"alg":"ES512","kid":…,"tl_version":"2","tl_headers":"Idempotency-Key,…"}` and the payload is
 * `METHOD /path\n`, then `Name: value\n` for each header in tl_headers (that order, that case), then
 * the body. What is signed is base64url(header) + "." + base64url(payload), as for any JWS.
 *
 * The key is the user's own: the request goes TO TrueLayer, which finds the uploaded public key by
 * `kid`. A `jwk` or `jku` in the header never supplies a key (the engine only tries stored keys).
 *
 * Sources: truelayer-signing (npm) lib/lib.js `buildV2SigningPayload`, `createJwsHeader`, `verify`
 * (which also accepts the path with or without a trailing slash) and lib/headers.js
 * `retainAndSort`; TrueLayer/truelayer-signing request-signing-v2.md.
 */
import { textToBase64url, base64urlToBytes } from '../../encoding/base64url';
import { KeybenchError } from '../../errors';
import { signedHeaderProblem } from '../../request/doctor-refusals';
import { header, type ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import {
  bodyReformatted,
  fullUrl,
  methodCase,
  pathAndQuery,
  querySigned,
  requiredHeaders,
  signatureEncoding,
} from '../../scheme/mistakes';
import { defineScheme, type SchemeMistake, type SchemeRefusal } from '../../scheme/types';
import { problem, type Finding } from '../../trust/finding';
import type { FieldValue } from '../engine/types';

type TlParts = {
  /** The JWS protected header, base64url, as sent (it is signed as it is). */
  header: string;
  kid: string;
  tlHeaders: string;
  /** Key members the header carries (jwk, jku …), which are never used. */
  embedded: string;
  method: string;
  path: string;
  /** `Name: value\n` for each header tl_headers lists. */
  headers: string;
  body: string;
};

const str = (v: FieldValue | undefined) => (typeof v === 'string' ? v : String(v ?? ''));
const names = (tlHeaders: string) => tlHeaders.split(',').filter(Boolean);
const lines = (list: readonly string[], req: Pick<ParsedRequest, 'headers'>, name = (n: string) => n) =>
  list.map((n) => `${name(n)}: ${header(req, n) ?? ''}\n`).join('');
const refuse = (code: SchemeRefusal['code'], words: Rich): SchemeRefusal => ({ code, words });
/** Headers no signer puts in the payload (the signature itself, what the client library adds). */
const NEVER_SIGNED = new Set(['tl-signature', 'host', 'content-length', 'authorization', 'user-agent']);

/** The JWS header's JSON object, or undefined when it is not base64url JSON. */
function headerJson(segment: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(segment)));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The payload as TrueLayer rebuilds it from the request. */
const payloadOf = (p: TlParts) => `${p.method} ${p.path}\n${p.headers}${p.body}`;

/** The ECDSA signature sent as DER (node:crypto's and OpenSSL's default) where a JWS carries r‖s. */
const derSignature: SchemeMistake<TlParts> = {
  code: 'ERR_JWT_ECDSA_DER',
  title: 'Signature in DER instead of raw r‖s',
  explanation:
    'The signer sent the ECDSA signature DER-encoded (what OpenSSL, Java and node:crypto make by default); a JWS carries the raw 132-byte r‖s.',
  remedy:
    "Write the signature as raw r‖s: node:crypto's sign with dsaEncoding 'ieee-p1363', or a JOSE library such as the truelayer-signing SDK.",
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
  remedy:
    'Build tl_headers and the payload’s header lines from one list, in the same order (the truelayer-signing SDK does).',
  *variants(parts, request) {
    const listed = new Set(names(parts.tlHeaders).map((n) => n.toLowerCase()));
    for (const [n, v] of request.headers) {
      if (listed.has(n.toLowerCase()) || NEVER_SIGNED.has(n.toLowerCase())) continue;
      for (const signed of [`${parts.headers}${n}: ${v}\n`, `${n}: ${v}\n${parts.headers}`])
        yield { parts: { headers: signed }, part: 'signed headers', signed, sent: parts.headers };
    }
  },
};

/** The header names written in the payload in another case than tl_headers spells them. */
const headerCase: SchemeMistake<TlParts> = {
  code: 'ERR_TRUELAYER_HEADER_CASE',
  title: 'Header names signed in another case than tl_headers',
  explanation:
    'The signer wrote the header names in the payload in lower case (as many HTTP libraries hand them over); TrueLayer writes each name exactly as tl_headers spells it.',
  remedy: 'Write each header line with the name exactly as it appears in tl_headers (Idempotency-Key).',
  *variants(parts, request) {
    const signed = lines(names(parts.tlHeaders), request, (n) => n.toLowerCase());
    if (signed !== parts.headers)
      yield { parts: { headers: signed }, part: 'signed headers', signed, sent: parts.headers };
  },
};

/** tl_headers lists headers whose lines the payload left out. */
const headerLineMissing: SchemeMistake<TlParts> = {
  code: 'ERR_TRUELAYER_HEADER_LINE_MISSING',
  title: 'Headers listed in tl_headers but not signed',
  explanation:
    'The signer listed headers in tl_headers but left their lines out of the payload (it signed the method, path and body only); TrueLayer puts one line per listed header between the path and the body.',
  remedy: 'After "METHOD /path\\n", add "Name: value\\n" for each header in tl_headers, in its order, then the body.',
  *variants(parts) {
    if (parts.headers)
      yield { parts: { headers: '' }, part: 'signed headers', signed: '(none)', sent: parts.headers };
  },
};

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
    const method = req.method.toUpperCase();
    const parts = { header: '', kid: '', tlHeaders: '', embedded: '', method, headers: '', body: req.body };
    const sent = header(req, 'tl-signature')?.trim() ?? '';
    const { path } = pathAndQuery(req.url);
    if (!sent) return { signature: '', parts: { ...parts, path } };
    const jws = sent.split('.');
    if (jws.length !== 3)
      return refuse(
        'ERR_JWT_SEGMENTS',
        rich`Tl-Signature has ${ours(String(jws.length))} parts between dots; TrueLayer wants a detached JWS, header..signature (three parts, the middle one empty).`,
      );
    const [segment = '', payload, signature = ''] = jws;
    if (payload)
      return refuse(
        'ERR_JWT_SEGMENTS',
        rich`Tl-Signature carries a payload between its dots; TrueLayer's JWS is detached (header..signature): leave the middle empty, TrueLayer rebuilds the payload from the request.`,
      );
    const json = headerJson(segment);
    if (!json)
      return refuse(
        'ERR_JWT_JSON',
        rich`The header of Tl-Signature (before the two dots) is not base64url-encoded JSON: ${segment}. Sign again.`,
      );
    if (json['alg'] !== 'ES512')
      return refuse(
        'ERR_JWT_ALG_UNSUPPORTED',
        rich`The header's alg is ${String(json['alg'])}; TrueLayer accepts ES512 only (ECDSA P-521 with SHA-512).`,
      );
    if (json['tl_version'] !== '2')
      return refuse(
        'ERR_JWT_HEADER',
        rich`The header's tl_version is ${JSON.stringify(json['tl_version']) ?? 'missing'}; TrueLayer's request signing wants the string "2".`,
      );
    const tl = json['tl_headers'] ?? '';
    if (typeof tl !== 'string')
      return refuse(
        'ERR_JWT_HEADER',
        rich`The header's tl_headers is not a text: list the signed header names separated by commas.`,
      );
    const dup = signedHeaderProblem(req, names(tl).map((n) => n.toLowerCase()));
    if (dup) return refuse(dup.code, dup.parts);
    const embedded = ['jwk', 'jku', 'x5c', 'x5u'].filter((k) => k in json).join(', ');
    const kid = typeof json['kid'] === 'string' ? json['kid'] : '';
    return {
      signature,
      parts: { ...parts, header: segment, kid, tlHeaders: tl, embedded, path, headers: lines(names(tl), req) },
    };
  },
  base: (p) => [
    { label: 'JWS header (base64url, as sent)', text: p.header },
    { label: 'separator', text: '.' },
    {
      label: 'payload, base64url of: METHOD path ⏎ each tl_headers line ⏎ body',
      text: textToBase64url(payloadOf(p)),
    },
  ],
  baseWords: 'JWS header . base64url(METHOD path, tl_headers lines, body)',
  accepts(p) {
    // truelayer-signing's verify tries the path with and without a trailing slash (its issue #80).
    const other = p.path.endsWith('/') ? p.path.slice(0, -1) : `${p.path}/`;
    return [
      {
        parts: { path: other },
        words: rich`Signed with the path ${other}, sent as ${p.path}: TrueLayer accepts a path with or without a trailing slash.`,
      },
    ];
  },
  checks(p, req) {
    if (!p.header) return [];
    const listed = names(p.tlHeaders).map((n) => n.toLowerCase());
    const out: Finding[] = requiredHeaders(req, ['Idempotency-Key']);
    if (header(req, 'idempotency-key') !== undefined && !listed.includes('idempotency-key'))
      out.push(
        problem(
          'headers',
          'ERR_SCHEME_HEADER_UNSIGNED',
          'error',
          'tl_headers',
          rich`The request sends Idempotency-Key but tl_headers (${p.tlHeaders}) does not list it; TrueLayer refuses a signature that does not cover it. List it in tl_headers and sign its line.`,
        ),
      );
    for (const n of names(p.tlHeaders))
      if (header(req, n) === undefined && n.toLowerCase() !== 'idempotency-key')
        out.push(
          problem(
            'headers',
            'ERR_SCHEME_HEADER_MISSING',
            'warning',
            n,
            rich`tl_headers lists ${n}, which the request does not send: it was signed with an empty value. Send it, or leave it out of tl_headers.`,
          ),
        );
    if (!p.kid)
      out.push(
        problem('signature', 'ERR_JWT_HEADER', 'error', 'kid', [
          'The header has no kid; TrueLayer finds your public key by it. Put the kid TrueLayer Console shows beside the uploaded key.',
        ]),
      );
    if (p.embedded)
      out.push(
        problem(
          'signature',
          'ERR_JWT_EMBEDDED_KEY_ONLY',
          'info',
          'header',
          rich`The header carries ${ours(p.embedded)}: keybench never takes a key from it, and TrueLayer uses the key registered for the kid. Only your stored keys were tried.`,
        ),
      );
    return out;
  },
  mistakes: [
    methodCase('method'),
    querySigned('path'),
    fullUrl('path'),
    bodyReformatted('body'),
    headerNotListed,
    headerCase,
    headerLineMissing,
    signatureEncoding('base64url'),
    derSignature,
  ],
  signer: {
    fields: [
      {
        name: 'key',
        label: 'Key pair',
        kind: 'key',
        default: '',
        help: 'The P-521 key pair whose public key is uploaded in TrueLayer Console.',
      },
      {
        name: 'kid',
        label: 'Key ID (kid)',
        kind: 'text',
        default: '',
        remember: true,
        help: 'The id Console shows beside the uploaded public key (Payments → Settings → Signing keys).',
      },
      { name: 'method', label: 'Method', kind: 'choice', default: 'POST', options: ['POST', 'GET'], help: 'The HTTP method sent.' },
      {
        name: 'url',
        label: 'URL',
        kind: 'text',
        default: 'https://api.truelayer-sandbox.com/v3/payouts',
        remember: true,
        help: 'The endpoint; its path (without the query) is signed.',
      },
      {
        name: 'idempotencyKey',
        label: 'Idempotency-Key',
        kind: 'text',
        default: () => crypto.randomUUID(),
        help: 'A fresh UUID for each request; it is sent and signed.',
      },
      {
        name: 'body',
        label: 'Body',
        kind: 'textarea',
        default: '{"merchant_account_id":"AB8FA060-3F1B-4AE8-9692-4AA3131020D0","amount_in_minor":100,"currency":"GBP"}',
        when: (v) => v['method'] !== 'GET',
        help: 'The JSON body, signed exactly as sent.',
      },
    ],
    parts(values) {
      const kid = str(values['kid']).trim();
      const idempotencyKey = str(values['idempotencyKey']).trim();
      if (!kid || !idempotencyKey)
        throw new KeybenchError(
          'ERR_PARTNER_INPUT',
          !kid
            ? 'Type the key’s kid: TrueLayer Console shows it beside the uploaded public key.'
            : 'Type an Idempotency-Key (a fresh UUID for each request): TrueLayer wants it sent and signed.',
        );
      const method = (str(values['method']) || 'POST').toUpperCase();
      const tlHeaders = 'Idempotency-Key';
      // The SDK's key order: alg, kid, tl_version, tl_headers.
      const json = { alg: 'ES512', kid, tl_version: '2', tl_headers: tlHeaders };
      return {
        header: textToBase64url(JSON.stringify(json)),
        kid,
        tlHeaders,
        embedded: '',
        method,
        path: pathAndQuery(str(values['url']).trim()).path,
        headers: `Idempotency-Key: ${idempotencyKey}\n`,
        body: method === 'GET' ? '' : str(values['body']),
      };
    },
    examples: [
      { kid: '9f2b7bd6-c055-40b5-b616-120ccfd33c49', idempotencyKey: '619410b3-b00c-406e-bb1b-2982f97edb8b' },
      {
        kid: '9f2b7bd6-c055-40b5-b616-120ccfd33c49',
        idempotencyKey: '619410b3-b00c-406e-bb1b-2982f97edb8b',
        method: 'GET',
        url: 'https://api.truelayer-sandbox.com/v3/merchant-accounts?currency=GBP',
      },
    ],
    request(p, signature, values) {
      return {
        method: p.method,
        url: str(values['url']).trim(),
        headers: [
          ['Tl-Signature', `${p.header}..${signature}`],
          ['Idempotency-Key', str(values['idempotencyKey']).trim()],
          ...(p.body ? [['Content-Type', 'application/json'] as [string, string]] : []),
        ],
        body: p.body,
      };
    },
    values: (p, req) => ({ kid: p.kid, idempotencyKey: header(req, 'idempotency-key') ?? '' }),
  },
});
