import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// src/lib/crypto is the only caller of crypto.subtle.sign and crypto.subtle.verify: an algorithm's
// parameters (PSS salt, ECDSA hash, what a PSS-only key may do) are decided once, in its table.

const root = join(import.meta.dirname, '../../..');
const OWNER = 'src/lib/crypto/';

/** Every .ts and .svelte file under `dir`, relative to the repository. */
function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The script of a file: a .svelte file's <script> blocks, a .ts file whole. */
function script(path: string, text: string): string {
  if (!path.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/**
 * The lines (1-based) of `source` that reach `sign` or `verify` on something named `subtle`:
 * `x.subtle.sign(…)`, `subtle['verify']`, `const { sign } = crypto.subtle`. Read from the syntax
 * tree, so a comment or a string naming them does not count.
 */
export function subtleSignCalls(source: string): number[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const isSubtle = (e: ts.Expression) =>
    (ts.isIdentifier(e) && e.text === 'subtle') ||
    (ts.isPropertyAccessExpression(e) && e.name.text === 'subtle');
  const lines: number[] = [];
  const visit = (n: ts.Node): void => {
    const hit =
      (ts.isPropertyAccessExpression(n) && isSubtle(n.expression) && /^(sign|verify)$/.test(n.name.text)) ||
      (ts.isElementAccessExpression(n) &&
        isSubtle(n.expression) &&
        ts.isStringLiteralLike(n.argumentExpression) &&
        /^(sign|verify)$/.test(n.argumentExpression.text)) ||
      (ts.isVariableDeclaration(n) &&
        n.initializer !== undefined &&
        isSubtle(n.initializer) &&
        ts.isObjectBindingPattern(n.name) &&
        n.name.elements.some((b) => /^(sign|verify)$/.test((b.propertyName ?? b.name).getText(file))));
    if (hit) lines.push(file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return lines;
}

/** Each file of src/ that calls subtle sign/verify, with its lines. */
function callers(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const path of files('src')) {
    const lines = subtleSignCalls(script(path, readFileSync(join(root, path), 'utf8')));
    if (lines.length) out.set(path, lines);
  }
  return out;
}

describe('lib/crypto is the only caller of crypto.subtle.sign and crypto.subtle.verify', () => {
  it('the detector finds each way of reaching them, and not a comment or a string', () => {
    expect(subtleSignCalls('await crypto.subtle.sign(p, k, d);')).toEqual([1]);
    expect(subtleSignCalls('\nglobalThis.crypto.subtle.verify(p, k, s, d);')).toEqual([2]);
    expect(subtleSignCalls("const s = crypto.subtle; s; subtle['verify'](p, k, s, d);")).toEqual([1]);
    expect(subtleSignCalls('const { verify: v } = crypto.subtle;')).toEqual([1]);
    expect(subtleSignCalls('const { importKey } = crypto.subtle;')).toEqual([]);
    expect(subtleSignCalls('// crypto.subtle.sign(p, k, d)\nconst t = "crypto.subtle.verify(";')).toEqual([]);
    expect(subtleSignCalls('crypto.subtle.importKey("raw", b, p, false, ["sign"]);')).toEqual([]);
  });

  it('no file outside src/lib/crypto calls them', () => {
    const outside = [...callers()]
      .filter(([path]) => !path.startsWith(OWNER))
      .map(([path, lines]) => `${path}:${lines.join(',')}`);
    expect(outside).toEqual([]);
  });

  it('finds the calls lib/crypto makes (the scan reads the real tree)', () => {
    const own = [...callers().keys()].filter((p) => p.startsWith(OWNER));
    expect(own).toEqual(['src/lib/crypto/signature.ts']);
  });
});
