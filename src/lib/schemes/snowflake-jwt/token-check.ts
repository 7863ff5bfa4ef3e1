/**
 * The Snowflake key-pair JWT as a token scheme: its rules (rules.ts, data) run by the one card
 * evaluator, against the keys the user trusts. The card's summary and tone are the engine's
 * (trust/card.ts).
 */
import { tokenCheckOf } from '../client-assertion/evaluate';
import rules from './rules';

export default tokenCheckOf(rules);
