/**
 * The doctor says only what it knows when no known mistake is confirmed: for RSA PKCS#1 v1.5 the
 * public operation tells whether the key made the signature at all; for Ed25519, ECDSA and HMAC it
 * cannot, and says the key or the signed bytes differ. It never tells the user to change a key it
 * does not know is wrong. Signatures are made with node:crypto.
 */
import { constants, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationKey } from '../../../../src/lib/jwt/verify';
import type { ParsedRequest, RequestVerdict } from '../../../../src/lib/request/types';
import { plain } from '../../../../src/lib/rich';
import { diagnoseBinance } from '../../support/binance-helpers';

const ed = generateKeyPairSync('ed25519');
const edOther = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaOther = generateKeyPairSync('rsa', { modulusLength: 2048 });

const TS = 1668481559918;
const NOW = TS + 1200;
const API = 'https://api.binance.com/api/v3/order';
const PARAMS = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&recvWindow=5000&timestamp=${TS}`;

function trusted(pub: KeyObject, label: string): VerificationKey {
  const rsaKey = pub.asymmetricKeyType === 'rsa';
  return {
    kind: 'public',
    label,
    origin: 'stored',
    owner: 'mine',
    spki: new Uint8Array(pub.export({ type: 'spki', format: 'der' })),
    type: rsaKey ? { kty: 'RSA', bits: 2048 } : { kty: 'OKP', curve: 'Ed25519' },
  };
}

function sig(payload: string, key: KeyObject): string {
  const hash = key.asymmetricKeyType === 'rsa' ? 'sha256' : null;
  return encodeURIComponent(nodeSign(hash, Buffer.from(payload), key).toString('base64'));
}

function request(query: string, signature: string): ParsedRequest {
  return {
    source: 'curl',
    method: 'GET',
    url: `${API}?${query}&signature=${signature}`,
    headers: [['X-MBX-APIKEY', 'k']],
    body: '',
    notes: [],
  };
}

const diagnose = (req: ParsedRequest, keys: VerificationKey[]) =>
  diagnoseBinance({ request: req, keys, nowMs: NOW });
const headline = (v: RequestVerdict) => plain(v.parts);
const advice = (v: RequestVerdict) =>
  v.diagnoses.map((d) => `${d.title} ${plain(d.explanation)} ${d.remedy}`).join(' ');

/** What a doctor must not say when it does not know the key is wrong. */
const BLAMES_KEY = /sign with the private key|another private key signed|registered|upload/i;
const JARGON = /mistaken variants|trusted keys? made it over the payload|none of the 1 /i;

describe('Binance: common parameter orders are confirmed mistakes', () => {
  const first = `timestamp=${TS}&${PARAMS.replace(`&timestamp=${TS}`, '')}`;

  it('signed with timestamp moved first → ERR_BINANCE_PARAM_ORDER, confirmed, not a key problem', async () => {
    const v = await diagnose(request(PARAMS, sig(first, ed.privateKey)), [trusted(ed.publicKey, 'my key')]);
    expect(v.state).toBe('failed');
    expect(v.code).toBe('ERR_BINANCE_PARAM_ORDER');
    expect(v.diagnoses[0]).toMatchObject({ confirmed: true, signed: first });
    expect(v.diagnoses[0]!.title).toMatch(/timestamp/i);
    expect(headline(v)).toBe(
      'The signature does not match what is sent. Key "my key" made it, with this mistake: parameters signed with timestamp moved first. The fix is below.',
    );
    expect(advice(v)).not.toMatch(BLAMES_KEY);
  });

  it('signed with timestamp moved last (sent first) → ERR_BINANCE_PARAM_ORDER', async () => {
    const v = await diagnose(request(first, sig(PARAMS, ed.privateKey)), [trusted(ed.publicKey, 'my key')]);
    expect(v.code).toBe('ERR_BINANCE_PARAM_ORDER');
    expect(v.diagnoses[0]).toMatchObject({ confirmed: true, signed: PARAMS });
  });

  it('the same with an RSA key', async () => {
    const v = await diagnose(request(PARAMS, sig(first, rsa.privateKey)), [
      trusted(rsa.publicKey, 'rsa key'),
    ]);
    expect(v.code).toBe('ERR_BINANCE_PARAM_ORDER');
  });
});

describe('Binance: no known mistake confirmed', () => {
  const unknownBytes = PARAMS.replace('quantity=1', 'quantity=2');

  it('Ed25519: says the key or the signed bytes differ, and does not blame the key', async () => {
    for (const signer of [ed.privateKey, edOther.privateKey]) {
      const v = await diagnose(
        request(PARAMS, sig(signer === ed.privateKey ? unknownBytes : PARAMS, signer)),
        [trusted(ed.publicKey, 'my key')],
      );
      expect(v.state).toBe('failed');
      expect(v.code).toBe('ERR_BINANCE_SIGNATURE');
      expect(headline(v)).toMatch(/the key or the signed bytes differ/i);
      expect(headline(v)).not.toMatch(JARGON);
      expect(advice(v)).not.toMatch(BLAMES_KEY);
      expect(v.diagnoses[0]!.confirmed).toBe(false);
    }
  });

  it('RSA, the key made it over other bytes → ERR_BINANCE_OTHER_BYTES naming the key', async () => {
    const v = await diagnose(request(PARAMS, sig(unknownBytes, rsa.privateKey)), [
      trusted(rsaOther.publicKey, 'old key'),
      trusted(rsa.publicKey, 'rsa key'),
    ]);
    expect(v.code).toBe('ERR_BINANCE_OTHER_BYTES');
    expect(v.keyLabel).toBe('rsa key');
    expect(headline(v)).toMatch(/"rsa key" made this signature, but over other bytes/i);
    expect(headline(v)).not.toMatch(JARGON);
    expect(advice(v)).not.toMatch(BLAMES_KEY);
  });

  it('RSA, none of the keys made it → ERR_BINANCE_OTHER_KEY, and only then the key is named as the problem', async () => {
    const v = await diagnose(request(PARAMS, sig(PARAMS, rsaOther.privateKey)), [
      trusted(rsa.publicKey, 'rsa key'),
    ]);
    expect(v.code).toBe('ERR_BINANCE_OTHER_KEY');
    expect(headline(v)).toMatch(/another key made this signature/i);
    expect(headline(v)).not.toMatch(JARGON);
    expect(v.diagnoses[0]!.remedy).toMatch(/registered/);
  });

  it('RSA, the key made it with RSA-PSS → ERR_BINANCE_RSA_PSS, not "another key"', async () => {
    const pss = nodeSign('sha256', Buffer.from(PARAMS), {
      key: rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString('base64');
    const v = await diagnose(request(PARAMS, encodeURIComponent(pss)), [trusted(rsa.publicKey, 'rsa key')]);
    expect(v.code).toBe('ERR_BINANCE_RSA_PSS');
    expect(v.keyLabel).toBe('rsa key');
    expect(headline(v)).toMatch(/"rsa key" made this signature, but with RSA-PSS/);
    expect(advice(v)).not.toMatch(BLAMES_KEY);
  });

  it('RSA, a signature sent with a raw + (not encoded) over other bytes: still "your key made it"', async () => {
    let bytes = unknownBytes;
    let raw = nodeSign('sha256', Buffer.from(bytes), rsa.privateKey).toString('base64');
    for (let i = 3; !raw.includes('+'); i++) {
      bytes = PARAMS.replace('quantity=1', `quantity=${i}`);
      raw = nodeSign('sha256', Buffer.from(bytes), rsa.privateKey).toString('base64');
    }
    const v = await diagnose(request(PARAMS, raw), [trusted(rsa.publicKey, 'rsa key')]);
    expect(v.code).toBe('ERR_BINANCE_OTHER_BYTES');
    expect(v.keyLabel).toBe('rsa key');
  });

  it('an RSA key that did not make it, beside an Ed25519 key: the key or the bytes differ', async () => {
    const v = await diagnose(request(PARAMS, sig(PARAMS, edOther.privateKey)), [
      trusted(rsa.publicKey, 'rsa key'),
      trusted(ed.publicKey, 'ed key'),
    ]);
    expect(v.code).toBe('ERR_BINANCE_SIGNATURE');
    expect(headline(v)).toMatch(/the key or the signed bytes differ/i);
    expect(advice(v)).not.toMatch(BLAMES_KEY);
  });
});
