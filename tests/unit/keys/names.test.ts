import { describe, expect, it } from 'vitest';
import { distinctKeyNames } from '../../../src/lib/keys/names';
import { spkiFingerprint } from '../../../src/lib/keys/export';

/** A real key's SPKI fingerprint (the card's "SHA-256 fingerprint", hex with colons). */
async function fingerprintOfNewKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return spkiFingerprint(spki);
}

describe('distinctKeyNames', () => {
  it('keeps a label no other key has as it is', () => {
    expect(distinctKeyNames([{ id: 'a', label: 'Qredo 2026-12-07', fingerprint: 'ab:cd:ef:01' }])).toEqual({
      a: 'Qredo 2026-12-07',
    });
  });

  it('adds the first 6 hex digits of the fingerprint to labels two keys share', async () => {
    const [fa, fb] = [await fingerprintOfNewKey(), await fingerprintOfNewKey()];
    const names = distinctKeyNames([
      { id: 'a', label: 'Qredo 2026-12-07', fingerprint: fa },
      { id: 'b', label: 'Qredo 2026-12-07', fingerprint: fb },
      { id: 'c', label: 'Binance 2026-12-07', fingerprint: fa },
    ]);
    const short = (f: string) => f.replace(/:/g, '').slice(0, 6).toLowerCase();
    expect(names).toEqual({
      a: `Qredo 2026-12-07 · ${short(fa)}`,
      b: `Qredo 2026-12-07 · ${short(fb)}`,
      c: 'Binance 2026-12-07',
    });
  });

  it('counts in list order when fingerprints are unknown or the same', () => {
    expect(
      distinctKeyNames([
        { id: 'a', label: 'K' },
        { id: 'b', label: 'K', fingerprint: 'aa:bb:cc:dd' },
      ]),
    ).toEqual({ a: 'K (1)', b: 'K (2)' });
    expect(
      distinctKeyNames([
        { id: 'a', label: 'K', fingerprint: 'aa:bb:cc:dd' },
        { id: 'b', label: 'K', fingerprint: 'aa:bb:cc:dd' },
      ]),
    ).toEqual({ a: 'K (1)', b: 'K (2)' });
  });

  it('never gives a name another key already has as its label', () => {
    const names = distinctKeyNames([
      { id: 'a', label: 'K' },
      { id: 'b', label: 'K' },
      { id: 'c', label: 'K (1)' },
    ]);
    expect(new Set(Object.values(names)).size).toBe(3);
    expect(names['c']).toBe('K (1)');
  });

  it('every name is unique and contains its label, for any list', () => {
    const labels = ['A', 'A', 'A (2)', 'B', 'A', 'A (3)', 'B'];
    const keys = labels.map((label, i) => ({ id: String(i), label }));
    const names = distinctKeyNames(keys);
    expect(new Set(Object.values(names)).size).toBe(keys.length);
    for (const k of keys) expect(names[k.id]).toContain(k.label);
  });
});
