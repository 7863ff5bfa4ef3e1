import { decodeToken, type DecodedToken } from '../lib/jwt/decode';
import type { Verdict } from '../lib/jwt/verify';
import {
  candidatesFromStored,
  keysFromText,
  publicHalfOf,
  type KeyBoxResult,
  type PrivateKeyPasted,
  type SecretEncoding,
} from '../lib/jwt/candidates';
import { unexpectedFailure, verdictFor } from '../lib/jwt/inspect';
import { algInfo } from '../lib/jwt/algorithms';
import { own } from '../lib/json';
import { holdsPrivateKey } from '../lib/keys/key-material';
import { keyring } from './keyring.svelte';

/** Tokens longer than this are decoded once typing pauses, so each keystroke stays fast. */
const DECODE_AT_ONCE = 100_000;
const DECODE_PAUSE_MS = 250;

/** The inspector: the pasted token (never stored), the key box, and the verdict. */
export class Inspector {
  #token = $state('');
  /** The token the panes and the verdict are about: `#token`, or for a long token, its value when typing paused. */
  #decodedInput = $state('');
  #keyText = $state('');
  #encoding = $state<SecretEncoding>('text');
  #skew = $state(60);
  #verdict = $state.raw<Verdict | null>(null);
  /** The token text the verdict is about: a verdict is shown only beside its own token. */
  #verdictInput = $state<string | null>(null);
  #keyBox = $state.raw<KeyBoxResult | null>(null);
  #privatePasted = $state.raw<PrivateKeyPasted | null>(null);
  #fromLink = $state(false);
  #busy = $state(false);
  /** True while the public half of a pasted private key is being derived: no verdict is shown meanwhile. */
  #deriving = $state(false);
  #run = 0;
  /** Counts changes of the key box, so a slow public-half derivation cannot land after a newer paste. */
  #keyEdit = 0;
  #decodeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last key box parse, reused while only the token changes (parsing is the slow part of a paste). */
  #lastBox: { input: string; result: Promise<KeyBoxResult> } | null = null;

  /** The token as decoded for display. Does not verify. */
  readonly decoded: DecodedToken = $derived(decodeToken(this.#decodedInput));
  /** True when the header's alg is an HMAC one, so the key box wants a secret. */
  readonly wantsSecret: boolean = $derived.by(() => {
    const alg = own(this.decoded.header, 'alg');
    return typeof alg === 'string' && algInfo(alg)?.family === 'HS';
  });

  get token() {
    return this.#token;
  }
  set token(v: string) {
    this.#token = v;
    this.#fromLink = false;
    clearTimeout(this.#decodeTimer);
    if (v.length <= DECODE_AT_ONCE) {
      this.#decodedInput = v;
      void this.verify();
    } else {
      // A long token is decoded once typing pauses: decoding megabytes on every keystroke would stall it.
      this.#decodeTimer = setTimeout(() => {
        this.#decodedInput = this.#token;
        void this.verify();
      }, DECODE_PAUSE_MS);
    }
  }
  /** Load a token that came in a link (`#/inspect?token=…`). */
  loadFromLink(v: string) {
    this.token = v;
    this.#fromLink = true;
  }
  /** True while the token shown came from a link: it is then in the browser's history. */
  get fromLink() {
    return this.#fromLink;
  }
  /** True while a long token waits to be decoded. */
  get pending() {
    return this.#decodedInput !== this.#token;
  }
  get keyText() {
    return this.#keyText;
  }
  set keyText(v: string) {
    // The text box echoes the value the page just put there (the cleared box): not a new edit.
    if (v === this.#keyText) return;
    const edit = ++this.#keyEdit;
    if (holdsPrivateKey(v)) {
      // Never keep a pasted private key, whatever else happens: clear the box at once, then put the
      // public half there if one can be derived — unless the box changed again meanwhile.
      this.#keyText = '';
      this.#lastBox = null;
      this.#privatePasted = { source: 'private key' };
      // Until the public half is known the verdict would be about an empty box (the stored keys):
      // show none rather than one about keys the user did not mean.
      this.#deriving = true;
      void publicHalfOf(v).then((result) => {
        if (edit !== this.#keyEdit) return;
        this.#deriving = false;
        this.#privatePasted = result;
        if (result.publicPem) this.#keyText = result.publicPem;
        void this.verify();
      });
      return;
    }
    this.#deriving = false;
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
  /** The verdict, only while it is about the token now decoded (never another token's). */
  get verdict() {
    return this.#verdictInput === this.#decodedInput ? this.#verdict : null;
  }
  get keyBox() {
    return this.#keyBox;
  }
  /** What became of a private key pasted in the key box (it is never kept), if one was. */
  get privatePasted() {
    return this.#privatePasted;
  }
  get busy() {
    return this.#busy || this.#deriving || this.pending;
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
    const input = this.#decodedInput;
    const decoded = this.decoded;
    if (decoded.form === 'empty') {
      this.#verdict = null;
      this.#verdictInput = null;
      this.#keyBox = null;
      return;
    }
    this.#busy = true;
    let verdict: Verdict;
    let box: KeyBoxResult | null = null;
    try {
      if (this.#keyText.trim()) {
        const alg = own(decoded.header, 'alg');
        box = await this.#keysFromBox(typeof alg === 'string' ? alg : undefined);
        if (run !== this.#run) return;
      }
      const thumbs = Object.fromEntries(Object.entries(keyring.details).map(([id, d]) => [id, d.thumbprint]));
      verdict = await verdictFor(decoded, box, candidatesFromStored(keyring.keys, thumbs));
    } catch (e) {
      verdict = unexpectedFailure(e);
    }
    if (run !== this.#run) return;
    this.#keyBox = box;
    this.#verdict = verdict;
    this.#verdictInput = input;
    this.#busy = false;
  }
}

/** The app's one inspector. Its token lives in memory only. */
export const inspector = new Inspector();
