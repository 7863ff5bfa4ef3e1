/**
 * The page's side of the request doctor (issue 17 §4): the doctor runs in a module worker, so a
 * 7 MB body re-serialised and hashed a dozen ways never freezes the page. Each job has an id; a
 * new job terminates a worker still busy with an older one (its answer could only be stale), and
 * answers about any other job are dropped. Where no worker can be started (or it fails to load),
 * the doctor runs on the page itself, with a note saying so: never a blank verdict.
 */
import type { KeyAlgHint } from '../lib/schemes/engine/types';
import type { RequestExamination } from '../lib/schemes/engine/doctor';
import type { FromDoctor, KeysAnswer, Port, ToDoctor } from '../lib/schemes/engine/doctor-protocol';
import type { SchemeId } from '../lib/schemes/engine/types';
import { doctorWorkerUrl, serviceWorkerPolicy } from './sw-policy';

/** A worker, as far as the client uses one. */
export interface WorkerLike extends Port<FromDoctor, ToDoctor> {
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
}

/** The trusted keys for a scheme, read for the given algorithm. */
export type KeysFor = (scheme: SchemeId, alg: KeyAlgHint | undefined) => Promise<KeysAnswer>;

/** What a job gave: the examination, a note when it ran on the page, or `superseded` by a newer job. */
export interface DoctorAnswer {
  result: RequestExamination | null;
  note?: string;
  superseded?: boolean;
}

/** Said beside the verdict when the doctor ran on the page. */
export const MAIN_THREAD_NOTE =
  'This browser could not start the request doctor in a worker, so it ran on the page itself: the page may pause while a large request is examined.';

/**
 * A superseded job that has run this long is stopped with its worker (a 7 MB search could take
 * seconds); a younger one is left to finish and its answer dropped, since starting a new worker
 * (loading the doctor again) costs more than a small job.
 */
export const TERMINATE_AFTER_MS = 250;

/** The answer given to a superseded job's request for keys: it ends at once. */
const STALE: KeysAnswer = { code: 'ERR_REQUEST_PARSE', parts: ['Superseded by a newer paste.'] };

interface Job {
  id: number;
  started: number;
  keysFor: KeysFor;
  text: string;
  nowMs: number;
  resolve: (a: DoctorAnswer) => void;
}

/** Examines requests in a worker made by `start` (null or a throw: none can be made). */
export class DoctorClient {
  #start: () => WorkerLike | null;
  #worker: WorkerLike | null = null;
  #job: Job | null = null;
  #ids = 0;
  /** Once a worker could not be made or failed to load, the page does the work. */
  #broken = false;

  #terminateAfterMs: number;

  constructor(start: () => WorkerLike | null, terminateAfterMs = TERMINATE_AFTER_MS) {
    this.#start = start;
    this.#terminateAfterMs = terminateAfterMs;
  }

  /** Examine `text`; supersedes (and stops) any job still running. */
  examine(text: string, keysFor: KeysFor, nowMs: number): Promise<DoctorAnswer> {
    this.#supersede();
    return new Promise<DoctorAnswer>((resolve) => {
      const job: Job = { id: ++this.#ids, started: performance.now(), keysFor, text, nowMs, resolve };
      this.#job = job;
      const worker = this.#workerOrNull();
      if (!worker) {
        this.#job = null;
        void onMainThread(job).then(resolve);
        return;
      }
      worker.postMessage({ type: 'examine', id: job.id, text, nowMs });
    });
  }

  #supersede(): void {
    const old = this.#job;
    if (!old) return;
    this.#job = null;
    if (performance.now() - old.started >= this.#terminateAfterMs) {
      // The worker has long been busy with a job whose answer could only be stale: stop it.
      this.#worker?.terminate();
      this.#worker = null;
    }
    old.resolve({ result: null, superseded: true });
  }

  #workerOrNull(): WorkerLike | null {
    if (this.#worker || this.#broken) return this.#worker;
    let worker: WorkerLike | null = null;
    try {
      worker = this.#start();
    } catch {
      worker = null;
    }
    if (!worker) {
      this.#broken = true;
      return null;
    }
    worker.onmessage = ({ data }) => void this.#receive(worker, data);
    worker.onerror = () => {
      // The worker script did not load or crashed: this job and the next run on the page.
      if (this.#worker !== worker) return;
      this.#broken = true;
      this.#worker = null;
      worker.terminate();
      const job = this.#job;
      this.#job = null;
      if (job) void onMainThread(job).then(job.resolve);
    };
    this.#worker = worker;
    return worker;
  }

  async #receive(worker: WorkerLike, data: FromDoctor): Promise<void> {
    const job = this.#job;
    if (worker !== this.#worker) return; // a stopped worker
    if (!job || data.id !== job.id) {
      // About an older job: dropped. Its question for keys gets an answer that ends it at once.
      if (data.type === 'keys')
        worker.postMessage({ type: 'keys', id: data.id, scheme: data.scheme, keys: STALE });
      return;
    }
    if (data.type === 'keys') {
      const keys = await job.keysFor(data.scheme, data.alg);
      if (this.#job === job) worker.postMessage({ type: 'keys', id: job.id, scheme: data.scheme, keys });
      return;
    }
    this.#job = null;
    job.resolve(
      data.type === 'done'
        ? { result: data.result }
        : {
            result: {
              kind: 'error',
              code: 'ERR_REQUEST_PARSE',
              parts: [`Could not examine the request: ${data.message}.`],
            },
          },
    );
  }
}

/** The doctor on the page itself (loaded on first use). */
async function onMainThread(job: Job): Promise<DoctorAnswer> {
  try {
    const { examineRequest } = await import('../lib/schemes/engine/doctor');
    const result = await examineRequest(job.text, job.keysFor, job.nowMs);
    return { result, note: MAIN_THREAD_NOTE };
  } catch (e) {
    const message = `Could not examine the request: ${e instanceof Error ? e.name : 'error'}.`;
    return { result: { kind: 'error', code: 'ERR_REQUEST_PARSE', parts: [message] }, note: MAIN_THREAD_NOTE };
  }
}

/** A module worker for the doctor, its URL vouched for by keybench's Trusted Types policy. */
function startWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined' || !serviceWorkerPolicy) return null;
  const url = serviceWorkerPolicy.createScriptURL(doctorWorkerUrl()) as string | URL;
  return new Worker(url, { type: 'module', name: 'keybench-doctor' }) as unknown as WorkerLike;
}

/** The page's one doctor client. */
export const doctorClient = new DoctorClient(startWorker);
