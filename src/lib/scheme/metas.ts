/**
 * Every scheme's meta, found at build time (`import.meta.glob`, eager: they are tiny). Apart from the
 * registry's lazy loaders so that code needing only names and `recognisedBy` (the Keys view's guide,
 * the Sign view's tabs, the doctor's messages) does not bring the loaders of every check and form.
 */
import type { RequestScheme } from './types';
import type { SchemeId, SchemeMeta } from './contract';

const metas = import.meta.glob<SchemeMeta>('../schemes/*/meta.ts', { eager: true, import: 'default' });
// A declarative scheme (scheme.ts) says who it is in the same object; a folder of variants (QI Tech)
// exports them as an array, each with its own id.
const declared = import.meta.glob<RequestScheme | readonly RequestScheme[]>('../schemes/*/scheme.ts', {
  eager: true,
  import: 'default',
});
/** The schemes a scheme.ts exports: one, or its variants. */
const schemesIn = (s: RequestScheme | readonly RequestScheme[]): readonly RequestScheme[] =>
  Array.isArray(s) ? s : [s as RequestScheme];
const metaOf = (s: RequestScheme): SchemeMeta => ({
  id: s.id,
  name: s.name,
  kind: 'request',
  recognisedBy: s.recognisedBy,
  source: s.source,
  mistakes: s.mistakes.map((m) => ({ code: m.code, title: m.title })),
});

/** `../schemes/qredo/meta.ts` → `qredo`. */
function folderOf(path: string): string {
  return path.split('/')[2] ?? '';
}

/** Every request scheme (scheme.ts), by id, in folder order. */
export const REQUEST_SCHEMES: ReadonlyMap<SchemeId, RequestScheme> = new Map(
  Object.keys(declared)
    .sort()
    .flatMap((path) => schemesIn(declared[path]!).map((s) => [s.id, s] as const)),
);

/** Every scheme's meta, by id (the folder name and the meta's id agree: a test checks it). */
export const SCHEMES: ReadonlyMap<SchemeId, SchemeMeta> = new Map([
  ...Object.entries(metas).map(([path, meta]) => [folderOf(path), meta] as const),
  ...[...REQUEST_SCHEMES.values()].map((s) => [s.id, metaOf(s)] as const),
]);

/** The folder of each declarative scheme, by id (the id of a variant is not its folder's name). */
export const SCHEME_FOLDERS: ReadonlyMap<SchemeId, string> = new Map(
  Object.entries(declared).flatMap(([path, s]) => schemesIn(s).map((v) => [v.id, folderOf(path)] as const)),
);

/** The metas of one kind, in id order. */
export function schemesOfKind(kind: SchemeMeta['kind']): SchemeMeta[] {
  return [...SCHEMES.values()].filter((m) => m.kind === kind).sort((a, b) => a.id.localeCompare(b.id));
}
