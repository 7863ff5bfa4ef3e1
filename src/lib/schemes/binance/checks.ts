/**
 * The checks of a Binance request that need no key: how Binance reads it (body, duplicates,
 * signature last), the API key header, recvWindow, timestamp and non-ASCII text. Each returns
 * findings; none decides a verdict (trust/verdict.ts does).
 */
import { ok, problem, type Finding } from '../../partners/scheme';
import { header, type ParsedRequest } from '../../request/types';
import { ours, rich, type Rich } from '../../rich';
import { formDecode, valueOf, type BinanceSent, type Segment } from './base';
import { BINANCE_DEFAULT_RECV_WINDOW, BINANCE_MAX_RECV_WINDOW } from './payload';

const REFUSED = 'Binance refuses it';

/** A duration in words (ms, s, min, h, days). */
export function fmtMs(ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(a)} ms`;
  if (a < 120_000) return `${(a / 1000).toFixed(1)} s`;
  if (a < 7_200_000) return `${(a / 60_000).toFixed(1)} min`;
  if (a < 172_800_000) return `${(a / 3_600_000).toFixed(1)} h`;
  return `${(a / 86_400_000).toFixed(1)} days`;
}

/** A body Binance does not read: a GET's, or one that is not a form (-1102). */
function bodyProblem(request: ParsedRequest): Finding | null {
  if (request.body === '') return null;
  const type = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const fix =
    'To Binance they are missing (-1102), signature included. Send them in the query string, or as a form body with Content-Type: application/x-www-form-urlencoded.';
  const why: Rich | null =
    request.method === 'GET' || request.method === 'HEAD'
      ? rich`Binance does not read the parameters in this body: it is the body of a ${request.method}, and Binance reads a GET's parameters from the query string only. ${ours(fix)}`
      : type !== 'application/x-www-form-urlencoded'
        ? rich`Binance does not read the parameters in this body: its Content-Type is ${type || 'missing'}, and Binance reads a body only as application/x-www-form-urlencoded. ${ours(fix)}`
        : null;
  return why ? problem('body-read', 'ERR_BINANCE_BODY_NOT_READ', 'error', 'Body', why) : null;
}

/**
 * What makes Binance read a request otherwise than its text suggests (binance-spot-api-docs,
 * rest-api "Request security" and errors.md): a GET's body and a body that is not
 * application/x-www-form-urlencoded are not read (-1102: the parameters in them are missing); a
 * parameter sent twice is refused (-1101), so the doctor cannot say which value was checked; the
 * signature must be the last parameter of the request (else -1022). Each is an error: a signature
 * that holds over the text pasted would not hold over what Binance reads.
 */
export function readingProblems(
  request: ParsedRequest,
  q: readonly Segment[],
  b: readonly Segment[],
): Finding[] {
  const out: Finding[] = [];
  const body = bodyProblem(request);
  if (body) out.push(body);
  const seen = new Map<string, number>();
  for (const s of [...q, ...b]) seen.set(s.name, (seen.get(s.name) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([name]) => name);
  if (twice.length)
    out.push(
      problem(
        'duplicates',
        'ERR_BINANCE_DUPLICATE_PARAM',
        'error',
        'Parameters',
        rich`${twice.join(', ')} ${ours(twice.length > 1 ? 'are' : 'is')} sent more than once (query string and body together). Binance refuses duplicate parameters (-1101), and keybench cannot say which value a server would check. Send each parameter once.`,
      ),
    );
  const last = b.length ? b.at(-1) : q.at(-1);
  if (seen.has('signature') && last?.name !== 'signature')
    out.push(
      problem(
        'signature-last',
        'ERR_BINANCE_SIGNATURE_NOT_LAST',
        'error',
        'signature',
        rich`signature is not the last parameter of the request (${last?.name ?? ''} comes after it). Binance takes the signature as the end of the query string or body and refuses it elsewhere (-1022). Append signature= last, after every parameter it signs.`,
      ),
    );
  return out;
}

/** The X-MBX-APIKEY header: present and not empty. */
export function apiKeyFinding(apiKey: string | undefined): Finding {
  return apiKey?.trim()
    ? ok('header:x-mbx-apikey', 'X-MBX-APIKEY', 'The API key header is present.')
    : problem(
        'header:x-mbx-apikey',
        'ERR_REQUEST_MISSING_HEADER',
        'error',
        'X-MBX-APIKEY',
        `The request has no X-MBX-APIKEY header (or it is empty). ${REFUSED}.`,
      );
}

/** The value of the first parameter named `name`, form-decoded; undefined when it is not sent. */
function param(sent: BinanceSent, name: string): string | undefined {
  const s = [...sent.q, ...sent.b].find((x) => x.name === name);
  return s ? formDecode(valueOf(s)) : undefined;
}

/** recvWindow: its finding (none when not sent) and the window the timestamp is judged by. */
export function recvWindowCheck(sent: BinanceSent): { finding?: Finding; recvWindow: number } {
  const text = param(sent, 'recvWindow');
  if (text === undefined) return { recvWindow: BINANCE_DEFAULT_RECV_WINDOW };
  const n = /^\d+(\.\d{1,3})?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n > BINANCE_MAX_RECV_WINDOW) {
    return {
      recvWindow: BINANCE_DEFAULT_RECV_WINDOW,
      finding: problem(
        'recvWindow',
        'ERR_BINANCE_RECV_WINDOW',
        'error',
        'recvWindow',
        rich`recvWindow is ${text}: Binance takes milliseconds (up to three decimals), at most ${BINANCE_MAX_RECV_WINDOW}. ${ours(REFUSED)}.`,
      ),
    };
  }
  return {
    recvWindow: n,
    finding: ok('recvWindow', 'recvWindow', `${n} ms (at most ${BINANCE_MAX_RECV_WINDOW}).`),
  };
}

/** A well-formed timestamp (13 or 16 digits) against this computer's clock: warnings only. */
function clockFinding(text: string, nowMs: number, recvWindow: number): Finding {
  const tsMs = text.length === 16 ? Number(text) / 1000 : Number(text);
  const unit = text.length === 16 ? 'microseconds' : 'milliseconds';
  const behind = nowMs - tsMs;
  const note =
    'A request pasted from a log is expected to be old: this is a warning and does not change the verdict on the signature.';
  if (tsMs >= nowMs + 1000)
    return problem(
      'clock',
      'ERR_BINANCE_TIMESTAMP_AHEAD',
      'warning',
      'timestamp',
      `timestamp (${unit}) is ${fmtMs(-behind)} ahead of this computer's clock; Binance refuses a timestamp 1 s or more ahead of its own time. Check the signing server's clock (NTP). ${note}`,
    );
  if (behind > recvWindow)
    return problem(
      'clock',
      'ERR_BINANCE_STALE_TIMESTAMP',
      'warning',
      'timestamp',
      `timestamp (${unit}) is ${fmtMs(behind)} behind this computer's clock, more than recvWindow (${recvWindow} ms): sent now, Binance would refuse it. ${note}`,
    );
  return ok('clock', 'timestamp', `${unit}, ${fmtMs(behind)} old: within recvWindow (${recvWindow} ms).`);
}

/** The timestamp parameter: present, in ms or µs (not seconds), and how old it is. */
export function timestampFinding(sent: BinanceSent, nowMs: number, recvWindow: number): Finding {
  const text = param(sent, 'timestamp');
  if (text === undefined)
    return problem(
      'timestamp',
      'ERR_BINANCE_TIMESTAMP',
      'error',
      'timestamp',
      `The request has no timestamp parameter. ${REFUSED}.`,
    );
  if (/^\d{10}$/.test(text))
    return problem(
      'timestamp',
      'ERR_BINANCE_TIMESTAMP_SECONDS',
      'error',
      'timestamp',
      rich`timestamp is ${text}: 10 digits, Unix seconds. Binance reads milliseconds (13 digits) or microseconds (16), so it sees a time in January 1970, far outside recvWindow, and refuses the request.`,
    );
  if (/^\d{13}$|^\d{16}$/.test(text)) return clockFinding(text, nowMs, recvWindow);
  return problem(
    'timestamp',
    'ERR_BINANCE_TIMESTAMP',
    'error',
    'timestamp',
    rich`timestamp is ${text}: Binance reads Unix time in milliseconds (13 digits) or microseconds (16). ${ours(REFUSED)}.`,
  );
}

/** Non-ASCII characters sent raw: Binance wants them percent-encoded before signing and sending. */
export function nonAsciiFinding(sent: BinanceSent): Finding | null {
  if (!/[^\p{ASCII}]/u.test(sent.text)) return null;
  return problem(
    'non-ascii',
    'ERR_BINANCE_NON_ASCII',
    'error',
    'Parameters',
    'The request sends non-ASCII characters without percent-encoding. Binance requires every non-ASCII character to be percent-encoded (UTF-8) before signing and sending.',
  );
}

/** Every check that needs no key, in the order the report shows them. */
export function requestFindings(request: ParsedRequest, sent: BinanceSent, nowMs: number): Finding[] {
  const findings = readingProblems(request, sent.allQ, sent.allB);
  findings.push(apiKeyFinding(header(request, 'x-mbx-apikey')));
  const rw = recvWindowCheck(sent);
  if (rw.finding) findings.push(rw.finding);
  findings.push(timestampFinding(sent, nowMs, rw.recvWindow));
  const nonAscii = nonAsciiFinding(sent);
  if (nonAscii) findings.push(nonAscii);
  return findings;
}
