/**
 * The process of the warm-path benchmark (bench/warm-path.ts) that runs a handler and nothing else: it
 * requires a bundle and calls its handler with the events it is given, one at a time, as Lambda calls
 * it. Its CPU time is the handler's (with the SDK, Node's HTTP client and V8's own threads); the stand-ins
 * it calls run in the parent. Compiled to plain JavaScript first, like bench/child-invoke.ts.
 *
 * Usage: node warm-path-child.js <plan.json>, with an IPC channel to the parent.
 *
 * `first`: one profiled first answer after the import. `warm`: a first answer, `warmUp` requests, then
 * `measured` requests timed (CPU and wall), then `profiled` requests under the CPU profiler. Before the
 * measured and the profiled phases it tells the parent and waits for its go, so that the parent can
 * take its own figures over exactly the same requests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { type LambdaFunctionModule, lambdaContext } from '../infra/local/lambda-context';
import type { FunctionName } from '../infra/routes';
import { functionTimeoutSeconds } from '../infra/timeouts';

export interface ChildPlan {
  mode: 'first' | 'warm';
  bundlePath: string;
  name: FunctionName;
  /** A JSON array of events, used in order, each once. */
  eventsFile: string;
  warmUp: number;
  measured: number;
  profiled: number;
  samplingIntervalUs: number;
  profileFile: string;
}

export type ChildMessage =
  | { type: 'ready'; phase: 'measured' | 'profiled' }
  | {
      type: 'measured';
      cpuUserUs: number;
      cpuSystemUs: number;
      wallMs: number;
      /** Each request's wall milliseconds. */
      requestMs: number[];
      /** The main thread's own CPU time (Linux only), the rest being V8's and libuv's other threads. */
      mainThreadCpuUs?: number;
    }
  | { type: 'first'; wallMs: number; cpuUs: number }
  | { type: 'profiled'; requests: number; wallMs: number; cpuUs: number; mainThreadCpuUs?: number }
  | { type: 'error'; error: string };

const MEMORY_MB = 1024;

/** Clock ticks per second of /proc's CPU times; undefined where there is no /proc. */
function clockTicks(): number | undefined {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** This thread's CPU time (user + system) in µs, from /proc/thread-self/stat (Linux); else undefined. */
function threadCpuUs(ticks: number | undefined): number | undefined {
  if (ticks === undefined) return undefined;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // After the command name in parentheses: state is field 3, utime field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticks;
  } catch {
    return undefined;
  }
}

const since = (start: number | undefined, ticks: number | undefined) => {
  const now = threadCpuUs(ticks);
  return start === undefined || now === undefined ? undefined : now - start;
};

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('no IPC channel: run by bench/warm-path.ts');
    process.send(message, () => resolve());
  });
}

function go(): Promise<void> {
  return new Promise((resolve) => process.once('message', () => resolve()));
}

function post(session: Session, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function profiling<T>(plan: ChildPlan, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: plan.samplingIntervalUs });
  await post(session, 'Profiler.start');
  const result = await work();
  const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
  writeFileSync(plan.profileFile, JSON.stringify(profile));
  session.disconnect();
  return result;
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ChildPlan;
  const events = JSON.parse(readFileSync(plan.eventsFile, 'utf8')) as unknown[];
  let next = 0;
  const ticks = clockTicks();
  const timeoutMs = functionTimeoutSeconds[plan.name] * 1000;
  const module = require(plan.bundlePath) as LambdaFunctionModule;
  const invoke = async () => {
    if (next >= events.length) throw new Error('out of events');
    const event = events[next];
    next += 1;
    const answer = await module.handler(event, lambdaContext(plan.name, Date.now() + timeoutMs, MEMORY_MB));
    const status = (answer as { statusCode?: unknown } | undefined)?.statusCode;
    if (typeof status !== 'number' || status < 200 || status >= 300) {
      throw new Error(`request ${next} answered ${JSON.stringify(answer)}`);
    }
  };
  const timed = async (requests: number) => {
    const cpu = process.cpuUsage();
    const thread = threadCpuUs(ticks);
    const started = performance.now();
    for (let request = 0; request < requests; request += 1) await invoke();
    return {
      cpuUs: sum(process.cpuUsage(cpu)),
      wallMs: performance.now() - started,
      mainThreadCpuUs: since(thread, ticks),
    };
  };

  if (plan.mode === 'first') {
    const { cpuUs, wallMs } = await profiling(plan, () => timed(1));
    await send({ type: 'first', cpuUs, wallMs });
    return;
  }
  await invoke();
  for (let request = 0; request < plan.warmUp; request += 1) await invoke();

  await send({ type: 'ready', phase: 'measured' });
  await go();
  const requestMs: number[] = [];
  const cpu = process.cpuUsage();
  const thread = threadCpuUs(ticks);
  const started = performance.now();
  for (let request = 0; request < plan.measured; request += 1) {
    const before = performance.now();
    await invoke();
    requestMs.push(performance.now() - before);
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const mainThreadCpuUs = since(thread, ticks);
  await send({
    type: 'measured',
    cpuUserUs: used.user,
    cpuSystemUs: used.system,
    wallMs,
    requestMs,
    mainThreadCpuUs,
  });

  await send({ type: 'ready', phase: 'profiled' });
  await go();
  const profiled = await profiling(plan, () => timed(plan.profiled));
  await send({ type: 'profiled', requests: plan.profiled, ...profiled });
}

const sum = ({ user, system }: NodeJS.CpuUsage) => user + system;

main().then(
  // The SDK's keep-alive sockets would hold the process open; the measurement is over.
  () => process.exit(0),
  async (error: unknown) => {
    await send({
      type: 'error',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  },
);
