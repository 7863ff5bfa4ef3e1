import type { PartnerProfile } from '../lib/partner-profile';

/**
 * The partner profiles, loaded after first paint (they are data of their own chunk, kept out of
 * the first load): the Keys view's picker and cards and the Sign view read them from here.
 */
class Profiles {
  #list = $state.raw<readonly PartnerProfile[]>([]);
  #loading: Promise<void> | null = null;

  /** The profiles in their order; empty until loaded. */
  get list(): readonly PartnerProfile[] {
    return this.#list;
  }

  /** Load the profiles (once). */
  load(): Promise<void> {
    this.#loading ??= import('../lib/partners/profiles').then((m) => {
      this.#list = m.PARTNER_PROFILES;
    });
    return this.#loading;
  }

  /** The profile with this id, once loaded. */
  byId(id: string): PartnerProfile | undefined {
    return this.#list.find((p) => p.id === id);
  }
}

/** The app's one list of partner profiles. */
export const profiles = new Profiles();
