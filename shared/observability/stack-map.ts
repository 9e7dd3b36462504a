/**
 * Readable stack traces from a Lambda bundle at no cost until one is needed. Node's
 * `--enable-source-maps` reads and parses the bundle's ~1 MB source map at every cold start (25-35 ms
 * measured), though most invocations never format a stack. This reads it on the first stack that is
 * formatted (an error being logged), then maps each frame of the bundle to its TypeScript source.
 * Installed only when a source map lies beside the running file (a bundle), so tests and `npm start`
 * keep their own source mapping.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
  getTypeName(): string | null;
  getMethodName(): string | null;
  isNative(): boolean;
  toString(): string;
}

/** Maps the frames of `bundleFile` through `bundleFile.map`, read on first use. */
export function installLazySourceMaps(bundleFile: string): boolean {
  const mapFile = `${bundleFile}.map`;
  if (process.sourceMapsEnabled || !existsSync(mapFile)) return false;
  let map: SourceMap | null | undefined;
  const sourceMap = (): SourceMap | null => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };
  Error.prepareStackTrace = (error: Error, frames: CallSite[]) => {
    const header = headerOf(error);
    const lines = frames.map((frame) => `    at ${frameText(frame, bundleFile, sourceMap)}`);
    return [header, ...lines].join('\n');
  };
  return true;
}

function headerOf(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}

function frameText(frame: CallSite, bundleFile: string, sourceMap: () => SourceMap | null): string {
  const file = frame.getFileName();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (file !== bundleFile || line === null || column === null) return frame.toString();
  const entry = sourceMap()?.findEntry(line - 1, column - 1);
  const original = entry && 'originalSource' in entry ? entry : undefined;
  if (!original?.originalSource) return frame.toString();
  const location = `${original.originalSource}:${original.originalLine + 1}:${original.originalColumn + 1}`;
  const name = frame.getFunctionName() ?? frame.getMethodName();
  const owner = frame.getTypeName();
  const callee = name ? (owner && owner !== 'Object' ? `${owner}.${name}` : name) : undefined;
  return callee ? `${callee} (${location})` : location;
}
