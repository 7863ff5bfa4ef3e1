/** The Snowflake scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../../scheme/contract';

export default defineMeta({
  id: 'snowflake-jwt',
  name: 'Key-pair JWT (RS256, iss/sub from account and user)',
  kind: 'token',
  recognisedBy:
    'an Authorization: Bearer JWT whose iss ends in .SHA256:<fingerprint> (the token inspector checks it)',
  source: 'docs.snowflake.com: user-guide/key-pair-auth; developer-guide/sql-api/authenticating',
});
