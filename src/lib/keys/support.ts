let ed25519: Promise<boolean> | undefined;

/**
 * Whether this browser's WebCrypto can generate Ed25519 keys. Asked once per page (a throwaway
 * non-extractable pair, discarded at once), so the Generate button can say so before any click.
 */
export function ed25519Supported(): Promise<boolean> {
  ed25519 ??= crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']).then(
    () => true,
    () => false,
  );
  return ed25519;
}
