/**
 * Benchmark: every function's bundle as deployed (size, minified, AWS SDK included) and its cold start
 * (time to require the bundle, then to answer one request against the local stand-ins), each function
 * started `runs` times in a fresh `node` process. Targets: every bundle at most 300 KB, the import's
 * median at most 60 ms.
 *
 * `npm run bench` runs it with the others; `npx tsx bench/bundles.ts` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FunctionName, functionNames } from '../infra/routes';
import { type BuiltBundle, buildChildScript, buildFunctionBundle } from './bundle-build';
import { formatBundleBench } from './bundles-table';
import type { ColdStart } from './child-invoke';
import { measureColdStart } from './cold-start';
import { eventFor, problemWith } from './cold-start-events';
import { startColdStartWorld } from './cold-start-world';
import { type Summary, summarize, verdict, writeResult } from './report';

export interface BundleBenchOptions {
  /** Cold starts per function; default 7. */
  runs?: number;
}

export const bundleTargets = {
  /** 300 KB, KB being 1024 bytes. */
  maxBundleBytes: 300 * 1024,
  maxImportMedianMs: 60,
} as const;

export interface FunctionFigures extends Omit<BuiltBundle, 'path'> {
  importMs: Summary;
  firstAnswerMs: Summary;
  /** Node's own start, before the bundle is required: the same for every function. */
  bootMs: Summary;
  sizeTarget: 'PASS' | 'MISS';
  importTarget: 'PASS' | 'MISS';
}

export interface BundleBenchResult {
  name: 'bundles';
  node: string;
  runs: number;
  targets: typeof bundleTargets;
  functions: FunctionFigures[];
}

/** Builds the bundles, runs the cold starts, and returns the figures (prints nothing). */
export async function benchBundles(options: BundleBenchOptions = {}): Promise<BundleBenchResult> {
  const runs = options.runs ?? 7;
  const outdir = mkdtempSync(join(tmpdir(), 'payments-bench-bundles-'));
  try {
    const bundles: BuiltBundle[] = [];
    for (const name of functionNames) bundles.push(await buildFunctionBundle(name, outdir));
    const childScript = await buildChildScript(outdir);
    const coldStarts = await runColdStarts(bundles, childScript, runs);
    return {
      name: 'bundles',
      node: process.version,
      runs,
      targets: bundleTargets,
      functions: bundles.map(({ path: _path, ...bundle }) => {
        const starts = coldStarts.get(bundle.name) ?? [];
        const importMs = summarize(starts.map((start) => start.importMs));
        return {
          ...bundle,
          importMs,
          firstAnswerMs: summarize(starts.map((start) => start.firstAnswerMs)),
          bootMs: summarize(starts.map((start) => start.bootMs)),
          sizeTarget: verdict(bundle.bytes, bundleTargets.maxBundleBytes),
          importTarget: verdict(importMs.median, bundleTargets.maxImportMedianMs),
        };
      }),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * One function at a time (the machine has two cores, and the stand-ins answer from this process), in
 * rounds over every function, so that a slow moment of the machine does not fall on one function only.
 */
async function runColdStarts(
  bundles: BuiltBundle[],
  childScript: string,
  runs: number,
): Promise<Map<FunctionName, ColdStart[]>> {
  const world = await startColdStartWorld(runs);
  const measured = new Map<FunctionName, ColdStart[]>();
  try {
    for (let run = 0; run < runs; run += 1) {
      for (const bundle of bundles) {
        const { name } = bundle;
        const coldStart = await measureColdStart({
          childScript,
          bundlePath: bundle.path,
          name,
          event: eventFor(world, name, run),
          environment: world.environmentOf(name),
        });
        const problem = await problemWith(world, name, run, coldStart.answer);
        if (problem)
          throw new Error(`${name}, run ${run + 1}: ${problem}: ${JSON.stringify(coldStart.answer)}`);
        measured.set(name, [...(measured.get(name) ?? []), coldStart]);
      }
    }
  } finally {
    await world.close();
  }
  return measured;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  benchBundles().then(
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
