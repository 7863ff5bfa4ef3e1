/**
 * Every partner profile keybench has: each `*.profile.ts` file in this folder, found at build time,
 * so adding a partner is adding its file (and its tests).
 */
import type { PartnerProfile, SigningScheme } from '../partner-profile';

const files = import.meta.glob<PartnerProfile>('./*.profile.ts', { eager: true, import: 'default' });

/** The profiles, in their `order`. */
export const PARTNER_PROFILES: readonly PartnerProfile[] = Object.values(files).sort(
  (a, b) => a.order - b.order,
);

/** The profile with this id, if there is one. */
export function partnerById(id: string): PartnerProfile | undefined {
  return PARTNER_PROFILES.find((p) => p.id === id);
}

/** The profile that owns a signing scheme, and the scheme. */
export function schemeById(id: SigningScheme['id']): { profile: PartnerProfile; scheme: SigningScheme } {
  for (const profile of PARTNER_PROFILES) {
    const scheme = profile.schemes.find((s) => s.id === id);
    if (scheme) return { profile, scheme };
  }
  throw new Error(`no profile has the scheme ${id}`);
}
