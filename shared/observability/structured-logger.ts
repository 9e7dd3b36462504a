/**
 * Powertools for AWS Lambda's structured log, written by a logger of our own: the same JSON line, key
 * for key and in the same order, and the same switches, with Powertools' own pieces where they are
 * small (its `LogFormatter` formats errors and timestamps, its environment helpers read the settings).
 * What is left out is Powertools' `Logger` class, 21 KB in every bundle of which the functions use a
 * few methods (issue 11): its log buffering, child loggers, persistent keys, custom formatters and
 * decorators. test/shared/observability/structured-logger.test.ts writes the same
 * calls through both and requires the same lines.
 *
 * What it reads, as Powertools does: `POWERTOOLS_LOG_LEVEL` (or `LOG_LEVEL`), overridden by Lambda's
 * `AWS_LAMBDA_LOG_LEVEL` (advanced logging controls); `POWERTOOLS_LOGGER_SAMPLE_RATE` (the share of
 * invocations logged at DEBUG); `POWERTOOLS_LOGGER_LOG_EVENT` (each invocation's event logged, by
 * `lambdaContext()`); `POWERTOOLS_DEV` (indented lines through the global console); and, when
 * `AWS_LAMBDA_MAX_CONCURRENCY` is set (Lambda Managed Instances; the local runtime), it keeps each
 * invocation's context, keys and level in that invocation's scope of Lambda's InvokeStore.
 * Where it differs, on purpose: a level is read in any case (`debug` as `DEBUG`; Powertools ignores a
 * variable that is not in capitals), and a variable it cannot read is ignored rather than thrown on at
 * load (Powertools throws on a `POWERTOOLS_LOGGER_LOG_EVENT` other than true or false).
 */

import { Console } from 'node:console';
import { randomInt } from 'node:crypto';
import {
  getXRayTraceIdFromEnv,
  isDevMode,
  shouldUseInvokeStore,
} from '@aws-lambda-powertools/commons/utils/env';
import { LogFormatter, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL';
type LevelName = keyof typeof LogLevelThreshold;
type Replacer = (key: string, value: unknown) => unknown;

export interface StructuredLogger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  critical(message: string, attributes?: LogAttributes): void;
  /** The invocation's Lambda context, on every line until the next invocation's. */
  addContext(context: Context): void;
  /** Keys on every line of this invocation, until `resetKeys()`. */
  appendKeys(attributes: LogAttributes): void;
  resetKeys(): void;
  setCorrelationId(value: string): void;
  /**
   * The middy middleware that gives each invocation its Lambda context, a fresh sampling decision, its
   * event logged when `POWERTOOLS_LOGGER_LOG_EVENT` is on, and no keys of the one before.
   */
  lambdaContext(): MiddlewareObj<unknown, unknown, Error, Context>;
}

export interface StructuredLoggerOptions {
  serviceName: string;
  /** Applied to every value before it is written (the scrubber). */
  jsonReplacerFn?: Replacer;
}

/** The invocation's part of the log: its Lambda context, its keys, its level when sampled. */
interface InvocationState {
  context?: Context;
  coldStart?: boolean;
  keys: LogAttributes;
  level?: number;
}

interface InvokeStore {
  get(key: symbol): unknown;
  set(key: symbol, value: unknown): void;
  hasContext(): boolean;
}

const STATE_KEY = Symbol('payments.logger.invocation');
/** Powertools writes INFO and DEBUG to stdout, WARN and above to stderr. */
const CONSOLE_METHOD = {
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
} as const;
/** Keys the line's own fields use: a value given under one is dropped, with a warning. */
const RESERVED_KEYS: readonly string[] = ['level', 'message', 'sampling_rate', 'service', 'timestamp'];

/** The public `LogFormatter`, for its error and timestamp formatting. */
class PowertoolsFormat extends LogFormatter {
  formatAttributes(): never {
    throw new Error('not used: lines are built by structuredLogger');
  }
}

/** Keys Powertools never copies into a line. */
const UNSAFE_KEYS: readonly string[] = ['__proto__', 'constructor'];

/**
 * The line as Powertools' `LogItem` makes it: its own fields, then the others in order (a key given
 * again takes the value where the key stands; `undefined` never replaces a value), and no top-level
 * value that is `''` or `null` (nor `undefined`, which JSON leaves out). (`LogItem` merges through
 * Powertools' `deepMerge`, which also merges two objects under one key: a line's fields are never
 * objects, and the keys and the call's attributes are one flat record here, so that case cannot arise.)
 */
function lineOf(fields: LogAttributes, attributes: LogAttributes): LogAttributes {
  const line: LogAttributes = { ...fields };
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && !UNSAFE_KEYS.includes(key)) line[key] = value;
  }
  for (const key of Object.keys(line)) {
    if (line[key] === '' || line[key] === null) delete line[key];
  }
  return line;
}

function levelOf(name: string | undefined): number | undefined {
  const upper = name?.trim().toUpperCase();
  return upper !== undefined && upper in LogLevelThreshold
    ? LogLevelThreshold[upper as LevelName]
    : undefined;
}

function invokeStore(): InvokeStore | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda?.InvokeStore;
  return shouldUseInvokeStore() && store?.hasContext() ? store : undefined;
}

/** Powertools' replacer: ours first, then errors formatted, bigints as text, cycles dropped. */
function jsonReplacer(format: LogFormatter, replacer: Replacer | undefined) {
  const ancestors: unknown[] = [];
  return function (this: unknown, key: string, value: unknown) {
    let replaced = replacer ? replacer(key, value) : value;
    if (replaced instanceof Error) replaced = format.formatError(replaced);
    if (typeof replaced === 'bigint') return replaced.toString();
    if (typeof replaced === 'object' && replaced !== null) {
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(replaced)) return undefined;
      ancestors.push(replaced);
    }
    return replaced;
  };
}

export function structuredLogger({ serviceName, jsonReplacerFn }: StructuredLoggerOptions): StructuredLogger {
  const env = process.env;
  const format = new PowertoolsFormat();
  const dev = isDevMode();
  const out = dev ? console : new Console({ stdout: process.stdout, stderr: process.stderr });
  // Lambda's advanced logging controls' level: when set, it is the level, whatever else says.
  const lambdaLevelName = env.AWS_LAMBDA_LOG_LEVEL?.trim()
    .toUpperCase()
    .replace(/^FATAL$/, 'CRITICAL');
  const lambdaLevel = levelOf(lambdaLevelName);
  const baseLevel =
    lambdaLevel ?? levelOf(env.POWERTOOLS_LOG_LEVEL || env.LOG_LEVEL) ?? LogLevelThreshold.INFO;
  const rate = Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0);
  const sampleRate = rate >= 0 && rate <= 1 ? rate : 0;
  const logEvents = env.POWERTOOLS_LOGGER_LOG_EVENT?.trim().toLowerCase() === 'true';
  const outside: InvocationState = { keys: {} };
  let coldStart = env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand';
  let sampledOnce = false;
  let warnedOfLambdaLevel = false;

  function state(): InvocationState {
    const store = invokeStore();
    if (store === undefined) return outside;
    let scoped = store.get(STATE_KEY) as InvocationState | undefined;
    if (scoped === undefined) {
      scoped = { keys: {}, level: outside.level };
      store.set(STATE_KEY, scoped);
    }
    return scoped;
  }

  function withoutReserved(attributes: LogAttributes): LogAttributes {
    const kept: LogAttributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (RESERVED_KEYS.includes(key))
        write('WARN', `The key "${key}" is a reserved key and will be dropped.`);
      else kept[key] = value;
    }
    return kept;
  }

  function write(level: Level, message: string, attributes?: LogAttributes): void {
    const current = state();
    if (LogLevelThreshold[level] < (current.level ?? baseLevel)) return;
    const context = current.context;
    const line = lineOf(
      {
        level,
        message,
        timestamp: format.formatTimestamp(new Date()),
        service: serviceName,
        cold_start: context && current.coldStart,
        function_arn: context?.invokedFunctionArn,
        function_memory_size: context?.memoryLimitInMB,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        sampling_rate: sampleRate,
        xray_trace_id: getXRayTraceIdFromEnv(),
        tenant_id: context?.tenantId,
      },
      { ...current.keys, ...(attributes && withoutReserved(attributes)) },
    );
    out[CONSOLE_METHOD[level]](JSON.stringify(line, jsonReplacer(format, jsonReplacerFn), dev ? 4 : 0));
  }

  /**
   * Decides whether this invocation logs at DEBUG (`POWERTOOLS_LOGGER_SAMPLE_RATE`). Lambda's level, when
   * set, still holds: Powertools then warns, once, that the two disagree.
   */
  function sample(target: InvocationState): void {
    target.level = undefined;
    if (sampleRate === 0 || randomInt(0, 100) / 100 > sampleRate) return;
    if (baseLevel <= LogLevelThreshold.TRACE) return;
    if (lambdaLevel === undefined) target.level = LogLevelThreshold.DEBUG;
    else if (lambdaLevel > LogLevelThreshold.DEBUG && !warnedOfLambdaLevel) {
      warnedOfLambdaLevel = true;
      write(
        'WARN',
        `Current log level (DEBUG) does not match AWS Lambda Advanced Logging Controls minimum log level (${lambdaLevelName}). This can lead to data loss, consider adjusting them.`,
      );
    }
    write('DEBUG', 'Setting log level to DEBUG due to sampling rate');
  }

  const logger: StructuredLogger = {
    debug: (message, attributes) => write('DEBUG', message, attributes),
    info: (message, attributes) => write('INFO', message, attributes),
    warn: (message, attributes) => write('WARN', message, attributes),
    error: (message, attributes) => write('ERROR', message, attributes),
    critical: (message, attributes) => write('CRITICAL', message, attributes),
    addContext(context) {
      const current = state();
      current.context = context;
      current.coldStart = coldStart;
      coldStart = false;
    },
    appendKeys(attributes) {
      Object.assign(state().keys, withoutReserved(attributes));
    },
    resetKeys() {
      state().keys = {};
    },
    setCorrelationId(value) {
      logger.appendKeys({ correlation_id: value });
    },
    lambdaContext() {
      const reset = async () => logger.resetKeys();
      return {
        before: async (request) => {
          logger.resetKeys();
          if (sampledOnce) sample(state());
          sampledOnce = true;
          logger.addContext(request.context);
          if (logEvents) logger.info('Lambda invocation event', { event: request.event });
        },
        after: reset,
        onError: reset,
      };
    },
  };
  sample(outside);
  return logger;
}
