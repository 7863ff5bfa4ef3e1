/**
 * The one small interface every partner scheme implements (one file per scheme under
 * src/lib/partners/), so that adding a partner is adding a file.
 */
import type { SignedPart } from '../trust/finding';

// Findings live below request/ and every scheme (trust/finding.ts); re-exported for the partners.
export { noErrors, ok, problem, type Finding, type Severity, type SignedPart } from '../trust/finding';

/** What every partner scheme offers. */
export interface PartnerScheme<SignInput, Signed, VerifyInput, Verdict> {
  /** Stable id, e.g. "qitech-v2". */
  id: string;
  /** The name the user picks it by. */
  label: string;
  /** Sign a request with a (non-extractable) private key. */
  sign(input: SignInput): Promise<Signed>;
  /** Verify a request or response signed elsewhere, naming every finding. */
  verify(input: VerifyInput): Promise<Verdict>;
  /** The exact texts the signature covers, in order, for comparison with a server's. */
  describe(signed: Signed): SignedPart[];
}
