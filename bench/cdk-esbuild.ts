/**
 * The esbuild build that CDK's NodejsFunction runs for the project's `bundlingOptions`, as its
 * `Bundling.buildEsbuildArgs` (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js) turns them into
 * `esbuild --bundle <entry> --target=… --platform=node --format=… --minify --sourcemap …`.
 * Only the options the project sets are translated; any other throws, so that a new setting in
 * infra/bundling.ts cannot be silently left out of what the benchmark measures. `commandHooks` are not
 * esbuild options: `hookCommandsOf` gives the shell commands CDK runs before and after esbuild, and
 * bench/bundle-build.ts runs them as CDK does (`bash -c`, in the project root).
 */
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

export class UntranslatedBundlingOptionError extends Error {
  override readonly name = 'UntranslatedBundlingOptionError';
}

// How CDK runs esbuild (locally, not in Docker), not what esbuild writes.
// `commandHooks` only adds the lazy bundles beside index.js (`lazyBundles`, built apart), not index.js itself.
const withoutEffectOnOutput = new Set<keyof BundlingOptions>(['forceDockerBundling', 'commandHooks']);
const translated = new Set<keyof BundlingOptions>([
  'format',
  'target',
  'minify',
  'sourceMap',
  'sourcesContent',
  'keepNames',
  'bundleAwsSDK',
  'externalModules',
  'mainFields',
  'esbuildArgs',
  // Not passed to esbuild: run around it (hookCommandsOf).
  'commandHooks',
]);

/**
 * esbuild options writing `outdir/index.js` (and its map) exactly as CDK bundles `entry`.
 * @example await esbuild.build(esbuildOptionsOf(bundlingOptions, 'functions/health/handler.ts', dir, root));
 */
export function esbuildOptionsOf(
  bundling: BundlingOptions,
  entry: string,
  outdir: string,
  projectRoot: string,
): BuildOptions & { outfile: string } {
  for (const [option, value] of Object.entries(bundling)) {
    const key = option as keyof BundlingOptions;
    if (value !== undefined && !translated.has(key) && !withoutEffectOnOutput.has(key)) {
      throw new UntranslatedBundlingOptionError(
        `bench/cdk-esbuild.ts does not translate bundling option "${option}" yet: add it as CDK's buildEsbuildArgs does`,
      );
    }
  }
  if (bundling.target === undefined) {
    throw new UntranslatedBundlingOptionError('set bundling.target: CDK would derive it from the runtime');
  }
  if (bundling.externalModules === undefined && !bundling.bundleAwsSDK) {
    throw new UntranslatedBundlingOptionError(
      'set bundling.externalModules: CDK would mark the runtime SDK external',
    );
  }
  const esm = bundling.format === 'esm';
  return {
    absWorkingDir: projectRoot,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: bundling.target,
    ...(bundling.format === undefined ? {} : { format: bundling.format }),
    outfile: `${outdir}/${esm ? 'index.mjs' : 'index.js'}`,
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: bundling.externalModules ?? [],
    keepNames: bundling.keepNames ?? false,
    ...(bundling.mainFields === undefined ? {} : { mainFields: bundling.mainFields }),
    ...aliasesOf(bundling.esbuildArgs),
    logLevel: 'warning',
  };
}

/**
 * `esbuildArgs: { '--alias': ['from=to', ...] }`, which CDK passes as `--alias:from=to` (its
 * `toCliArgsArray`); no other raw argument is translated yet.
 */
function aliasesOf(args: BundlingOptions['esbuildArgs']): Pick<BuildOptions, 'alias'> {
  if (args === undefined) return {};
  const alias: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key !== '--alias' || !Array.isArray(value)) {
      throw new UntranslatedBundlingOptionError(
        `bench/cdk-esbuild.ts does not translate esbuildArgs "${key}" yet`,
      );
    }
    for (const item of value) {
      const [from, to] = [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)];
      if (!from || !to)
        throw new UntranslatedBundlingOptionError(`esbuildArgs --alias "${item}" is not from=to`);
      alias[from] = to;
    }
  }
  return { alias };
}

/** The shell commands CDK's local bundling runs around esbuild, in that order. */
export interface HookCommands {
  /** Before esbuild (`beforeBundling`). */
  before: string[];
  /** After esbuild, into the same output folder (`afterBundling`): e.g. files loaded lazily. */
  after: string[];
}

/**
 * The commands of `bundling.commandHooks` for one function, as CDK asks for them
 * (`createBundlingSteps`: `inputDir` is the project root when bundling locally, `outputDir` the asset
 * folder). `beforeInstall` runs only with `nodeModules`, which the project does not set (and which
 * `esbuildOptionsOf` refuses), so it is never asked for.
 * @example hookCommandsOf(bundlingOptions, projectRoot, '/tmp/out/jwt-sale').after
 */
export function hookCommandsOf(bundling: BundlingOptions, inputDir: string, outputDir: string): HookCommands {
  const hooks = bundling.commandHooks;
  return {
    before: hooks?.beforeBundling(inputDir, outputDir) ?? [],
    after: hooks?.afterBundling(inputDir, outputDir) ?? [],
  };
}
