/**
 * The request doctor off the main thread, in Node: the page's client and the worker's side talk
 * over a real MessageChannel (structured clone, as between a page and a worker). A job is one
 * message with its keys and one answer; an aborted job is dropped (and stopped with its worker
 * once it has run a while); where no worker can start the doctor runs on the page with a note,
 * never a blank verdict.
 */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPublicKey } from '../../../src/lib/keys/parse';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import type { KeysAnswer } from '../../../src/lib/scheme/doctor';
import {
  KEY_READINGS,
  type DoctorJob,
  type DoctorReply,
  type KeyReading,
  type Port,
} from '../../../src/lib/scheme/doctor-protocol';
import { serveDoctor } from '../../../src/lib/scheme/doctor-serve';
import { DoctorClient, MAIN_THREAD_NOTE, type WorkerLike } from '../../../src/state/doctor-client';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
const API_KEY = Buffer.from(JSON.stringify({ key_id: 'k', key: 's' })).toString('base64url');

function qredoCurl(body: string, ts = String(Math.floor(Date.now() / 1000))): string {
  const sig = nodeSign('sha256', Buffer.from(`${ts}${URL_}${body}`), privateKey).toString('base64url');
  return `curl -X POST '${URL_}' -H 'x-api-key: ${API_KEY}' -H 'x-timestamp: ${ts}' -H 'x-sign: ${sig}' --data-raw '${body}'`;
}

async function trusted(): Promise<VerificationKey[]> {
  const p = (await parseKeyText(
    String(publicKey.export({ type: 'spki', format: 'pem' })),
  )) as ParsedPublicKey;
  return [
    { kind: 'public', label: 'Qredo key', origin: 'stored', owner: 'mine', spki: p.spki, type: p.type },
  ];
}

/** A "worker" whose other end is served by `serveDoctor` over a MessageChannel. */
function channelWorker(log: string[]): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  serveDoctor(port2 as unknown as Port<DoctorJob, DoctorReply>);
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (m) => {
      log.push(`→ ${m.id}`);
      port1.postMessage(m);
    },
    terminate: () => {
      log.push('terminate');
      port1.close();
      port2.close();
    },
  };
  port1.on('message', (data: DoctorReply) => {
    log.push(`← ${data.id}`);
    worker.onmessage?.({ data });
  });
  return worker;
}

/** A job whose key box reads `keys` every way, or `byReading` where given. */
function job(text: string, keys: KeysAnswer, byReading: Partial<Record<KeyReading, KeysAnswer>> = {}) {
  const all = Object.fromEntries(KEY_READINGS.map((r) => [r, byReading[r] ?? keys]));
  return { text, nowMs: Date.now(), keys: all as Record<KeyReading, KeysAnswer> };
}

describe('the doctor client', () => {
  it('one message with the keys, one answer: the worker never asks the page, and the signature verifies', async () => {
    const log: string[] = [];
    const client = new DoctorClient(() => channelWorker(log));
    const keys = await trusted();
    // Only the reading Qredo's scheme asks for (RS256) holds the key: the worker picked that one.
    const answer = await client.examine(job(qredoCurl('{"a":1}'), [], { RS256: keys }));
    expect(answer.note).toBeUndefined();
    expect(answer.reading).toBe('RS256');
    expect(answer.result?.kind === 'verdict' && answer.result.verdict.state).toBe('verified');
    expect(log).toEqual(['→ 1', '← 1']);
  });

  it('a job aborted after running a while: its worker is stopped, only the new answer counts', async () => {
    const log: string[] = [];
    let made = 0;
    const client = new DoctorClient(() => (made++, channelWorker(log)), 0);
    const keys = await trusted();
    const old = new AbortController();
    const first = client.examine(job(qredoCurl('{"old":1}'), keys), old.signal);
    old.abort();
    const second = client.examine(job(qredoCurl('{"new":2}'), keys));
    expect(await first).toEqual({ result: null, superseded: true });
    const s = await second;
    expect(s.result?.kind === 'verdict' && s.result.request.body).toBe('{"new":2}');
    expect(made).toBe(2);
    expect(log.slice(0, 3)).toEqual(['→ 1', 'terminate', '→ 2']);
    // Nothing about job 1 ever reached the client after it was aborted.
    expect(log.filter((l) => l === '← 1')).toEqual([]);
  });

  it('a worker stopped for an aborted job hands the jobs still running on it to a new worker', async () => {
    const log: string[] = [];
    let made = 0;
    const client = new DoctorClient(() => (made++, channelWorker(log)), 0);
    const keys = await trusted();
    const old = new AbortController();
    const first = client.examine(job(qredoCurl('{"old":1}'), keys), old.signal);
    const second = client.examine(job(qredoCurl('{"other":2}'), keys));
    old.abort();
    expect(await first).toEqual({ result: null, superseded: true });
    const s = await second;
    expect(s.result?.kind === 'verdict' && s.result.verdict.state).toBe('verified');
    expect(made).toBe(2);
    expect(log.slice(0, 4)).toEqual(['→ 1', '→ 2', 'terminate', '→ 2']);
  });

  it('a job aborted at once: the same worker goes on, the old answer is dropped', async () => {
    const log: string[] = [];
    let made = 0;
    const client = new DoctorClient(() => (made++, channelWorker(log)), 60_000);
    const keys = await trusted();
    const old = new AbortController();
    const first = client.examine(job(qredoCurl('{"old":1}'), keys), old.signal);
    old.abort();
    const s = await client.examine(job(qredoCurl('{"new":2}'), keys));
    expect(await first).toEqual({ result: null, superseded: true });
    expect(s.result?.kind === 'verdict' && s.result.request.body).toBe('{"new":2}');
    expect(s.result?.kind === 'verdict' && s.result.verdict.state).toBe('verified');
    expect(made).toBe(1);
    expect(log).not.toContain('terminate');
  });

  it('a signal aborted before the job starts: nothing is sent', async () => {
    const log: string[] = [];
    const client = new DoctorClient(() => channelWorker(log));
    const answer = await client.examine(job(qredoCurl('{"a":1}'), []), AbortSignal.abort());
    expect(answer).toEqual({ result: null, superseded: true });
    expect(log).toEqual([]);
  });

  it('an answer about another job is dropped', async () => {
    let worker!: WorkerLike;
    const client = new DoctorClient(() => {
      worker = {
        onmessage: null,
        onerror: null,
        postMessage: () => {},
        terminate: () => {},
      };
      return worker;
    });
    const pending = client.examine(job('curl https://x.example', []));
    let settled = false;
    void pending.then(() => (settled = true));
    worker.onmessage?.({ data: { id: 99, result: null } });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    worker.onmessage?.({
      data: { id: 1, result: { kind: 'error', code: 'ERR_REQUEST_PARSE', parts: ['x'] } },
    });
    expect((await pending).result).toEqual({ kind: 'error', code: 'ERR_REQUEST_PARSE', parts: ['x'] });
  });

  it('no worker can be made: the doctor runs on the page, with a note, and still gives the verdict', async () => {
    const keys = await trusted();
    for (const start of [
      () => null,
      () => {
        throw new TypeError('refused');
      },
    ]) {
      const client = new DoctorClient(start);
      const answer = await client.examine(job(qredoCurl('{"a":1}'), [], { RS256: keys }));
      expect(answer.note).toBe(MAIN_THREAD_NOTE);
      expect(answer.reading).toBe('RS256');
      expect(answer.result?.kind === 'verdict' && answer.result.verdict.state).toBe('verified');
    }
  });

  it('the worker fails to load: the running job and later ones run on the page, with the note', async () => {
    let made = 0;
    let worker!: WorkerLike;
    const client = new DoctorClient(() => {
      made++;
      worker = { onmessage: null, onerror: null, postMessage: () => {}, terminate: () => {} };
      return worker;
    });
    const keys = await trusted();
    const pending = client.examine(job(qredoCurl('{"a":1}'), keys));
    worker.onerror?.(new Event('error'));
    const answer = await pending;
    expect(answer.note).toBe(MAIN_THREAD_NOTE);
    expect(answer.result?.kind === 'verdict' && answer.result.verdict.state).toBe('verified');
    const next = await client.examine(job(qredoCurl('{"b":2}'), keys));
    expect(next.note).toBe(MAIN_THREAD_NOTE);
    expect(made).toBe(1);
  });
});
