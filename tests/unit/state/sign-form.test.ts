/**
 * The Sign view's generic per-scheme form state: defaults (functions of now), `when`,
 * `fixed`, and `remember` — which never writes a key field or a secret to localStorage.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineForm, type FormValues, type SignerKey } from '../../../src/lib/scheme/contract';

class MemoryStorage {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, String(v));
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

const signed: FormValues[] = [];
const form = defineForm({
  id: 'demo',
  keyTypes: ['RSA', 'secret'],
  fields: [
    { name: 'method', label: 'Method', kind: 'choice', default: 'GET', options: ['GET', 'POST'], help: 'h' },
    { name: 'url', label: 'URL', kind: 'text', default: 'https://a.example/', help: 'h', remember: true },
    {
      name: 'body',
      label: 'Body',
      kind: 'textarea',
      default: '{}',
      help: 'h',
      when: (v) => v['method'] !== 'GET',
    },
    {
      name: 'ts',
      label: 'Timestamp',
      kind: 'text',
      default: (now) => String(Math.floor(now / 1000)),
      help: 'h',
    },
    // A form that (wrongly) asks to remember its key or secret: the state refuses to store it.
    { name: 'key', label: 'Key pair', kind: 'key', default: '', help: 'h', remember: true },
    { name: 'tags', label: 'Tags', kind: 'multi', default: ['a'], help: 'h', remember: true },
  ],
  async sign(values) {
    signed.push(values);
    if (values['url'] === 'bad') throw new Error('The URL is bad.');
    return {
      headers: [['X', '1']],
      base: [],
      request: { method: 'GET', url: 'u', headers: [], body: '' },
      curl: 'c',
    };
  },
});
const SECRET: SignerKey = { kind: 'secret', label: 's', secret: new Uint8Array([1, 2, 3]) };

describe('SchemeFormState', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    vi.stubGlobal('localStorage', storage);
    vi.resetModules();
    signed.length = 0;
  });
  afterEach(() => vi.unstubAllGlobals());
  const load = () => import('../../../src/state/sign-form.svelte');

  it('starts from the defaults, a time default computed from now', async () => {
    const { SchemeFormState } = await load();
    const s = new SchemeFormState(form, 1_700_000_000_999);
    expect(s.values).toEqual({
      method: 'GET',
      url: 'https://a.example/',
      body: '{}',
      ts: '1700000000',
      key: '',
      tags: ['a'],
    });
    s.reset('ts', 1_800_000_000_000);
    expect(s.values['ts']).toBe('1800000000');
  });

  it('shows a field only when its `when` holds; a fixed value hides its field', async () => {
    const { SchemeFormState, visibleFields, initialValues } = await load();
    const s = new SchemeFormState(form, 0);
    expect(s.visible.map((f) => f.name)).not.toContain('body');
    s.set('method', 'POST');
    expect(s.visible.map((f) => f.name)).toContain('body');
    const fixed = { ...form, fixed: { method: 'POST' } };
    expect(initialValues(fixed, 0)['method']).toBe('POST');
    expect(visibleFields(fixed, initialValues(fixed, 0)).map((f) => f.name)).not.toContain('method');
  });

  it('remembers a `remember` field across instances, never a key field', async () => {
    const { SchemeFormState, rememberKey } = await load();
    const s = new SchemeFormState(form, 0);
    s.set('url', 'https://b.example/x');
    s.set('tags', ['x', 'y']);
    s.set('key', 'secret');
    s.set('method', 'POST');
    expect([...storage.m.keys()].sort()).toEqual([rememberKey('demo', 'tags'), rememberKey('demo', 'url')]);
    const again = new SchemeFormState(form, 0);
    expect(again.values['url']).toBe('https://b.example/x');
    expect(again.values['tags']).toEqual(['x', 'y']);
    expect(again.values['key']).toBe('');
    expect(again.values['method']).toBe('GET');
  });

  it('a stored key value written by hand is not read back either', async () => {
    const { SchemeFormState, rememberKey } = await load();
    storage.setItem(rememberKey('demo', 'key'), JSON.stringify('stolen'));
    expect(new SchemeFormState(form, 0).values['key']).toBe('');
  });

  it('sign: no key is an error, a refusal is its message, an output is kept; values are plain', async () => {
    const { SchemeFormState } = await load();
    const s = new SchemeFormState(form, 0);
    await s.sign(null, 'Generate a key first.');
    expect(s.error).toBe('Generate a key first.');
    expect(signed).toEqual([]);
    s.set('url', 'bad');
    await s.sign(SECRET, 'x');
    expect(s.error).toBe('The URL is bad.');
    expect(s.output).toBeNull();
    s.set('url', 'https://ok.example/');
    await s.sign(SECRET, 'x');
    expect(s.error).toBe('');
    expect(s.busy).toBe(false);
    expect(s.output?.headers).toEqual([['X', '1']]);
    expect(Array.isArray(signed.at(-1)!['tags'])).toBe(true);
    expect(structuredClone(signed.at(-1))).toEqual(signed.at(-1));
  });
});
