import type { JWK } from 'jose';
import { base64ToBytes, base64urlToBytes } from '../encoding/base64url';
import { KeybenchError, type ErrorCode } from '../errors';
import { describeKeyType, keyTypeOf } from '../keys/key-type';
import { spkiToPem } from '../keys/export';
import { forgetPrivate } from '../keys/import';
import type { ParsedKey } from '../keys/parse';
import type { StoredKey } from '../keys/stored-key';
import { algInfo } from './algorithms';
import type { VerificationKey } from './verify';

/** How the user says an HMAC secret is written. */
export type SecretEncoding = 'text' | 'base64' | 'base64url';

/** The keys found in the Verification key box. */
export interface KeyBoxResult {
  candidates: VerificationKey[];
  /** A private key was pasted: its public half as PEM, so the page can replace the private text with it. */
  privateKeyPasted?: { publicPem: string; source: string };
  error?: { code: ErrorCode; message: string };
  /** What was understood, for the user ("JWKS with 3 keys", "HMAC secret, 32 bytes"). */
  understood?: string;
}

/** The key parser pulls in the ASN.1 libraries: load it only when a key is pasted or carried by a token. */
const loadParser = () => import('../keys/parse');

/** Candidates from the keyring: every key pair's and trusted key's public half. */
export function candidatesFromStored(
  keys: readonly StoredKey[],
  thumbprints: Record<string, string | undefined>,
): VerificationKey[] {
  return keys.map((k) => ({
    kind: 'public',
    label: k.label,
    origin: 'stored',
    spki: k.spki,
    type: keyTypeOf(k.publicKey),
    thumbprint: thumbprints[k.id],
  }));
}

/** Candidates the token carries itself: an `x5c` leaf certificate, an embedded `jwk`. Integrity only. */
export async function candidatesFromHeader(
  header: Record<string, unknown> | undefined,
): Promise<VerificationKey[]> {
  const out: VerificationKey[] = [];
  if (!header || (!header.x5c && !header.jwk)) return out;
  const { jwkToSpki, parseKeySetText, spkiKeyType } = await loadParser();
  const x5c = header.x5c;
  // x5c[0] is untrusted: only plain base64 may be wrapped in armour (no smuggled PEM blocks).
  if (Array.isArray(x5c) && typeof x5c[0] === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(x5c[0])) {
    try {
      const [parsed] = await parseKeySetText(
        `-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`,
      );
      if (parsed) {
        out.push({
          kind: 'public',
          label: "x5c certificate (from the token's header)",
          origin: 'x5c',
          spki: parsed.spki,
          type: parsed.type,
        });
      }
    } catch {
      // A broken x5c is simply not a candidate; the verdict says which keys were tried.
    }
  }
  const jwk = header.jwk as JWK | undefined;
  if (jwk && typeof jwk === 'object' && typeof jwk.kty === 'string' && jwk.kty !== 'oct') {
    try {
      const spki = await jwkToSpki(jwk);
      out.push({
        kind: 'public',
        label: "jwk embedded in the token's header",
        origin: 'jwk-header',
        spki,
        type: spkiKeyType(spki),
      });
    } catch {
      // As above.
    }
  }
  return out;
}

function secretBytes(text: string, encoding: SecretEncoding): Uint8Array<ArrayBuffer> {
  if (encoding === 'text') return new TextEncoder().encode(text);
  const t = text.trim();
  return encoding === 'base64' ? base64ToBytes(t) : base64urlToBytes(t.replace(/=+$/, ''));
}

function fromParsed(parsed: ParsedKey, label: string, origin: 'pasted' | 'jwks'): VerificationKey {
  return {
    kind: 'public',
    label,
    origin,
    spki: parsed.spki,
    type: parsed.type,
    kid: parsed.kind === 'public' ? parsed.kid : undefined,
    alg: parsed.kind === 'public' ? parsed.alg : undefined,
  };
}

function looksLikeKey(text: string): boolean {
  const t = text.trim();
  return (
    t.startsWith('-----BEGIN') ||
    t.startsWith('{') ||
    (/^[A-Za-z0-9+/=\s]+$/.test(t) && t.replace(/\s/g, '').length > 200)
  );
}

/**
 * Read the Verification key box for a token with algorithm `alg`: PEM (SPKI, PKCS#1, certificate),
 * armourless DER, JWK, JWKS, or an HMAC secret. A pasted private key is never kept: its public half
 * is used, and reported so the page can replace the text.
 */
export async function keysFromText(
  text: string,
  alg: string | undefined,
  encoding: SecretEncoding,
): Promise<KeyBoxResult> {
  if (!text.trim()) return { candidates: [] };
  const hmac = alg !== undefined && algInfo(alg)?.family === 'HS';
  if (hmac && !looksLikeKey(text)) {
    try {
      const secret = secretBytes(text, encoding);
      return {
        candidates: [{ kind: 'secret', label: 'the pasted secret', origin: 'pasted', secret }],
        understood: `HMAC secret, ${secret.length} bytes (${encoding})`,
      };
    } catch (e) {
      return {
        candidates: [],
        error: {
          code: 'ERR_BASE64',
          message: `The secret is not valid ${encoding}: ${e instanceof Error ? e.message : e}`,
        },
      };
    }
  }
  // A JWK of kty "oct" is an HMAC secret written as JSON.
  if (text.trim().startsWith('{')) {
    try {
      const j = JSON.parse(text) as JWK;
      if (j.kty === 'oct' && typeof j.k === 'string') {
        const secret = base64urlToBytes(j.k);
        return {
          candidates: [{ kind: 'secret', label: 'the pasted oct JWK', origin: 'pasted', secret }],
          understood: `HMAC secret from an oct JWK, ${secret.length} bytes`,
        };
      }
    } catch {
      // Not JSON: the key parser reports it below.
    }
  }
  let parsed: ParsedKey[];
  try {
    parsed = await (await loadParser()).parseKeySetText(text);
  } catch (e) {
    const code = e instanceof KeybenchError ? e.code : 'ERR_KEY_UNRECOGNISED';
    return { candidates: [], error: { code, message: e instanceof Error ? e.message : String(e) } };
  }
  const result: KeyBoxResult = { candidates: [] };
  const isSet = parsed.length > 1 || text.includes('"keys"');
  parsed.forEach((p, i) => {
    const label =
      p.kind === 'public' && p.kid
        ? `JWK kid ${p.kid}`
        : isSet
          ? `key ${i + 1} of the pasted set`
          : p.kind === 'private'
            ? 'the public half of the pasted private key'
            : `the pasted ${p.source}`;
    result.candidates.push(fromParsed(p, label, isSet ? 'jwks' : 'pasted'));
    if (p.kind === 'private') {
      result.privateKeyPasted = { publicPem: spkiToPem(p.spki), source: p.source };
      forgetPrivate(p);
    }
  });
  result.understood = isSet
    ? `${parsed.length} keys`
    : `${parsed[0]!.source}, ${result.candidates[0]!.kind === 'public' ? describeKeyType(parsed[0]!.type) : ''}`;
  return result;
}
