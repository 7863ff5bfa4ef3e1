/**
 * The messages between the page and the request doctor's worker (issue 17 §4: the doctor's heavy
 * work, hashing and re-serialising megabytes, runs off the main thread so the page stays
 * responsive). Every value is structured-cloneable: text, numbers, plain objects, Uint8Arrays.
 * Schemes are named by id (their folder), so the protocol knows none of them.
 */
import type { KeyAlgHint } from './types';
import type { KeysAnswer, RequestExamination } from './doctor';
import type { SchemeId } from './types';

export type { KeysAnswer };

/** Page → worker. `id` names the job: answers about another job are dropped. */
export type ToDoctor =
  | { type: 'examine'; id: number; text: string; nowMs: number }
  | { type: 'keys'; id: number; scheme: SchemeId; keys: KeysAnswer };

/** Worker → page. */
export type FromDoctor =
  /** The doctor needs the keys for a scheme (and says which algorithm the key box is read for). */
  | { type: 'keys'; id: number; scheme: SchemeId; alg: KeyAlgHint | undefined }
  | { type: 'done'; id: number; result: RequestExamination | null }
  | { type: 'failed'; id: number; message: string };

/** The two ends of a message channel, as a worker and its global scope both offer them. */
export interface Port<In, Out> {
  postMessage(message: Out): void;
  onmessage: ((event: { data: In }) => void) | null;
}
