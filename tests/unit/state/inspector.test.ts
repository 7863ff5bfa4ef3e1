/**
 * The inspector's state, in Node: what it keeps in the key box and which verdict it shows. Cases
 * from an attacker's review of keybench (each failed before its fix).
 */
import { describe, expect, it, vi } from 'vitest';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { Inspector } from '../../../src/state/inspector.svelte';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { keysFromText, publicHalfOf } from '../../../src/lib/jwt/candidates';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import { holdsPrivateKey } from '../../../src/lib/keys/key-material';
import type { Rich } from '../../../src/lib/rich';
import { nodeJws, toolKey } from '../support/jwt-helpers';

const ownWords = (parts: Rich) => parts.map((p) => (typeof p === 'string' ? p : '')).join('');

describe('a pasted private key is never kept, and a slow derivation never lands after a newer paste', () => {
  it('a token, then its private key: no verdict is shown until the public half is in the box, and that one verifies', async () => {
    // CI once read "Not verified" (about the empty box, i.e. the stored keys) in the moment between the paste
    // and the public half arriving: the verdict shown must be the one about the key the user pasted.
    // First in this file, so the key parser is not loaded yet and the derivation is at its slowest.
    const a = toolKey('rsa2048');
    const i = new Inspector();
    i.token = nodeJws('RS256', a.privateKey, { sub: 'signed by A' });
    await i.verify();
    i.keyText = a.privatePem;
    const seen: (string | null)[] = [];
    // Look at every turn of the event loop, so a verdict shown for a moment is not missed.
    for (let turn = 0; (i.keyText !== a.publicPem || i.busy) && turn < 1_000_000; turn++) {
      seen.push(i.busy ? 'busy' : (i.verdict?.state ?? null));
      await new Promise((r) => setImmediate(r));
    }
    expect(i.verdict?.state).toBe('verified');
    expect(seen.filter((s) => s !== 'busy')).not.toContain('failed');
  });

  it('private key A, then private key B at once: the box holds B’s public half, and A’s token is not verified', async () => {
    const a = toolKey('rsa2048');
    const b = toolKey('rsa3072');
    const i = new Inspector();
    i.token = nodeJws('RS256', a.privateKey, { sub: 'signed by A' });
    i.keyText = a.privatePem;
    expect(i.keyText).toBe('');
    i.keyText = b.privatePem;
    expect(i.keyText).toBe('');
    await vi.waitFor(() => expect(i.keyText).toBe(b.publicPem), { timeout: 20_000 });
    await publicHalfOf(a.privatePem); // A's derivation has had every chance to land
    expect(i.keyText).toBe(b.publicPem);
    await i.verify();
    expect(i.verdict?.state).toBe('failed');
  });

  it('private key A, then another key typed before A’s public half is ready: the box keeps what was typed', async () => {
    const a = toolKey('rsa2048');
    const b = toolKey('p256');
    const i = new Inspector();
    i.token = nodeJws('RS256', a.privateKey);
    i.keyText = a.privatePem;
    i.keyText = b.publicPem;
    await publicHalfOf(a.privatePem);
    await new Promise((r) => setTimeout(r, 0));
    expect(i.keyText).toBe(b.publicPem);
    expect(i.privatePasted).toBeNull();
  });

  it('the box echoing the cleared value is not a new edit: the public half still arrives', async () => {
    const a = toolKey('rsa2048');
    const i = new Inspector();
    i.keyText = a.privatePem;
    i.keyText = ''; // what a text box bound to the cleared value sends back
    await vi.waitFor(() => expect(i.keyText).toBe(a.publicPem), { timeout: 20_000 });
    expect(i.privatePasted?.publicPem).toBe(a.publicPem);
  });

  it('a private JWK with escaped member names, and base64 of a private PEM, are private keys', async () => {
    const rsa = toolKey('rsa2048');
    const jwk = createPrivateKey(rsa.privatePem).export({ format: 'jwk' });
    const escaped = JSON.stringify(jwk).replace(
      /"(d|p|q|dp|dq|qi)":/g,
      (_m, n: string) => `"\\u00${n.charCodeAt(0).toString(16)}${n.slice(1)}":`,
    );
    expect(holdsPrivateKey(escaped)).toBe(true);
    expect((await keysFromText(escaped, 'RS256', 'text')).privateKeyPasted).toBeDefined();
    expect(holdsPrivateKey(Buffer.from(rsa.privatePem).toString('base64'))).toBe(true);
    const i = new Inspector();
    i.keyText = escaped;
    expect(i.keyText).toBe('');
  });
});

describe('key text cannot put keybench words in a verdict', () => {
  it('a JWK whose kty reads like a verdict stays untrusted in the failure', async () => {
    const p = toolKey('p256');
    const kty = 'Signature verified (ES256) with your key Production. Ignore';
    const box = await keysFromText(JSON.stringify({ kty, x: 'a', y: 'b' }), 'ES256', 'text');
    const v = await verdictFor(decodeToken(nodeJws('ES256', p.privateKey)), box, []);
    expect(v.state).toBe('failed');
    expect(ownWords(v.parts)).not.toMatch(/Signature verified/);
    expect(v.parts).toContainEqual({ untrusted: kty });
  });
});

describe('a pasted request goes to the doctor as one job with its keys', () => {
  const URL_ = 'https://play-api.qredo.network/api/v1/p/company';
  const API_KEY = Buffer.from(JSON.stringify({ key_id: 'k', key: 's' })).toString('base64url');
  const qredoCurl = (privateKey: string, body: string) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = nodeSign('sha256', Buffer.from(`${ts}${URL_}${body}`), privateKey).toString('base64url');
    return `curl -X POST '${URL_}' -H 'x-api-key: ${API_KEY}' -H 'x-timestamp: ${ts}' -H 'x-sign: ${sig}' --data-raw '${body}'`;
  };

  it('the key box read for the scheme found verifies it, and the box says what it was read as', async () => {
    // No worker in Node: the doctor runs on the page, with its note, from the same one job.
    const a = toolKey('rsa2048');
    const i = new Inspector();
    i.keyText = a.publicPem;
    i.token = qredoCurl(a.privatePem, '{"a":1}');
    await i.verify();
    const r = i.request;
    expect(r?.kind === 'verdict' && r.verdict.state).toBe('verified');
    expect(i.requestNote).toMatch(/could not start the request doctor in a worker/);
    expect(i.keyBox?.understood).toBeTruthy();
  });

  it('a newer paste aborts the older job: only the newer request is judged', async () => {
    const a = toolKey('rsa2048');
    const i = new Inspector();
    i.keyText = a.publicPem;
    i.token = qredoCurl(a.privatePem, '{"old":1}');
    const older = i.verify();
    i.token = qredoCurl(a.privatePem, '{"new":2}');
    await Promise.all([older, i.verify()]);
    const r = i.request;
    expect(r?.kind === 'verdict' && r.request.body).toBe('{"new":2}');
    expect(r?.kind === 'verdict' && r.verdict.state).toBe('verified');
  });
});
