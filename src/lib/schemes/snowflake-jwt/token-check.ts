/**
 * The Snowflake key-pair JWT as a token scheme on the engine (engine/token.ts): recognised by an
 * `iss` ending in `.SHA256:<fingerprint>`, checked with Snowflake's rules (rules.ts, times.ts)
 * against the fingerprints of the keys the user trusts. The card's summary and tone are the
 * engine's (trust/card.ts).
 */
import { own } from '../../json';
import { claimsOf } from '../engine/token';
import { defineTokenCheck } from '../engine/types';
import { checkSnowflakeJwt, looksLikeSnowflakeJwt, type SnowflakeKeyFingerprint } from './rules';
import { snowflakeFingerprint } from './sign';

export default defineTokenCheck({
  id: 'snowflake-jwt',
  partnerName: 'Snowflake',
  title: 'Snowflake key-pair JWT',
  about:
    "Snowflake's rules: account and user upper-case, no region in the account, the fingerprint of the signing key, exp at most one hour after iat. Times are checked against this computer's clock when the token is pasted, with the clock-skew tolerance set under Claims.",
  // An iss ending in SHA256:<fingerprint> is Snowflake's alone.
  recognise: (token) => {
    const claims = claimsOf(token);
    return claims && looksLikeSnowflakeJwt(claims) ? 3 : 0;
  },
  options: [
    {
      name: 'account',
      label: 'Expected account',
      kind: 'text',
      default: '',
      help: 'The account you sign in to (xy12345.us-east-1 or myorg-myaccount); empty: not checked.',
    },
    {
      name: 'user',
      label: 'Expected user',
      kind: 'text',
      default: '',
      help: 'The Snowflake user the key is assigned to; empty: not checked.',
    },
  ],
  async check({ token, signatureVerified, verifiedBy, nowMs, options, skewSec, trustedKeys = [] }) {
    const fingerprintOf = async (k: {
      label: string;
      spki: Uint8Array;
    }): Promise<SnowflakeKeyFingerprint> => ({
      label: k.label,
      fingerprint: await snowflakeFingerprint(k.spki),
    });
    const keyFingerprints = await Promise.all(trustedKeys.map(fingerprintOf));
    const signedBy =
      signatureVerified && verifiedBy?.kind === 'public' ? await fingerprintOf(verifiedBy) : undefined;
    return checkSnowflakeJwt(claimsOf(token) ?? {}, {
      keyFingerprints,
      nowSec: Math.floor(nowMs / 1000),
      signedBy,
      alg: own(token.header, 'alg'),
      skewSec,
      expected: { account: options.account, user: options.user },
    });
  },
});
