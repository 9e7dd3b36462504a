/**
 * How every function is bundled, in one place: read by the CDK stack (infra/constructs/functions.ts)
 * and by the bundle benchmark (bench/bundles.ts), so the sizes measured are the sizes deployed.
 */
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * esbuild runs locally (never Docker). CommonJS output: it is what the tests run (jest compiles to
 * CommonJS), so a bundle cannot depend on ESM-only semantics (top-level await, `import.meta`) the
 * tests never exercised, and it needs no `require` banner for the SDK's CommonJS dependencies.
 */
export const bundlingOptions: BundlingOptions = {
  format: OutputFormat.CJS,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Error classes are recognized by name in logs; minification must not rename them.
  keepNames: true,
  // The SDK's and Powertools' ES module builds, which esbuild can tree-shake (their CommonJS builds
  // cannot be): the authorizer goes from 598 KB to 387 KB.
  mainFields: ['module', 'main'],
  // Bundle the SDK: the version the tests ran against, not whatever the runtime ships.
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
};
