// What a production build is made from, as one hash: the build writes it into dist/ and `npm start`
// serves dist/ without building again only when the sources still hash the same.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files and folders (relative to the root) whose contents make the build. */
export const BUILD_INPUTS = [
  'index.html',
  'src',
  'public',
  'vite.config.ts',
  'svelte.config.js',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'scripts/headers.mjs',
  'scripts/build-inputs.mjs',
];

/** Where the build writes the hash of its inputs (not precached: Workbox takes no .txt). */
export const STAMP_FILE = '.vite/build-inputs.txt';

/**
 * Every file under `path`, sorted, as absolute paths.
 * @param {string} path
 * @returns {string[]}
 */
function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/**
 * SHA-256 over the names and contents of every build input under `root`.
 * @param {string} root
 */
export function buildInputsHash(root) {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of filesUnder(join(root, input))) {
      hash.update(`${relative(root, file)}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}
