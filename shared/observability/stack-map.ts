/**
 * Readable stack traces from a Lambda bundle at no cost until one is needed. Node's
 * `--enable-source-maps` reads and parses the bundle's ~1 MB source map at every cold start (25-35 ms
 * measured), though most invocations never format a stack. This installs a stack formatter that, on the
 * first stack formatted (an error being logged), loads the mapping (./stack-mapper.ts, bundled as a file
 * of its own beside `index.js`: `lazyBundles` in infra/bundling.ts) and the map, then maps each frame of
 * the bundle to its TypeScript source. Installed only when a source map lies beside the running file (a
 * bundle), so tests and `npm start` keep their own source mapping. If the mapping cannot be loaded,
 * stacks are formatted as V8 formats them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

type Mapper = typeof import('./stack-mapper');
type Formatter = (error: Error, frames: NodeJS.CallSite[]) => string;

/** The file the bundling writes beside the function's `index.js` (infra/bundling.ts). */
export const STACK_MAPPER_FILE = 'stack-mapper.js';

/** Maps the frames of `bundleFile` through `bundleFile.map`, both read on first use. */
export function installLazySourceMaps(bundleFile: string): boolean {
  const mapFile = `${bundleFile}.map`;
  if (process.sourceMapsEnabled || !existsSync(mapFile)) return false;
  let format: Formatter | undefined;
  let loading = false;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    if (format === undefined && !loading) {
      // An error thrown while loading formats its own stack here: V8's way, not recursively.
      loading = true;
      try {
        format = mapperBeside(bundleFile).stackFormatter(bundleFile, mapFile);
      } catch {
        format = unmapped;
      }
      loading = false;
    }
    return (format ?? unmapped)(error, frames);
  };
  return true;
}

/** The mapper beside the bundle; the name is not a literal, so esbuild leaves it out of the bundle. */
function mapperBeside(bundleFile: string): Mapper {
  return require(join(bundleFile, '..', STACK_MAPPER_FILE)) as Mapper;
}

/** As V8 formats a stack. */
function unmapped(error: Error, frames: NodeJS.CallSite[]): string {
  return [headerOf(error), ...frames.map((frame) => `    at ${frame}`)].join('\n');
}

function headerOf(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}
