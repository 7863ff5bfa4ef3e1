/**
 * An attacker's review of RFC 9421 on the shared scheme engine (check.ts `verifyEach`, `algorithmsOf`,
 * `keyName`, `heldWith`, TRUSTED_ORIGINS, the `lines` layout, async `checks`) and of how the doctor
 * and the verdict box combine several labels. Every request is signed here by node:crypto over a base
 * written out by hand (RFC 9421's own test keys: deterministic Ed25519, RSA PKCS#1 v1.5 and HMAC
 * signatures, no randomness), never by keybench; where http-message-signatures (npm) can verify the
 * same request with the same key, its answer stands beside keybench's.
 *
 * Covered: several labels (one fails, one unreadable, one missing from either dictionary, the same
 * bytes under another label or another Signature-Input member); `alg` that does not fit the key, in
 * another case, as a token, unknown, and hmac-sha256 keyed with an RSA public key's PEM; `keyid`
 * naming no key, another trusted key, a secret, a JWKS kid, and a trusted key that does not fit
 * `alg`; keys a request carries (x5c, jwk header) handed to the engine; created/expires; a covered
 * component absent or spoofed (`@signature-params`, a line break, a header named like a derived
 * component); a base with CRLF; Content-Digest against a changed body.
 *
 * Held: every other case above is refused with the code below (mistakes are never green, a key
 * the request carries is never tried, a label that fails fails the message, a line break in a
 * covered value is refused whatever was signed). A parameter given twice counts once, the last (RFC
 * 8941), as http-message-signatures reads it.
 *
 * Fixed:
 * - `keyid` naming a trusted key that does not fit `alg` (or fits no RFC 9421 algorithm at all,
 *   P-521). The engine narrowed the keys by keyid only among those it could import for the
 *   algorithms allowed, so when the named key did not fit, every other trusted key was tried and one
 *   that fits made the request green, with only an info "keyid names none of your keys" (false: it
 *   names one). A server looks its key up by keyid and refuses an `alg` that key does not fit; it
 *   never tries another key. Now the engine tries only the trusted keys keyid names (check.ts
 *   `keysToTry`, whatever they fit), the checks see only trusted keys, and rfc9421/checks.ts says
 *   that the key keyid names does not fit (ERR_HTTPSIG_ALG_KEY_MISMATCH).
 * - Content-Digest giving one algorithm twice in one line (`sha-256=:wrong:, sha-256=:right:`) was
 *   green: RFC 8941 keeps the last, a server that keeps the first checks another digest, and the
 *   same two members in two lines were already an error. Now refused (ERR_HTTPSIG_DIGEST_MALFORMED).
 * - A pasted JWKS and a keyid that is the kid of none of its keys: a JWKS key verified and the
 *   request was green with an info ("make sure the server gives keyid to that key"). A JWKS is the
 *   server's own list of keys by kid (the JWT path says kid-mismatch, never green): a server looking
 *   keyid up in it finds no key. Now an error (ERR_HTTPSIG_KEYID_UNKNOWN) naming the kid to sign
 *   with; for stored and pasted keys, whose names keybench cannot know on the server, it stays an info.
 * - A keyid that is the kid of two keys of a pasted JWKS: both were tried and the one that verified
 *   made it green. A server looking keys up by kid cannot choose (jose refuses such a set, and the
 *   JWT path says so): now an error (ERR_JWKS_KID_AMBIGUOUS), the signature said to hold.
 * - An empty Signature-Input or Signature said "gives the label "" twice"
 *   (ERR_HTTPSIG_DUPLICATE_LABEL): an empty field is an empty dictionary. Now an empty
 *   Signature-Input is no signature (ERR_HTTPSIG_NO_SIGNATURE) and an empty Signature leaves each
 *   label without its signature (ERR_HTTPSIG_LABEL).
 */
import { createHmac, createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { createVerifier, httpbis } from 'http-message-signatures';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { keysFromText } from '../../../../src/lib/jwt/candidates';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import { verifyEach } from '../../../../src/lib/scheme/check';
import { examineRequest } from '../../../../src/lib/scheme/doctor';
import scheme from '../../../../src/lib/schemes/rfc9421/scheme';
import { showVerdict } from '../../../../src/lib/trust/shown';
import { decideRequest } from '../../../../src/lib/trust/verdict';
import { keysFor } from '../../../../src/lib/trust/roles';
import { contentDigest } from '../../../../src/lib/schemes/rfc9421/digest';
import { publicKey, req, secretKey } from '../../support/rfc9421-helpers';
import {
  TEST_KEY_ECC_P256_PUB,
  TEST_KEY_ED25519_PRIVATE,
  TEST_KEY_ED25519_PUB,
  TEST_KEY_RSA_PRIVATE,
  TEST_KEY_RSA_PUB,
  TEST_SHARED_SECRET,
} from '../../support/rfc9421-vectors';

const NOW_S = 1_765_108_800;
const NOW = NOW_S * 1000;
const URL = 'https://example.com/foo';
const BODY = '{"amount": 10}';
const COVERED = '"@method" "@authority" "@path"';
const LINES = ['"@method": POST', '"@authority": example.com', '"@path": /foo'];

/** A P-521 public key (private scalar 7): a key type no RFC 9421 algorithm of keybench's fits. */
const P521_PUB = `-----BEGIN PUBLIC KEY-----
MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQAVtXR2Z1bf2NG7rZf2gsHOgxfIuDo
9UgyKPAY0sL3EUxdjDCNCr/GmNjJpt8w3OO7xG+VP1D9wmGaAc6tiCgW7NQAPS0b
fZuqoqEQ0dgxejnWhHi1xYLQKCTw3XHb2Yomy95Va9Dyk83sniuVI6NFkc4aX552
cSpd3vx7XGuLyQUlJRs=
-----END PUBLIC KEY-----
`;

const ED_PRIVATE = createPrivateKey(TEST_KEY_ED25519_PRIVATE);
const RSA_PRIVATE = createPrivateKey(TEST_KEY_RSA_PRIVATE);
const SECRET = Buffer.from(TEST_SHARED_SECRET, 'base64');

type Signer = (base: string) => string;
const ed: Signer = (base) => nodeSign(null, Buffer.from(base), ED_PRIVATE).toString('base64');
const rsa: Signer = (base) => nodeSign('sha256', Buffer.from(base), RSA_PRIVATE).toString('base64');
const hmacWith =
  (secret: Buffer | string): Signer =>
  (base) =>
    createHmac('sha256', secret).update(base).digest('base64');

let edKey: VerificationKey;
let rsaKey: VerificationKey;
let p256Key: VerificationKey;
const secret = secretKey(TEST_SHARED_SECRET, 'shared-secret');

beforeAll(async () => {
  edKey = await publicKey(TEST_KEY_ED25519_PUB, 'client-ed', 'ed-kid');
  rsaKey = await publicKey(TEST_KEY_RSA_PUB, 'client-rsa', 'rsa-kid');
  p256Key = await publicKey(TEST_KEY_ECC_P256_PUB, 'client-p256', 'p256-kid');
});

/** The base of a member: its lines and the `@signature-params` line (§2.5), LF-joined. */
const baseOf = (lines: readonly string[], member: string) =>
  [...lines, `"@signature-params": ${member}`].join('\n');

/** One label: its Signature-Input member and the signature's base64 (or a Signature text of its own). */
interface Label {
  label: string;
  member: string;
  signature?: string;
}

/** A member with created (and the extra parameters), covering COVERED. */
const member = (params = '', covered = COVERED, created = NOW_S - 10) =>
  `(${covered});created=${created}${params}`;

/** A label signed by `signer` over `lines` and its member. */
function signed(label: string, m: string, signer: Signer, lines: readonly string[] = LINES): Label {
  return { label, member: m, signature: `:${signer(baseOf(lines, m))}:` };
}

/** The POST request carrying these labels (and extra headers). */
function request(labels: readonly Label[], headers: [string, string][] = [], body = ''): ParsedRequest {
  return req(
    'POST',
    URL,
    [
      ...headers,
      ['Signature-Input', labels.map((l) => `${l.label}=${l.member}`).join(', ')],
      ...(labels.some((l) => l.signature !== undefined)
        ? [
            [
              'Signature',
              labels
                .filter((l) => l.signature !== undefined)
                .map((l) => `${l.label}=${l.signature}`)
                .join(', '),
            ] as [string, string],
          ]
        : []),
    ],
    body,
  );
}

/** Each label's verdict by the one rule (no partner: every key the user trusts), and the box's. */
async function judge(r: ParsedRequest, keys: readonly VerificationKey[], nowMs = NOW) {
  const context = { direction: 'none' } as const;
  const results = await verifyEach(scheme, { request: r, keys: keysFor(context, keys), nowMs });
  const verdicts = results.map((x) => decideRequest(context, x));
  return { verdicts, ...boxOf(verdicts) };
}

/** The verdict box over several signatures: its state and code. */
function boxOf(verdicts: readonly RequestVerdict[]) {
  const shown = showVerdict({
    requestForm: true,
    exam: { kind: 'verdict', verdicts },
    decoded: { form: 'empty', errors: [] },
    verdict: null,
  });
  return { state: shown.state, code: shown.details.code, tone: shown.tone };
}

const outcome = (v: RequestVerdict) => ({ label: v.label, state: v.state, code: v.code });

/** http-message-signatures' answer: keys looked up by keyid, each bound to its algorithms. */
async function sdk(
  r: ParsedRequest,
  keys: Record<string, { key: KeyObject | Buffer; alg: Parameters<typeof createVerifier>[1] }>,
  clock: { notAfter?: number; tolerance?: number } = { tolerance: 1e10 },
): Promise<boolean | string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of r.headers) headers[k.toLowerCase()] = v;
  try {
    const ok = await httpbis.verifyMessage(
      {
        keyLookup: async (p) => {
          const k = typeof p.keyid === 'string' ? keys[p.keyid] : undefined;
          return k ? { id: p.keyid, algs: [k.alg], verify: createVerifier(k.key, k.alg) } : null;
        },
        ...clock,
      },
      { method: r.method, url: r.url, headers },
    );
    return ok === true;
  } catch (e) {
    return (e as Error).constructor.name;
  }
}

const SDK_KEYS = () => ({
  'client-ed': { key: createPublicKey(TEST_KEY_ED25519_PUB), alg: 'ed25519' as const },
  'client-rsa': { key: createPublicKey(TEST_KEY_RSA_PUB), alg: 'rsa-v1_5-sha256' as const },
});

describe('control', () => {
  it('one Ed25519 label, alg and keyid right: verified (the SDK agrees)', async () => {
    const r = request([signed('sig1', member(';alg="ed25519";keyid="client-ed"'), ed)]);
    const j = await judge(r, [rsaKey, edKey]);
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
    expect(j.verdicts[0]!.keyLabel).toBe('client-ed');
    expect(await sdk(r, SDK_KEYS())).toBe(true);
  });
});

describe('several labels', () => {
  const good = () => signed('sig1', member(';keyid="client-ed"'), ed);

  it('two labels that both verify: verified', async () => {
    const j = await judge(request([good(), signed('sig2', member(';keyid="client-rsa"'), rsa)]), [
      edKey,
      rsaKey,
    ]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'verified', code: 'OK' },
    ]);
    expect(j).toMatchObject({ state: 'verified', tone: 'ok' });
  });

  it('one verifies, the other is signed over another path: the message fails with the other', async () => {
    const other = signed('sig2', member(';keyid="client-ed"', COVERED, NOW_S - 5), ed, [
      '"@method": POST',
      '"@authority": example.com',
      '"@path": /admin',
    ]);
    const j = await judge(request([good(), other]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' },
    ]);
    expect(j).toMatchObject({ state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE', tone: 'bad' });
  });

  it('one verifies, the other is not an inner list: the message fails (malformed)', async () => {
    const j = await judge(request([good(), { label: 'sig2', member: '1', signature: ':AAAA:' }]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'failed', code: 'ERR_HTTPSIG_MALFORMED' },
    ]);
    expect(j).toMatchObject({ state: 'failed', code: 'ERR_HTTPSIG_MALFORMED' });
  });

  it('a label in Signature-Input with no Signature member: that label fails, and the message', async () => {
    const j = await judge(request([good(), { label: 'sig2', member: member() }]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'failed', code: 'ERR_HTTPSIG_LABEL' },
    ]);
    expect(j.state).toBe('failed');
  });

  it('a label in Signature only: every label fails with it (nothing checks that signature)', async () => {
    const g = good();
    const r = req('POST', URL, [
      ['Signature-Input', `sig1=${g.member}`],
      ['Signature', `sig1=${g.signature}, sig2=${g.signature}`],
    ]);
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_LABEL' }]);
    expect(j.verdicts[0]!.signatureVerified).toBe(true);
  });

  it('a label given twice in Signature: refused before any signature (no label is judged)', async () => {
    const g = good();
    const r = req('POST', URL, [
      ['Signature-Input', `sig1=${g.member}`],
      ['Signature', `sig1=:AAAA:, sig1=${g.signature}`],
    ]);
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: undefined, state: 'failed', code: 'ERR_HTTPSIG_DUPLICATE_LABEL' },
    ]);
  });

  it('the same bytes under a second label with the same member: both hold (the label is not signed)', async () => {
    const g = good();
    const j = await judge(request([g, { ...g, label: 'sig2' }]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'verified', code: 'OK' },
    ]);
  });

  it('the same bytes under a second label with another member (a later created): that label fails', async () => {
    const g = good();
    const j = await judge(
      request([
        g,
        { label: 'sig2', member: member(';keyid="client-ed"', COVERED, NOW_S), signature: g.signature! },
      ]),
      [edKey],
    );
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' },
    ]);
    expect(j.state).toBe('failed');
  });

  it('two labels naming the same key, one with a tampered signature: the message fails', async () => {
    const g = good();
    const bad = signed('sig2', member(';keyid="client-ed"', '"@method" "@path"'), ed, [
      '"@method": GET',
      '"@path": /foo',
    ]);
    const j = await judge(request([g, bad]), [edKey]);
    expect(j.verdicts.map(outcome)[1]).toEqual({
      label: 'sig2',
      state: 'failed',
      code: 'ERR_HTTPSIG_SIGNATURE',
    });
    expect(j.state).toBe('failed');
  });

  it('17 labels, each valid: none is verified (keybench judges 16, so the message is not known)', async () => {
    const g = good();
    const labels = Array.from({ length: 17 }, (_, i) => ({ ...g, label: `sig${i + 1}` }));
    const j = await judge(request(labels), [edKey]);
    expect(j.verdicts.length).toBe(16);
    expect(new Set(j.verdicts.map((v) => `${v.state} ${v.code}`))).toEqual(
      new Set(['failed ERR_HTTPSIG_LABEL']),
    );
  });

  it('an empty Signature-Input: no signature (it said the label "" was given twice)', async () => {
    const text = `curl -X POST '${URL}' -H 'Signature-Input;' -H 'Signature: sig1=${good().signature}'`;
    const exam = await examineRequest(text, async () => [edKey], NOW);
    const verdicts = exam?.kind === 'verdict' ? exam.verdicts : [];
    expect(verdicts.map(outcome)).toEqual([
      { label: undefined, state: 'failed', code: 'ERR_HTTPSIG_NO_SIGNATURE' },
    ]);
    expect(boxOf(verdicts)).toMatchObject({ state: 'failed', code: 'ERR_HTTPSIG_NO_SIGNATURE' });
  });

  it('an empty Signature: the label has no signature (it said the label "" was given twice)', async () => {
    const text = `curl -X POST '${URL}' -H 'Signature-Input: sig1=${good().member}' -H 'Signature;'`;
    const exam = await examineRequest(text, async () => [edKey], NOW);
    expect(exam?.kind === 'verdict' && exam.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_LABEL' },
    ]);
  });

  it('no label at all, straight from the engine: the box is never green', async () => {
    const r = req('POST', URL, [
      ['Signature-Input', ' '],
      ['Signature', ' '],
    ]);
    const j = await judge(r, [edKey]);
    expect(j.state).toBe('failed');
  });

  it('through the doctor: one good label and one failing give two verdicts, the box is red', async () => {
    const g = good();
    const bad = signed('sig2', member(';keyid="client-ed"', COVERED, NOW_S - 5), ed, [
      '"@method": PUT',
      ...LINES.slice(1),
    ]);
    const text = `curl -X POST '${URL}' -H 'Signature-Input: sig1=${g.member}, sig2=${bad.member}' -H 'Signature: sig1=${g.signature}, sig2=${bad.signature}'`;
    const exam = await examineRequest(text, async () => [edKey], NOW);
    expect(exam?.kind).toBe('verdict');
    const verdicts = exam?.kind === 'verdict' ? exam.verdicts : [];
    expect(verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'verified', code: 'OK' },
      { label: 'sig2', state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' },
    ]);
    expect(boxOf(verdicts)).toMatchObject({ state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' });
  });
});

describe('alg', () => {
  it('ed25519 named, only an RSA key trusted: refused, the key does not fit (the SDK refuses too)', async () => {
    const r = request([signed('sig1', member(';alg="ed25519";keyid="client-rsa"'), ed)]);
    const j = await judge(r, [rsaKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
    expect(await sdk(r, SDK_KEYS())).toBe('UnsupportedAlgorithmError');
  });

  for (const [name, alg, code] of [
    ['in another case', '"Ed25519"', 'ERR_HTTPSIG_ALG_UNKNOWN'],
    ['with a space', '" ed25519"', 'ERR_HTTPSIG_ALG_UNKNOWN'],
    ['unknown', '"rsa-pss-sha256"', 'ERR_HTTPSIG_ALG_UNKNOWN'],
    ['as a token, not a string', 'ed25519', 'ERR_HTTPSIG_PARAM'],
  ] as const)
    it(`alg ${name} (${alg}), the signature valid over its base: refused`, async () => {
      const j = await judge(request([signed('sig1', member(`;alg=${alg}`), ed)]), [edKey]);
      expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'failed', code }]);
    });

  it("hmac-sha256 keyed with the RSA public key's PEM, the PEM in the key box (not ticked as a secret): refused", async () => {
    const pem = TEST_KEY_RSA_PUB;
    const r = request([signed('sig1', member(';alg="hmac-sha256"'), hmacWith(pem))]);
    const box = await keysFromText(pem, 'HS256', 'text', { ticked: false, guess: false });
    const keys = box.candidates.filter((k) => k.kind === 'public');
    expect(keys.length).toBe(1);
    const j = await judge(r, keys);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
    // The doctor reads the box the same way: no secret is made of a public key.
    const text = `curl -X POST '${URL}' -H 'Signature-Input: sig1=${r.headers[0]![1].slice(5)}' -H 'Signature: ${r.headers[1]![1]}'`;
    const exam = await examineRequest(text, async () => keys, NOW);
    expect(exam?.kind === 'verdict' && exam.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
  });

  it('no alg, an HMAC over the RSA PEM, the RSA public key trusted: never verified', async () => {
    const j = await judge(request([signed('sig1', member(), hmacWith(TEST_KEY_RSA_PUB))]), [rsaKey]);
    expect(j.verdicts[0]!.state).toBe('failed');
    expect(j.verdicts[0]!.signatureVerified).toBe(false);
  });

  it('rsa-v1_5-sha256 named, the RSA key made a PSS signature: a confirmed mistake, never green', async () => {
    const m = member(';alg="rsa-v1_5-sha256"');
    const pss: Signer = (base) =>
      nodeSign('sha512', Buffer.from(base), { key: RSA_PRIVATE, padding: 6, saltLength: 64 }).toString(
        'base64',
      );
    const j = await judge(request([signed('sig1', m, pss)]), [rsaKey]);
    expect(j.verdicts[0]).toMatchObject({ state: 'failed', signatureVerified: false });
  });
});

describe('keyid', () => {
  it('names a key the user does not have; the signature holds with a trusted key: verified, keyid said', async () => {
    const j = await judge(request([signed('sig1', member(';keyid="someone-else"'), ed)]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
    expect(j.verdicts[0]!.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_KEYID_UNKNOWN');
  });

  it('names another trusted key than the one that signed (no alg): refused (the SDK refuses too)', async () => {
    const r = request([signed('sig1', member(';keyid="client-rsa"'), ed)]);
    const j = await judge(r, [rsaKey, edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' },
    ]);
    expect(await sdk(r, SDK_KEYS())).toBe(false);
  });

  it('names the RSA key with alg ed25519, the trusted Ed25519 key signed: refused (was verified; the SDK refuses)', async () => {
    const r = request([signed('sig1', member(';alg="ed25519";keyid="client-rsa"'), ed)]);
    const j = await judge(r, [edKey, rsaKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
    expect(await sdk(r, SDK_KEYS())).toBe('UnsupportedAlgorithmError');
  });

  it('names a trusted key that alg does not fit, another trusted key signed: refused (was verified)', async () => {
    // A server looks client-ed up, finds an Ed25519 key, and refuses rsa-v1_5-sha256 with it.
    const r = request([signed('sig1', member(';alg="rsa-v1_5-sha256";keyid="client-ed"'), rsa)]);
    const j = await judge(r, [edKey, rsaKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(false);
    expect(j.verdicts[0]!.findings.find((f) => f.code === 'ERR_HTTPSIG_ALG_KEY_MISMATCH')?.detail).toBe(
      'alg is "rsa-v1_5-sha256", which needs "an RSA key"; keyid is "client-ed", which names your key "client-ed", and that key is not one. A server looks the key up by keyid and refuses the signature, whichever other key made it.',
    );
    expect(await sdk(r, SDK_KEYS())).toBe('UnsupportedAlgorithmError');
  });

  it('names a trusted key by kid that alg does not fit, another trusted key signed: refused', async () => {
    const r = request([signed('sig1', member(';alg="ed25519";keyid="p256-kid"'), ed)]);
    const j = await judge(r, [p256Key, edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
  });

  it('names a trusted key of no RFC 9421 algorithm (P-521), no alg, another trusted key signed: refused (was verified)', async () => {
    const p521 = await publicKey(P521_PUB, 'client-p521');
    const r = request([signed('sig1', member(';keyid="client-p521"'), ed)]);
    const j = await judge(r, [p521, edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_ALG_KEY_MISMATCH' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(false);
  });

  it('names a key the request carries (x5c), a trusted key signed: the carried key is not "yours"', async () => {
    const carried = { ...rsaKey, origin: 'x5c', label: 'from-x5c' } as VerificationKey;
    const [result] = await verifyEach(scheme, {
      request: request([signed('sig1', member(';keyid="from-x5c"'), ed)]),
      keys: [carried, edKey],
      nowMs: NOW,
    });
    expect(result!.signedBy?.label).toBe('client-ed');
    expect(result!.findings.map((f) => f.code)).toContain('ERR_HTTPSIG_KEYID_UNKNOWN');
  });

  it("names a secret's label, signed with that secret: verified", async () => {
    const r = request([signed('sig1', member(';alg="hmac-sha256";keyid="shared-secret"'), hmacWith(SECRET))]);
    const j = await judge(r, [secret, edKey]);
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
  });

  it("names a secret's label, signed by a trusted Ed25519 key (no alg): refused", async () => {
    const j = await judge(request([signed('sig1', member(';keyid="shared-secret"'), ed)]), [secret, edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' },
    ]);
  });

  it('equals the kid of a pasted JWKS key: that key only', async () => {
    const jwksEd = { ...edKey, origin: 'jwks', label: 'JWKS key 1', kid: 'k-ed' } as VerificationKey;
    const jwksRsa = { ...rsaKey, origin: 'jwks', label: 'JWKS key 2', kid: 'k-rsa' } as VerificationKey;
    const right = await judge(request([signed('sig1', member(';keyid="k-ed"'), ed)]), [jwksRsa, jwksEd]);
    expect(right.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
    expect(right.verdicts[0]!.keyLabel).toBe('JWKS key 1');
    const wrong = await judge(request([signed('sig1', member(';keyid="k-rsa"'), ed)]), [jwksRsa, jwksEd]);
    expect(wrong.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_SIGNATURE' },
    ]);
  });
});

describe('parameters given twice', () => {
  it('created twice: the last counts (RFC 8941), as the SDK reads it, and the base serialises that one', async () => {
    const sent = `(${COVERED});created=1;created=${NOW_S - 10};keyid="client-ed"`;
    const canonical = member(';keyid="client-ed"');
    const r = request([{ label: 'sig1', member: sent, signature: `:${ed(baseOf(LINES, canonical))}:` }]);
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
    expect(await sdk(r, SDK_KEYS())).toBe(true);
  });
});

describe('keyid and a pasted JWKS', () => {
  const jwks = () => [
    { ...rsaKey, origin: 'jwks', label: 'JWKS key 1', kid: 'k-rsa' } as VerificationKey,
    { ...edKey, origin: 'jwks', label: 'JWKS key 2', kid: 'k-ed' } as VerificationKey,
  ];

  it('keyid is no kid of the JWKS, a JWKS key signed: refused, a server looking keys up there finds none (was verified)', async () => {
    const j = await judge(request([signed('sig1', member(';keyid="k-gone"'), ed)]), jwks());
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_KEYID_UNKNOWN' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(true);
    const said = j.verdicts[0]!.findings.find((f) => f.code === 'ERR_HTTPSIG_KEYID_UNKNOWN');
    expect(said?.severity).toBe('error');
    expect(said?.detail).toContain('sign with keyid "k-ed".');
  });

  it('keyid is the kid of two JWKS keys, one signed: refused, a server cannot choose (was verified)', async () => {
    const twice = [
      { ...rsaKey, origin: 'jwks', label: 'JWKS key 1', kid: 'k-1' } as VerificationKey,
      { ...edKey, origin: 'jwks', label: 'JWKS key 2', kid: 'k-1' } as VerificationKey,
    ];
    const j = await judge(request([signed('sig1', member(';keyid="k-1"'), ed)]), twice);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_JWKS_KID_AMBIGUOUS' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(true);
  });

  it('no keyid, a JWKS key signed: verified (nothing names another key)', async () => {
    const j = await judge(request([signed('sig1', member(), ed)]), jwks());
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
  });

  it("keyid names no pasted or stored key: still verified, keyid said (keybench does not know the server's names)", async () => {
    const stored = { ...edKey, origin: 'stored', owner: 'mine' } as VerificationKey;
    const j = await judge(request([signed('sig1', member(';keyid="server-name"'), ed)]), [stored]);
    expect(j.verdicts.map(outcome)).toEqual([{ label: 'sig1', state: 'verified', code: 'OK' }]);
    expect(j.verdicts[0]!.findings.find((f) => f.code === 'ERR_HTTPSIG_KEYID_UNKNOWN')?.severity).toBe(
      'info',
    );
  });
});

describe('keys a request carries', () => {
  for (const origin of ['jwk-header', 'x5c'] as const)
    it(`a ${origin} key handed straight to the engine is never tried; through the rule, never green`, async () => {
      const carried = { ...edKey, origin, label: 'carried' } as VerificationKey;
      const r = request([signed('sig1', member(';keyid="carried"'), ed)]);
      const [result] = await verifyEach(scheme, { request: r, keys: [carried], nowMs: NOW });
      expect(result!.signedBy).toBeUndefined();
      const v = decideRequest({ direction: 'none' }, result!);
      expect(outcome(v)).toEqual({ label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_NO_KEY' });
      const text = `curl -X POST '${URL}' -H 'Signature-Input: ${r.headers[0]![1]}' -H 'Signature: ${r.headers[1]![1]}'`;
      const exam = await examineRequest(text, async () => [carried], NOW);
      expect(exam?.kind === 'verdict' && exam.verdicts.map(outcome)).toEqual([
        { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_NO_KEY' },
      ]);
    });
});

describe('time', () => {
  it('created an hour ahead, the signature valid: refused, the signature said to hold (the SDK refuses)', async () => {
    const r = request([signed('sig1', member(';keyid="client-ed"', COVERED, NOW_S + 3600), ed)]);
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_CREATED_FUTURE' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(true);
    // Its clock is the machine's: "not after" now stands in for it (its error is named for an old signature).
    expect(await sdk(r, SDK_KEYS(), { notAfter: NOW_S, tolerance: 0 })).toBe('ExpiredError');
    expect(await sdk(r, SDK_KEYS())).toBe(true);
  });

  it('expires in the past, the signature valid: refused', async () => {
    const j = await judge(request([signed('sig1', member(`;expires=${NOW_S - 1}`), ed)]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_EXPIRED' },
    ]);
  });
});

describe('components', () => {
  it('a covered header the request does not send: refused', async () => {
    const lines = [...LINES, '"x-tenant": acme'];
    const j = await judge(request([signed('sig1', member('', `${COVERED} "x-tenant"`), ed, lines)]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_MISSING_COMPONENT' },
    ]);
  });

  it('"@signature-params" covered as a component: refused', async () => {
    const cov = `${COVERED} "@signature-params"`;
    const j = await judge(
      request([signed('sig1', member('', cov), ed, [...LINES, `"@signature-params": (${COVERED})`])]),
      [edKey],
    );
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_COMPONENT' },
    ]);
  });

  for (const [name, value] of [
    ['a line that injects "@method"', 'a\n"@method": GET'],
    ['a spoofed "@signature-params" line', `a\n"@signature-params": (${COVERED});created=${NOW_S}`],
    ['a CR', 'a\r"@method": GET'],
  ] as const)
    it(`a covered header holding ${name}: refused, whatever was signed`, async () => {
      const cov = `"x-a" ${COVERED}`;
      // Signed as a verifier that does not refuse the line break would build it.
      const lines = [`"x-a": ${value}`, ...LINES];
      const r = request([signed('sig1', member('', cov), ed, lines)], [['X-A', value]]);
      const j = await judge(r, [edKey]);
      expect(j.verdicts.map(outcome)).toEqual([
        { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_COMPONENT' },
      ]);
    });

  it('a header named like a derived component does not replace it', async () => {
    const lines = ['"@method": DELETE', ...LINES.slice(1)];
    const r = request([signed('sig1', member(), ed, lines)], [['@method', 'DELETE']]);
    const j = await judge(r, [edKey]);
    expect(j.verdicts[0]!.state).toBe('failed');
    expect(j.verdicts[0]!.signatureVerified).toBe(false);
  });

  it('a base signed with CRLF line ends: the mistake is named, never green (the SDK refuses)', async () => {
    const m = member(';keyid="client-ed"');
    const crlf = { label: 'sig1', member: m, signature: `:${ed(baseOf(LINES, m).replace(/\n/g, '\r\n'))}:` };
    expect(await sdk(request([crlf]), SDK_KEYS())).toBe(false);
    const j = await judge(request([crlf]), [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_BASE_FORMAT' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(false);
  });
});

describe('Content-Digest', () => {
  it('covered and signed, then the body changed: refused, the signature said to hold', async () => {
    const digest = await contentDigest(BODY);
    const cov = `${COVERED} "content-digest"`;
    const r = request(
      [signed('sig1', member('', cov), ed, [...LINES, `"content-digest": ${digest}`])],
      [['Content-Digest', digest]],
      BODY.replace('10', '99'),
    );
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_DIGEST_MISMATCH' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(true);
  });

  it('sha-256 given twice, the first wrong, the last right: refused, as two Content-Digest lines are (was verified)', async () => {
    const wrong = await contentDigest('{"amount": 99}', ['sha-256']);
    const digest = `${wrong}, ${await contentDigest(BODY, ['sha-256'])}`;
    const cov = `${COVERED} "content-digest"`;
    const r = request(
      [signed('sig1', member('', cov), ed, [...LINES, `"content-digest": ${digest}`])],
      [['Content-Digest', digest]],
      BODY,
    );
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_DIGEST_MALFORMED' },
    ]);
    expect(j.verdicts[0]!.signatureVerified).toBe(true);
  });

  it('one member matches the body, another does not: refused', async () => {
    const digest = `${await contentDigest(BODY, ['sha-256'])}, sha-512=:${Buffer.alloc(64).toString('base64')}:`;
    const cov = `${COVERED} "content-digest"`;
    const r = request(
      [signed('sig1', member('', cov), ed, [...LINES, `"content-digest": ${digest}`])],
      [['Content-Digest', digest]],
      BODY,
    );
    const j = await judge(r, [edKey]);
    expect(j.verdicts.map(outcome)).toEqual([
      { label: 'sig1', state: 'failed', code: 'ERR_HTTPSIG_DIGEST_MISMATCH' },
    ]);
  });
});
