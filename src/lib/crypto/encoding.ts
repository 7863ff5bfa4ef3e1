/**
 * A signature's text as bytes: the encodings partners send (base64, base64url, hex) and, for
 * ECDSA, DER or raw r‖s. `readSignature` gives every reading the text allows, so the engine can
 * verify the one the partner reads and name the others as mistakes.
 */
import {
  base64ToBytes,
  base64urlToBytes,
  bytesToBase64,
  bytesToBase64url,
  toHex,
} from '../encoding/base64url';

/** How a scheme writes its signature as text. */
export type SignatureEncoding = 'base64' | 'base64url' | 'hex';

const SHAPES: Record<SignatureEncoding, RegExp> = {
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
  base64url: /^[A-Za-z0-9_-]+$/,
  hex: /^(?:[0-9a-fA-F]{2})+$/,
};

/** The bytes of `text` read in `encoding`, or undefined when it is not that encoding. */
export function decodeAs(text: string, encoding: SignatureEncoding): Uint8Array<ArrayBuffer> | undefined {
  if (!SHAPES[encoding].test(text)) return undefined;
  try {
    const bytes =
      encoding === 'hex'
        ? new Uint8Array(text.match(/../g)!.map((h) => parseInt(h, 16)))
        : encoding === 'base64'
          ? base64ToBytes(text)
          : base64urlToBytes(text);
    return bytes.length ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** `bytes` written in `encoding`. */
export function encodeAs(bytes: Uint8Array, encoding: SignatureEncoding): string {
  return encoding === 'hex'
    ? toHex(bytes)
    : encoding === 'base64'
      ? bytesToBase64(bytes)
      : bytesToBase64url(bytes);
}

/** Every encoding `text` can be read in, with its bytes (the scheme's own first). */
export function readSignature(
  text: string,
  first: SignatureEncoding,
): { encoding: SignatureEncoding; bytes: Uint8Array<ArrayBuffer> }[] {
  const order: SignatureEncoding[] = [
    first,
    ...(['base64', 'base64url', 'hex'] as const).filter((e) => e !== first),
  ];
  // ASCII whitespace only: String.trim would also drop a no-break space or a line separator,
  // bytes the server receives and fails to decode.
  const bare = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return order.flatMap((encoding) => {
    const bytes = decodeAs(bare, encoding);
    return bytes ? [{ encoding, bytes }] : [];
  });
}

/**
 * An ECDSA signature in DER (SEQUENCE of two INTEGERs) as raw r‖s of `size` bytes each, or
 * undefined when it is not such a DER value (what OpenSSL and Java make, where JWS and WebCrypto
 * want raw).
 */
export function derToRaw(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  let i = 0;
  const len = (): number | undefined => {
    const b = der[i++];
    if (b === undefined) return undefined;
    if (b < 0x80) return b;
    if (b === 0x81) return der[i++];
    return undefined;
  };
  if (der[i++] !== 0x30) return undefined;
  if (len() !== der.length - i) return undefined;
  const out = new Uint8Array(size * 2);
  for (const at of [0, size]) {
    if (der[i++] !== 0x02) return undefined;
    const n = len();
    if (n === undefined || n === 0 || i + n > der.length) return undefined;
    let int = der.subarray(i, i + n);
    i += n;
    while (int.length > size && int[0] === 0) int = int.subarray(1);
    if (int.length > size) return undefined;
    out.set(int, at + size - int.length);
  }
  return i === der.length ? out : undefined;
}
