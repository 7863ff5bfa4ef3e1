/**
 * adapter (H1): turns a partner doctor's decided verdict back into the SchemeResult the engine
 * decides itself, for the temporary check.ts adapters of qredo and binance (H2/H3 replace them
 * with checks that return a SchemeResult directly; then this file goes).
 */
import type { VerificationKey } from '../../jwt/verify';
import type { RequestVerdict } from '../../request/types';
import type { SchemeResult } from '../../trust/verdict';

/** The SchemeResult a partner doctor's verdict was decided from (the rule decides it again, the same way). */
export function resultOfVerdict(v: RequestVerdict, keys: readonly VerificationKey[]): SchemeResult {
  // The keys were filtered by role before the doctor saw them, so any of them with this label fits.
  const signedBy = v.signatureVerified ? keys.find((k) => k.label === v.keyLabel) : undefined;
  const code = v.code === 'OK' ? undefined : v.code;
  return {
    scheme: v.scheme,
    findings: v.findings.filter((f) => f.check !== 'key-role'),
    diagnoses: v.diagnoses,
    signInput: v.signInput,
    parts: v.parts,
    fallback: code ?? 'ERR_REQUEST_NO_SCHEME',
    ...(code !== undefined ? { failCode: code } : {}),
    ...(signedBy ? { signedBy } : {}),
    ...(v.keyLabel !== undefined ? { keyLabel: v.keyLabel } : {}),
  };
}
