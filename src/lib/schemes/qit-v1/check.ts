/** The QIT v1 request check (issue 19): `AUTHORIZATION: QIT <api key>:<token>`, ES512. */
import { defineRequestCheck } from '../engine/types';
import { signedBodyProblem, tokenProblem } from '../qitech/refuse';
import { recogniseV1, verifyQit } from '../qitech/request-check';

export default defineRequestCheck({
  id: 'qit-v1',
  recognise: recogniseV1,
  signedHeaders: ['authorization', 'api-client-key', 'content-type'],
  keyAlg: 'ES512',
  refuse: (req) => tokenProblem(req) ?? signedBodyProblem(req),
  verify: (input) => verifyQit(input, 'qit-v1'),
});
