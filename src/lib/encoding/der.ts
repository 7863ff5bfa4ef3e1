/** Minimal DER for ECDSA signatures: the only DER keybench reads by hand (everything else uses @peculiar/asn1-*). */

/** A DER length at `at` (short form, or long form of up to 3 bytes): its value and where the content starts. */
export function readLength(der: Uint8Array, at: number): { length: number; next: number } | null {
  const first = der[at];
  if (first === undefined) return null;
  if (first < 0x80) return { length: first, next: at + 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 3) return null;
  let length = 0;
  for (let i = 1; i <= n; i++) {
    const b = der[at + i];
    if (b === undefined) return null;
    length = length * 256 + b;
  }
  return { length, next: at + 1 + n };
}

/**
 * If `sig` is a DER `SEQUENCE { INTEGER r, INTEGER s }` (what OpenSSL, Java, .NET and Go's ASN.1
 * APIs produce), return r and s as unsigned big-endian bytes; otherwise null.
 */
export function parseDerEcdsaSignature(sig: Uint8Array): { r: Uint8Array; s: Uint8Array } | null {
  if (sig[0] !== 0x30) return null;
  const seq = readLength(sig, 1);
  if (!seq || seq.next + seq.length !== sig.length) return null;
  const ints: Uint8Array[] = [];
  let at = seq.next;
  for (let i = 0; i < 2; i++) {
    if (sig[at] !== 0x02) return null;
    const len = readLength(sig, at + 1);
    if (!len || len.length === 0 || len.next + len.length > sig.length) return null;
    let value = sig.subarray(len.next, len.next + len.length);
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    ints.push(value);
    at = len.next + len.length;
  }
  if (at !== sig.length) return null;
  return { r: ints[0]!, s: ints[1]! };
}

/** r and s left-padded to `size` bytes each and concatenated: the JWS (raw r‖s) form. Null if too long. */
export function rawEcdsaSignature(
  r: Uint8Array,
  s: Uint8Array,
  size: number,
): Uint8Array<ArrayBuffer> | null {
  if (r.length > size || s.length > size) return null;
  const out = new Uint8Array(size * 2);
  out.set(r, size - r.length);
  out.set(s, size * 2 - s.length);
  return out;
}
