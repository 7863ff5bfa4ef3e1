/**
 * Reading a request's HTTP Message Signatures (RFC 9421 §4): Signature-Input and Signature are
 * structured-field dictionaries whose members are the signatures, by label. Each label reads as its
 * signature base, line by line (§2.5), and its signature's bytes; or as the reason it cannot be read.
 */
import { parseDictionary, parseList, type Dictionary, type Item, type Parameters } from 'structured-headers';
import { bytesToBase64 } from '../../encoding/base64url';
import type { ErrorCode } from '../../errors';
import type { ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import type { Parts, ReadResult } from '../../scheme/types';
import { problem, type Finding, type SignedPart } from '../../trust/finding';
import { buildBase, type SignatureBase } from './base';
import { fieldLines } from './components';

/**
 * A signature as read: each line of its base under its component identifier (`"@method"`, a second
 * line of the same identifier under `"…" #2`), `"@signature-params"` last, and its `label`.
 */
export type HttpSigParts = Parts;

/** The key of the base's last line. */
export const PARAMS = '"@signature-params"';

/** Most signatures judged in one message (each may cost hundreds of signature checks when diagnosed). */
const MAX_SIGNATURES = 16;

/**
 * The members of a dictionary's text (RFC 9651 §4.2.2) as written, trimmed: once the text parses as
 * a dictionary, a comma outside a quoted string can only separate two members.
 */
function memberTexts(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\[\s\S])*"?|,/g))
    if (m[0] === ',') {
      out.push(text.slice(start, m.index).trim());
      start = m.index + 1;
    }
  out.push(text.slice(start).trim());
  return out;
}

/** The key given twice in a dictionary's text (structured-headers keeps the last, other parsers the first). */
export function repeatedKey(text: string, dictionary: Dictionary): string | undefined {
  // An empty field is an empty dictionary, not a member with no key.
  const members = memberTexts(text).filter((m) => m !== '');
  if (members.length === dictionary.size) return undefined;
  const seen = new Set<string>();
  for (const m of members) {
    const key = /^[a-z*][a-z0-9_.*-]*/.exec(m.slice(0, 300))?.[0] ?? '';
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return '';
}

const refusal = (code: ErrorCode, words: Rich, label?: string): ReadResult<HttpSigParts> => ({
  code,
  words,
  ...(label !== undefined ? { label } : {}),
});

/** One signature-input dictionary, or why it cannot be read (null: the header is absent). */
function readDictionary(req: ParsedRequest, name: string): Dictionary | ReadResult<HttpSigParts> | null {
  const lines = fieldLines(req, name);
  if (lines.length === 0) return null;
  try {
    const dictionary = parseDictionary(lines.join(', '));
    const repeated = repeatedKey(lines.join(', '), dictionary);
    if (repeated === undefined) return dictionary;
    return refusal(
      'ERR_HTTPSIG_DUPLICATE_LABEL',
      rich`${name} gives the label ${repeated} twice. Servers disagree on which one counts (the first or the last), so keybench checks neither: send each label once.`,
    );
  } catch (e) {
    return refusal(
      'ERR_HTTPSIG_MALFORMED',
      rich`${name} is not a structured-field dictionary (RFC 8941): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Every signature of the request, read; or why none can be. */
export function readSignatures(req: ParsedRequest): ReadResult<HttpSigParts> | ReadResult<HttpSigParts>[] {
  const input = readDictionary(req, 'signature-input');
  const sigs = readDictionary(req, 'signature');
  if (input === null || sigs === null)
    return refusal('ERR_HTTPSIG_NO_SIGNATURE', [
      `The request has no ${input === null ? 'Signature-Input' : 'Signature'} header: an RFC 9421 signature needs both.`,
    ]);
  if (!(input instanceof Map)) return input;
  if (!(sigs instanceof Map)) return sigs;
  if (input.size === 0)
    return refusal('ERR_HTTPSIG_NO_SIGNATURE', [
      'Signature-Input is empty: it names no signature, so there is nothing to check.',
    ]);
  const findings = messageFindings(req, input, sigs);
  return [...input]
    .slice(0, MAX_SIGNATURES)
    .map(([label, member]) => ({ ...readLabel(req, label, member, sigs.get(label)), findings }));
}

/** One label's base and signature. */
function readLabel(
  req: ParsedRequest,
  label: string,
  member: Item | [Item[], Parameters],
  sig: Item | [Item[], Parameters] | undefined,
): ReadResult<HttpSigParts> {
  if (!Array.isArray(member[0]))
    return refusal(
      'ERR_HTTPSIG_MALFORMED',
      rich`Signature-Input ${label} must be an inner list of components, e.g. ("@method" "@path").`,
      label,
    );
  const built = buildBase(req, member[0], member[1]);
  if (!built.ok) return refusal(built.code, built.parts, label);
  const bytes = sig?.[0];
  if (!(bytes instanceof ArrayBuffer))
    return sig === undefined
      ? refusal('ERR_HTTPSIG_LABEL', rich`Signature has no member ${label}.`, label)
      : refusal('ERR_HTTPSIG_MALFORMED', rich`Signature ${label} must be a byte sequence, :base64:.`, label);
  return { label, parts: partsOf(built.base, label), signature: bytesToBase64(new Uint8Array(bytes)) };
}

/** A signature base as parts: each line under its identifier (numbered from a second line of the same one). */
export function partsOf(base: SignatureBase, label: string): Record<string, string> {
  const parts: Record<string, string> = { label };
  for (const l of base.lines) {
    let key = l.id;
    for (let n = 2; key in parts; n++) key = `${l.id} #${n}`;
    parts[key] = l.value;
  }
  parts[PARAMS] = base.params;
  return parts;
}

/** The base's lines, from the parts (`label` is not signed). */
export function baseLines(parts: HttpSigParts): SignedPart[] {
  return Object.entries(parts)
    .filter(([k]) => k.startsWith('"'))
    .map(([k, text]) => ({ label: k.replace(/ #\d+$/, ''), text }));
}

/** The covered components and parameters, read back from the `"@signature-params"` line. */
export function signatureParams(parts: HttpSigParts): { covered: Item[]; params: Parameters } {
  const [member] = parseList(parts[PARAMS] ?? '()');
  const [covered, params] = member as [Item[], Parameters];
  return { covered, params };
}

/** The text of one Signature-Input member as sent (for serialisation mistakes), if it can be found. */
export function rawMember(req: ParsedRequest, label: string): string | undefined {
  const members = memberTexts(fieldLines(req, 'signature-input').join(', '));
  return members.find((m) => m.startsWith(`${label}=`))?.slice(label.length + 1);
}

/** What concerns the whole message: labels, Content-Digest covered by none, covered fields sent twice. */
function messageFindings(req: ParsedRequest, input: Dictionary, sigs: Dictionary): Finding[] {
  const out = [...sigs.keys()]
    .filter((label) => !input.has(label))
    .map((label) =>
      problem(
        'rfc9421.headers',
        'ERR_HTTPSIG_LABEL',
        'error',
        'Signature without Signature-Input',
        rich`Signature has a label ${label} that Signature-Input does not: it cannot be checked.`,
      ),
    );
  if (input.size > MAX_SIGNATURES)
    out.push(
      problem(
        'rfc9421.headers',
        'ERR_HTTPSIG_LABEL',
        'error',
        'Too many signatures',
        `Signature-Input has ${input.size} signatures: keybench judges the first ${MAX_SIGNATURES} only.`,
      ),
    );
  const fields = coveredFields(input);
  if (fieldLines(req, 'content-digest').length > 0 && !fields.includes('content-digest'))
    out.push(
      problem(
        'rfc9421.content-digest',
        'ERR_HTTPSIG_DIGEST_NOT_COVERED',
        'warning',
        'Content-Digest not signed',
        'The request sends Content-Digest, but no signature covers it: anyone on the way could change the body and its digest together.',
      ),
    );
  return [...out, ...repeatedFields(req, fields)];
}

/** The header fields any signature covers (lower case). */
function coveredFields(input: Dictionary): string[] {
  const names = [...input.values()].flatMap(([list]) =>
    Array.isArray(list) ? list.map(([name]) => name).filter((n) => typeof n === 'string') : [],
  );
  return [...new Set(names.map((n) => String(n).toLowerCase()).filter((n) => !n.startsWith('@')))];
}

/**
 * A covered field sent in several lines: RFC 9421 signs the values joined with ", ", but a server
 * that reads one line (the first or the last) sees something else. A warning; for Content-Digest an
 * error, since a server reading the first line checks the body against another digest than keybench.
 */
function repeatedFields(req: ParsedRequest, fields: readonly string[]): Finding[] {
  return fields.flatMap((name) => {
    const n = fieldLines(req, name).length;
    if (n < 2) return [];
    const digest = name === 'content-digest';
    return [
      problem(
        `rfc9421.repeated:${name}`,
        'ERR_REQUEST_DUPLICATE_HEADER',
        digest ? 'error' : 'warning',
        'Covered field sent more than once',
        digest
          ? rich`Content-Digest is sent in ${ours(String(n))} lines. A server that reads one of them may check the body against another digest than the one keybench checked: send it once.`
          : rich`${name} is sent in ${ours(String(n))} lines. RFC 9421 signs them joined with ", ", but a server that reads only the first or the last line sees another value than the one signed: send it once unless the server joins them.`,
      ),
    ];
  });
}
