/**
 * The Sign view's per-scheme form state: one generic class for every SchemeForm. Values
 * live by scheme id, so each tab keeps what the user typed while they move between tabs; a field
 * marked `remember` is kept in localStorage, never a key field or a secret.
 */
import type {
  FieldValue,
  FormField,
  FormValues,
  SchemeForm,
  SchemeId,
  SignerKey,
  SignOutput,
} from '../lib/scheme/contract';
import { messageOf } from '../lib/errors';

const PREFIX = 'keybench.sign.';

/** Where a remembered field is kept. */
export function rememberKey(scheme: SchemeId, field: string): string {
  return `${PREFIX}${scheme}.${field}`;
}

/** Whether a field may be written to localStorage: asked for, and never a key or secret. */
function mayRemember(field: FormField): boolean {
  return field.remember === true && field.kind !== 'key';
}

function readStored(key: string): FieldValue | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as FieldValue);
  } catch {
    return undefined;
  }
}

function writeStored(key: string, value: FieldValue): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused (private mode, quota): the value simply stays in memory.
  }
}

/** A field's default now (a function of the time for timestamps). */
function defaultOf(field: FormField, nowMs: number): FieldValue {
  return typeof field.default === 'function' ? field.default(nowMs) : field.default;
}

/** A form's first values: each field's remembered value if it may have one, else its default; then `fixed`. */
export function initialValues(form: SchemeForm, nowMs: number): FormValues {
  const values: FormValues = {};
  for (const f of form.fields) {
    const stored = mayRemember(f) ? readStored(rememberKey(form.id, f.name)) : undefined;
    values[f.name] = stored ?? defaultOf(f, nowMs);
  }
  return { ...values, ...form.fixed };
}

/** The fields shown for these values (`when`), fixed fields left out. */
export function visibleFields(form: SchemeForm, values: FormValues): FormField[] {
  return form.fields.filter((f) => !(form.fixed && f.name in form.fixed) && (f.when?.(values) ?? true));
}

/** A plain copy of reactive values (lists copied), so a form's sign() sees no proxies. */
function plainValues(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
}

/** One scheme's form: values, the last output, the error, and whether it is signing. */
export class SchemeFormState {
  readonly form: SchemeForm;
  values = $state<FormValues>({});
  output = $state.raw<SignOutput | null>(null);
  error = $state('');
  busy = $state(false);

  constructor(form: SchemeForm, nowMs = Date.now()) {
    this.form = form;
    this.values = initialValues(form, nowMs);
  }

  /** Set a field; a remembered field is written to localStorage at once. */
  set(name: string, value: FieldValue): void {
    this.values[name] = value;
    const field = this.form.fields.find((f) => f.name === name);
    if (field && mayRemember(field)) writeStored(rememberKey(this.form.id, name), value);
  }

  /** A field back to its default for now (the "Now" button of a timestamp). */
  reset(name: string, nowMs = Date.now()): void {
    const field = this.form.fields.find((f) => f.name === name);
    if (field) this.set(name, defaultOf(field, nowMs));
  }

  /** The fields shown now. */
  get visible(): FormField[] {
    return visibleFields(this.form, this.values);
  }

  /** Sign with the key; a missing key or a refusal becomes the error, never a throw. */
  async sign(key: SignerKey | null, missingKey: string, nowMs = Date.now()): Promise<void> {
    this.error = '';
    this.output = null;
    if (!key) {
      this.error = missingKey;
      return;
    }
    this.busy = true;
    try {
      this.output = await this.form.sign(plainValues(this.values), key, nowMs);
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }
}

/** Every scheme form the Sign view has opened, by scheme id, plus the HMAC secrets typed (memory only). */
class SignFormStates {
  #states = new Map<SchemeId, SchemeFormState>();
  /** The scheme chosen in a tab that offers several (QI Tech), by tab id. */
  chosen = $state<Record<string, SchemeId>>({});
  /** HMAC secrets by scheme id: kept in memory only, never in values (values may be remembered). */
  secrets = $state<Record<SchemeId, { text: string; encoding: 'text' | 'base64' | 'base64url' }>>({});

  /** Values to put in a form not loaded yet (the forms load lazily), applied when it is made. */
  #pending = new Map<SchemeId, FormValues>();

  /** The state of a form, made on first use. */
  of(form: SchemeForm): SchemeFormState {
    let s = this.#states.get(form.id);
    if (!s) {
      s = new SchemeFormState(form);
      this.#states.set(form.id, s);
      const pending = this.#pending.get(form.id);
      this.#pending.delete(form.id);
      if (pending) Object.assign(s.values, pending);
    }
    return s;
  }

  /**
   * Fill a scheme's form ("Sign it correctly"), now or when it loads; its last output is cleared.
   * Values read from a request are never remembered: a remembered value is replaced only by the user.
   */
  fill(id: SchemeId, values: FormValues): void {
    const s = this.#states.get(id);
    if (!s) {
      this.#pending.set(id, { ...this.#pending.get(id), ...values });
      return;
    }
    Object.assign(s.values, values);
    s.output = null;
    s.error = '';
  }

  /** A value of a scheme's form as it is or will be (for checks before the form loads). */
  valueOf(id: SchemeId, name: string): FieldValue | undefined {
    return this.#states.get(id)?.values[name] ?? this.#pending.get(id)?.[name];
  }
}

/** The Sign view's scheme forms. */
export const signStates = new SignFormStates();
