/**
 * The scheme registry: every folder under src/lib/schemes/ with a `meta.ts` is a scheme,
 * found at build time. Metas load with the page (they are tiny); a scheme's check and form load when
 * first needed, so the Sign view never pulls verification code and the first load stays small.
 */
import { REQUEST_SCHEMES, schemesOfKind } from './metas';
import type { SchemeForm, SchemeId, TokenCheck } from './contract';

// The metas live in metas.ts (the page needs them without these loaders); re-exported here.
export { SCHEMES, schemesOfKind } from './metas';
/**
 * Token schemes' checks (`token-check.ts`: one TokenCheck, or several when a scheme has rules per
 * partner), loaded when the inspector first needs a partner card. Request schemes' checks
 * (`check.ts`) are the doctor's, all in its worker chunk (scheme/doctor-checks.ts): a lazy loader
 * here for them as well would make the bundler warn that the dynamic import does nothing.
 */
const tokenChecks = import.meta.glob<TokenCheck | readonly TokenCheck[]>('../schemes/*/token-check.ts', {
  import: 'default',
});
const forms = import.meta.glob<SchemeForm>('../schemes/*/form.ts', { import: 'default' });

/** Load every token scheme's checks (for the inspector's partner cards). */
export async function loadTokenChecks(): Promise<TokenCheck[]> {
  const ids = schemesOfKind('token').map((m) => m.id);
  const loaded = await Promise.all(ids.map((id) => tokenChecks[`../schemes/${id}/token-check.ts`]?.()));
  return loaded.flatMap((c) => (c === undefined ? [] : Array.isArray(c) ? c : [c as TokenCheck]));
}

/** Does the scheme have a Sign form? */
export function hasForm(id: SchemeId): boolean {
  return `../schemes/${id}/form.ts` in forms || REQUEST_SCHEMES.has(id);
}

/** Load a scheme's Sign form; undefined when the scheme has none. */
export async function loadForm(id: SchemeId): Promise<SchemeForm | undefined> {
  const load = forms[`../schemes/${id}/form.ts`];
  if (load) return load();
  // A declarative scheme's form is made by the engine from its scheme.ts.
  const scheme = REQUEST_SCHEMES.get(id);
  return scheme ? (await import('./sign')).toForm(scheme) : undefined;
}
