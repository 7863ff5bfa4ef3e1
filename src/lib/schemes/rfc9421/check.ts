/**
 * The HTTP Message Signatures (RFC 9421) request check: the engine's doctor recognises a request by
 * its Signature-Input and Signature headers and judges every signature (label) on its own. Each
 * becomes one SchemeResult with its signature base part by part; the one rule decides "verified".
 * `keyid` only selects among the keys the engine passes (the user's trusted keys): it never brings one.
 */
import type { ParsedRequest } from '../../request/types';
import { ours, rich, u, type Rich } from '../../rich';
import type { SchemeResult } from '../../trust/verdict';
import { parseDictionary } from 'structured-headers';
import { problem, type Finding } from '../../trust/finding';
import { defineRequestCheck } from '../../scheme/contract';
import { baseParts } from './base';
import { fieldLines, recognise } from './components';
import { unjudged, verifyRequest, type SignatureResult } from './verify';

/** The headline the checks suggest; the rule replaces it when it refuses. */
function headline(r: SignatureResult, first: Finding | undefined): Rich {
  if (r.signatureHolds && r.verifyingKey)
    return ['Signature verified with ', u(r.verifyingKey.label), ` (${r.alg ?? 'its algorithm'}).`];
  return first ? ['Not verified: ', u(first.label), '. ', ...first.parts] : ['Not verified.'];
}

/** One signature's result, with what concerns the whole message added to its findings. */
function resultOf(req: ParsedRequest, r: SignatureResult, message: readonly Finding[]): SchemeResult {
  const findings = [...message, ...r.findings];
  const firstError = findings.find((f) => f.severity === 'error');
  return {
    scheme: 'rfc9421',
    label: r.label,
    ...(r.base ? { base: baseParts(r.base) } : {}),
    findings,
    diagnoses: r.diagnoses,
    signInput: { method: req.method, url: req.url, body: req.body },
    ...(r.signatureHolds && r.verifyingKey ? { signedBy: r.verifyingKey } : {}),
    parts: headline(r, firstError),
    fallback: 'ERR_HTTPSIG_SIGNATURE',
    ...(firstError && firstError.code !== 'OK' ? { failCode: firstError.code } : {}),
  };
}

/** The header fields any signature covers (lower case). */
function coveredFields(req: ParsedRequest): string[] {
  try {
    const dict = parseDictionary(fieldLines(req, 'signature-input').join(', '));
    const names = [...dict.values()].flatMap(([list]) =>
      Array.isArray(list) ? list.map(([name]) => name).filter((n) => typeof n === 'string') : [],
    );
    return [...new Set(names.map((n) => String(n).toLowerCase()).filter((n) => !n.startsWith('@')))];
  } catch {
    return []; // unreadable: verify says so
  }
}

/**
 * A covered field sent in several lines: RFC 9421 signs the values joined with ", ", but a server
 * that reads one line (the first or the last) sees something else. A warning; for Content-Digest an
 * error, since a server reading the first line checks the body against another digest than keybench.
 */
function repeatedFields(req: ParsedRequest): Finding[] {
  return coveredFields(req).flatMap((name) => {
    const n = fieldLines(req, name).length;
    if (n < 2) return [];
    const digest = name === 'content-digest';
    return [
      problem(
        `rfc9421.repeated:${name}`,
        'ERR_REQUEST_DUPLICATE_HEADER',
        digest ? 'error' : 'warning',
        'Covered field sent more than once',
        digest
          ? rich`Content-Digest is sent in ${ours(String(n))} lines. A server that reads one of them may check the body against another digest than the one keybench checked: send it once.`
          : rich`${name} is sent in ${ours(String(n))} lines. RFC 9421 signs them joined with ", ", but a server that reads only the first or the last line sees another value than the one signed: send it once unless the server joins them.`,
      ),
    ];
  });
}

export default defineRequestCheck({
  id: 'rfc9421',
  // A standard's generic headers: any partner scheme's own header outranks them.
  recognise: (req) => (recognise(req) ? 1 : 0),
  // Each sent once: RFC 9421 combines repeated lines, but servers that read one line pick either.
  signedHeaders: ['signature-input', 'signature'],
  // The key box may hold a public key or an HMAC secret (hmac-sha256).
  keyAlg: 'HS256',
  async verify({ request, keys, nowMs }) {
    const v = await verifyRequest({ request, keys, nowMs });
    v.findings.push(...repeatedFields(request));
    if (v.results.length > 0) return v.results.map((r) => resultOf(request, r, v.findings));
    // Nothing to judge per label (the headers cannot be read): one result for the message.
    const { label: _label, ...result } = resultOf(request, unjudged(''), v.findings);
    void _label;
    return result;
  },
});
