/**
 * Encrypting a payload to a partner's public key with jose's CompactEncrypt, by each partner's
 * conventions (header members, content algorithm, `kid` rule, JSON body).
 */
import { CompactEncrypt, type CompactJWEHeaderParameters } from 'jose';
import { KeybenchError } from '../errors';
import { toHex } from '../encoding/base64url';

/** The encryption conventions keybench knows. */
export type JwePartner = 'visa' | 'cybersource' | 'mastercard' | 'plain';

/** Each convention, in words, for the Partner choice. */
export const JWE_PARTNER_NAMES: Readonly<Record<JwePartner, string>> = {
  visa: 'Visa MLE',
  cybersource: 'CyberSource MLE',
  mastercard: 'Mastercard encryption',
  plain: 'Plain JWE',
};

/** What the partner's `kid` is, for the form's label. */
export const KID_RULES: Readonly<Record<JwePartner, string>> = {
  visa: 'Key-ID (from the Visa Developer Center)',
  cybersource:
    "Serial number of CyberSource's MLE certificate (the serialNumber in its subject, else its X.509 serial)",
  mastercard: 'Public key fingerprint (computed: SHA-256 of the public key, hex)',
  plain: 'kid (optional)',
};

/** What to encrypt, and to whom. */
export interface EncryptInput {
  partner: JwePartner;
  /** The recipient's public key, SPKI DER (re-imported here as an RSA-OAEP-256 encryption key). */
  spki: Uint8Array<ArrayBuffer>;
  payload: string;
  /** Visa's Key-ID, the serialNumber of CyberSource's certificate subject, or a plain JWE's kid. Mastercard's is computed. */
  kid?: string;
  /** Now, ms since 1970 (iat). */
  now: number;
}

/** The result: the compact JWE, the partner's body, and the request headers it names. */
export interface EncryptOutput {
  compact: string;
  header: CompactJWEHeaderParameters;
  body: string;
  headers: Record<string, string>;
}

/** SHA-256 of the SPKI DER, lowercase hex: Mastercard's "public key fingerprint". */
export async function mastercardFingerprint(spki: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', spki)));
}

/** The protected header each partner's SDK writes. */
async function headerFor(input: EncryptInput): Promise<CompactJWEHeaderParameters> {
  const kid = input.kid?.trim();
  if ((input.partner === 'visa' || input.partner === 'cybersource') && !kid) {
    throw new KeybenchError(
      'ERR_JWE_INPUT',
      `${JWE_PARTNER_NAMES[input.partner]} needs the ${KID_RULES[input.partner]} as kid: fill it in.`,
    );
  }
  switch (input.partner) {
    case 'visa':
      return { alg: 'RSA-OAEP-256', enc: 'A128GCM', typ: 'JWE', kid: kid!, iat: input.now };
    case 'cybersource':
      return { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: kid!, iat: Math.floor(input.now / 1000) };
    case 'mastercard':
      return {
        kid: await mastercardFingerprint(input.spki),
        cty: 'application/json',
        alg: 'RSA-OAEP-256',
        enc: 'A256GCM',
      };
    case 'plain':
      return { alg: 'RSA-OAEP-256', enc: 'A256GCM', ...(kid ? { kid } : {}) };
  }
}

/** The member of each partner's JSON body that holds the compact JWE (a plain JWE is the body itself). */
const BODY_MEMBER: Readonly<Record<JwePartner, string | null>> = {
  visa: 'encData',
  cybersource: 'encryptedRequest',
  mastercard: 'encryptedValue',
  plain: null,
};

/** The partner's JSON body around the compact JWE, and its headers (Visa's name the key: keyId). */
function wrap(
  partner: JwePartner,
  compact: string,
  kid: string | undefined,
): { body: string; headers: Record<string, string> } {
  const member = BODY_MEMBER[partner];
  if (member === null) return { body: compact, headers: { 'Content-Type': 'application/jose' } };
  return {
    body: JSON.stringify({ [member]: compact }),
    headers: { 'Content-Type': 'application/json', ...(partner === 'visa' ? { keyId: kid ?? '' } : {}) },
  };
}

/**
 * Encrypt `payload` to the recipient's public key by the partner's conventions.
 * @throws KeybenchError ERR_JWE_INPUT (a missing kid), ERR_JWE_KEY_TYPE (not an RSA key of 2048 bits or more).
 */
export async function encryptFor(input: EncryptInput): Promise<EncryptOutput> {
  const header = await headerFor(input);
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('spki', input.spki, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, [
      'encrypt',
    ]);
  } catch (e) {
    throw new KeybenchError(
      'ERR_JWE_KEY_TYPE',
      'The recipient key is not an RSA public key: JWE to these partners needs RSA (2048 bits or more).',
      { cause: e },
    );
  }
  if ((key.algorithm as RsaHashedKeyAlgorithm).modulusLength < 2048) {
    throw new KeybenchError(
      'ERR_JWE_KEY_TYPE',
      'The recipient key is shorter than 2048 bits: RSA-OAEP-256 needs 2048 or more.',
    );
  }
  const compact = await new CompactEncrypt(new TextEncoder().encode(input.payload))
    .setProtectedHeader(header)
    .encrypt(key);
  return { compact, header, ...wrap(input.partner, compact, header.kid) };
}
