/**
 * A keyring record from pasted key text (the Import form): a private key becomes a non-extractable
 * signing pair (always the user's own), a public key or certificate a trusted verify-only key whose
 * owner must be said. A certificate is kept with its key: on a stored key of the same public key if
 * there is one, else on the new trusted key. Loaded on demand, with the ASN.1 code.
 */
import { sameBytes } from '../encoding/base64url';
import { KeybenchError } from '../errors';
import type { KeyOwner, PartnerId } from '../trust/owner';
import { describeKeyType } from './key-type';
import { parseKeySetText, type ParsedKey, type ParsedPrivateKey, type ParsedPublicKey } from './parse';
import { defaultAlgFor, importDecryptionKey, importPrivateKey, importPublicKey } from './import';
import { defaultLabel, type StoredCertificate, type StoredKey } from './stored-key';

// The names come with every profile: loaded here, only when a key is imported, so the first page's
// link to this module does not preload the profiles.
const partnerNames = () => import('../partners/profiles');

/** What an import does: store a new key, or keep certificates with a key already stored. */
export type ImportPlan =
  | { kind: 'new'; key: StoredKey; message: string }
  | { kind: 'certificates'; keyId: string; certificates: StoredCertificate[]; message: string };

/**
 * The one key a text holds, and the certificates of that key found with it: a certificate chain
 * (leaf first, as servers and CAs send them) gives the leaf's key; a private key may come with its
 * certificate. Certificates of other keys (the chain's CAs) are counted, not kept.
 */
function oneKey(parsed: ParsedKey[]): {
  key: ParsedKey;
  certificates: Uint8Array<ArrayBuffer>[];
  others: number;
} {
  const key = parsed.find((k) => k.kind === 'private') ?? parsed[0]!;
  const rest = parsed.filter((k) => k !== key);
  const isCert = (k: ParsedKey): k is ParsedPublicKey & { certificate: Uint8Array<ArrayBuffer> } =>
    k.kind === 'public' && k.certificate !== undefined;
  if (rest.length > 0 && (!rest.every(isCert) || (key.kind === 'public' && !isCert(key)))) {
    throw new KeybenchError('ERR_KEY_UNRECOGNISED', `This text holds ${parsed.length} keys; paste one key.`);
  }
  const all = [key, ...rest].filter(isCert);
  const mine = all.filter((c) => sameBytes(c.spki, key.spki)).map((c) => c.certificate);
  if (key.kind === 'private' && rest.length > 0 && mine.length === 0) {
    throw new KeybenchError(
      'ERR_KEY_UNRECOGNISED',
      'The certificate pasted with this private key is of another key. Paste the private key alone, or with its own certificate.',
    );
  }
  return { key, certificates: mine, others: all.length - mine.length };
}

async function readAll(ders: Uint8Array<ArrayBuffer>[], now: number): Promise<StoredCertificate[]> {
  if (ders.length === 0) return [];
  // @peculiar/x509 is large: it loads only when a certificate is imported.
  const { readCertificate } = await import('../x509/certificates');
  return Promise.all(ders.map((d) => readCertificate(d, 'imported', now)));
}

function subjects(certs: StoredCertificate[]): string {
  return certs.map((c) => c.subject || '(no subject)').join('; ');
}

function skippedWords(others: number): string {
  if (others === 0) return '';
  const what = others === 1 ? 'certificate was' : `${others} certificates were`;
  return ` The chain's other ${what} not kept (they certify other keys).`;
}

/**
 * What to store for `text`: a new key, or (a certificate of a key already stored) certificates to
 * keep with that key. `stored` is the keyring now.
 * @throws KeybenchError from parsing or importing, or ERR_TRUST_NO_OWNER for a new public key without an owner.
 */
export async function importPlanFromText(
  text: string,
  label: string,
  owner: KeyOwner | undefined,
  stored: readonly StoredKey[],
): Promise<ImportPlan> {
  const { key: parsed, certificates: ders, others } = oneKey(await parseKeySetText(text));
  const now = Date.now();
  const certificates = await readAll(ders, now);
  const match =
    parsed.kind === 'public' && ders.length > 0
      ? stored.find((k) => sameBytes(k.spki, parsed.spki))
      : undefined;
  if (match) {
    return {
      kind: 'certificates',
      keyId: match.id,
      certificates,
      message: `Kept the certificate (${subjects(certificates)}) with “${match.label}”, the stored key it certifies.${skippedWords(others)}`,
    };
  }
  const key = await newKey(parsed, label, owner, now);
  if (certificates.length) key.key.certificates = certificates;
  const kept = certificates.length ? ` Its certificate (${subjects(certificates)}) is kept with it.` : '';
  return { kind: 'new', key: key.key, message: key.message + kept + skippedWords(others) };
}

/**
 * The record to store for `text`, and the sentence that says what was imported.
 * @throws KeybenchError from parsing or importing, or ERR_TRUST_NO_OWNER for a public key without an owner.
 */
export async function storedKeyFromText(
  text: string,
  label: string,
  owner?: KeyOwner,
): Promise<{ key: StoredKey; message: string }> {
  const plan = await importPlanFromText(text, label, owner, []);
  if (plan.kind !== 'new') throw new Error('unreachable: no stored key to attach to');
  return plan;
}

async function newKey(
  parsed: ParsedKey,
  label: string,
  owner: KeyOwner | undefined,
  now: number,
): Promise<{ key: StoredKey; message: string }> {
  const kindName = describeKeyType(parsed.type);
  const base = {
    id: crypto.randomUUID(),
    partners: [],
    algorithm: kindName,
    createdAt: now,
    origin: 'imported' as const,
    spki: parsed.spki,
    progress: { publicKeyExported: false, uploaded: {} },
  };
  if (parsed.kind === 'private') {
    // A private key with an encryption profile chosen is the user's decryption key for that partner.
    const partner = ENCRYPTION_PARTNERS.find((p) => p === owner);
    return partner
      ? newEncryptionPair(parsed, base, label, partner, now)
      : newPair(parsed, base, label, kindName, now);
  }
  if (owner === undefined) {
    throw new KeybenchError(
      'ERR_TRUST_NO_OWNER',
      "Say whose key this is (Whose key: Mine, or the partner's name). keybench verifies your requests only with your own keys and a partner's responses only with that partner's keys, so a public key needs an owner.",
    );
  }
  const { publicKey } = await importPublicKey(parsed);
  const { PARTNER_NAMES } = await partnerNames();
  const key: StoredKey = {
    ...base,
    kind: 'public',
    // A partner's key is named for whose it is: "QI Tech public key 2026-12-07".
    label:
      label.trim() ||
      defaultLabel(
        owner === 'mine' ? `Trusted ${kindName} public key` : `${PARTNER_NAMES[owner]} public key`,
        now,
      ),
    jwsAlg: defaultAlgFor(parsed.type),
    publicKey,
    owner,
  };
  const whose =
    owner === 'mine'
      ? 'your own key: it verifies your requests'
      : `${PARTNER_NAMES[owner]}'s key: it verifies ${PARTNER_NAMES[owner]}'s responses`;
  return {
    key,
    message: `Imported "${key.label}" (${parsed.source}, ${kindName}) as a trusted public key, ${whose}. It verifies, it cannot sign.`,
  };
}

/** The partners whose profiles are message-level encryption: a private key chosen for one decrypts. */
const ENCRYPTION_PARTNERS: readonly PartnerId[] = ['visa', 'cybersource', 'mastercard'];

async function newEncryptionPair(
  parsed: ParsedPrivateKey,
  base: Omit<StoredKey, 'kind' | 'label' | 'jwsAlg' | 'publicKey'>,
  label: string,
  partner: PartnerId,
  now: number,
): Promise<{ key: StoredKey; message: string }> {
  const { privateKey, publicKey } = await importDecryptionKey(parsed);
  const { PARTNER_NAMES } = await partnerNames();
  const key: StoredKey = {
    ...base,
    kind: 'pair',
    partners: [partner],
    label: label.trim() || defaultLabel(`${PARTNER_NAMES[partner]} encryption key`, now),
    jwsAlg: 'RSA-OAEP-256',
    publicKey,
    privateKey,
    owner: 'mine',
  };
  return {
    key,
    message: `Imported "${key.label}" (${parsed.source}) as a non-extractable RSA-OAEP-256 decryption key: it decrypts, it cannot sign. The text box was cleared; the private key's bytes are no longer held by this page.`,
  };
}

async function newPair(
  parsed: ParsedPrivateKey,
  base: Omit<StoredKey, 'kind' | 'label' | 'jwsAlg' | 'publicKey'>,
  label: string,
  kindName: string,
  now: number,
): Promise<{ key: StoredKey; message: string }> {
  const { privateKey, publicKey, jwsAlg, pssPrivateKey } = await importPrivateKey(parsed);
  const key: StoredKey = {
    ...base,
    kind: 'pair',
    label: label.trim() || defaultLabel(`Imported ${kindName}`, now),
    jwsAlg,
    publicKey,
    privateKey,
    ...(pssPrivateKey ? { pssPrivateKey } : {}),
    owner: 'mine',
  };
  const both = pssPrivateKey ? ' It signs RS256 and PS256.' : '';
  return {
    key,
    message: `Imported "${key.label}" (${parsed.source}, ${kindName}) as a non-extractable signing key.${both} The text box was cleared; the private key's bytes are no longer held by this page.`,
  };
}
