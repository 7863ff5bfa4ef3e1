/**
 * The Sign view's tab and what other views ask of it: "Sign it correctly" fills a scheme's form
 * from a pasted request. The forms' state lives per scheme (sign-form.svelte.ts) and per signer
 * (sign-jwt; Snowflake's values live beside its form).
 */
import { defaultSigner, servedPartner, signerOf, type SignerId } from '../lib/partners/sign-tabs';
import { profiles } from './profiles.svelte';
import { keyring } from './keyring.svelte';
import { signStates } from './sign-form.svelte';
import { qitechApiKey } from './api-key-memory.svelte';

/** The Sign view's tab, and the ways into it from other views. */
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
  /** Whether the tab shown is the user's choice (else it follows the stored key pairs). */
  get tabChosen(): boolean {
    return this.#tab !== null;
  }
  /** The one partner the stored key pairs serve, or null (its form's partner choice follows it). */
  get servedPartner() {
    return servedPartner(keyring.keys, profiles.list);
  }

  /** Fill a declarative scheme's form with values read back from a request (its own tab). */
  prefillValues(
    scheme: string,
    values: Readonly<Record<string, string | number | boolean | readonly string[]>>,
  ): void {
    // A scheme with variants (QI Tech's) is signed in its partner's tab, with that variant chosen.
    const tab = signerOf(scheme);
    this.tab = tab ?? scheme;
    if (tab) signStates.chosen[tab] = scheme;
    const current = signStates.valueOf(scheme, 'apiKey') ?? qitechApiKey.stored;
    signStates.fill(scheme, { ...values });
    // A QI Tech key read from a pasted request never replaces the remembered one unasked.
    const pasted = values['apiKey'];
    if (tab === 'qitech' && typeof pasted === 'string' && pasted)
      qitechApiKey.pasted(pasted, typeof current === 'string' ? current : '');
  }
}

/** The Sign view's forms. */
export const signForms = new SignForms();
