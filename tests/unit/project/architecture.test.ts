/**
 * What each folder may import (ARCHITECTURE.md): src/lib imports nothing from Svelte, the views,
 * the page's state or storage, and its modules form no import cycle (type imports included: a cycle
 * of types is still two modules that cannot be understood apart). No function, constant or class of
 * src/ is exported unless another module (or a test) uses it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const lib = join(root, 'src/lib');

const files = readdirSync(lib, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name))
  .map((e) => join(e.parentPath, e.name));

/** The specifiers a module imports or re-exports (static, dynamic and type-only). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

/** A relative specifier as the file it names, when it is one of src/lib's. */
function target(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((f) => files.includes(f) && existsSync(f));
}

describe('src/lib', () => {
  it('imports nothing from Svelte, the views, the page state or storage', () => {
    const wrong = files.flatMap((f) =>
      specifiers(f)
        .filter(
          (s) => /^svelte(\/|$)/.test(s) || /\/(features|state|storage|ui)\//.test(resolve(dirname(f), s)),
        )
        .map((s) => `${relative(root, f)} → ${s}`),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps the engine beside the schemes: every folder under schemes/ is one scheme', () => {
    const folders = readdirSync(join(lib, 'schemes'), { withFileTypes: true }).filter((e) => e.isDirectory());
    const notSchemes = folders
      .map((e) => e.name)
      .filter((name) => !['scheme.ts', 'meta.ts'].some((f) => existsSync(join(lib, 'schemes', name, f))));
    expect(folders.length).toBeGreaterThan(5);
    expect(notSchemes).toEqual([]);
  });

  it('keeps a scheme that is only data on the engine small: Kalshi, Bybit and TrueLayer at most 250 lines each', () => {
    const lines = (id: string) =>
      readdirSync(join(lib, 'schemes', id))
        .map((f) => readFileSync(join(lib, 'schemes', id, f), 'utf8').split('\n').length - 1)
        .reduce((a, b) => a + b, 0);
    const over = ['kalshi', 'bybit', 'truelayer']
      .map((id) => [id, lines(id)])
      .filter(([, n]) => Number(n) > 250);
    expect(over).toEqual([]);
  });

  it('has no import cycle', () => {
    const graph = new Map(files.map((f) => [f, specifiers(f).flatMap((s) => target(f, s) ?? [])] as const));
    // Tarjan's strongly connected components: any of more than one module is a cycle.
    let index = 0;
    const stack: string[] = [];
    const on = new Set<string>();
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          component.push(relative(root, w));
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const f of files) if (!idx.has(f)) visit(f);
    expect(cycles).toEqual([]);
    // The scan reads real imports (it would see the engine's use of the crypto table).
    expect(graph.get(join(lib, 'scheme/check.ts'))).toContain(join(lib, 'crypto/algorithms.ts'));
  });
});

describe('src/', () => {
  it('exports no function, constant or class that no other module or test names', () => {
    const walk = (dir: string) =>
      readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.(ts|svelte|mjs)$/.test(e.name))
        .map((e) => join(e.parentPath, e.name));
    const mine = walk('src').filter((f) => f.endsWith('.ts'));
    const texts = new Map(
      [...walk('src'), ...walk('tests/unit'), ...walk('tests/e2e'), ...walk('scripts')].map((f) => [
        f,
        readFileSync(f, 'utf8'),
      ]),
    );
    const unused = mine.flatMap((f) =>
      [...texts.get(f)!.matchAll(/^export (?:async )?(?:function|const|class|let) ([A-Za-z_$][\w$]*)/gm)]
        .map((m) => m[1]!)
        .filter((name) => {
          const re = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
          return ![...texts].some(([g, t]) => g !== f && re.test(t));
        })
        .map((name) => `${relative(root, f)}: ${name}`),
    );
    expect(unused).toEqual([]);
    expect(mine.length).toBeGreaterThan(100);
  });
});

describe('error codes', () => {
  const codesFiles = files.filter((f) => f.endsWith('/codes.ts'));
  const declared = (f: string) =>
    [...readFileSync(f, 'utf8').matchAll(/'(ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!);
  const raisedIn = (dir: string, code: string) =>
    files.some(
      (f) =>
        f.startsWith(`${dir}/`) && !f.endsWith('/codes.ts') && readFileSync(f, 'utf8').includes(`'${code}'`),
    );

  // The engine's codes are its mistake families', which the schemes raise.
  const scope = (f: string) => (f === join(lib, 'scheme/codes.ts') ? lib : dirname(f));

  it("each folder's codes.ts declares only codes that folder raises", () => {
    expect(codesFiles.map((f) => relative(lib, f)).sort()).toEqual(
      expect.arrayContaining(['jwe/codes.ts', 'schemes/qredo/codes.ts', 'schemes/rfc9421/codes.ts']),
    );
    const stray = codesFiles.flatMap((f) =>
      declared(f)
        .filter((code) => !raisedIn(scope(f), code))
        .map((code) => `${relative(root, f)}: ${code}`),
    );
    expect(stray).toEqual([]);
  });

  it('ErrorCode is errors.ts with every codes.ts it joins, and no code is declared twice', () => {
    const errors = readFileSync(join(lib, 'errors.ts'), 'utf8');
    const joined = [...errors.matchAll(/^import type \{ (\w+) \} from '\.\/(.+)'/gm)].map((m) => [
      m[1]!,
      m[2]!,
    ]);
    const missing = codesFiles
      .map((f) => relative(lib, f).replace(/\.ts$/, ''))
      .filter((p) => !joined.some(([type, from]) => from === p && new RegExp(`\\| ${type}\\b`).test(errors)));
    expect(missing).toEqual([]);
    // errors.ts's own codes are shared: each is raised somewhere in src/ (storage's in src/storage).
    const everywhere = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name) && e.name !== 'errors.ts')
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
    const unraised = declared(join(lib, 'errors.ts')).filter(
      (code) => !everywhere.some((t) => t.includes(`'${code}'`)),
    );
    expect(unraised).toEqual([]);
    const all = [...codesFiles.flatMap(declared), ...declared(join(lib, 'errors.ts'))];
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });
});
