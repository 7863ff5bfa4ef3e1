/**
 * Inspecting a pasted JWE: read it, explain its header, and try the user's own encryption key
 * pairs. The state comes from trust/decryption.ts. The plaintext is returned to the caller to show,
 * never stored or logged here.
 */
import { calculateJwkThumbprint, type JWK } from 'jose';
import { KeybenchError, isKeybenchError, type ErrorCode } from '../errors';
import type { StoredKey } from '../keys/stored-key';
import { decideDecryption, isOwnPair, type Decrypted } from '../trust/decryption';
import { checkDecryptable, decryptWithKey } from './decrypt';
import { mastercardFingerprint } from './encrypt';
import { explainHeader, parseJwe, type HeaderMember, type JweWrapper } from './parse';
import { subjectSerialNumber } from '../x509/subject';

/** What Inspect shows for a JWE. */
export interface JweReport {
  state: Decrypted | 'failed';
  code: ErrorCode | 'OK';
  /** The headline, in keybench's words (a kid from the input is quoted as JSON). */
  message: string;
  wrapper?: JweWrapper;
  header?: HeaderMember[];
  notes: string[];
  /** The key that decrypted it, when one did. */
  keyId?: string;
  keyLabel?: string;
  /** The plaintext, only when the state is decrypted. */
  plaintext?: string;
}

/** True for a stored pair whose private key decrypts RSA-OAEP. */
export function isEncryptionPair(key: StoredKey): boolean {
  return isOwnPair(key) && key.privateKey!.algorithm.name === 'RSA-OAEP';
}

/** The identifiers a partner may put in `kid` for this key: SPKI SHA-256 hex (Mastercard), certificate serials and subject serialNumber attributes (CyberSource's SDK uses the latter), RFC 7638 thumbprint. */
async function kidsOf(key: StoredKey): Promise<string[]> {
  const fp = await mastercardFingerprint(key.spki);
  const jwk = (await crypto.subtle.exportKey('jwk', key.publicKey)) as JWK;
  const ids = [fp, await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n!, e: jwk.e! }, 'sha256'), key.id];
  for (const c of key.certificates ?? []) {
    ids.push(c.serial, c.serial.replace(/^0+/, ''), BigInt(`0x${c.serial}`).toString(10));
    const subjectSerial = subjectSerialNumber(c.subject);
    if (subjectSerial) ids.push(subjectSerial);
  }
  return ids.map((s) => s.toLowerCase());
}

/** The failure report, keeping what was read. */
function failed(e: unknown, base: Partial<JweReport>): JweReport {
  const code = isKeybenchError(e) ? e.code : 'ERR_JWE_INPUT';
  const message = e instanceof Error ? e.message : String(e);
  return { notes: [], ...base, state: 'failed', code, message };
}

/** Which keys to try: those whose identifiers include the kid first, then the rest. */
async function ordered(
  keys: readonly StoredKey[],
  kid: string | undefined,
): Promise<{ keys: StoredKey[]; kidKnown: boolean }> {
  if (kid === undefined) return { keys: [...keys], kidKnown: true };
  const want = kid.toLowerCase();
  const matched: StoredKey[] = [];
  const rest: StoredKey[] = [];
  for (const k of keys) ((await kidsOf(k)).includes(want) ? matched : rest).push(k);
  return { keys: [...matched, ...rest], kidKnown: matched.length > 0 };
}

/** Try each key in turn; the first tag that holds wins. A tag failure outranks a wrong key. */
async function tryKeys(
  jwe: ReturnType<typeof parseJwe>,
  keys: readonly StoredKey[],
): Promise<{ key: StoredKey; plaintext: Uint8Array } | { error: unknown }> {
  let error: unknown = new KeybenchError(
    'ERR_JWE_NO_KEY',
    'No encryption key is stored: generate one on Keys, or import yours.',
  );
  for (const key of keys) {
    try {
      return { key, plaintext: await decryptWithKey(jwe, key.privateKey!) };
    } catch (e) {
      if (!isKeybenchError(e, 'ERR_JWE_WRONG_KEY') || !isKeybenchError(error, 'ERR_JWE_TAG')) error = e;
    }
  }
  return { error };
}

/**
 * Read a pasted JWE (or a partner body around one) and try every stored encryption key pair of the
 * user's own. `decrypted` only by the trust rule.
 */
export async function inspectJwe(text: string, stored: readonly StoredKey[]): Promise<JweReport> {
  let jwe;
  try {
    jwe = parseJwe(text);
  } catch (e) {
    return failed(e, {});
  }
  const base: Partial<JweReport> = {
    wrapper: jwe.wrapper,
    header: explainHeader(jwe.header),
    notes: jwe.notes,
  };
  try {
    checkDecryptable(jwe);
  } catch (e) {
    return failed(e, base);
  }
  const kid = typeof jwe.header.kid === 'string' ? jwe.header.kid : undefined;
  const { keys, kidKnown } = await ordered(stored.filter(isEncryptionPair), kid);
  const result = await tryKeys(jwe, keys);
  if ('error' in result) {
    if (!kidKnown && keys.length > 0 && !isKeybenchError(result.error, 'ERR_JWE_TAG')) {
      return failed(
        new KeybenchError(
          'ERR_JWE_KID_UNKNOWN',
          `No stored key has the kid ${JSON.stringify(kid)}, and none of your encryption keys decrypts it: it was encrypted to another key.`,
        ),
        base,
      );
    }
    return failed(result.error, base);
  }
  const state = decideDecryption(result.key, true);
  const notes = [...jwe.notes];
  if (!kidKnown)
    notes.push(
      `The kid ${JSON.stringify(kid)} is none of this key's identifiers (fingerprint, certificate serial, thumbprint): a partner's own Key-ID, perhaps.`,
    );
  let plaintext: string;
  try {
    plaintext = new TextDecoder('utf-8', { fatal: true }).decode(result.plaintext);
  } catch {
    plaintext = new TextDecoder().decode(result.plaintext);
    notes.push('The plaintext is not valid UTF-8: unreadable bytes are shown as �.');
  }
  return {
    ...base,
    notes,
    state,
    code: state === 'failed' ? 'ERR_JWE_NO_KEY' : 'OK',
    message:
      state === 'failed'
        ? 'Not decrypted: only your own stored key pair counts.'
        : `Decrypted with ${result.key.label}: the tag held. This proves nothing about who sent it: anyone can encrypt to a public key.`,
    keyId: result.key.id,
    keyLabel: result.key.label,
    plaintext,
  };
}
