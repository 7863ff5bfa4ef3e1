/** The QI Tech v2 request check (issue 19): an ES512 JWT in AUTHORIZATION with payload_md5 and uri. */
import { defineRequestCheck } from '../engine/types';
import { recogniseV2Family, verifyQit } from '../qitech/request-check';

export default defineRequestCheck({
  id: 'qit-v2',
  recognise: (req) => recogniseV2Family(req, 'qit-v2'),
  signedHeaders: ['authorization', 'api-client-key'],
  keyAlg: 'ES512',
  verify: (input) => verifyQit(input, 'qit-v2'),
});
