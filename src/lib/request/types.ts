/**
 * The request doctor's shared types: a signed HTTP request as pasted (curl, raw HTTP,
 * HAR, "Copy as fetch"), and what keybench says about it. Domain code only: no UI.
 */
import type { ErrorCode } from '../errors';
import type { VerificationKey, Verified } from '../trust/keys';
import type { Rich } from '../rich';
import type { Finding, SignedPart } from '../trust/finding';

/** Where a pasted request came from. */
export type RequestSource = 'curl' | 'http' | 'har' | 'fetch';

/** One HTTP request, exactly as it would be sent. */
export interface ParsedRequest {
  source: RequestSource;
  /** The method as written (case kept: a lower-case method is itself a finding for some partners). */
  method: string;
  /**
   * The full URL as the client sends it (scheme, host, path, query): curl drops the #fragment and
   * dot segments, a browser sends the WHATWG serialisation; a note says so when it differs from the
   * URL as written.
   */
  url: string;
  /** Header lines in order, names as written. */
  headers: [name: string, value: string][];
  /** The body exactly as it would be sent, as text (UTF-8; "" for none). */
  body: string;
  /** Things the parser did or noticed that change the bytes sent, with the pasted text kept apart. */
  notes: Rich[];
}

/** The first value of a header, by case-insensitive name. */
export function header(req: Pick<ParsedRequest, 'headers'>, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** What the first box holds: a request, something that is not one (e.g. a JWT), or a request that could not be read. */
export type RequestParse =
  | { kind: 'request'; request: ParsedRequest }
  | { kind: 'not-request' }
  | {
      kind: 'error';
      source: RequestSource;
      code: ErrorCode;
      /** The message, keybench's words with the pasted text kept apart as untrusted parts. */
      parts: Rich;
      /** The same as one plain string (`plain(parts)`). */
      message: string;
    };

/**
 * A signing scheme's id: its folder under src/lib/schemes/ (`qredo`, `qit-v2`, `rfc9421`, …). Here
 * a plain string, since request/ knows no scheme; the registry (scheme/registry.ts) knows which exist.
 */
export type SchemeId = string;

/**
 * One mistake that explains a failure: the request verifies (`confirmed`) when the signed bytes are
 * taken to be `signed` instead of `sent`. `code` is stable, for tests and for people searching it.
 */
export interface Diagnosis {
  code: ErrorCode;
  /** One line, keybench's words: "Body signed pretty-printed, sent compact". */
  title: string;
  /** What happened, with untrusted text (header values, key labels) kept apart. */
  explanation: Rich;
  /** What a backend developer changes to fix it. */
  remedy: string;
  /** What was signed and what was sent, for the byte diff and the copyable report. */
  signed?: string;
  sent?: string;
  /** True when a signature check over the mistaken bytes proved it; false for a finding read from the request itself. */
  confirmed: boolean;
}

/** The doctor's verdict on one request (on one of its signatures, when it carries several). */
export interface RequestVerdict {
  scheme: SchemeId;
  /** The signature's label when a message carries several (RFC 9421: `sig1`, `sig-b26`, …). */
  label?: string;
  /** The signature base as sent, part by part (RFC 9421: one line per covered component). */
  base?: SignedPart[];
  /** The base is its parts as `label: text` lines (RFC 9421); otherwise their texts, one after the other. */
  baseLines?: true;
  /**
   * `verified`: the request's own signature verifies with a key whose role fits (the user's own, for
   * a request to a partner) and no check fails. Only trust/verdict.ts makes it (`decideRequest`).
   */
  state: Verified | 'failed';
  /** The signature verified with a trusted key whose role fits (even if another check, e.g. the timestamp, fails). */
  signatureVerified: boolean;
  /** 'OK' when verified, else the code of the first error. */
  code: ErrorCode | 'OK';
  /** The headline, keybench's words with untrusted parts apart. */
  parts: Rich;
  keyLabel?: string;
  /** Every check made, in order. */
  findings: Finding[];
  /** The mistakes found that explain a failure (or that the partner would refuse although the signature holds). */
  diagnoses: Diagnosis[];
  /** What the Sign view needs to sign this request correctly. */
  signInput: {
    method: string;
    url: string;
    body: string;
    /** A declarative scheme's form values read back from the request (scheme/types.ts). */
    values?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  };
}

/** Input to a scheme's doctor. */
export interface DoctorInput {
  request: ParsedRequest;
  /**
   * Keys the user trusts for this request: the user's own stored keys, or the pasted key. Never one
   * the request carries. (The verdict re-checks the role of the key that verifies: trust/verdict.ts.)
   */
  keys: VerificationKey[];
  nowMs: number;
}
