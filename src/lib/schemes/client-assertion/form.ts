/**
 * The client-assertion Sign form: a Partner choice first, then that partner's fields
 * (shown by `when`), all as data from rules/. sign() makes the assertion with the stored key.
 */
import { KeybenchError } from '../../errors';
import { certificateChoiceName, chosenCertificate } from '../../keys/certificate-choice';
import { certificatePem } from '../../x509/thumbprint';
import { defineForm, type FormField, type FormValues } from '../../scheme/contract';
import { makeAssertion, thumbprintRuleOf } from './build';
import { PARTNER_RULES, rulesFor } from './rules';
import type { PartnerRules } from './rules/types';

/** The form field name of a partner's option (options of different partners never share state). */
export function fieldName(p: PartnerRules, option: string): string {
  return `${p.profile}.${option}`;
}

/** The partner a form's values chose. */
function chosen(values: FormValues): PartnerRules | undefined {
  return rulesFor(String(values.partner ?? ''));
}

const PARTNER: FormField = {
  name: 'partner',
  label: 'Partner',
  kind: 'choice',
  default: PARTNER_RULES[0]!.partnerName,
  options: PARTNER_RULES.map((p) => p.partnerName),
  help: 'Whose assertion to make: each partner has its own rules (aud, lifetime, thumbprint…).',
  remember: true,
};

const KEY: FormField = {
  name: 'key',
  label: 'Key pair',
  kind: 'key',
  default: '',
  help: 'The stored key pair that signs; its certificates are offered below.',
};

/**
 * One partner's option as a form field, shown only when that partner is chosen. The certificate
 * option offers the chosen key's stored certificates, with the paste as the fallback.
 */
function fieldOf(p: PartnerRules, f: FormField): FormField {
  const own = f.when;
  return {
    ...f,
    ...(f.name === thumbprintRuleOf(p)?.certificateOption ? { kind: 'certificate' as const } : {}),
    name: fieldName(p, f.name),
    when: (v) => chosen(v) === p && (own ? own(optionValues(p, v)) : true),
  };
}

/** The chosen partner's options, by their own names, from the form's values. */
export function optionValues(p: PartnerRules, values: FormValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of p.options) {
    const v = values[fieldName(p, f.name)];
    if (v !== undefined) out[f.name] = String(v);
  }
  return out;
}

export default defineForm({
  id: 'client-assertion',
  fields: [PARTNER, KEY, ...PARTNER_RULES.flatMap((p) => p.options.map((f) => fieldOf(p, f)))],
  keyTypes: ['RSA', 'EC', 'OKP'],
  async sign(values, key, nowMs) {
    const p = chosen(values);
    if (!p) throw new KeybenchError('ERR_ASSERT_INPUT', 'Choose a partner.');
    if (key.kind !== 'pair') {
      throw new KeybenchError(
        'ERR_ASSERT_KEY_ALG',
        'A client assertion is signed with a stored key pair, not a secret.',
      );
    }
    const options = optionValues(p, values);
    // The option that holds the certificate (the thumbprint rule names it), if any.
    const option = thumbprintRuleOf(p)?.certificateOption;
    if (option) {
      const choice = values[certificateChoiceName(fieldName(p, option))];
      const stored = chosenCertificate(choice, key.certificates);
      if (stored) options[option] = certificatePem(stored.der);
    }
    const keys = key.pssPrivateKey ? [key.privateKey, key.pssPrivateKey] : [key.privateKey];
    return makeAssertion(p, options, keys, nowMs);
  },
});
