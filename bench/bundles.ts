/**
 * Benchmark: every function's bundle as deployed (size, minified, AWS SDK included) and its cold start
 * (time to require the bundle, then to answer one request against the local stand-ins), each beside its
 * floor (bench/floor.ts: only the SDK clients the function constructs, bundled with the same options,
 * making their first calls). Function and floor are started `runs` times each, in fresh `node`
 * processes, one right after the other with the function's environment, in rounds over every function:
 * whatever slows the machine for a moment slows both. Targets (issue 11): every function that uses the
 * SDK at most 1.25 times its floor's size and 1.20 times its floor's import time; the milliseconds
 * themselves are for information.
 *
 * `npm run bench` runs it with the others; `npx tsx bench/bundles.ts [--runs N]` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FunctionName, functionNames } from '../infra/routes';
import { type BuiltBundle, type BundleInput, buildChildScript, buildFunctionBundle } from './bundle-build';
import { formatBundleBench } from './bundles-table';
import type { ColdStart } from './child-invoke';
import { measureColdStart } from './cold-start';
import { eventFor, problemWith } from './cold-start-events';
import { type ColdStartWorld, startColdStartWorld } from './cold-start-world';
import { buildFloorBundle, type FloorPackage, floorPackagesOf, floorProblem } from './floor';
import { percentile, type Summary, summarize, verdict, writeResult } from './report';

export interface BundleBenchOptions {
  /** Cold starts of each function, and as many of its floor; default 21. */
  runs?: number;
}

export const bundleTargets = {
  /** Bundle bytes over its floor's. */
  maxSizeRatio: 1.25,
  /** Import median over its floor's (the median of the runs' paired ratios). */
  maxImportRatio: 1.2,
} as const;

/**
 * 21, not the 11 the issue measured with: a median of 11 paired ratios moved by up to 0.09 between two
 * passes minutes apart (transactions 1.10, then 1.19, its bytes unchanged), the width of the margin it is
 * judged by; 21 takes about 3.5 minutes here.
 */
export const defaultColdStartRuns = 21;

/** A ratio to the floor: the figure, and whether it meets its target. */
export interface Ratio {
  value: number;
  target: 'PASS' | 'MISS';
}

export interface FloorFigures {
  /** The SDK packages it constructs (and calls), from the function's metafile. */
  clients: FloorPackage[];
  bytes: number;
  gzipBytes: number;
  importMs: Summary;
  firstAnswerMs: Summary;
}

export interface FunctionFigures extends Omit<BuiltBundle, 'path' | 'packageBytes'> {
  importMs: Summary;
  firstAnswerMs: Summary;
  /** Node's own start, before the bundle is required: the same for every function. */
  bootMs: Summary;
  /** Absent for a function that uses no SDK (health). */
  floor?: FloorFigures;
  /** What the function has beyond its floor, by package (KB the floor has more of are left out). */
  overFloor?: BundleInput[];
  /** bytes / floor bytes. */
  sizeRatio?: Ratio;
  /** Median of the runs' import over the import of the floor run beside it. */
  importRatio?: Ratio;
  /** Median of the runs' first answer over the floor's first answer beside it (no target). */
  firstAnswerRatio?: number;
  /** The same as ratios of the medians, for comparison (the JSON only). */
  ratiosOfMedians?: { import: number; firstAnswer: number };
}

export interface BundleBenchResult {
  name: 'bundles';
  node: string;
  runs: number;
  targets: typeof bundleTargets;
  functions: FunctionFigures[];
}

interface Contender {
  name: FunctionName;
  bundle: BuiltBundle;
  floor?: { clients: FloorPackage[]; built: Omit<BuiltBundle, 'name' | 'lazyFiles'> };
}

interface Measured {
  function: ColdStart[];
  floor: ColdStart[];
}

/** Builds the bundles and their floors, runs the cold starts, and returns the figures (prints nothing). */
export async function benchBundles(options: BundleBenchOptions = {}): Promise<BundleBenchResult> {
  const runs = options.runs ?? defaultColdStartRuns;
  const outdir = mkdtempSync(join(tmpdir(), 'payments-bench-bundles-'));
  try {
    const contenders: Contender[] = [];
    for (const name of functionNames) {
      const bundle = await buildFunctionBundle(name, outdir);
      const clients = floorPackagesOf(bundle.packageBytes);
      const floor =
        clients.length === 0 ? undefined : { clients, built: await buildFloorBundle(name, clients, outdir) };
      contenders.push({ name, bundle, floor });
    }
    const childScript = await buildChildScript(outdir);
    const measured = await runColdStarts(contenders, childScript, runs);
    return {
      name: 'bundles',
      node: process.version,
      runs,
      targets: bundleTargets,
      functions: contenders.map((contender) =>
        figuresOf(contender, measured.get(contender.name) ?? { function: [], floor: [] }),
      ),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function figuresOf({ bundle, floor }: Contender, measured: Measured): FunctionFigures {
  const { path: _path, packageBytes, ...built } = bundle;
  const starts = measured.function;
  const figures: FunctionFigures = {
    ...built,
    importMs: summarize(starts.map((start) => start.importMs)),
    firstAnswerMs: summarize(starts.map((start) => start.firstAnswerMs)),
    bootMs: summarize(starts.map((start) => start.bootMs)),
  };
  if (!floor) return figures;
  const floorStarts = measured.floor;
  const floorFigures: FloorFigures = {
    clients: floor.clients,
    bytes: floor.built.bytes,
    gzipBytes: floor.built.gzipBytes,
    importMs: summarize(floorStarts.map((start) => start.importMs)),
    firstAnswerMs: summarize(floorStarts.map((start) => start.firstAnswerMs)),
  };
  const paired = (pick: (start: ColdStart) => number) =>
    percentile(
      starts.map((start, run) => pick(start) / pick(floorStarts[run] as ColdStart)),
      50,
    );
  // Judged unrounded (436.3 KB over 348.2 KB is 1.253: over 1.25, though printed 1.25); shown rounded.
  const ratio = (value: number, max: number): Ratio => ({
    value: round2(value),
    target: verdict(value, max),
  });
  const sizeRatio = bundle.bytes / floor.built.bytes;
  const importRatio = paired((start) => start.importMs);
  return {
    ...figures,
    floor: floorFigures,
    overFloor: overFloor(packageBytes, floor.built.packageBytes),
    sizeRatio: ratio(sizeRatio, bundleTargets.maxSizeRatio),
    importRatio: ratio(importRatio, bundleTargets.maxImportRatio),
    firstAnswerRatio: round2(paired((start) => start.firstAnswerMs)),
    ratiosOfMedians: {
      import: round2(figures.importMs.median / floorFigures.importMs.median),
      firstAnswer: round2(figures.firstAnswerMs.median / floorFigures.firstAnswerMs.median),
    },
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Bytes by package the function has more of than its floor, largest first. */
function overFloor(functionBytes: Record<string, number>, floorBytes: Record<string, number>): BundleInput[] {
  return Object.entries(functionBytes)
    .map(([source, bytes]) => ({ source, bytes: bytes - (floorBytes[source] ?? 0) }))
    .filter(({ bytes }) => bytes >= 100)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 12);
}

/**
 * One process at a time (the machine has two cores, and the stand-ins answer from this process), in
 * rounds over every function; in each round a function's cold start and its floor's follow each other,
 * the function first in one round and the floor first in the next, so that neither always comes second
 * (after a start that warmed the file cache, say).
 */
async function runColdStarts(
  contenders: Contender[],
  childScript: string,
  runs: number,
): Promise<Map<FunctionName, Measured>> {
  const world = await startColdStartWorld(runs);
  const measured = new Map<FunctionName, Measured>();
  try {
    for (let run = 0; run < runs; run += 1) {
      for (const [index, contender] of contenders.entries()) {
        const results = measured.get(contender.name) ?? { function: [], floor: [] };
        measured.set(contender.name, results);
        const floorFirst = (run + index) % 2 === 1;
        if (floorFirst && contender.floor)
          results.floor.push(await floorColdStart(world, contender, childScript));
        results.function.push(await functionColdStart(world, contender, childScript, run));
        if (!floorFirst && contender.floor)
          results.floor.push(await floorColdStart(world, contender, childScript));
      }
    }
  } finally {
    await world.close();
  }
  return measured;
}

async function functionColdStart(
  world: ColdStartWorld,
  { name, bundle }: Contender,
  childScript: string,
  run: number,
): Promise<ColdStart> {
  const coldStart = await measureColdStart({
    childScript,
    bundlePath: bundle.path,
    name,
    event: await eventFor(world, name, run),
    environment: world.environmentOf(name),
  });
  const problem = await problemWith(world, name, run, coldStart.answer);
  if (problem) throw new Error(`${name}, run ${run + 1}: ${problem}: ${JSON.stringify(coldStart.answer)}`);
  return coldStart;
}

async function floorColdStart(
  world: ColdStartWorld,
  { name, floor }: Contender,
  childScript: string,
): Promise<ColdStart> {
  if (!floor) throw new Error(`${name} has no floor`);
  const coldStart = await measureColdStart({
    childScript,
    bundlePath: floor.built.path,
    name,
    event: world.floorEventOf(name),
    environment: world.environmentOf(name),
  });
  const problem = floorProblem(coldStart.answer);
  if (problem) throw new Error(`${name}'s floor: ${problem}: ${JSON.stringify(coldStart.answer)}`);
  return coldStart;
}

/** `--runs N` from the command line, or undefined. */
export function runsArgument(argv: readonly string[]): number | undefined {
  const index = argv.indexOf('--runs');
  if (index < 0) return undefined;
  const runs = Number(argv[index + 1]);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1');
  return runs;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  Promise.resolve()
    .then(() => benchBundles({ runs: runsArgument(process.argv.slice(2)) }))
    .then(
      (result) => {
        console.log(formatBundleBench(result));
        console.log(`written to ${writeResult('bundles', result)}`);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
