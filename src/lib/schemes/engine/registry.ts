/**
 * The scheme registry (issue 19): every folder under src/lib/schemes/ with a `meta.ts` is a scheme,
 * found at build time. Metas load with the page (they are tiny); a scheme's check and form load when
 * first needed, so the Sign view never pulls verification code and the first load stays small.
 */
import { schemesOfKind } from './metas';
import type { RequestCheck, SchemeForm, SchemeId, TokenCheck } from './types';

// The metas live in metas.ts (the page needs them without these loaders); re-exported here.
export { SCHEMES, schemesOfKind } from './metas';
/** A check.ts exports one check, or (a token scheme with rules per partner) several token checks. */
type CheckExport = RequestCheck | TokenCheck | readonly TokenCheck[];
const checks = import.meta.glob<CheckExport>('../*/check.ts', { import: 'default' });
const forms = import.meta.glob<SchemeForm>('../*/form.ts', { import: 'default' });

/** Load a scheme's check; undefined when the scheme has none. */
export async function loadCheck(id: SchemeId): Promise<CheckExport | undefined> {
  const load = checks[`../${id}/check.ts`];
  return load ? load() : undefined;
}

/** Load every request scheme's check (for the doctor's recognition). */
export async function loadRequestChecks(): Promise<RequestCheck[]> {
  const ids = schemesOfKind('request').map((m) => m.id);
  const loaded = await Promise.all(ids.map((id) => loadCheck(id)));
  return loaded.filter(
    (c): c is RequestCheck => c !== undefined && !Array.isArray(c) && 'signedHeaders' in c,
  );
}

/** Load every token scheme's check (for the inspector's partner cards). */
export async function loadTokenChecks(): Promise<TokenCheck[]> {
  const ids = schemesOfKind('token').map((m) => m.id);
  const loaded = await Promise.all(ids.map((id) => loadCheck(id)));
  return loaded.flatMap((c) => (c === undefined ? [] : Array.isArray(c) ? c : 'partnerName' in c ? [c] : []));
}

/** Load a scheme's Sign form; undefined when the scheme has none. */
export async function loadForm(id: SchemeId): Promise<SchemeForm | undefined> {
  const load = forms[`../${id}/form.ts`];
  return load ? load() : undefined;
}
