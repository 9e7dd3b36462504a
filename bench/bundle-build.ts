/**
 * Builds every function's bundle as the CDK stack does (infra/bundling.ts through esbuild's JS API, then
 * its `commandHooks`) and says what it weighs and what the bytes are spent on (esbuild's metafile).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { bundlingOptions } from '../infra/bundling';
import type { FunctionName } from '../infra/routes';
import { esbuildOptionsOf, hookCommandsOf } from './cdk-esbuild';

export const projectRoot = join(__dirname, '..');

/** Bytes in the bundle from one package (or one project folder, e.g. `shared/`). */
export interface BundleInput {
  source: string;
  bytes: number;
}

/** A file of the function's asset besides index.js and its map, e.g. a module loaded only when needed. */
export interface LazyFile {
  file: string;
  bytes: number;
}

export interface BuiltBundle {
  name: FunctionName;
  /** Absolute path of the bundle's index.js. */
  path: string;
  /** index.js as deployed, minified; the map is not counted, nor are the lazy files. */
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /**
   * The asset's other files (not maps), written by `commandHooks.afterBundling`: required only when a
   * request needs them, so not read by the import.
   */
  lazyFiles: LazyFile[];
  /** Largest contributors first. */
  packages: BundleInput[];
  /** By folder: a package's parts, e.g. `node_modules/zod/v4/locales`. */
  folders: BundleInput[];
  /** Bytes of index.js by package (every one): what the floor comparison reads. */
  packageBytes: Record<string, number>;
}

const listed = 10;

/**
 * Bundles `functions/<name>/handler.ts` into `outdir/<name>/index.js`, and runs the bundling options'
 * command hooks around it as CDK does.
 */
export async function buildFunctionBundle(name: FunctionName, outdir: string): Promise<BuiltBundle> {
  const entry = join('functions', name, 'handler.ts');
  const assetDir = join(outdir, name);
  const hooks = hookCommandsOf(bundlingOptions, projectRoot, assetDir);
  runHookCommands(hooks.before);
  const options = esbuildOptionsOf(bundlingOptions, entry, assetDir, projectRoot);
  const built = await buildMeasured(options);
  runHookCommands(hooks.after);
  return { name, ...built, lazyFiles: lazyFilesOf(assetDir, options.outfile) };
}

/** What `buildFunctionBundle` and the floors (bench/floor.ts) report of one esbuild build. */
export async function buildMeasured(
  options: BuildOptions & { outfile: string },
): Promise<Omit<BuiltBundle, 'name' | 'lazyFiles'>> {
  const { metafile } = await build({ ...options, metafile: true });
  const code = readFileSync(options.outfile);
  const contributions = inputsOf(metafile, relative(options.absWorkingDir ?? projectRoot, options.outfile));
  const packageBytes = groupBy(contributions, sourceOf);
  return {
    path: options.outfile,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${options.outfile}.map`).size,
    packages: largest(packageBytes),
    folders: largest(groupBy(contributions, dirname)),
    packageBytes: Object.fromEntries(packageBytes.map(({ source, bytes }) => [source, bytes])),
  };
}

/** As CDK's local bundling runs a hook's commands: each with `bash -c`, in the project root. */
function runHookCommands(commands: readonly string[]): void {
  for (const command of commands) {
    try {
      execFileSync('bash', ['-c', command], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const { stderr } = error as { stderr?: Buffer };
      throw new Error(`bundling hook failed: ${command}\n${stderr?.toString('utf8') ?? ''}`, {
        cause: error,
      });
    }
  }
}

/** Every file of the asset folder except the bundle and the source maps. */
function lazyFilesOf(assetDir: string, outfile: string): LazyFile[] {
  const files = readdirSync(assetDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.map'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => path !== outfile);
  return files
    .map((path) => ({ file: relative(assetDir, path), bytes: statSync(path).size }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Compiles a child-process script of bench/ (default child-invoke.ts) to plain JavaScript, so that each
 * child starts without a TS loader.
 */
export async function buildChildScript(outdir: string, script = 'child-invoke.ts'): Promise<string> {
  const outfile = join(outdir, script.replace(/\.ts$/, '.js'));
  await build({
    absWorkingDir: projectRoot,
    entryPoints: [join(__dirname, script)],
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

/**
 * `node_modules/@aws-sdk/client-sqs/dist-cjs/index.js` → `@aws-sdk/client-sqs`; `shared/x/y.ts` → `shared/`;
 * a file outside the project (a floor's entry) → its name.
 */
export function sourceOf(path: string): string {
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules < 0) return path.startsWith('../') ? basename(path) : `${path.split('/')[0]}/`;
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
