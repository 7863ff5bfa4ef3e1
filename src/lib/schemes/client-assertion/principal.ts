/**
 * The evaluator's rules for a principal named in claims (`<first>[.<qualifier>].<second>`) and for a
 * key's fingerprint written in a claim: generic kinds, whose words are the partner's (rules/).
 */
import { KeybenchError } from '../../errors';
import { spkiSha256Base64 } from '../../keys/export';
import { ok, problem, unchecked, type Finding } from '../../trust/finding';
import type { Rich } from '../../rich';
import type { Ctx, KeyPrintRule, PrincipalName, PrincipalRule, Says } from './rules/types';
import { say, type Vars } from './template';

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

/** The name a `{part}` template is about: its word (in `check` and the words) and its label. */
type Named = { part: string; title: string };

/**
 * The finding of `s` for `outcome`, its words filled with `untrusted` and the name: OK without a
 * `severity`, else a problem at it.
 */
function of<O extends string>(
  s: Says<O>,
  outcome: O,
  severity?: 'warning' | 'error',
  untrusted: Readonly<Record<string, string>> = {},
  name?: Named,
): Finding {
  const named = name && { part: name.part, title: name.title };
  const words = say(s.says[outcome], untrusted, named);
  const check = named ? s.check.replace('{part}', named.part) : s.check;
  const label = named ? s.label.replace('{part}', named.title) : s.label;
  return severity ? problem(check, s.code, severity, label, words) : ok(check, label, words);
}

/**
 * A claim's principal, with its shape finding: the keyed claim's is before its last `.`, and the
 * text after it must be a fingerprint.
 */
function read(r: PrincipalRule, keyed: boolean, v: unknown, out: Finding[]): Principal | undefined {
  const s = keyed ? r.keyedShape : r.plainShape;
  if (typeof v !== 'string') {
    out.push(of(s, 'missing', 'error'));
    return undefined;
  }
  const dot = keyed ? v.lastIndexOf('.') : v.length;
  const principal = dot >= 0 ? split(r, v.slice(0, dot)) : undefined;
  const fine = principal && (!keyed || r.fingerprint.test(v.slice(dot + 1)));
  out.push(fine ? of(s, 'ok') : of(s, 'wrong', 'error', { value: v }));
  return principal;
}

/** Each name upper-case, no qualifier left, no `.` that looks like a first name split in two. */
function names(r: PrincipalRule, read: readonly Principal[], out: Finding[]): void {
  for (const [i, key] of (['first', 'second'] as const).entries()) {
    const name = r.names[i]!;
    const bad = read.find((p) => p[key] !== p[key].toUpperCase())?.[key];
    out.push(
      bad === undefined
        ? of(r.upperCase, 'ok', undefined, {}, name)
        : of(r.upperCase, 'wrong', 'error', { value: bad, upper: bad.toUpperCase() }, name),
    );
  }
  const left = read.find((p) => p.qualifier !== '');
  const leftIn = left && {
    first: left.first,
    qualifier: `.${left.qualifier}`,
    upper: left.first.toUpperCase(),
  };
  out.push(leftIn ? of(r.qualifierLeft, 'wrong', 'error', leftIn) : of(r.qualifierLeft, 'ok'));
  const dotted = read.find(
    (p) => p.qualifier === '' && p.second.includes('.') && !r.dotUnless.test(p.second),
  );
  const head = dotted?.second.split('.')[0] ?? '';
  const joined = dotted && `${dotted.first}-${head}`.toUpperCase();
  const dottedIn = dotted && joined && { second: dotted.second, first: dotted.first, head, joined };
  out.push(dottedIn ? of(r.dot, 'wrong', 'warning', dottedIn) : of(r.dot, 'ok'));
}

/** One name against what is typed on the card (unchecked when nothing is). */
function expected(r: PrincipalRule, name: PrincipalName, got: string, vars: Vars): Finding {
  const s = r.expected;
  const named = { part: name.part, title: name.title };
  const check = s.check.replace('{part}', name.part);
  const typed = vars[name.option]?.trim();
  if (!typed) return unchecked(check, name.title, say(s.says.untyped, { value: got }, named));
  let want: string;
  try {
    want = name.normalise(typed).value;
  } catch (e) {
    const reason = e instanceof KeybenchError ? e.parts : [String(e)];
    // Not read, so not compared: unchecked keeps the card amber (a warning would let it be green).
    return unchecked(check, name.title, [...say(s.says.unreadable, {}, named), ...reason]);
  }
  return got.toUpperCase() === want
    ? of(s, 'ok', undefined, { want }, name)
    : of(s, 'wrong', 'error', { value: got, want }, name);
}

/** Every finding of a principal rule, in the order its type says. */
export function principalRule(r: PrincipalRule, c: Ctx): Finding[] {
  const out: Finding[] = [];
  const [keyedText, plainText] = [c.payload[r.keyed], c.payload[r.plain]];
  const keyed = read(r, true, keyedText, out);
  const plain = read(r, false, plainText, out);
  const both = [keyed, plain].filter((p): p is Principal => !!p);
  if (both.length) names(r, both, out);
  if (keyed && plain && typeof keyedText === 'string' && typeof plainText === 'string') {
    const prefix = keyedText.slice(0, keyedText.lastIndexOf('.'));
    out.push(
      prefix === plainText
        ? of(r.same, 'ok')
        : of(r.same, 'wrong', 'error', { keyed: prefix, plain: plainText }),
    );
  }
  if (plain) {
    const [first, second] = r.names;
    out.push(expected(r, first, plain.first, c.vars), expected(r, second, plain.second, c.vars));
  }
  return out;
}

/** The fingerprint in the claim (null when there is none of the right shape: no finding). */
export async function keyPrintRule(r: KeyPrintRule, c: Ctx): Promise<Finding | null> {
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
  if (keys.length) return no('unknown', say(r.says.unknown, { print }, { n: keys.length }), 'error');
  return no('unknown', say(r.says.noKeys, { print }), 'warning');
}
