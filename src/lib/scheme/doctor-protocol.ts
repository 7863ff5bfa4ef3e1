/**
 * The one message each way between the page and the request doctor's worker. The doctor's heavy
 * work (hashing and re-serialising megabytes) runs off the main thread so the page stays
 * responsive; the page sends everything a job needs at once, so a job never waits on the page.
 * Every value is structured-cloneable. Schemes are named by id, so the protocol knows none of them.
 */
import type { examineRequest, KeysAnswer, RequestExamination } from './doctor';
import type { KeyAlgHint } from './contract';

/** How the key box is read: for a scheme's key hint, or `any` for a scheme without one. */
export type KeyReading = KeyAlgHint | 'any';

const EVERY_READING: Record<KeyReading, 0> = { RS256: 0, ES512: 0, HS256: 0, any: 0 };
/** Every reading, so the page reads the key box each way before the doctor knows the scheme. */
export const KEY_READINGS = Object.keys(EVERY_READING) as KeyReading[];

/** Page → worker: a job, with the trusted keys (public keys, pasted secrets) for every reading. */
export interface DoctorJob {
  id: number;
  text: string;
  nowMs: number;
  keys: Record<KeyReading, KeysAnswer>;
}

/** Worker → page: the job's one answer, and the reading its scheme used (none when no key was needed). */
export interface DoctorReply {
  id: number;
  result: RequestExamination | null;
  reading?: KeyReading;
}

/** The examination that says a job failed (never a blank verdict). */
export function couldNotExamine(e: unknown): RequestExamination {
  const why = e instanceof Error ? e.name : 'error';
  return { kind: 'error', code: 'ERR_REQUEST_PARSE', parts: [`Could not examine the request: ${why}.`] };
}

/**
 * Run a job with `examine` (the doctor, which the caller loads: the worker at once, the page only
 * when no worker runs): its one reply, never a throw.
 */
export async function runJob(job: DoctorJob, examine: typeof examineRequest): Promise<DoctorReply> {
  let reading: KeyReading | undefined;
  try {
    const result = await examine(job.text, async (_, alg) => job.keys[(reading = alg ?? 'any')], job.nowMs);
    return { id: job.id, result, ...(reading && { reading }) };
  } catch (e) {
    return { id: job.id, result: couldNotExamine(e) };
  }
}

/** The two ends of a message channel, as a worker and its global scope both offer them. */
export interface Port<In, Out> {
  postMessage(message: Out): void;
  onmessage: ((event: { data: In }) => void) | null;
}
