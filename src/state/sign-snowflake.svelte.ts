/** The Snowflake key-pair JWT signer's state (until its form moves onto the engine, snowflake-jwt/form.ts). */
import { KeybenchError, messageOf } from '../lib/errors';
import type { Rich } from '../lib/rich';
import {
  signSnowflakeJwt,
  snowflakeAccountHost,
  snowflakeClaims,
  snowflakeCurl,
  snowflakeFingerprint,
  snowflakeHeaders,
  type SnowflakeClaims,
} from '../lib/partners/snowflake';
import { pairOf, pairsFor, type PairKind } from './sign-keys';

/** A Snowflake key-pair JWT as made in the Sign view, with what it travels in. */
export interface SnowflakeSigned {
  jwt: string;
  claims: SnowflakeClaims;
  headers: Record<string, string>;
  curl: string;
}

/** The Snowflake form, kept while the user moves between tabs. */
export class SnowflakeSignerState {
  // Snowflake key-pair JWT
  snowflakeKeyId = $state('');
  snowflakeAccount = $state('');
  snowflakeUser = $state('');
  /** Minutes until exp; Snowflake accepts at most 60. */
  snowflakeLifetimeMin = $state(60);
  snowflakeSlot = $state<1 | 2>(1);
  snowflakeResult = $state.raw<SnowflakeSigned | null>(null);
  snowflakeError = $state.raw<Rich | null>(null);

  /** Key pairs that can sign the given family. */
  pairsFor(kind: PairKind) {
    return pairsFor(kind);
  }

  #key(id: string, kind: PairKind) {
    return pairOf(id, kind);
  }

  /** The RSA pair the Snowflake signer uses: the chosen one, else the first. */
  get snowflakeKey() {
    return this.#key(this.snowflakeKeyId, 'rsa');
  }

  async signSnowflake(): Promise<void> {
    this.snowflakeError = null;
    this.snowflakeResult = null;
    const key = this.snowflakeKey;
    if (!key?.privateKey) {
      this.snowflakeError = ['Generate or import an RSA-2048 key pair first (Keys).'];
      return;
    }
    try {
      const minutes = Number(this.snowflakeLifetimeMin);
      const claims = snowflakeClaims({
        account: this.snowflakeAccount,
        user: this.snowflakeUser,
        fingerprint: await snowflakeFingerprint(key.spki),
        nowSec: Math.floor(Date.now() / 1000),
        lifetimeSec: Math.round(minutes * 60),
      });
      const jwt = await signSnowflakeJwt(key.privateKey, claims);
      this.snowflakeResult = {
        jwt,
        claims,
        headers: snowflakeHeaders(jwt),
        curl: snowflakeCurl(snowflakeAccountHost(this.snowflakeAccount), jwt, 'SELECT CURRENT_USER()'),
      };
    } catch (e) {
      this.snowflakeError = e instanceof KeybenchError ? e.parts : [messageOf(e)];
    }
  }
}

/** The Snowflake signer. */
export const snowflakeSigner = new SnowflakeSignerState();
