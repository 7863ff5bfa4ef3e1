/**
 * The words of every request verdict the engine makes, written here beside the rule that decides
 * the state (verdict.ts), so that "Signature verified" is only ever said by trust/: a scheme supplies
 * facts (its partner, what its base is, the key) and never a headline of its own.
 */
import { ours, rich, type Rich } from '../rich';
import type { EngineOutcome } from '../scheme/types';

/** Whom a standard's request goes to, where no partner is named (RFC 9421: any server). */
export const SERVER = 'the server';

/** "this Kalshi request", or "this request" for a standard's. */
const thisRequest = (partner: string) => (partner === SERVER ? 'this request' : `this ${partner} request`);

/** The partner (or "The server") at the start of a sentence. */
const starting = (partner: string) => partner.charAt(0).toUpperCase() + partner.slice(1);

/** The finding beside a signature that holds. */
export function holds(label: string, alg: string, base: string): Rich {
  return rich`${ours(alg)} over ${ours(base)}, as sent, holds with key ${label}.`;
}

/** The headline of a signature that holds with a trusted key (the rule may still refuse it). */
export function verified(label: string, alg: string, base: string): Rich {
  return rich`Signature verified with key ${label}: ${ours(alg)} over ${ours(base)}, exactly as sent.`;
}

/** The signature holds, but a check says the partner refuses the request. */
export function heldButRefused(label: string, partner: string, why: Rich): Rich {
  return [
    ...rich`The signature holds (key ${label}) but ${ours(partner)} would refuse the request: `,
    ...why,
  ];
}

/** A title inside a sentence: its first letter lower case, unless it starts an acronym (URL, RSA). */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** A mistake confirmed by a signature over the mistaken bytes. */
export function mistakeFound(label: string | undefined, title: string): Rich {
  return label === undefined
    ? rich`The signature does not match what is sent: ${ours(lowerFirst(title))}. The fix is below.`
    : rich`The signature does not match what is sent. Key ${label} made it, with this mistake: ${ours(lowerFirst(title))}. The fix is below.`;
}

/** The request carries no signature. */
export function noSignature(partner: string): Rich {
  return [`Cannot check ${thisRequest(partner)}: it carries no signature. ${starting(partner)} refuses it.`];
}

/** No trusted key of a kind the scheme verifies with (`named`: the key the request names, untrusted). */
export function noKey(partner: string, need: string, named?: string): Rich {
  return [
    `Cannot check ${thisRequest(partner)}: keybench has no trusted key for ${need}. Select the key pair that signs these requests, or paste the public key registered with ${partner}.`,
    ...(named === undefined
      ? []
      : rich` The request names its key ${named}, but a name in the request never brings a key.`),
  ];
}

/** The signature's text is not in the scheme's encoding. */
export function unreadable(partner: string, encoding: string): Rich {
  return [
    `The signature cannot be read: ${partner} sends it as ${encoding}, and this text is not ${encoding}.`,
  ];
}

/** The words for a signature no known mistake explains, by what the key tells. */
export function unexplained(
  outcome: EngineOutcome,
  label: string | undefined,
  ctx: { partner: string; base: string; want: string; used: string },
): { title: string; explanation: Rich; remedy: string; headline: Rich } {
  const compare = `Log the exact bytes your code signs (${ctx.base}) and compare them with the ones sent, shown below.`;
  switch (outcome) {
    case 'padding':
      return {
        title: `Your RSA key signed with ${ctx.used}`,
        explanation: rich`Key ${label ?? ''} made this signature, but with ${ours(ctx.used)} padding: ${ours(ctx.partner)} verifies ${ours(ctx.want)}.`,
        remedy: `Sign with ${ctx.want} (the padding and hash ${ctx.partner} documents).`,
        headline: rich`The signature does not match. Key ${label ?? ''} made this signature, but with ${ours(ctx.used)}: ${ours(ctx.partner)} wants ${ours(ctx.want)}.`,
      };
    case 'otherBytes':
      return {
        title: 'Your key made this signature, over other bytes than the ones sent',
        explanation: rich`Key ${label ?? ''} made this signature (RSA tells which key did), but over other bytes than the ones sent, and no usual mistake explains them.`,
        remedy: compare,
        headline: rich`The signature does not match what is sent. Key ${label ?? ''} made this signature, but over other bytes: compare what your code signs with what is sent.`,
      };
    case 'otherKey':
      return {
        title: 'Another key made this signature',
        explanation: [
          'None of your RSA keys here made this signature: RSA tells which key did, whatever the bytes. Another private key signed it, or it was damaged on the way.',
        ],
        remedy: `Sign with the private key whose public key is registered with ${ctx.partner}, and add that key here.`,
        headline: [
          `The signature does not match: another key made this signature, not your key here. Sign with the key registered with ${ctx.partner}.`,
        ],
      };
    default:
      return {
        title: 'The key or the signed bytes differ',
        explanation: [
          'Either another key made this signature, or the key here signed other bytes than the ones sent: this algorithm cannot tell which, and no usual mistake explains it.',
        ],
        remedy: `${compare} If they are the same, check that the key here belongs to the private key your code signs with.`,
        headline: [
          'The signature does not match: the key or the signed bytes differ, and none of the usual mistakes explains it. Compare what your code signs with what is sent.',
        ],
      };
  }
}
