/**
 * The mistakes the client-assertion cards name, titled once for the partner profiles
 * that use them (Entra ID, Okta, Auth0, Google, Salesforce).
 */
import type { ErrorCode } from '../errors';
import type { Mistake } from '../partner-profile';

const TITLES: Partial<Record<ErrorCode, string>> = {
  ERR_ASSERT_UNVERIFIED: 'Signature not verified with a key you trust (x5c is never trusted)',
  ERR_ASSERT_CLAIM_TYPE: 'Claim of the wrong type (or a payload that is not claims)',
  ERR_ASSERT_ALG: 'Signed with an algorithm the partner does not accept',
  ERR_ASSERT_HEADER_MISSING: 'Required header parameter missing (kid, nonce…)',
  ERR_ASSERT_KID: 'kid of another key than the registered one',
  ERR_ASSERT_THUMBPRINT_MISSING: 'No certificate thumbprint (x5t#S256 / x5t)',
  ERR_ASSERT_THUMBPRINT_SHA1: 'SHA-1 thumbprint where SHA-256 (x5t#S256) is expected',
  ERR_ASSERT_THUMBPRINT_SHA256: 'SHA-256 thumbprint in x5t (the SHA-1 slot)',
  ERR_ASSERT_THUMBPRINT_ALG: 'Thumbprint kind and alg not paired (x5t#S256 with PS256, x5t with RS256)',
  ERR_ASSERT_THUMBPRINT_OTHER_CERT: 'Thumbprint of another certificate than the uploaded one',
  ERR_ASSERT_X5C_ONLY: 'Certificate sent in x5c without a thumbprint',
  ERR_ASSERT_CERTIFICATE: 'Pasted certificate that is not a certificate PEM',
  ERR_ASSERT_CLAIM_MISSING: 'Required claim missing',
  ERR_ASSERT_CLAIM_VALUE: 'Claim with another value than the partner expects',
  ERR_ASSERT_CLIENT_ID: 'iss is not the client id (or account, issuer id)',
  ERR_ASSERT_ISS_SUB: 'iss and sub differ',
  ERR_ASSERT_AUD: 'Wrong aud (another endpoint, tenant or form)',
  ERR_ASSERT_JTI_MISSING: 'No jti',
  ERR_ASSERT_LIFETIME: 'Lifetime longer than the partner allows',
  ERR_ASSERT_TIME_UNIT: 'Times in milliseconds instead of seconds',
  ERR_ASSERT_EXPIRED: 'Assertion expired',
  ERR_ASSERT_IAT_FUTURE: 'iat in the future (clock skew)',
  ERR_ASSERT_NBF_FUTURE: 'nbf in the future (clock skew)',
};

/** The profile's mistakes list for these codes, with their titles. */
export function assertionMistakes(codes: readonly ErrorCode[]): Mistake[] {
  return codes.map((code) => ({ code, title: TITLES[code] ?? code }));
}
