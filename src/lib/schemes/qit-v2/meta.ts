/** The QI Tech v2 scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../engine/types';

export default defineMeta({
  id: 'qit-v2',
  name: 'v2: ES512 JWT in AUTHORIZATION with payload_md5 (current)',
  kind: 'request',
  recognisedBy: 'an AUTHORIZATION JWT with payload_md5 or uri',
  source: 'QI Tech docs, "Autenticação v2"; their Python, PHP, Node.js, Java and C# samples',
});
