/**
 * One cold start, in a fresh `node` process: require a function's bundle, call its handler once, and
 * write the timings as JSON to file descriptor 3 (stdout and stderr carry the handler's own logs).
 * bench/bundles.ts compiles this file to plain JavaScript first, so no TypeScript loader is in the way.
 *
 * Usage: node child-invoke.js <bundle.js> <function name> <event JSON> 3>result.json
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type LambdaFunctionModule, lambdaContext } from '../infra/local/lambda-context';
import { type FunctionName, functionNames } from '../infra/routes';
import { functionTimeoutSeconds } from '../infra/timeouts';

export interface ColdStart {
  /** From the process's start to this script's first line: Node's own boot, not the bundle's. */
  bootMs: number;
  /** `require` of the bundle: reading, compiling and running its top level. */
  importMs: number;
  /** The first `handler(event, context)` call, until its promise settled. */
  firstAnswerMs: number;
  answer: unknown;
}

export type ChildReport = { coldStart: ColdStart } | { error: string };

const RESULT_FD = 3;
/** As deployed (infra/constructs/functions.ts): prod's memory, the function's own timeout. */
const MEMORY_MB = 1024;

function isFunctionName(name: string | undefined): name is FunctionName {
  return (functionNames as readonly (string | undefined)[]).includes(name);
}

async function coldStart(bundlePath: string, functionName: FunctionName, event: unknown): Promise<ColdStart> {
  const bootMs = performance.now();
  const module = require(bundlePath) as LambdaFunctionModule;
  const importMs = performance.now() - bootMs;
  const timeoutMs = functionTimeoutSeconds[functionName] * 1000;
  const context = lambdaContext(functionName, Date.now() + timeoutMs, MEMORY_MB);
  const started = performance.now();
  const answer = await module.handler(event, context);
  return { bootMs, importMs, firstAnswerMs: performance.now() - started, answer };
}

async function main(): Promise<ChildReport> {
  const [bundlePath, functionName, eventJson] = process.argv.slice(2);
  if (bundlePath === undefined || !isFunctionName(functionName) || eventJson === undefined) {
    return { error: 'usage: node child-invoke.js <bundle.js> <function name> <event JSON>' };
  }
  try {
    return { coldStart: await coldStart(bundlePath, functionName, JSON.parse(eventJson)) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

void main().then((report) => {
  writeSync(RESULT_FD, JSON.stringify(report));
  // The SDK's keep-alive sockets would hold the process open; the measurement is over.
  process.exit(0);
});
