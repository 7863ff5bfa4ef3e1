/**
 * Findings, for code that still imports them from partners/ (a scheme is now a folder under
 * src/lib/schemes/, its contract in scheme/contract.ts).
 */

// Findings live below request/ and every scheme (trust/finding.ts); re-exported for the partners.
export {
  noErrors,
  ok,
  problem,
  unchecked,
  type Finding,
  type Severity,
  type SignedPart,
} from '../trust/finding';
