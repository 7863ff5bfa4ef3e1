/** The partner profiles keybench generates keys for. */
export type ProfileId = 'qredo' | 'qitech' | 'ed25519';

/** JWS algorithms keybench can sign with using a stored key. */
export type SigningAlg =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/** A partner profile: which key to generate, how it signs, and the file name the partner asks for. */
export interface Profile {
  id: ProfileId;
  partner: string;
  /** Short key description used in button names and cards, e.g. "RSA-2048". */
  keyName: string;
  jwsAlg: SigningAlg;
  publicFileName: string;
  generateParams: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  /** What the partner's docs tell you to run instead; shown so users know what keybench replaces. */
  replaces: string;
}

/** The profiles, in the order they are offered. */
export const PROFILES: readonly Profile[] = [
  {
    id: 'qredo',
    partner: 'Qredo Partner API',
    keyName: 'RSA-2048',
    jwsAlg: 'RS256',
    publicFileName: 'public.pem',
    generateParams: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    replaces:
      'openssl genrsa -traditional -out private.pem 2048 && openssl rsa -in private.pem -pubout -out public.pem',
  },
  {
    id: 'qitech',
    partner: 'QI Tech',
    keyName: 'P-521',
    jwsAlg: 'ES512',
    publicFileName: 'jwtECDSASHA512.key.pub',
    generateParams: { name: 'ECDSA', namedCurve: 'P-521' },
    replaces:
      'ssh-keygen -t ecdsa -b 521 -m PEM -f jwtECDSASHA512.key && openssl ec -in jwtECDSASHA512.key -pubout -out jwtECDSASHA512.key.pub',
  },
  {
    // Binance registers the public key PEM (SPKI) of a self-generated Ed25519 key (PARTNERS.md).
    id: 'ed25519',
    partner: 'Binance and other Ed25519 APIs',
    keyName: 'Ed25519',
    jwsAlg: 'EdDSA',
    publicFileName: 'ed25519.pub.pem',
    generateParams: { name: 'Ed25519' },
    replaces:
      'openssl genpkey -algorithm ed25519 -out ed25519.pem && openssl pkey -in ed25519.pem -pubout -out ed25519.pub.pem',
  },
];

/** The profile with this id. */
export function profileById(id: ProfileId): Profile {
  const p = PROFILES.find((x) => x.id === id);
  if (!p) throw new Error(`unknown profile ${id}`);
  return p;
}

/** WebCrypto parameters for signing and verifying with a JWS algorithm. */
export function webCryptoSignParams(alg: SigningAlg): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  if (alg === 'EdDSA') return { name: 'Ed25519' };
  const bits = alg.slice(2);
  const hash = `SHA-${bits}`;
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5' };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', saltLength: Number(bits) / 8 };
  return { name: 'ECDSA', hash };
}
