/**
 * Which stored certificate a certificate field of a Sign form signs with (the form's values keep
 * the choice beside the field). Loaded with the forms, not on first paint.
 */
import type { StoredCertificate } from './stored-key';

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
