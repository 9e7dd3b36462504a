/**
 * Our logger writes Powertools' log: every scenario here runs the same calls through Powertools' own
 * `Logger` (and its middy middleware) and through ours, and requires the same lines on the same streams,
 * byte for byte but for the clock. Each scenario also checks what its lines must say, so that both
 * writing nothing, or both writing the same wrong thing, cannot pass.
 */

import crypto from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { inInvocationScope } from '../../../infra/local/invocation-store';
import { scrubbingReplacer } from '../../../shared/observability/logger';
import { type StructuredLogger, structuredLogger } from '../../../shared/observability/structured-logger';

type Calls = Pick<
  StructuredLogger,
  | 'debug'
  | 'info'
  | 'warn'
  | 'error'
  | 'critical'
  | 'addContext'
  | 'appendKeys'
  | 'resetKeys'
  | 'setCorrelationId'
>;
interface Subject {
  logger: Calls;
  middleware(): MiddlewareObj<unknown, unknown, Error, Context>;
}
interface Line {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Every variable either logger reads; a scenario sets some, the others are unset. */
const VARIABLES = [
  'POWERTOOLS_LOG_LEVEL',
  'LOG_LEVEL',
  'AWS_LAMBDA_LOG_LEVEL',
  'POWERTOOLS_LOGGER_SAMPLE_RATE',
  'POWERTOOLS_LOGGER_LOG_EVENT',
  'POWERTOOLS_DEV',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  '_X_AMZN_TRACE_ID',
  'AWS_LAMBDA_MAX_CONCURRENCY',
];

const context = (requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'payments-test-jwt-sale',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:payments-test-jwt-sale',
  memoryLimitInMB: '1024',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/payments-test-jwt-sale',
  logStreamName: '2026/11/26/[$LATEST]0000',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const options = { serviceName: 'payments-test', jsonReplacerFn: scrubbingReplacer };

const powertools = (): Subject => {
  const logger = new Logger(options);
  const extra = (attributes?: LogAttributes) => (attributes === undefined ? [] : [attributes]);
  return {
    logger: {
      debug: (message, attributes) => logger.debug(message, ...extra(attributes)),
      info: (message, attributes) => logger.info(message, ...extra(attributes)),
      warn: (message, attributes) => logger.warn(message, ...extra(attributes)),
      error: (message, attributes) => logger.error(message, ...extra(attributes)),
      critical: (message, attributes) => logger.critical(message, ...extra(attributes)),
      addContext: (lambdaContext) => logger.addContext(lambdaContext),
      appendKeys: (attributes) => logger.appendKeys(attributes),
      resetKeys: () => logger.resetKeys(),
      setCorrelationId: (value) => logger.setCorrelationId(value),
    },
    middleware: () => injectLambdaContext(logger, { resetKeys: true }),
  };
};
const ours = (): Subject => {
  const logger = structuredLogger(options);
  return { logger, middleware: () => logger.lambdaContext() };
};

const TIMESTAMP = /"timestamp": ?"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d))"/g;

async function linesOf(make: () => Subject, scenario: (subject: Subject) => unknown): Promise<Line[]> {
  const lines: Line[] = [];
  const push = (stream: Line['stream'], text: string) =>
    lines.push({ stream, text: text.replace(TIMESTAMP, '"timestamp":"<clock>"') });
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    jest.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      push(stream, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  // In development both write through the global console.
  const devSpies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...texts: unknown[]) => {
      push(method === 'warn' || method === 'error' ? 'stderr' : 'stdout', texts.join(' '));
    }),
  );
  try {
    await scenario(make());
  } finally {
    for (const spy of [...spies, ...devSpies]) spy.mockRestore();
  }
  return lines;
}

async function withEnvironment<T>(environment: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = new Map(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, environment);
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Runs `scenario` through both loggers under `environment`; returns our lines, parsed. */
function same(
  environment: Record<string, string>,
  scenario: (subject: Subject) => unknown,
): Promise<{ stream: string; line: Record<string, unknown> }[]> {
  return withEnvironment(environment, async () => {
    const theirs = await linesOf(powertools, scenario);
    const mine = await linesOf(ours, scenario);
    expect(mine).toEqual(theirs);
    return mine.map(({ stream, text }) => ({ stream, line: JSON.parse(text) as Record<string, unknown> }));
  });
}

describe('structuredLogger, against Powertools Logger', () => {
  it('writes the same line before any invocation: service, level, sampling rate, the call’s attributes', async () => {
    const lines = await same({}, ({ logger }) => {
      logger.info('gateway call', { operation: 'mobile-sale', status: 200, nested: { a: [1, 'b'] } });
      logger.debug('not written at INFO');
    });
    expect(lines).toEqual([
      {
        stream: 'stdout',
        line: {
          level: 'INFO',
          message: 'gateway call',
          timestamp: '<clock>',
          service: 'payments-test',
          sampling_rate: 0,
          operation: 'mobile-sale',
          status: 200,
          nested: { a: [1, 'b'] },
        },
      },
    ]);
  });

  it('writes WARN and above to stderr, honours POWERTOOLS_LOG_LEVEL, and CRITICAL as an error', async () => {
    const lines = await same({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }, ({ logger }) => {
      logger.debug('debug');
      logger.info('info');
      logger.warn('warn');
      logger.error('error');
      logger.critical('critical');
    });
    expect(lines.map(({ stream, line }) => `${stream} ${line.level} ${line.message}`)).toEqual([
      'stdout DEBUG debug',
      'stdout INFO info',
      'stderr WARN warn',
      'stderr ERROR error',
      'stderr CRITICAL critical',
    ]);
  });

  it('lets Lambda’s log level (advanced logging controls) override POWERTOOLS_LOG_LEVEL', async () => {
    const lines = await same(
      { POWERTOOLS_LOG_LEVEL: 'DEBUG', AWS_LAMBDA_LOG_LEVEL: 'WARN' },
      ({ logger }) => {
        logger.info('dropped');
        logger.warn('kept');
      },
    );
    expect(lines.map(({ line }) => line.message)).toEqual(['kept']);
  });

  it('reads Lambda’s FATAL as CRITICAL, and ignores a level name it does not know', async () => {
    const fatal = await same({ AWS_LAMBDA_LOG_LEVEL: 'FATAL' }, ({ logger }) => {
      logger.error('dropped');
      logger.critical('kept');
    });
    expect(fatal.map(({ line }) => line.message)).toEqual(['kept']);
    const unknown = await same({ POWERTOOLS_LOG_LEVEL: 'VERBOSE' }, ({ logger }) => {
      logger.debug('dropped at the default, INFO');
      logger.info('kept');
    });
    expect(unknown.map(({ line }) => line.message)).toEqual(['kept']);
  });

  it('writes nothing at SILENT, and LOG_LEVEL when POWERTOOLS_LOG_LEVEL is unset', async () => {
    expect(await same({ POWERTOOLS_LOG_LEVEL: 'SILENT' }, ({ logger }) => logger.critical('x'))).toEqual([]);
    const lines = await same({ LOG_LEVEL: 'ERROR' }, ({ logger }) => {
      logger.warn('dropped');
      logger.error('kept');
    });
    expect(lines.map(({ line }) => line.message)).toEqual(['kept']);
  });

  it('adds the Lambda context, cold start only on the first one, and the X-Ray trace id', async () => {
    const lines = await same(
      {
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand ',
        _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      },
      ({ logger }) => {
        logger.addContext(context('req-1'));
        logger.info('first');
        logger.addContext(context('req-2'));
        logger.info('second');
      },
    );
    expect(lines.map(({ line }) => [line.function_request_id, line.cold_start, line.xray_trace_id])).toEqual([
      ['req-1', true, '1-5759e988-bd862e3fe1be46a994272793'],
      ['req-2', false, '1-5759e988-bd862e3fe1be46a994272793'],
    ]);
    expect(Object.keys(lines[0]?.line ?? {})).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'cold_start',
      'function_arn',
      'function_memory_size',
      'function_name',
      'function_request_id',
      'sampling_rate',
      'xray_trace_id',
    ]);
  });

  it('keeps appended keys and the correlation id until reset; a call’s attribute overrides a key in place', async () => {
    const lines = await same({}, ({ logger }) => {
      logger.setCorrelationId('api-req-1');
      logger.appendKeys({ routeKey: 'POST /v1/sales/jwt', storefrontId: 'sf_1' });
      logger.info('with keys', { storefrontId: 'sf_2', extra: true });
      logger.resetKeys();
      logger.info('after reset');
    });
    expect(lines.map(({ line }) => line)).toEqual([
      expect.objectContaining({
        correlation_id: 'api-req-1',
        routeKey: 'POST /v1/sales/jwt',
        storefrontId: 'sf_2',
      }),
      expect.not.objectContaining({ correlation_id: expect.anything() }),
    ]);
    expect(Object.keys(lines[0]?.line ?? {}).slice(-4)).toEqual([
      'correlation_id',
      'routeKey',
      'storefrontId',
      'extra',
    ]);
  });

  it('merges as Powertools’ LogItem: undefined never replaces, empty values and unsafe keys dropped, objects copied', async () => {
    const parsed = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":1,"kept":{"deep":[1,{"x":null}]}}',
    );
    const lines = await same({}, ({ logger }) => {
      logger.addContext(context('req-1'));
      logger.appendKeys({ empty: '', nothing: null });
      logger.info('merged', {
        function_name: undefined,
        function_arn: 'replaced',
        absent: undefined,
        ...parsed,
      });
    });
    const line = lines[0]?.line ?? {};
    expect(line).toEqual(
      expect.objectContaining({
        function_name: 'payments-test-jwt-sale',
        function_arn: 'replaced',
        kept: { deep: [1, { x: null }] },
      }),
    );
    expect(
      Object.keys(line).filter((key) => ['empty', 'nothing', 'absent', 'constructor'].includes(key)),
    ).toEqual([]);
    expect(JSON.stringify(line)).not.toContain('polluted');
  });

  it('drops a reserved key with a warning', async () => {
    const lines = await same({}, ({ logger }) => {
      logger.appendKeys({ service: 'other' });
      logger.info('reserved', { level: 'DEBUG', kept: 1 });
    });
    expect(lines.map(({ line }) => [line.level, line.message, line.kept])).toEqual([
      ['WARN', 'The key "service" is a reserved key and will be dropped.', undefined],
      ['WARN', 'The key "level" is a reserved key and will be dropped.', undefined],
      ['INFO', 'reserved', 1],
    ]);
  });

  it('formats errors (with their cause), bigints and cycles as Powertools does, through our scrubber', async () => {
    const cause = new Error('socket hang up');
    const error = Object.assign(new Error('gateway failed', { cause }), { status: 502 });
    const cycle: Record<string, unknown> = { name: 'loop' };
    const shared = { k: 1 };
    cycle.self = cycle;
    const lines = await same({}, ({ logger }) => {
      logger.error('request failed', {
        error,
        big: 12n,
        cycle,
        apiKey: 'sk_test_not_a_real_key_000',
        // Seen twice but not a cycle: written twice.
        repeated: { first: shared, second: shared, words: ['same', 'same'] },
      });
    });
    const line = lines[0]?.line;
    expect(line?.error).toEqual(
      expect.objectContaining({
        name: 'Error',
        message: 'gateway failed',
        status: 502,
        location: expect.any(String),
      }),
    );
    expect(line?.error).toEqual(
      expect.objectContaining({
        cause: expect.objectContaining({ name: 'Error', message: 'socket hang up' }),
      }),
    );
    expect(line?.big).toBe('12');
    expect(line?.cycle).toEqual({ name: 'loop' });
    expect(line?.repeated).toEqual({ first: { k: 1 }, second: { k: 1 }, words: ['same', 'same'] });
    expect(JSON.stringify(line)).not.toContain('sk_test_not_a_real_key_000');
  });

  it('indents lines and writes through the console in development (POWERTOOLS_DEV)', async () => {
    const lines = await same({ POWERTOOLS_DEV: 'true' }, ({ logger }) => logger.warn('dev', { a: 1 }));
    expect(lines).toEqual([{ stream: 'stderr', line: expect.objectContaining({ message: 'dev', a: 1 }) }]);
    const raw = await withEnvironment({ POWERTOOLS_DEV: 'true' }, () =>
      linesOf(ours, ({ logger }) => logger.warn('dev')),
    );
    expect(raw[0]?.text).toContain('\n    "level": "WARN",\n');
  });

  it('as middy middleware: the context, the event when POWERTOOLS_LOGGER_LOG_EVENT is on, keys reset after', async () => {
    const lines = await same({ POWERTOOLS_LOGGER_LOG_EVENT: 'true' }, async ({ logger, middleware }) => {
      const handler = middy<unknown, unknown, Error, Context>()
        .use(middleware())
        .handler(async () => {
          logger.appendKeys({ storefrontId: 'sf_1' });
          logger.info('inside');
        });
      await handler({ routeKey: 'GET /v1/health' }, context('req-1'));
      logger.info('after');
    });
    expect(
      lines.map(({ line }) => [line.message, line.function_request_id, line.storefrontId, line.event]),
    ).toEqual([
      ['Lambda invocation event', 'req-1', undefined, { routeKey: 'GET /v1/health' }],
      ['inside', 'req-1', 'sf_1', undefined],
      ['after', 'req-1', undefined, undefined],
    ]);
  });

  it('samples invocations at DEBUG (POWERTOOLS_LOGGER_SAMPLE_RATE), saying so', async () => {
    const lines = await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '1' }, async ({ logger, middleware }) => {
      const handler = middy<unknown, unknown, Error, Context>()
        .use(middleware())
        .handler(async () => logger.debug('sampled'));
      await handler({}, context('req-1'));
      await handler({}, context('req-2'));
    });
    expect(lines.map(({ line }) => [line.level, line.message, line.sampling_rate])).toEqual([
      ['DEBUG', 'Setting log level to DEBUG due to sampling rate', 1],
      ['DEBUG', 'sampled', 1],
      ['DEBUG', 'Setting log level to DEBUG due to sampling rate', 1],
      ['DEBUG', 'sampled', 1],
    ]);
  });

  it('samples by the draw against the rate, and never under Lambda’s level or at TRACE', async () => {
    const draws = jest.spyOn(crypto, 'randomInt');
    // The draw both loggers make: a whole number from 0 to 99, read as hundredths.
    const drawing = (value: number) =>
      draws.mockImplementation((() => value) as unknown as typeof crypto.randomInt);
    const run = async ({ logger, middleware }: Subject) => {
      const handler = middy<unknown, unknown, Error, Context>()
        .use(middleware())
        .handler(async () => logger.debug('sampled'));
      await handler({}, context('req-1'));
    };
    try {
      // 0.50 is within a rate of 0.5, 0.51 is not (the draw is a whole number of hundredths).
      drawing(50);
      const within = await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0.5' }, run);
      expect(within.map(({ line }) => line.message)).toEqual([
        'Setting log level to DEBUG due to sampling rate',
        'sampled',
      ]);
      drawing(51);
      expect(await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0.5' }, run)).toEqual([]);
      // A rate of 0 never samples, whatever the draw.
      drawing(0);
      expect(await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0' }, run)).toEqual([]);
      // A rate that is not a share is no rate.
      const notShare = await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '2' }, ({ logger }) => logger.info('x'));
      expect(notShare.map(({ line }) => line.sampling_rate)).toEqual([0]);
      expect(await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '-1' }, run)).toEqual([]);
      // Lambda's level holds: nothing at DEBUG is written, and Powertools says so, once.
      const twice = async (subject: Subject) => {
        await run(subject);
        await run(subject);
      };
      const underLambda = await same(
        { POWERTOOLS_LOGGER_SAMPLE_RATE: '1', AWS_LAMBDA_LOG_LEVEL: 'INFO' },
        twice,
      );
      expect(underLambda.map(({ line }) => line.level)).toEqual(['WARN']);
      // Lambda's level at DEBUG lets the sampled lines through, with nothing to warn of.
      const lambdaAtDebug = await same(
        { POWERTOOLS_LOGGER_SAMPLE_RATE: '1', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' },
        run,
      );
      expect(lambdaAtDebug.map(({ line }) => line.message)).toEqual([
        'Setting log level to DEBUG due to sampling rate',
        'sampled',
      ]);
      // At TRACE, sampling changes nothing: no line says it moved to DEBUG.
      const atTrace = await same({ POWERTOOLS_LOGGER_SAMPLE_RATE: '1', POWERTOOLS_LOG_LEVEL: 'TRACE' }, run);
      expect(atTrace.map(({ line }) => line.message)).toEqual(['sampled']);
    } finally {
      draws.mockRestore();
    }
  });

  it('differs on purpose: a level in lower case is read, an unreadable switch is ignored rather than thrown on', async () => {
    const lines = await withEnvironment(
      { POWERTOOLS_LOG_LEVEL: 'debug', POWERTOOLS_LOGGER_LOG_EVENT: 'yes' },
      () => linesOf(ours, ({ logger }) => logger.debug('lower-case level')),
    );
    expect(lines.map(({ text }) => JSON.parse(text).message)).toEqual(['lower-case level']);
    await withEnvironment({ POWERTOOLS_LOGGER_LOG_EVENT: 'yes' }, async () => {
      expect(() => new Logger(options)).toThrow('POWERTOOLS_LOGGER_LOG_EVENT must be a boolean');
    });
  });

  /** Two invocations at once, each in its scope of the InvokeStore, each setting its context and a key. */
  const twoAtOnce = async ({ logger }: Subject) => {
    const invocation = (requestId: string, storefrontId: string) =>
      inInvocationScope(requestId, async () => {
        logger.addContext(context(requestId));
        logger.appendKeys({ storefrontId });
        await Promise.resolve();
        await Promise.resolve();
        logger.info('charged');
      });
    await Promise.all([invocation('req-a', 'sf_a'), invocation('req-b', 'sf_b')]);
  };

  it('keeps each invocation’s context and keys in its own InvokeStore scope (AWS_LAMBDA_MAX_CONCURRENCY)', async () => {
    const lines = await same({ AWS_LAMBDA_MAX_CONCURRENCY: '10' }, twoAtOnce);
    expect(lines.map(({ line }) => [line.function_request_id, line.storefrontId])).toEqual([
      ['req-a', 'sf_a'],
      ['req-b', 'sf_b'],
    ]);
  });

  it('shares one context and one set of keys without AWS_LAMBDA_MAX_CONCURRENCY, scopes or not', async () => {
    const lines = await same({}, twoAtOnce);
    // One process, one invocation at a time: what was set last is on every line.
    expect(lines.map(({ line }) => [line.function_request_id, line.storefrontId])).toEqual([
      ['req-b', 'sf_b'],
      ['req-b', 'sf_b'],
    ]);
  });
});
