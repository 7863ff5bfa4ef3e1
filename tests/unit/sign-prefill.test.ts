/**
 * "Sign it correctly" (issue 17 §5): the Sign view is filled from a pasted request without losing
 * what the user keeps (the remembered Qredo API key) and without splitting a Binance value.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParsedRequest } from '../../src/lib/request/types';

class MemoryStorage {
  #m = new Map<string, string>();
  getItem(k: string) {
    return this.#m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.#m.set(k, String(v));
  }
  removeItem(k: string) {
    this.#m.delete(k);
  }
}

const REMEMBERED = 'eyJrZXlfaWQiOiJtaW5lIiwia2V5IjoibXkta2V5In0';
const PASTED = 'eyJrZXlfaWQiOiJ0aGVpcnMiLCJrZXkiOiJ0aGVpci1rZXkifQ';

describe('prefillFromRequest', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    storage.setItem('keybench.qredo.apiKey', REMEMBERED);
    vi.stubGlobal('localStorage', storage);
    vi.resetModules();
  });
  afterEach(() => vi.unstubAllGlobals());

  // The forms' state lives per scheme (issue 19): the Qredo and Binance values are their forms' values,
  // the Qredo API key's "Remember" choice the Qredo memory's.
  const load = async () => {
    const { SignForms } = await import('../../src/state/sign.svelte');
    const { signStates } = await import('../../src/state/sign-form.svelte');
    const memory = (await import('../../src/state/sign-qredo.svelte')).qredoApiKey;
    const qredo = (await import('../../src/lib/schemes/qredo/form')).default;
    const scheme = (await import('../../src/lib/schemes/binance/scheme')).default;
    const binance = (await import('../../src/lib/scheme/sign')).toForm(scheme);
    const stored = (await import('../../src/state/sign-qredo.svelte')).storedQredoApiKey;
    const f = new SignForms();
    return {
      prefillFromRequest: f.prefillFromRequest.bind(f),
      /** "Sign it correctly" for a declarative scheme: the values it reads back from the request. */
      prefillBinance(request: ParsedRequest) {
        const read = scheme.read(request);
        if ('parts' in read) f.prefillValues('binance', scheme.signer.values!(read.parts, request));
      },
      get qredoApiKey() {
        return signStates.valueOf('qredo', 'apiKey') ?? stored();
      },
      get qredoRemember() {
        return memory.remember;
      },
      get qredoKeyNote() {
        return memory.note;
      },
      rememberQredoKey: (on: boolean) => memory.set(on, String(signStates.of(qredo).values['apiKey'])),
      get binanceQuery() {
        return signStates.of(binance).values['query'];
      },
      get binanceBody() {
        return signStates.of(binance).values['body'];
      },
      get binanceEncoded() {
        return signStates.of(binance).values['encoded'];
      },
    };
  };

  it('a Qredo request with another API key never overwrites the remembered one unasked', async () => {
    const f = await load();
    expect(f.qredoApiKey).toBe(REMEMBERED);
    expect(f.qredoRemember).toBe(true);
    f.prefillFromRequest('qredo', {
      method: 'GET',
      url: 'https://play-api.qredo.network/api/v1/p/company',
      body: '',
      apiKey: PASTED,
    });
    expect(f.qredoApiKey).toBe(PASTED);
    expect(f.qredoRemember).toBe(false);
    expect(f.qredoKeyNote).toMatch(/your remembered key stays remembered/);
    expect(storage.getItem('keybench.qredo.apiKey')).toBe(REMEMBERED);
    // Asked: ticking "Remember" replaces it.
    f.rememberQredoKey(true);
    expect(storage.getItem('keybench.qredo.apiKey')).toBe(PASTED);
    expect(f.qredoKeyNote).toBe('');
  });

  it('the same API key as the remembered one keeps "Remember" ticked', async () => {
    const f = await load();
    f.prefillFromRequest('qredo', {
      method: 'GET',
      url: 'https://x.example/p',
      body: '',
      apiKey: REMEMBERED,
    });
    expect(f.qredoRemember).toBe(true);
    expect(f.qredoKeyNote).toBe('');
  });

  it('a Binance value holding %0A stays one parameter, the boxes marked percent-encoded', async () => {
    const f = await load();
    f.prefillBinance({
      source: 'curl',
      method: 'POST',
      url: 'https://api.binance.com/api/v3/order?symbol=BTCUSDT',
      headers: [['X-MBX-APIKEY', 'k']],
      body: 'side=BUY&newClientOrderId=a%0Ab&timestamp=1&signature=x',
      notes: [],
    });
    expect(f.binanceQuery).toBe('symbol=BTCUSDT');
    expect(f.binanceBody).toBe('side=BUY\nnewClientOrderId=a%0Ab');
    expect(f.binanceEncoded).toBe(true);
  });
});

describe('prefillValues (a declarative scheme: QI Tech)', () => {
  beforeEach(() => {
    const storage = new MemoryStorage();
    storage.setItem('keybench.qitech.apiKey', 'remembered-uuid');
    vi.stubGlobal('localStorage', storage);
    vi.resetModules();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('opens the QI Tech tab on the variant, with its values; the remembered API key stays unless asked', async () => {
    const { SignForms } = await import('../../src/state/sign.svelte');
    const { signStates } = await import('../../src/state/sign-form.svelte');
    const memory = (await import('../../src/state/sign-qredo.svelte')).qitechApiKey;
    const f = new SignForms();
    expect(memory.remember).toBe(true);
    f.prefillValues('qit-v1', { method: 'POST', endpoint: '/test', apiKey: 'pasted-uuid', date: '' });
    expect(f.tab).toBe('qitech');
    expect(signStates.chosen['qitech']).toBe('qit-v1');
    expect(signStates.valueOf('qit-v1', 'apiKey')).toBe('pasted-uuid');
    expect(memory.remember).toBe(false);
    expect(memory.stored).toBe('remembered-uuid');
  });
});
