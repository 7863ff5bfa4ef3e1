/**
 * Check a pasted Qredo Partner API request with the keys the user trusts: x-sign must be
 * RSASSA-PKCS1-v1_5 SHA-256 over value ‖ URL ‖ body, exactly as sent. When it is not, diagnose.ts
 * finds what was signed instead. Only RSA public keys from the input are used; nothing the request
 * carries is trusted, and the verdict's state is set by trust/verdict.ts alone.
 */
import type { ErrorCode } from '../../errors';
import { ok, problem, type Finding } from '../../partners/scheme';
import type { Diagnosis, DoctorInput, TrustedKey } from '../../request/types';
import { ours, rich } from '../../rich';
import type { SchemeResult } from '../../trust/verdict';
import {
  apiKeyAndBodyFindings,
  headerFindings,
  readQredo,
  REFUSED,
  resultOf,
  timestampFindings,
  unusableFindings,
  usableKeys,
  type QredoRequest,
} from './checks';
import { diagnose } from './diagnose';
import { verifyPkcs1 } from './rsa';
import { encodingMistake, sigVariants, type SigVariant } from './x-sign';

const enc = new TextEncoder();

/** Verify a Qredo request; the result's findings and diagnoses say what holds and what does not. */
export async function verifyQredo(input: DoctorInput): Promise<SchemeResult> {
  const r = readQredo(input.request);
  const { trusted, unusable } = usableKeys(input.keys);
  const findings = [
    ...headerFindings(r),
    ...timestampFindings(r, input.nowMs),
    ...apiKeyAndBodyFindings(r),
    ...unusableFindings(unusable),
  ];
  if (!trusted.length) {
    findings.push(
      problem(
        'signature',
        'ERR_REQUEST_NO_KEY',
        'error',
        'x-sign',
        'No trusted RSA public key to check x-sign with: add the public.pem uploaded to Qredo (or the key pair that made it).',
      ),
    );
    const n = unusable.length;
    return resultOf(
      r,
      findings,
      [],
      [
        `Cannot check this Qredo request: keybench has no ${n ? 'usable ' : ''}trusted RSA public key${n ? ` (${n} with a public exponent or modulus WebCrypto refuses were not used)` : ''}. Add the public key uploaded to Qredo (public.pem), or select the RSA key pair that signs these requests.`,
      ],
    );
  }
  if (!r.xSign || !r.value) {
    return resultOf(
      r,
      findings,
      [],
      [
        `Cannot check this Qredo request: the ${!r.xSign ? 'x-sign' : 'x-timestamp (or x-nonce)'} header is missing. ${REFUSED}.`,
      ],
    );
  }
  const sigs = sigVariants(r.xSign);
  if (!sigs.length) {
    findings.push(
      problem(
        'signature',
        'ERR_QREDO_SIGNATURE',
        'error',
        'x-sign',
        'x-sign is neither base64url, base64 nor hex.',
      ),
    );
    return resultOf(
      r,
      findings,
      [],
      [
        'x-sign cannot be read: it is neither base64url (what Qredo expects), base64 nor hex. Qredo answers 401 errPartnerAuth.',
      ],
    );
  }
  return (await verifyAsSent(r, trusted, sigs, findings)) ?? diagnose(r, trusted, sigs, findings);
}

/** The result when x-sign holds over the bytes sent with one of the keys; null when it holds with none. */
async function verifyAsSent(
  r: QredoRequest,
  trusted: readonly TrustedKey[],
  sigs: readonly SigVariant[],
  findings: Finding[],
): Promise<SchemeResult | null> {
  const message = enc.encode(r.sentText);
  for (const key of trusted) {
    for (const sig of sigs) {
      if (await verifyPkcs1(key, 'SHA-256', sig.bytes, message)) return heldWith(r, key, sig, findings);
    }
  }
  return null;
}

/** The signature holds with `key`: verified, unless a finding (or x-sign's encoding) says Qredo would refuse it. */
function heldWith(r: QredoRequest, key: TrustedKey, sig: SigVariant, findings: Finding[]): SchemeResult {
  const diagnoses: Diagnosis[] = [];
  if (sig.encoding !== 'base64url') {
    const m = encodingMistake(sig.encoding);
    findings.push(problem('x-sign', m.code, 'error', 'x-sign', m.title));
    diagnoses.push({ ...m, signed: r.sentText, sent: r.sentText, confirmed: true });
  } else findings.push(ok('x-sign', 'x-sign', 'base64url without padding.'));
  findings.push(
    ok(
      'signature',
      'x-sign',
      rich`RSASSA-PKCS1-v1_5 SHA-256 over value ‖ URL ‖ body holds with key ${key.label}.`,
    ),
  );
  const refused = findings.find((f) => f.severity === 'error');
  if (!refused) {
    const parts = rich`Signature verified with key ${key.label}: x-sign is RSASSA-PKCS1-v1_5 SHA-256 over ${ours(r.valueHeader)} ‖ URL ‖ body, exactly as sent.`;
    return resultOf(r, findings, diagnoses, parts, key, key.label);
  }
  for (const f of findings) {
    if (f.severity !== 'error' || f.check === 'x-sign') continue;
    const timestamp = f.check === 'timestamp';
    diagnoses.push({
      code: f.code as ErrorCode,
      title: timestamp ? 'x-timestamp is not Unix time in seconds' : `The ${f.label} header is missing`,
      explanation: [f.detail],
      remedy: timestamp
        ? 'Send x-timestamp as Unix time in seconds (10 digits), and sign that same string.'
        : 'Send the missing header: x-api-key, x-timestamp and x-sign on every request.',
      signed: r.sentText,
      sent: r.sentText,
      confirmed: false,
    });
  }
  const parts = rich`The signature holds (key ${key.label}) but Qredo would refuse the request: ${ours(refused.detail)}`;
  return resultOf(r, findings, diagnoses, parts, key, key.label);
}
