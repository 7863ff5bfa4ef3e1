/** The QI DTVM request check (issue 19): v2 with whole-second timestamps, payload_md5 only with a body. */
import { defineRequestCheck } from '../engine/types';
import { recogniseV2Family, verifyQit } from '../qitech/request-check';

export default defineRequestCheck({
  id: 'qi-dtvm',
  recognise: (req) => recogniseV2Family(req, 'qi-dtvm'),
  signedHeaders: ['authorization', 'api-client-key'],
  keyAlg: 'ES512',
  verify: (input) => verifyQit(input, 'qi-dtvm'),
});
