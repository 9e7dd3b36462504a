/**
 * Runs a function's handler in this process the way the Lambda runtime calls it: with a `Context`
 * whose clock counts down from the configured timeout, and a "Task timed out" failure when the
 * handler has not finished by then (the handler itself keeps running: a process cannot be frozen).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionName } from '../routes';
import { functionTimeoutSeconds } from '../timeouts';
import { inInvocationScope } from './invocation-store';
import { localAccountId, localRegion } from './local-aws';

/** A function module as the Lambda runtime sees it: it exports `handler(event, context)`. */
export interface LambdaFunctionModule {
  handler(event: unknown, context: Context): unknown;
}

export interface InvocationSettings {
  timeoutMs: number;
  memoryLimitInMB?: number;
}

export class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

/**
 * Calls `module.handler(event, context)` and resolves with what it returned.
 * @throws whatever the handler threw, or LambdaTimeoutError past `settings.timeoutMs`.
 */
export async function invokeLocally(
  functionName: FunctionName,
  module: LambdaFunctionModule,
  event: unknown,
  settings: InvocationSettings,
): Promise<unknown> {
  const context = lambdaContext(
    functionName,
    Date.now() + settings.timeoutMs,
    settings.memoryLimitInMB ?? 1024,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = (settings.timeoutMs / 1000).toFixed(2);
      reject(new LambdaTimeoutError(`${context.awsRequestId} Task timed out after ${seconds} seconds`));
    }, settings.timeoutMs);
  });
  const handled = inInvocationScope(context.awsRequestId, () =>
    Promise.resolve().then(() => module.handler(event, context)),
  );
  try {
    return await Promise.race([handled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `work` as an invocation of `functionName` that has no handler locally (the local recurring and
 * reconciliation runs call the domain themselves): its log lines carry that function's context, as the
 * handler's `logger.addContext(context)` gives them deployed, whatever else runs at the same time.
 * @example await asInvocationOf('recurring-worker', () => chargeSubscription(ports, message));
 */
export function asInvocationOf<T>(functionName: FunctionName, work: () => Promise<T>): Promise<T> {
  const context = lambdaContext(functionName, Date.now() + functionTimeoutSeconds[functionName] * 1000, 1024);
  return inInvocationScope(context.awsRequestId, () => {
    // Loaded on the first run, after the local runtime has set the environment the logger reads as it loads.
    const {
      logger,
    }: typeof import('../../shared/observability/logger') = require('../../shared/observability/logger');
    logger.addContext(context);
    return work();
  });
}

/** A Lambda `Context` for one invocation ending at `deadline` (epoch milliseconds). */
export function lambdaContext(
  functionName: FunctionName,
  deadline: number,
  memoryLimitInMB: number,
): Context {
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported: return (or resolve) the result instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`,
    memoryLimitInMB: String(memoryLimitInMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
