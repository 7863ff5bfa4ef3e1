import { decodeToken, type DecodedToken } from '../lib/jwt/decode';
import { sameBytes } from '../lib/encoding/base64url';
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
import { EXAMPLE_KEY_LABEL } from '../lib/jwt/example-label';
import { algInfo } from '../lib/jwt/algorithms';
import { own } from '../lib/json';
import { holdsPrivateKey, keyTextTooLarge } from '../lib/keys/key-material';
import { keyring } from './keyring.svelte';
import { sniffRequest } from '../lib/request/sniff';
import type { KeysAnswer, RequestExamination } from '../lib/scheme/doctor';
import { KEY_READINGS, type KeyReading } from '../lib/scheme/doctor-protocol';

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
  /**
   * The user says the key box holds a shared secret (the **Shared secret (HMAC)** tick), for an HS*
   * token or a request scheme that verifies HMAC. What the box is read as is decided in one place,
   * keys/key-box.ts: a request never guesses; an HS* token takes un-key-like text as the secret.
   */
  #secretTicked = $state(false);
  #skew = $state(60);
  #verdict = $state.raw<Verdict | null>(null);
  /** The token text the verdict is about: a verdict is shown only beside its own token. */
  #verdictInput = $state<string | null>(null);
  #keyBox = $state.raw<KeyBoxResult | null>(null);
  #privatePasted = $state.raw<PrivateKeyPasted | null>(null);
  /** The key box's answer when the text pasted there was too large to read (it was cleared, never scanned). */
  #tooLarge = $state.raw<KeyBoxResult | null>(null);
  #fromLink = $state(false);
  /** The SPKI of the key "Try an example" made (set by the token editor), while this tab lives: the verdict names that key as the example's. */
  exampleSpki = $state.raw<Uint8Array | null>(null);
  #busy = $state(false);
  /** True while the public half of a pasted private key is being derived: no verdict is shown meanwhile. */
  #deriving = $state(false);
  #run = 0;
  /** Counts changes of the key box, so a slow public-half derivation cannot land after a newer paste. */
  #keyEdit = 0;
  /** Aborts the doctor's job of the run in progress. */
  #doctor: AbortController | null = null;
  #decodeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last key box parse, reused while only the token changes (parsing is the slow part of a paste). */
  #lastBox: { input: string; result: Promise<KeyBoxResult> } | null = null;

  /** What the request doctor made of the first box, when it holds a signed request (curl, HTTP, HAR, fetch). */
  #request = $state.raw<{ input: string; result: RequestExamination | null; note?: string } | null>(null);
  /** `#request` while it is about the text now in the first box, else null. */
  readonly #exam = $derived(this.#request?.input === this.#decodedInput ? this.#request : null);

  /** The form of signed request the first box holds, or null when it holds a token (or nothing). */
  readonly requestForm = $derived(sniffRequest(this.#decodedInput));
  /**
   * The token as decoded for display. Does not verify. For a request, the bearer JWT it carries (once
   * the request is read), else nothing.
   */
  readonly decoded: DecodedToken = $derived.by(() => {
    if (!this.requestForm) return decodeToken(this.#decodedInput);
    const result = this.#exam?.result;
    return decodeToken(result?.kind === 'bearer' ? result.token : '');
  });
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
    // The size cap comes before any scan. Text this large is not read, so it may hold a private
    // key: it is not kept either. The verdict says why (never one about the stored keys instead).
    const tooLarge = keyTextTooLarge(v);
    const cleared =
      'The box was cleared: keybench keeps no text it has not read, since it could hold a private key.';
    const error = tooLarge && { code: 'ERR_KEY_TOO_LARGE' as const, message: `${tooLarge} ${cleared}` };
    this.#tooLarge = error ? { candidates: [], error } : null;
    // Never keep a pasted private key, whatever else happens: clear the box at once, then put the
    // public half there if one can be derived — unless the box changed again meanwhile.
    const isPrivate = !tooLarge && holdsPrivateKey(v);
    this.#keyText = tooLarge || isPrivate ? '' : v;
    this.#lastBox = null;
    this.#privatePasted = isPrivate ? { source: 'private key' } : null;
    // Until the public half is known the verdict would be about an empty box (the stored keys):
    // show none rather than one about keys the user did not mean.
    this.#deriving = isPrivate;
    if (!isPrivate) {
      void this.verify();
      return;
    }
    void publicHalfOf(v).then((result) => {
      if (edit !== this.#keyEdit) return;
      this.#deriving = false;
      this.#privatePasted = result;
      if (result.publicPem) this.#keyText = result.publicPem;
      void this.verify();
    });
  }
  get encoding() {
    return this.#encoding;
  }
  /** The **Shared secret (HMAC)** tick: the key box holds a secret (see keys/key-box.ts). */
  get secretTicked() {
    return this.#secretTicked;
  }
  set secretTicked(v: boolean) {
    this.#secretTicked = v;
    void this.verify();
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
  /** The request doctor's answer, only while it is about the text now in the first box. */
  get request(): RequestExamination | null {
    return this.#exam?.result ?? null;
  }
  /** Why the text last pasted in the key box was cleared unread (too large), until the box changes. */
  get keyTextRefused(): string | undefined {
    return this.#tooLarge?.error?.message;
  }
  /** Said beside the request's verdict when the doctor could not run in a worker. */
  get requestNote(): string | undefined {
    return this.#exam?.note;
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

  /** The box's keys with the example's key named as such: it verifies, but it is not the user's. */
  #withExample(box: KeyBoxResult): KeyBoxResult {
    const ex = this.exampleSpki;
    if (!ex) return box;
    const candidates = box.candidates.map((k) =>
      k.kind === 'public' && sameBytes(k.spki, ex)
        ? { ...k, label: EXAMPLE_KEY_LABEL, example: true as const }
        : k,
    );
    return { ...box, candidates };
  }

  #keysFromBox(alg: string | undefined): Promise<KeyBoxResult> {
    if (this.#tooLarge) return Promise.resolve(this.#tooLarge);
    const ticked = this.#secretTicked;
    const input = JSON.stringify([this.#keyText, alg ?? null, this.#encoding, ticked]);
    if (this.#lastBox?.input !== input) {
      this.#lastBox = { input, result: keysFromText(this.#keyText, alg, this.#encoding, { ticked }) };
    }
    return this.#lastBox.result;
  }

  /** The trusted keys for a request's scheme, read for `alg`: the key box's, or every stored key. */
  async #requestKeys(alg: string | undefined): Promise<{ keys: KeysAnswer; box?: KeyBoxResult }> {
    const refused = this.#tooLarge;
    if (refused?.error)
      return { keys: { code: refused.error.code, parts: [refused.error.message] }, box: refused };
    if (!this.#keyText.trim()) return { keys: candidatesFromStored(keyring.keys, this.#thumbprints()) };
    // A secret only when the user says so (a request never guesses), and only for a scheme that verifies HMAC.
    const secret = alg === 'HS256' && this.#secretTicked;
    const box = await keysFromText(this.#keyText, alg, secret ? this.#encoding : 'text', {
      ticked: secret,
      guess: false,
    });
    if (box.error) {
      const parts = box.error.parts ?? [box.error.message];
      const hint = ' If it is a shared secret (HMAC), tick "Shared secret (HMAC)" under the key box.';
      return {
        keys: { code: box.error.code, parts: alg === 'HS256' && !secret ? [...parts, hint] : parts },
        box,
      };
    }
    return { keys: box.candidates.filter((k) => (secret ? k.kind === 'secret' : k.kind === 'public')), box };
  }

  /**
   * A request's job for the doctor, with the keys read every way a scheme may ask for them: the
   * doctor finds the scheme in its worker, and never asks the page mid-job.
   */
  async #doctorJob(input: string) {
    const read = await Promise.all(KEY_READINGS.map((r) => this.#requestKeys(r === 'any' ? undefined : r)));
    const keys = Object.fromEntries(KEY_READINGS.map((r, i) => [r, read[i]!.keys])) as Record<
      KeyReading,
      KeysAnswer
    >;
    const boxOf = (r: KeyReading) => read[KEY_READINGS.indexOf(r)]?.box;
    return { job: { text: input, nowMs: Date.now(), keys }, boxOf };
  }

  #thumbprints() {
    return Object.fromEntries(Object.entries(keyring.details).map(([id, d]) => [id, d.thumbprint]));
  }

  /** Re-run verification (after the token, the key box or the keyring changed). Stale runs are dropped. */
  async verify(): Promise<void> {
    const run = ++this.#run;
    // A newer run supersedes the doctor's job, whatever this run is about.
    this.#doctor?.abort();
    this.#doctor = null;
    this.#busy = true;
    const input = this.#decodedInput;
    if (sniffRequest(input)) {
      // A signed request: the doctor (loaded on first use) reads, verifies and diagnoses it.
      let result: RequestExamination | null;
      let note: string | undefined;
      try {
        // Off the main thread (a worker; on the page where none can start).
        const { doctorClient } = await import('./doctor-client');
        const { job, boxOf } = await this.#doctorJob(input);
        // Runs waiting here resume in any order: only the newest may start a job.
        if (run !== this.#run) return;
        this.#doctor = new AbortController();
        const answer = await doctorClient.examine(job, this.#doctor.signal);
        if (answer.superseded) return;
        ({ result, note } = answer);
        // What the key box was read as, for the scheme the doctor found.
        const box = answer.reading && boxOf(answer.reading);
        if (box && run === this.#run) this.#keyBox = box;
      } catch (e) {
        result = { kind: 'error', code: 'ERR_REQUEST_PARSE', parts: [unexpectedFailure(e).message] };
      }
      if (run !== this.#run) return;
      this.#request = { input, result, note };
      if (result?.kind !== 'bearer') {
        this.#verdict = null;
        this.#verdictInput = null;
        this.#busy = false;
        return;
      }
      // A bearer JWT: `decoded` is now that token, verified below like a pasted one.
    } else {
      this.#request = null;
    }
    const decoded = this.decoded;
    if (decoded.form === 'empty') {
      this.#verdict = null;
      this.#verdictInput = null;
      this.#keyBox = null;
      this.#busy = false;
      return;
    }
    let verdict: Verdict;
    let box: KeyBoxResult | null = null;
    try {
      if (this.#keyText.trim() || this.#tooLarge) {
        const alg = own(decoded.header, 'alg');
        box = this.#withExample(await this.#keysFromBox(typeof alg === 'string' ? alg : undefined));
        if (run !== this.#run) return;
      }
      verdict = await verdictFor(decoded, box, candidatesFromStored(keyring.keys, this.#thumbprints()));
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
