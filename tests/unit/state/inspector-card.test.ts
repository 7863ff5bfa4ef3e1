/**
 * The partner card's state in Node (state/inspector-card.svelte.ts): a card is shown only beside
 * the token, verdict and choice it was made for, and the newest update wins.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keysFromText } from '../../../src/lib/jwt/candidates';
import { decodeToken } from '../../../src/lib/jwt/decode';
import { verdictFor } from '../../../src/lib/jwt/inspect';
import { AUTO } from '../../../src/lib/scheme/token';
import { PartnerCards } from '../../../src/state/inspector-card.svelte';
import { nodeJws, toolKey } from '../support/jwt-helpers';

const k = toolKey('rsa2048');
const fp = `SHA256:${createHash('sha256')
  .update(createPublicKey(k.publicPem).export({ type: 'spki', format: 'der' }))
  .digest('base64')}`;
const now = Math.floor(Date.now() / 1000);
const snowflake = decodeToken(
  nodeJws('RS256', k.privateKey, {
    iss: `XY12345.JSMITH.${fp}`,
    sub: 'XY12345.JSMITH',
    iat: now,
    exp: now + 600,
  }),
);
const plainToken = decodeToken(nodeJws('RS256', k.privateKey, { sub: 'nobody' }));

describe('PartnerCards', () => {
  it('shows a card only beside its own token, verdict and choice', async () => {
    const box = await keysFromText(k.publicPem, 'RS256', 'text');
    const verdict = await verdictFor(snowflake, box, []);
    const cards = new PartnerCards();
    const inputs = { token: snowflake, verdict, nowMs: Date.now(), skewSec: 0, trustedKeys: [] };
    await cards.update(inputs);
    // Nothing typed on the card: the account and user are not compared, so amber (never green).
    expect(cards.cardFor(snowflake, verdict)?.card?.summary).toEqual({
      text: 'No Snowflake check fails, but 2 checks were not compared (Account, User): type or paste what the card asks for below.',
      tone: 'warn',
    });
    expect(cards.checks?.map((c) => c.id)).toContain('snowflake-jwt');
    // Another token, or another verdict about the same token: nothing (never the green of another).
    expect(cards.cardFor(plainToken, verdict)).toBeUndefined();
    const failed = await verdictFor(snowflake, null, []);
    expect(cards.cardFor(snowflake, failed)).toBeUndefined();
    // Another choice: nothing until it is made.
    cards.choice = 'snowflake-jwt';
    expect(cards.cardFor(snowflake, verdict)).toBeUndefined();
    await cards.update(inputs);
    expect(cards.cardFor(snowflake, verdict)?.card?.chosen).toBe(true);
    cards.choice = AUTO;
  });

  it('no card while the verdict is pending; the newest update wins', async () => {
    const cards = new PartnerCards();
    await cards.update({ token: snowflake, verdict: null, nowMs: Date.now(), skewSec: 0, trustedKeys: [] });
    expect(cards.cardFor(snowflake, null)).toBeUndefined();
    const v1 = await verdictFor(snowflake, null, []);
    const v2 = await verdictFor(plainToken, null, []);
    const first = cards.update({
      token: snowflake,
      verdict: v1,
      nowMs: Date.now(),
      skewSec: 0,
      trustedKeys: [],
    });
    const second = cards.update({
      token: plainToken,
      verdict: v2,
      nowMs: Date.now(),
      skewSec: 0,
      trustedKeys: [],
    });
    await Promise.all([first, second]);
    expect(cards.cardFor(snowflake, v1)).toBeUndefined();
    expect(cards.cardFor(plainToken, v2)).toEqual({
      token: plainToken,
      verdict: v2,
      choice: AUTO,
      card: null,
    });
  });

  it('typed values reach the check', async () => {
    const cards = new PartnerCards();
    const verdict = await verdictFor(snowflake, null, []);
    cards.setOption('snowflake-jwt', 'user', 'someone-else');
    expect(cards.option('snowflake-jwt', 'user')).toBe('someone-else');
    await cards.update({ token: snowflake, verdict, nowMs: Date.now(), skewSec: 0, trustedKeys: [] });
    const f = cards.cardFor(snowflake, verdict)?.card?.findings.find((x) => x.check === 'user-expected');
    expect(f?.code).toBe('ERR_SNOWFLAKE_OTHER_PRINCIPAL');
  });
});
