/**
 * A keyring record from pasted key text (the Import form): a private key becomes a non-extractable
 * signing pair (always the user's own), a public key or certificate a trusted verify-only key whose
 * owner must be said. Loaded on demand, with the ASN.1 code.
 */
import { KeybenchError } from '../errors';
import type { KeyOwner } from '../trust/owner';
import { PARTNER_NAMES } from '../trust/partner-names';
import { describeKeyType } from './key-type';
import { parseKeyText } from './parse';
import { defaultAlgFor, importPrivateKey, importPublicKey } from './import';
import { defaultLabel, type StoredKey } from './stored-key';

/**
 * The record to store for `text`, and the sentence that says what was imported.
 * @throws KeybenchError from parsing or importing, or ERR_TRUST_NO_OWNER for a public key without an owner.
 */
export async function storedKeyFromText(
  text: string,
  label: string,
  owner?: KeyOwner,
): Promise<{ key: StoredKey; message: string }> {
  const parsed = await parseKeyText(text);
  const now = Date.now();
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
  let key: StoredKey;
  if (parsed.kind === 'private') {
    const source = parsed.source;
    const imported = await importPrivateKey(parsed);
    key = {
      ...base,
      kind: 'pair',
      label: label.trim() || defaultLabel(`Imported ${kindName}`, now),
      jwsAlg: imported.jwsAlg,
      publicKey: imported.publicKey,
      privateKey: imported.privateKey,
      owner: 'mine',
    };
    return {
      key,
      message: `Imported "${key.label}" (${source}, ${kindName}) as a non-extractable signing key. The text box was cleared; the private key's bytes are no longer held by this page.`,
    };
  }
  if (owner === undefined) {
    throw new KeybenchError(
      'ERR_TRUST_NO_OWNER',
      "Say whose key this is (Whose key: Mine, or the partner's name). keybench verifies your requests only with your own keys and a partner's responses only with that partner's keys, so a public key needs an owner.",
    );
  }
  const { publicKey } = await importPublicKey(parsed);
  key = {
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
