/**
 * Benchmark: the warm token sale's own CPU time per request, and where it goes; and where the CPU time of
 * a cold first answer goes, beside its floor's.
 *
 * The deployed bundle of `token-sale` (infra/bundling.ts: the code Lambda runs, the SDK's ES module
 * builds as bundled, NODE_OPTIONS=--enable-source-maps) runs alone in a child process
 * (bench/warm-path-child.ts), with the prod environment, against zero-latency stand-ins that run in this
 * process: dynalite in memory, the Secrets Manager stand-in, the Clearent simulator, all seeded as for
 * the cold starts (bench/cold-start-world.ts). The handler is called directly, one request at a time, as
 * the Lambda runtime calls it. So the child's `process.cpuUsage()` is the handler's CPU time and nothing
 * else's: on Node 20, `process.cpuUsage()` counts every thread of a process, and could not have told
 * stand-ins in other threads of the same process apart.
 *
 * The storefront's rate limit is raised (STOREFRONT_RATE_PER_SECOND) so that thousands of sales a
 * minute are not refused: each request still takes from its budget (the same conditional UpdateItem).
 *
 * `npm run bench` runs it with the others; `npx tsx bench/warm-path.ts [--requests N]` runs it alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionName } from '../infra/routes';
import { buildChildScript, buildFunctionBundle } from './bundle-build';
import { eventFor } from './cold-start-events';
import { startColdStartWorld } from './cold-start-world';
import {
  type Attribution,
  addAttributions,
  attribute,
  type CpuProfile,
  handlerGroups,
  standInGroups,
} from './cpu-profile';
import { buildFloorBundle, floorPackagesOf } from './floor';
import { formatTable, percentile, writeResult } from './report';
import type { ChildMessage, ChildPlan } from './warm-path-child';

export interface WarmPathOptions {
  /** Token sales measured (and as many again under the profiler, at most 1,000); default 2,000. */
  requests?: number;
  /** Requests after the first, before measuring; default 200. */
  warmUp?: number;
  /** Cold first answers profiled, of the function and of its floor each; default 5. */
  firstAnswers?: number;
}

/** Milliseconds per request of one group (or package), and its share of the sampled time. */
export interface Share {
  name: string;
  msPerRequest: number;
  share: number;
  /** Of msPerRequest, the part in Node.js's code called by this group (by owner only). */
  nodeMsPerRequest?: number;
}

export interface WarmPathResult {
  name: 'warm-path';
  node: string;
  function: FunctionName;
  requests: number;
  warmUp: number;
  /** The handler process's CPU per request over the measured requests (user + system, every thread). */
  cpuMsPerRequest: number;
  cpuUserMsPerRequest: number;
  cpuSystemMsPerRequest: number;
  /** Of the CPU per request, the main thread's (Linux); the rest is V8's and libuv's other threads. */
  cpuMainThreadMsPerRequest?: number;
  /** Wall time per request, waiting for the stand-ins included (information). */
  wallMs: { mean: number; median: number; p90: number };
  /** This process's CPU over the same requests: the stand-ins answering them (not counted above). */
  standInsCpuMsPerRequest: number;
  profiled: {
    requests: number;
    samplingIntervalUs: number;
    /** Main-thread time the profiler saw per request, idle left out. */
    sampledMsPerRequest: number;
    /** The main thread's CPU per request over the same requests (Linux), the profiler's sampling included. */
    mainThreadCpuMsPerRequest?: number;
    /** Our code's self time by file (top files). */
    ourFiles: Share[];
    /** By owner: Node.js's code counted for whoever called it (cpu-profile.ts). */
    handlerGroups: Share[];
    /** By the package whose code ran (self time). */
    handlerPackages: Share[];
    standInGroups: Share[];
  };
  firstAnswer: {
    runs: number;
    samplingIntervalUs: number;
    /** Mean CPU ms (whole process) of one first answer, the profiler's sampling included. */
    functionCpuMsUnderProfiler: number;
    floorCpuMsUnderProfiler: number;
    /** Mean sampled main-thread ms of one first answer, by owner group: the function's and its floor's. */
    groups: Array<{ name: string; functionMs: number; floorMs: number }>;
    /** Our code's mean ms in one first answer, by file. */
    ourFiles: Array<{ name: string; functionMs: number; floorMs: number }>;
    /** Mean sampled main-thread ms of one first answer, idle (waiting for the stand-ins) left out. */
    functionSampledMs: number;
    floorSampledMs: number;
    packages: Array<{ name: string; functionMs: number; floorMs: number }>;
  };
}

const FUNCTION: FunctionName = 'token-sale';
const WARM_SAMPLING_US = 200;
const FIRST_ANSWER_SAMPLING_US = 50;
const MAX_PROFILED = 1000;
/** Far above any rate this machine reaches: every request is a sale, none a 429. */
const UNLIMITED_RATE = '1000000';

/** Runs the benchmark and returns its figures (prints nothing). */
export async function benchWarmPath(options: WarmPathOptions = {}): Promise<WarmPathResult> {
  const requests = options.requests ?? 2000;
  const warmUp = options.warmUp ?? 200;
  const firstAnswers = options.firstAnswers ?? 5;
  const profiledRequests = Math.min(requests, MAX_PROFILED);
  const outdir = mkdtempSync(join(tmpdir(), 'payments-bench-warm-'));
  const world = await startColdStartWorld(0);
  try {
    const bundle = await buildFunctionBundle(FUNCTION, outdir);
    const floor = await buildFloorBundle(FUNCTION, floorPackagesOf(bundle.packageBytes), outdir);
    const childScript = await buildChildScript(outdir, 'warm-path-child.ts');
    const environment = {
      ...world.environmentOf(FUNCTION),
      STOREFRONT_RATE_PER_SECOND: UNLIMITED_RATE,
      STOREFRONT_RATE_BURST: UNLIMITED_RATE,
    };
    let eventNumber = 0;
    const writeEvents = async (count: number) => {
      const events: unknown[] = [];
      for (let index = 0; index < count; index += 1) {
        events.push(await eventFor(world, FUNCTION, eventNumber));
        eventNumber += 1;
      }
      const file = join(outdir, `events-${eventNumber}.json`);
      writeFileSync(file, JSON.stringify(events));
      return file;
    };
    const plan = (mode: ChildPlan['mode'], bundlePath: string, eventsFile: string): ChildPlan => ({
      mode,
      bundlePath,
      name: FUNCTION,
      eventsFile,
      warmUp,
      measured: requests,
      profiled: profiledRequests,
      samplingIntervalUs: mode === 'first' ? FIRST_ANSWER_SAMPLING_US : WARM_SAMPLING_US,
      profileFile: join(outdir, `profile-${mode}-${eventNumber}.json`),
    });

    // Cold first answers, the function's and the floor's in turn.
    const floorEvents = join(outdir, 'floor-event.json');
    writeFileSync(floorEvents, JSON.stringify([world.floorEventOf(FUNCTION)]));
    const first = { function: [] as Attribution[], floor: [] as Attribution[], functionCpu: 0, floorCpu: 0 };
    for (let run = 0; run < firstAnswers; run += 1) {
      const functionPlan = plan('first', bundle.path, await writeEvents(1));
      const functionRun = await runChild(childScript, functionPlan, environment);
      first.functionCpu += functionRun.first.cpuUs;
      first.function.push(attribute(readProfile(functionPlan.profileFile), handlerGroups));
      const floorPlan = plan('first', floor.path, floorEvents);
      floorPlan.profileFile = join(outdir, `profile-floor-${run}.json`);
      const floorRun = await runChild(childScript, floorPlan, environment);
      first.floorCpu += floorRun.first.cpuUs;
      first.floor.push(attribute(readProfile(floorPlan.profileFile), handlerGroups));
    }

    // The warm path.
    const warmPlan = plan('warm', bundle.path, await writeEvents(1 + warmUp + requests + profiledRequests));
    const warm = await runChild(childScript, warmPlan, environment);
    const handler = attribute(readProfile(warmPlan.profileFile), handlerGroups);
    const standIns = attribute(warm.standInProfile, standInGroups());
    const { measured } = warm;
    const perRequest = (us: number) => round(us / 1000 / requests, 3);
    const share = (attribution: Attribution, name: string, us: number): Share => ({
      name,
      msPerRequest: round(us / 1000 / profiledRequests, 3),
      share: round(us / Math.max(1, attribution.busyUs), 3),
    });
    const shares = (attribution: Attribution, by: 'byGroup' | 'byPackage', limit = 12): Share[] =>
      [...attribution[by]]
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([name, us]) => share(attribution, name, us));
    const owners = (attribution: Attribution): Share[] =>
      [...attribution.byOwner]
        .sort((a, b) => b[1].us - a[1].us)
        .map(([name, { us, nodeUs }]) => ({
          ...share(attribution, name, us),
          nodeMsPerRequest: round(nodeUs / 1000 / profiledRequests, 3),
        }));
    return {
      name: 'warm-path',
      node: process.version,
      function: FUNCTION,
      requests,
      warmUp,
      cpuMsPerRequest: perRequest(measured.cpuUserUs + measured.cpuSystemUs),
      cpuUserMsPerRequest: perRequest(measured.cpuUserUs),
      cpuSystemMsPerRequest: perRequest(measured.cpuSystemUs),
      ...(measured.mainThreadCpuUs === undefined
        ? {}
        : { cpuMainThreadMsPerRequest: perRequest(measured.mainThreadCpuUs) }),
      wallMs: {
        mean: round(measured.wallMs / requests, 3),
        median: round(percentile(measured.requestMs, 50), 3),
        p90: round(percentile(measured.requestMs, 90), 3),
      },
      standInsCpuMsPerRequest: perRequest(warm.standInCpuUs),
      profiled: {
        requests: profiledRequests,
        samplingIntervalUs: WARM_SAMPLING_US,
        sampledMsPerRequest: round(handler.busyUs / 1000 / profiledRequests, 3),
        ...(warm.profiledMainThreadCpuUs === undefined
          ? {}
          : { mainThreadCpuMsPerRequest: round(warm.profiledMainThreadCpuUs / 1000 / profiledRequests, 3) }),
        ourFiles: shares({ ...handler, byGroup: handler.byOurFile }, 'byGroup', 8),
        handlerGroups: owners(handler),
        handlerPackages: shares(handler, 'byPackage', 15),
        standInGroups: shares(standIns, 'byGroup'),
      },
      firstAnswer: {
        runs: firstAnswers,
        samplingIntervalUs: FIRST_ANSWER_SAMPLING_US,
        functionCpuMsUnderProfiler: round(first.functionCpu / 1000 / firstAnswers, 1),
        floorCpuMsUnderProfiler: round(first.floorCpu / 1000 / firstAnswers, 1),
        ...compareFirstAnswers(addAttributions(first.function), addAttributions(first.floor), firstAnswers),
      },
    };
  } finally {
    await world.close();
    if (process.env.BENCH_KEEP_TMP) console.log('kept', outdir);
    else rmSync(outdir, { recursive: true, force: true });
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function compareFirstAnswers(fn: Attribution, floor: Attribution, runs: number) {
  const rows = (of: (attribution: Attribution) => Map<string, number>, limit: number) => {
    const names = new Set([...of(fn).keys(), ...of(floor).keys()]);
    return [...names]
      .map((name) => ({
        name,
        functionMs: round((of(fn).get(name) ?? 0) / 1000 / runs, 2),
        floorMs: round((of(floor).get(name) ?? 0) / 1000 / runs, 2),
      }))
      .sort((a, b) => b.functionMs - a.functionMs)
      .slice(0, limit);
  };
  const owners = (attribution: Attribution) =>
    new Map([...attribution.byOwner].map(([name, { us }]) => [name, us]));
  return {
    groups: rows(owners, 12),
    ourFiles: rows((attribution) => attribution.byOurFile, 8),
    packages: rows((attribution) => attribution.byPackage, 15),
    functionSampledMs: round(fn.busyUs / 1000 / runs, 2),
    floorSampledMs: round(floor.busyUs / 1000 / runs, 2),
  };
}

function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

interface ChildRun {
  first: { cpuUs: number; wallMs: number };
  measured: Extract<ChildMessage, { type: 'measured' }>;
  /** This process's CPU over the child's measured requests. */
  standInCpuUs: number;
  /** This process's profile over the child's profiled requests. */
  standInProfile: CpuProfile;
  /** The child's main-thread CPU over its profiled requests (Linux). */
  profiledMainThreadCpuUs?: number;
}

const KEPT_OUTPUT_CHARS = 4000;

/**
 * Runs the child through its plan: for a warm run, takes this process's CPU time over the measured
 * requests and its profile over the profiled ones (what the stand-ins spent answering them).
 */
function runChild(script: string, plan: ChildPlan, environment: Record<string, string>): Promise<ChildRun> {
  const planFile = `${plan.profileFile}.plan.json`;
  writeFileSync(planFile, JSON.stringify(plan));
  const child: ChildProcess = spawn(process.execPath, [script, planFile], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const run: Partial<ChildRun> = {};
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let session: Session | undefined;
  let failure: string | undefined;
  const handling: Promise<void>[] = [];
  const handle = async (message: ChildMessage) => {
    switch (message.type) {
      case 'ready':
        if (message.phase === 'measured') cpuAtStart = process.cpuUsage();
        else session = await startProfiling(WARM_SAMPLING_US);
        child.send('go');
        return;
      case 'measured': {
        const used = process.cpuUsage(cpuAtStart);
        run.standInCpuUs = used.user + used.system;
        run.measured = message;
        return;
      }
      case 'profiled':
        run.profiledMainThreadCpuUs = message.mainThreadCpuUs;
        if (session) run.standInProfile = await stopProfiling(session);
        return;
      case 'first':
        run.first = { cpuUs: message.cpuUs, wallMs: message.wallMs };
        return;
      case 'error':
        failure = message.error;
        return;
    }
  };
  return new Promise((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      handling.push(
        handle(message).catch((error: unknown) => {
          failure = String(error);
          child.kill();
        }),
      );
    });
    child.on('error', reject);
    child.on('close', (code) => {
      // A last message's handling (stopping this process's profiler) finishes first.
      void Promise.all(handling).then(() => {
        const complete = plan.mode === 'first' ? run.first : run.measured && run.standInProfile;
        if (code === 0 && complete && !failure) resolve(run as ChildRun);
        else reject(new Error(`${plan.mode} run failed (exit ${code}): ${failure ?? ''}\n${output}`));
      });
    });
  });
}

function post(session: Session, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function startProfiling(intervalUs: number): Promise<Session> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
  await post(session, 'Profiler.start');
  return session;
}

async function stopProfiling(session: Session): Promise<CpuProfile> {
  const { profile } = (await post(session, 'Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  return profile;
}

/** The figures as text, for people. */
export function formatWarmPath(result: WarmPathResult): string {
  const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
  const ms = (value: number) => value.toFixed(3);
  const { profiled, firstAnswer } = result;
  const shareRows = (shares: Share[]) =>
    shares.map((share) => [`  ${share.name}`, ms(share.msPerRequest), pct(share.share)]);
  const ownerRows = (shares: Share[]) =>
    shares.map((share) => [
      `  ${share.name}`,
      ms(share.msPerRequest),
      pct(share.share),
      ms(share.nodeMsPerRequest ?? 0),
    ]);
  const lines = [
    `Warm path: ${result.function}, node ${result.node}, ${result.requests} sales one at a time after ${result.warmUp} ` +
      'warm-up, the deployed bundle alone in its process, zero-latency stand-ins in another',
    '',
    `Handler CPU per request: ${ms(result.cpuMsPerRequest)} ms (user ${ms(result.cpuUserMsPerRequest)}, ` +
      `system ${ms(result.cpuSystemMsPerRequest)}): its process's whole CPU time (every thread) over the requests` +
      (result.cpuMainThreadMsPerRequest === undefined
        ? '.'
        : `; the main thread ${ms(result.cpuMainThreadMsPerRequest)} ms, V8's and libuv's other threads the rest.`),
    `Wall per request (information, includes waiting for the stand-ins): median ${ms(result.wallMs.median)} ms, ` +
      `p90 ${ms(result.wallMs.p90)} ms.`,
    `Stand-ins' CPU per request (not counted above): ${ms(result.standInsCpuMsPerRequest)} ms.`,
    '',
    `Where the handler's time goes (${profiled.requests} more sales under the CPU profiler, ` +
      `${profiled.samplingIntervalUs} µs sampling; main thread sampled busy ${ms(profiled.sampledMsPerRequest)} ms a request` +
      (profiled.mainThreadCpuMsPerRequest === undefined
        ? ''
        : `, its CPU ${ms(profiled.mainThreadCpuMsPerRequest)} ms: the difference is time in system calls spent ` +
          'waiting for a core') +
      "), by owner (Node.js's code counted for whoever called it):",
    formatTable(
      ['  group', 'ms/request', 'share', 'in Node.js'],
      ownerRows(profiled.handlerGroups),
      new Set([1, 2, 3]),
    ),
    '',
    'by package whose code ran (self time):',
    formatTable(['  package', 'ms/request', 'share'], shareRows(profiled.handlerPackages), new Set([1, 2])),
    '',
    'our code by file:',
    formatTable(['  file', 'ms/request', 'share'], shareRows(profiled.ourFiles), new Set([1, 2])),
    '',
    "The stand-ins' time over the same requests (their own process, for information):",
    formatTable(['  group', 'ms/request', 'share'], shareRows(profiled.standInGroups), new Set([1, 2])),
    '',
    `First answer (a cold process's first request, ${firstAnswer.runs} runs each, ${firstAnswer.samplingIntervalUs} µs ` +
      `sampling): main thread busy ${firstAnswer.functionSampledMs.toFixed(1)} ms, its floor's ` +
      `${firstAnswer.floorSampledMs.toFixed(1)} ms (mean of the runs; waiting for the stand-ins and the profiler's ` +
      'own time left out), by owner:',
    formatTable(
      ['  group', result.function, 'floor'],
      firstAnswer.groups.map((row) => [`  ${row.name}`, row.functionMs.toFixed(2), row.floorMs.toFixed(2)]),
      new Set([1, 2]),
    ),
    '',
    'our code by file:',
    formatTable(
      ['  file', result.function, 'floor'],
      firstAnswer.ourFiles.map((row) => [`  ${row.name}`, row.functionMs.toFixed(2), row.floorMs.toFixed(2)]),
      new Set([1, 2]),
    ),
    '',
    'by package whose code ran:',
    formatTable(
      ['  package', result.function, 'floor'],
      firstAnswer.packages.map((row) => [`  ${row.name}`, row.functionMs.toFixed(2), row.floorMs.toFixed(2)]),
      new Set([1, 2]),
    ),
  ];
  return lines.join('\n');
}

/** `--name N` from the command line, or undefined. */
function numberArgument(argv: readonly string[], name: string): number | undefined {
  const index = argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} takes a whole number of at least 1`);
  return value;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const argv = process.argv.slice(2);
  Promise.resolve()
    .then(() =>
      benchWarmPath({
        requests: numberArgument(argv, '--requests'),
        firstAnswers: numberArgument(argv, '--first-answers'),
      }),
    )
    .then(
      (result) => {
        console.log(formatWarmPath(result));
        console.log(`written to ${writeResult('warm-path', result)}`);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
