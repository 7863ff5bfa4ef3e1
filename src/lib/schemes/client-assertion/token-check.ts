/**
 * The client-assertion cards: one TokenCheck per partner, every one made by the same
 * generic evaluator from that partner's rules (rules/<partner>.ts). The inspector recognises a
 * token by its aud, iss and header (or the user picks the partner under "Check as").
 */
import { defineTokenCheck, type TokenCheck } from '../engine/types';
import { evaluate, recogniseScore } from './evaluate';
import { PARTNER_RULES } from './rules';
import type { PartnerRules } from './rules/types';

/** The TokenCheck of one partner's rules. */
export function tokenCheckOf(p: PartnerRules): TokenCheck {
  return defineTokenCheck({
    id: p.id,
    partnerName: p.partnerName,
    recognise: (token) => recogniseScore(p.recognise, token),
    options: p.options,
    check: (input) => evaluate(p, input),
  });
}

/** Every partner's card, in the form's order. */
const checks: readonly TokenCheck[] = PARTNER_RULES.map(tokenCheckOf);
export default checks;
