import { KeybenchError } from '../errors';
import { keySpecById, type KeySpecId } from './key-specs';

/** A freshly generated key pair with its public key's SPKI DER. */
export interface GeneratedKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  spki: Uint8Array<ArrayBuffer>;
}

/**
 * Generate a key pair of a spec. The private key is non-extractable from birth: nothing,
 * keybench included, can read its bytes. (WebCrypto always keeps the public half extractable.)
 * @throws KeybenchError ERR_GENERATION_FAILED when the browser refuses (e.g. no P-521 support).
 */
export async function generateKeyPair(specId: KeySpecId): Promise<GeneratedKeyPair> {
  const spec = keySpecById(specId);
  try {
    const usages: KeyUsage[] = spec.jwsAlg === 'RSA-OAEP-256' ? ['encrypt', 'decrypt'] : ['sign', 'verify'];
    const pair = (await crypto.subtle.generateKey(spec.generateParams, false, usages)) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    return { privateKey: pair.privateKey, publicKey: pair.publicKey, spki };
  } catch (e) {
    throw new KeybenchError(
      'ERR_GENERATION_FAILED',
      `This browser could not generate a ${spec.keyName} key: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
