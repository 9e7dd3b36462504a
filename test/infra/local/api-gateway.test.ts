import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { type ApiServer, startApiServer } from '../../../infra/local/api-gateway';
import type { ProxyEventV2 } from '../../../infra/local/http-api-event';
import { allowTestKey, created, fakeFunctions, storefrontKey } from './fake-functions';
import { send } from './http-client';

describe('Function: startApiServer, requests', () => {
  let api: ApiServer | undefined;

  async function start(options: Parameters<typeof startApiServer>[0]): Promise<ApiServer> {
    api = await startApiServer(options);
    return api;
  }

  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  it('gives the function a payload 2.0 event as API Gateway builds it', async () => {
    // Prepare
    const received: ProxyEventV2[] = [];
    const { url } = await start({
      loadFunction: fakeFunctions({
        authorizer: allowTestKey,
        'jwt-sale': async (event: ProxyEventV2) => {
          received.push(event);
          return created();
        },
      }),
    });

    // Act
    const response = await send(`${url}/v1/sales/jwt?trace=a&trace=b&note=two%20words`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${storefrontKey}`,
        'Idempotency-Key': 'order-1001',
        'Content-Type': 'application/json',
        'X-Repeated': ['first', 'second'],
        Cookie: 'session=abc; theme=dark',
        'User-Agent': 'storefront-backend/1.0',
      },
      body: '{"amount":"25.55","jwt":"test_jwt_not_secret"}',
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.json()).toEqual({ id: 'txn_1' });
    const [event] = received;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/sales/jwt',
      rawPath: '/v1/sales/jwt',
      rawQueryString: 'trace=a&trace=b&note=two%20words',
      queryStringParameters: { trace: 'a,b', note: 'two words' },
      cookies: ['session=abc', 'theme=dark'],
      body: '{"amount":"25.55","jwt":"test_jwt_not_secret"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        routeKey: 'POST /v1/sales/jwt',
        stage: '$default',
        requestId: response.headers['apigw-requestid'],
        http: {
          method: 'POST',
          path: '/v1/sales/jwt',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'storefront-backend/1.0',
        },
        authorizer: { lambda: { storefrontId: 'demo' } },
      },
    });
    expect(event?.headers).toMatchObject({
      authorization: `Bearer ${storefrontKey}`,
      'idempotency-key': 'order-1001',
      'content-type': 'application/json',
      'x-repeated': 'first,second',
      'x-forwarded-for': '127.0.0.1',
    });
    expect(event?.headers.cookie).toBeUndefined();
    expect(event?.pathParameters).toBeUndefined();
    expect(event?.requestContext.time).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('decodes path parameters and names the templated route', async () => {
    // Prepare
    const received: ProxyEventV2[] = [];
    const { url } = await start({
      loadFunction: fakeFunctions({
        authorizer: allowTestKey,
        cards: async (event: ProxyEventV2) => {
          received.push(event);
          return { statusCode: 204 };
        },
      }),
    });

    // Act
    const response = await send(`${url}/v1/customers/cus%2042/cards/card_7`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${storefrontKey}` },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(received[0]?.routeKey).toBe('DELETE /v1/customers/{customerId}/cards/{cardId}');
    expect(received[0]?.pathParameters).toEqual({ customerId: 'cus 42', cardId: 'card_7' });
    expect(received[0]?.rawPath).toBe('/v1/customers/cus%2042/cards/card_7');
    expect(received[0]?.body).toBeUndefined();
  });

  it('passes a body that is not text base64-encoded, as API Gateway does', async () => {
    // Prepare
    const received: ProxyEventV2[] = [];
    const { url } = await start({
      loadFunction: fakeFunctions({
        authorizer: allowTestKey,
        refund: async (event: ProxyEventV2) => {
          received.push(event);
          return created();
        },
      }),
    });

    // Act
    await send(`${url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${storefrontKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '{"transactionId":"txn_1"}',
    });

    // Assess
    expect(received[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(received[0]?.body ?? '', 'base64').toString('utf8')).toBe('{"transactionId":"txn_1"}');
  });

  it('gives the authorizer a REQUEST event with the headers and no identity source', async () => {
    // Prepare
    const received: APIGatewayRequestAuthorizerEventV2[] = [];
    const { url } = await start({
      loadFunction: fakeFunctions({
        authorizer: async (event: APIGatewayRequestAuthorizerEventV2) => {
          received.push(event);
          return allowTestKey(event);
        },
        transactions: async () => ({ statusCode: 200, body: '{}' }),
      }),
    });

    // Act
    await send(`${url}/v1/transactions/txn_1`, { headers: { authorization: `Bearer ${storefrontKey}` } });

    // Assess
    expect(received[0]).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeKey: 'GET /v1/transactions/{transactionId}',
      routeArn: 'arn:aws:execute-api:us-east-1:000000000000:localapi01/$default/GET/v1/transactions/txn_1',
      identitySource: [],
      headers: expect.objectContaining({ authorization: `Bearer ${storefrontKey}` }),
      pathParameters: { transactionId: 'txn_1' },
    });
    expect(received[0]).not.toHaveProperty('body');
  });

  it('answers 403 Forbidden, without calling the function, when the authorizer denies', async () => {
    // Prepare
    const saleCalls: unknown[] = [];
    const { url } = await start({
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
      headers: { authorization: 'Bearer wrong_key_not_secret' },
    });

    // Assess
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({ message: 'Forbidden' });
    expect(saleCalls).toHaveLength(0);
  });

  it('answers 401 Unauthorized, without calling the authorizer, when the header is a required identity source', async () => {
    // Prepare
    const authorizerCalls: unknown[] = [];
    const { url } = await start({
      authorizationHeaderRequired: true,
      loadFunction: fakeFunctions({
        authorizer: async (event: APIGatewayRequestAuthorizerEventV2) => {
          authorizerCalls.push(event);
          return allowTestKey(event);
        },
        'jwt-sale': created,
      }),
    });

    // Act
    const response = await send(`${url}/v1/sales/jwt`, { method: 'POST', body: '{}' });

    // Assess
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ message: 'Unauthorized' });
    expect(authorizerCalls).toHaveLength(0);
  });

  it('answers 500 when the authorizer fails', async () => {
    // Prepare
    const { url } = await start({
      loadFunction: fakeFunctions({
        authorizer: async () => {
          throw new Error('table unreachable');
        },
        'jwt-sale': created,
      }),
    });

    // Act
    const response = await send(`${url}/v1/sales/jwt`, {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
    });

    // Assess
    expect(response.status).toBe(500);
    expect(response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it.each([
    ['an unknown path', 'GET', '/v1/unknown'],
    ['a known path with another method', 'PUT', '/v1/refunds'],
    ['a trailing slash', 'GET', '/health/'],
    ['an empty path parameter', 'GET', '/v1/transactions/'],
  ])('answers 404 Not Found for %s', async (_case, method, path) => {
    // Prepare
    const { url } = await start({
      loadFunction: fakeFunctions({ health: created, refund: created, transactions: created }),
    });

    // Act
    const response = await send(`${url}${path}`, { method });

    // Assess
    expect(response.status).toBe(404);
    expect(response.json()).toEqual({ message: 'Not Found' });
  });
});
