/** DER read by hand: a length, an integer's size (everything else uses @peculiar/asn1-*; ECDSA's DER is lib/crypto's derToRaw). */

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

/** The length of a big-endian unsigned integer without its leading zero bytes (at least 1 byte when non-empty). */
export function unsignedLength(bytes: ArrayBuffer): number {
  const b = new Uint8Array(bytes);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.length - i;
}
