/**
 * The sample token "Try an example" shows: an RS256 token signed with a key pair generated at the
 * click (non-extractable private key, kept in memory only and never stored), with its public key,
 * so the first verdict is green by the ordinary rule (a pasted public key the user trusts).
 */
import { spkiToPem } from '../keys/export';
import { generateKeyPair } from '../keys/generate';
import type { Resigner } from './resign';
import { signJws } from './sign';
import { EXAMPLE_KEY_LABEL } from './example-label';

/** The example: its token, the public key to verify it with, and what re-signs it when edited. */
export interface Example {
  token: string;
  publicPem: string;
  /** The example key's SPKI, so the inspector names it as the example's wherever it is pasted. */
  spki: Uint8Array<ArrayBuffer>;
  signer: Resigner & { kind: 'pair' };
}

/** The example's label wherever keybench names its key. */
export { EXAMPLE_KEY_LABEL };

/** A fresh example token, issued now and valid for an hour. */
export async function makeExample(nowMs: number): Promise<Example> {
  const pair = await generateKeyPair('rsa-2048');
  const iat = Math.floor(nowMs / 1000);
  const payload = { sub: '1234567890', name: 'Sample User', admin: true, iat, exp: iat + 3600 };
  const token = await signJws(
    { alg: 'RS256', typ: 'JWT' },
    JSON.stringify(payload),
    pair.privateKey,
    'RS256',
  );
  return {
    token,
    publicPem: spkiToPem(pair.spki),
    spki: pair.spki,
    signer: { kind: 'pair', label: EXAMPLE_KEY_LABEL, privateKey: pair.privateKey, alg: 'RS256' },
  };
}
