/** Facts about an ECDSA signature's r and s that the verdict reports (psychic signatures, high S). */
import { toHex } from '../encoding/base64url';

/** The group order n of each curve. */
const ORDER: Record<string, bigint> = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384':
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  'P-521':
    0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

/** Bytes as a big-endian unsigned integer (never empty here: half of an ES signature). */
const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${toHex(bytes)}`);

/**
 * For a raw r‖s signature on `curve`: `zero` when r or s is 0 (never valid: the "psychic signature"
 * of CVE-2022-21449), and a note when s is in the upper half of the group (valid ECDSA, but a sign of
 * a signer that does not normalise to low S, which some verifiers, e.g. Bitcoin's, refuse).
 */
export function ecdsaSignatureNotes(sig: Uint8Array, curve: string): { zero: boolean; highS?: string } {
  const n = ORDER[curve];
  const half = sig.length / 2;
  const r = toBigInt(sig.subarray(0, half));
  const s = toBigInt(sig.subarray(half));
  if (r === 0n || s === 0n) return { zero: true };
  if (n !== undefined && s > n / 2n && s < n) {
    return {
      zero: false,
      highS:
        'High-S signature: s is in the upper half of the curve order. It is valid ECDSA and JOSE verifiers accept it, but (r, n − s) is an equally valid signature of the same token, so a signer that normalises to low S would not produce it; verifiers that insist on low S (to stop signature malleability, e.g. in some blockchain libraries) refuse it.',
    };
  }
  return { zero: false };
}
