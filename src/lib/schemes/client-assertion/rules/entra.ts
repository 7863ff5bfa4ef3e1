/**
 * Microsoft Entra ID certificate credentials. The current documentation asks for PS256 with
 * `x5t#S256`; the older page (and MSAL's deprecated `fromCertificate`) RS256 with the SHA-1 `x5t`.
 * Entra accepts both: keybench offers the choice and labels the source.
 */
import { CERTIFICATE, CLIENT_ID, clock, issIsClientId, issIsSub, jtiRequired } from './common';
import { defineRules } from './types';

const DOCS = 'https://learn.microsoft.com/entra/identity-platform/certificate-credentials';
const OLD_DOCS =
  'https://learn.microsoft.com/previous-versions/azure/active-directory/develop/certificate-credentials';
const MSAL = '@azure/msal-node: src/client/ClientAssertion.ts (createJwt: exp = iat + 600, nbf, jti)';
const MSAL_PY =
  "msal (Python): msal/oauth2cli/assertion.py (x5t / x5t#S256 as base64.urlsafe_b64encode, so '=' padded; exp = now + 600; iat, jti; no nbf) and msal/application.py (PS256 + x5t#S256, else RS256 + x5t)";

/** The thumbprint choices, as the Thumbprint option offers them. */
export const ENTRA_S256 = 'x5t#S256 + PS256 (current docs; MSAL fromCertificateWithSha256Thumbprint)';
export const ENTRA_SHA1 = 'x5t + RS256 (older docs; MSAL fromCertificate)';
const ENTRA_EITHER = 'Either, as the token says';

export default defineRules({
  id: 'client-assertion/entra',
  profile: 'entra',
  partnerName: 'Microsoft Entra ID',
  options: [
    CLIENT_ID,
    {
      name: 'tenant',
      label: 'Tenant ID',
      kind: 'text',
      default: '',
      help: 'The directory (tenant) id or domain: aud is https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.',
      remember: true,
    },
    {
      name: 'thumbprint',
      label: 'Thumbprint',
      kind: 'choice',
      default: ENTRA_EITHER,
      options: [ENTRA_EITHER, ENTRA_S256, ENTRA_SHA1],
      help: 'Which thumbprint header identifies the certificate: Entra accepts both, the docs changed.',
    },
    CERTIFICATE,
  ],
  recognise: {
    aud: /^https:\/\/login\.(?:microsoftonline\.(?:com|us)|partner\.microsoftonline\.cn|chinacloudapi\.cn)\/[^/]+\/oauth2\/(?:v2\.0\/)?token$/,
    header: ['x5t#S256', 'x5t'],
  },
  rules: [
    {
      kind: 'alg',
      check: 'alg',
      label: 'alg PS256 or RS256',
      words: 'PS256 (current docs) or RS256 (older docs): RSA only.',
      allowed: ['PS256', 'RS256'],
      source: DOCS,
      decides: false,
    },
    {
      kind: 'thumbprint',
      check: 'thumbprint',
      label: 'certificate thumbprint',
      words:
        'Entra finds the certificate by its thumbprint: x5t#S256 = base64url(SHA-256 of the certificate DER) with PS256, or x5t = base64url(SHA-1) with RS256.',
      pairs: [
        { param: 'x5t#S256', alg: 'PS256', choice: ENTRA_S256, source: DOCS },
        { param: 'x5t', alg: 'RS256', choice: ENTRA_SHA1, source: OLD_DOCS },
      ],
      choiceOption: 'thumbprint',
      certificateOption: 'certificate',
      source: `${DOCS}; ${MSAL}; ${MSAL_PY}`,
      decides: true,
    },
    {
      kind: 'claim',
      check: 'aud',
      label: 'aud = token endpoint',
      words: "aud is the tenant's v2.0 token endpoint.",
      claim: 'aud',
      equals: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      // The tenant is its id or one of its domains (contoso.onmicrosoft.com): the same directory.
      twoForms: {
        option: 'tenant',
        id: /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
        name: /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i,
      },
      pattern:
        /^https:\/\/login\.(?:microsoftonline\.(?:com|us)|partner\.microsoftonline\.cn)\/[^/]+\/oauth2\/v2\.0\/token$/,
      code: 'ERR_ASSERT_AUD',
      source: DOCS,
      decides: true,
    },
    issIsClientId(DOCS),
    issIsSub(DOCS),
    jtiRequired(DOCS),
    {
      kind: 'lifetime',
      check: 'lifetime',
      label: 'short lifetime',
      words:
        'exp at most 10 minutes after nbf, or after iat when there is no nbf (MSAL for Python sends none); the docs: 5–10 minutes, Entra sets no hard limit, MSAL uses 600 s.',
      from: ['nbf', 'iat'],
      maxLifetimeSec: 600,
      source: `${DOCS}; ${MSAL}; ${MSAL_PY}`,
      decides: false,
    },
    ...clock(DOCS, 300),
  ],
  make: {
    header: { typ: 'JWT' },
    claims: {
      aud: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      iss: '{clientId}',
      sub: '{clientId}',
      jti: '{jti}',
      nbf: '{now}',
      iat: '{now}',
      exp: '{now+600}',
    },
    request: {
      url: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      form: {
        client_id: '{clientId}',
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: '{assertion}',
      },
    },
    requires: ['clientId', 'tenant', 'certificate'],
  },
  sources: [DOCS, OLD_DOCS, MSAL, MSAL_PY],
});
