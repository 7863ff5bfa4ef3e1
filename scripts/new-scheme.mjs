// `npm run new:scheme -- <id> "<Partner name>"`: the files a new request-signing partner needs,
// from scripts/templates/: src/lib/schemes/<id>/scheme.ts (a working RSA scheme to edit into the
// partner's), src/lib/partners/<id>.profile.ts, and the id added to trust/owner.ts's list. The
// conformance suite (tests/unit/scheme/conformance.test.ts) then runs the new scheme with no more code.
// `--root <dir>` writes under another checkout (the scaffold's own test uses a scratch tree).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const templates = join(dirname(fileURLToPath(import.meta.url)), 'templates');

/**
 * Write a new scheme's files. Returns the paths written, relative to root.
 * @param {{ id: string, name: string, root: string }} options
 */
export function newScheme({ id, name, root }) {
  if (!/^[a-z][a-z0-9]{1,19}$/.test(id))
    throw new Error(`The id "${id}" must be 2–20 lower-case letters or digits, starting with a letter.`);
  if (!name.trim() || /['\\\n]/.test(name)) throw new Error('Give the partner’s name, without quotes.');
  const lib = join(root, 'src/lib');
  const schemeFile = join(lib, 'schemes', id, 'scheme.ts');
  const profileFile = join(lib, 'partners', `${id}.profile.ts`);
  for (const f of [schemeFile, profileFile]) if (existsSync(f)) throw new Error(`${f} already exists.`);
  const ownerFile = join(lib, 'trust/owner.ts');
  const owner = readFileSync(ownerFile, 'utf8');
  const list = /export const PARTNER_OWNERS = \[\n([\s\S]*?)\] as const;/.exec(owner);
  if (!list) throw new Error(`${ownerFile}: PARTNER_OWNERS not found.`);
  if ((list[1] ?? '').includes(`'${id}'`)) throw new Error(`The id "${id}" is already a partner's.`);
  const orders = readdirSync(join(lib, 'partners'))
    .filter((f) => f.endsWith('.profile.ts'))
    .map((f) => Number(/\border: (\d+)/.exec(readFileSync(join(lib, 'partners', f), 'utf8'))?.[1] ?? 0));
  const fill = (/** @type {string} */ text) =>
    text
      .replaceAll('__ID__', id)
      .replaceAll('__NAME__', name.trim())
      .replaceAll('__TYPE__', id.slice(0, 1).toUpperCase() + id.slice(1))
      .replaceAll('__HDR__', id.toUpperCase())
      .replaceAll('__LHDR__', id)
      .replaceAll('__ORDER__', String(Math.max(0, ...orders) + 1));
  mkdirSync(dirname(schemeFile), { recursive: true });
  writeFileSync(schemeFile, fill(readFileSync(join(templates, 'scheme.ts.tmpl'), 'utf8')));
  writeFileSync(profileFile, fill(readFileSync(join(templates, 'profile.ts.tmpl'), 'utf8')));
  writeFileSync(ownerFile, owner.replace(list[0], list[0].replace('] as const;', `  '${id}',\n] as const;`)));
  const written = [schemeFile, profileFile, ownerFile];
  // Formatted as `npm run check` wants them (prettier is a test tool: skipped when not installed).
  const prettier = join(root, 'tests/node_modules/.bin/prettier');
  if (existsSync(prettier)) execFileSync(prettier, ['--write', ...written], { cwd: root, stdio: 'pipe' });
  return written.map((f) => f.slice(root.length + 1));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--root');
  const root = at >= 0 ? (args.splice(at, 2)[1] ?? '.') : join(dirname(fileURLToPath(import.meta.url)), '..');
  const [id, ...name] = args;
  try {
    const written = newScheme({ id: id ?? '', name: name.join(' '), root });
    console.log(`Written:\n  ${written.join('\n  ')}`);
    console.log(
      'Next: make scheme.ts say what the partner signs (its SDK’s source), fill the profile, run\n' +
        '  npm run test:unit -- tests/unit/scheme/conformance.test.ts\n' +
        `then add a both-ways test against the partner’s SDK in tests/unit/schemes/${id}/sdk.test.ts\n` +
        '(see CONTRIBUTING.md).',
    );
  } catch (e) {
    console.error(
      e instanceof Error ? e.message : e,
      (e && typeof e === 'object' && 'stderr' in e && String(e.stderr)) || '',
    );
    console.error('Usage: npm run new:scheme -- <id> "<Partner name>"');
    process.exit(1);
  }
}
