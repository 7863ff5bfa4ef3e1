import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// No function in verdict code over about 100 lines. A long function is
// where a check hides a second, unreviewed path; the limit keeps each step small enough to read.

const root = join(import.meta.dirname, '../../..');

/** The folders holding verdict code. */
const VERDICT_DIRS = [
  'src/lib/request',
  'src/lib/trust',
  'src/lib/schemes',
  'src/lib/partners',
  'src/lib/jwt',
];

/** Longest function allowed, in lines from its first token to its closing brace. */
const MAX_LINES = 100;

/**
 * Functions allowed over the limit, with the length they had (an entry may shrink, never grow; an
 * entry whose function is gone or back under the limit fails the test). Empty: every scheme's
 * verdict code is made of small functions.
 */
const ALLOWED: Record<string, number> = {};

/** One function-like node and its length in lines. */
interface FunctionSpan {
  readonly file: string;
  readonly name: string;
  readonly lines: number;
}

/** Every .ts file under a folder, recursively, as paths relative to the repository root. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

/** The text of a property or binding name, or undefined when it is computed. */
function nameText(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** A readable name for a function: its own, its variable's or property's, or its position. */
function functionName(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  const own = nameText(node.name);
  const parent = node.parent;
  const bound =
    ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)
      ? nameText(parent.name)
      : undefined;
  const cls = ts.isClassLike(parent) ? nameText(parent.name) : undefined;
  const base = own ?? bound;
  if (base) return cls ? `${cls}.${base}` : base;
  if (ts.isConstructorDeclaration(node)) return `${cls ?? '<class>'}.constructor`;
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  return `<anonymous at line ${line}>`;
}

/** Every function, method, accessor, constructor and arrow in a source text, with its length in lines. */
function functionSpans(file: string, text = readFileSync(join(root, file), 'utf8')): FunctionSpan[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(fn.getEnd()).line;
      spans.push({ file, name: functionName(fn, sf), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return spans;
}

const files = VERDICT_DIRS.flatMap(tsFiles);
const spans = files.flatMap((f) => functionSpans(f));
const key = (s: FunctionSpan): string => `${s.file} ${s.name}`;

describe('verdict code is made of small functions', () => {
  it('finds the verdict code it scans (a wrong path must not pass silently)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files).toContain('src/lib/request/curl.ts');
    expect(spans.length).toBeGreaterThan(200);
  });

  it(`has no function, method or arrow over ${MAX_LINES} lines outside the allowlist`, () => {
    const tooLong = spans
      .filter((s) => s.lines > MAX_LINES && !(key(s) in ALLOWED))
      .map((s) => `${s.file}: ${s.name} is ${s.lines} lines (max ${MAX_LINES})`);
    expect(tooLong).toEqual([]);
  });

  it('lets no allowlisted function grow', () => {
    const grown = spans
      .filter((s) => key(s) in ALLOWED && s.lines > (ALLOWED[key(s)] ?? 0))
      .map((s) => `${s.file}: ${s.name} grew to ${s.lines} lines (allowlisted at ${ALLOWED[key(s)]})`);
    expect(grown).toEqual([]);
  });

  it('keeps no stale allowlist entry (a function now gone or short must leave the list)', () => {
    const stale = Object.keys(ALLOWED).filter((k) => !spans.some((s) => key(s) === k && s.lines > MAX_LINES));
    expect(stale.map((k) => `${k} is gone or under ${MAX_LINES} lines: remove it from ALLOWED`)).toEqual([]);
  });

  it('measures and names every kind of function (the measure itself is right)', () => {
    const source = [
      '/** Doc comments are not counted. */',
      'export function plain(a: number): number {',
      '  return a;',
      '}',
      'const arrow = (a: number) =>',
      '  a + 1;',
      'class Box {',
      '  constructor() {}',
      '  method(): void {',
      '    const inner = function () {',
      '      return 1;',
      '    };',
      '    inner();',
      '  }',
      '  get size(): number { return 1; }',
      '}',
      'export default function () {',
      '  return { prop: () => 2, short(x: number) { return x; } };',
      '}',
      'declare function bodiless(): void;',
    ].join('\n');
    const found = functionSpans('sample.ts', source).map((s) => `${s.name} ${s.lines}`);
    expect(found).toEqual([
      'plain 3',
      'arrow 2',
      'Box.constructor 1',
      'Box.method 6',
      'inner 3',
      'Box.size 1',
      '<anonymous at line 17> 3',
      'prop 1',
      'short 1',
    ]);
  });
});
