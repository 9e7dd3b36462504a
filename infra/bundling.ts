/**
 * How every function is bundled, in one place: read by the CDK stack (infra/constructs/functions.ts)
 * and by the bundle benchmark (bench/bundles.ts), so the sizes measured are the sizes deployed.
 */
import { type BundlingOptions, type ICommandHooks, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { XML_READER_FILE } from '../shared/clearent/xml-loader';
import { STACK_MAPPER_FILE } from '../shared/observability/stack-map';
import { ZOD_MESSAGES_FILE } from '../shared/zod';

/**
 * Modules loaded only when needed, each bundled into a file of its own beside the function's
 * `index.js`, so a cold start neither reads nor compiles them: the XML reader (Clearent's XML answers
 * are a fallback; shared/clearent/xml-loader.ts), the stack mapper (loaded on the first stack logged;
 * shared/observability/stack-map.ts), and zod's English messages (loaded on the first value that fails
 * a schema; shared/zod.ts).
 */
export const lazyBundles: readonly { entry: string; file: string }[] = [
  { entry: 'shared/clearent/xml.ts', file: XML_READER_FILE },
  { entry: 'shared/observability/stack-mapper.ts', file: STACK_MAPPER_FILE },
  { entry: 'shared/zod-messages.ts', file: ZOD_MESSAGES_FILE },
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

/** What `node:stream/web` is bundled as, relative to the project root (esbuild's working folder). */
export const WEB_STREAMS_SHIM = 'shared/runtime/lazy-web-streams.cjs';

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
  // Names are not kept: bundles 6% smaller (jwt-sale 490 → 459 KB), no `__name` call per function
  // created. Safe: logs name errors by their declared `name` (test/infra/error-names.test.ts); logged
  // stacks take function and class names from the source map (shared/observability/stack-map.ts,
  // test/infra/stack-traces.test.ts); the SDK's exceptions' instanceof decides by prototype and shape id,
  // not class name, which test/infra/sdk-exceptions.test.ts checks on a bundle against the local DynamoDB
  // and Secrets Manager. What does change: the SDK tells its default logger by its class name
  // (`NoOpLogger`), so its few console warnings (e.g. the HTTP handler's "socket usage at capacity") now
  // go to that silent logger.
  keepNames: false,
  // The SDK's and Powertools' ES module builds, which esbuild can tree-shake (their CommonJS builds
  // cannot be): the authorizer goes from 598 KB to 387 KB.
  mainFields: ['module', 'main'],
  // Bundle the SDK: the version the tests ran against, not whatever the runtime ships.
  bundleAwsSDK: true,
  externalModules: [],
  // @middy/core loads Node's web streams at import for response streaming, which no function uses
  // (3.5 ms of each cold start): its `ReadableStream` is looked up on use instead (the shim's comment).
  esbuildArgs: { '--alias': [`node:stream/web=./${WEB_STREAMS_SHIM}`] },
  forceDockerBundling: false,
  commandHooks,
};
