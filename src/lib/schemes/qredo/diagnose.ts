/**
 * When x-sign does not verify over the bytes sent: which trusted key made it (RSA's public
 * operation says, rsa.ts), how it was made or written (x-sign.ts), and what it was made over: the
 * engine's one mistake search (engine/search.ts) tries Qredo's mistakes (mistakes.ts), bounded,
 * and reports one only when WebCrypto confirms the signature over what the mistaken signer signed.
 */
import { ok, problem, type Finding } from '../../partners/scheme';
import type { Diagnosis, TrustedKey } from '../../request/types';
import { ours, rich } from '../../rich';
import type { SchemeResult } from '../../trust/verdict';
import { searchMistakes } from '../engine/search';
import { sentParts } from './base';
import { resultOf, type QredoRequest } from './checks';
import { qredoMistakes } from './mistakes';
import { carries, recover, rsaNumbers, verifyAs, type Recovered } from './rsa';
import { makeCtx, type QredoMistake } from './variants';
import { encodingMistake, paddingMistake, type Explained, type SigVariant } from './x-sign';

/** Most guesses tried in one diagnosis (the ±300 s search alone is 600 of them). */
export const MAX_CANDIDATES = 2500;
/** Most bytes hashed in one diagnosis: a 1 MB body is hashed a few dozen times at most. */
export const MAX_HASHED_BYTES = 64 * 1024 * 1024;

const enc = new TextEncoder();

/** The trusted key that made x-sign, the reading of x-sign it made, and what it recovered. */
interface Maker {
  key: TrustedKey;
  sig: SigVariant;
  rec: Recovered;
}

async function makerOf(trusted: readonly TrustedKey[], sigs: readonly SigVariant[]): Promise<Maker | null> {
  for (const key of trusted) {
    for (const sig of sigs) {
      const rec = await recover(key, sig.bytes);
      if (rec) return { key, sig, rec };
    }
  }
  return null;
}

/** Diagnose a request whose x-sign holds over the bytes sent with none of the trusted keys. */
export async function diagnose(
  r: QredoRequest,
  trusted: readonly TrustedKey[],
  sigs: readonly SigVariant[],
  findings: Finding[],
): Promise<SchemeResult> {
  const maker = await makerOf(trusted, sigs);
  if (!maker) return unknownKey(r, trusted, sigs, findings);
  const { key, sig, rec } = maker;
  const pre: Explained[] = [];
  if (sig.encoding !== 'base64url') pre.push(encodingMistake(sig.encoding));
  const padding = paddingMistake(rec, key);
  if (padding) pre.push(padding);
  findings.push(ok('key', 'Signing key', rich`x-sign was made by the trusted key ${key.label}.`));
  const sentBytes = enc.encode(r.sentText);
  // The mistake is only in how the signature is made or written, not in the bytes.
  if (pre.length && (await verifyAs(rec, key, sig.bytes, sentBytes))) {
    const diagnoses = pre.map((m) => ({ ...m, signed: r.sentText, sent: r.sentText, confirmed: true }));
    return report(r, findings, diagnoses, key);
  }
  const { found, tried } = await search(r, maker);
  if (found.length) {
    const signed = found[0]!.signed;
    const first = pre.map((m) => ({
      ...m,
      ...(signed !== undefined ? { signed } : {}),
      sent: r.sentText,
      confirmed: true,
    }));
    return report(r, findings, [...first, ...found], key);
  }
  return nothingMatched(r, findings, pre, key, tried);
}

/** Search Qredo's mistakes with the key that made x-sign; each guess costs one hash until one matches. */
async function search(
  r: QredoRequest,
  { key, sig, rec }: Maker,
): Promise<{ found: Diagnosis[]; tried: number }> {
  const { request } = r;
  const ctx = makeCtx(
    sentParts(r.value, request.url, request.body),
    r.isTimestamp,
    r.valueHeader,
    request.method,
  );
  const mistakes = qredoMistakes(ctx);
  const size = Math.max(1, enc.encode(r.sentText).length);
  let tried = 0;
  let hashed = 0;
  const found = await searchMistakes({
    mistakes,
    ctx,
    candidates: [{ key, alg: 'RS256' }],
    signature: sig.bytes,
    sentText: r.sentText,
    budget: Math.min(MAX_CANDIDATES, Math.ceil(MAX_HASHED_BYTES / size)),
    limit: 1,
    verifyOver: async (_c, bytes, signature) => {
      if (hashed >= MAX_HASHED_BYTES) return false;
      tried++;
      hashed += bytes.length;
      return (await carries(rec, bytes)) && verifyAs(rec, key, signature, bytes);
    },
  });
  return { found: found.flatMap((d) => expand(d, mistakes)), tried };
}

/** A compound mistake's diagnosis as one diagnosis per mistake in it (the first keeps the search's words). */
function expand(d: Diagnosis, mistakes: readonly QredoMistake[]): Diagnosis[] {
  const m = mistakes.find((x) => x.components.length > 1 && x.title === d.title);
  if (!m) return [d];
  return m.components.map((c, i) => ({
    ...d,
    code: c.code,
    title: c.title,
    remedy: c.remedy,
    ...(i > 0 ? { explanation: [c.explanation] } : {}),
  }));
}

/** A title inside a sentence: its first letter lower case, unless it starts an acronym (URL, RSA). */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** The result for a diagnosed mistake: not verified, the first mistake named in the headline. */
function report(r: QredoRequest, findings: Finding[], diagnoses: Diagnosis[], key: TrustedKey): SchemeResult {
  const first = diagnoses[0]!;
  findings.push(
    problem('signature', first.code, 'error', 'x-sign', [first.title, '. ', ...first.explanation]),
  );
  const parts = rich`x-sign does not match what is sent. Key ${key.label} made it, with this mistake: ${ours(lowerFirst(first.title))}. The fix is below.`;
  return resultOf(r, findings, diagnoses, parts, undefined, key.label);
}

/** None of the trusted keys made x-sign (the public operation gives no valid encoding with any). */
function unknownKey(
  r: QredoRequest,
  trusted: readonly TrustedKey[],
  sigs: readonly SigVariant[],
  findings: Finding[],
): SchemeResult {
  const lengths = [...new Set(sigs.map((s) => s.bytes.length))].join(' or ');
  const sizes = [...new Set(trusted.map((k) => rsaNumbers(k.spki)?.bytes).filter((n) => n !== undefined))];
  const lengthNote = sizes.some((n) => sigs.some((s) => s.bytes.length === n))
    ? ''
    : ` x-sign decodes to ${lengths} bytes, while the trusted keys make signatures of ${sizes.join(' or ')} bytes.`;
  const n = trusted.length;
  const explanation = [
    `The RSA public operation with each of the ${n} trusted RSA key${n === 1 ? '' : 's'} gives no valid PKCS#1 v1.5 or PSS encoding: another private key signed this request (or x-sign was damaged).${lengthNote}`,
  ];
  const d: Diagnosis = {
    code: 'ERR_QREDO_UNKNOWN_KEY',
    title: `None of the ${n} trusted RSA keys made this signature`,
    explanation,
    remedy:
      'Sign with the private key whose public key is uploaded to Qredo (Settings → Partner API), or upload the public key of the private key you sign with; then add that public key here.',
    sent: r.sentText,
    confirmed: false,
  };
  findings.push(problem('signature', d.code, 'error', 'x-sign', explanation));
  return resultOf(
    r,
    findings,
    [d],
    [
      `x-sign does not verify: none of the ${n} trusted RSA key${n === 1 ? '' : 's'} made this signature.${lengthNote}`,
    ],
  );
}

/** The key made x-sign, over bytes none of the mistakes explains. */
function nothingMatched(
  r: QredoRequest,
  findings: Finding[],
  pre: readonly Explained[],
  key: TrustedKey,
  tried: number,
): SchemeResult {
  const head = pre[0];
  const explanation = [
    ...(head ? [...head.explanation, ' '] : []),
    ...rich`Key ${key.label} made this signature, but over bytes other than the ones sent. keybench tried ${tried} variants; none matched: the signed bytes differ in a way it does not know.`,
  ];
  const nothing: Diagnosis = {
    code: head?.code ?? 'ERR_QREDO_SIGNATURE',
    title: head
      ? `${head.title}, and over other bytes`
      : `Key made this signature over other bytes (keybench tried ${tried} variants; none matched)`,
    explanation,
    remedy:
      head?.remedy ??
      'Log the exact message your code signs (value ‖ URL ‖ body, as bytes) and compare it with what the HTTP client sends: the URL, the body serialisation and the timestamp must be the same strings.',
    sent: r.sentText,
    confirmed: false,
  };
  const rest = pre.slice(1).map((m) => ({ ...m, sent: r.sentText, confirmed: false }));
  findings.push(problem('signature', nothing.code, 'error', 'x-sign', explanation));
  const parts = rich`x-sign does not verify over the bytes sent. Key ${key.label} made it, over other bytes: keybench tried ${tried} variants; none matched.`;
  return resultOf(r, findings, [nothing, ...rest], parts, undefined, key.label);
}
