/**
 * The one generic evaluator of client-assertion rules: every partner's card is made by
 * these functions from its data in rules/. One finding per rule; a rule never decides "verified"
 * (the signature finding only reports the inspector's verdict, which the one trust rule made).
 */
import { base64urlToBytes, sameBytes } from '../../encoding/base64url';
import type { ErrorCode } from '../../errors';
import type { DecodedToken } from '../../jwt/decode';
import { ok, problem, unchecked, type Finding } from '../../trust/finding';
import { ours, rich, type Rich } from '../../rich';
import { parseKeyText } from '../../keys/parse';
import { certificateDer, certificatePem, thumbprints } from '../../x509/thumbprint';
import {
  defineTokenCheck,
  type FormField,
  type TokenCheck,
  type TokenCheckInput,
} from '../../scheme/contract';
import { keyPrintRule, principalRule } from './principal';
import { MS_THRESHOLD, pairClockRule, pairLifetimeRule, timeUnitRule } from './time-pair';
import type {
  AlgRule,
  AudienceRule,
  CardRule,
  CardRules,
  ClaimRule,
  Ctx,
  ClockRule,
  HeaderRule,
  LifetimeRule,
  Recognise,
  Rule,
  SameRule,
  ThumbprintPair,
  ThumbprintRule,
} from './rules/types';
import { deriveVars, fill, optionsUsed, say, type Vars } from './template';

/** The token's payload as an object (undefined when it is not a JSON object). */
function payloadOf(token: DecodedToken): Record<string, unknown> | undefined {
  const v = token.payload?.kind === 'json' ? token.payload.value : undefined;
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** How well a token fits a partner (0: not at all), from the data in `recognise`. */
function recogniseScore(r: Recognise, token: DecodedToken): number {
  const payload = payloadOf(token);
  const header = token.header ?? {};
  if (!payload) return 0;
  const auds = [payload.aud].flat().filter((a): a is string => typeof a === 'string');
  if (r.noAud && payload.aud !== undefined) return 0;
  let score = 0;
  if (r.aud && auds.some((a) => r.aud!.test(a))) score += 3;
  const iss = typeof payload.iss === 'number' ? String(payload.iss) : payload.iss;
  if (r.iss && typeof iss === 'string' && r.iss.test(iss)) score += r.issScore ?? 2;
  if (score === 0) return 0;
  score += (r.header ?? []).filter((p) => header[p] !== undefined).length;
  score += (r.claims ?? []).filter((c) => payload[c] !== undefined).length;
  return score;
}

/** The options with each field's default where the user typed nothing. */
export function withDefaults(p: CardRules, options: Vars): Record<string, string> {
  return fillOptions(p, options, (f) => (typeof f.default === 'function' ? '' : String(f.default)));
}

/**
 * The options a card compares with: what was typed, else a choice's default. A text field's
 * default is the Sign form's example (Coinbase's URL), not the user's value: untyped, it is empty,
 * so a deciding rule that needs it stays unchecked.
 */
export function cardOptions(p: CardRules, options: Vars): Record<string, string> {
  return fillOptions(p, options, (f) =>
    f.kind === 'choice' && typeof f.default === 'string' ? f.default : '',
  );
}

/** `options` with each field the user left empty set to `empty(field)`. */
function fillOptions(p: CardRules, options: Vars, empty: (f: FormField) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of p.options) out[f.name] = options[f.name]?.trim() || empty(f);
  return { ...options, ...out };
}

/** A finding of rule `r` that does not hold (an error unless `severity` says otherwise). */
function notMet(
  r: Rule,
  code: ErrorCode,
  detail: string | Rich,
  severity: 'info' | 'warning' | 'error' = 'error',
): Finding {
  return problem(r.check, code, severity, r.label, detail);
}

/** {@link notMet} saying what the token holds (`seen`), then the rule's words. */
function withWords(r: Rule, code: ErrorCode, seen: Rich, severity?: 'warning' | 'error'): Finding {
  return notMet(r, code, [...seen, r.words], severity);
}

/** A finding of rule `r` that holds. */
function good(r: Rule, detail: string | Rich): Finding {
  return ok(r.check, r.label, detail);
}

/** Whether a rule applies with these options. */
export function applies(rule: CardRule, vars: Vars): boolean {
  return !rule.when || rule.when.is.includes(vars[rule.when.option] ?? '');
}

/** The signature, as the inspector judged it: the card says so first. */
function signatureFinding(input: TokenCheckInput, header: Record<string, unknown>): Finding {
  if (input.signatureVerified) {
    return ok(
      'signature',
      'signature',
      rich`verified with a key you trust: ${input.verifiedBy?.label ?? 'a stored key'}.`,
    );
  }
  const x5c =
    header.x5c !== undefined ? ' The certificate the token carries in x5c is not a key you trust.' : '';
  const words = `No key you trust verified this signature, so these checks say nothing about who made it.${x5c} Add the public key or certificate you uploaded to the partner (Keys → Key to import) or paste it as the verification key.`;
  return problem('signature', 'ERR_ASSERT_UNVERIFIED', 'warning', 'signature', words);
}

function algRule(r: AlgRule, c: Ctx): Finding {
  const alg = c.header.alg;
  if (typeof alg === 'string' && r.allowed.includes(alg))
    return good(r, r.says ? say(r.says.ok, {}, { alg }) : rich`alg is ${alg}.`);
  if (typeof alg === 'string' && r.undocumented?.algs.includes(alg))
    return good(r, say(r.undocumented.note, {}, { alg }));
  const code = r.code ?? 'ERR_ASSERT_ALG';
  if (r.says) return notMet(r, code, say(r.says.fail, { alg: String(alg) }));
  return notMet(r, code, [...rich`alg is ${String(alg)}; expected `, r.allowed.join(', '), ` (${r.words})`]);
}

function headerRule(r: HeaderRule, c: Ctx): Finding {
  const v = c.header[r.param];
  if (v === undefined)
    return r.severity === 'optional'
      ? good(r, `No ${r.param} (optional).`)
      : notMet(r, 'ERR_ASSERT_HEADER_MISSING', `The header has no ${r.param}: ${r.words}`, r.severity);
  // Present but not a usable string (a number, an empty string): no key is named so, whatever
  // the rule's severity for a missing one.
  if (typeof v !== 'string' || v === '') {
    return withWords(
      r,
      'ERR_ASSERT_HEADER_MISSING',
      rich`${r.param} is ${JSON.stringify(v)}, not a key id: `,
    );
  }
  const want = r.equalsOption ? c.vars[r.equalsOption]?.trim() : '';
  if (want && v !== want)
    return withWords(r, 'ERR_ASSERT_KID', rich`${r.param} is ${v}, but the key id you typed is ${want}: `);
  if (!want && r.equalsOption && r.decides)
    return notCompared(r, c, rich`${r.param} is ${v}. `, [r.equalsOption]);
  return good(r, rich`${r.param} is ${v}.`);
}

/** A deciding rule the card could not compare: what the token holds, and what to type. */
function notCompared(r: Rule, c: Ctx, seen: Rich, options: readonly string[]): Finding {
  const names = options.map((o) => c.labels[o] ?? o).join(' and ');
  return unchecked(r.check, r.label, [...seen, `To compare it, type ${names} on the card.`]);
}

function sameRule(r: SameRule, c: Ctx): Finding {
  const [a, b] = r.claims;
  const [ina, inb] = r.in ?? ['payload', 'payload'];
  const va = (ina === 'header' ? c.header : c.payload)[a];
  const vb = (inb === 'header' ? c.header : c.payload)[b];
  if (typeof va === 'string' && va !== '' && va === vb) return good(r, rich`${a} = ${b} = ${va}.`);
  return withWords(
    r,
    r.code ?? 'ERR_ASSERT_ISS_SUB',
    rich`${a} is ${JSON.stringify(va) ?? 'missing'} and ${b} is ${JSON.stringify(vb) ?? 'missing'}: `,
  );
}

/** The claim's values as strings, or null when it has the wrong type. */
function claimStrings(r: ClaimRule, v: unknown): string[] | null {
  const type = r.type ?? 'string';
  if (type === 'id' && Number.isSafeInteger(v)) return [String(v)];
  if (type === 'string[]')
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  return typeof v === 'string' ? [v] : null;
}

function missingCode(r: ClaimRule): ErrorCode {
  return r.code.endsWith('_MISSING') ? r.code : 'ERR_ASSERT_CLAIM_MISSING';
}

function claimRule(r: ClaimRule, c: Ctx): Finding {
  const no = (code: ErrorCode, detail: string | Rich) => notMet(r, code, detail, r.severity ?? 'error');
  const v = c.payload[r.claim];
  if (v === undefined) return no(missingCode(r), `The token has no ${r.claim}: ${r.words}`);
  const values = claimStrings(r, v);
  if (!values) {
    return no('ERR_ASSERT_CLAIM_TYPE', [
      ...rich`${r.claim} is ${JSON.stringify(v)}, not a ${ours(r.type ?? 'string')}: `,
      r.words,
    ]);
  }
  const want = r.equals === undefined ? null : fill(r.equals, c.vars);
  if (want !== null) {
    if (values.includes(want)) return good(r, rich`${r.claim} is ${want}.`);
    const other = otherForm(r, c, values);
    if (other) return other;
    return no(r.code, [...rich`${r.claim} is ${values.join(', ')}; expected ${want} (${ours(r.words)})`]);
  }
  const bad = r.pattern && values.find((x) => !r.pattern!.test(x));
  if (bad !== undefined) return no(r.code, [...rich`${r.claim} is ${bad}: `, r.words]);
  if (r.equals !== undefined) {
    const [used, seen] = [optionsUsed(r.equals), rich`${r.claim} is ${values.join(', ')}. `];
    if (r.decides) return notCompared(r, c, seen, used);
    const type = `Type ${used.map((o) => c.labels[o] ?? o).join(' and ')} on the card to compare it exactly.`;
    return notMet(r, 'ERR_ASSERT_OPTION_MISSING', [...seen, type], 'info');
  }
  return good(r, rich`${r.claim} is ${values.join(', ')}.`);
}

/**
 * The unchecked finding when the claim differs from the typed value only in `twoForms.option`, and
 * there in the other form (a tenant id against a domain): the same directory or not, offline
 * nobody can tell. Null when that is not so.
 */
function otherForm(r: ClaimRule, c: Ctx, values: readonly string[]): Finding | null {
  const f = r.twoForms;
  const typed = f ? c.vars[f.option]?.trim() : undefined;
  if (!f || !typed || r.equals === undefined) return null;
  const [before, after] = r.equals.split(`{${f.option}}`) as [string, string | undefined];
  const head = fill(before, c.vars);
  const tail = after === undefined ? null : fill(after, c.vars);
  if (head === null || tail === null) return null;
  const outside = new RegExp(`^${escapeRe(head)}([^/]+)${escapeRe(tail)}$`);
  const kind = (x: string) => (f.id.test(x) ? 'id' : f.name.test(x) ? 'name' : 'neither');
  for (const v of values) {
    const got = outside.exec(v)?.[1];
    if (got === undefined) continue;
    const [a, b] = [kind(got), kind(typed)];
    if (a !== 'neither' && b !== 'neither' && a !== b) {
      return unchecked(r.check, r.label, [
        ...rich`${r.claim} names ${got} and you typed ${typed}: `,
        `one is an id, the other a name, and keybench cannot tell offline whether they are the same. To compare it, type ${c.labels[f.option] ?? f.option} as the token writes it.`,
      ]);
    }
  }
  return null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A time claim as seconds, `ms` when it looks like milliseconds, or undefined. */
function seconds(v: unknown): number | 'ms' | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return v > MS_THRESHOLD ? 'ms' : v;
}

function lifetimeRule(r: LifetimeRule, c: Ctx): Finding {
  const exp = seconds(c.payload.exp);
  const name = r.from.find((f) => c.payload[f] !== undefined) ?? r.from[0]!;
  const from = seconds(c.payload[name]);
  const no = (code: ErrorCode, what: string, severity?: 'warning') =>
    notMet(r, code, `${what}: ${r.words}`, severity);
  if (exp === 'ms' || from === 'ms') {
    const ms = `exp or ${name} is in milliseconds; JWT times are seconds since 1970 (NumericDate).`;
    return notMet(r, 'ERR_ASSERT_TIME_UNIT', ms);
  }
  if (exp === undefined || (from === undefined && !(r.fromOptional && c.payload[name] === undefined))) {
    const need = r.fromOptional
      ? 'exp must be a number'
      : `exp and ${r.from.join(' or ')} must both be numbers`;
    return no('ERR_ASSERT_CLAIM_MISSING', need);
  }
  const life = from === undefined ? undefined : exp - from;
  const ahead = exp - c.nowSec;
  if (life !== undefined && r.maxLifetimeSec !== undefined && life > r.maxLifetimeSec)
    return no('ERR_ASSERT_LIFETIME', `exp is ${life} s after ${name}; at most ${r.maxLifetimeSec} s`);
  if (r.maxAheadSec !== undefined && ahead > r.maxAheadSec)
    return no('ERR_ASSERT_LIFETIME', `exp is ${ahead} s from now; at most ${r.maxAheadSec} s`);
  if (r.warnAheadSec !== undefined && ahead > r.warnAheadSec) {
    const docs = `exp is ${ahead} s from now; the docs say at most ${r.warnAheadSec} s`;
    return no('ERR_ASSERT_LIFETIME', docs, 'warning');
  }
  if (life === undefined || r.maxLifetimeSec === undefined)
    return good(r, `exp is ${ahead} s from now (at most ${r.maxAheadSec ?? '∞'} s).`);
  return good(r, `exp is ${life} s after ${name} (at most ${r.maxLifetimeSec} s).`);
}

/** What a clock rule names when its claim is past (exp) or ahead (iat, nbf). */
const CLOCK_CODES = {
  exp: 'ERR_ASSERT_EXPIRED',
  iat: 'ERR_ASSERT_IAT_FUTURE',
  nbf: 'ERR_ASSERT_NBF_FUTURE',
} as const satisfies Record<ClockRule['claim'], ErrorCode>;

function clockRule(r: ClockRule, c: Ctx): Finding {
  const v = seconds(c.payload[r.claim]);
  if (v === undefined) return good(r, `No ${r.claim} to compare with the clock.`);
  const ms = `${r.claim} is in milliseconds; JWT times are seconds since 1970.`;
  if (v === 'ms') return notMet(r, 'ERR_ASSERT_TIME_UNIT', ms);
  if (r.claim === 'exp') {
    return v > c.nowSec
      ? good(r, `Expires in ${v - c.nowSec} s.`)
      : notMet(r, CLOCK_CODES.exp, `Expired ${c.nowSec - v} s ago.`);
  }
  if (v - c.nowSec > r.skewSec)
    return notMet(r, CLOCK_CODES[r.claim], `${r.claim} is ${v - c.nowSec} s in the future: ${r.words}`);
  return good(r, `${r.claim} is ${c.nowSec - v} s ago.`);
}

/**
 * A thumbprint header as base64url without padding, and whether it was padded (MSAL for Python
 * sends `=` padding; Entra accepts it), or null when it is not base64url. Padding counts only when
 * it is exactly what base64 adds (a multiple of 4 characters): `==` after a SHA-1 thumbprint is no
 * encoding any SDK sends, and nothing says Entra reads it.
 */
function unpadded(v: unknown): { text: string; padded: boolean } | null {
  if (typeof v !== 'string') return null;
  const m = /^([A-Za-z0-9_-]+)(={0,2})$/.exec(v);
  if (!m || (m[2] !== '' && v.length % 4 !== 0)) return null;
  return { text: m[1]!, padded: m[2] !== '' };
}

/** The digest length a thumbprint (unpadded base64url) holds (20: SHA-1, 32: SHA-256), or 0. */
function digestLength(v: string): number {
  try {
    return base64urlToBytes(v).length;
  } catch {
    return 0;
  }
}

/** A thumbprint rule's finding that does not hold: `detail`, then the rule's words. */
type ThumbprintFail = (code: ErrorCode, detail: string, sev?: 'error' | 'warning') => Finding;

/** The thumbprint pairs the user chose (all of them when none is chosen). */
export function chosenPairs(r: ThumbprintRule, vars: Vars): readonly ThumbprintPair[] {
  const chosen = r.pairs.filter((p) => p.choice === vars[r.choiceOption]);
  return chosen.length ? chosen : r.pairs;
}

/** A certificate's thumbprint that goes in `param`. */
export function printIn(t: { x5t: string; x5tS256: string }, param: ThumbprintPair['param']): string {
  return param === 'x5t' ? t.x5t : t.x5tS256;
}

/**
 * The thumbprint header the partner reads (the one chosen, else the one sent) and every one sent,
 * or the finding refusing them: none sent, not a digest, the wrong digest, or not the one chosen.
 */
function readThumbprint(
  r: ThumbprintRule,
  c: Ctx,
  fail: ThumbprintFail,
): Finding | { pair: ThumbprintPair; read: { text: string; padded: boolean }; present: ThumbprintPair[] } {
  const pairs = chosenPairs(r, c.vars);
  const present = r.pairs.filter((p) => c.header[p.param] !== undefined);
  if (present.length === 0) {
    return c.header.x5c !== undefined
      ? fail(
          'ERR_ASSERT_X5C_ONLY',
          'The token carries its certificate in x5c but no thumbprint: the partner looks the key up by thumbprint, and never trusts a certificate a token brings.',
        )
      : fail('ERR_ASSERT_THUMBPRINT_MISSING', 'The header has no x5t#S256 and no x5t.');
  }
  const pair = present.find((p) => pairs.includes(p)) ?? present[0]!;
  const read = unpadded(c.header[pair.param]);
  const len = read ? digestLength(read.text) : 0;
  if (!read || (len !== 20 && len !== 32))
    return fail('ERR_ASSERT_THUMBPRINT_MISSING', `${pair.param} is not a base64url SHA-1 or SHA-256 digest.`);
  if (pair.param === 'x5t#S256' && len === 20)
    return fail(
      'ERR_ASSERT_THUMBPRINT_SHA1',
      'x5t#S256 holds a SHA-1 thumbprint (20 bytes); it must be the SHA-256 one (32 bytes).',
    );
  if (pair.param === 'x5t' && len === 32)
    return fail(
      'ERR_ASSERT_THUMBPRINT_SHA256',
      'x5t holds a SHA-256 thumbprint (32 bytes); x5t is the SHA-1 one, the SHA-256 one goes in x5t#S256.',
    );
  if (!pairs.includes(pair)) {
    const code = pair.param === 'x5t' ? 'ERR_ASSERT_THUMBPRINT_SHA1' : 'ERR_ASSERT_THUMBPRINT_SHA256';
    return fail(
      code,
      `The token sends ${pair.param}, but you chose ${pairs.map((p) => p.param).join(' or ')}.`,
    );
  }
  return { pair, read, present };
}

async function thumbprintRule(r: ThumbprintRule, c: Ctx): Promise<Finding> {
  const fail: ThumbprintFail = (code, detail, sev = 'error') => notMet(r, code, `${detail} ${r.words}`, sev);
  const got = readThumbprint(r, c, fail);
  if (!('pair' in got)) return got;
  const { pair, read, present } = got;
  // The known certificates to compare with: the one typed, else the stored ones.
  const pem = c.vars[r.certificateOption]?.trim();
  const ders = pem ? [certificateDer(pem)] : c.certificates;
  const prints = await Promise.all(ders.map((d) => thumbprints(d)));
  const match = prints.findIndex((t) => printIn(t, pair.param) === read.text);
  const whose = pem ? 'the certificate you pasted' : 'the stored certificates of the key that verified';
  if (prints.length > 0 && match < 0) {
    if (prints.some((t) => read.text === t.x5t || read.text === t.x5tS256)) {
      return fail(
        pair.param === 'x5t' ? 'ERR_ASSERT_THUMBPRINT_SHA256' : 'ERR_ASSERT_THUMBPRINT_SHA1',
        `${pair.param} holds the certificate's other thumbprint.`,
      );
    }
    const want = prints.map((t) => printIn(t, pair.param)).join(', ');
    return fail(
      'ERR_ASSERT_THUMBPRINT_OTHER_CERT',
      `${pair.param} is not the thumbprint of ${whose} (${want}).`,
    );
  }
  // A second thumbprint header must name the same certificate: the partner may read either one.
  const second = present.find((p) => p !== pair);
  if (second && match >= 0) {
    const want = printIn(prints[match]!, second.param);
    if (unpadded(c.header[second.param])?.text !== want)
      return fail(
        'ERR_ASSERT_THUMBPRINT_OTHER_CERT',
        `${pair.param} is the thumbprint of ${whose}, but ${second.param} is not (${want}): send one thumbprint, or both of the same certificate.`,
      );
  }
  const key = pem && c.signer ? await parseKeyText(certificatePem(ders[0]!)) : undefined;
  if (key && (key.kind !== 'public' || !sameBytes(key.spki, c.signer!.spki))) {
    return fail(
      'ERR_ASSERT_THUMBPRINT_OTHER_CERT',
      'The certificate you pasted holds another key than the one that verified the signature: the partner finds the certificate by this thumbprint and checks the signature with its key, which fails.',
    );
  }
  if (c.header.alg !== pair.alg) {
    return fail(
      'ERR_ASSERT_THUMBPRINT_ALG',
      `${pair.param} goes with ${pair.alg} (${pair.source}); the token is ${String(c.header.alg)}.`,
      'warning',
    );
  }
  const pad = read.padded ? " It is padded with '=' (as MSAL for Python sends it): Entra accepts that." : '';
  const seen = rich`${pair.param} is ${String(c.header[pair.param])}`;
  if (match < 0) {
    if (r.decides) {
      return unchecked(r.check, r.label, [
        ...seen,
        `.${pad} No certificate of the key that verified is stored: paste the certificate you uploaded in ${c.labels[r.certificateOption] ?? r.certificateOption} on the card, or import it on the key.`,
      ]);
    }
    return good(r, [...seen, ` (${pair.alg}).${pad}`]);
  }
  return good(r, [...seen, ` (${pair.alg}, the thumbprint of ${whose}).${pad}`]);
}

function audienceRule(r: AudienceRule, c: Ctx): Finding {
  const v = c.payload.aud;
  const other = r.orClaim ? c.payload[r.orClaim] : undefined;
  if (v === undefined) {
    if (typeof other === 'string' && other.trim() !== '')
      return good(r, rich`No aud; ${r.orClaim ?? ''} is ${other}.`);
    const or = r.orClaim ? ` and no ${r.orClaim}` : '';
    return notMet(r, r.code, `The token has no aud${or}: ${r.words}`);
  }
  if (typeof v !== 'string')
    return withWords(r, 'ERR_ASSERT_CLAIM_TYPE', rich`aud is ${JSON.stringify(v)}, not a string: `);
  if (r.fixed.includes(v)) {
    const needs = r.fixedNeeds ?? [];
    const has = needs.find((n) => typeof c.payload[n] === 'string' && String(c.payload[n]).trim() !== '');
    if (needs.length > 0 && has === undefined) {
      return notMet(r, 'ERR_ASSERT_CLAIM_MISSING', [
        ...rich`aud is ${v}, but the token has no ${needs.join(' and no ')}: `,
        r.fixedNeedsWords ?? r.words,
      ]);
    }
    return good(r, has ? rich`aud is ${v}; ${has} is ${String(c.payload[has])}.` : rich`aud is ${v}.`);
  }
  const typed = c.vars[r.option]?.trim() ?? '';
  if (typed !== '' && !r.fixed.includes(typed)) {
    return v === typed
      ? good(r, rich`aud is ${v}, as you typed.`)
      : notMet(r, r.code, [...rich`aud is ${v}; expected ${typed} (${ours(r.words)})`]);
  }
  if (!r.pattern.test(v)) return notMet(r, r.code, [...rich`aud is ${v}: `, r.words]);
  return r.decides ? notCompared(r, c, rich`aud is ${v}. `, [r.option]) : good(r, rich`aud is ${v}.`);
}

/** What one rule finds: a finding, a principal rule's several, or none (a time-unit rule on times in seconds, a fingerprint rule on a claim without one). */
type Found = Finding | Finding[] | null;

/** Each kind's evaluator. */
const RUN: {
  [K in CardRule['kind']]: (r: Extract<CardRule, { kind: K }>, c: Ctx) => Found | Promise<Found>;
} = {
  'time-unit': timeUnitRule,
  'pair-lifetime': pairLifetimeRule,
  'pair-clock': pairClockRule,
  principal: principalRule,
  'key-print': keyPrintRule,
  alg: algRule,
  header: headerRule,
  same: sameRule,
  claim: claimRule,
  lifetime: lifetimeRule,
  clock: clockRule,
  audience: audienceRule,
  // A certificate that does not parse is a finding, not a crash.
  thumbprint: (r, c) =>
    thumbprintRule(r, c).catch((e: unknown) =>
      notMet(r, 'ERR_ASSERT_CERTIFICATE', e instanceof Error ? e.message : String(e)),
    ),
};

/**
 * Every finding of a card's rules for one token: the signature first (unless the card says
 * otherwise), then each rule's.
 */
export async function evaluate(p: CardRules, input: TokenCheckInput): Promise<Finding[]> {
  const header = input.token.header ?? {};
  const opens = p.signatureFinding !== false;
  const payload = payloadOf(input.token) ?? (opens ? undefined : {});
  const first = opens ? [signatureFinding(input, header)] : [];
  if (!payload) return [...first, unreadable('The payload is not a JSON object of claims.')];
  const vars = deriveVars(cardOptions(p, input.options));
  const signer =
    input.signatureVerified && input.verifiedBy?.kind === 'public' ? input.verifiedBy : undefined;
  const certificates = (input.trustedKeys ?? [])
    .filter((k) => signer && sameBytes(k.spki, signer.spki))
    .flatMap((k) => k.certificates ?? []);
  const labels: Record<string, string> = Object.fromEntries(p.options.map((f) => [f.name, f.label]));
  // `{uri}` is made from the URL field (and the method choice): say to type the URL.
  if (labels.url) labels.uri = labels.url;
  const skew = input.skewSec ?? 0;
  const c: Ctx = {
    header,
    payload,
    vars,
    nowSec: Math.floor(input.nowMs / 1000),
    nowMs: input.nowMs,
    certificates,
    labels,
    skewSec: Math.max(0, Number.isFinite(skew) ? skew : 0),
    keys: input.trustedKeys ?? [],
    signer,
  };
  const rules = p.rules.filter((r) => applies(r, vars));
  const found = await Promise.all(rules.map((r) => (RUN[r.kind] as (r: CardRule, c: Ctx) => Found)(r, c)));
  return [...first, ...unencoded(header), ...found.flat().filter((f): f is Finding => f !== null)];
}

/**
 * A payload sent unencoded (`b64: false`, RFC 7797) verifies in keybench, but a JWT's payload is
 * base64url (RFC 7519 §7.2: the Message is the base64url-decoded payload): no partner reads it.
 */
function unencoded(header: Record<string, unknown>): Finding[] {
  if (header.b64 !== false) return [];
  const why =
    'The header says b64: false (RFC 7797): the payload is sent as raw JSON, not base64url. A JWT verifier base64url-decodes the payload (RFC 7519 §7.2), so the partner cannot read these claims. Sign the JWT without b64 and crit.';
  return [unreadable(why)];
}

/** The finding that the partner cannot read the claims at all. */
function unreadable(why: string): Finding {
  return problem('claims', 'ERR_ASSERT_CLAIM_TYPE', 'error', 'claims', why);
}

/** The TokenCheck of a card's rules: recognised, optioned and checked from its data alone. */
export function tokenCheckOf(p: CardRules): TokenCheck {
  return defineTokenCheck({
    id: p.id,
    partnerName: p.partnerName,
    ...(p.title === undefined ? {} : { title: p.title }),
    ...(p.about === undefined ? {} : { about: p.about }),
    recognise: (token) => recogniseScore(p.recognise, token),
    options: p.options,
    check: (input) => evaluate(p, input),
  });
}

/** The codes each kind of rule can name (besides OK and the informational ERR_ASSERT_OPTION_MISSING). */
const CODES: { [K in CardRule['kind']]: (r: Extract<CardRule, { kind: K }>) => ErrorCode[] } = {
  alg: (r) => [r.code ?? 'ERR_ASSERT_ALG'],
  'time-unit': (r) => [r.code],
  'pair-lifetime': (r) => Object.values(r.codes),
  'pair-clock': (r) => Object.values(r.codes),
  principal: (r) =>
    [r.keyedShape, r.plainShape, r.upperCase, r.qualifierLeft, r.dot, r.same, r.expected].map((s) => s.code),
  'key-print': (r) => Object.values(r.codes),
  header: (r) => ['ERR_ASSERT_HEADER_MISSING', ...(r.equalsOption ? ['ERR_ASSERT_KID' as const] : [])],
  same: (r) => [r.code ?? 'ERR_ASSERT_ISS_SUB'],
  audience: (r) => [r.code, ...(r.fixedNeeds?.length ? ['ERR_ASSERT_CLAIM_MISSING' as const] : [])],
  claim: (r) => [r.code, missingCode(r), 'ERR_ASSERT_CLAIM_TYPE'],
  lifetime: () => ['ERR_ASSERT_TIME_UNIT', 'ERR_ASSERT_CLAIM_MISSING', 'ERR_ASSERT_LIFETIME'],
  clock: (r) => ['ERR_ASSERT_TIME_UNIT', CLOCK_CODES[r.claim]],
  thumbprint: () => [
    'ERR_ASSERT_X5C_ONLY',
    'ERR_ASSERT_THUMBPRINT_MISSING',
    'ERR_ASSERT_THUMBPRINT_SHA1',
    'ERR_ASSERT_THUMBPRINT_SHA256',
    'ERR_ASSERT_THUMBPRINT_OTHER_CERT',
    'ERR_ASSERT_THUMBPRINT_ALG',
    'ERR_ASSERT_CERTIFICATE',
  ],
};

/** Every mistake code a partner's card can name, sorted (the profile lists exactly these). */
export function codesOf(p: CardRules): ErrorCode[] {
  const all = new Set<ErrorCode>(['ERR_ASSERT_UNVERIFIED', 'ERR_ASSERT_CLAIM_TYPE']);
  for (const r of p.rules) for (const c of (CODES[r.kind] as (r: CardRule) => ErrorCode[])(r)) all.add(c);
  return [...all].sort();
}
