/**
 * x-sign itself: the ways it can be read as bytes, and the mistakes in how a signature was made or
 * written (its encoding, RSA-PSS, another hash). These are read from the signature, not searched:
 * RSA's public operation says which padding and hash made it (rsa.ts).
 */
import { base64ToBytes, base64urlToBytes } from '../../encoding/base64url';
import type { Diagnosis, TrustedKey } from '../../request/types';
import { ours, rich } from '../../rich';
import { equalBytes, type Recovered } from './rsa';

/** How x-sign was written. */
export type SigEncoding = 'base64url' | 'base64url-padded' | 'base64' | 'hex';

/** One way of reading x-sign as bytes. */
export interface SigVariant {
  encoding: SigEncoding;
  bytes: Uint8Array<ArrayBuffer>;
}

/** A mistake as keybench words it, before it is tied to the signed and sent bytes. */
export type Explained = Pick<Diagnosis, 'code' | 'title' | 'explanation' | 'remedy'>;

const ENCODING_WORDS: Record<SigEncoding, string> = {
  base64url: 'base64url without padding',
  'base64url-padded': 'base64url with = padding',
  base64: 'standard base64 (+ and /, with padding)',
  hex: 'hexadecimal',
};

function hexBytes(text: string): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(text.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return b;
}

/** Every way x-sign can be read as bytes; base64url without padding (Qredo's) first. */
export function sigVariants(xSign: string): SigVariant[] {
  const out: SigVariant[] = [];
  const add = (encoding: SigEncoding, read: () => Uint8Array<ArrayBuffer>) => {
    try {
      const bytes = read();
      if (bytes.length && !out.some((v) => equalBytes(v.bytes, bytes))) out.push({ encoding, bytes });
    } catch {
      // Not this encoding.
    }
  };
  if (/^[A-Za-z0-9_-]+$/.test(xSign)) add('base64url', () => base64urlToBytes(xSign));
  if (/^[A-Za-z0-9_-]+={1,2}$/.test(xSign))
    add('base64url-padded', () => base64urlToBytes(xSign.replace(/=+$/, '')));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(xSign) && /[+/=]/.test(xSign)) add('base64', () => base64ToBytes(xSign));
  if (/^(?:[0-9a-fA-F]{2})+$/.test(xSign)) add('hex', () => hexBytes(xSign));
  return out;
}

/** x-sign written in another encoding than base64url without padding. */
export function encodingMistake(encoding: SigEncoding): Explained {
  return {
    code: 'ERR_QREDO_SIGN_ENCODING',
    title: `x-sign sent as ${ENCODING_WORDS[encoding]}`,
    explanation: [
      `x-sign is ${ENCODING_WORDS[encoding]}; Qredo reads base64url without padding (342 characters for RSA-2048), so it cannot read this signature even though the signature itself is right.`,
    ],
    remedy:
      'Encode the signature as base64url without padding: Buffer.toString("base64url") in Node, base64.RawURLEncoding in Go, base64.urlsafe_b64encode(sig).rstrip(b"=") in Python.',
  };
}

/** The mistake in how the signature was made (RSA-PSS, or a hash other than SHA-256), if any. */
export function paddingMistake(rec: Recovered, key: TrustedKey): Explained | null {
  if (rec.kind === 'pss')
    return {
      code: 'ERR_QREDO_PSS',
      title: `Signed with RSA-PSS (${rec.hash}, salt ${rec.salt.length} bytes) instead of PKCS#1 v1.5`,
      explanation: rich`Key ${key.label} made this signature with RSASSA-PSS (${ours(rec.hash)}, ${rec.salt.length}-byte salt). Qredo verifies RSASSA-PKCS1-v1_5 with SHA-256, which PSS signatures never pass.`,
      remedy:
        'Use PKCS#1 v1.5 padding: crypto.sign("sha256", msg, key) with the default padding in Node, rsa.SignPKCS1v15 in Go, padding.PKCS1v15() in Python cryptography, {name: "RSASSA-PKCS1-v1_5"} in WebCrypto.',
    };
  if (rec.hash !== 'SHA-256')
    return {
      code: 'ERR_QREDO_HASH',
      title: `Signed with ${rec.hash} instead of SHA-256`,
      explanation: rich`Key ${key.label} made this PKCS#1 v1.5 signature over a ${ours(rec.hash)} digest. Qredo verifies SHA-256.`,
      remedy:
        'Hash with SHA-256 (RSA-SHA256 / crypto.SHA256 / hashes.SHA256()), and do not pre-hash the message yourself.',
    };
  return null;
}
