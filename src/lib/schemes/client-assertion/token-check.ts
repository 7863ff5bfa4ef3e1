/**
 * The client-assertion cards: one TokenCheck per partner, every one made by the same
 * generic evaluator from that partner's rules (rules/<partner>.ts). The inspector recognises a
 * token by its aud, iss and header (or the user picks the partner under "Check as").
 */
import type { TokenCheck } from '../../scheme/contract';
import { tokenCheckOf } from './evaluate';

// The Entra and property tests build one partner's card with it.
export { tokenCheckOf };
import { PARTNER_RULES } from './rules';

/** Every partner's card, in the form's order. */
const checks: readonly TokenCheck[] = PARTNER_RULES.map(tokenCheckOf);
export default checks;
