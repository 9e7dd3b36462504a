import { type ApiServer, startApiServer } from '../../../infra/local/api-gateway';
import { type LocalRoutes, runReconciliationPath, runRecurringPath } from '../../../infra/local/local-routes';
import { fakeFunctions } from './fake-functions';
import { send } from './http-client';

describe('Function: startApiServer, local routes', () => {
  let api: ApiServer | undefined;

  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('runs a wired local route with the parsed body, without authorization', async () => {
    // Prepare
    const bodies: unknown[] = [];
    const localRoutes: LocalRoutes = {
      '/_local/run-recurring': async (body) => {
        bodies.push(body);
        return { statusCode: 200, body: { charged: 2 } };
      },
    };
    api = await startApiServer({ loadFunction: fakeFunctions({}), localRoutes });

    // Act
    const withTime = await send(`${api.url}/_local/run-recurring`, {
      method: 'POST',
      body: '{"now":"2026-12-24T00:00:00.000Z"}',
    });
    const withoutBody = await send(`${api.url}/_local/run-recurring`, { method: 'POST' });

    // Assess
    expect(withTime.status).toBe(200);
    expect(withTime.json()).toEqual({ charged: 2 });
    expect(withoutBody.status).toBe(200);
    expect(bodies).toEqual([{ now: '2026-12-24T00:00:00.000Z' }, undefined]);
  });

  it('runs each wired route by its exact path: run-recurring and run-reconciliation', async () => {
    // Prepare
    const ran: string[] = [];
    const localRoutes: LocalRoutes = {
      [runRecurringPath]: async () => {
        ran.push('recurring');
        return { statusCode: 200, body: { due: 0 } };
      },
      [runReconciliationPath]: async (body) => {
        ran.push(`reconciliation ${JSON.stringify(body)}`);
        return { statusCode: 200, body: { examined: 0 } };
      },
    };
    api = await startApiServer({ loadFunction: fakeFunctions({}), localRoutes });

    // Act
    const reconciliation = await send(`${api.url}/_local/run-reconciliation`, {
      method: 'POST',
      body: '{"now":"2026-12-24T00:05:00.000Z"}',
    });
    const recurring = await send(`${api.url}/_local/run-recurring`, { method: 'POST' });
    const prefixOnly = await send(`${api.url}/_local/run-reconciliation/extra`, { method: 'POST' });

    // Assess
    expect(reconciliation.status).toBe(200);
    expect(reconciliation.json()).toEqual({ examined: 0 });
    expect(recurring.status).toBe(200);
    expect(recurring.json()).toEqual({ due: 0 });
    expect(prefixOnly.status).toBe(404);
    expect(ran).toEqual(['reconciliation {"now":"2026-12-24T00:05:00.000Z"}', 'recurring']);
  });

  it('answers 400 for a body that is not JSON', async () => {
    // Prepare
    api = await startApiServer({
      loadFunction: fakeFunctions({}),
      localRoutes: { '/_local/run-recurring': async () => ({ statusCode: 200 }) },
    });

    // Act
    const response = await send(`${api.url}/_local/run-recurring`, { method: 'POST', body: 'now=tomorrow' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('answers 404 when the local route is not wired', async () => {
    // Prepare
    api = await startApiServer({ loadFunction: fakeFunctions({}) });

    // Act
    const response = await send(`${api.url}/_local/run-recurring`, { method: 'POST' });

    // Assess
    expect(response.status).toBe(404);
  });
});
