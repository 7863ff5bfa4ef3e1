/**
 * A compact-JWS verifier written by hand on node:crypto, for the differential check: it shares no
 * code with keybench (nor with jose). It follows RFC 7515/7518 strictly: alg "none" never verifies,
 * a critical header it does not know fails, duplicate member names fail, ES signatures are raw r‖s
 * of the curve's size on the curve the alg names, HS needs a secret key, and JWK metadata that
 * limits a key (use, key_ops, alg) is honoured; a JWKS's keys are selected by kid, as jose does.
 */
import { createHmac, timingSafeEqual, verify, constants, type KeyObject } from 'node:crypto';
import type { TrustedForNode } from './attack-corpus';

const CURVES: Record<string, [string, number]> = {
  ES256: ['prime256v1', 32],
  ES384: ['secp384r1', 48],
  ES512: ['secp521r1', 66],
};

/** Member names of every JSON object in `text`, checked for repeats (a second, independent scan). */
function hasDuplicateNames(text: string): boolean {
  const seen: Set<string>[] = [];
  const re = /"(?:[^"\\]|\\.)*"|[{}[\]]/g;
  const kinds: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const t = m[0];
    if (t === '{') {
      seen.push(new Set());
      kinds.push('{');
    } else if (t === '[') kinds.push('[');
    else if (t === '}') {
      seen.pop();
      kinds.pop();
    } else if (t === ']') kinds.pop();
    else if (kinds[kinds.length - 1] === '{' && /^\s*:/.test(text.slice(re.lastIndex))) {
      const name = JSON.parse(t) as string;
      const set = seen[seen.length - 1]!;
      if (set.has(name)) return true;
      set.add(name);
    }
  }
  return false;
}

function b64urlOk(s: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(s);
}

/** Does `token` verify with one of `trusted`, under its own alg? */
export function nodeJoseVerify(token: string, trusted: TrustedForNode[]): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every(b64urlOk)) return false;
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let headerText: string;
  try {
    headerText = Buffer.from(h, 'base64url').toString('utf8');
    header = JSON.parse(headerText) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (typeof header !== 'object' || header === null || hasDuplicateNames(headerText)) return false;
  const payloadText = Buffer.from(p, 'base64url').toString('utf8');
  if (payloadText.trimStart().startsWith('{') && hasDuplicateNames(payloadText)) return false;
  const alg = Object.hasOwn(header, 'alg') ? header.alg : undefined;
  if (typeof alg !== 'string') return false;
  if (Object.hasOwn(header, 'crit')) return false; // this verifier implements no extension
  if (Object.hasOwn(header, 'b64')) return false;
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const usable = (t: TrustedForNode) =>
    (t.use === undefined || t.use === 'sig') &&
    (t.keyOps === undefined || t.keyOps.length === 0 || t.keyOps.includes('verify')) &&
    (t.alg === undefined || t.alg === alg);
  // Keys of a JWKS are selected as a kid-selecting server (and jose's createLocalJWKSet) does: the
  // keys that fit the alg and, when the token names a kid, have that kid; without a kid, a single
  // such key or none at all (several: the server cannot choose).
  const inSet = trusted.filter((t) => t.inSet);
  const loose = trusted.filter((t) => !t.inSet);
  const kid = Object.hasOwn(header, 'kid') ? header.kid : undefined;
  // As jose: a kid that is not a string selects no key; more than one key selected is refused.
  const selected = inSet.filter(
    (t) => usable(t) && fits(alg, t.key) && (kid === undefined || (typeof kid === 'string' && t.kid === kid)),
  );
  const fromSet = selected.length > 1 ? [] : selected;
  return [...fromSet, ...loose].some((t) => usable(t) && verifyOne(alg, t.key, data, sig));
}

/** Is `key` of the type (and curve) `alg` needs? */
function fits(alg: string, key: KeyObject): boolean {
  if (alg === 'EdDSA' || alg === 'Ed25519') return key.asymmetricKeyType === 'ed25519';
  if (/^(RS|PS)/.test(alg)) return key.asymmetricKeyType === 'rsa';
  const curve = CURVES[alg]?.[0];
  if (curve) return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve;
  return key.type === 'secret';
}

function verifyOne(alg: string, key: KeyObject, data: Buffer, sig: Buffer): boolean {
  const m = /^(RS|PS|ES|HS)(256|384|512)$/.exec(alg);
  if (alg === 'EdDSA' || alg === 'Ed25519') {
    return key.type === 'public' && key.asymmetricKeyType === 'ed25519' && verify(null, data, key, sig);
  }
  if (!m) return false;
  const [, family, bits] = m as unknown as [string, string, string];
  const hash = `sha${bits}`;
  switch (family) {
    case 'HS': {
      if (key.type !== 'secret') return false;
      const mac = createHmac(hash, key).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    case 'RS':
    case 'PS':
      if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') return false;
      return verify(
        hash,
        data,
        family === 'RS'
          ? { key, padding: constants.RSA_PKCS1_PADDING }
          : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 },
        sig,
      );
    case 'ES': {
      const [curve, size] = CURVES[alg]!;
      if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') return false;
      if (key.asymmetricKeyDetails?.namedCurve !== curve || sig.length !== size * 2) return false;
      return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    }
  }
  return false;
}
