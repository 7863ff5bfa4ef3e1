import { defaultSigner, type SignerId } from '../lib/partner-profile';
import { profiles } from './profiles.svelte';
import { KeybenchError, messageOf } from '../lib/errors';
import { signJws, signJwsHmac, type HmacAlg } from '../lib/jwt/sign';
import { secretBytes, type SecretEncoding } from '../lib/jwt/candidates';
import { algInfo } from '../lib/jwt/algorithms';
import { qredoNonce, qredoTimestamp } from '../lib/partners/qredo';
import { rfc1123Date, verifyQitResponse, type QitResponseVerdict } from '../lib/partners/qitech';
import { REQUEST_TO_QITECH, type QitRequestVerdict } from '../lib/partners/qitech-shared';
import { keysFor } from '../lib/trust/roles';
import { V2 } from '../lib/partners/qitech-v2';
import { QI_DTVM } from '../lib/partners/qi-dtvm';
import { pastedPublicKey, verifyQitechRequest, type QitSchemeChoice } from '../lib/partners/qitech-request';
import type { VerificationKey } from '../lib/jwt/verify';
import { keyTypeOf } from '../lib/keys/key-type';
import { binanceFormFromRequest } from '../lib/partners/binance-form';
import { signStates } from './sign-form.svelte';
import { qredoApiKey, storedQredoApiKey } from './sign-qredo.svelte';
import { keyring } from './keyring.svelte';
import type { Rich } from '../lib/rich';
import {
  signSnowflakeJwt,
  snowflakeAccountHost,
  snowflakeClaims,
  snowflakeCurl,
  snowflakeFingerprint,
  snowflakeHeaders,
  type SnowflakeClaims,
} from '../lib/partners/snowflake';

/** A Snowflake key-pair JWT as made in the Sign view, with what it travels in. */
export interface SnowflakeSigned {
  jwt: string;
  claims: SnowflakeClaims;
  headers: Record<string, string>;
  curl: string;
}

/** Form state of the Sign view, kept while the user moves between tabs. Nothing secret is persisted
 * unless the user ticks "remember" for the Qredo API key. */
export class SignForms {
  /** The form the user chose; null until they choose one. */
  #tab = $state<'jwt' | SignerId | string | null>(null);
  /** The form shown: the one chosen, else that of the one partner the key pairs serve, else Test JWT. */
  get tab(): 'jwt' | SignerId | string {
    return this.#tab ?? defaultSigner(keyring.keys, profiles.list) ?? 'jwt';
  }
  set tab(v: 'jwt' | SignerId | string) {
    this.#tab = v;
  }

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

  // QI Tech: checks of a response, and of a request signed elsewhere (the signing is the forms').
  qitResponseOpen = $state(false);
  qitResponseAuth = $state('');
  qitResponseBody = $state('');
  qitResponse = $state.raw<QitResponseVerdict | null>(null);
  qitResponseError = $state('');
  // QI Tech: a request signed elsewhere (the user's server)
  qitCheckOpen = $state(false);
  qitCheckScheme = $state<QitSchemeChoice>('auto');
  qitCheckAuth = $state('');
  qitCheckBody = $state('');
  qitCheckMethod = $state('');
  qitCheckEndpoint = $state('');
  qitCheckKeyText = $state('');
  qitCheckResult = $state.raw<QitRequestVerdict | null>(null);
  qitCheckError = $state('');

  // Snowflake key-pair JWT
  snowflakeKeyId = $state('');
  snowflakeAccount = $state('');
  snowflakeUser = $state('');
  /** Minutes until exp; Snowflake accepts at most 60. */
  snowflakeLifetimeMin = $state(60);
  snowflakeSlot = $state<1 | 2>(1);
  snowflakeResult = $state.raw<SnowflakeSigned | null>(null);
  snowflakeError = $state.raw<Rich | null>(null);

  /** Key pairs that can sign the given family ('binance': RSA or Ed25519). */
  pairsFor(kind: 'any' | 'rsa' | 'p521' | 'binance') {
    return keyring.pairs.filter((k) => {
      if (kind === 'any') return true;
      if (kind === 'binance')
        return k.publicKey.algorithm.name === 'Ed25519' || keyTypeOf(k.publicKey).kty === 'RSA';
      const t = keyTypeOf(k.publicKey);
      return kind === 'rsa' ? t.kty === 'RSA' : t.kty === 'EC' && t.curve === 'P-521';
    });
  }

  /** Trusted P-521 public keys whose owner is QI Tech: the only keys that may verify QI Tech's responses. */
  get qitechTrustedKeys() {
    return keyring.keys.filter((k) => {
      const t = keyTypeOf(k.publicKey);
      return k.kind === 'public' && k.owner === 'qitech' && t.kty === 'EC' && t.curve === 'P-521';
    });
  }

  /** Stored P-521 public keys with no owner set: not tried for QI Tech's responses until the user says whose. */
  get qitechUnownedKeys() {
    return keyring.keys.filter((k) => {
      const t = keyTypeOf(k.publicKey);
      return k.kind === 'public' && !k.owner && t.kty === 'EC' && t.curve === 'P-521';
    });
  }

  /**
   * Fill a signer from a request the request doctor examined, to sign it correctly: same method, URL
   * and body, a fresh timestamp, and the key pair that made the signature when it is known.
   */
  prefillFromRequest(
    scheme: 'qredo' | 'qit-v1' | 'qit-v2' | 'qi-dtvm' | 'binance',
    input: { method: string; url: string; body: string; apiKey?: string },
    keyLabel?: string,
  ): void {
    const now = Date.now();
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    const method = methods.includes(input.method.toUpperCase()) ? input.method.toUpperCase() : 'POST';
    const pick = (kind: 'rsa' | 'p521' | 'binance') => {
      const pairs = this.pairsFor(kind);
      return (pairs.find((p) => p.label === keyLabel) ?? pairs[0])?.id ?? '';
    };
    if (scheme === 'binance') {
      // The parameters the user gave, one name=value per line; keybench adds timestamp, recvWindow
      // and signature itself when it signs. A value holding a line break keeps the lines encoded.
      const q = input.url.indexOf('?');
      const form = binanceFormFromRequest(q === -1 ? '' : input.url.slice(q + 1), input.body);
      this.tab = 'binance';
      signStates.fill('binance', {
        method: method === 'GET' || method === 'DELETE' ? method : 'POST',
        url: q === -1 ? input.url : input.url.slice(0, q),
        query: form.query,
        body: form.body,
        encoded: form.encoded,
        ...(input.apiKey ? { apiKey: input.apiKey } : {}),
        key: pick('binance'),
      });
      return;
    }
    if (scheme === 'qredo') {
      this.tab = 'qredo';
      const current = signStates.valueOf('qredo', 'apiKey') ?? storedQredoApiKey();
      signStates.fill('qredo', {
        method,
        url: input.url,
        // A text box cannot hold \r: a CRLF ending is the "ends in CRLF" choice.
        crlf: input.body.endsWith('\r\n'),
        body: input.body.replace(/\r\n/g, '\n'),
        ...(input.apiKey ? { apiKey: input.apiKey } : {}),
        timestamp: qredoTimestamp(now),
        nonce: qredoNonce(now),
        key: pick('rsa'),
      });
      // The remembered key is the user's: a key read from a pasted request never replaces it unasked.
      if (input.apiKey) qredoApiKey.pasted(input.apiKey, typeof current === 'string' ? current : '');
      return;
    }
    this.tab = 'qitech';
    signStates.chosen['qitech'] = scheme;
    // The endpoint is the URL's path and query, as written (no scheme, host or fragment).
    const endpoint = input.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/#.*$/s, '') || '/';
    signStates.fill(scheme, {
      method,
      endpoint,
      body: input.body,
      ...(input.apiKey ? { apiKey: input.apiKey } : {}),
      ...(scheme === 'qit-v1'
        ? { date: rfc1123Date(now) }
        : { timestamp: (scheme === 'qi-dtvm' ? QI_DTVM : V2).timestamp(now) }),
      key: pick('p521'),
    });
  }

  #key(id: string, kind: 'any' | 'rsa' | 'p521' | 'binance') {
    const list = this.pairsFor(kind);
    return list.find((k) => k.id === id) ?? list[0];
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
    this.tab = 'jwt';
  }

  async signJwt(): Promise<void> {
    this.jwtError = '';
    this.jwtToken = '';
    if (this.jwtUses === 'secret') {
      await this.#signJwtWithSecret();
      return;
    }
    const key = this.#key(this.jwtKeyId, 'any');
    if (!key?.privateKey) {
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

  /** The RSA pair the Snowflake signer uses: the chosen one, else the first. */
  get snowflakeKey() {
    return this.#key(this.snowflakeKeyId, 'rsa');
  }

  async signSnowflake(): Promise<void> {
    this.snowflakeError = null;
    this.snowflakeResult = null;
    const key = this.snowflakeKey;
    if (!key?.privateKey) {
      this.snowflakeError = ['Generate or import an RSA-2048 key pair first (Keys).'];
      return;
    }
    try {
      const minutes = Number(this.snowflakeLifetimeMin);
      const claims = snowflakeClaims({
        account: this.snowflakeAccount,
        user: this.snowflakeUser,
        fingerprint: await snowflakeFingerprint(key.spki),
        nowSec: Math.floor(Date.now() / 1000),
        lifetimeSec: Math.round(minutes * 60),
      });
      const jwt = await signSnowflakeJwt(key.privateKey, claims);
      this.snowflakeResult = {
        jwt,
        claims,
        headers: snowflakeHeaders(jwt),
        curl: snowflakeCurl(snowflakeAccountHost(this.snowflakeAccount), jwt, 'SELECT CURRENT_USER()'),
      };
    } catch (e) {
      this.snowflakeError = e instanceof KeybenchError ? e.parts : [messageOf(e)];
    }
  }

  /** Check a QI Tech request signed elsewhere against a pasted public key, or the stored P-521 pairs. */
  async checkQitRequest(apiKey: string): Promise<void> {
    this.qitCheckError = '';
    this.qitCheckResult = null;
    let keys: VerificationKey[];
    if (this.qitCheckKeyText.trim()) {
      const pasted = await pastedPublicKey(this.qitCheckKeyText);
      if (!pasted.key) {
        if (pasted.refused?.privateKey) this.qitCheckKeyText = '';
        this.qitCheckError = pasted.refused?.message ?? 'No public key found in the text.';
        return;
      }
      keys = [pasted.key];
    } else {
      // A request sent to QI Tech: the user's own P-521 keys (pairs, and public keys of the user's servers).
      keys = keysFor(
        REQUEST_TO_QITECH,
        keyring.keys
          .filter((k) => {
            const t = keyTypeOf(k.publicKey);
            return t.kty === 'EC' && t.curve === 'P-521';
          })
          .map((k) => ({
            kind: 'public' as const,
            label: k.label,
            origin: 'stored' as const,
            spki: k.spki,
            type: keyTypeOf(k.publicKey),
            ...(k.owner ? { owner: k.owner } : {}),
          })),
      );
    }
    try {
      this.qitCheckResult = await verifyQitechRequest(this.qitCheckScheme, {
        authorization: this.qitCheckAuth,
        body: this.qitCheckBody,
        keys,
        expected: {
          method: this.qitCheckMethod,
          endpoint: this.qitCheckEndpoint,
          apiKey,
        },
        nowMs: Date.now(),
      });
    } catch (e) {
      this.qitCheckError = messageOf(e);
    }
  }

  /** Verify a QI Tech response to the request in the form (its method, endpoint, date and API key). */
  async verifyQitResponse(request: {
    method: string;
    endpoint: string;
    date: string;
    apiKey: string;
  }): Promise<void> {
    this.qitResponseError = '';
    this.qitResponse = null;
    try {
      // The whole keyring goes in; the domain uses only trusted public keys, never key pairs.
      this.qitResponse = await verifyQitResponse({
        authorization: this.qitResponseAuth,
        body: this.qitResponseBody,
        apiKey: request.apiKey,
        keyring: keyring.keys.map((k) => ({
          kind: k.kind,
          label: k.label,
          spki: k.spki,
          type: keyTypeOf(k.publicKey),
          ...(k.owner ? { owner: k.owner } : {}),
        })),
        request: { method: request.method, endpoint: request.endpoint.trim(), date: request.date.trim() },
      });
    } catch (e) {
      this.qitResponseError = messageOf(e);
    }
  }
}

/** The Sign view's forms. */
export const signForms = new SignForms();
