/** JWT client assertions: who the scheme is (check.ts and form.ts load lazily). */
import { defineMeta } from '../../scheme/contract';

export default defineMeta({
  id: 'client-assertion',
  name: 'JWT client assertion',
  kind: 'token',
  recognisedBy:
    "a JWT whose aud, iss and header fit one partner's assertion (Entra ID, Okta, Auth0, Google, GitHub App, Apple, Salesforce, Coinbase CDP), or one chosen under Check as",
  source:
    'RFC 7523; each partner rule names its documentation page and SDK file (src/lib/schemes/client-assertion/rules/)',
});
