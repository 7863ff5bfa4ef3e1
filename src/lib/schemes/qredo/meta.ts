/** The Qredo scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../engine/types';

export default defineMeta({
  id: 'qredo',
  name: 'x-sign (RSA PKCS#1 v1.5 SHA-256 over timestamp + URL + body)',
  kind: 'request',
  recognisedBy: "Qredo's x-sign header",
  source: 'Qredo Partner API docs, "Sign requests"; qredo-partner-api-client',
});
