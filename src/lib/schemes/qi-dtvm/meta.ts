/** The QI DTVM scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../engine/types';

export default defineMeta({
  id: 'qi-dtvm',
  name: 'QI DTVM: v2 with whole-second timestamps, payload_md5 only with a body',
  kind: 'request',
  recognisedBy: 'an AUTHORIZATION JWT in the QI DTVM form',
  source: 'QI DTVM docs',
});
