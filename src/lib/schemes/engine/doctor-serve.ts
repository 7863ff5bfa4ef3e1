/**
 * The worker's side of the request doctor: examine each request the page sends, asking the page
 * for the trusted keys of the scheme found (the page owns the key box, the keyring and key roles).
 */
import type { KeyAlgHint } from './types';
import { examineRequest } from './doctor';
import type { FromDoctor, KeysAnswer, Port, ToDoctor } from './doctor-protocol';
import type { SchemeId } from './types';

/** Answer the page's `examine` messages on `port`, one job at a time per id. */
export function serveDoctor(port: Port<ToDoctor, FromDoctor>): void {
  const waiting = new Map<string, (keys: KeysAnswer) => void>();
  port.onmessage = ({ data }) => {
    if (data.type === 'keys') {
      const key = `${data.id} ${data.scheme}`;
      waiting.get(key)?.(data.keys);
      waiting.delete(key);
      return;
    }
    const { id, text, nowMs } = data;
    const keysFor = (scheme: SchemeId, alg: KeyAlgHint | undefined) =>
      new Promise<KeysAnswer>((resolve) => {
        waiting.set(`${id} ${scheme}`, resolve);
        port.postMessage({ type: 'keys', id, scheme, alg });
      });
    const fail = (e: unknown) =>
      port.postMessage({ type: 'failed', id, message: e instanceof Error ? e.name : 'error' });
    examineRequest(text, keysFor, nowMs).then((result) => {
      try {
        port.postMessage({ type: 'done', id, result });
      } catch (e) {
        fail(e); // a value that cannot be cloned: say so rather than leave the page waiting
      }
    }, fail);
  };
}
