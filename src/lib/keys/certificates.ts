/**
 * Certificates kept with a stored key: merging new ones in, and what a partner card or the
 * assertion form is given from them. Small and free of ASN.1 code (reading a certificate is in
 * x509/stored.ts, loaded on demand).
 */
import type { TrustedKeyInfo } from '../schemes/engine/types';
import type { StoredCertificate, StoredKey } from './stored-key';

/** The key's certificates with `added` merged in: one entry per certificate (by SHA-256), oldest first. */
export function mergeCertificates(
  current: readonly StoredCertificate[] | undefined,
  added: readonly StoredCertificate[],
): StoredCertificate[] {
  const out = [...(current ?? [])];
  for (const c of added) if (!out.some((o) => o.x5tS256 === c.x5tS256)) out.push(c);
  return out;
}

/** A stored key as a token check sees it: its label, its SPKI and the DER of its certificates. */
export function trustedKeyInfo(key: Pick<StoredKey, 'label' | 'spki' | 'certificates'>): TrustedKeyInfo {
  const certificates = (key.certificates ?? []).map((c) => c.der);
  return { label: key.label, spki: key.spki, ...(certificates.length ? { certificates } : {}) };
}

/** Where a certificate field's choice of stored certificate is kept in a form's values. */
export function certificateChoiceName(field: string): string {
  return `${field}@stored`;
}

/** The choice that means "use the pasted PEM", not a stored certificate. */
export const PASTE_CERTIFICATE = 'paste';

/**
 * The stored certificate a certificate field signs with: the one chosen (by x5t#S256) if the key
 * has it; with no choice yet, the newest; null when the user chose to paste or the key has none.
 */
export function chosenCertificate(
  choice: unknown,
  certificates: readonly StoredCertificate[] | undefined,
): StoredCertificate | null {
  const list = certificates ?? [];
  if (choice === PASTE_CERTIFICATE) return null;
  return list.find((c) => c.x5tS256 === choice) ?? list.at(-1) ?? null;
}

/** A short name for a certificate in a picker: its subject, validity end and SHA-256 thumbprint's start. */
export function certificateName(c: StoredCertificate): string {
  const until = new Date(c.notAfter).toISOString().slice(0, 10);
  return `${c.subject || '(no subject)'} — until ${until} — x5t#S256 ${c.x5tS256.slice(0, 8)}…`;
}
