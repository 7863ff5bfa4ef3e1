/**
 * `npm run new:scheme` as a contributor runs it: in a scratch copy of the repository, the scaffold
 * writes a scheme, a profile and the partner's id; the copy then type-checks, and the conformance
 * suite runs the new scheme (sign → verified, every mistake → its own code) with no more code.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'keybench-new-scheme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyOf() {
  for (const f of [
    'src',
    'scripts',
    'tsconfig.json',
    'package.json',
    'prettier.config.js',
    'tests/prettier.config.js',
    'tests/vitest.config.ts',
  ])
    cpSync(join(repo, f), join(scratch, f), { recursive: true });
  mkdirSync(join(scratch, 'tests/unit/scheme'), { recursive: true });
  cpSync(
    join(repo, 'tests/unit/scheme/conformance.test.ts'),
    join(scratch, 'tests/unit/scheme/conformance.test.ts'),
  );
  symlinkSync(join(repo, 'node_modules'), join(scratch, 'node_modules'));
  symlinkSync(join(repo, 'tests/node_modules'), join(scratch, 'tests/node_modules'));
  // The app and the copied test only (scripts/ type-checks against tests the copy does not hold).
  writeFileSync(
    join(scratch, 'tsconfig.scratch.json'),
    JSON.stringify({ extends: './tsconfig.json', include: ['src/**/*', 'tests/unit/scheme/*.ts'] }),
  );
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')}:\n${stdout ?? ''}${stderr ?? ''}`, { cause: e });
  }
}

describe('npm run new:scheme', { timeout: 240_000 }, () => {
  copyOf();

  it('refuses an id that is not a folder name, or one already taken, and writes nothing', () => {
    expect(() => run('node', ['scripts/new-scheme.mjs', 'Bad Id', 'Acme'])).toThrow(/lower-case letters/);
    expect(() => run('node', ['scripts/new-scheme.mjs', 'bybit', 'Bybit'])).toThrow(/already exists/);
  });

  it('writes a scheme and a profile that type-check and pass the conformance suite as they are', () => {
    const out = run('node', ['scripts/new-scheme.mjs', 'acmex', 'Acme Exchange']);
    expect(out).toContain('src/lib/schemes/acmex/scheme.ts');
    expect(readFileSync(join(scratch, 'src/lib/trust/owner.ts'), 'utf8')).toContain("'acmex',");
    expect(readFileSync(join(scratch, 'src/lib/partners/acmex.profile.ts'), 'utf8')).toContain(
      "name: 'Acme Exchange'",
    );
    // The app with the scaffold's files, and the copied test, type-check and are formatted.
    run(join(repo, 'tests/node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.scratch.json']);
    run(join(repo, 'tests/node_modules/.bin/prettier'), [
      '--check',
      'src/lib/schemes/acmex/scheme.ts',
      'src/lib/partners/acmex.profile.ts',
    ]);
    const report = run(join(repo, 'tests/node_modules/.bin/vitest'), [
      'run',
      '--config',
      'tests/vitest.config.ts',
      'tests/unit/scheme/conformance.test.ts',
      '-t',
      'scheme acmex',
    ]);
    const result = JSON.parse(readFileSync(join(scratch, 'test-results/vitest.json'), 'utf8')) as {
      testResults: { assertionResults: { fullName: string; status: string }[] }[];
    };
    const acme = result.testResults
      .flatMap((f) => f.assertionResults)
      .filter((t) => t.fullName.startsWith('scheme acmex'));
    expect(acme.length, report).toBe(4);
    for (const t of acme) expect(t.status, t.fullName).toBe('passed');
  });
});
