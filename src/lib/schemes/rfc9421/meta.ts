/** The HTTP Message Signatures scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../../scheme/contract';

export default defineMeta({
  id: 'rfc9421',
  name: 'HTTP Message Signatures (RFC 9421)',
  kind: 'request',
  recognisedBy: 'Signature-Input and Signature headers',
  source: 'RFC 9421 (HTTP Message Signatures), RFC 9530 (Digest Fields)',
});
