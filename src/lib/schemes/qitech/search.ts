/**
 * QI Tech's side of the one mistake search (engine/search.ts). A QI Tech signature covers a JWS
 * whose claims the signer filled in (v2: payload_md5, uri, method; v1: the five lines of the
 * `signature` claim), so a mistake is a claim filled in from a transformed request (md5 of another
 * serialisation, the path without its query…). An alternative is the whole JWS signing input the
 * mistaken signer produced; the engine reports it only when WebCrypto verifies the token's
 * signature over those bytes with a trusted key.
 */
import { base64urlToBytes, textToBase64url } from '../../encoding/base64url';
import type { DecodedToken } from '../../jwt/decode';
import type { VerificationKey } from '../../jwt/verify';
import type { Diagnosis } from '../../request/types';
import { searchMistakes } from '../engine/search';
import type { Alternative, Candidate, Mistake } from '../engine/types';

/** A diagnosis with the part it explains (a finding's `check`), before it is handed out. */
export interface Found extends Diagnosis {
  explains?: string;
}

/** What a QI Tech mistake reads: the token as signed, and the request as sent. */
export interface TokenCtx {
  /** The token's header segment and payload text, exactly as signed. */
  headerSeg: string;
  payloadText: string;
  claims: Record<string, unknown>;
}

/** An alternative, with what the diagnosis shows as signed and sent (the part, not the whole JWS). */
export interface QitAlternative extends Alternative {
  shown: { signed: string; sent: string };
  /** A title for this alternative when it says more than the mistake's. */
  title?: string;
}

/** A QI Tech mistake: data, plus the finding check it explains. */
export interface QitMistake<Ctx> extends Mistake<Ctx> {
  explains: string;
  alternatives(ctx: Ctx): QitAlternative[];
}

const encoder = new TextEncoder();

/** The token's own claim value, kept byte for byte when the alternative is the value it carries. */
function claimLiteral(ctx: TokenCtx, name: string, value: string): string | null {
  if (ctx.claims[name] !== value) return null;
  const re = new RegExp(`"${name}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`);
  return re.exec(ctx.payloadText)?.[1] ?? null;
}

/**
 * The signing input of the token with claim `name` set to `value` (other claims as signed): what a
 * signer who filled that claim in with `value` signed. Kept as the token's literal when it already
 * carries `value` (an encoder may escape differently, e.g. PHP's `\/`).
 */
export function withClaim(ctx: TokenCtx, name: string, value: string): Uint8Array<ArrayBuffer> {
  const literal = claimLiteral(ctx, name, value) ?? JSON.stringify(value);
  const re = new RegExp(`("${name}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`);
  const text = re.test(ctx.payloadText)
    ? ctx.payloadText.replace(re, (_m, head: string) => `${head}${literal}`)
    : ctx.payloadText;
  return encoder.encode(`${ctx.headerSeg}.${textToBase64url(text)}`);
}

/** The token's header segment and payload text, when it is a JWS with a JSON object payload. */
export function tokenCtx(
  decoded: DecodedToken,
  claims: Record<string, unknown> | undefined,
): TokenCtx | null {
  const p = decoded.payload;
  if (decoded.form !== 'jws' || !claims || !p || p.kind === 'binary') return null;
  return { headerSeg: decoded.segments[0] ?? '', payloadText: p.text, claims };
}

/** An ES512 verifier over bytes, with each candidate's key imported once. */
function es512Verifier() {
  const imported = new Map<VerificationKey, Promise<CryptoKey | null>>();
  const importOnce = (k: VerificationKey) => {
    let p = imported.get(k);
    if (!p) {
      p =
        k.kind === 'public'
          ? crypto.subtle
              .importKey('spki', k.spki, { name: 'ECDSA', namedCurve: 'P-521' }, false, ['verify'])
              .catch(() => null)
          : Promise.resolve(null);
      imported.set(k, p);
    }
    return p;
  };
  return async (c: Candidate, bytes: Uint8Array<ArrayBuffer>, sig: Uint8Array<ArrayBuffer>) => {
    const key = await importOnce(c.key);
    if (!key || sig.length !== 132) return false;
    return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-512' }, key, sig, bytes);
  };
}

/** What {@link searchQit} needs: the mistakes (data), their context, the keys and the signature. */
export interface QitSearch<Ctx> {
  mistakes: readonly QitMistake<Ctx>[];
  ctx: Ctx;
  /** Trusted P-521 keys. */
  keys: readonly VerificationKey[];
  /** The token's signature segment as raw r‖s (a DER one already converted). */
  signature: string;
  /** The token's signing input as sent, for the byte diff. */
  sentText: string;
}

/**
 * Run the engine's search over QI Tech mistakes and return confirmed diagnoses, each showing the
 * part that differs (signed vs sent) rather than the whole JWS, and the check it explains.
 */
export async function searchQit<Ctx>(s: QitSearch<Ctx>): Promise<Found[]> {
  if (s.keys.length === 0) return [];
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64urlToBytes(s.signature);
  } catch {
    return [];
  }
  const verify = es512Verifier();
  // The search reports one diagnosis right after each alternative that verifies: remember which.
  const confirmed: QitAlternative[] = [];
  const byBytes = new Map<Uint8Array, QitAlternative>();
  const mistakes = s.mistakes.map((m) => ({
    ...m,
    alternatives: (ctx: Ctx) => {
      const alts = m.alternatives(ctx);
      for (const a of alts) byBytes.set(a.bytes, a);
      return alts;
    },
  }));
  const diagnoses = await searchMistakes({
    mistakes,
    ctx: s.ctx,
    candidates: s.keys.map((key) => ({ key, alg: 'ES512' })),
    signature,
    sentText: s.sentText,
    verifyOver: async (c, bytes, sig) => {
      const ok = await verify(c, bytes, sig);
      const alt = byBytes.get(bytes);
      if (ok && alt) confirmed.push(alt);
      return ok;
    },
  });
  return diagnoses.map((d, i) => {
    const alt = confirmed[i];
    const m = s.mistakes.find((x) => x.code === d.code && x.title === d.title);
    return {
      ...d,
      ...(alt?.title ? { title: alt.title } : {}),
      signed: alt?.shown.signed ?? d.signed,
      sent: alt?.shown.sent ?? d.sent,
      ...(m ? { explains: m.explains } : {}),
    };
  });
}
