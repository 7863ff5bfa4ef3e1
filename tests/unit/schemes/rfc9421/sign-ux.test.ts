// What keybench signs names its key, and QI Tech's response date is compared with the response's own.
import { describe, expect, it } from 'vitest';
import { loadForm } from '../../../../src/lib/scheme/registry';
import { initialValues } from '../../../../src/state/sign-form.svelte';
import { verifyRequest } from '../../support/rfc9421-engine';
import { verifyQitResponse, type QitKeyringEntry } from '../../../../src/lib/schemes/qitech/response';
import { parseKeyText, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import { keyTypeOf } from '../../../../src/lib/keys/key-type';
import type { SignerKey } from '../../../../src/lib/scheme/contract';
import { vector } from '../../support/helpers';

const NOW = 1_760_000_000_000;

async function ed25519Pair(label: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const signer: SignerKey = {
    kind: 'pair',
    label,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    spki,
  };
  return { pair, spki, signer };
}

describe('RFC 9421 Sign form: an empty keyid names the key pair', () => {
  it("keyid is the pair's label, and the stored key of that label verifies it with no keyid finding", async () => {
    const form = (await loadForm('rfc9421'))!;
    const { pair, spki, signer } = await ed25519Pair('My Ed25519 2026-12-07');
    const values = { ...initialValues(form, NOW), url: 'https://api.example.com/pay', keyid: '' };
    const out = await form.sign(values, signer, NOW);
    const input = out.headers.find(([h]) => h === 'Signature-Input')![1];
    expect(input).toContain('keyid="My Ed25519 2026-12-07"');
    const v = await verifyRequest({
      request: out.request,
      keys: [
        { kind: 'public', label: 'Other key', origin: 'stored', spki, type: keyTypeOf(pair.publicKey) },
        {
          kind: 'public',
          label: 'My Ed25519 2026-12-07',
          origin: 'stored',
          spki,
          type: keyTypeOf(pair.publicKey),
        },
      ],
      nowMs: NOW + 1000,
    });
    expect(v.results[0]!.signatureHolds).toBe(true);
    expect(v.results[0]!.verifyingKey?.label).toBe('My Ed25519 2026-12-07');
    const keyidFindings = [...v.findings, ...v.results[0]!.findings].filter(
      (f) => f.check === 'rfc9421.keyid' && f.severity !== 'ok' && f.severity !== 'info',
    );
    expect(keyidFindings).toEqual([]);
  });

  it('a keyid the user typed is kept; a label a structured field cannot hold gives no keyid', async () => {
    const form = (await loadForm('rfc9421'))!;
    const typed = await form.sign(
      { ...initialValues(form, NOW), url: 'https://api.example.com/', keyid: 'partner-key-7' },
      (await ed25519Pair('Mine')).signer,
      NOW,
    );
    expect(typed.headers.find(([h]) => h === 'Signature-Input')![1]).toContain('keyid="partner-key-7"');
    const accented = await form.sign(
      { ...initialValues(form, NOW), url: 'https://api.example.com/', keyid: '' },
      (await ed25519Pair('Clé 2026-12-07')).signer,
      NOW,
    );
    expect(accented.headers.find(([h]) => h === 'Signature-Input')![1]).not.toContain('keyid');
  });
});

describe("QI Tech response: the date line is compared with the response's own date", () => {
  const qit = JSON.parse(vector('qitech', 'vectors.json'));
  const r = qit.response_post;
  const signedDate = (r.string_to_sign as string).split('\n')[3]!;
  const check = async (date?: string) => {
    const parsed = (await parseKeyText(vector('qitech', 'qitech-side.key.pub'))) as ParsedPublicKey;
    const keyring: QitKeyringEntry[] = [
      { kind: 'public', label: 'QI Tech', spki: parsed.spki, type: parsed.type, owner: 'qitech' },
    ];
    const v = await verifyQitResponse({
      authorization: r.headers.Authorization,
      body: JSON.stringify(r.received_body),
      apiKey: qit.request_post.api_key,
      keyring,
      request: { method: 'POST', endpoint: '/test', ...(date === undefined ? {} : { date }) },
    });
    return { verified: v.verified, date: v.checks.find((c) => c.check === 'date')! };
  };

  it('no date given: the line is shown as information, not a warning', async () => {
    const { verified, date } = await check();
    expect(verified).toBe(true);
    expect(date.severity).toBe('info');
  });

  it('the same moment (written alike, or a minute apart) holds; another moment is a warning', async () => {
    expect((await check(signedDate)).date.severity).toBe('ok');
    const aMinuteLater = new Date(Date.parse(signedDate) + 60_000).toUTCString();
    expect((await check(aMinuteLater)).date.severity).toBe('ok');
    const later = await check(new Date(Date.parse(signedDate) + 3_600_000).toUTCString());
    expect(later.date.severity).toBe('warning');
    expect(later.verified).toBe(true);
    expect((await check('not a date')).date.severity).toBe('warning');
  });
});
