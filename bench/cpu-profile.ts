/**
 * Where a V8 CPU profile's time goes, by package: each sample is given to the function it was in (its
 * source found through the bundle's source map when the code is bundled), then to that function's
 * package (`@aws-sdk/client-dynamodb`, `zod`, `shared/`, `node:internal/...`), then to a group (the
 * AWS SDK, zod, our code, Powertools, ...). V8's built-in functions (`JSON.parse`, `Array.map`...) have no
 * source: their time goes to the function that called them. The profile is the one `node --cpu-prof`
 * writes (the inspector's `Profiler.stop`); it samples the main thread only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds of main-thread time by package and by group; `idle` is time no JavaScript ran. */
export interface Attribution {
  /** By the group of the code that ran (self time). */
  byGroup: Map<string, number>;
  byPackage: Map<string, number>;
  /**
   * By owner: Node.js's own code (sockets, HTTP, hashing, console) counted for the package that called
   * it, and for `Node.js event loop` when nothing of ours is below it (reading a socket, parsing an
   * HTTP answer, a timer). `nodeUs` is the part spent in Node.js's code.
   */
  byOwner: Map<string, { us: number; nodeUs: number }>;
  /** Our code's self time by source file (`shared/clearent/scrub.ts`), builtins it called included. */
  byOurFile: Map<string, number>;
  /** Sampled time not idle, in microseconds (the benchmark's own left out). */
  busyUs: number;
  idleUs: number;
  /** The benchmark's own time (its loop, the Lambda context it makes, the profiler): left out above. */
  measurementUs: number;
}

/** Groups a package (or a folder of ours, or a V8 pseudo-frame) into what a reader cares about. */
export type Grouping = (pkg: string) => string;

/** The groups of a handler's process. */
export const handlerGroups: Grouping = (pkg) => {
  if (isMeasurement(pkg)) return MEASUREMENT;
  if (pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/')) {
    return 'AWS SDK (@aws-sdk, @smithy)';
  }
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (pkg.startsWith('@middy/')) return 'middy';
  if (pkg === 'shared/' || pkg === 'functions/') return 'our code (shared/, functions/)';
  if (pkg === 'floor.js') return "the floor's handler";
  if (pkg === ESBUILD_HELPERS) return "esbuild's helpers in the bundle (module wrappers)";
  if (pkg === NODE_EVENT_LOOP) return 'Node.js event loop (socket writes and reads, HTTP parsing, timers)';
  if (pkg.startsWith('node:')) return 'Node.js (http, net, crypto, streams, console)';
  if (pkg === '(garbage collector)') return 'V8: garbage collection';
  if (pkg === '(program)') return 'V8: native, unattributed (compiling, runtime)';
  return 'other packages';
};

/** What the benchmark's child itself runs: its loop, the Lambda context it makes, the profiler. */
export const MEASUREMENT = 'the benchmark itself';
const isMeasurement = (pkg: string) =>
  pkg === 'node:inspector' || pkg.endsWith('-child.js') || pkg === 'bench/' || pkg === 'infra/';

/** The bundle's code that maps to no source. */
export const ESBUILD_HELPERS = 'esbuild helpers';

/** The owner of Node.js code that nothing of ours called. */
export const NODE_EVENT_LOOP = 'node: event loop';

/** The packages dynalite brings (its dependencies, and theirs): what of the stand-ins' time is DynamoDB. */
function dependencyClosure(root: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    try {
      const manifest = createRequire(from).resolve(`${name}/package.json`);
      const { dependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      for (const dependency of Object.keys(dependencies)) visit(dependency, manifest);
    } catch {
      // A package without an exported package.json: its own dependencies are not followed.
    }
  };
  visit(root, __filename);
  return seen;
}

/** The groups of the stand-ins' process (this one, while a child runs the handler). */
export function standInGroups(): Grouping {
  const dynalite = dependencyClosure('dynalite');
  return (pkg) => {
    if (dynalite.has(pkg)) return 'dynalite (embedded DynamoDB)';
    if (pkg === 'infra/sandbox/') return 'Clearent simulator';
    if (pkg === 'infra/local/') return 'Secrets Manager stand-in, HTTP servers';
    if (pkg === 'shared/') return 'shared/ (called by the simulator)';
    if (pkg === NODE_EVENT_LOOP || pkg.startsWith('node:')) return 'Node.js (HTTP servers, sockets, timers)';
    if (pkg === '(garbage collector)') return 'V8: garbage collection';
    if (pkg === '(program)') return 'V8: native, unattributed';
    return `other: ${pkg}`;
  };
}

/**
 * `…/node_modules/@aws-sdk/core/dist-es/x.js` → `@aws-sdk/core`; `…/shared/store/x.ts` → `shared/`;
 * `node:internal/http` → `node:http` (its module); anything else → its file name.
 */
export function packageOfSource(source: string): string {
  const inModules = source.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const [scope, name] = source.slice(inModules + 'node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? source);
  }
  if (source.startsWith('node:')) {
    const module = source.replace(/^node:(internal\/)?/, '').split('/')[0] ?? '';
    return `node:${module}`;
  }
  const ours = /(?:^|\/)(shared|functions|bench|infra\/sandbox|infra\/local|infra)\//.exec(source);
  if (ours) return `${ours[1]}/`;
  return basename(source);
}

/** `…/shared/clearent/scrub.ts` → `shared/clearent/scrub.ts`; undefined for a file not ours. */
function ourFileOf(source: string): string | undefined {
  if (source.includes('node_modules/')) return undefined;
  const match = /(?:^|\/)((?:shared|functions)\/.+)$/.exec(source);
  return match?.[1];
}

/** Finds the original source of positions in bundles that have a `.map` beside them. */
class SourceLocator {
  private readonly maps = new Map<string, SourceMap | undefined>();

  sourceOf(url: string, line: number, column: number): string {
    if (!url.startsWith('file://')) return url;
    const path = fileURLToPath(url);
    const map = this.mapOf(path);
    if (!map) return path;
    const entry = map.findEntry(line, column) as { originalSource?: string };
    // Code of the bundle that no source has: esbuild's own helpers (`__esm`, `__toESM`, `__export`).
    return entry.originalSource ?? ESBUILD_HELPERS;
  }

  private mapOf(path: string): SourceMap | undefined {
    if (!this.maps.has(path)) {
      const file = `${path}.map`;
      // A TypeScript file run through tsx keeps its own path: it needs no map to be placed.
      const map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
      this.maps.set(path, map);
    }
    return this.maps.get(path);
  }
}

const pseudoFrames = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Attributes every sample of `profile` to a package and a group. */
export function attribute(profile: CpuProfile, group: Grouping): Attribution {
  const locator = new SourceLocator();
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const packages = new Map<number, string>();
  const ourFiles = new Map<number, string | undefined>();
  const packageOf = (id: number): string => {
    const known = packages.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    let pkg: string;
    if (!node) pkg = '(root)';
    else if (pseudoFrames.has(node.callFrame.functionName)) pkg = node.callFrame.functionName;
    else if (node.callFrame.url === '') {
      // A V8 built-in: its caller's.
      const parent = parents.get(id);
      pkg = parent === undefined ? '(program)' : packageOf(parent);
      ourFiles.set(id, parent === undefined ? undefined : ourFiles.get(parent));
    } else {
      const { url, lineNumber, columnNumber } = node.callFrame;
      const source = locator.sourceOf(url, lineNumber, columnNumber);
      pkg = packageOfSource(source);
      ourFiles.set(id, ourFileOf(source));
    }
    packages.set(id, pkg);
    return pkg;
  };
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owners.get(id);
    if (known !== undefined) return known;
    const pkg = packageOf(id);
    const parent = parents.get(id);
    const owner = !pkg.startsWith('node:')
      ? pkg
      : parent === undefined || packageOf(parent) === '(root)'
        ? NODE_EVENT_LOOP
        : ownerOf(parent);
    owners.set(id, owner);
    return owner;
  };
  const byPackage = new Map<string, number>();
  const byOurFile = new Map<string, number>();
  const byOwner = new Map<string, { us: number; nodeUs: number }>();
  let idleUs = 0;
  let measurementUs = 0;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const pkg = packageOf(id);
    if (pkg === '(idle)' || pkg === '(root)') {
      idleUs += us;
      return;
    }
    const owner = group(ownerOf(id));
    if (owner === MEASUREMENT || group(pkg) === MEASUREMENT) {
      measurementUs += us;
      return;
    }
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const file = ourFiles.get(id);
    if (file !== undefined) byOurFile.set(file, (byOurFile.get(file) ?? 0) + us);
    const sum = byOwner.get(owner) ?? { us: 0, nodeUs: 0 };
    sum.us += us;
    if (pkg.startsWith('node:')) sum.nodeUs += us;
    byOwner.set(owner, sum);
  });
  const byGroup = new Map<string, number>();
  for (const [pkg, us] of byPackage) byGroup.set(group(pkg), (byGroup.get(group(pkg)) ?? 0) + us);
  const busyUs = [...byPackage.values()].reduce((total, us) => total + us, 0);
  return { byGroup, byPackage, byOwner, byOurFile, busyUs, idleUs, measurementUs };
}

/** Adds attributions (of several runs) up. */
export function addAttributions(attributions: readonly Attribution[]): Attribution {
  const add = (maps: Map<string, number>[]) => {
    const total = new Map<string, number>();
    for (const map of maps) for (const [key, us] of map) total.set(key, (total.get(key) ?? 0) + us);
    return total;
  };
  const byOwner = new Map<string, { us: number; nodeUs: number }>();
  for (const one of attributions) {
    for (const [owner, { us, nodeUs }] of one.byOwner) {
      const sum = byOwner.get(owner) ?? { us: 0, nodeUs: 0 };
      byOwner.set(owner, { us: sum.us + us, nodeUs: sum.nodeUs + nodeUs });
    }
  }
  return {
    byGroup: add(attributions.map((one) => one.byGroup)),
    byPackage: add(attributions.map((one) => one.byPackage)),
    byOurFile: add(attributions.map((one) => one.byOurFile)),
    byOwner,
    busyUs: attributions.reduce((total, one) => total + one.busyUs, 0),
    idleUs: attributions.reduce((total, one) => total + one.idleUs, 0),
    measurementUs: attributions.reduce((total, one) => total + one.measurementUs, 0),
  };
}
