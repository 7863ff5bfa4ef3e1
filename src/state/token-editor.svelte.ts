/**
 * Editing a token's header and payload in Inspect, re-signed in place: each edit puts a new token
 * in the inspector's box, signed with the key chosen under "Sign with" (a stored key pair, the
 * secret in the key box, or the example's key), or unsigned when it cannot be signed. The
 * inspector then verifies it by the one rule, like any pasted token. Loaded with the Inspect view.
 */
import { sameBytes } from '../lib/encoding/base64url';
import { secretBytes } from '../lib/jwt/candidates';
import type { Example } from '../lib/jwt/example';
import { resignToken, type Resigner } from '../lib/jwt/resign';
import { messageOf } from '../lib/errors';
import { inspector } from './inspector.svelte';
import { keyring } from './keyring.svelte';

/** The "Sign with" choice for the secret in the key box. */
export const WITH_SECRET = 'secret';
/** The "Sign with" choice for the example's key. */
export const WITH_EXAMPLE = 'example';

/** The editor of the token in the inspector's box. */
class TokenEditor {
  /** True while the header and payload are shown as text boxes. */
  open = $state(false);
  headerText = $state('');
  payloadText = $state('');
  /** Why the token in the box has no signature, after an edit that could not be signed. */
  problem = $state('');
  /** `WITH_SECRET`, `WITH_EXAMPLE`, a stored pair's id, or '' for none. */
  signWith = $state('');
  /** Why "Try an example" could not make its token (shown in Inspect). */
  exampleProblem = $state('');
  #example = $state.raw<Example | null>(null);
  /** The token this editor last put in the box (another one there means the user pasted anew). */
  #made = '';
  #run = 0;

  /** The example made by "Try an example", while this tab lives (its key is never stored). */
  get example(): Example | null {
    return this.#example;
  }

  /** Show the example in the inspector: its token, and its public key in the key box. */
  showExample(example: Example): void {
    this.#example = example;
    this.exampleProblem = '';
    this.open = false;
    inspector.exampleSpki = example.spki;
    inspector.keyText = example.publicPem;
    inspector.token = example.token;
  }

  /** The stored key pairs it can sign with (an encryption pair decrypts only). */
  get pairs() {
    return keyring.pairs.filter((k) => k.privateKey && k.jwsAlg !== 'RSA-OAEP-256');
  }

  /** True when the token in the box is the one this editor made, or the example's. */
  get ownsToken(): boolean {
    return inspector.token === this.#made || inspector.token === this.#example?.token;
  }

  /** True when the box holds the example token or one re-signed from it with its key. */
  get showsExample(): boolean {
    const ex = this.#example;
    return !!ex && (inspector.token === ex.token || (this.ownsToken && this.signWith === WITH_EXAMPLE));
  }

  /**
   * Start editing the decoded token: its header and payload as shown, and the key that fits:
   * the secret for HS*, the example's key for the example, else the stored pair that verified it
   * or the first whose algorithm is the header's.
   */
  start(headerText: string, payloadText: string, alg: unknown, verifiedSpki?: Uint8Array): void {
    this.headerText = headerText;
    this.payloadText = payloadText;
    this.problem = '';
    this.#made = inspector.token;
    const ex = this.#example;
    if (typeof alg === 'string' && alg.startsWith('HS')) this.signWith = WITH_SECRET;
    else if (ex && inspector.token === ex.token) this.signWith = WITH_EXAMPLE;
    else
      this.signWith =
        (verifiedSpki && this.pairs.find((k) => sameBytes(k.spki, verifiedSpki))?.id) ??
        this.pairs.find((k) => k.jwsAlg === alg)?.id ??
        '';
    this.open = true;
  }

  /** Stop editing (the token in the box stays as it is). */
  close(): void {
    this.open = false;
  }

  /** What signs now, or why nothing can. */
  #signer(): { signer: Resigner | null; problem?: string } {
    if (this.signWith === WITH_EXAMPLE && this.#example) return { signer: this.#example.signer };
    if (this.signWith === WITH_SECRET) {
      try {
        return { signer: { kind: 'secret', secret: secretBytes(inspector.keyText, inspector.encoding) } };
      } catch (e) {
        return {
          signer: null,
          problem: `Not signed: the secret in the key box is not valid ${inspector.encoding} (${messageOf(e)}).`,
        };
      }
    }
    const pair = keyring.pairs.find((k) => k.id === this.signWith);
    if (!pair?.privateKey || pair.jwsAlg === 'RSA-OAEP-256') return { signer: null };
    return { signer: { kind: 'pair', label: pair.label, privateKey: pair.privateKey, alg: pair.jwsAlg } };
  }

  /** Make the token from the text now, and put it in the inspector's box. Stale runs are dropped. */
  async resign(): Promise<void> {
    const run = ++this.#run;
    const { signer, problem } = this.#signer();
    const r = await resignToken(this.headerText, this.payloadText, signer);
    if (run !== this.#run || !this.open) return;
    this.#made = r.token;
    this.problem = r.signed ? '' : (problem ?? r.problem);
    inspector.token = r.token;
  }
}

/** The one token editor. */
export const tokenEditor = new TokenEditor();
