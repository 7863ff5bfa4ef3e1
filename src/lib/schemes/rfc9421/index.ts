/**
 * The HTTP Message Signatures (RFC 9421) scheme, as one object: how a request is recognised, what
 * it reads, its form fields and mistakes as data, and its verify and sign. It never decides
 * "verified": verify returns per-signature results for the central rule to judge.
 */
import { ALGORITHMS } from './algorithms';
import { recognise } from './components';
import { FIELDS } from './fields';
import { MISTAKES } from './mistakes';
import { signRequest } from './sign';
import { verifyRequest } from './verify';

export type { SignatureResult, Rfc9421Verification, VerifyInput } from './verify';
export type { SignInput, SignOutput } from './sign';

export { recognise };

/** The scheme object the registry collects. */
export const rfc9421 = {
  id: 'rfc9421',
  name: 'HTTP Message Signatures (RFC 9421)',
  /** The parts of the request model it reads. */
  reads: ['method', 'url', 'headers', 'body'] as const,
  recognise,
  algorithms: ALGORITHMS,
  fields: FIELDS,
  mistakes: MISTAKES,
  verify: verifyRequest,
  sign: signRequest,
} as const;

export default rfc9421;
