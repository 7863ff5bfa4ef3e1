/**
 * The evaluator's rules for a principal named in claims (`<first>[.<qualifier>].<second>`) and for a
 * key's fingerprint written in a claim: generic kinds, whose words are the partner's (rules/).
 */
import { KeybenchError } from '../../errors';
import { spkiSha256Base64 } from '../../keys/export';
import { ok, problem, unchecked, type Finding } from '../../partners/scheme';
import type { Rich } from '../../rich';
import type { KeyPrintRule, PrincipalName, PrincipalRule, Says } from './rules/types';
import { say, type Vars } from './template';

/** What these rules read of a token and of the card. */
export interface PrincipalCtx {
  payload: Record<string, unknown>;
  vars: Vars;
  /** The trusted keys, and the one that verified the signature (if a public key did). */
  keys: readonly { label: string; spki: Uint8Array }[];
  signer?: { label: string; spki: Uint8Array };
}

/** A principal read: the first name, a qualifier left after it (or ''), the second name. */
interface Principal {
  first: string;
  qualifier: string;
  second: string;
}

function split(r: PrincipalRule, text: string): Principal | undefined {
  const parts = text.split('.');
  if (parts.length < 2 || parts.some((p) => p === '')) return undefined;
  const rest = parts.slice(1);
  const n = r.qualifier(rest);
  // A qualifier that would leave no second name is read as the second name instead.
  const q = n > 0 && n < rest.length ? n : 0;
  return { first: parts[0]!, qualifier: rest.slice(0, q).join('.'), second: rest.slice(q).join('.') };
}

/** A finding of `s`: OK without a `severity`, else a problem at it. */
function of(
  s: Says<string>,
  words: Rich,
  severity?: 'warning' | 'error',
  named: { part?: string; title?: string } = {},
): Finding {
  const check = named.part ? s.check.replace('{part}', named.part) : s.check;
  const label = named.title ? s.label.replace('{part}', named.title) : s.label;
  return severity ? problem(check, s.code, severity, label, words) : ok(check, label, words);
}

/** The keyed claim's principal and the text after its last `.`, with its shape finding. */
function readKeyed(r: PrincipalRule, v: unknown, out: Finding[]): Principal | undefined {
  const s = r.keyedShape;
  if (typeof v !== 'string') {
    out.push(of(s, say(s.says.missing), 'error'));
    return undefined;
  }
  const dot = v.lastIndexOf('.');
  const print = dot >= 0 ? v.slice(dot + 1) : undefined;
  const principal = dot >= 0 ? split(r, v.slice(0, dot)) : undefined;
  const fine = principal && print && r.fingerprint.test(print);
  out.push(fine ? of(s, say(s.says.ok)) : of(s, say(s.says.wrong, { value: v }), 'error'));
  return principal;
}

/** The plain claim's principal, with its shape finding. */
function readPlain(r: PrincipalRule, v: unknown, out: Finding[]): Principal | undefined {
  const s = r.plainShape;
  const principal = typeof v === 'string' ? split(r, v) : undefined;
  if (principal) out.push(of(s, say(s.says.ok)));
  else if (typeof v === 'string') out.push(of(s, say(s.says.wrong, { value: v }), 'error'));
  else out.push(of(s, say(s.says.missing), 'error'));
  return principal;
}

/** Each name upper-case, no qualifier left, no `.` that looks like a first name split in two. */
function names(r: PrincipalRule, read: readonly Principal[], out: Finding[]): void {
  const [first, second] = r.names;
  for (const [name, key] of [
    [first, 'first'],
    [second, 'second'],
  ] as const) {
    const s = r.upperCase;
    const bad = read.find((p) => p[key] !== p[key].toUpperCase());
    const named = { part: name.part, title: name.title };
    out.push(
      bad
        ? of(s, say(s.says.wrong, { value: bad[key], upper: bad[key].toUpperCase() }, named), 'error', named)
        : of(s, say(s.says.ok, {}, named), undefined, named),
    );
  }
  const q = r.qualifierLeft;
  const left = read.find((p) => p.qualifier !== '');
  out.push(
    left
      ? of(
          q,
          say(q.says.wrong, {
            first: left.first,
            qualifier: `.${left.qualifier}`,
            upper: left.first.toUpperCase(),
          }),
          'error',
        )
      : of(q, say(q.says.ok)),
  );
  const d = r.dot;
  const dotted = read.find(
    (p) => p.qualifier === '' && p.second.includes('.') && !r.dotUnless.test(p.second),
  );
  if (!dotted) {
    out.push(of(d, say(d.says.ok)));
    return;
  }
  const [head = ''] = dotted.second.split('.');
  const joined = `${dotted.first}-${head}`.toUpperCase();
  out.push(of(d, say(d.says.wrong, { second: dotted.second, first: dotted.first, head, joined }), 'warning'));
}

/** One name against what is typed on the card (unchecked when nothing is). */
function expected(r: PrincipalRule, name: PrincipalName, got: string, vars: Vars): Finding {
  const s = r.expected;
  const named = { part: name.part, title: name.title };
  const typed = vars[name.option]?.trim();
  if (!typed) {
    const check = s.check.replace('{part}', name.part);
    return unchecked(check, name.title, say(s.says.untyped, { value: got }, named));
  }
  let want: string;
  try {
    want = name.normalise(typed).value;
  } catch (e) {
    const reason = e instanceof KeybenchError ? e.parts : [String(e)];
    // Not read, so not compared: unchecked keeps the card amber (a warning would let it be green).
    const check = s.check.replace('{part}', name.part);
    return unchecked(check, name.title, [...say(s.says.unreadable, {}, named), ...reason]);
  }
  return got.toUpperCase() === want
    ? of(s, say(s.says.ok, { want }, named), undefined, named)
    : of(s, say(s.says.wrong, { value: got, want }, named), 'error', named);
}

/** Every finding of a principal rule, in the order its type says. */
export function principalRule(r: PrincipalRule, c: PrincipalCtx): Finding[] {
  const out: Finding[] = [];
  const keyedText = c.payload[r.keyed];
  const plainText = c.payload[r.plain];
  const keyed = readKeyed(r, keyedText, out);
  const plain = readPlain(r, plainText, out);
  const read = [keyed, plain].filter((p): p is Principal => !!p);
  if (read.length) names(r, read, out);
  if (keyed && plain && typeof keyedText === 'string' && typeof plainText === 'string') {
    const s = r.same;
    const prefix = keyedText.slice(0, keyedText.lastIndexOf('.'));
    out.push(
      prefix === plainText
        ? of(s, say(s.says.ok))
        : of(s, say(s.says.wrong, { keyed: prefix, plain: plainText }), 'error'),
    );
  }
  if (plain) {
    const [first, second] = r.names;
    out.push(expected(r, first, plain.first, c.vars), expected(r, second, plain.second, c.vars));
  }
  return out;
}

/** The fingerprint in the claim (null when there is none of the right shape: no finding). */
export async function keyPrintRule(r: KeyPrintRule, c: PrincipalCtx): Promise<Finding | null> {
  const v = c.payload[r.claim];
  const dot = typeof v === 'string' ? v.lastIndexOf('.') : -1;
  const print = typeof v === 'string' && dot >= 0 ? v.slice(dot + 1) : '';
  if (!r.shape.test(print)) return null;
  const keys = await Promise.all(
    c.keys.map(async (k) => ({ label: k.label, print: await spkiSha256Base64(k.spki) })),
  );
  const signer = c.signer && { label: c.signer.label, print: await spkiSha256Base64(c.signer.spki) };
  const match = keys.find((k) => k.print === print);
  const no = (code: keyof KeyPrintRule['codes'], words: Rich, severity: 'warning' | 'error') =>
    problem(r.check, r.codes[code], severity, r.label, words);
  if (signer && signer.print !== print) {
    const which = match
      ? say(r.says.otherKey, { key: match.label, signer: signer.label })
      : say(r.says.otherPrint, { signer: signer.label });
    return no('otherKey', [...which, ...say(r.says.lookedUp)], 'error');
  }
  if (match && signer) return ok(r.check, r.label, say(r.says.ok, { key: match.label }));
  if (match) return no('unverified', say(r.says.unverified, { key: match.label }), 'warning');
  const n = keys.length;
  return n
    ? no('unknown', say(r.says.unknown, { print }, { n }), 'error')
    : no('unknown', say(r.says.noKeys, { print }), 'warning');
}
