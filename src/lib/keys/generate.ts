import { KeybenchError } from '../errors';
import { profileById, type ProfileId } from './profiles';

/** A freshly generated key pair with its public key's SPKI DER. */
export interface GeneratedKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  spki: Uint8Array<ArrayBuffer>;
}

/**
 * Generate a key pair for a profile. The private key is non-extractable from birth: nothing,
 * keybench included, can read its bytes. (WebCrypto always keeps the public half extractable.)
 * @throws KeybenchError ERR_GENERATION_FAILED when the browser refuses (e.g. no P-521 support).
 */
export async function generateKeyPair(profileId: ProfileId): Promise<GeneratedKeyPair> {
  const profile = profileById(profileId);
  try {
    const pair = (await crypto.subtle.generateKey(profile.generateParams, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    return { privateKey: pair.privateKey, publicKey: pair.publicKey, spki };
  } catch (e) {
    throw new KeybenchError(
      'ERR_GENERATION_FAILED',
      `This browser could not generate a ${profile.keyName} key: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}
