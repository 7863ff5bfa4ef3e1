/**
 * Differential check for the request doctor: for requests made and then altered at
 * random, keybench says "verified" exactly when node:crypto verifies the signature over the bytes
 * the request sends. Qredo (RSA, message = timestamp ‖ URL ‖ body) and Binance (Ed25519, payload =
 * query ‖ body), pasted as raw HTTP and read by keybench's own parser.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { examineRequest } from '../../../src/lib/scheme/doctor';
import type { VerificationKey } from '../../../src/lib/jwt/verify';
import { pastedPublicKey, vector } from '../support/helpers';

vi.setConfig({ testTimeout: 120_000 });

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const qredoKey = createPrivateKey(vector('qredo', 'private.pem'));
const ed = generateKeyPairSync('ed25519');
let keys: VerificationKey[];

beforeAll(async () => {
  keys = [
    (await pastedPublicKey(vector('qredo', 'public.pem'), 'Qredo fixture')).key!,
    (await pastedPublicKey(String(ed.publicKey.export({ type: 'spki', format: 'pem' })), 'Ed25519')).key!,
  ];
});

/** Printable ASCII without the characters that would change how a raw request or a query is read. */
const safe = fc.stringMatching(/^[A-Za-z0-9 ,:{}"_.-]{0,40}$/);

/** One change an attacker (or a buggy client) makes between signing and sending. */
const tamper = fc.record({
  where: fc.constantFrom('none', 'body', 'path', 'timestamp'),
  text: fc.stringMatching(/^[a-z0-9]{1,3}$/),
});

describe('keybench agrees with node:crypto on pasted requests', () => {
  it('Qredo: verified exactly when node:crypto verifies x-sign over timestamp ‖ URL ‖ body as sent', async () => {
    const ts = String(Math.floor(NOW / 1000));
    await fc.assert(
      fc.asyncProperty(safe, tamper, async (body, t) => {
        const signedUrl = 'https://api.example.test/api/v1/p/company';
        const xSign = nodeSign('sha256', Buffer.from(`${ts}${signedUrl}${body}`), qredoKey).toString(
          'base64url',
        );
        const sentBody = t.where === 'body' ? body + t.text : body;
        const sentPath = t.where === 'path' ? `/api/v1/p/company${t.text}` : '/api/v1/p/company';
        const sentTs = t.where === 'timestamp' ? String(Number(ts) + t.text.length) : ts;
        const raw = [
          `POST ${sentPath} HTTP/1.1`,
          'Host: api.example.test',
          'x-api-key: k',
          `x-timestamp: ${sentTs}`,
          `x-sign: ${xSign}`,
          `Content-Length: ${Buffer.byteLength(sentBody)}`,
          '',
          sentBody,
        ].join('\r\n');
        const e = await examineRequest(raw, async () => keys, NOW);
        const sentUrl = `https://api.example.test${sentPath}`;
        const node = nodeVerify(
          'sha256',
          Buffer.from(`${sentTs}${sentUrl}${sentBody}`),
          createPublicKey(vector('qredo', 'public.pem')),
          Buffer.from(xSign, 'base64url'),
        );
        expect(e?.kind).toBe('verdict');
        expect(e?.kind === 'verdict' && e.verdict.state === 'verified').toBe(node);
      }),
      { numRuns: 60, seed: 12 },
    );
  });

  it('Binance: verified exactly when node:crypto verifies the signature over query ‖ body as sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z]{3,8}$/), tamper, async (symbol, t) => {
        const query = `symbol=${symbol}&timestamp=${NOW}`;
        const body = 'side=BUY&quantity=1';
        const sig = nodeSign(null, Buffer.from(query + body), ed.privateKey).toString('base64');
        const sentBody = t.where === 'body' ? `${body}${t.text}` : body;
        const sentQuery = t.where === 'timestamp' ? `symbol=${symbol}&timestamp=${NOW + 1}` : query;
        const path = t.where === 'path' ? `/api/v3/order${t.text}` : '/api/v3/order';
        const raw = [
          // The signature ends the request, as Binance requires (its "mixed query string and body" example).
          `POST ${path}?${sentQuery} HTTP/1.1`,
          'Host: api.binance.com',
          'X-MBX-APIKEY: k',
          'Content-Type: application/x-www-form-urlencoded',
          `Content-Length: ${Buffer.byteLength(`${sentBody}&signature=${encodeURIComponent(sig)}`)}`,
          '',
          `${sentBody}&signature=${encodeURIComponent(sig)}`,
        ].join('\r\n');
        const e = await examineRequest(raw, async () => keys, NOW);
        const node = nodeVerify(
          null,
          Buffer.from(sentQuery + sentBody),
          ed.publicKey,
          Buffer.from(sig, 'base64'),
        );
        expect(e?.kind).toBe('verdict');
        expect(e?.kind === 'verdict' && e.verdict.state === 'verified').toBe(node);
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});
