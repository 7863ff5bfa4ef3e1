/** adapter (H1): the Qredo request check, wrapping today's diagnoseQredo until H2's check replaces it. */
import { diagnoseQredo } from '../../partners/qredo-doctor';
import { header } from '../../request/types';
import { resultOfVerdict } from '../engine/doctor-adapter';
import { defineRequestCheck } from '../engine/types';

export default defineRequestCheck({
  id: 'qredo',
  // Qredo's own header: above every other scheme (a request with x-sign was always checked as Qredo).
  recognise: (req) => (header(req, 'x-sign') !== undefined ? 4 : 0),
  signedHeaders: ['x-sign', 'x-timestamp', 'x-nonce', 'x-api-key'],
  keyAlg: 'RS256',
  verify: async (input) => resultOfVerdict(await diagnoseQredo(input), input.keys),
});
