/**
 * The esbuild build that CDK's NodejsFunction runs for the project's `bundlingOptions`, as its
 * `Bundling.buildEsbuildArgs` (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js) turns them into
 * `esbuild --bundle <entry> --target=… --platform=node --format=… --minify --sourcemap …`.
 * Only the options the project sets are translated; any other throws, so that a new setting in
 * infra/bundling.ts cannot be silently left out of what the benchmark measures.
 */
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

export class UntranslatedBundlingOptionError extends Error {
  override readonly name = 'UntranslatedBundlingOptionError';
}

// How CDK runs esbuild (locally, not in Docker), not what esbuild writes.
const withoutEffectOnOutput = new Set<keyof BundlingOptions>(['forceDockerBundling']);
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
    logLevel: 'warning',
  };
}
