/**
 * How every function is bundled, in one place: read by the CDK stack (infra/constructs/functions.ts)
 * and by the bundle benchmark (bench/bundles.ts), so the sizes measured are the sizes deployed.
 */
import { type BundlingOptions, type ICommandHooks, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { XML_READER_FILE } from '../shared/clearent/xml-loader';

/**
 * Modules loaded only when needed, each bundled into a file of its own beside the function's
 * `index.js`, so a cold start neither reads nor compiles them: the XML reader (Clearent's XML answers
 * are a fallback; shared/clearent/xml-loader.ts).
 */
export const lazyBundles: readonly { entry: string; file: string }[] = [
  { entry: 'shared/clearent/xml.ts', file: XML_READER_FILE },
];

/** The esbuild command that bundles one lazy module, with the options of the functions' bundles. */
export function lazyBundleCommand(
  projectRoot: string,
  outputDir: string,
  lazy: { entry: string; file: string },
) {
  return [
    `"${projectRoot}/node_modules/.bin/esbuild"`,
    `"${projectRoot}/${lazy.entry}"`,
    '--bundle --platform=node --format=cjs --target=node22 --minify --keep-names',
    '--main-fields=module,main --log-level=warning',
    `--outfile="${outputDir}/${lazy.file}"`,
  ].join(' ');
}

const commandHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) =>
    lazyBundles.map((lazy) => lazyBundleCommand(inputDir, outputDir, lazy)),
};

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
  // Error classes are recognized by name in logs; minification must not rename them. (Without it jwt-sale
  // is 507 → 475 KB, but the AWS SDK itself compares class names, e.g. in its exceptions' instanceof:
  // not changed without a test of the SDK's behaviour in a bundle.)
  keepNames: true,
  // The SDK's and Powertools' ES module builds, which esbuild can tree-shake (their CommonJS builds
  // cannot be): the authorizer goes from 598 KB to 387 KB.
  mainFields: ['module', 'main'],
  // Bundle the SDK: the version the tests ran against, not whatever the runtime ships.
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
  commandHooks,
};
