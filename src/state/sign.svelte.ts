import { defaultSigner, type SignerId } from '../lib/partner-profile';
import { profiles } from './profiles.svelte';
import { KeybenchError, messageOf } from '../lib/errors';
import { signJws, signJwsHmac, type HmacAlg } from '../lib/jwt/sign';
import { secretBytes, type SecretEncoding } from '../lib/jwt/candidates';
import { algInfo } from '../lib/jwt/algorithms';
import {
  inspectQredoApiKey,
  qredoBodyWarnings,
  qredoNonce,
  qredoTimestamp,
  signQredoRequest,
  type QredoAuthHeader,
  type QredoSigned,
} from '../lib/partners/qredo';
import {
  QIT_DEFAULTS,
  rfc1123Date,
  signQitRequest,
  verifyQitResponse,
  type QitResponseVerdict,
  type QitSigned,
} from '../lib/partners/qitech';
import { REQUEST_TO_QITECH, type QitRequestVerdict } from '../lib/partners/qitech-shared';
import { keysFor } from '../lib/trust/roles';
import { V2, signV2Request, type EmptyPayload, type V2Signed } from '../lib/partners/qitech-v2';
import { QI_DTVM } from '../lib/partners/qi-dtvm';
import { pastedPublicKey, verifyQitechRequest, type QitSchemeChoice } from '../lib/partners/qitech-request';
import type { BodySerialisation } from '../lib/partners/body-bytes';
import type { VerificationKey } from '../lib/jwt/verify';
import { keyTypeOf } from '../lib/keys/key-type';
import {
  BINANCE_DEFAULT_RECV_WINDOW,
  BINANCE_MAX_RECV_WINDOW,
  binanceRequest,
  type BinanceRequest,
} from '../lib/partners/binance';
import { binanceFormFromRequest, parseBinanceParams } from '../lib/partners/binance-form';
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

const REMEMBER_KEY = 'keybench.qredo.apiKey';

function storedApiKey(): string {
  try {
    return localStorage.getItem(REMEMBER_KEY) ?? '';
  } catch {
    return '';
  }
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

  // Qredo
  qredoKeyId = $state('');
  qredoMethod = $state('GET');
  qredoUrl = $state('https://play-api.qredo.network/api/v1/p/company');
  qredoBody = $state('');
  /** A textarea's value never holds \r (HTML normalises line breaks), so a CRLF ending is a choice. */
  qredoBodyCrlf = $state(false);
  qredoTimestamp = $state(qredoTimestamp(Date.now()));
  qredoAuthHeader = $state<QredoAuthHeader>('x-timestamp');
  qredoApiKey = $state(storedApiKey());
  qredoRemember = $state(storedApiKey() !== '');
  /** Why "Remember" is unticked after "Sign it correctly" filled in another request's API key. */
  qredoKeyNote = $state('');
  qredoResult = $state.raw<QredoSigned | null>(null);
  qredoError = $state('');

  // QI Tech: v2 is QI Tech's current scheme, so it comes first.
  qitScheme = $state<'v2' | 'v1' | 'qi-dtvm'>('v2');
  qitKeyId = $state('');
  qitMethod = $state('POST');
  qitEndpoint = $state('/test');
  qitBody = $state('{"name":"QI Tech"}');
  qitDate = $state(rfc1123Date(Date.now()));
  qitTimestamp = $state(V2.timestamp(Date.now()));
  qitSerialisation = $state<BodySerialisation>('python');
  qitEmptyPayload = $state<EmptyPayload>('{}');
  qitV2Result = $state.raw<V2Signed | null>(null);
  qitApiKey = $state('');
  qitGetContentType = $state<'' | 'application/json'>(QIT_DEFAULTS.getContentType);
  qitEndpointWithQuery = $state(QIT_DEFAULTS.endpointWithQuery);
  qitResult = $state.raw<QitSigned | null>(null);
  qitError = $state('');
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

  // Binance Spot API
  binanceKeyId = $state('');
  binanceMethod = $state<'GET' | 'POST' | 'DELETE'>('POST');
  binanceUrl = $state('https://api.binance.com/api/v3/order');
  binanceQuery = $state('symbol=BTCUSDT');
  binanceBody = $state('side=BUY\ntype=LIMIT\ntimeInForce=GTC\nquantity=1\nprice=0.2');
  binanceApiKey = $state('');
  /** The parameter boxes hold percent-encoded lines, as sent (set when a value holds a line break). */
  binanceEncoded = $state(false);
  binanceMicro = $state(false);
  binanceRecvWindow = $state<number | null>(BINANCE_DEFAULT_RECV_WINDOW);
  binanceResult = $state.raw<BinanceRequest | null>(null);
  binanceError = $state('');

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

  get qredoApiKeyInfo() {
    return inspectQredoApiKey(this.qredoApiKey);
  }

  /** Warnings about the Qredo body bytes as typed (e.g. a trailing \r\n). */
  get qredoBodyWarnings() {
    return qredoBodyWarnings(this.qredoBodyBytes);
  }

  /** The Qredo body exactly as signed and sent. */
  get qredoBodyBytes(): string {
    if (this.qredoMethod === 'GET') return '';
    return this.qredoBodyCrlf ? `${this.qredoBody.replace(/\n$/, '')}\r\n` : this.qredoBody;
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
      this.binanceMethod = method === 'GET' || method === 'DELETE' ? method : 'POST';
      this.binanceUrl = q === -1 ? input.url : input.url.slice(0, q);
      this.binanceQuery = form.query;
      this.binanceBody = form.body;
      this.binanceEncoded = form.encoded;
      if (input.apiKey) this.binanceApiKey = input.apiKey;
      this.binanceKeyId = pick('binance');
      this.binanceResult = null;
      this.binanceError = '';
      return;
    }
    if (scheme === 'qredo') {
      this.tab = 'qredo';
      this.qredoMethod = method;
      this.qredoUrl = input.url;
      // A text box cannot hold \r: a CRLF ending is the "ends in CRLF" choice.
      this.qredoBodyCrlf = input.body.endsWith('\r\n');
      this.qredoBody = input.body.replace(/\r\n/g, '\n');
      if (input.apiKey && input.apiKey !== this.qredoApiKey) {
        this.qredoApiKey = input.apiKey;
        // The remembered key is the user's: a key read from a pasted request never replaces it unasked.
        if (this.qredoRemember) {
          this.qredoRemember = false;
          this.qredoKeyNote =
            'This API key comes from the request you pasted; your remembered key stays remembered. Tick "Remember" to replace it with this one.';
        }
      }
      this.qredoTimestamp = this.qredoAuthHeader === 'x-nonce' ? qredoNonce(now) : qredoTimestamp(now);
      this.qredoKeyId = pick('rsa');
      this.qredoResult = null;
      this.qredoError = '';
      return;
    }
    this.tab = 'qitech';
    this.qitScheme = scheme === 'qit-v1' ? 'v1' : scheme === 'qit-v2' ? 'v2' : 'qi-dtvm';
    this.qitMethod = method;
    // The endpoint is the URL's path and query, as written (no scheme, host or fragment).
    const endpoint = input.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/#.*$/s, '') || '/';
    this.qitEndpoint = endpoint;
    this.qitBody = input.body;
    if (input.apiKey) this.qitApiKey = input.apiKey;
    this.qitDate = rfc1123Date(now);
    this.qitTimestamp = (this.qitScheme === 'qi-dtvm' ? QI_DTVM : V2).timestamp(now);
    this.qitKeyId = pick('p521');
    this.qitResult = null;
    this.qitV2Result = null;
    this.qitError = '';
  }

  /** Switch the Qredo value header; the field then holds a fresh value of that kind. */
  setQredoAuthHeader(h: QredoAuthHeader): void {
    this.qredoAuthHeader = h;
    this.qredoTimestamp = h === 'x-nonce' ? qredoNonce(Date.now()) : qredoTimestamp(Date.now());
  }

  /** Switch the QI Tech scheme; results of the other scheme are cleared, the timestamp takes its form. */
  setQitScheme(s: 'v2' | 'v1' | 'qi-dtvm'): void {
    this.qitScheme = s;
    this.qitResult = null;
    this.qitV2Result = null;
    this.qitError = '';
    if (s !== 'v1') this.qitTimestamp = (s === 'v2' ? V2 : QI_DTVM).timestamp(Date.now());
  }

  /** Now, in the chosen scheme's form. */
  qitNow(): void {
    if (this.qitScheme === 'v1') this.qitDate = rfc1123Date(Date.now());
    else this.qitTimestamp = (this.qitScheme === 'v2' ? V2 : QI_DTVM).timestamp(Date.now());
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

  rememberQredoKey(remember: boolean): void {
    this.qredoRemember = remember;
    this.qredoKeyNote = '';
    try {
      if (remember) localStorage.setItem(REMEMBER_KEY, this.qredoApiKey);
      else localStorage.removeItem(REMEMBER_KEY);
    } catch {
      // Storage refused (private mode): the key simply stays in memory.
    }
  }

  async signQredo(): Promise<void> {
    this.qredoError = '';
    this.qredoResult = null;
    const key = this.#key(this.qredoKeyId, 'rsa');
    if (!key?.privateKey) {
      this.qredoError = 'Generate or import an RSA-2048 key pair first (Keys).';
      return;
    }
    if (this.qredoRemember) this.rememberQredoKey(true);
    try {
      this.qredoResult = await signQredoRequest({
        privateKey: key.privateKey,
        method: this.qredoMethod,
        url: this.qredoUrl.trim(),
        body: this.qredoBodyBytes,
        timestamp: this.qredoTimestamp.trim(),
        apiKey: this.qredoApiKey,
        authHeader: this.qredoAuthHeader,
      });
    } catch (e) {
      this.qredoError = messageOf(e);
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

  /** Sign a Binance Spot API request with the chosen pair; `timestamp` is now, in ms or µs. */
  async signBinance(): Promise<void> {
    this.binanceError = '';
    this.binanceResult = null;
    const key = this.#key(this.binanceKeyId, 'binance');
    if (!key?.privateKey) {
      this.binanceError = 'Generate or import an Ed25519 or RSA key pair first (Keys).';
      return;
    }
    try {
      const params = parseBinanceParams(this.binanceQuery, 'Query parameters', this.binanceEncoded);
      const bodyParams = parseBinanceParams(this.binanceBody, 'Body parameters', this.binanceEncoded);
      // A GET has no body; an empty body list sends everything in the query (Binance's curl examples).
      const body = this.binanceMethod === 'GET' || bodyParams.length === 0 ? undefined : bodyParams;
      const rw = this.binanceRecvWindow;
      if (rw !== null && (typeof rw !== 'number' || !Number.isFinite(rw))) {
        throw new KeybenchError('ERR_PARTNER_INPUT', 'recvWindow must be a number of milliseconds.');
      }
      if (rw !== null && (rw <= 0 || rw > BINANCE_MAX_RECV_WINDOW)) {
        throw new KeybenchError(
          'ERR_PARTNER_INPUT',
          `recvWindow must be more than 0 and at most ${BINANCE_MAX_RECV_WINDOW} ms (Binance's maximum).`,
        );
      }
      this.binanceResult = await binanceRequest({
        privateKey: key.privateKey,
        apiKey: this.binanceApiKey,
        method: this.binanceMethod,
        url: this.binanceUrl.trim(),
        params,
        body,
        timestampMs: Date.now(),
        micro: this.binanceMicro,
        recvWindow: rw ?? undefined,
      });
    } catch (e) {
      this.binanceError = messageOf(e);
    }
  }

  async signQit(): Promise<void> {
    this.qitError = '';
    this.qitResult = null;
    this.qitV2Result = null;
    const key = this.#key(this.qitKeyId, 'p521');
    if (!key?.privateKey) {
      this.qitError = 'Generate or import a P-521 key pair first (Keys).';
      return;
    }
    try {
      if (this.qitScheme === 'v1') {
        this.qitResult = await signQitRequest({
          privateKey: key.privateKey,
          apiKey: this.qitApiKey.trim(),
          method: this.qitMethod,
          endpoint: this.qitEndpoint.trim(),
          body: this.qitMethod === 'GET' ? '' : this.qitBody,
          date: this.qitDate.trim(),
          options: { getContentType: this.qitGetContentType, endpointWithQuery: this.qitEndpointWithQuery },
        });
      } else {
        this.qitV2Result = await signV2Request(this.qitScheme === 'v2' ? V2 : QI_DTVM, {
          privateKey: key.privateKey,
          apiKey: this.qitApiKey,
          method: this.qitMethod,
          endpoint: this.qitEndpoint.trim(),
          body: this.qitBody,
          serialisation: this.qitSerialisation,
          emptyPayload: this.qitEmptyPayload,
          timestamp: this.qitTimestamp.trim(),
        });
      }
    } catch (e) {
      this.qitError = messageOf(e);
    }
  }

  /** Check a QI Tech request signed elsewhere against a pasted public key, or the stored P-521 pairs. */
  async checkQitRequest(): Promise<void> {
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
          apiKey: this.qitApiKey,
        },
        nowMs: Date.now(),
      });
    } catch (e) {
      this.qitCheckError = messageOf(e);
    }
  }

  async verifyQitResponse(): Promise<void> {
    this.qitResponseError = '';
    this.qitResponse = null;
    try {
      // The whole keyring goes in; the domain uses only trusted public keys, never key pairs.
      this.qitResponse = await verifyQitResponse({
        authorization: this.qitResponseAuth,
        body: this.qitResponseBody,
        apiKey: this.qitApiKey,
        keyring: keyring.keys.map((k) => ({
          kind: k.kind,
          label: k.label,
          spki: k.spki,
          type: keyTypeOf(k.publicKey),
          ...(k.owner ? { owner: k.owner } : {}),
        })),
        request: { method: this.qitMethod, endpoint: this.qitEndpoint.trim(), date: this.qitDate.trim() },
      });
    } catch (e) {
      this.qitResponseError = messageOf(e);
    }
  }
}

/** The Sign view's forms. */
export const signForms = new SignForms();
