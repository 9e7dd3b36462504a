/**
 * Stack traces in the logs of a deployed bundle name the TypeScript sources, without
 * `--enable-source-maps` (shared/observability/stack-map.ts): the map is read when a stack is first
 * formatted, not at cold start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsOf } from '../../bench/cdk-esbuild';
import { bundlingOptions } from '../../infra/bundling';

const projectRoot = join(__dirname, '..', '..');

describe('Stack traces of a bundle', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'stack-traces-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('map to the TypeScript sources when an error is logged', async () => {
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { logger } from '${join(projectRoot, 'shared/observability/logger')}';`,
        `import { parseAmount } from '${join(projectRoot, 'shared/money')}';`,
        `export function run() { try { parseAmount('not money'); } catch (error) { logger.error('failed', { error }); } }`,
      ].join('\n'),
    );
    const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, 'fn'), projectRoot);
    await build({ ...options, logLevel: 'silent' });

    const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(options.outfile)}).run()`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, POWERTOOLS_DEV: 'false' },
    });

    // Outside Lambda, Powertools writes errors to stderr.
    const line = JSON.parse(child.stderr.trim().split('\n').at(-1) ?? '{}') as {
      error?: { name?: string; stack?: string };
    };
    // Minified, the class keeps the name it declares.
    expect(line.error?.name).toBe('InvalidAmountError');
    expect(line.error?.stack).toMatch(/shared\/money\.ts:\d+:\d+/);
    expect(line.error?.stack).not.toMatch(/index\.js:1:\d+/);
  });
});
