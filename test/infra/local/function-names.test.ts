/**
 * Locally every function shares one process and one logger: each log line must still carry the function
 * it came from (and the local service name), also for the runs that call the domain without a handler.
 */
import { loadFunctionFromSource } from '../../../infra/local/function-loader';
import { asInvocationOf, lambdaContext } from '../../../infra/local/lambda-context';
import { runReconciliationPath, runRecurringPath } from '../../../infra/local/local-routes';
import { runReconciliationRoute } from '../../../infra/local/reconciliation';
import { runRecurringRoute } from '../../../infra/local/recurring';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import { send } from './http-client';

const storefrontKey = 'sk_test_function_names_not_secret';

interface LogLine {
  message: string;
  service: string;
  function_name?: string;
  function_request_id?: string;
  operation?: string;
  routeKey?: string;
}

describe('Module: the local runtime, its log lines', () => {
  let local: LocalRuntime;
  let lines: LogLine[];
  let writes: jest.SpyInstance[];
  const api = (path: string, body?: unknown) =>
    send(`${local.apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${storefrontKey}`,
        'content-type': 'application/json',
        'idempotency-key': `key-${Math.random()}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    // Read by the logger as it loads, which is after the runtime has started (nothing above loads it).
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    local = await startLocalRuntime({
      port: 0,
      sandboxPort: 0,
      dataDir: null,
      storefronts: [{ storefrontId: 'shop1', apiKey: storefrontKey }],
      localRoutes: {
        [runRecurringPath]: runRecurringRoute(),
        [runReconciliationPath]: runReconciliationRoute(),
      },
    });
  });

  beforeEach(() => {
    lines = [];
    const capture = (chunk: string | Uint8Array) => {
      const text = chunk.toString();
      if (text.startsWith('{')) lines.push(JSON.parse(text) as LogLine);
      return true;
    };
    // Powertools writes INFO to stdout, WARN and ERROR to stderr.
    writes = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
  });

  afterEach(() => {
    for (const write of writes) write.mockRestore();
  });

  afterAll(async () => {
    await local?.close();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  });

  it("names the recurring worker on a recurring charge's lines, not the last API function", async () => {
    // Prepare: a card saved by a JWT sale (logged as jwt-sale), a subscription due today.
    const issued = await send(`${local.sandbox?.url}/rest/v2/mobilejwt/manual`, {
      method: 'POST',
      headers: { 'public-key': 'any', 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: '4111111111111111', 'exp-date': '1228', csc: '999' }),
    });
    const { jwt } = (issued.json() as { payload: { 'mobile-jwt': { jwt: string } } }).payload['mobile-jwt'];
    const sale = await api('/v1/sales/jwt', { amount: '5.00', jwt, customerId: 'cus_1' });
    const { cardId } = sale.json() as { cardId: string };
    const created = await api('/v1/subscriptions', {
      customerId: 'cus_1',
      cardId,
      amount: '19.99',
      interval: 'month',
    });
    expect(created.status).toBe(201);

    // Act
    const run = await send(`${local.apiUrl}${runRecurringPath}`, { method: 'POST' });

    // Assess
    expect(run.json()).toMatchObject({ due: 1, approved: 1 });
    const saleLine = lines.find((line) => line.operation === 'jwtSale');
    const chargeLine = lines.find((line) => line.operation === 'tokenSale');
    expect(saleLine).toMatchObject({ function_name: 'jwt-sale', service: 'payments-local' });
    expect(chargeLine).toMatchObject({
      message: 'gateway call',
      function_name: 'recurring-worker',
      service: 'payments-local',
    });
    expect(chargeLine?.function_request_id).not.toBe(saleLine?.function_request_id);
  });

  it('keeps an API function its own name while a recurring charge runs beside it', async () => {
    // Prepare: a saved card, a subscription due today, and a simulator that answers its sale late.
    const issued = await send(`${local.sandbox?.url}/rest/v2/mobilejwt/manual`, {
      method: 'POST',
      headers: { 'public-key': 'any', 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: '4111111111111111', 'exp-date': '1228', csc: '999' }),
    });
    const { jwt } = (issued.json() as { payload: { 'mobile-jwt': { jwt: string } } }).payload['mobile-jwt'];
    const { cardId } = (await api('/v1/sales/jwt', { amount: '5.00', jwt, customerId: 'cus_2' })).json() as {
      cardId: string;
    };
    await api('/v1/subscriptions', { customerId: 'cus_2', cardId, amount: '7.00', interval: 'month' });
    await send(`${local.sandbox?.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'late', delayMs: 400, times: 1, match: { operation: 'sale' } }),
    });

    // Act: the recurring charge waits on the simulator while a token sale goes through the API.
    const run = send(`${local.apiUrl}${runRecurringPath}`, { method: 'POST' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const sale = await api('/v1/sales/token', { amount: '3.00', customerId: 'cus_2', cardId });
    await run;

    // Assess
    expect(sale.status).toBe(201);
    // Which finishes first depends on the machine's load; each line must name its own function either way.
    const sales = lines.filter((line) => line.operation === 'tokenSale');
    const named = new Map(sales.map((line) => [line.function_name, line.routeKey ?? 'no route']));
    expect(sales).toHaveLength(2);
    expect(named).toEqual(
      new Map([
        ['token-sale', 'POST /v1/sales/token'],
        ['recurring-worker', 'no route'],
      ]),
    );
  });

  it("names the deployed worker on its handler's lines, from the context Lambda gives it", async () => {
    // Prepare: invoked as the Lambda runtime invokes it, after an API function logged in this process.
    const { handler } = await loadFunctionFromSource('recurring-worker');
    const context = lambdaContext('recurring-worker', Date.now() + 60_000, 512);
    const event = {
      Records: [{ messageId: 'm-1', body: 'not a charge', eventSource: 'aws:sqs', attributes: {} }],
    };

    // Act
    await handler(event, context);

    // Assess
    const line = lines.find((candidate) => candidate.message.startsWith('recurring charge not settled'));
    expect(line).toMatchObject({
      function_name: 'recurring-worker',
      function_request_id: context.awsRequestId,
      service: 'payments-local',
    });
  });

  it('gives each handler-less run its own function, however their awaits interleave', async () => {
    // Prepare
    const {
      logger,
    }: typeof import('../../../shared/observability/logger') = require('../../../shared/observability/logger');
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    const run = (name: 'reconciliation' | 'recurring-selector') =>
      asInvocationOf(name, async () => {
        for (let step = 0; step < 3; step += 1) {
          await tick();
          logger.info('step', { operation: name });
        }
      });

    // Act
    await Promise.all([run('reconciliation'), run('recurring-selector'), run('reconciliation')]);

    // Assess
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(line.function_name).toBe(line.operation);
    expect(new Set(lines.map((line) => line.function_request_id)).size).toBe(3);
  });
});
