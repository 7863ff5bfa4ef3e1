import { decodeToken, type DecodedToken } from '../lib/jwt/decode';
import { verifyToken, type Verdict, type VerificationKey } from '../lib/jwt/verify';
import {
  candidatesFromHeader,
  candidatesFromStored,
  keysFromText,
  type KeyBoxResult,
  type SecretEncoding,
} from '../lib/jwt/candidates';
import { algInfo } from '../lib/jwt/algorithms';
import { keyring } from './keyring.svelte';

/** The inspector: the pasted token (never stored), the key box, and the verdict. */
export class Inspector {
  #token = $state('');
  #keyText = $state('');
  #encoding = $state<SecretEncoding>('text');
  #skew = $state(60);
  #verdict = $state.raw<Verdict | null>(null);
  #keyBox = $state.raw<KeyBoxResult | null>(null);
  #privatePasted = $state<string | null>(null);
  #busy = $state(false);
  #run = 0;
  /** The last key box parse, reused while only the token changes (parsing is the slow part of a paste). */
  #lastBox: { input: string; result: Promise<KeyBoxResult> } | null = null;

  /** The token as decoded for display. Does not verify. */
  readonly decoded: DecodedToken = $derived(decodeToken(this.#token));
  /** True when the header's alg is an HMAC one, so the key box wants a secret. */
  readonly wantsSecret: boolean = $derived(
    typeof this.decoded.header?.alg === 'string' && algInfo(this.decoded.header.alg)?.family === 'HS',
  );

  get token() {
    return this.#token;
  }
  set token(v: string) {
    this.#token = v;
    void this.verify();
  }
  get keyText() {
    return this.#keyText;
  }
  set keyText(v: string) {
    this.#keyText = v;
    this.#privatePasted = null;
    void this.verify();
  }
  get encoding() {
    return this.#encoding;
  }
  set encoding(v: SecretEncoding) {
    this.#encoding = v;
    void this.verify();
  }
  get skew() {
    return this.#skew;
  }
  set skew(v: number) {
    this.#skew = Number.isFinite(v) && v >= 0 ? v : 0;
  }
  get verdict() {
    return this.#verdict;
  }
  get keyBox() {
    return this.#keyBox;
  }
  /** The kind of private key that was pasted (and discarded), if one was. */
  get privatePasted() {
    return this.#privatePasted;
  }
  get busy() {
    return this.#busy;
  }

  #keysFromBox(alg: string | undefined): Promise<KeyBoxResult> {
    const input = JSON.stringify([this.#keyText, alg ?? null, this.#encoding]);
    if (this.#lastBox?.input !== input) {
      this.#lastBox = { input, result: keysFromText(this.#keyText, alg, this.#encoding) };
    }
    return this.#lastBox.result;
  }

  /** Re-run verification (after the token, the key box or the keyring changed). Stale runs are dropped. */
  async verify(): Promise<void> {
    const run = ++this.#run;
    const decoded = this.decoded;
    if (decoded.form === 'empty') {
      this.#verdict = null;
      this.#keyBox = null;
      return;
    }
    this.#busy = true;
    try {
      let candidates: VerificationKey[];
      let box: KeyBoxResult | null = null;
      if (this.#keyText.trim()) {
        box = await this.#keysFromBox(decoded.header?.alg as string | undefined);
        if (run !== this.#run) return;
        if (box.privateKeyPasted) {
          this.#lastBox = null; // it holds the private key's text: drop it
          // Never keep a pasted private key: replace it with its public half and say so.
          this.#privatePasted = box.privateKeyPasted.source;
          this.#keyText = box.privateKeyPasted.publicPem;
        }
        candidates = box.candidates;
      } else {
        const thumbs = Object.fromEntries(
          Object.entries(keyring.details).map(([id, d]) => [id, d.thumbprint]),
        );
        candidates = [
          ...candidatesFromStored(keyring.keys, thumbs),
          ...(await candidatesFromHeader(decoded.header)),
        ];
      }
      const verdict =
        box?.error && box.candidates.length === 0
          ? {
              verified: false,
              code: box.error.code,
              message: `The verification key was not understood: ${box.error.message}`,
              tried: [],
              notes: [],
            }
          : await verifyToken(decoded, candidates);
      if (run !== this.#run) return;
      this.#keyBox = box;
      this.#verdict = verdict;
    } catch (e) {
      if (run !== this.#run) return;
      this.#verdict = {
        verified: false,
        code: 'ERR_JWT_MALFORMED',
        message: `Could not verify: ${e instanceof Error ? e.message : String(e)}`,
        tried: [],
        notes: [],
      };
    } finally {
      if (run === this.#run) this.#busy = false;
    }
  }
}

/** The app's one inspector. Its token lives in memory only. */
export const inspector = new Inspector();
