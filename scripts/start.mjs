// `npm start`: build unless dist/ was built from the very sources here (their hash is in dist/), then
// serve dist/ with vite preview. A fresh clone builds once; a second `npm start` serves at once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInputsHash, STAMP_FILE } from './build-inputs.mjs';

const root = join(import.meta.dirname, '..');
const vite = join(root, 'node_modules/vite/bin/vite.js');
const stamp = join(root, 'dist', STAMP_FILE);

const fresh =
  existsSync(join(root, 'dist/index.html')) &&
  existsSync(stamp) &&
  readFileSync(stamp, 'utf8').trim() === buildInputsHash(root);

if (fresh) {
  console.log('dist/ is up to date with the sources: serving it (npm run build builds it again).');
} else {
  const built = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const server = spawn(
  process.execPath,
  [vite, 'preview', '--host', '127.0.0.1', '--port', '4173', '--strictPort', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
