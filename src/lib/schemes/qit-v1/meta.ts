/** The QI Tech QIT (v1) scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../engine/types';

export default defineMeta({
  id: 'qit-v1',
  name: 'QIT (v1): AUTHORIZATION: QIT <api key>:<signature>',
  kind: 'request',
  recognisedBy: 'AUTHORIZATION: QIT …',
  source: 'QI Tech docs, "Autenticação"; qitech-wrapper, the Elixir client',
});
