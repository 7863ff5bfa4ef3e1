/**
 * What a partner card is given from a stored key's certificates. Small and free of ASN.1 code
 * (reading a certificate is in x509/certificates.ts, loaded on demand).
 */
import type { TrustedKeyInfo } from '../scheme/contract';
import type { StoredKey } from './stored-key';

/** A stored key as a token check sees it: its label, its SPKI and the DER of its certificates. */
export function trustedKeyInfo(key: Pick<StoredKey, 'label' | 'spki' | 'certificates'>): TrustedKeyInfo {
  const certificates = (key.certificates ?? []).map((c) => c.der);
  return { label: key.label, spki: key.spki, ...(certificates.length ? { certificates } : {}) };
}
