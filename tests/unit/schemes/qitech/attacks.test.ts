/**
 * QI Tech's requests say "Signature verified" through the engine (schemes/qitech/scheme.ts): the
 * same attacks as the inspector's corpus, each with its exact outcome, and a differential check of
 * its signature verdict against the by-hand node:crypto verifier.
 */
import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import { parseKeyText, type ParsedPublicKey } from '../../../../src/lib/keys/parse';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import { verifyScheme } from '../../../../src/lib/scheme/check';
import QITECH from '../../../../src/lib/schemes/qitech/scheme';
import { plain } from '../../../../src/lib/rich';
import { decideRequest } from '../../../../src/lib/trust/verdict';
import { b64u, segment, tamper, type TrustedForNode } from '../../support/attack-corpus';
import { vector } from '../../support/helpers';
import { nodeJwk, nodeJws, toolKey } from '../../support/jwt-helpers';
import { nodeJoseVerify } from '../../support/node-jose';

const v2 = JSON.parse(vector('qitech', 'vectors-v2.json'));
const c = v2.v2_post;
const claims = c.claims as Record<string, string>;
const clientPem = vector('qitech', 'jwtECDSASHA512.key.pub');
const clientPrivate = createPrivateKey(vector('qitech', 'jwtECDSASHA512.key'));
const attacker = toolKey('p521');

async function storedClientKey(): Promise<VerificationKey> {
  const parsed = (await parseKeyText(clientPem)) as ParsedPublicKey;
  return {
    kind: 'public',
    label: 'my server key',
    origin: 'stored',
    owner: 'mine',
    spki: parsed.spki,
    type: parsed.type,
  };
}

function withHeader(header: string, key = clientPrivate): string {
  const input = `${b64u(header)}.${segment(claims)}`;
  return `${input}.${b64u(nodeSign('sha512', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
}

interface RequestAttack {
  name: string;
  authorization: string;
  /** Which trusted keys: the stored client key, or none. */
  trusted: 'client' | 'none';
  signatureVerified: boolean;
}

const cases: RequestAttack[] = [
  {
    name: 'the vector, with the client key',
    authorization: c.headers.AUTHORIZATION,
    trusted: 'client',
    signatureVerified: true,
  },
  {
    name: 'the vector, with no key',
    authorization: c.headers.AUTHORIZATION,
    trusted: 'none',
    signatureVerified: false,
  },
  {
    name: 'signed by an attacker key it carries in a jwk header',
    authorization: nodeJws('ES512', attacker.privateKey, claims, { jwk: nodeJwk(attacker) }),
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'signed by an attacker key it carries in a jwk header, no trusted key',
    authorization: nodeJws('ES512', attacker.privateKey, claims, { jwk: nodeJwk(attacker) }),
    trusted: 'none',
    signatureVerified: false,
  },
  {
    name: 'alg none',
    authorization: `${segment({ alg: 'none' })}.${segment(claims)}.`,
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'HS256 forged with the client public key PEM as secret',
    authorization: nodeJws('HS256', Buffer.from(clientPem), claims),
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'duplicate alg',
    authorization: withHeader('{"alg":"none","alg":"ES512"}'),
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'psychic signature (r = s = 0)',
    authorization: `${segment({ alg: 'ES512', typ: 'JWT' })}.${segment(claims)}.${b64u(Buffer.alloc(132))}`,
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'DER-encoded signature',
    authorization: nodeJws('ES512', clientPrivate, claims, {}, { der: true }),
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'signed by another P-521 key',
    authorization: nodeJws('ES512', attacker.privateKey, claims),
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'claims tampered',
    authorization: tamper(c.headers.AUTHORIZATION, 1),
    trusted: 'client',
    signatureVerified: false,
  },
  {
    name: 'unknown crit',
    authorization: withHeader('{"alg":"ES512","crit":["x"],"x":1}'),
    trusted: 'client',
    signatureVerified: false,
  },
];

describe('QI Tech requests: attacks, exact outcomes, and node:crypto agreeing', () => {
  it.each(cases.map((a) => [a.name, a] as const))('%s', async (_name, a) => {
    const keys = a.trusted === 'client' ? [await storedClientKey()] : [];
    const request = {
      source: 'curl' as const,
      method: 'POST',
      url: 'https://api-auth.sandbox.qitech.app/test',
      headers: [
        ['AUTHORIZATION', a.authorization],
        ['API-CLIENT-KEY', c.headers['API-CLIENT-KEY']],
      ] as [string, string][],
      body: c.sent_body,
      notes: [],
    };
    const scheme = QITECH.find((s) => s.id === 'qit-v2')!;
    const found = await verifyScheme(scheme, { request, keys, nowMs: Date.parse(c.timestamp) });
    const v = decideRequest({ direction: 'request-to', partner: 'qitech' }, found);
    expect(v.signatureVerified).toBe(a.signatureVerified);
    if (!a.signatureVerified) expect(v.state).toBe('failed');
    expect(/^Signature verified/.test(plain(v.parts))).toBe(a.signatureVerified);
    const trusted: TrustedForNode[] = a.trusted === 'client' ? [{ key: createPublicKey(clientPem) }] : [];
    expect(v.signatureVerified).toBe(nodeJoseVerify(a.authorization, trusted));
  });
});
