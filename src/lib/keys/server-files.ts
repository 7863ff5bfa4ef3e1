/**
 * Key files for a server (explicit opt-in): an *extractable* key pair made in memory, written out
 * as the files the partners' tools read, and never stored by keybench.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { ECParameters, ECPrivateKey, id_secp521r1 } from '@peculiar/asn1-ecc';
import { toPem } from '../encoding/pem';
import { spkiToPem } from './export';
import { keySpecById, type KeySpecId } from './key-specs';

/** Which private-key file format to write. */
export type PrivateFormat = 'pkcs1' | 'pkcs8' | 'sec1';

/** A file to offer for download. */
export interface KeyFile {
  name: string;
  text: string;
}

/** The private and public files for a server. */
export interface ServerKeyFiles {
  privateFile: KeyFile;
  publicFile: KeyFile;
}

/** Formats each key spec offers, the partner tool's own first. */
export const SERVER_FORMATS: Record<KeySpecId, { format: PrivateFormat; label: string }[]> = {
  // An encryption key pair is made for this browser only: no server files.
  'rsa-oaep-2048': [],
  'rsa-2048': [
    {
      format: 'pkcs1',
      label: 'PKCS#1 RSA PRIVATE KEY (what Qredo’s signing client reads; openssl genrsa -traditional)',
    },
    { format: 'pkcs8', label: 'PKCS#8 PRIVATE KEY' },
  ],
  'p-521': [
    { format: 'sec1', label: 'SEC1 EC PRIVATE KEY (what ssh-keygen -m PEM writes)' },
    { format: 'pkcs8', label: 'PKCS#8 PRIVATE KEY' },
  ],
  ed25519: [
    { format: 'pkcs8', label: 'PKCS#8 PRIVATE KEY (what openssl genpkey -algorithm ed25519 writes)' },
  ],
  'rsa-pss-2048': [{ format: 'pkcs8', label: 'PKCS#8 PRIVATE KEY' }],
};

/**
 * Generate a key pair for a server and return its files. The key exists only in this call: the
 * caller offers the files and drops them.
 */
export async function generateServerKeyFiles(
  specId: KeySpecId,
  format: PrivateFormat,
): Promise<ServerKeyFiles> {
  const spec = keySpecById(specId);
  const pair = (await crypto.subtle.generateKey(spec.generateParams, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  try {
    let text: string;
    if (format === 'pkcs8') {
      text = toPem(pkcs8, 'PRIVATE KEY');
    } else {
      const inner = new Uint8Array(AsnConvert.parse(pkcs8, PrivateKeyInfo).privateKey.buffer);
      if (format === 'pkcs1') {
        // The inner structure of an RSA PKCS#8 key is exactly PKCS#1 RSAPrivateKey.
        text = toPem(inner, 'RSA PRIVATE KEY');
      } else {
        // SEC1 on its own must name its curve (as ssh-keygen and openssl write it), or tools cannot read it.
        const ec = AsnConvert.parse(inner, ECPrivateKey);
        ec.parameters = new ECParameters({ namedCurve: id_secp521r1 });
        const der = new Uint8Array(AsnConvert.serialize(ec));
        text = toPem(der, 'EC PRIVATE KEY');
        der.fill(0);
      }
      inner.fill(0);
    }
    return {
      privateFile: { name: spec.privateFileName, text },
      publicFile: { name: spec.publicFileName, text: spkiToPem(spki) },
    };
  } finally {
    pkcs8.fill(0);
  }
}
