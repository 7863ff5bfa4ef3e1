/** Reading a key file that may be binary DER (loaded when a file comes). */
import { bytesToBase64 } from './base64url';

/**
 * A chosen or dropped file as text keybench reads. A binary file that starts like DER (a `.cer`
 * or `.der` certificate, a DER key) becomes its base64, which the key parser reads as DER without
 * armour; any other file is read as UTF-8 text.
 */
export async function fileAsText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // Control bytes other than tab and line ends: not text.
  const binary = bytes.some((b) => b < 0x09 || (b > 0x0d && b < 0x20));
  return !binary || bytes[0] !== 0x30 ? new TextDecoder().decode(bytes) : bytesToBase64(bytes);
}
