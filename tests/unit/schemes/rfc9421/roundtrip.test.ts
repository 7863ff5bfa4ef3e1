/**
 * A request signed in keybench's Sign tab (the RFC 9421 form, its defaults) and pasted back into
 * the doctor with the same stored key: verified, no warning, and one finding per fact about keyid.
 */
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import { examineRequest } from '../../../../src/lib/scheme/doctor';
import { loadForm } from '../../../../src/lib/scheme/registry';
import type { FormValues, SchemeForm, SignerKey } from '../../../../src/lib/scheme/contract';
import { initialValues } from '../../../../src/state/sign-form.svelte';

const NOW = 1_760_000_000_000;

async function signedBack(patch: FormValues, keyid?: string) {
  const f = (await loadForm('rfc9421')) as SchemeForm;
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const key: SignerKey = {
    kind: 'pair',
    label: 'My signing key',
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    spki,
  };
  const values = { ...initialValues(f, NOW), ...patch, ...(keyid !== undefined ? { keyid } : {}) };
  const out = await f.sign(values, key, NOW);
  const stored: VerificationKey = {
    kind: 'public',
    label: 'My signing key',
    origin: 'stored',
    owner: 'mine',
    spki,
    type: keyTypeOf(pair.publicKey),
  };
  const v = await examineRequest(out.curl, async () => [stored], NOW + 2000);
  if (v?.kind !== 'verdict') throw new Error(`no verdict: ${JSON.stringify(v)}`);
  const findings = v.verdict.findings ?? [];
  return { v, findings };
}

describe('signed in the Sign tab, pasted back', () => {
  it('with the defaults: verified, and no warning or error', async () => {
    const { v, findings } = await signedBack({});
    expect(v.verdict.code).toBe('OK');
    expect(findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info').map((f) => f.code)).toEqual(
      [],
    );
  });

  it('with a keyid the server knows the key by: verified, one keyid finding, never a warning', async () => {
    const { v, findings } = await signedBack({}, 'client-key-7');
    expect(v.verdict.code).toBe('OK');
    const keyid = findings.filter((f) => f.check === 'rfc9421.keyid');
    expect(keyid).toHaveLength(1);
    expect(keyid[0]!.severity).toBe('info');
    expect(JSON.stringify(keyid[0]!.parts)).toContain('My signing key');
    expect(findings.filter((f) => f.severity === 'warning' || f.severity === 'error')).toEqual([]);
  });

  it('with keyid the key label: verified, and nothing about keyid', async () => {
    const { v, findings } = await signedBack({}, 'My signing key');
    expect(v.verdict.code).toBe('OK');
    expect(findings.filter((f) => f.check === 'rfc9421.keyid')).toEqual([]);
  });

  it('a GET without a body: verified, and no warning or error', async () => {
    const { v, findings } = await signedBack({
      method: 'GET',
      covered: ['@method', '@authority', '@path', '@query'],
    });
    expect(v.verdict.code).toBe('OK');
    expect(findings.filter((f) => f.severity === 'warning' || f.severity === 'error')).toEqual([]);
  });
});
