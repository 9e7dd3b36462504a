/**
 * `npm run bench`: every benchmark, one after the other, each printing its figures and writing them to
 * bench/results/<name>.json. Benchmarks measure and report PASS/MISS against their targets; they do not
 * fail the run on a miss (a failure to measure still exits 1).
 *
 * `npm run bench -- --runs N`: N cold starts of each function and of its floor (default 21).
 */
import { benchAnonymousFlood, formatFloodBench } from './anonymous-flood';
import { benchBundles, runsArgument } from './bundles';
import { formatBundleBench } from './bundles-table';
import { benchRecurring, formatRecurringBench } from './recurring';
import { writeResult } from './report';
import { benchWarmPath, formatWarmPath } from './warm-path';

interface Benchmark {
  title: string;
  /** Runs the benchmark and returns its JSON result and its text. */
  run(): Promise<{ name: string; result: unknown; text: string }>;
}

const benchmarks: Benchmark[] = [
  {
    title: 'Bundles and cold starts, beside their SDK floors',
    run: async () => {
      const result = await benchBundles({ runs: runsArgument(process.argv.slice(2)) });
      return { name: result.name, result, text: formatBundleBench(result) };
    },
  },
  {
    title: 'Warm path: a token sale’s own CPU time, and where a first answer’s goes',
    run: async () => {
      const result = await benchWarmPath();
      return { name: result.name, result, text: formatWarmPath(result) };
    },
  },
  {
    title: 'Refused requests (a flood without a key)',
    run: async () => {
      const result = await benchAnonymousFlood();
      return { name: result.name, result, text: formatFloodBench(result) };
    },
  },
  {
    title: 'Recurring charges',
    run: async () => {
      const result = await benchRecurring();
      return { name: result.name, result, text: formatRecurringBench(result) };
    },
  },
];

async function main(): Promise<void> {
  // The SDK's notice that Node 20 support ends; the seeding clients of this process would print it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  for (const benchmark of benchmarks) {
    console.log(`\n== ${benchmark.title}\n`);
    const { name, result, text } = await benchmark.run();
    console.log(text);
    console.log(`\nwritten to ${writeResult(name, result)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
