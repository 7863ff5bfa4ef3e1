/**
 * What the verdict box says, decided in one place for a token, a signed request and an encrypted
 * message: its state, code and tone (the page's stable hooks), its headline lines and the details
 * under them. The states come from the rules (verdict.ts, decryption.ts); this only chooses which
 * one is shown and in which words, so the view renders it and decides nothing.
 */
import type { ErrorCode } from '../errors';
import type { Diagnostic } from '../jwt/decode';
import type { Verdict } from '../jwt/verify';
import type { RequestVerdict } from '../request/types';
import { own } from '../json';
import { revealInvisible, u, type Rich } from '../rich';

/** One line of the verdict box: a green, red or amber headline, plain words, a muted wait or a note. */
export interface Line {
  tone: 'ok' | 'bad' | 'warn' | 'plain' | 'muted' | 'note';
  parts: Rich;
}

/** The verdict box, as the page shows it. */
export interface ShownVerdict {
  /** `data-state`: verified, failed, embedded, kid-mismatch, decrypted, empty or pending. */
  state: string;
  /** `data-code`: the code of what the headline says ('' when none). */
  code: string;
  /** `data-kind`: a calm state that says what to do, not a failure. */
  kind?: 'no-key' | 'key-in-token-box';
  /** The card's colour. */
  tone?: 'ok' | 'warn' | 'bad' | 'neutral';
  lines: Line[];
  /** The code under the headline (none under a green one: it would only say OK), the keys tried, a note. */
  details: { code: string; tried: readonly string[]; note?: string };
  /** The token verdict whose remedy, notes and excluded keys follow the headline. */
  token?: Verdict;
  /** The token's problems, less the one the headline already says (no sentence twice). */
  problems: readonly Diagnostic[];
}

/** A request as the doctor examined it (its RequestExamination, as far as the verdict needs). */
export type ShownExam =
  | { kind: 'error'; code: ErrorCode; parts: Rich }
  | { kind: 'bearer' }
  | { kind: 'verdict'; verdicts: readonly RequestVerdict[] };

/** What the verdict box is about. */
export interface VerdictInput {
  /** The first box holds a signed request. */
  requestForm: boolean;
  /** The doctor's answer (null while it reads the request). */
  exam: ShownExam | null;
  decoded: { form: string; errors: readonly Diagnostic[]; header?: Record<string, unknown> };
  /** The token's verdict (null while verifying). */
  verdict: Verdict | null;
}

const TONES: Record<string, ShownVerdict['tone']> = {
  verified: 'ok',
  decrypted: 'ok',
  embedded: 'warn',
  'kid-mismatch': 'warn',
  failed: 'bad',
};

/** The headline's part of the box: the rest follows from it. */
type Head = Pick<ShownVerdict, 'state' | 'code' | 'kind' | 'lines' | 'token'>;

const line = (tone: Line['tone'], ...parts: Rich): Line => ({ tone, parts });

/** The whole box from its headline: its colour, and the code under it unless green. */
function box(
  head: Head,
  details: Partial<ShownVerdict['details']> = {},
  problems: readonly Diagnostic[] = [],
) {
  const code = head.code === 'OK' ? '' : head.code;
  const tone = head.kind ? 'neutral' : TONES[head.state];
  return { ...head, tone, details: { code, tried: [], ...details }, problems } satisfies ShownVerdict;
}

/** A red line, "Not verified. " first unless the sentence says so already. */
function failed(parts: Rich, lead: Rich = []): Line {
  const first = parts[0];
  const says = typeof first === 'string' && first.startsWith('Not verified');
  return line('bad', '✘ ', ...lead, says ? '' : 'Not verified. ', ...parts);
}

/** A request signature's line; `label` names it when a message carries several. */
function signatureLine(v: RequestVerdict, label?: Rich): Line {
  const lead = label ? [...label, ': '] : [];
  return v.state === 'verified' ? line('ok', '✔ ', ...lead, ...v.parts) : failed(v.parts, lead);
}

/** The lines of a token's verdict, by its state. */
function tokenLines(v: Verdict, noKey: boolean): Line[] {
  if (noKey) return [line('plain', 'No key to check the signature with yet.')];
  if (v.state === 'verified') return [line('ok', '✔ ', ...v.parts)];
  if (v.state === 'embedded') return [line('warn', '⚠ Self-consistent only. ', ...v.parts)];
  if (v.state === 'kid-mismatch') return [line('warn', '⚠ Not the key a server would pick. ', ...v.parts)];
  return [failed(v.parts)];
}

/** The request's own verdict: an error, or one line per signature (verified only when every one is). */
function requestHead(exam: Exclude<ShownExam, { kind: 'bearer' }> | null): Head {
  if (!exam) return { state: 'pending', code: '', lines: [line('muted', 'Reading the request…')] };
  if (exam.kind === 'error') return { state: 'failed', code: exam.code, lines: [failed(exam.parts)] };
  const { verdicts } = exam;
  const first = verdicts.find((v) => v.state !== 'verified') ?? verdicts[0];
  const label = (v: RequestVerdict, i: number) => (v.label === undefined ? [String(i + 1)] : [u(v.label)]);
  const lines = verdicts.map((v, i) => signatureLine(v, verdicts.length > 1 ? label(v, i) : undefined));
  return { state: first?.state ?? 'failed', code: first?.code ?? '', lines };
}

/** The token's (or a request's bearer JWT's) verdict. */
function tokenHead({ requestForm, decoded: d, verdict }: VerdictInput): Head {
  const state = verdict?.state ?? 'pending';
  const code = verdict?.code ?? '';
  if (d.form === 'empty')
    return requestForm
      ? { state: 'failed', code, lines: [failed(["The request's bearer token could not be read."])] }
      : {
          state: 'empty',
          code,
          lines: [line('muted', 'No token yet. Paste one in the box: its verdict shows here.')],
        };
  const hint = d.errors[0];
  if (!requestForm && d.form === 'malformed' && hint?.belongs === 'key-box')
    return { state, code: hint.code, kind: 'key-in-token-box', lines: [line('plain', ...hint.parts)] };
  if (!verdict) return { state, code, lines: [line('muted', 'Verifying…')] };
  // No key to try yet (and no key of the token's own that failed): a calm state that says what to paste.
  const noKey =
    !requestForm &&
    verdict.code === 'ERR_JWT_NO_KEY' &&
    own(d.header, 'jwk') === undefined &&
    own(d.header, 'x5c') === undefined;
  return { state, code, lines: tokenLines(verdict, noKey), token: verdict, ...(noKey && { kind: 'no-key' }) };
}

/** The verdict box for what the first box holds: a signed request, its bearer JWT, or a token. */
export function showVerdict(input: VerdictInput): ShownVerdict {
  const { requestForm, exam, decoded: d, verdict } = input;
  const ownHead = requestForm && exam?.kind !== 'bearer';
  const head = ownHead ? requestHead(exam) : tokenHead(input);
  const tried = !ownHead && verdict && verdict.state !== 'verified' ? verdict.tried : [];
  const repeated =
    head.kind === 'key-in-token-box' || (d.form !== 'jws' && verdict?.code === d.errors[0]?.code);
  return box(head, { tried }, repeated ? d.errors.slice(1) : d.errors);
}

/** An encrypted message's verdict box: Decrypted only as trust/decryption.ts decided it. */
export function showDecryption(
  report: { state: string; code: string; message: string; wrapper?: string } | null,
  hasKeys: boolean,
): ShownVerdict {
  if (!report) return box({ state: 'pending', code: '', lines: [line('muted', 'Decrypting…')] });
  const { state, code, wrapper } = report;
  const message = revealInvisible(report.message);
  const lines =
    state === 'decrypted'
      ? [line('ok', `✔ ${message}`)]
      : [line('bad', `✘ Not decrypted. ${message}`)].concat(
          hasKeys
            ? []
            : [line('note', 'Generate an encryption key pair on Keys, or import yours, then paste again.')],
        );
  const details = {
    code: state === 'decrypted' ? '' : code,
    ...(wrapper && { note: `Read as ${wrapper}.` }),
  };
  return box({ state, code, lines }, details);
}
