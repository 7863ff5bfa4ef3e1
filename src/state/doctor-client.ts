/**
 * The page's side of the request doctor: the doctor runs in a module worker, so a 7 MB body
 * re-serialised and hashed a dozen ways never freezes the page. A job is one message carrying all
 * it needs, answered once. An aborted job's answer is dropped; one that has run a while is stopped
 * with its worker. Where no worker can be started (or it fails to load), the doctor runs on the
 * page itself, with a note saying so: never a blank verdict.
 */
import {
  couldNotExamine,
  runJob,
  type DoctorJob,
  type DoctorReply,
  type Port,
} from '../lib/scheme/doctor-protocol';
import { doctorWorkerUrl, serviceWorkerPolicy } from './sw-policy';

/** A worker, as far as the client uses one. */
export interface WorkerLike extends Port<DoctorReply, DoctorJob> {
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
}

/** What a job gave (its reply without the id), a note when it ran on the page, or `superseded` when aborted. */
export type DoctorAnswer = Omit<DoctorReply, 'id'> & { note?: string; superseded?: boolean };

/** Said beside the verdict when the doctor ran on the page. */
export const MAIN_THREAD_NOTE =
  'This browser could not start the request doctor in a worker, so it ran on the page itself: the page may pause while a large request is examined.';

/**
 * An aborted job that has run this long is stopped with its worker (a 7 MB search could take
 * seconds); a younger one is left to finish and its answer dropped, since starting a new worker
 * (loading the doctor again) costs more than a small job.
 */
const TERMINATE_AFTER_MS = 250;

const ABORTED: DoctorAnswer = { result: null, superseded: true };

interface Job {
  message: DoctorJob;
  started: number;
  resolve: (a: DoctorAnswer) => void;
}

const answerOf = ({ result, reading }: DoctorReply): DoctorAnswer =>
  reading ? { result, reading } : { result };

/** Examines requests in a worker made by `start` (null or a throw: none can be made). */
export class DoctorClient {
  #start: () => WorkerLike | null;
  #terminateAfterMs: number;
  #worker: WorkerLike | null = null;
  /** Once a worker could not be made or failed to load, the page does the work. */
  #broken = false;
  #ids = 0;
  /** Jobs in the worker, not yet answered nor aborted, by id: a reply about any other id is dropped. */
  #jobs = new Map<number, Job>();

  constructor(start: () => WorkerLike | null, terminateAfterMs = TERMINATE_AFTER_MS) {
    this.#start = start;
    this.#terminateAfterMs = terminateAfterMs;
  }

  /** Examine `job.text` with `job.keys`; when `signal` aborts, the answer is `superseded`. */
  examine(job: Omit<DoctorJob, 'id'>, signal?: AbortSignal): Promise<DoctorAnswer> {
    return new Promise<DoctorAnswer>((resolve) => {
      if (signal?.aborted) return resolve(ABORTED);
      const j: Job = { message: { ...job, id: ++this.#ids }, started: performance.now(), resolve };
      signal?.addEventListener('abort', () => this.#abort(j), { once: true });
      this.#send(j);
    });
  }

  #send(job: Job): void {
    const worker = this.#workerOrNull();
    if (!worker) return void onMainThread(job.message).then(job.resolve);
    this.#jobs.set(job.message.id, job);
    worker.postMessage(job.message);
  }

  #abort(job: Job): void {
    job.resolve(ABORTED);
    if (!this.#jobs.delete(job.message.id)) return; // answered already, or on the page
    // A worker long busy with a job whose answer could only be stale is stopped.
    if (this.#worker && performance.now() - job.started >= this.#terminateAfterMs) this.#drop(this.#worker);
  }

  /** Stop `worker`; its other jobs go to a new one (or to the page, once workers are `#broken`). */
  #drop(worker: WorkerLike): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    worker.terminate();
    const rest = [...this.#jobs.values()];
    this.#jobs.clear();
    rest.forEach((j) => this.#send(j));
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
    worker.onmessage = ({ data }) => {
      const job = this.#jobs.get(data.id);
      if (worker !== this.#worker || !job) return; // a stopped worker, or an aborted job
      this.#jobs.delete(data.id);
      job.resolve(answerOf(data));
    };
    worker.onerror = () => {
      // The worker script did not load or crashed: its jobs and the next run on the page.
      if (this.#worker !== worker) return;
      this.#broken = true;
      this.#drop(worker);
    };
    return (this.#worker = worker);
  }
}

/** The doctor on the page itself (loaded on first use). */
async function onMainThread(job: DoctorJob): Promise<DoctorAnswer> {
  const reply = await import('../lib/scheme/doctor').then(
    ({ examineRequest }) => runJob(job, examineRequest),
    (e: unknown) => ({ id: job.id, result: couldNotExamine(e) }),
  );
  return { ...answerOf(reply), note: MAIN_THREAD_NOTE };
}

/** A module worker for the doctor, its URL vouched for by keybench's Trusted Types policy. */
function startWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined' || !serviceWorkerPolicy) return null;
  const url = serviceWorkerPolicy.createScriptURL(doctorWorkerUrl()) as string | URL;
  return new Worker(url, { type: 'module', name: 'keybench-doctor' }) as unknown as WorkerLike;
}

/** The page's one doctor client. */
export const doctorClient = new DoctorClient(startWorker);
