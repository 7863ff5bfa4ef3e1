/**
 * Which Sign view tab signs a scheme, and which tab opens first. Apart from partner-profile.ts so the
 * first paint (the Keys view, which needs only the profile's shape) does not carry them.
 */
import type { PartnerId, PartnerProfile } from '../partner-profile';
import type { SchemeId } from '../scheme/contract';

/** The Sign view's forms (one per partner before forms were per scheme; QI Tech's three share one). */
export type SignerId = 'qitech' | 'snowflake' | 'binance';

/** The Sign view's form that signs a scheme, or null when it has none of these (e.g. rfc9421). */
export function signerOf(scheme: SchemeId): SignerId | null {
  // qit-v1, qit-v2, qi-dtvm: QI Tech's three schemes share one tab.
  if (scheme === 'binance') return scheme;
  return /^qi/.test(scheme) ? 'qitech' : scheme === 'snowflake-jwt' ? 'snowflake' : null;
}

/**
 * The Sign view's first form: the tab of the one partner the user's key pairs serve (its signer, or
 * its first scheme's own tab, e.g. client-assertion for Entra), or null (the Test JWT form) when they
 * serve none or several.
 */
export function defaultSigner(
  keys: readonly { kind: 'pair' | 'public'; partners: readonly PartnerId[] }[],
  profiles: readonly PartnerProfile[],
): SignerId | SchemeId | null {
  const first = servedPartner(keys, profiles)?.schemes[0];
  return first === undefined ? null : (signerOf(first) ?? first);
}

/** The one partner the user's key pairs serve, as its profile, or null when they serve none or several. */
export function servedPartner(
  keys: readonly { kind: 'pair' | 'public'; partners: readonly PartnerId[] }[],
  profiles: readonly PartnerProfile[],
): PartnerProfile | null {
  const served = new Set(keys.filter((k) => k.kind === 'pair').flatMap((k) => k.partners));
  return (served.size === 1 && profiles.find((p) => served.has(p.id))) || null;
}
