/**
 * Runs the request attack corpus through the doctor as the page does: every entry
 * gets exactly its expected outcome, and "Signature verified" appears only in a verified verdict.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { examineRequest } from '../../../src/lib/scheme/doctor';
import { parseRequest } from '../../../src/lib/request/parse';
import { header } from '../../../src/lib/request/types';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { plain } from '../../../src/lib/rich';
import { pastedPublicKey, vector } from '../support/helpers';
import { binanceKey, NOW, requestAttacks } from '../support/request-attack-corpus';

let keys: VerificationKey[];
beforeAll(async () => {
  keys = [
    (await pastedPublicKey(vector('qredo', 'public.pem'), 'Qredo fixture')).key!,
    (await pastedPublicKey(vector('qitech', 'jwtECDSASHA512.key.pub'), 'QI Tech fixture')).key!,
    (await pastedPublicKey(String(binanceKey.publicKey.export({ type: 'spki', format: 'pem' })), 'Binance'))
      .key!,
  ];
});

const corpus = requestAttacks();

describe('request attack corpus: every pasted request gets exactly its expected outcome', () => {
  it('has unique names and covers every mechanism by which a server reads a request differently', () => {
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
    expect(new Set(corpus.map((c) => c.mechanism)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const e = await examineRequest(c.text, async () => keys, NOW);
    if (e === null) throw new Error('not read as a request');
    const got =
      e.kind === 'verdict'
        ? { kind: 'verdict', state: e.verdict.state, code: e.verdict.code }
        : { kind: e.kind, code: e.kind === 'error' ? e.code : undefined };
    const want = { ...c.expect };
    delete (want as { finding?: unknown }).finding;
    const detail = e.kind === 'verdict' ? plain(e.verdict.parts) : e.kind === 'error' ? plain(e.parts) : '';
    expect(got, detail).toEqual(want);
    const words = e.kind === 'verdict' ? plain(e.verdict.parts) : e.kind === 'error' ? plain(e.parts) : '';
    expect(words.includes('Signature verified')).toBe(e.kind === 'verdict' && e.verdict.state === 'verified');
    if (c.expect.kind === 'verdict' && c.expect.finding && e.kind === 'verdict')
      expect(e.verdict.findings.map((f) => f.code)).toContain(c.expect.finding);
    if (c.read) {
      const r = parseRequest(c.text);
      if (r.kind !== 'request') throw new Error('not read');
      const req = r.request;
      if (c.read.method !== undefined) expect(req.method).toBe(c.read.method);
      if (c.read.url !== undefined) expect(req.url).toBe(c.read.url);
      if (c.read.body !== undefined) expect(req.body).toBe(c.read.body);
      for (const [name, value] of c.read.headers ?? []) expect(header(req, name) ?? null).toBe(value);
    }
  });
});
