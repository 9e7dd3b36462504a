/**
 * Modules a Lambda bundle leaves for later (issue 11): each is bundled as a file of its own beside the
 * function's `index.js` (`lazyBundles` in infra/bundling.ts), so a cold start neither reads nor compiles
 * it, and is loaded from there on its first use. Anywhere else (tests, `npm start`) the source module is
 * loaded instead. Neither name is a literal, so esbuild leaves both out of the function's bundle.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `file` beside the running bundle, or else the module at `source` (an absolute path). */
export function loadBesideOr<Module>(file: string, source: string): Module {
  const beside = join(__dirname, file);
  return require(existsSync(beside) ? beside : source) as Module;
}
