import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, createLogger } from 'vite';

const root = join(import.meta.dirname, '../../..');

describe('the production build', () => {
  it('prints no warning (npm start shows the user a warning they can do nothing about), and inlines the entry stylesheet under its CSP hash', async () => {
    const warnings: string[] = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    logger.warn = (msg) => void warnings.push(msg);
    logger.warnOnce = (msg) => void warnings.push(msg);
    const outDir = mkdtempSync(join(tmpdir(), 'keybench-build-'));
    let html: string;
    let headers: string;
    try {
      await build({
        root,
        configFile: join(root, 'vite.config.ts'),
        customLogger: logger,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      });
      html = readFileSync(join(outDir, 'index.html'), 'utf8');
      headers = readFileSync(join(outDir, '_headers'), 'utf8');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
    expect(warnings.join('\n')).toBe('');

    // The first paint waits for no stylesheet: the entry CSS is inline, allowed by its hash alone, in
    // the page's meta CSP and in the CSP the built _headers send with / and /index.html.
    expect(html).not.toMatch(/<link rel="stylesheet"/);
    const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(styles[0]!).digest('base64')}'`;
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
    const pageCsps = [
      meta,
      ...[...headers.matchAll(/^\s*Content-Security-Policy: (.*style-src.*)$/gm)].map((m) => m[1]!),
    ];
    expect(pageCsps).toHaveLength(3);
    for (const csp of pageCsps) {
      expect(csp).toContain(`style-src 'self' ${hash};`);
      expect(csp).not.toContain('unsafe-inline');
    }
  }, 120_000);
});
