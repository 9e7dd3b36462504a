/**
 * Stack traces in the logs of a deployed bundle name the TypeScript sources, without
 * `--enable-source-maps` (shared/observability/stack-map.ts): the mapper (a file of its own beside the
 * bundle) and the map are read when a stack is first formatted, not at cold start. The bundle does not keep names (infra/bundling.ts), so the functions and
 * classes the stack names are the source's, from the map, not the minified ones V8 knows.
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsOf } from '../../bench/cdk-esbuild';
import { bundlingOptions, lazyBundleCommand, lazyBundles } from '../../infra/bundling';

const projectRoot = join(__dirname, '..', '..');

describe('Stack traces of a bundle', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'stack-traces-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** The error `entry`'s lines make `run()` log, bundled as deployed (with the lazy files, unless `bare`). */
  async function loggedError(name: string, lines: string[], lazyFiles: boolean) {
    const entry = join(outdir, `${name}.ts`);
    writeFileSync(
      entry,
      [
        `import { logger } from '${join(projectRoot, 'shared/observability/logger')}';`,
        `import { parseAmount } from '${join(projectRoot, 'shared/money')}';`,
        ...lines,
      ].join('\n'),
    );
    const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, name), projectRoot);
    await build({ ...options, logLevel: 'silent' });
    if (lazyFiles) {
      for (const lazy of lazyBundles) execSync(lazyBundleCommand(projectRoot, join(outdir, name), lazy));
    }
    const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(options.outfile)}).run()`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, POWERTOOLS_DEV: 'false' },
    });
    // Outside Lambda, Powertools writes errors to stderr.
    const line = JSON.parse(child.stderr.trim().split('\n').at(-1) ?? '{}') as {
      error?: { name?: string; stack?: string };
    };
    return { bundle: readFileSync(options.outfile, 'utf8'), error: line.error };
  }

  it('map to the TypeScript sources when an error is logged', async () => {
    const { bundle, error } = await loggedError(
      'fn',
      [
        'class Till { charge(text: string) { return parseAmount(text); } }',
        'function chargeOnce(text: string) { return new Till().charge(text); }',
        `export function run() { try { chargeOnce('not money'); } catch (error) { logger.error('failed', { error }); } }`,
      ],
      true,
    );

    // The mapping is not in the bundle: a cold start does not compile it.
    expect(bundle).not.toContain('getEnclosingColumnNumber');
    // Minified, the class keeps the name it declares.
    expect(error?.name).toBe('InvalidAmountError');
    expect(error?.stack).toMatch(/shared\/money\.ts:\d+:\d+/);
    expect(error?.stack).not.toMatch(/index\.js:1:\d+/);
    // Every frame of the bundle is named as in the source, not as V8 knows it (e.g. `we`, `Q.charge`, `ot`).
    const namesOfSourceFrames = [
      ...(error?.stack ?? '').matchAll(/^ {4}at (\S+) \(\S+\.ts:\d+:\d+\)$/gm),
    ].map(([, name]) => name);
    expect(namesOfSourceFrames).toEqual(['parseAmount', 'Till.charge', 'chargeOnce', 'run']);
  });

  it('are formatted as V8 formats them when the mapper is missing', async () => {
    const { error } = await loggedError(
      'bare',
      [
        `export function run() { try { parseAmount('not money'); } catch (error) { logger.error('failed', { error }); } }`,
      ],
      false,
    );

    expect(error?.name).toBe('InvalidAmountError');
    expect(error?.stack).toMatch(/^InvalidAmountError: amount must be/);
    expect(error?.stack).toMatch(/index\.js:\d+:\d+/);
  });
});
