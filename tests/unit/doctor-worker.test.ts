/**
 * The request doctor off the main thread (issue 17 §4), in Node: the page's client and the
 * worker's side talk over a real MessageChannel (structured clone, as between a page and a
 * worker). A new job supersedes and stops an older one, answers about an older job are dropped,
 * and where no worker can start the doctor runs on the page with a note, never a blank verdict.
 */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { parseKeyText, type ParsedPublicKey } from '../../src/lib/keys/parse';
import type { VerificationKey } from '../../src/lib/jwt/verify';
import type { FromDoctor, Port, ToDoctor } from '../../src/lib/schemes/engine/doctor-protocol';
import { serveDoctor } from '../../src/lib/schemes/engine/doctor-serve';
import { DoctorClient, MAIN_THREAD_NOTE, type WorkerLike } from '../../src/state/doctor-client';

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
  serveDoctor(port2 as unknown as Port<ToDoctor, FromDoctor>);
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (m) => {
      log.push(`→ ${m.type} ${m.id}`);
      port1.postMessage(m);
    },
    terminate: () => {
      log.push('terminate');
      port1.close();
      port2.close();
    },
  };
  port1.on('message', (data: FromDoctor) => {
    log.push(`← ${data.type} ${data.id}`);
    worker.onmessage?.({ data });
  });
  return worker;
}

describe('the doctor client', () => {
  it('examines in the worker, answering its request for keys: the signature verifies', async () => {
    const log: string[] = [];
    const client = new DoctorClient(() => channelWorker(log));
    const keys = await trusted();
    const asked: string[] = [];
    const answer = await client.examine(
      qredoCurl('{"a":1}'),
      async (scheme, alg) => {
        asked.push(`${scheme} ${alg}`);
        return keys;
      },
      Date.now(),
    );
    expect(answer.note).toBeUndefined();
    expect(answer.result?.kind === 'verdict' && answer.result.verdict.state).toBe('verified');
    expect(asked).toEqual(['qredo RS256']);
    expect(log).toEqual(['→ examine 1', '← keys 1', '→ keys 1', '← done 1']);
  });

  it('a new paste supersedes a job running for a while: the old worker is stopped, only the new answer counts', async () => {
    const log: string[] = [];
    let made = 0;
    const client = new DoctorClient(() => (made++, channelWorker(log)), 0);
    const keys = await trusted();
    const first = client.examine(qredoCurl('{"old":1}'), async () => keys, Date.now());
    const second = client.examine(qredoCurl('{"new":2}'), async () => keys, Date.now());
    expect(await first).toEqual({ result: null, superseded: true });
    const s = await second;
    expect(s.result?.kind === 'verdict' && s.result.request.body).toBe('{"new":2}');
    expect(made).toBe(2);
    expect(log.slice(0, 3)).toEqual(['→ examine 1', 'terminate', '→ examine 2']);
    // Nothing about job 1 ever reached the client after it was superseded.
    expect(log.filter((l) => l.startsWith('←') && l.endsWith(' 1'))).toEqual([]);
  });

  it('a new paste right after another: the same worker goes on, the older job ends at once and its answer is dropped', async () => {
    const log: string[] = [];
    let made = 0;
    const client = new DoctorClient(() => (made++, channelWorker(log)), 60_000);
    const keys = await trusted();
    const asked: string[] = [];
    const first = client.examine(qredoCurl('{"old":1}'), async () => (asked.push('old'), keys), Date.now());
    const second = client.examine(qredoCurl('{"new":2}'), async () => (asked.push('new'), keys), Date.now());
    expect(await first).toEqual({ result: null, superseded: true });
    const s = await second;
    expect(s.result?.kind === 'verdict' && s.result.request.body).toBe('{"new":2}');
    expect(s.result?.kind === 'verdict' && s.result.verdict.state).toBe('verified');
    expect(made).toBe(1);
    expect(asked).toEqual(['new']); // the old job's question was answered "superseded", not with keys
    expect(log).not.toContain('terminate');
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
    const job = client.examine('curl https://x.example', async () => [], 0);
    let settled = false;
    void job.then(() => (settled = true));
    worker.onmessage?.({ data: { type: 'done', id: 99, result: null } });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    worker.onmessage?.({
      data: { type: 'done', id: 1, result: { kind: 'error', code: 'ERR_REQUEST_PARSE', parts: ['x'] } },
    });
    expect((await job).result).toEqual({ kind: 'error', code: 'ERR_REQUEST_PARSE', parts: ['x'] });
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
      const answer = await client.examine(qredoCurl('{"a":1}'), async () => keys, Date.now());
      expect(answer.note).toBe(MAIN_THREAD_NOTE);
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
    const job = client.examine(qredoCurl('{"a":1}'), async () => keys, Date.now());
    worker.onerror?.(new Event('error'));
    const answer = await job;
    expect(answer.note).toBe(MAIN_THREAD_NOTE);
    expect(answer.result?.kind === 'verdict' && answer.result.verdict.state).toBe('verified');
    const next = await client.examine(qredoCurl('{"b":2}'), async () => keys, Date.now());
    expect(next.note).toBe(MAIN_THREAD_NOTE);
    expect(made).toBe(1);
  });
});
