import type { JWK } from 'jose';
import { base64ToBytes, base64urlToBytes } from '../encoding/base64url';
import { KeybenchError, messageOf, type ErrorCode } from '../errors';
import { own } from '../json';
import { describeKeyType, keyTypeOf, type KeyType } from '../keys/key-type';
import { isOctJwkText, keyTextTooLarge, scanKeyMaterial } from '../keys/key-material';
import { decideKeyBox } from '../keys/key-box';
import { spkiToPem } from '../keys/export';
import { forgetPrivate } from '../keys/import';
import type { ParsedKey } from '../keys/parse';
import type { StoredKey } from '../keys/stored-key';
import { algInfo } from './algorithms';
import type { Rich } from '../rich';
import type { VerificationKey } from './verify';

/** How the user says an HMAC secret is written. */
export type SecretEncoding = 'text' | 'base64' | 'base64url';

/** The keys found in the Verification key box. */
export interface KeyBoxResult {
  candidates: VerificationKey[];
  /**
   * The text holds private key material: the page must not keep it. `publicPem` is the public half
   * when it could be derived (the page puts it in the box instead); otherwise `problem` says why not.
   */
  privateKeyPasted?: PrivateKeyPasted;
  /** Why no key could be read; `parts` keeps untrusted text (a JWK member, a PEM label) apart. */
  error?: { code: ErrorCode; message: string; parts?: Rich; remedy?: string };
  /** Worth knowing about the key text (a short HMAC secret…). */
  notes?: string[];
  /** What was understood, for the user ("JWKS with 3 keys", "HMAC secret, 32 bytes"). */
  understood?: string;
}

/** What became of a pasted private key. */
export interface PrivateKeyPasted {
  source: string;
  publicPem?: string;
  problem?: string;
}

/** The key parser pulls in the ASN.1 libraries: load it only when a key is pasted or carried by a token. */
const loadParser = () => import('../keys/parse');

/**
 * A stored key's type. keybench imports a plain RSA key for PKCS#1 v1.5, so an imported RSA-PSS key
 * was an id-RSASSA-PSS key: it stays PSS-only, with the hash it was imported for. (A key keybench
 * generated for PS256 has a plain RSA public key, and stays plain.)
 */
function storedKeyType(k: StoredKey): KeyType {
  const t = keyTypeOf(k.publicKey);
  const a = k.publicKey.algorithm as Partial<RsaHashedKeyAlgorithm>;
  if (t.kty !== 'RSA' || k.origin !== 'imported' || a.name !== 'RSA-PSS') return t;
  const hash = a.hash?.name;
  return { ...t, pss: hash === 'SHA-256' || hash === 'SHA-384' || hash === 'SHA-512' ? { hash } : {} };
}

/** Candidates from the keyring: every key pair's and trusted key's public half, with whose key it is. */
export function candidatesFromStored(
  keys: readonly StoredKey[],
  thumbprints: Record<string, string | undefined>,
): VerificationKey[] {
  return keys.map((k) => {
    // A pair is always the user's own (stored-key.ts), even before its record says so.
    const owner = k.owner ?? (k.kind === 'pair' ? 'mine' : undefined);
    return {
      kind: 'public',
      label: k.label,
      origin: 'stored',
      spki: k.spki,
      type: storedKeyType(k),
      thumbprint: thumbprints[k.id],
      ...(owner ? { owner } : {}),
    };
  });
}

/** Candidates the token carries itself: an `x5c` leaf certificate, an embedded `jwk`. Integrity only. */
export async function candidatesFromHeader(
  header: Record<string, unknown> | undefined,
): Promise<VerificationKey[]> {
  const out: VerificationKey[] = [];
  const x5c = own(header, 'x5c');
  const jwk = own(header, 'jwk') as JWK | undefined;
  if (!x5c && !jwk) return out;
  const { jwkToSpki, parseKeySetText, spkiKeyType } = await loadParser();
  // x5c[0] is untrusted: only plain base64 may be wrapped in armour (no smuggled PEM blocks).
  if (Array.isArray(x5c) && typeof x5c[0] === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(x5c[0])) {
    try {
      const [parsed] = await parseKeySetText(
        `-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`,
      );
      const label = "x5c certificate (from the token's header)";
      if (parsed) out.push({ kind: 'public', label, origin: 'x5c', spki: parsed.spki, type: parsed.type });
    } catch {
      // A broken x5c is simply not a candidate; the verdict says which keys were tried.
    }
  }
  if (jwk && typeof jwk === 'object' && typeof own(jwk, 'kty') === 'string' && jwk.kty !== 'oct') {
    try {
      const spki = await jwkToSpki(jwk);
      const label = "jwk embedded in the token's header";
      out.push({ kind: 'public', label, origin: 'jwk-header', spki, type: spkiKeyType(spki) });
    } catch {
      // As above.
    }
  }
  return out;
}

/**
 * The bytes of a secret as typed: UTF-8 text, or base64 / base64url.
 * @throws on a character outside the chosen alphabet.
 */
export function secretBytes(text: string, encoding: SecretEncoding): Uint8Array<ArrayBuffer> {
  if (encoding === 'text') return new TextEncoder().encode(text);
  const t = text.trim();
  return encoding === 'base64' ? base64ToBytes(t) : base64urlToBytes(t.replace(/=+$/, ''));
}

function fromParsed(parsed: ParsedKey, label: string, origin: 'pasted' | 'jwks'): VerificationKey {
  const pub = parsed.kind === 'public' ? parsed : undefined;
  return {
    kind: 'public',
    label,
    origin,
    spki: parsed.spki,
    type: parsed.type,
    kid: pub?.kid,
    alg: pub?.alg,
    use: pub?.use,
    keyOps: pub?.keyOps,
    ...(origin === 'pasted' && pub?.certificate ? { certificate: pub.certificate } : {}),
  };
}

/** What a pasted key is, in plain words ("the public key you pasted"). */
const SOURCE_WORDS: Record<string, string> = {
  'SPKI PEM': 'public key',
  'PKCS#1 RSA PUBLIC KEY': 'RSA public key',
  'X.509 certificate': 'certificate',
  JWK: 'JWK',
  'DER without armour': 'public key',
};

function labelsFor(parsed: ParsedKey[], jwks: boolean): string[] {
  return parsed.map((p, i) => {
    const kid = p.kind === 'public' ? p.kid : undefined;
    const ofKid = kid !== undefined ? ` (kid ${kid})` : '';
    if (jwks) return `key ${i + 1} of ${parsed.length}${ofKid}`;
    if (p.kind === 'private') return 'the public half of the private key you pasted';
    const what = SOURCE_WORDS[p.source] ?? 'key';
    const nth = parsed.length > 1 ? ` (${i + 1} of ${parsed.length})` : '';
    return `the ${what} you pasted${nth}${ofKid}`;
  });
}

/**
 * The public half of private key material in `text`, as PEM, so the page can put it in place of
 * the private key; or why it could not be derived. Never keeps the private key.
 */
export async function publicHalfOf(text: string): Promise<PrivateKeyPasted> {
  const tooLarge = keyTextTooLarge(text);
  if (tooLarge) return { source: 'text too large to read', problem: tooLarge };
  const scan = scanKeyMaterial(text);
  const source = scan.kinds.filter((k) => /private/i.test(k)).join(', ') || 'private key';
  try {
    const parsed = await (await loadParser()).parseKeySetText(text);
    const priv = parsed.find((p) => p.kind === 'private');
    for (const p of parsed) if (p.kind === 'private') forgetPrivate(p);
    if (priv) return { source: priv.source, publicPem: spkiToPem(priv.spki) };
    return { source, problem: 'keybench could not read a public half from it.' };
  } catch (e) {
    return { source, problem: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The box as an HMAC secret: the bytes `read` decodes, described by `understood`, with a note when
 * shorter than `alg`'s hash; or ERR_BASE64 when they are not in their encoding (`notValid`, then
 * the decoder's words).
 */
function secretResult(
  read: () => Uint8Array<ArrayBuffer>,
  understood: (length: number) => string,
  notValid: string,
  alg: string | undefined,
  privateKeyPasted?: PrivateKeyPasted,
): KeyBoxResult {
  let secret: Uint8Array<ArrayBuffer>;
  try {
    secret = read();
  } catch (e) {
    return { candidates: [], error: { code: 'ERR_BASE64', message: `${notValid}: ${messageOf(e)}` } };
  }
  const info = alg !== undefined ? algInfo(alg) : null;
  const need = info?.family === 'HS' ? Number(info.hash.slice(4)) / 8 : 0;
  return {
    candidates: [{ kind: 'secret', label: 'the pasted secret', origin: 'pasted', secret }],
    understood: understood(secret.length),
    privateKeyPasted,
    notes:
      secret.length < need
        ? [
            `This secret is ${secret.length} bytes; ${alg} needs at least ${need} (RFC 7518 §3.2). A short secret can be guessed offline from a single token.`,
          ]
        : undefined,
  };
}

/** The remedy when a key shape was refused as a secret but the tick would take it: say how. */
const TICK_REMEDY =
  'If this text really is your shared secret, tick "Shared secret (HMAC)" under the key box.';

/** The box refused as a secret: it holds key material, or a key shape the user did not tick. */
function refusedSecretResult(
  alg: string | undefined,
  found: string,
  tickHelps: boolean,
  privateKeyPasted: PrivateKeyPasted | undefined,
): KeyBoxResult {
  const message = tickHelps
    ? `Not verified: the token says ${alg} (a shared secret), but the key box holds ${found}, so keybench did not use it as the secret.`
    : `Refused: the token says ${alg} (a shared secret), but the key box holds ${found}, not a secret.`;
  return {
    candidates: [],
    privateKeyPasted,
    error: { code: 'ERR_JWT_HMAC_WITH_PUBLIC_KEY', message, ...(tickHelps ? { remedy: TICK_REMEDY } : {}) },
  };
}

/** The public keys in the box (one key, or a JWKS), or why it holds none keybench reads. */
async function publicKeysResult(
  text: string,
  privateKeyPasted: PrivateKeyPasted | undefined,
): Promise<KeyBoxResult> {
  let parsed: ParsedKey[];
  try {
    parsed = await (await loadParser()).parseKeySetText(text);
  } catch (e) {
    const code = e instanceof KeybenchError ? e.code : 'ERR_KEY_UNRECOGNISED';
    const message = e instanceof Error ? e.message : String(e);
    return {
      candidates: [],
      privateKeyPasted,
      error: { code, message, parts: e instanceof KeybenchError ? e.parts : [message] },
    };
  }
  // Only a JWKS is a set a server picks from by kid; several PEM blocks are just several keys.
  const jwks = text.trim().startsWith('{') && text.includes('"keys"');
  const labels = labelsFor(parsed, jwks);
  const candidates = parsed.map((p, i) => fromParsed(p, labels[i]!, jwks ? 'jwks' : 'pasted'));
  for (const p of parsed) if (p.kind === 'private') forgetPrivate(p);
  return {
    candidates,
    privateKeyPasted,
    understood: jwks
      ? `a JWKS with ${parsed.length} key${parsed.length === 1 ? '' : 's'}`
      : parsed.length > 1
        ? `${parsed.length} keys, each tried in turn`
        : `${parsed[0]!.source}, ${describeKeyType(parsed[0]!.type)}`,
  };
}

/** How the user set the key box: the **Shared secret (HMAC)** tick, and whether a secret may be guessed. */
export interface KeyBoxOptions {
  /** The user ticked **Shared secret (HMAC)**. */
  ticked?: boolean;
  /** Un-key-like text may be the secret without the tick (HS* tokens: yes, the default; requests: no). */
  guess?: boolean;
}

/**
 * Read the Verification key box for a token with algorithm `alg`: PEM (SPKI, PKCS#1, certificate),
 * armourless DER, JWK, JWKS, or an HMAC secret. Whether the text is a secret is decided by the one
 * rule in keys/key-box.ts: key material is never a secret, a key shape without `kty` only when
 * ticked (that is the algorithm-confusion attack). Private key material is reported in
 * `privateKeyPasted`, whatever else the text holds, and never kept.
 */
export async function keysFromText(
  text: string,
  alg: string | undefined,
  encoding: SecretEncoding,
  options: KeyBoxOptions = {},
): Promise<KeyBoxResult> {
  if (!text.trim()) return { candidates: [] };
  const tooLarge = keyTextTooLarge(text);
  if (tooLarge) return { candidates: [], error: { code: 'ERR_KEY_TOO_LARGE', message: tooLarge } };
  const info = alg !== undefined ? algInfo(alg) : null;
  const scan = scanKeyMaterial(text);
  const privateKeyPasted = scan.hasPrivate ? await publicHalfOf(text) : undefined;
  // A JWK of kty "oct" is an HMAC secret written as JSON.
  if (isOctJwkText(text)) {
    // Read inside the reader: a "k" that cannot become text is the same clean refusal.
    return secretResult(
      () => base64urlToBytes(String(own(JSON.parse(text), 'k') ?? '')),
      (n) => `HMAC secret from an oct JWK, ${n} bytes`,
      `The oct JWK's "k" is not base64url`,
      alg,
      privateKeyPasted,
    );
  }
  const decision = await decideKeyBox(text, {
    hmac: info?.family === 'HS',
    ticked: options.ticked ?? false,
    guess: options.guess ?? true,
  });
  if (decision.read === 'secret') {
    return secretResult(
      () => secretBytes(text, encoding),
      (n) => `HMAC secret, ${n} bytes (${encoding})`,
      `The secret is not valid ${encoding}`,
      alg,
    );
  }
  if (decision.read === 'refused') {
    return refusedSecretResult(alg, decision.found, decision.tickHelps, privateKeyPasted);
  }
  return publicKeysResult(text, privateKeyPasted);
}
