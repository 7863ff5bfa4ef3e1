/** The Test JWT signer's own state (Sign view): header, payload, key or HMAC secret, and the token. */
import { messageOf } from '../lib/errors';
import { signJws, signJwsHmac, type HmacAlg } from '../lib/jwt/sign';
import { secretBytes, type SecretEncoding } from '../lib/jwt/candidates';
import { algInfo } from '../lib/jwt/algorithms';
import { pairOf, pairsFor, type PairKind } from './sign-keys';

/** The Test JWT form, kept while the user moves between tabs; the secret stays in memory only. */
class JwtSignerState {
  // Test JWT
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

  /** Key pairs that can sign the given family. */
  pairsFor(kind: PairKind) {
    return pairsFor(kind);
  }

  #key(id: string, kind: PairKind) {
    return pairOf(id, kind);
  }

  /** What the Test JWT signer signs with now. */
  get jwtUses(): 'pair' | 'secret' {
    return this.jwtWith ?? (this.pairsFor('any').length > 0 ? 'pair' : 'secret');
  }

  /**
   * Open a decoded token in the Test JWT signer to edit and re-sign it: its header (without alg, which
   * the key sets) and payload as JSON, and an HMAC secret or the first stored pair that signs its alg.
   */
  editToken(header: Record<string, unknown>, payloadText: string, alg: unknown): void {
    const { alg: _alg, ...rest } = header;
    void _alg;
    this.jwtHeader = JSON.stringify(rest, null, 2);
    let payload = payloadText;
    try {
      payload = JSON.stringify(JSON.parse(payloadText), null, 2);
    } catch {
      // Not JSON: shown as it is, and signing says what is wrong with it.
    }
    this.jwtPayload = payload;
    const info = typeof alg === 'string' ? algInfo(alg) : null;
    if (info?.family === 'HS') {
      this.jwtWith = 'secret';
      this.jwtHmacAlg = alg as HmacAlg;
    } else {
      const pair = this.pairsFor('any').find((k) => k.jwsAlg === alg);
      if (pair) this.jwtKeyId = pair.id;
      this.jwtWith = null;
    }
    this.jwtToken = '';
    this.jwtError = '';
  }

  async signJwt(): Promise<void> {
    this.jwtError = '';
    this.jwtToken = '';
    if (this.jwtUses === 'secret') {
      await this.#signJwtWithSecret();
      return;
    }
    const key = this.#key(this.jwtKeyId, 'any');
    if (!key?.privateKey || key.jwsAlg === 'RSA-OAEP-256') {
      this.jwtError = 'Generate or import a key pair first (Keys).';
      return;
    }
    try {
      const header = JSON.parse(this.jwtHeader) as Record<string, unknown>;
      const payload = JSON.parse(this.jwtPayload) as Record<string, unknown>;
      this.jwtToken = await signJws({ ...header, alg: key.jwsAlg }, payload, key.privateKey, key.jwsAlg);
    } catch (e) {
      this.jwtError =
        e instanceof SyntaxError ? `Header or payload is not valid JSON: ${e.message}` : messageOf(e);
    }
  }

  async #signJwtWithSecret(): Promise<void> {
    let secret: Uint8Array<ArrayBuffer>;
    try {
      secret = secretBytes(this.jwtSecret, this.jwtSecretEncoding);
    } catch (e) {
      this.jwtError = `The secret is not valid ${this.jwtSecretEncoding}: ${messageOf(e)}`;
      return;
    }
    try {
      const header = JSON.parse(this.jwtHeader) as Record<string, unknown>;
      const payload = JSON.parse(this.jwtPayload) as Record<string, unknown>;
      const alg = this.jwtHmacAlg;
      this.jwtToken = await signJwsHmac({ ...header, alg }, payload, secret, alg);
    } catch (e) {
      this.jwtError =
        e instanceof SyntaxError ? `Header or payload is not valid JSON: ${e.message}` : messageOf(e);
    }
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
