import type { KeyType } from './key-type';

/**
 * The key pairs keybench generates. Which partner a pair serves is not part of the key: a partner
 * profile (src/lib/partners/*.profile.ts) says which of these it accepts.
 */
export type KeySpecId = 'rsa-2048' | 'p-521' | 'ed25519' | 'rsa-pss-2048' | 'rsa-oaep-2048';

/** JWS algorithms keybench can sign with using a stored key. */
export type SigningAlg =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/** What a stored key pair does: sign with a JWS algorithm, or decrypt RSA-OAEP-256 JWEs (an encryption key never signs). */
export type KeyAlg = SigningAlg | 'RSA-OAEP-256';

/** A key pair keybench generates: its parameters, how it signs, and its public file's usual name. */
export interface KeySpec {
  id: KeySpecId;
  /** Short key description used in button names and cards, e.g. "RSA-2048". */
  keyName: string;
  jwsAlg: KeyAlg;
  /** The public file's name when no partner profile names it (what the usual openssl recipe writes). */
  publicFileName: string;
  /** The private file's name in that recipe (server key files). */
  privateFileName: string;
  generateParams: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
}

/** The key specs, in the order they are offered. */
export const KEY_SPECS: readonly KeySpec[] = [
  {
    id: 'rsa-2048',
    keyName: 'RSA-2048',
    jwsAlg: 'RS256',
    publicFileName: 'public.pem',
    privateFileName: 'private.pem',
    generateParams: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
  },
  {
    id: 'p-521',
    keyName: 'P-521',
    jwsAlg: 'ES512',
    publicFileName: 'jwtECDSASHA512.key.pub',
    privateFileName: 'jwtECDSASHA512.key',
    generateParams: { name: 'ECDSA', namedCurve: 'P-521' },
  },
  {
    id: 'ed25519',
    keyName: 'Ed25519',
    jwsAlg: 'EdDSA',
    publicFileName: 'ed25519.pub.pem',
    privateFileName: 'ed25519.pem',
    generateParams: { name: 'Ed25519' },
  },
];

/**
 * Key pairs only a partner profile offers (not in the general list): an RSA-2048 key that signs
 * RSA-PSS (PS256), what Entra ID's current docs ask for. WebCrypto ties a key to one algorithm, so
 * this key signs PS256 only.
 */
export const PROFILE_KEY_SPECS: readonly KeySpec[] = [
  {
    ...KEY_SPECS[0]!,
    id: 'rsa-pss-2048',
    keyName: 'RSA-2048 PSS',
    jwsAlg: 'PS256',
    generateParams: { ...(KEY_SPECS[0]!.generateParams as RsaHashedKeyGenParams), name: 'RSA-PSS' },
  },
];

/**
 * The encryption key pair (message-level encryption, JWE): RSA-OAEP with SHA-256, 2048 bits, what
 * Visa, CyberSource and Mastercard take. It decrypts only: WebCrypto ties it to RSA-OAEP, so it can
 * sign nothing (no CSR, no certificate).
 */
export const ENCRYPTION_KEY_SPEC: KeySpec = {
  id: 'rsa-oaep-2048',
  keyName: 'RSA-OAEP-256 encryption',
  jwsAlg: 'RSA-OAEP-256',
  publicFileName: 'public.pem',
  privateFileName: 'private.pem',
  generateParams: { ...(KEY_SPECS[0]!.generateParams as RsaHashedKeyGenParams), name: 'RSA-OAEP' },
};

/** The key spec with this id. */
export function keySpecById(id: KeySpecId): KeySpec {
  const p = [...KEY_SPECS, ...PROFILE_KEY_SPECS, ENCRYPTION_KEY_SPEC].find((x) => x.id === id);
  if (!p) throw new Error(`unknown key spec ${id}`);
  return p;
}

/** The spec a key of this type matches, if keybench generates that type (RSA of another size: none). */
export function keySpecOfType(type: KeyType): KeySpec | undefined {
  const name = type.kty === 'RSA' ? `RSA-${type.bits}` : type.curve;
  return KEY_SPECS.find((s) => s.keyName === name);
}
