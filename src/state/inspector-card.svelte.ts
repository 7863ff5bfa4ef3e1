import type { DecodedToken } from '../lib/jwt/decode';
import type { Verdict } from '../lib/jwt/verify';
import { AUTO, runTokenCard, tokenChecks, type TokenCard } from '../lib/scheme/token';
import type { SchemeId, TokenCheck, TrustedKeyInfo } from '../lib/scheme/contract';

/** What the partner card is made from (the inspector's token and verdict, the clock, the keyring). */
export interface CardInputs {
  token: DecodedToken;
  /** The verdict about this very token; the card waits while it is null (verification pending). */
  verdict: Verdict | null;
  nowMs: number;
  skewSec: number;
  trustedKeys: readonly TrustedKeyInfo[];
}

/** A card, with the token, verdict and choice it is about (shown only beside those). */
interface Made {
  token: DecodedToken;
  verdict: Verdict;
  choice: SchemeId;
  card: TokenCard | null;
  error?: string;
}

/**
 * The inspector's partner card: which token scheme the user chose under "Check as"
 * (auto-detect by default), the values typed on the card per scheme, the token checks (loaded on
 * first use) and the card made for the token now shown. Never stored: a token is memory-only.
 */
export class PartnerCards {
  /** The "Check as" choice: {@link AUTO} or a token check's id. */
  choice = $state<SchemeId>(AUTO);
  /** Values typed on the card, by scheme id then field name (replaced whole on each edit). */
  #options = $state.raw<Readonly<Record<SchemeId, Readonly<Record<string, string>>>>>({});
  #checks = $state.raw<readonly TokenCheck[] | null>(null);
  #made = $state.raw<Made | null>(null);
  #run = 0;

  /** Every token check, in registry order, once loaded (for the "Check as" list). */
  get checks(): readonly TokenCheck[] | null {
    return this.#checks;
  }
  /** A value typed on the card for scheme `id`'s field `name` ('' when none). */
  option(id: SchemeId, name: string): string {
    return this.#options[id]?.[name] ?? '';
  }
  setOption(id: SchemeId, name: string, value: string): void {
    this.#options = { ...this.#options, [id]: { ...this.#options[id], [name]: value } };
  }

  /**
   * The card about `token` and `verdict` (the same objects the inspector shows now), or undefined
   * while it is being made. A card made for another token, verdict or choice is never returned;
   * one made for an earlier clock tick or earlier typed values is, until the new one is ready.
   */
  cardFor(
    token: DecodedToken,
    verdict: Verdict | null,
  ): { card: TokenCard | null; error?: string } | undefined {
    const m = this.#made;
    return m && m.token === token && m.verdict === verdict && m.choice === this.choice ? m : undefined;
  }

  /** Make the card for `inputs` (the newest call wins). Reads the choice and typed values now. */
  async update(inputs: CardInputs): Promise<void> {
    const run = ++this.#run;
    const { verdict } = inputs;
    const choice = this.choice;
    const options = this.#options;
    if (!verdict) return;
    const about = { token: inputs.token, verdict, choice };
    let made: Made;
    try {
      const checks = await tokenChecks();
      if (run !== this.#run) return;
      this.#checks ??= checks;
      made = { ...about, card: await runTokenCard(checks, { ...inputs, choice, options }) };
    } catch (e) {
      const error = `The partner checks could not run (${e instanceof Error ? e.name : 'error'}).`;
      made = { ...about, card: null, error };
    }
    if (run === this.#run) this.#made = made;
  }
}

/** The app's one partner card state, beside the one inspector. */
export const partnerCards = new PartnerCards();
