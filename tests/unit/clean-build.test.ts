import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, createLogger } from 'vite';

const root = join(import.meta.dirname, '../..');

describe('the production build', () => {
  it('prints no warning (npm start shows the user a warning they can do nothing about)', async () => {
    const warnings: string[] = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    logger.warn = (msg) => void warnings.push(msg);
    logger.warnOnce = (msg) => void warnings.push(msg);
    const outDir = mkdtempSync(join(tmpdir(), 'keybench-build-'));
    try {
      await build({
        root,
        configFile: join(root, 'vite.config.ts'),
        customLogger: logger,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
    expect(warnings.join('\n')).toBe('');
  }, 120_000);
});
