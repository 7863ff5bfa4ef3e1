/**
 * Make a partner's assertion from its `make` data: fresh jti, nonce and times, the
 * thumbprint from the certificate, signed with the stored non-extractable key, and the token
 * request that sends it. One builder for every partner.
 */
import { algOfCryptoKey } from '../../crypto/algorithms';
import { KeybenchError } from '../../errors';
import { signJws } from '../../jwt/sign';
import type { SigningAlg } from '../../keys/key-specs';
import { curlCommand, shellQuote } from '../../partners/shell';
import { certificateDer, thumbprints } from '../../x509/thumbprint';
import type { SignOutput } from '../../scheme/contract';
import type { Make, PartnerRules, ThumbprintPair, ThumbprintRule } from './rules/types';
import { deriveVars, fill, freshVars, value, type Vars } from './template';
import { applies, chosenPairs, printIn, withDefaults } from './evaluate';

/** The JWS algorithm a stored private key signs with (WebCrypto ties a key to one algorithm). */
function algOfKey(key: CryptoKey): SigningAlg | null {
  return (algOfCryptoKey(key)?.id as SigningAlg | undefined) ?? null;
}

/** The algorithms the partner accepts with these options (its applying alg rule). */
function allowedAlgs(p: PartnerRules, vars: Vars): readonly string[] {
  const rule = p.rules.find((r) => r.kind === 'alg' && applies(r, vars));
  return rule?.kind === 'alg' ? rule.allowed : [];
}

/** The partner's thumbprint rule, if it looks keys up by a certificate's thumbprint. */
export function thumbprintRuleOf(p: PartnerRules): ThumbprintRule | undefined {
  return p.rules.find((r): r is ThumbprintRule => r.kind === 'thumbprint');
}

/** The thumbprint pair to sign with: the chosen one(s) that go with the key's alg. */
function pairFor(rule: ThumbprintRule, vars: Vars, alg: string): ThumbprintPair {
  const pairs = chosenPairs(rule, vars);
  const pair = pairs.find((x) => x.alg === alg);
  if (!pair) {
    throw new KeybenchError(
      'ERR_ASSERT_KEY_ALG',
      `${pairs.map((x) => `${x.param} goes with ${x.alg}`).join('; ')}, but this stored key signs ${alg} (WebCrypto ties a non-extractable key to one algorithm). Choose the other thumbprint, or use a key that signs ${pairs.map((x) => x.alg).join(' or ')}${pairs.some((x) => x.alg === 'PS256') ? ": generate one with the partner's profile (Keys), or import your RSA private key, which then signs both" : ''}.`,
    );
  }
  return pair;
}

/**
 * Of one stored key's private keys (an imported RSA key has an RS256 and a PS256 one), the one to
 * sign with: the first whose algorithm the chosen thumbprint goes with, else the first the partner
 * accepts, else the first (whose refusal then explains itself).
 */
function pickKey(p: PartnerRules, vars: Vars, keys: readonly CryptoKey[]): CryptoKey {
  const allowed = allowedAlgs(p, vars);
  const rule = thumbprintRuleOf(p);
  const wanted = rule?.pairs.filter((x) => x.choice === vars[rule.choiceOption]).map((x) => x.alg) ?? [];
  const signs = (k: CryptoKey, algs: readonly string[]) => algs.includes(algOfKey(k) ?? '');
  return (
    keys.find((k) => signs(k, wanted) && signs(k, allowed)) ?? keys.find((k) => signs(k, allowed)) ?? keys[0]!
  );
}

/** The header, with the thumbprint from the certificate when the partner looks keys up by one. */
async function headerOf(p: PartnerRules, vars: Vars, alg: string): Promise<Record<string, unknown>> {
  const header: Record<string, unknown> = { alg, ...filled(p.make.header, vars) };
  const rule = thumbprintRuleOf(p);
  if (rule) {
    const pair = pairFor(rule, vars, alg);
    const t = await thumbprints(certificateDer(vars[rule.certificateOption] ?? ''));
    header[pair.param] = printIn(t, pair.param);
  }
  return header;
}

/** Header parameters or claims from their templates (optional ones left out when empty). */
function filled(templates: Make['header'] | Make['claims'], vars: Vars): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(templates)) {
    const v = typeof t === 'string' ? value(t, vars) : t.map((x) => value(x, vars));
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The token request: a form post with the assertion, or the API call with it as a Bearer token. */
function requestOf(
  p: PartnerRules,
  vars: Vars,
  token: string,
): Pick<SignOutput, 'headers' | 'request' | 'curl'> {
  const url = fill(p.make.request.url, vars) ?? '';
  const method = fill(p.make.request.method ?? 'POST', vars) ?? 'POST';
  const entries = Object.entries(p.make.request.form);
  if (entries.length === 0) {
    const headers: [string, string][] = [['Authorization', `Bearer ${token}`]];
    const curl = curlCommand(method, shellQuote(url), Object.fromEntries(headers));
    return { headers, request: { method, url, headers, body: '' }, curl };
  }
  const form = new URLSearchParams(
    entries.map(([k, t]) => [k, t === '{assertion}' ? token : (fill(t, vars) ?? '')]),
  );
  const headers: [string, string][] = [['Content-Type', 'application/x-www-form-urlencoded']];
  const curl = curlCommand(
    method,
    shellQuote(url),
    {},
    entries.map(([k]) => `  --data-urlencode ${shellQuote(`${k}=${form.get(k) ?? ''}`)}`),
  );
  return { headers, request: { method, url, headers, body: form.toString() }, curl };
}

/**
 * Sign a partner's assertion with a stored private key.
 * @throws KeybenchError ERR_ASSERT_INPUT (an option the partner needs is empty), ERR_ASSERT_KEY_ALG
 *   (the key signs an algorithm the partner does not accept), ERR_ASSERT_CERTIFICATE (no certificate).
 */
export async function makeAssertion(
  p: PartnerRules,
  options: Readonly<Record<string, string>>,
  keys: CryptoKey | readonly CryptoKey[],
  nowMs: number,
): Promise<SignOutput> {
  const vars: Vars = { ...deriveVars(withDefaults(p, options)), ...freshVars(nowMs) };
  const missing = p.make.requires.filter((n) => !vars[n]?.trim());
  if (missing.length) {
    const labels = missing.map((n) => p.options.find((f) => f.name === n)?.label ?? n);
    throw new KeybenchError('ERR_ASSERT_INPUT', `${p.partnerName} needs: ${labels.join(', ')}.`);
  }
  const privateKey = pickKey(p, vars, Array.isArray(keys) ? keys : [keys as CryptoKey]);
  const alg = algOfKey(privateKey);
  const allowed = allowedAlgs(p, vars);
  if (!alg || !allowed.includes(alg)) {
    throw new KeybenchError(
      'ERR_ASSERT_KEY_ALG',
      `${p.partnerName} accepts ${allowed.join(', ')}; this stored key signs ${alg ?? 'no JWS algorithm'}.`,
    );
  }
  const header = await headerOf(p, vars, alg);
  const claims = filled(p.make.claims, vars);
  const token = await signJws(header, claims, privateKey, alg);
  const [h, c] = token.split('.');
  return {
    ...requestOf(p, vars, token),
    token,
    base: [
      { label: 'Header', text: JSON.stringify(header, null, 2) },
      { label: 'Payload', text: JSON.stringify(claims, null, 2) },
      { label: 'Signing input (base64url header . payload)', text: `${h}.${c}` },
    ],
  };
}
