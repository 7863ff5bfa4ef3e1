/** The stored key pairs each signer can use (a plain module: the keyring is the state). */
import { keyTypeOf } from '../lib/keys/key-type';
import { keyring } from './keyring.svelte';

/** Which pairs: any, RSA or P-521. */
export type PairKind = 'any' | 'rsa' | 'p521';

/** Key pairs that can sign the given family. */
export function pairsFor(kind: PairKind) {
  return keyring.pairs.filter((k) => {
    // An encryption key pair decrypts only: no signer offers it.
    if (k.jwsAlg === 'RSA-OAEP-256') return false;
    if (kind === 'any') return true;
    // A key generated for RSA-PSS (Entra's PS256) cannot sign PKCS#1 v1.5, which these schemes use.
    if (k.privateKey?.algorithm.name === 'RSA-PSS') return false;
    const t = keyTypeOf(k.publicKey);
    return kind === 'rsa' ? t.kty === 'RSA' : t.kty === 'EC' && t.curve === 'P-521';
  });
}

/** The pair with this id among those of a kind, else the first of them. */
export function pairOf(id: string, kind: PairKind) {
  const list = pairsFor(kind);
  return list.find((k) => k.id === id) ?? list[0];
}
