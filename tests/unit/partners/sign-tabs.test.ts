import { describe, expect, it } from 'vitest';
import type { PartnerId } from '../../../src/lib/partner-profile';
import { defaultSigner } from '../../../src/lib/partners/sign-tabs';
import { PARTNER_PROFILES } from '../../../src/lib/partners/profiles';

const pair = (...partners: PartnerId[]) => ({ kind: 'pair' as const, partners });
const pub = (...partners: PartnerId[]) => ({ kind: 'public' as const, partners });

describe('defaultSigner: the Sign view opens on the form of the one partner the key pairs serve', () => {
  it("one partner served (by one pair or several): that partner's form", () => {
    expect(defaultSigner([pair('qitech')], PARTNER_PROFILES)).toBe('qitech');
    expect(defaultSigner([pair('qredo'), pair('qredo'), pair()], PARTNER_PROFILES)).toBe('qredo');
    expect(defaultSigner([pair('binance')], PARTNER_PROFILES)).toBe('binance');
    expect(defaultSigner([pair('snowflake')], PARTNER_PROFILES)).toBe('snowflake');
    // A partner with no signer of its own opens on its scheme's tab: Entra's client assertion.
    expect(defaultSigner([pair('entra')], PARTNER_PROFILES)).toBe('client-assertion');
    expect(defaultSigner([pair('okta'), pair('okta')], PARTNER_PROFILES)).toBe('client-assertion');
  });

  it('no partner, several partners, or only trusted public keys: Test JWT (null)', () => {
    expect(defaultSigner([], PARTNER_PROFILES)).toBeNull();
    expect(defaultSigner([pair()], PARTNER_PROFILES)).toBeNull();
    expect(defaultSigner([pair('qredo', 'snowflake')], PARTNER_PROFILES)).toBeNull();
    expect(defaultSigner([pair('qredo'), pair('qitech')], PARTNER_PROFILES)).toBeNull();
    expect(defaultSigner([pub('qitech')], PARTNER_PROFILES)).toBeNull();
    // A partner's public key does not make its form the default; the pair's partner does.
    expect(defaultSigner([pub('qitech'), pair('qredo')], PARTNER_PROFILES)).toBe('qredo');
  });

  it('before the profiles load: null', () => {
    expect(defaultSigner([pair('qredo')], [])).toBeNull();
  });
});
