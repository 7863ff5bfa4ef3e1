/**
 * Every partner profile keybench has: each `*.profile.ts` file in this folder, found at build time,
 * so adding a partner is adding its file (and its tests).
 */
import type { PartnerProfile } from '../partner-profile';
import type { SchemeId } from '../request/types';
import type { PartnerId } from '../trust/owner';

const files = import.meta.glob<PartnerProfile>('./*.profile.ts', { eager: true, import: 'default' });

/** The profiles, in their `order`. */
export const PARTNER_PROFILES: readonly PartnerProfile[] = Object.values(files).sort(
  (a, b) => a.order - b.order,
);

/** The profile with this id, if there is one. */
export function partnerById(id: string): PartnerProfile | undefined {
  return PARTNER_PROFILES.find((p) => p.id === id);
}

/** The profile that lists a scheme (a request in it is sent to that partner), if any. */
export function profileOfScheme(id: SchemeId): PartnerProfile | undefined {
  return PARTNER_PROFILES.find((p) => p.schemes.includes(id));
}

/**
 * A partner's name in a sentence ("Qredo's key"), by id. A test holds the profiles to trust/owner.ts's
 * ids, so none is missing.
 */
export const PARTNER_NAMES = Object.fromEntries(
  PARTNER_PROFILES.map((p) => [p.id, p.company ?? p.name]),
) as Readonly<Record<PartnerId, string>>;
