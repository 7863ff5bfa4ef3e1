/** The Test JWT signer's own state (Sign view): header, payload, key or HMAC secret, and the token. */
import { messageOf } from '../lib/errors';
import { signJws, signJwsHmac, type HmacAlg } from '../lib/jwt/sign';
import { secretBytes, type SecretEncoding } from '../lib/jwt/candidates';
import { keyring } from './keyring.svelte';

type JsonObject = Record<string, unknown>;

/** The Test JWT form, kept while the user moves between tabs; the secret stays in memory only. */
class JwtSignerState {
  jwtKeyId = $state('');
  jwtHeader = $state('{\n  "typ": "JWT"\n}');
  jwtPayload = $state('{\n  "sub": "test-user"\n}');
  jwtToken = $state('');
  jwtError = $state('');
  /** Sign with a stored key pair or a typed secret (HS*); null: a pair when there is one, else the secret. */
  jwtWith = $state<'pair' | 'secret' | null>(null);
  jwtSecret = $state('');
  jwtSecretEncoding = $state<SecretEncoding>('text');
  jwtHmacAlg = $state<HmacAlg>('HS256');

  /** The stored pairs that sign (an encryption key pair decrypts only: no signer offers it). */
  get pairs() {
    return keyring.pairs.filter((k) => k.jwsAlg !== 'RSA-OAEP-256');
  }

  /** The pair chosen, else the first (what "Sign JWT" uses when it signs with a pair). */
  get chosenPair() {
    return this.pairs.find((k) => k.id === this.jwtKeyId) ?? this.pairs[0];
  }

  /** What the Test JWT signer signs with now. */
  get jwtUses(): 'pair' | 'secret' {
    return this.jwtWith ?? (this.pairs.length > 0 ? 'pair' : 'secret');
  }

  /** Sign the header and payload with the chosen pair or secret; what goes wrong becomes `jwtError`. */
  async signJwt(): Promise<void> {
    this.jwtError = '';
    this.jwtToken = '';
    const sign = this.#signer();
    if (typeof sign === 'string') {
      this.jwtError = sign;
      return;
    }
    try {
      const header = JSON.parse(this.jwtHeader) as JsonObject;
      const payload = JSON.parse(this.jwtPayload) as JsonObject;
      this.jwtToken = await sign(header, payload);
    } catch (e) {
      this.jwtError =
        e instanceof SyntaxError ? `Header or payload is not valid JSON: ${e.message}` : messageOf(e);
    }
  }

  /** What signs now (its alg put in the header), or why nothing can. */
  #signer(): string | ((header: JsonObject, payload: JsonObject) => Promise<string>) {
    if (this.jwtUses === 'secret') {
      let secret: Uint8Array<ArrayBuffer>;
      try {
        secret = secretBytes(this.jwtSecret, this.jwtSecretEncoding);
      } catch (e) {
        return `The secret is not valid ${this.jwtSecretEncoding}: ${messageOf(e)}`;
      }
      const alg = this.jwtHmacAlg;
      return (header, payload) => signJwsHmac({ ...header, alg }, payload, secret, alg);
    }
    const key = this.chosenPair;
    // (the encryption check again narrows jwsAlg's type to a signing algorithm)
    if (!key?.privateKey || key.jwsAlg === 'RSA-OAEP-256')
      return 'Generate or import a key pair first (Keys).';
    const { privateKey, jwsAlg } = key;
    return (header, payload) => signJws({ ...header, alg: jwsAlg }, payload, privateKey, jwsAlg);
  }

  /** Set a claim in the payload JSON (helpers for iat/nbf/exp/jti). */
  setClaim(name: string, value: unknown): void {
    this.#setMember('jwtPayload', 'payload', name, value);
  }

  /** Set a header member (kid). */
  setHeader(name: string, value: unknown): void {
    this.#setMember('jwtHeader', 'header', name, value);
  }

  #setMember(field: 'jwtHeader' | 'jwtPayload', what: string, name: string, value: unknown): void {
    try {
      const json = JSON.parse(this[field]) as Record<string, unknown>;
      this[field] = JSON.stringify({ ...json, [name]: value }, null, 2);
      this.jwtError = '';
    } catch (e) {
      this.jwtError = `Fix the ${what} JSON first: ${messageOf(e)}`;
    }
  }
}

/** The Test JWT signer. */
export const jwtSigner = new JwtSignerState();
