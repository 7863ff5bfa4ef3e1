/**
 * What the QI Tech doctor reads from any QI Tech request without a search: missing headers, which
 * key signed the token (DER encoding, another key), and the clock. The mistakes searched are data
 * (qit-v1/mistakes.ts, qit-v2/mistakes.ts); what no listed mistake explains is read here and in
 * each scheme's readings, unconfirmed.
 */
import type { VerificationKey } from '../../jwt/verify';
import { ours, rich, u, type Rich } from '../../rich';
import type { ParsedRequest } from '../../request/types';
import { header } from '../../request/types';
import { checkEs512, describeSkew, SKEW_WARN_MINUTES } from './shared';
import type { Found } from './search';

export type { Found };

/** The path and query of a URL as written (no host, no fragment), "/" when it has no path. */
export function endpointOfUrl(url: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(url.trim());
  let rest = m ? url.trim().slice(m[0].length) : url.trim();
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
  return rest;
}

/** The P-521 public keys among the trusted keys. */
export function p521Keys(keys: readonly VerificationKey[]): VerificationKey[] {
  return keys.filter((k) => k.kind === 'public' && k.type.kty === 'EC' && k.type.curve === 'P-521');
}

/** "a", "b" and "c" as rich parts, each untrusted. */
function labels(keys: readonly VerificationKey[]): Rich {
  return keys.flatMap((k, i) => (i ? [', ', u(k.label)] : [u(k.label)]));
}

/** Whether a time difference is close to a whole number of half hours (local time labelled UTC/GMT). */
function looksLikeZone(diffMs: number): boolean {
  const half = 30 * 60_000;
  const a = Math.abs(diffMs);
  const off = a % half;
  return a >= half - 2 * 60_000 && (off < 2 * 60_000 || half - off < 2 * 60_000);
}

/** A clock-skew diagnosis, or null when the time is within SKEW_WARN_MINUTES of now. */
export function clockSkew(what: string, text: string, whenMs: number, nowMs: number): Found | null {
  if (!Number.isFinite(whenMs) || Math.abs(whenMs - nowMs) <= SKEW_WARN_MINUTES * 60_000) return null;
  const skew = describeSkew(whenMs, nowMs);
  const zone = looksLikeZone(whenMs - nowMs);
  return {
    code: 'ERR_REQUEST_CLOCK_SKEW',
    title: `The ${what} is ${skew} this computer's clock`,
    explanation: [
      `The signed ${what} `,
      u(text),
      ` is ${skew} this computer's clock (more than ${SKEW_WARN_MINUTES} min). QI Tech does not document its tolerance; a fresh request is within seconds.`,
      ...(zone
        ? [
            ' The difference is close to a whole number of half hours: the signer may have written local time as if it were UTC.',
          ]
        : []),
    ],
    remedy:
      'Sign with the current UTC time at the moment of sending (sync the server clock with NTP), and never reuse a signed request later.',
    signed: text,
    sent: new Date(nowMs).toISOString(),
    confirmed: false,
    explains: 'clock-skew',
  };
}

/** The missing-header diagnoses: AUTHORIZATION (GDF000014) and API-CLIENT-KEY (GDF000003). */
export function missingHeaders(req: ParsedRequest): Found[] {
  const out: Found[] = [];
  if (header(req, 'AUTHORIZATION') === undefined) {
    out.push({
      code: 'ERR_REQUEST_MISSING_HEADER',
      title: 'No AUTHORIZATION header',
      explanation: [
        'The request has no AUTHORIZATION header, so there is no signature to check. QI Tech answers GDF000014 (401): the token could not be decoded.',
      ],
      remedy:
        'Send the signed token in the AUTHORIZATION header (v1: "QIT <api_key>:<token>"; v2 and QI DTVM: the bare JWT).',
      confirmed: false,
    });
  }
  // (an empty value is no key either: issue 17)
  if (!header(req, 'API-CLIENT-KEY')) {
    out.push({
      code: 'ERR_REQUEST_MISSING_HEADER',
      title: 'No API-CLIENT-KEY header',
      explanation: [
        'The request has no API-CLIENT-KEY header, or an empty one. QI Tech answers GDF000003 (400) before it looks at the signature.',
      ],
      remedy: 'Send API-CLIENT-KEY: <the integration key QI Tech gave you> with every request.',
      confirmed: false,
    });
  }
  return out;
}

/** Verify a token; when its ECDSA signature is DER, whether the converted raw r‖s one verifies. */
export async function tokenCheck(jws: string, keys: VerificationKey[]) {
  const { decoded, verdict } = await checkEs512(jws, keys);
  let derKey: VerificationKey | undefined;
  if (!verdict.verified && verdict.code === 'ERR_JWT_ECDSA_DER' && verdict.fixedToken) {
    const fixed = await checkEs512(verdict.fixedToken, keys);
    if (fixed.verdict.verified) derKey = fixed.verdict.key;
  }
  return { decoded, verdict, derKey };
}

/** Diagnoses about which key signed the token (DER encoding, another key). */
export function keyDiagnoses(
  t: Awaited<ReturnType<typeof tokenCheck>>,
  keys: VerificationKey[],
  what: string,
  bodyKey?: VerificationKey,
): Found[] {
  if (t.verdict.verified) return [];
  if (t.derKey) {
    return [
      {
        code: 'ERR_QIT_DER_SIGNATURE',
        title: `The ${what} signature is DER-encoded, not raw r‖s`,
        explanation: rich`The ES512 signature of the ${ours(what)} is an ASN.1 DER SEQUENCE of r and s (${t.decoded.signature?.length ?? 0} bytes); JWS requires raw r‖s (132 bytes). Converted to raw r‖s, it verifies with ${t.derKey.label}, so the key is right and only the encoding is wrong.`,
        remedy:
          'Sign with an API that writes JWS (raw r‖s, IEEE P1363) signatures — e.g. node:crypto with dsaEncoding "ieee-p1363", or a JWT library — or convert the DER signature to r‖s, each left-padded to 66 bytes.',
        confirmed: true,
        explains: 'signature',
      },
    ];
  }
  const p521 = p521Keys(keys);
  const keyFailure = new Set<string>([
    'ERR_JWT_SIGNATURE',
    'ERR_JWT_CURVE_MISMATCH',
    'ERR_JWT_ALG_KEY_MISMATCH',
    'ERR_JWT_ECDSA_DER',
  ]);
  // `tried` is empty when the token was refused before any key (not ES512, alg none, malformed).
  if (t.decoded.form !== 'jws' || !keyFailure.has(t.verdict.code ?? '') || t.verdict.tried.length === 0)
    return [];
  const explanation: Rich = [
    `The ${what} is signed by none of the ${p521.length} trusted P-521 key${p521.length === 1 ? '' : 's'}`,
    ...(p521.length
      ? [' (', ...labels(p521), ')']
      : [
          `; the ${keys.length} trusted key${keys.length === 1 ? ' is' : 's are'} not P-521, and QI Tech signs with P-521 (ES512)`,
        ]),
    '.',
    ...(t.verdict.code === 'ERR_JWT_ECDSA_DER'
      ? [
          ' Its signature is also DER-encoded instead of raw r‖s, and converted it verifies with none of them either.',
        ]
      : []),
    ...(bodyKey
      ? [
          ' encoded_body verifies with ',
          u(bodyKey.label),
          '. ECDSA cannot tell whether another key made the token or its bytes changed after signing.',
        ]
      : [' ECDSA cannot tell which: either another key made it, or it was changed after it was signed.']),
  ];
  // With no P-521 key at all the key is known to be wrong; otherwise ECDSA cannot tell the key
  // from the bytes, so the advice does not blame the key.
  const known = p521.length === 0;
  return [
    {
      code: 'ERR_QIT_OTHER_KEY',
      title: known
        ? `No P-521 key here can check the ${what}`
        : `The ${what} does not verify: the key or the signed bytes differ`,
      explanation,
      remedy: known
        ? 'Add the public key QI Tech has for you (jwtECDSASHA512.key.pub, P-521), or select the key pair that signs these requests.'
        : `Compare the ${what} your code signs with the one sent: it must be sent exactly as signed. If it is the same, check that the key here is the public half of the key your code signs with (jwtECDSASHA512.key.pub).`,
      confirmed: false,
      explains: 'signature',
    },
  ];
}

/** What {@link tokenCheck} found. */
export type TokenChecked = Awaited<ReturnType<typeof tokenCheck>>;

/** The token's signature to search with: raw r‖s, or the DER one converted when that verified. */
export function searchSignature(t: TokenChecked): string {
  const token = t.derKey && t.verdict.fixedToken ? t.verdict.fixedToken : t.decoded.token;
  return token.split('.')[2] ?? '';
}

/** The confirmed mistake that explains `part`, else what reading the claims says (unconfirmed). */
export function confirmedOr(confirmed: readonly Found[], part: string, read: () => Found | null): Found[] {
  const c = confirmed.filter((f) => f.explains === part);
  if (c.length) return [c[0]!];
  const r = read();
  return r ? [r] : [];
}
