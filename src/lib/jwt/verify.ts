import { ALGORITHMS, type AlgId } from '../crypto/algorithms';
import { derToRaw } from '../crypto/encoding';
import { importVerifier, verifySignature } from '../crypto/signature';
import { bytesToBase64url } from '../encoding/base64url';
import type { ErrorCode } from '../errors';
import { describeKeyType, pssAllows } from '../keys/key-type';
import { own } from '../json';
import { ours, plain, rich, u, type Rich } from '../rich';
import { algInfo, esAlgForCurve, type AlgInfo } from './algorithms';
import type { DecodedToken } from './decode';
import { ecdsaSignatureNotes } from './ecdsa-notes';
import { PARTNER_NAMES } from '../partners/profiles';
import { isVerified } from '../trust/verdict';

import type { VerificationKey } from '../trust/keys';

export type { VerificationKey };

/**
 * The outcomes: `verified` (a key the user trusts checked the signature), `embedded` (only a key the
 * token carries itself verifies it: consistent, but it says nothing about who signed),
 * `kid-mismatch` (a key of a pasted JWKS verifies it, but not the key a verifier that selects by
 * `kid` would pick, as jose's createLocalJWKSet does: such a server refuses the token), and `failed`.
 */
export type VerdictState = 'verified' | 'embedded' | 'kid-mismatch' | 'failed';

/** The signature verdict. `verified` is true only when a trusted key checked a valid signature. */
export interface Verdict {
  state: VerdictState;
  /** Same as `state === 'verified'`. */
  verified: boolean;
  /** The key that verified it (for `embedded`, the token's own key). */
  key?: VerificationKey;
  code?: ErrorCode;
  /** One sentence: what happened, in parts (untrusted text apart). */
  parts: Rich;
  /** The same sentence as plain text (untrusted parts quoted). */
  message: string;
  /** What to do about it. */
  remedy?: string;
  /** Labels of the keys tried, in order. */
  tried: string[];
  /** Keys not tried because their JWK says they are not for verifying (`use`, `key_ops`), and why. */
  excluded?: { label: string; why: string }[];
  /** For DER-encoded ECDSA signatures: the same token with the signature converted to raw r‖s. */
  fixedToken?: string;
  /** Things worth knowing even when verified (kid mismatch, b64:false, weak secret…). */
  notes: Rich[];
}

interface Failure {
  code: ErrorCode;
  parts: Rich;
  remedy?: string;
}

const PRIORITY: ErrorCode[] = [
  'ERR_JWT_RS_PS_CONFUSION',
  'ERR_JWT_SIGNATURE',
  'ERR_JWT_CURVE_MISMATCH',
  'ERR_JWT_ALG_KEY_MISMATCH',
  'ERR_JWK_NOT_FOR_VERIFYING',
  'ERR_JWT_HMAC_WITH_PUBLIC_KEY',
];

/** A failed verdict. */
export function fail(
  code: ErrorCode,
  what: string | Rich,
  tried: string[],
  remedy?: string,
  extra?: Partial<Verdict>,
): Verdict {
  const parts = typeof what === 'string' ? [what] : what;
  return {
    state: 'failed',
    verified: false,
    code,
    parts,
    message: plain(parts),
    remedy,
    tried,
    notes: [],
    ...extra,
  };
}

/** What to do when there is no key to try. */
const PASTE_KEY_REMEDY =
  "Paste the issuer's public key (PEM, certificate, JWK or JWKS) in the Verification key box, or generate or import keys in Keys.";

/** What to do about a kid that is not a string. */
const KID_NOT_STRING_REMEDY =
  'A kid is a string: make the signer write it in quotes (for example "42", not 42).';

/** The remedy for the algorithm-confusion attack (an HMAC token checked with public key material). */
export const HMAC_CONFUSION_REMEDY =
  "Using a public key as an HMAC secret is the algorithm-confusion attack (RFC 8725 §2.1): anyone holding the public key could forge such a token, so a correct verifier never does it. If the issuer really signs with HMAC, paste the shared secret; if it signs with this key pair, the token's alg header is forged or wrong.";

/** What an asymmetric alg's key must be ("needs an RSA key"). */
function keyNeeded(info: AlgInfo): string {
  if (info.family === 'ES') return `needs an ECDSA ${info.curve} key`;
  return info.family === 'EdDSA' ? 'needs an Ed25519 key' : 'needs an RSA key';
}

/** The kty a public key needs for each asymmetric family. */
const KEY_KTY = { RS: 'RSA', PS: 'RSA', ES: 'EC', EdDSA: 'OKP' } as const;

/** Is this key the right kind for alg? Returns the failure if not. */
function compatibility(alg: string, info: AlgInfo, key: VerificationKey): Failure | null {
  if (info.family === 'HS') {
    if (key.kind === 'public') {
      return {
        code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY',
        parts: rich`Refused: the token says ${ours(alg)} (a shared secret) but the key is a public ${ours(describeKeyType(key.type))} key.`,
        remedy: HMAC_CONFUSION_REMEDY,
      };
    }
    return null;
  }
  if (key.kind === 'secret') {
    return {
      code: 'ERR_JWT_ALG_KEY_MISMATCH',
      parts: [`The token says ${alg}, which ${keyNeeded(info)}; a secret cannot verify it.`],
      remedy: "Paste the issuer's public key (PEM, certificate, JWK or JWKS) instead of a secret.",
    };
  }
  const t = key.type;
  // An id-RSASSA-PSS key verifies PSS only, with its own hash and at least its salt (JWS: the hash's length).
  if (
    t.kty === 'RSA' &&
    t.pss &&
    (info.family === 'RS' || !pssAllows(t, info.hash, Number(info.hash.slice(4)) / 8))
  )
    return {
      code: 'ERR_JWT_ALG_KEY_MISMATCH',
      parts: rich`Algorithm and key do not fit: ${key.label} is an RSASSA-PSS-only key${t.pss.hash ? ` for ${t.pss.hash}` : ''}, and the token says ${ours(alg)}.`,
      remedy: `This key verifies ${t.pss.hash ? `PS${t.pss.hash.slice(4)}` : 'PS256, PS384 and PS512'} tokens only. Use the key that matches the token, or check the signer's alg.`,
    };
  if (t.kty !== KEY_KTY[info.family]) return mismatch(info, key);
  if (t.kty === 'EC' && t.curve !== info.curve) {
    return {
      code: 'ERR_JWT_CURVE_MISMATCH',
      parts: rich`Curve mismatch: ${ours(alg)} needs a ${ours(info.curve!)} key, but ${key.label} is ${ours(t.curve)}.`,
      remedy: `A ${t.curve} key signs ${esAlgForCurve(t.curve) ?? 'another algorithm'}. Use the ${info.curve} key that made this token${alg === 'ES512' ? ' (QI Tech keys are P-521)' : ''}, or check the signer's alg.`,
    };
  }
  if (key.use !== undefined && key.use !== 'sig') {
    return {
      code: 'ERR_JWK_NOT_FOR_VERIFYING',
      parts: rich`The JWK ${key.label} says "use": ${key.use}: it is not meant for signatures, so keybench does not verify with it.`,
      remedy:
        'A JWKS can hold encryption keys beside signing keys. Use the key whose "use" is "sig" (or has no "use"), as the issuer publishes it.',
    };
  }
  if (key.keyOps !== undefined && key.keyOps.length > 0 && !key.keyOps.includes('verify')) {
    return {
      code: 'ERR_JWK_NOT_FOR_VERIFYING',
      parts: rich`The JWK ${key.label} has "key_ops" ${key.keyOps.join(', ')}, without "verify", so keybench does not verify with it.`,
      remedy: 'Use the key the issuer publishes for verifying (key_ops including "verify", or none).',
    };
  }
  if (key.alg && key.alg !== alg) {
    return {
      code: 'ERR_JWT_ALG_KEY_MISMATCH',
      parts: rich`The JWK ${key.label} declares alg ${key.alg}, but the token says ${ours(alg)}.`,
      remedy:
        'A key declaring an alg must only be used with it. Check which key the issuer uses for this token.',
    };
  }
  return null;
}

function mismatch(info: AlgInfo, key: VerificationKey & { kind: 'public' }): Failure {
  return {
    code: 'ERR_JWT_ALG_KEY_MISMATCH',
    parts: rich`Algorithm and key do not fit: ${ours(`${info.id} ${keyNeeded(info)}`)}, but ${key.label} is ${ours(describeKeyType(key.type))}.`,
    remedy:
      key.type.kty === 'RSA'
        ? "An RSA key verifies RS256/PS256 (and 384/512) tokens. Use the key that matches the token, or check the signer's alg."
        : key.type.kty === 'EC'
          ? `This key verifies ${esAlgForCurve(key.type.curve) ?? 'ECDSA'} tokens. Use the key that matches the token, or check the signer's alg.`
          : 'This key verifies EdDSA tokens. Use the key that matches the token.',
  };
}

/**
 * Does `signature` hold with `key` under `alg` over the JWS signing input: the header and payload
 * segments as sent (RFC 7515 §5.2; with b64:false the payload segment is the payload itself, RFC
 * 7797 §3, and with = padding the signer signed the padded text)?
 */
async function check(
  decoded: DecodedToken,
  signature: Uint8Array<ArrayBuffer>,
  alg: AlgId,
  key: VerificationKey,
): Promise<boolean> {
  const k = await importVerifier(key, alg);
  const input = new TextEncoder().encode(`${decoded.segments[0]}.${decoded.segments[1]}`);
  return k !== null && verifySignature(alg, k, signature, input);
}

/** Why a JWK's own metadata (`use`, `key_ops`) rules it out for verifying, or null. */
function notForVerifying(key: VerificationKey): string | null {
  if (key.kind !== 'public') return null;
  if (key.use !== undefined && key.use !== 'sig') return `"use": ${key.use}`;
  if (key.keyOps !== undefined && key.keyOps.length > 0 && !key.keyOps.includes('verify')) {
    return `"key_ops": ${key.keyOps.join(', ')}`;
  }
  return null;
}

/**
 * When a key of a pasted JWKS verified the token, is it the key a verifier that selects by `kid`
 * would pick? jose's createLocalJWKSet (the reference) keeps the set's keys that fit the alg (kty,
 * crv, the JWK's alg, use, key_ops) and, when the token has a kid, whose kid equals it; no key left
 * is JWKSNoMatchingKey, more than one JWKSMultipleMatchingKeys. Returns the amber verdict, or null
 * when such a verifier would pick this very key.
 */
function kidSelection(a: Attempt, key: VerificationKey & { kind: 'public' }): Verdict | null {
  const { alg, info, kid, candidates, tried, notes } = a;
  if (key.origin !== 'jwks') return null;
  const usable = candidates.filter(
    (k) => k.kind === 'public' && k.origin === 'jwks' && !compatibility(alg, info, k),
  );
  const picked = usable.filter((k) => k.kind === 'public' && k.kid === kid);
  const amber = (code: ErrorCode, parts: Rich, remedy: string) =>
    fail(code, [...rich`Signature valid (${ours(alg)}) with ${key.label}, but `, ...parts], tried, remedy, {
      state: 'kid-mismatch',
      key,
      notes,
    });
  const cannotChoose =
    'a server that picks keys by kid cannot choose, and jose refuses the token (JWKSMultipleMatchingKeys).';
  if (typeof kid === 'string' && key.kid === kid) {
    if (picked.length <= 1) return null;
    // jose refuses a set in which two keys that fit share the kid: refuse as it does (no guess).
    return amber(
      'ERR_JWKS_KID_AMBIGUOUS',
      [
        ...rich`${ours(String(picked.length))} keys of the JWKS have kid ${kid} (`,
        ...labels(picked),
        `): ${cannotChoose}`,
      ],
      'Give each key of the JWKS its own kid: this set names two keys the same.',
    );
  }
  if (kid !== undefined && typeof kid !== 'string') {
    return amber(
      'ERR_JWKS_KID_MISMATCH',
      [
        "the token's kid is ",
        u(JSON.stringify(kid)),
        ', not a string: a server that picks keys by kid matches it to no key and refuses the token (jose: JWKSNoMatchingKey).',
      ],
      KID_NOT_STRING_REMEDY,
    );
  }
  if (typeof kid === 'string') {
    const named = candidates.find((k) => k.kind === 'public' && k.origin === 'jwks' && k.kid === kid);
    return amber(
      'ERR_JWKS_KID_MISMATCH',
      [
        ...(key.kid === undefined ? ['it has no kid'] : rich`its kid is ${key.kid}`),
        ...rich` and the token's kid is ${kid}: a server that picks keys by kid `,
        ...(picked.length === 0
          ? named === undefined
            ? rich`would refuse the token, because no key in the JWKS has kid ${kid} (jose: JWKSNoMatchingKey).`
            : rich`would refuse the token: the key with kid ${kid} (${named.label}) does not fit ${ours(alg)} or is not for verifying (jose: JWKSNoMatchingKey).`
          : picked.length === 1
            ? rich`would pick ${picked[0]!.label}, which does not verify it.`
            : [
                `would pick one of the ${picked.length} keys with that kid (`,
                ...labels(picked),
                '), none of which verifies it.',
              ]),
      ],
      'The token names another key than the one that signed it: the issuer labels its keys inconsistently, or rotated a key without its kid. Make the kid in the header equal the kid of the signing key in the JWKS the server reads.',
    );
  }
  if (usable.length <= 1) return null;
  return amber(
    'ERR_JWKS_KID_AMBIGUOUS',
    [
      `the token has no kid and ${usable.length} keys of the JWKS fit ${alg} (`,
      ...labels(usable),
      `): ${cannotChoose}`,
    ],
    'Put the kid of the signing key in the token header, or publish only one key that fits this alg.',
  );
}

/** Untrusted words (key labels, header names), comma-separated. */
function commaList(words: readonly string[]): Rich {
  return words.flatMap((w, i) => (i ? [', ', u(w)] : [u(w)]));
}

/** Key labels (the user's or the JWKS's: untrusted), comma-separated. */
function labels(keys: readonly VerificationKey[]): Rich {
  return commaList(keys.map((k) => k.label));
}

function order(keys: readonly VerificationKey[], kid: unknown): VerificationKey[] {
  if (typeof kid !== 'string') return [...keys];
  const matches = (k: VerificationKey) => k.kind === 'public' && (k.kid === kid || k.thumbprint === kid);
  return [...keys.filter(matches), ...keys.filter((k) => !matches(k))];
}

/** A token's header, once it is a JWS whose alg keybench verifies. */
interface SignedHeader {
  header: Record<string, unknown>;
  alg: string;
  info: AlgInfo;
}

/** The header and alg of a compact JWS, or the verdict refusing it (no token, not a JWS, alg none, unknown alg). */
function readAlg(decoded: DecodedToken): SignedHeader | Verdict {
  if (decoded.form === 'empty') return fail('ERR_JWT_MALFORMED', 'Paste a token to verify it.', []);
  if (decoded.form !== 'jws' || !decoded.header) {
    const first = decoded.errors[0];
    return fail(first?.code ?? 'ERR_JWT_MALFORMED', first?.parts ?? ['This is not a compact JWS.'], []);
  }
  const header = decoded.header;
  const alg = own(header, 'alg') as string;
  if (alg.trim().toLowerCase() === 'none') {
    return fail(
      'ERR_JWT_UNSECURED',
      'Unsecured token (alg "none"): it carries no signature, so nothing about it can be trusted.',
      [],
      'Anyone can write such a token. A verifier must reject alg "none" unless it was explicitly agreed for this exact use — almost never.',
    );
  }
  const info = algInfo(alg);
  if (!info) {
    return fail(
      'ERR_JWT_ALG_UNSUPPORTED',
      rich`Algorithm ${alg} is not one keybench verifies.`,
      [],
      'Supported: RS256/384/512, PS256/384/512, ES256/384/512, EdDSA (Ed25519), HS256/384/512.',
    );
  }
  return { header, alg, info };
}

/** The verdict refusing a `crit` header keybench does not implement (RFC 7515 §4.1.11), or null. */
function critRefusal(crit: unknown): Verdict | null {
  if (crit === undefined) return null;
  const list: unknown[] = Array.isArray(crit) ? crit : [];
  const unknown = list.filter((c) => c !== 'b64');
  if (Array.isArray(crit) && list.length > 0 && unknown.length === 0) return null;
  return fail(
    'ERR_JWT_CRIT',
    unknown.length
      ? [
          'The header marks ',
          ...commaList(unknown.map(String)),
          ` as critical ("crit"), and keybench does not implement ${unknown.length > 1 ? 'those extensions' : 'that extension'}.`,
        ]
      : ['The header has a malformed "crit" (it must be a non-empty array of header names).'],
    [],
    'RFC 7515 §4.1.11: a verifier that does not understand a critical header must reject the token. Verify it with software that implements the extension.',
  );
}

/**
 * The verdict refusing a malformed `b64` (RFC 7797): listed in `crit` but absent, or not a boolean
 * while `crit` lists it (as jose refuses it); else null. A non-boolean `b64` that `crit` does not
 * list is ignored by verifiers (RFC 7797 §6): noted, not refused.
 */
function b64Refusal(header: Record<string, unknown>, crit: unknown, notes: Rich[]): Verdict | null {
  const b64 = own(header, 'b64');
  const critical = Array.isArray(crit) && crit.includes('b64');
  if (critical && b64 === undefined) {
    return fail(
      'ERR_JWT_CRIT',
      'Malformed header: "crit" lists "b64", but the header has no "b64" member.',
      [],
      'RFC 7515 §4.1.11: every name in "crit" must be in the header. Fix the signer: add "b64": false, or drop "b64" from "crit".',
    );
  }
  if (b64 === undefined || typeof b64 === 'boolean') return null;
  if (!critical) {
    notes.push([
      'The header\'s "b64" is ',
      u(JSON.stringify(b64)),
      ', not a boolean, and "crit" does not list it: verifiers ignore it (RFC 7797 §6), so keybench reads the payload as base64url.',
    ]);
    return null;
  }
  return fail(
    'ERR_JWT_B64_INVALID',
    ['Malformed header: "b64" is ', u(JSON.stringify(b64)), ', but it must be true or false (RFC 7797 §3).'],
    [],
    'Fix the signer: write "b64": false as a JSON boolean, not as a string or a number.',
  );
}

/**
 * The verdict refusing the header's extensions (`crit`, `b64` without it), or null; notes what
 * keybench accepts but the reader should know (b64:false, a key URL it never fetches).
 */
function headerRefusal(header: Record<string, unknown>, notes: Rich[]): Verdict | null {
  const crit = own(header, 'crit');
  const refused = critRefusal(crit) ?? b64Refusal(header, crit, notes);
  if (refused) return refused;
  if (own(header, 'b64') === false) {
    if (!Array.isArray(crit) || !crit.includes('b64')) {
      return fail(
        'ERR_JWT_B64_FALSE',
        'The header says "b64": false (unencoded payload, RFC 7797) but does not list "b64" in "crit".',
        [],
        'RFC 7797 §6 requires "crit": ["b64"] with b64:false, so that verifiers unaware of it reject the token instead of misreading it. Fix the signer.',
      );
    }
    notes.push([
      'Unencoded payload (RFC 7797, b64:false): the signature covers the raw payload. This is a JWS, not a JWT.',
    ]);
  }
  for (const member of ['jku', 'x5u'] as const) {
    const url = own(header, member);
    if (url !== undefined) {
      notes.push(
        rich`The header names a key URL (${ours(member)}: ${String(url)}). keybench never fetches it: it verifies only with keys you give it.`,
      );
    }
  }
  return null;
}

/** What every step of {@link verifyToken} reads: the token, its alg, the trusted keys in order, the notes. */
interface Attempt extends SignedHeader {
  decoded: DecodedToken;
  kid: unknown;
  /** The trusted keys, those whose kid or thumbprint matches the token's kid first. */
  candidates: VerificationKey[];
  /** Labels of the candidates tried (not excluded by their own use/key_ops). */
  tried: string[];
  /** `{ excluded }` when a JWK was not tried (spread into every verdict), else nothing. */
  ex: Partial<Verdict>;
  notes: Rich[];
}

/** The keys to try for a token, in order, and the JWKs ruled out by their own `use`/`key_ops`. */
function attempt(
  decoded: DecodedToken,
  signed: SignedHeader,
  keys: readonly VerificationKey[],
  notes: Rich[],
): Attempt {
  const kid = own(signed.header, 'kid');
  const candidates = order(keys, kid);
  // A JWK whose own use/key_ops rules out verifying is not tried: it is named as excluded.
  const excluded = candidates.flatMap((k) => {
    const why = notForVerifying(k);
    return why === null ? [] : [{ label: k.label, why }];
  });
  const tried = candidates.filter((k) => notForVerifying(k) === null).map((k) => k.label);
  const ex = excluded.length ? { excluded } : {};
  return { ...signed, decoded, kid, candidates, tried, ex, notes };
}

/** The verdict when there is no key at all to try. */
function noKeyVerdict({ alg, info, notes }: Attempt): Verdict {
  return fail(
    'ERR_JWT_NO_KEY',
    'Not verified: there is no key to check the signature with.',
    [],
    info.family === 'HS' ? `Paste the shared ${alg} secret in the Verification key box.` : PASTE_KEY_REMEDY,
    { notes },
  );
}

/**
 * ECDSA signatures in JWS are raw r‖s of a fixed length: the verdict refusing one of another
 * length (DER, dropped zeros) or with r or s zero, before any key is tried; else null (a high S
 * is noted).
 */
async function ecdsaRefusal(a: Attempt): Promise<Verdict | null> {
  const { decoded, info, tried, notes, ex } = a;
  if (info.family !== 'ES' || !decoded.signature) return null;
  if (decoded.signature.length !== info.size! * 2) return { ...(await ecdsaShape(a)), ...ex };
  const shape = ecdsaSignatureNotes(decoded.signature, info.curve!);
  if (shape.zero) {
    return fail(
      'ERR_JWT_SIGNATURE',
      'Invalid ECDSA signature: r or s is zero (a "psychic signature", CVE-2022-21449). It verifies nothing.',
      tried,
      'Such a signature is never valid; only a broken verifier accepts it. The token is forged or damaged.',
      { notes, ...ex },
    );
  }
  if (shape.highS) notes.push([shape.highS]);
  return null;
}

/** Tries the trusted keys in order: the first that verifies, and why each one before it did not. */
async function firstVerifying(a: Attempt): Promise<{ verifiedBy?: VerificationKey; failures: Failure[] }> {
  const failures: Failure[] = [];
  for (const key of a.candidates) {
    const outcome = notForVerifying(key) === null ? await tryKey(a, key) : compatibility(a.alg, a.info, key)!;
    if (outcome === true) return { verifiedBy: key, failures };
    failures.push(outcome);
  }
  return { failures };
}

/**
 * The verdict for a token a trusted key verified: `verified`, unless a verifier selecting by kid
 * would pick another key of the JWKS (`kid-mismatch`); notes a kid that differs and a weak secret.
 */
function verifiedVerdict(a: Attempt, key: VerificationKey): Verdict {
  const { alg, info, kid, tried, notes, ex } = a;
  if (key.kind === 'public') {
    const amber = kidSelection(a, key);
    if (amber) return { ...amber, ...ex };
  }
  if (kid !== undefined && typeof kid !== 'string') {
    notes.push([
      "The token's kid is ",
      u(JSON.stringify(kid)),
      `, not a string (RFC 7515 §4.1.4): a server that picks keys by kid matches it to no key. ${KID_NOT_STRING_REMEDY}`,
    ]);
  } else if (key.kind === 'public' && key.kid !== undefined && key.kid !== kid) {
    notes.push(
      typeof kid === 'string'
        ? rich`kid mismatch: the token says kid ${kid}, but the key that verifies it has kid ${key.kid}. The issuer may label its keys inconsistently — or this is not the key the issuer meant.`
        : rich`The token has no kid; the key that verifies it has kid ${key.kid}.`,
    );
  }
  const hashBytes = Number(info.hash.slice(4)) / 8;
  if (key.kind === 'secret' && key.secret.length < hashBytes) {
    notes.push([
      `Weak secret: ${key.secret.length} bytes, shorter than the ${info.hash} output (${hashBytes} bytes). RFC 7518 §3.2 requires an HMAC key at least as long as the hash output; a short secret can be guessed offline from any token.`,
    ]);
  }
  const parts: Rich = [`Signature verified (${alg}) with `, ...describeSource(key), '.'];
  return { state: 'verified', verified: true, key, parts, message: plain(parts), tried, notes, ...ex };
}

/**
 * No trusted key verifies the token: the `embedded` verdict when a key the token carries does
 * (self-consistent, no more), else null.
 */
async function embeddedVerdict(a: Attempt, embedded: readonly VerificationKey[]): Promise<Verdict | null> {
  const { tried, notes, ex } = a;
  for (const key of embedded) {
    if ((await tryKey(a, key)) !== true) continue;
    const what =
      key.origin === 'x5c' ? 'the certificate in its own x5c header' : 'the key in its own jwk header';
    const parts: Rich = [
      `Not verified by any key you trust. The token is consistent with ${what}: that says nothing about who signed it — anyone can make a key pair and put it in a token.`,
    ];
    const remedy =
      tried.length === 0
        ? "To verify who signed it, paste the issuer's public key or certificate (obtained from the issuer, not from the token), or import it in Keys."
        : `None of the ${tried.length} trusted key${tried.length === 1 ? '' : 's'} tried verifies it. If you expected one of them to, the token was signed by someone else.`;
    return fail('ERR_JWT_EMBEDDED_KEY_ONLY', parts, tried, remedy, { state: 'embedded', key, notes, ...ex });
  }
  return null;
}

/** The failed verdict: the most telling of the keys' failures (see PRIORITY), or no key at all. */
function failedVerdict(a: Attempt, failures: Failure[]): Verdict {
  const { tried, notes, ex } = a;
  if (failures.length === 0) {
    return fail(
      'ERR_JWT_NO_KEY',
      'Not verified: there is no trusted key to check the signature with, and the key the token carries does not verify it either.',
      [],
      PASTE_KEY_REMEDY,
      { notes, ...ex },
    );
  }
  const best =
    PRIORITY.map((c) => failures.filter((f) => f.code === c)).find((list) => list.length > 0) ?? failures;
  const top = best[0]!;
  if (top.code === 'ERR_JWT_SIGNATURE') return signatureFailure(a, failures, top);
  return fail(top.code, top.parts, tried, top.remedy, { notes, ...ex });
}

/** The failed verdict when the keys fit but none verifies: no JWKS key with that kid, or the wrong key. */
function signatureFailure(a: Attempt, failures: Failure[], top: Failure): Verdict {
  const { kid, candidates, tried, notes, ex } = a;
  const jwksNoKid =
    typeof kid === 'string' &&
    candidates.some((k) => k.origin === 'jwks') &&
    !candidates.some((k) => k.kind === 'public' && k.kid === kid);
  if (jwksNoKid) {
    return fail(
      'ERR_JWKS_NO_MATCH',
      rich`No key in the JWKS has kid ${kid}, and none of its keys verifies the token.`,
      tried,
      'The issuer may have rotated its keys: fetch its current JWKS and paste it again.',
      { notes, ...ex },
    );
  }
  const signatureFailures = failures.filter((f) => f.code === 'ERR_JWT_SIGNATURE').length;
  const wrongKey: Rich =
    signatureFailures > 1 || tried.length > 1
      ? [
          `Wrong key: none of the ${tried.length} keys tried verifies this signature (`,
          ...commaList(tried),
          ').',
        ]
      : ['Wrong key or altered token: ', ...top.parts];
  return fail(
    'ERR_JWT_SIGNATURE',
    wrongKey,
    tried,
    'Either the token was signed with a different key, or its header or payload was changed after signing (even one character, or re-serialised JSON). Check which key the issuer used (kid), and that the token was copied whole.',
    { notes, ...ex },
  );
}

/**
 * Verify a decoded compact JWS against the keys the user trusts (`keys`: stored keys, or what the
 * user pasted), and explain precisely why not when it does not verify. Keys the token carries itself
 * (`embedded`: its `jwk` header, its `x5c` certificate) are tried only after every trusted key
 * failed, and can only give the `embedded` state, never `verified`. Never reports success for
 * `alg: none`, a malformed token, or a key that did not check the signature.
 */
export async function verifyToken(
  decoded: DecodedToken,
  keys: readonly VerificationKey[],
  embedded: readonly VerificationKey[] = [],
): Promise<Verdict> {
  const signed = readAlg(decoded);
  if ('state' in signed) return signed;
  const notes: Rich[] = [];
  const refused = headerRefusal(signed.header, notes);
  if (refused) return refused;
  const a = attempt(decoded, signed, keys, notes);
  if (a.candidates.length === 0 && embedded.length === 0) return noKeyVerdict(a);
  const shape = await ecdsaRefusal(a);
  if (shape) return shape;
  const { verifiedBy, failures } = await firstVerifying(a);
  // The one rule (trust/verdict.ts): a plain JWT has no direction, so any key the user trusts fits.
  if (verifiedBy && isVerified({ direction: 'none' }, verifiedBy, [])) return verifiedVerdict(a, verifiedBy);
  return (await embeddedVerdict(a, embedded)) ?? failedVerdict(a, failures);
}

/** Check one key: true when it verifies, otherwise why not. */
async function tryKey({ decoded, alg, info }: Attempt, key: VerificationKey): Promise<true | Failure> {
  const bad = compatibility(alg, info, key);
  if (bad) return bad;
  if (await check(decoded, decoded.signature!, info.id, key)) return true;
  const other = info.family === 'RS' ? 'PS' : 'RS';
  const twin = `${other}${alg.slice(2)}` as AlgId;
  // Does it verify under the other RSA padding (PKCS#1 v1.5 ↔ PSS)?
  if (
    (info.family === 'RS' || info.family === 'PS') &&
    (await check(decoded, decoded.signature!, twin, key))
  ) {
    return {
      code: 'ERR_JWT_RS_PS_CONFUSION',
      parts: rich`RS/PS confusion: the header says ${ours(alg)}, but the signature is ${ours(twin)} (${ours(other === 'PS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5')} padding) by ${key.label}.`,
      remedy: `The signer used the wrong padding for its alg header. Make the signer use ${info.family === 'RS' ? 'RSASSA-PKCS1-v1_5 (RS)' : 'RSA-PSS (PS)'} or set alg to ${twin}. Until then, no compliant verifier will accept it.`,
    };
  }
  return { code: 'ERR_JWT_SIGNATURE', parts: rich`The signature does not match ${key.label}.` };
}

/** The verifying key in words: a stored key is "your key" only when its owner is Mine, a partner's by name. */
function describeSource(key: VerificationKey): Rich {
  if (key.origin === 'x5c') return ["the token's x5c certificate"];
  if (key.origin === 'jwk-header') return ["the token's embedded jwk"];
  if (key.origin !== 'stored') return [u(key.label)];
  const owner = key.kind === 'public' ? key.owner : undefined;
  if (owner === 'mine') return rich`your key ${key.label}`;
  if (owner === undefined) return rich`the stored key ${key.label}`;
  return [`${PARTNER_NAMES[owner]}'s key `, u(key.label)];
}

/** The verdict refusing an ECDSA signature of the wrong length: DER (with the converted token), or why not. */
async function ecdsaShape({ decoded, alg, info, candidates, tried }: Attempt): Promise<Verdict> {
  const sig = decoded.signature!;
  const want = info.size! * 2;
  const raw = derToRaw(sig, info.size!);
  if (raw) {
    const fixedToken = `${decoded.segments[0]}.${decoded.segments[1]}.${bytesToBase64url(raw)}`;
    let verifiedWith: string | undefined;
    for (const key of candidates) {
      if (compatibility(alg, info, key)) continue;
      if (await check(decoded, raw, info.id, key)) {
        verifiedWith = key.label;
        break;
      }
    }
    return fail(
      'ERR_JWT_ECDSA_DER',
      [
        `The ${alg} signature is DER-encoded (ASN.1 SEQUENCE of r and s, ${sig.length} bytes), but JWS requires raw r‖s (${want} bytes).`,
        ...(verifiedWith !== undefined ? rich` Converted, it verifies with ${verifiedWith}.` : []),
      ],
      tried,
      'The signer passed the output of OpenSSL\'s `dgst -sign`, Java\'s Signature("SHA512withECDSA"), .NET\'s SignData with DSASignatureFormat.Rfc3279DerSequence, or Go\'s ecdsa.SignASN1 straight into the token. Convert it to raw r‖s (RFC 7518 §3.4), e.g. Java "SHA512withECDSAinP1363Format", or jose/Web Crypto which produce the right form. The converted token is below.',
      { fixedToken },
    );
  }
  const otherAlg = Object.values(ALGORITHMS).find(
    (a) => a.id.startsWith('ES') && a.signatureLength === sig.length,
  )?.id;
  const shortBy = want - sig.length;
  return fail(
    'ERR_JWT_ECDSA_LENGTH',
    `The ${alg} signature is ${sig.length} bytes; ${alg} signatures are exactly ${want} bytes (r and s, ${info.size} bytes each).`,
    tried,
    otherAlg
      ? `${sig.length} bytes is the length ${otherAlg} produces: the header may name the wrong algorithm, or the key is on the wrong curve.`
      : shortBy > 0 && shortBy <= 4
        ? `${shortBy} byte${shortBy > 1 ? 's' : ''} short: the signer dropped leading zero bytes of r or s instead of left-padding each to ${info.size} bytes (a classic bug when converting from DER or from big integers). Pad r and s to ${info.size} bytes each.`
        : 'The signature segment is damaged or was produced by a non-JWS signer.',
  );
}
