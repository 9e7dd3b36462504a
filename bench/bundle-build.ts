/**
 * Builds every function's bundle as the CDK stack does (infra/bundling.ts through esbuild's JS API)
 * and says what it weighs and what the bytes are spent on (esbuild's metafile).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { bundlingOptions } from '../infra/bundling';
import type { FunctionName } from '../infra/routes';
import { esbuildOptionsOf } from './cdk-esbuild';

export const projectRoot = join(__dirname, '..');

/** Bytes in the bundle from one package (or one project folder, e.g. `shared/`). */
export interface BundleInput {
  source: string;
  bytes: number;
}

export interface BuiltBundle {
  name: FunctionName;
  /** Absolute path of the bundle's index.js. */
  path: string;
  /** index.js as deployed, minified; the map is not counted. */
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Largest contributors first. */
  packages: BundleInput[];
  /** By folder: a package's parts, e.g. `node_modules/zod/v4/locales`. */
  folders: BundleInput[];
}

const listed = 10;

/** Bundles `functions/<name>/handler.ts` into `outdir/<name>/index.js`. */
export async function buildFunctionBundle(name: FunctionName, outdir: string): Promise<BuiltBundle> {
  const entry = join('functions', name, 'handler.ts');
  const options = esbuildOptionsOf(bundlingOptions, entry, join(outdir, name), projectRoot);
  const { metafile } = await build({ ...options, metafile: true });
  const code = readFileSync(options.outfile);
  const contributions = inputsOf(metafile, relative(projectRoot, options.outfile));
  return {
    name,
    path: options.outfile,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${options.outfile}.map`).size,
    packages: largest(groupBy(contributions, sourceOf)),
    folders: largest(groupBy(contributions, dirname)),
  };
}

/** Compiles the child-process script to plain JavaScript, so that each child starts without a TS loader. */
export async function buildChildScript(outdir: string): Promise<string> {
  const outfile = join(outdir, 'child-invoke.js');
  await build({
    absWorkingDir: projectRoot,
    entryPoints: [join(__dirname, 'child-invoke.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

function inputsOf(metafile: Metafile, output: string): BundleInput[] {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  return Object.entries(inputs).map(([source, { bytesInOutput }]) => ({ source, bytes: bytesInOutput }));
}

/** `node_modules/@aws-sdk/client-sqs/dist-cjs/index.js` → `@aws-sdk/client-sqs`; `shared/x/y.ts` → `shared/`. */
function sourceOf(path: string): string {
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules < 0) return `${path.split('/')[0]}/`;
  const [scope, name] = path.slice(inModules + 'node_modules/'.length).split('/');
  return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? path);
}

function groupBy(inputs: BundleInput[], key: (source: string) => string): BundleInput[] {
  const totals = new Map<string, number>();
  for (const { source, bytes } of inputs) totals.set(key(source), (totals.get(key(source)) ?? 0) + bytes);
  return [...totals].map(([source, bytes]) => ({ source, bytes }));
}

function largest(inputs: BundleInput[]): BundleInput[] {
  return [...inputs].sort((a, b) => b.bytes - a.bytes).slice(0, listed);
}
