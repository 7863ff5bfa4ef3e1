/**
 * The verdict box's one view-model (trust/shown.ts), fed by the real decoder and verifier: which
 * state, code, tone and words the page shows for a token, a signed request and an encrypted
 * message. The page's hooks (data-state, data-code, data-kind) are these values.
 */
import { describe, expect, it } from 'vitest';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import type { RequestVerdict } from '../../../src/lib/request/types';
import { plain, u, type Rich } from '../../../src/lib/rich';
import { showDecryption, showVerdict, type ShownVerdict } from '../../../src/lib/trust/shown';
import { nodeJws, toolKey } from '../support/jwt-helpers';

const words = (s: ShownVerdict) => s.lines.map((l) => plain(l.parts));

async function token(text: string, keyText: string) {
  const decoded = decodeToken(text);
  const box = keyText ? await keysFromText(keyText, 'RS256', 'text') : null;
  const verdict = await verdictFor(decoded, box, []);
  return showVerdict({ requestForm: false, exam: null, decoded, verdict });
}

/** A request verdict as the doctor hands it (its state was decided by trust/verdict.ts). */
const signature = (state: string, code: string, parts: Rich, label?: string) =>
  ({
    state,
    code,
    parts,
    label,
    scheme: 'rfc9421',
    signatureVerified: state === 'verified',
    findings: [],
  }) as unknown as RequestVerdict;
const request = (exam: Parameters<typeof showVerdict>[0]['exam']) =>
  showVerdict({ requestForm: true, exam, decoded: decodeToken(''), verdict: null });

describe('a token', () => {
  const a = toolKey('rsa2048');
  const b = toolKey('rsa3072');
  const jws = nodeJws('RS256', a.privateKey, { sub: 'x' });

  it('verified with its key: green, no code under it, no keys listed', async () => {
    const s = await token(jws, a.publicPem);
    expect([s.state, s.tone, s.code, s.details.code, s.details.tried]).toEqual([
      'verified',
      'ok',
      '',
      '',
      [],
    ]);
    expect(words(s)[0]).toMatch(/^✔ Signature verified/);
    expect(s.token?.state).toBe('verified');
  });

  it('another key: red, "Not verified." once, its code and the key tried', async () => {
    const s = await token(jws, b.publicPem);
    expect([s.state, s.tone, s.code]).toEqual(['failed', 'bad', 'ERR_JWT_SIGNATURE']);
    expect(words(s)[0]).toMatch(/^✘ Not verified\. /);
    expect(words(s)[0]).not.toMatch(/Not verified\..*Not verified/);
    expect(s.details).toEqual({ code: 'ERR_JWT_SIGNATURE', tried: expect.any(Array) });
    expect(s.details.tried.length).toBe(1);
  });

  it('no key at all: a calm state that says what is missing, not a failure', async () => {
    const s = await token(jws, '');
    expect([s.state, s.kind, s.tone, s.code]).toEqual(['failed', 'no-key', 'neutral', 'ERR_JWT_NO_KEY']);
    expect(s.lines).toEqual([{ tone: 'plain', parts: ['No key to check the signature with yet.'] }]);
  });

  it('a public key pasted in the token box: a hint to move it, said once', async () => {
    const s = await token(a.publicPem, '');
    expect(s.kind).toBe('key-in-token-box');
    expect(s.tone).toBe('neutral');
    expect(s.code).toBe(decodeToken(a.publicPem).errors[0]!.code);
    expect(s.problems).toEqual(decodeToken(a.publicPem).errors.slice(1));
  });

  it('nothing pasted: empty, no colour; while verifying: pending', () => {
    const empty = showVerdict({ requestForm: false, exam: null, decoded: decodeToken(''), verdict: null });
    expect([empty.state, empty.tone, empty.code]).toEqual(['empty', undefined, '']);
    const busy = showVerdict({ requestForm: false, exam: null, decoded: decodeToken(jws), verdict: null });
    expect([busy.state, words(busy)]).toEqual(['pending', ['Verifying…']]);
  });
});

describe('a signed request', () => {
  it('while the doctor reads it: pending', () => {
    const s = request(null);
    expect([s.state, s.code, words(s)]).toEqual(['pending', '', ['Reading the request…']]);
  });

  it('refused before any key: red with its code, "Not verified." not said twice', () => {
    const s = request({ kind: 'error', code: 'ERR_REQUEST_NO_SCHEME', parts: ['Not verified: no scheme.'] });
    expect([s.state, s.tone, s.code]).toEqual(['failed', 'bad', 'ERR_REQUEST_NO_SCHEME']);
    expect(words(s)).toEqual(['✘ Not verified: no scheme.']);
  });

  it("one signature verified: green, with the rule's own words and no code under them", () => {
    const s = request({
      kind: 'verdict',
      verdicts: [signature('verified', 'OK', ['Signature verified with key k.'])],
    });
    expect([s.state, s.tone, s.code, s.details.code]).toEqual(['verified', 'ok', 'OK', '']);
    expect(words(s)).toEqual(['✔ Signature verified with key k.']);
  });

  it('several signatures: failed when one fails, each line named by its (untrusted) label', () => {
    const s = request({
      kind: 'verdict',
      verdicts: [
        signature('verified', 'OK', ['Signature verified with key k.'], 'sig1'),
        signature('failed', 'ERR_RFC9421_SIGNATURE', ['The signature does not match.'], 'sig\u202eb'),
      ],
    });
    expect([s.state, s.code]).toEqual(['failed', 'ERR_RFC9421_SIGNATURE']);
    expect(s.lines.map((l) => l.tone)).toEqual(['ok', 'bad']);
    expect(s.lines[1]!.parts).toContainEqual(u('sig\u202eb'));
    expect(words(s)[1]).toMatch(/^✘ .*: Not verified\. The signature does not match\.$/);
  });

  it("a bearer JWT that cannot be read: failed, saying so; a readable one gets the token's verdict", async () => {
    const s = showVerdict({
      requestForm: true,
      exam: { kind: 'bearer' },
      decoded: decodeToken(''),
      verdict: null,
    });
    expect([s.state, words(s)]).toEqual([
      'failed',
      ["✘ Not verified. The request's bearer token could not be read."],
    ]);
    const a = toolKey('rsa2048');
    const decoded = decodeToken(nodeJws('RS256', a.privateKey, {}));
    const verdict = await verdictFor(decoded, await keysFromText(a.publicPem, 'RS256', 'text'), []);
    const t = showVerdict({ requestForm: true, exam: { kind: 'bearer' }, decoded, verdict });
    expect([t.state, t.tone]).toEqual(['verified', 'ok']);
  });
});

describe('an encrypted message', () => {
  it('pending, failed (saying what to do when no key can open it), decrypted', () => {
    expect(showDecryption(null, true).state).toBe('pending');
    const failed = showDecryption(
      { state: 'failed', code: 'ERR_JWE_NO_KEY', message: 'No key opened it.' },
      false,
    );
    expect([failed.state, failed.tone, failed.details.code]).toEqual(['failed', 'bad', 'ERR_JWE_NO_KEY']);
    expect(words(failed)[0]).toBe('✘ Not decrypted. No key opened it.');
    expect(failed.lines[1]?.tone).toBe('note');
    const ok = showDecryption(
      { state: 'decrypted', code: 'OK', message: 'Decrypted with k.', wrapper: 'Visa' },
      true,
    );
    expect([ok.state, ok.tone, ok.details]).toEqual([
      'decrypted',
      'ok',
      { code: '', tried: [], note: 'Read as Visa.' },
    ]);
  });
});
