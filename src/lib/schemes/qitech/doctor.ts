/**
 * The request doctor for QI Tech (issues 12, 19): a pasted request under QIT v1, v2 or QI DTVM,
 * checked by the scheme's checker, and when it fails, the mistakes that explain it: searched as
 * data (qit-v1/mistakes.ts, qit-v2/mistakes.ts) and confirmed by WebCrypto, or read from the claims
 * where no listed mistake explains a difference. Only `input.keys` (keys the user trusts) can
 * verify: never a key the request carries.
 */
import type { ErrorCode } from '../../errors';
import { u, type Rich } from '../../rich';
import type { Diagnosis, DoctorInput, RequestVerdict } from '../../request/types';
import { header } from '../../request/types';
import type { Finding } from '../../partners/scheme';
import { decideRequest, type SchemeResult } from '../../trust/verdict';
import { verifyQitRequest } from '../qit-v1/verify';
import { v1Diagnoses } from '../qit-v1/diagnoses';
import { V2 } from '../qit-v2/sign';
import { verifyV2Request } from '../qit-v2/verify';
import { v2Diagnoses } from '../qit-v2/diagnoses';
import { QI_DTVM } from '../qi-dtvm/sign';
import { endpointOfUrl, missingHeaders, type Found } from './diagnoses';
import { REQUEST_TO_QITECH, type QitRequestInput, type QitRequestVerdict } from './shared';

export { endpointOfUrl } from './diagnoses';
export { bodyCandidates } from '../qit-v2/mistakes';

/** The QI Tech schemes the doctor knows. */
export type QitDoctorScheme = 'qit-v1' | 'qit-v2' | 'qi-dtvm';

/** The verdict's code: missing headers first, then each error finding (its diagnosis's code when one explains it), then other diagnoses. */
function firstCode(pre: Found[], findings: Finding[], found: Found[]): ErrorCode | undefined {
  if (pre[0]) return pre[0].code;
  for (const f of findings) {
    if (f.severity !== 'error' || f.code === 'OK') continue;
    return found.find((d) => d.explains === f.check)?.code ?? f.code;
  }
  return found[0]?.code;
}

/** The headline the checks suggest; the rule (trust/verdict.ts) replaces it if it refuses. */
function headline(
  verdict: QitRequestVerdict,
  diagnoses: readonly Found[],
  code: ErrorCode,
  refusal: ErrorCode | undefined,
): Rich {
  const label = verdict.keyLabel ?? '';
  if (verdict.signatureVerified && verdict.verified && refusal === undefined) {
    return diagnoses.length
      ? [
          'Signature verified with ',
          u(label),
          ". Its time is far from this computer's clock: QI Tech would refuse it if it were sent now.",
        ]
      : ['Signature verified with ', u(label), ': every check of the request holds.'];
  }
  const errorFinding = verdict.findings.find((f) => f.severity === 'error' && f.code === code);
  const why =
    diagnoses.find((d) => d.code === code)?.title ??
    (errorFinding ? `the ${errorFinding.label} check failed` : diagnoses[0]?.title) ??
    'a check failed';
  return verdict.signatureVerified
    ? ['Signed by the trusted key ', u(label), `, but QI Tech would refuse it: ${why}.`]
    : [`Not verified: ${why}.`];
}

/** The scheme's checker and doctor on one request: the checker's verdict and the mistakes found. */
async function examine(
  input: DoctorInput,
  scheme: QitDoctorScheme,
  qitInput: QitRequestInput,
  signInput: RequestVerdict['signInput'],
): Promise<{ verdict: QitRequestVerdict; found: Found[] }> {
  const req = input.request;
  const endpoint = qitInput.expected?.endpoint ?? '';
  if (scheme === 'qit-v1') {
    const raw: { raw?: string } = {};
    const found = await v1Diagnoses(req, input, endpoint, qitInput.expected?.apiKey, raw);
    if (raw.raw !== undefined) signInput.body = raw.raw;
    return { verdict: await verifyQitRequest(qitInput), found };
  }
  const variant = scheme === 'qit-v2' ? V2 : QI_DTVM;
  const found = await v2Diagnoses(req, input, variant, endpoint);
  return { verdict: await verifyV2Request(variant, qitInput), found };
}

/**
 * What the QI Tech doctor finds in a pasted request under `scheme`: the existing checker's findings
 * (signature with `input.keys` only, claims, md5, endpoint, date) plus the mistakes that explain a
 * failure. It proposes a headline but sets no state: {@link diagnoseQitech} hands it to the one rule.
 */
export async function qitechResult(input: DoctorInput, scheme: QitDoctorScheme): Promise<SchemeResult> {
  const req = input.request;
  const authorization = header(req, 'AUTHORIZATION');
  const apiKey = header(req, 'API-CLIENT-KEY');
  const pre = missingHeaders(req);
  const signInput: RequestVerdict['signInput'] = { method: req.method, url: req.url, body: req.body, apiKey };
  if (authorization === undefined) {
    return {
      scheme,
      fallback: pre[0]!.code,
      failCode: pre[0]!.code,
      refusal: pre[0]!.code,
      parts: ['Not verified: the request has no AUTHORIZATION header (QI Tech answers GDF000014).'],
      findings: [],
      diagnoses: pre.map(strip),
      signInput,
    };
  }
  const expected = { method: req.method, endpoint: endpointOfUrl(req.url), apiKey };
  const qitInput: QitRequestInput = {
    authorization,
    body: req.body,
    keys: input.keys,
    expected,
    nowMs: input.nowMs,
  };
  const { verdict, found } = await examine(input, scheme, qitInput, signInput);
  const diagnoses = [...pre, ...found];
  // Clock skew is worth a look but not a failure (as for Qredo): a request pasted from a log is old,
  // and QI Tech does not document its tolerance. Any other mistake found is one QI Tech refuses.
  const refusal = diagnoses.find((d) => d.code !== 'ERR_REQUEST_CLOCK_SKEW')?.code;
  const code = firstCode(pre, verdict.findings, found) ?? 'ERR_QIT_TOKEN_SIGNATURE';
  return {
    scheme,
    fallback: 'ERR_QIT_TOKEN_SIGNATURE',
    failCode: code,
    ...(refusal !== undefined ? { refusal } : {}),
    ...(verdict.signedBy ? { signedBy: verdict.signedBy } : {}),
    ...(verdict.keyLabel !== undefined ? { keyLabel: verdict.keyLabel } : {}),
    parts: headline(verdict, diagnoses, code, refusal),
    findings: verdict.findings,
    diagnoses: diagnoses.map(strip),
    signInput,
  };
}

/**
 * Diagnose a pasted QI Tech request under `scheme`. `state` is `verified` only when the one rule
 * says so: the AUTHORIZATION token verifies with the user's own key and nothing is wrong; only then
 * does the headline say "Signature verified".
 */
export async function diagnoseQitech(input: DoctorInput, scheme: QitDoctorScheme): Promise<RequestVerdict> {
  return decideRequest(REQUEST_TO_QITECH, await qitechResult(input, scheme));
}

/** A diagnosis without the internal link to the finding it explains. */
function strip(d: Found): Diagnosis {
  const { explains: _explains, ...rest } = d;
  void _explains;
  return rest;
}
