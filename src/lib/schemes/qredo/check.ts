/**
 * The Qredo scheme's check, for the engine's doctor: recognised by its x-sign header, signed over
 * the x-timestamp (or x-nonce) value, the URL and the body with RS256. verify.ts says what holds;
 * only trust/verdict.ts decides "verified".
 */
import { header } from '../../request/types';
import { defineRequestCheck } from '../engine/types';
import { verifyQredo } from './verify';

export default defineRequestCheck({
  id: 'qredo',
  recognise: (req) => (header(req, 'x-sign') !== undefined ? 4 : 0),
  signedHeaders: ['x-sign', 'x-timestamp', 'x-nonce', 'x-api-key'],
  keyAlg: 'RS256',
  verify: verifyQredo,
});
