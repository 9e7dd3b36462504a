import type { Context } from 'aws-lambda';
import { type ApiServer, startApiServer } from '../../../infra/local/api-gateway';
import { allowTestKey, created, fakeFunctions, storefrontKey } from './fake-functions';
import { send } from './http-client';

describe('Function: startApiServer, answers', () => {
  let api: ApiServer | undefined;

  async function start(options: Parameters<typeof startApiServer>[0]): Promise<ApiServer> {
    api = await startApiServer(options);
    return api;
  }

  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  it('answers 500 Internal Server Error, with nothing of the error, when the function throws', async () => {
    // Prepare
    const logged: string[] = [];
    const { url } = await start({
      log: (line) => logged.push(line),
      loadFunction: fakeFunctions({
        health: async () => {
          throw new Error('boom');
        },
      }),
    });

    // Act
    const response = await send(`${url}/health`);

    // Assess
    expect(response.status).toBe(500);
    expect(response.text).toBe('{"message":"Internal Server Error"}');
    expect(logged.some((line) => line.startsWith('health failed: Error: boom'))).toBe(true);
  });

  it('answers 500 when the function runs past its timeout, and gives it a context counting down from it', async () => {
    // Prepare
    let remainingAtStart = -1;
    let release: () => void = () => {};
    const { url } = await start({
      lambdaTimeoutMs: 50,
      loadFunction: fakeFunctions({
        health: async (_event: unknown, context: Context) => {
          remainingAtStart = context.getRemainingTimeInMillis();
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          return { statusCode: 200 };
        },
      }),
    });

    // Act
    const response = await send(`${url}/health`);
    release();

    // Assess
    expect(response.status).toBe(500);
    expect(remainingAtStart).toBeGreaterThan(0);
    expect(remainingAtStart).toBeLessThanOrEqual(50);
  });

  it('answers 200 JSON for a result without statusCode, as payload 2.0 infers', async () => {
    // Prepare
    const { url } = await start({ loadFunction: fakeFunctions({ health: async () => ({ status: 'ok' }) }) });

    // Act
    const response = await send(`${url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers a string result as its body', async () => {
    // Prepare
    const { url } = await start({ loadFunction: fakeFunctions({ health: async () => 'up' }) });

    // Act
    const response = await send(`${url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.text).toBe('up');
  });

  it('sends a structured result as given: headers, cookies and a base64 body decoded', async () => {
    // Prepare
    const { url } = await start({
      loadFunction: fakeFunctions({
        health: async () => ({
          statusCode: 202,
          headers: { 'Idempotent-Replayed': true, 'content-type': 'text/plain' },
          cookies: ['a=1', 'b=2'],
          body: Buffer.from('accepted').toString('base64'),
          isBase64Encoded: true,
        }),
      }),
    });

    // Act
    const response = await send(`${url}/health`);

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers['idempotent-replayed']).toBe('true');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.text).toBe('accepted');
  });

  it('answers 500 for a structured result API Gateway cannot send', async () => {
    // Prepare
    const { url } = await start({
      loadFunction: fakeFunctions({ health: async () => ({ statusCode: '200' }) }),
    });

    // Act
    const response = await send(`${url}/health`);

    // Assess
    expect(response.status).toBe(500);
  });

  it('answers 413 for a body over the payload limit, without calling the function', async () => {
    // Prepare
    const saleCalls: unknown[] = [];
    const { url } = await start({
      maxRequestBodyBytes: 1024,
      loadFunction: fakeFunctions({
        authorizer: allowTestKey,
        'jwt-sale': async (event: unknown) => {
          saleCalls.push(event);
          return created();
        },
      }),
    });

    // Act
    const response = await send(`${url}/v1/sales/jwt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${storefrontKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'x'.repeat(2048) }),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(saleCalls).toHaveLength(0);
  });

  it('lets a request in flight finish when closed', async () => {
    // Prepare
    let release: () => void = () => {};
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const server = await startApiServer({
      loadFunction: fakeFunctions({
        health: async () => {
          started();
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          return { statusCode: 200, body: 'finished' };
        },
      }),
    });
    const responding = send(`${server.url}/health`);
    await handlerStarted;

    // Act
    const closing = server.close();
    release();

    // Assess
    const response = await responding;
    await closing;
    expect(response.status).toBe(200);
    expect(response.text).toBe('finished');
    await expect(send(`${server.url}/health`)).rejects.toThrow();
  });
});
