/**
 * The Binance request check (issues 14 and 19): recognise a SIGNED Spot API request, verify its
 * `signature` with the keys the user trusts over the payload as sent (query ‖ body, minus the
 * signature) and, when it does not hold, find the mistake with the engine's one search, each
 * confirmed by a signature check over the mistaken bytes. It reports findings; only the rule in
 * trust/verdict.ts says "verified".
 *
 * Keys: Ed25519 or RSASSA-PKCS1-v1_5 SHA-256 public keys (base64 signature), or a pasted HMAC
 * secret (HMAC-SHA256, hex signature), as binance-spot-api-docs rest-api.md "SIGNED Endpoint
 * Examples" describe them.
 */
import type { ErrorCode } from '../../errors';
import type { VerificationKey } from '../../jwt/verify';
import { ok, problem, type Finding } from '../../partners/scheme';
import { header, trustedKeysOf, type DoctorInput, type RequestVerdict } from '../../request/types';
import type { Diagnosis, ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import type { VerificationContext } from '../../trust/roles';
import { decideRequest, type SchemeResult } from '../../trust/verdict';
import { MAX_ALTERNATIVES, searchMistakes } from '../engine/search';
import { defineRequestCheck, type Candidate } from '../engine/types';
import { whoMadeIt, type Authorship } from '../engine/who-made';
import { readSent, sigReadings, type BinanceSent, type SigReadings } from './base';
import { requestFindings } from './checks';
import { BINANCE_MISTAKES, type BinanceCtx } from './mistakes';

/** A pasted request is one sent to Binance: the user's own keys verify it (trust/roles.ts). */
const REQUEST_TO_BINANCE: VerificationContext = { direction: 'request-to', partner: 'binance' };

/** Most payload bytes the doctor's search verifies over (each check hashes the whole payload). */
export const MAX_VERIFIED_BYTES = 64 * 1024 * 1024;

const enc = new TextEncoder();

/** A trusted key, imported for WebCrypto. */
interface Keyed {
  candidate: Candidate;
  crypto: CryptoKey;
  algorithm: AlgorithmIdentifier;
  /** The algorithm in words ("Ed25519", "RSASSA-PKCS1-v1_5 SHA-256", "HMAC-SHA256"). */
  name: string;
}

/** Import a key Binance can verify with; null for any other (skipped). */
async function importKey(key: VerificationKey): Promise<Keyed | null> {
  const as = (c: CryptoKey, alg: string, name: string, algorithm: AlgorithmIdentifier): Keyed => ({
    candidate: { key, alg },
    crypto: c,
    algorithm,
    name,
  });
  try {
    if (key.kind === 'secret') {
      const hmac = { name: 'HMAC', hash: 'SHA-256' };
      const c = await crypto.subtle.importKey('raw', key.secret, hmac, false, ['verify']);
      return as(c, 'hmac-sha256', 'HMAC-SHA256', { name: 'HMAC' });
    }
    if (key.type.kty === 'OKP') {
      const c = await crypto.subtle.importKey('spki', key.spki, { name: 'Ed25519' }, false, ['verify']);
      return as(c, 'ed25519', 'Ed25519', { name: 'Ed25519' });
    }
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const c = await crypto.subtle.importKey('spki', key.spki, rsa, false, ['verify']);
    return as(c, 'RS256', 'RSASSA-PKCS1-v1_5 SHA-256', { name: 'RSASSA-PKCS1-v1_5' });
  } catch {
    return null; // Not importable: skipped.
  }
}

/** The signature bytes a key checks: hex for HMAC, base64 as Binance reads it (or a mistaken reading). */
function signatureFor(
  k: Keyed,
  readings: SigReadings,
  variant?: string,
): Uint8Array<ArrayBuffer> | undefined {
  if (k.candidate.alg === 'hmac-sha256') return variant ? undefined : readings.hex;
  return readings[(variant ?? 'server') as keyof SigReadings];
}

/** What one examination builds up. */
interface Run {
  sent: BinanceSent;
  findings: Finding[];
  diagnoses: Diagnosis[];
  signInput: RequestVerdict['signInput'];
}

function result(run: Run, parts: Rich, signedBy?: VerificationKey, keyLabel?: string): SchemeResult {
  return {
    scheme: 'binance',
    findings: run.findings,
    diagnoses: run.diagnoses,
    signInput: run.signInput,
    fallback: 'ERR_BINANCE_SIGNATURE',
    parts,
    ...(signedBy ? { signedBy } : {}),
    ...(keyLabel !== undefined ? { keyLabel } : {}),
  };
}

/** A finding and the headline's words for a request that cannot be checked. */
function cannotCheck(run: Run, code: ErrorCode, detail: string, headline: string): SchemeResult {
  run.findings.push(problem('signature', code, 'error', 'signature', detail));
  return result(run, [headline]);
}

/** The signature holds over the bytes sent with `k`: verified, unless a check says Binance refuses it. */
function heldResult(run: Run, k: Keyed): SchemeResult {
  const { findings, sent } = run;
  const label = k.candidate.key.label;
  if (sent.where && /[/=]/.test(sent.sigRaw ?? ''))
    findings.push(
      problem(
        'signature-encoding',
        'ERR_BINANCE_SIGNATURE_NOT_ENCODED',
        'warning',
        'signature',
        'The signature is sent with a raw / or = in it. Servers decode these the same, but Binance documents the signature as percent-encoded (%2F, %3D): encode it.',
      ),
    );
  findings.push(
    ok('signature', 'signature', rich`${ours(k.name)} over query ‖ body, as sent, holds with key ${label}.`),
  );
  const refused = findings.find((f) => f.severity === 'error');
  if (!refused)
    return result(
      run,
      rich`Signature verified with key ${label}: ${ours(k.name)} over the query string ‖ body, exactly as sent.`,
      k.candidate.key,
      label,
    );
  for (const f of findings.filter((x) => x.severity === 'error'))
    run.diagnoses.push({
      code: f.code as ErrorCode,
      title: `${f.label}: Binance would refuse this request`,
      explanation: f.parts,
      remedy:
        f.code === 'ERR_BINANCE_TIMESTAMP_SECONDS'
          ? 'Send timestamp in milliseconds (Date.now(), int(time.time() * 1000)) and sign that same string.'
          : 'Fix the parameter as described, sign again and send exactly the signed string.',
      signed: sent.text,
      sent: sent.text,
      confirmed: false,
    });
  return result(
    run,
    [...rich`The signature holds (key ${label}) but Binance would refuse the request: `, ...refused.parts],
    k.candidate.key,
    label,
  );
}

/** A title inside a sentence: its first letter lower case, unless it starts an acronym (URL, RSA). */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** No key verifies over the bytes sent: search the mistakes (engine/search.ts), bounded by bytes hashed. */
async function searchResult(run: Run, keyed: readonly Keyed[], readings: SigReadings): Promise<SchemeResult> {
  const { sent } = run;
  const byCandidate = new Map(keyed.map((k) => [k.candidate, k]));
  let matched: Keyed | undefined;
  let tried = 1;
  let last: Uint8Array | undefined;
  const perTry = Math.max(1, enc.encode(sent.text).length * keyed.length);
  const ctx: BinanceCtx = { q: sent.q, b: sent.b, sigRaw: sent.sigRaw ?? '', readings };
  const found = await searchMistakes({
    mistakes: BINANCE_MISTAKES,
    ctx,
    candidates: keyed.map((k) => k.candidate),
    signature: readings.server ?? readings.hex ?? new Uint8Array(0),
    sentText: sent.text,
    budget: Math.min(MAX_ALTERNATIVES, Math.floor(MAX_VERIFIED_BYTES / perTry) - 1),
    limit: 1,
    verifyOver: async (c, bytes, _signature, variant) => {
      if (bytes !== last) tried++;
      last = bytes;
      const k = byCandidate.get(c)!;
      const sig = signatureFor(k, readings, variant);
      if (!sig || !(await crypto.subtle.verify(k.algorithm, k.crypto, sig, bytes))) return false;
      matched = k;
      return true;
    },
  });
  const first = found[0];
  if (first && matched) {
    run.diagnoses.push(first);
    run.findings.push(
      problem('signature', first.code, 'error', 'signature', [first.title, '. ', ...first.explanation]),
    );
    const label = matched.candidate.key.label;
    return result(
      run,
      rich`The signature does not match what is sent. Key ${label} made it, with this mistake: ${ours(lowerFirst(first.title))}. The fix is below.`,
      undefined,
      label,
    );
  }
  return noMatch(run, keyed, readings, tried);
}

/** How to find bytes that differ in a way keybench does not know. */
const COMPARE_REMEDY =
  'Log the exact string your code signs (query string ‖ body) and compare it with the one sent, shown below: the parameters, their order and their encoding must be the same characters.';

/** What the doctor can say when no known mistake explains the signature, by what the key tells. */
function unexplained(
  made: Authorship,
  tried: number,
): Omit<Diagnosis, 'sent' | 'confirmed'> & { head: Rich } {
  const searched = `keybench tried ${tried} usual mistakes (timestamp units, parameter order, query/body joins, encoding) and none matched.`;
  if (made.kind === 'made-by' && made.padding === 'pss')
    return {
      code: 'ERR_BINANCE_RSA_PSS',
      title: 'Your RSA key signed with RSA-PSS instead of PKCS#1 v1.5',
      explanation: rich`Key ${made.key.label} made this signature with RSA-PSS padding. Binance verifies RSA signatures as RSASSA-PKCS1-v1_5 with SHA-256, so it refuses it.`,
      remedy:
        'Sign with PKCS#1 v1.5 padding and SHA-256 (openssl dgst -sha256 -sign, PKCS1v15() in Python cryptography, RSA_PKCS1_PADDING in Node).',
      head: rich`The signature does not match what Binance checks. Key ${made.key.label} made this signature, but with RSA-PSS: Binance wants PKCS#1 v1.5 with SHA-256.`,
    };
  if (made.kind === 'made-by')
    return {
      code: 'ERR_BINANCE_OTHER_BYTES',
      title: 'Your RSA key made this signature, over other bytes than the ones sent',
      explanation: rich`Key ${made.key.label} made this signature (RSA tells which key did), but over other bytes than the ones sent; ${searched}`,
      remedy: COMPARE_REMEDY,
      head: rich`The signature does not match what is sent. Key ${made.key.label} made this signature, but over other bytes: compare the string your code signs with the one sent.`,
    };
  if (made.kind === 'not-made')
    return {
      code: 'ERR_BINANCE_OTHER_KEY',
      title: 'Another key made this signature',
      explanation: [
        'None of your RSA keys here made this signature: RSA tells which key did, whatever the bytes. Another private key signed it, or the signature was damaged on the way.',
      ],
      remedy:
        'Sign with the private key whose public key is registered in Binance API Management, and add that public key here.',
      head: [
        'The signature does not match: another key made this signature, not your RSA key here. Sign with the key registered in Binance.',
      ],
    };
  return {
    code: 'ERR_BINANCE_SIGNATURE',
    title: 'The key or the signed bytes differ',
    explanation: [
      `Either another key made this signature, or the key here signed other bytes than the ones sent: Ed25519 and HMAC cannot tell which. ${searched}`,
    ],
    remedy: `${COMPARE_REMEDY} If they are the same, check that the key here belongs to the private key (or secret) your code signs with.`,
    head: [
      'The signature does not match: the key or the signed bytes differ, and none of the usual mistakes explains it. Compare the string your code signs with the one sent.',
    ],
  };
}

/** Neither the bytes sent nor any mistaken variant verifies with any trusted key. */
async function noMatch(
  run: Run,
  keyed: readonly Keyed[],
  readings: SigReadings,
  tried: number,
): Promise<SchemeResult> {
  const hmac = (k: VerificationKey) =>
    keyed.some((x) => x.candidate.key === k && x.candidate.alg === 'hmac-sha256');
  const signatures = [readings.server, readings.literal, readings.base64url].filter(
    (x): x is Uint8Array<ArrayBuffer> => x !== undefined,
  );
  const made = await whoMadeIt(
    keyed.map((k) => k.candidate.key),
    signatures,
    (k) => !hmac(k),
  );
  const { head, ...d } = unexplained(made, tried - 1);
  run.diagnoses.push({ ...d, sent: run.sent.text, confirmed: false });
  run.findings.push(problem('signature', d.code, 'error', 'signature', [d.title, '. ', ...d.explanation]));
  const label = made.kind === 'made-by' ? made.key.label : undefined;
  return result(run, head, undefined, label);
}

/** The request's findings and signature, checked with the keys the engine passes (already by role). */
export async function verifyBinance(input: DoctorInput): Promise<SchemeResult> {
  const { request, nowMs } = input;
  const apiKey = header(request, 'x-mbx-apikey');
  const sent = readSent(request);
  const run: Run = {
    sent,
    findings: requestFindings(request, sent, nowMs),
    diagnoses: [],
    signInput: {
      method: request.method,
      url: request.url,
      body: request.body,
      ...(apiKey !== undefined ? { apiKey: apiKey.trim() } : {}),
    },
  };
  const trusted = [
    ...trustedKeysOf(input.keys, ['OKP', 'RSA']),
    ...input.keys.filter((k) => k.kind === 'secret'),
  ];
  if (!trusted.length)
    return cannotCheck(
      run,
      'ERR_REQUEST_NO_KEY',
      'No trusted Ed25519 or RSA public key to check the signature with: add the public key registered with Binance (or the key pair that made it).',
      'Cannot check this Binance request: keybench has no trusted Ed25519 or RSA public key. Add the public key registered in Binance API Management, or select the key pair that signs these requests.',
    );
  if (!sent.sigRaw)
    return cannotCheck(
      run,
      'ERR_BINANCE_NO_SIGNATURE',
      'The request has no signature parameter. Binance refuses it.',
      'Cannot check this Binance request: it has no signature parameter (query string or form body).',
    );
  const readings = sigReadings(sent.sigRaw);
  if (!Object.values(readings).some(Boolean))
    return cannotCheck(
      run,
      'ERR_BINANCE_SIGNATURE',
      'The signature parameter is not base64.',
      'The signature cannot be read: it is not base64 (what Binance expects), nor base64url.',
    );
  const keyed = (await Promise.all(trusted.map(importKey))).filter((k): k is Keyed => k !== null);
  const bytes = enc.encode(sent.text);
  for (const k of keyed) {
    const sig = signatureFor(k, readings);
    if (sig && (await crypto.subtle.verify(k.algorithm, k.crypto, sig, bytes))) return heldResult(run, k);
  }
  return searchResult(run, keyed, readings);
}

/**
 * A Binance SIGNED request: the API key header and a signature parameter in the query or the form
 * body. Scored below Qredo's x-sign (4) and above QI Tech's AUTHORIZATION (2) and RFC 9421 (1).
 */
function recognise(req: ParsedRequest): number {
  return header(req, 'x-mbx-apikey') !== undefined && /(?:^|[?&])signature=/.test(`${req.url}&${req.body}`)
    ? 3
    : 0;
}

export default defineRequestCheck({
  id: 'binance',
  recognise,
  signedHeaders: ['x-mbx-apikey', 'content-type'],
  // The key box may hold the Ed25519 or RSA public key, or the API secret (HMAC-SHA256).
  keyAlg: 'HS256',
  verify: verifyBinance,
});

/**
 * Examine a pasted Binance Spot API request and decide its verdict by the one rule (a thin wrapper
 * kept for today's callers; the engine calls the default export's `verify`).
 */
export async function diagnoseBinance(input: DoctorInput): Promise<RequestVerdict> {
  return decideRequest(REQUEST_TO_BINANCE, await verifyBinance(input));
}
