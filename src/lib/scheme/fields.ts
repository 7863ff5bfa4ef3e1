/** The fields most Sign tabs share, so that a scheme's form names only what is its own. */
import type { FieldValue, FormField } from './contract';

/** The key pair that signs (the tab offers only pairs whose algorithm fits the scheme). */
export function keyField(help: string): FormField {
  return { name: 'key', label: 'Key pair', kind: 'key', default: '', help };
}

/** The HTTP method, one of `options`; the first is the default unless another is given. */
export function methodField(
  options: readonly string[],
  help = 'The HTTP method sent.',
  byDefault = options[0] ?? 'GET',
): FormField {
  return { name: 'method', label: 'Method', kind: 'choice', default: byDefault, options, help };
}

/** Any other field: its name, label, kind and help; the default is "" unless `more` says otherwise. */
export const field = (
  name: string,
  label: string,
  kind: FormField['kind'],
  help: string,
  more: Partial<FormField> = {},
): FormField => ({ name, label, kind, help, default: '', ...more });

/** A form value as text: "" when absent, another kind of value as its string. */
export const text = (v: FieldValue | undefined): string => (typeof v === 'string' ? v : String(v ?? ''));
