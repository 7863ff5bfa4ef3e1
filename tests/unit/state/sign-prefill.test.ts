/**
 * "Sign it correctly": the Sign view is filled from a pasted request without losing
 * what the user keeps (the remembered Qredo API key) and without splitting a Binance value.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParsedRequest } from '../../../src/lib/request/types';

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

describe('Sign it correctly: the form filled from a pasted request', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    storage.setItem('keybench.sign.qredo.apiKey', JSON.stringify(REMEMBERED));
    vi.stubGlobal('localStorage', storage);
    vi.resetModules();
  });
  afterEach(() => vi.unstubAllGlobals());

  // The forms' state lives per scheme: the Qredo and Binance values are their forms' values;
  // Qredo's API key is a remembered field of its form.
  const load = async () => {
    const { SignForms } = await import('../../../src/state/sign.svelte');
    const { signStates, rememberKey } = await import('../../../src/state/sign-form.svelte');
    const { loadForm } = await import('../../../src/lib/scheme/registry');
    const qredo = (await loadForm('qredo'))!;
    const scheme = (await import('../../../src/lib/schemes/binance/scheme')).default;
    const binance = (await import('../../../src/lib/scheme/sign')).toForm(scheme);
    const f = new SignForms();
    return {
      prefillValues: f.prefillValues.bind(f),
      /** "Sign it correctly" for a declarative scheme: the values it reads back from the request. */
      prefillBinance(request: ParsedRequest) {
        const read = scheme.read(request);
        if ('parts' in read) f.prefillValues('binance', scheme.signer.values!(read.parts, request));
      },
      get qredoApiKey() {
        return signStates.of(qredo).values['apiKey'];
      },
      get qredoStored() {
        return storage.getItem(rememberKey('qredo', 'apiKey'));
      },
      typeQredoKey: (v: string) => signStates.of(qredo).set('apiKey', v),
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
    f.prefillValues('qredo', {
      method: 'GET',
      url: 'https://play-api.qredo.network/api/v1/p/company',
      body: '',
      apiKey: PASTED,
    });
    expect(f.qredoApiKey).toBe(PASTED);
    expect(f.qredoStored).toBe(JSON.stringify(REMEMBERED));
    // Asked: typing the key replaces it.
    f.typeQredoKey(PASTED);
    expect(f.qredoStored).toBe(JSON.stringify(PASTED));
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
    const { SignForms } = await import('../../../src/state/sign.svelte');
    const { signStates } = await import('../../../src/state/sign-form.svelte');
    const memory = (await import('../../../src/state/api-key-memory.svelte')).qitechApiKey;
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
