import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionLoader } from '../../../infra/local/function-loader';
import { localCredentials, localRegion } from '../../../infra/local/local-aws';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import { DynamoStorefrontRepository } from '../../../shared/store/storefronts';
import { send } from './http-client';

const storefrontKey = 'sk_test_shop_key_not_secret';
const storefronts = [{ storefrontId: 'shop1', apiKey: storefrontKey }];

async function readSecret(local: LocalRuntime, name: string): Promise<unknown> {
  const client = new SecretsManagerClient({
    endpoint: local.environment.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    region: localRegion,
    credentials: localCredentials,
  });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: name }));
  client.destroy();
  return JSON.parse(SecretString ?? 'null');
}

async function storefrontOfKey(local: LocalRuntime, apiKey: string): Promise<string | undefined> {
  const client = new DynamoDBClient({
    endpoint: local.environment.AWS_ENDPOINT_URL_DYNAMODB,
    region: localRegion,
    credentials: localCredentials,
  });
  const repository = new DynamoStorefrontRepository(DynamoDBDocumentClient.from(client), 'payments-local');
  const storefrontId = await repository.findByApiKey(apiKey);
  client.destroy();
  return storefrontId;
}

describe('Function: startLocalRuntime, with the real handlers', () => {
  let local: LocalRuntime;

  beforeAll(async () => {
    local = await startLocalRuntime({ port: 0, sandboxPort: 0, dataDir: null, storefronts });
  });

  afterAll(async () => {
    await local.close();
  });

  it('routes /health to its handler', async () => {
    // Act
    const response = await send(`${local.apiUrl}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['apigw-requestid']).toBeDefined();
  });

  it('seeds each storefront with its API key and its Clearent credentials secret', async () => {
    // Act
    const storefrontId = await storefrontOfKey(local, storefrontKey);
    const secret = await readSecret(local, '/payments/local/storefronts/shop1/clearent');

    // Assess
    expect(storefrontId).toBe('shop1');
    expect(secret).toEqual({ apiKey: local.sandbox?.apiKey });
  });

  it('charges a card end to end: simulator JWT, authorizer, sale handler, table and secret', async () => {
    // Prepare
    const issued = await send(`${local.sandbox?.url}/rest/v2/mobilejwt/manual`, {
      method: 'POST',
      headers: { 'public-key': 'any', 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ card: '4111111111111111', 'exp-date': '1228', csc: '999' }),
    });
    const { payload } = issued.json() as { payload: { 'mobile-jwt': { jwt: string } } };

    // Act
    const sale = await send(`${local.apiUrl}/v1/sales/jwt`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${storefrontKey}`,
        'idempotency-key': 'runtime-test-sale-1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ amount: '25.55', jwt: payload['mobile-jwt'].jwt }),
    });

    // Assess
    expect(sale.status).toBe(201);
    expect(sale.json()).toMatchObject({ type: 'sale', status: 'approved', amount: '25.55' });
    const { id } = sale.json() as { id: string };
    const read = await send(`${local.apiUrl}/v1/transactions/${id}`, {
      headers: { authorization: `Bearer ${storefrontKey}` },
    });
    expect(read.status).toBe(200);
    expect(read.json()).toMatchObject({ id, status: 'approved', amount: '25.55' });
  });

  it('answers a wrong storefront key 401 in the contract shape', async () => {
    // Act
    const response = await send(`${local.apiUrl}/v1/transactions`, {
      headers: { authorization: 'Bearer sk_test_wrong_key_not_secret' },
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error: { type: 'authentication_error' } });
  });
});

describe('Function: startLocalRuntime, with fake handlers', () => {
  it('sets the handlers environment before loading them, and restores it when closed', async () => {
    // Prepare
    const seen: NodeJS.ProcessEnv[] = [];
    const loadFunction: FunctionLoader = async () => {
      seen.push({ ...process.env });
      return { handler: async () => ({ statusCode: 200 }) };
    };
    const tableNameBefore = process.env.TABLE_NAME;
    const local = await startLocalRuntime({
      port: 0,
      sandboxPort: 0,
      dataDir: null,
      storefronts,
      loadFunction,
    });

    // Act
    await send(`${local.apiUrl}/health`);
    await local.close();

    // Assess
    expect(seen[0]).toMatchObject({
      TABLE_NAME: 'payments-local',
      CLEARENT_BASE_URL: local.sandbox?.url,
      CLEARENT_SECRET_PREFIX: '/payments/local/storefronts/',
      CURSOR_SECRET_NAME: '/payments/local/cursor-secret',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(process.env.TABLE_NAME).toBe(tableNameBefore);
    await expect(send(`${local.apiUrl}/health`)).rejects.toThrow();
  });

  it('uses the given Clearent gateway and key instead of starting the simulator', async () => {
    // Prepare
    const clearentBaseUrl = 'http://127.0.0.1:9';

    // Act
    const local = await startLocalRuntime({
      port: 0,
      dataDir: null,
      storefronts,
      clearentBaseUrl,
      clearentApiKey: 'test_clearent_api_key_not_secret',
      loadFunction: async () => ({ handler: async () => ({ statusCode: 200 }) }),
    });
    const secret = await readSecret(local, '/payments/local/storefronts/shop1/clearent');
    await local.close();

    // Assess
    expect(local.sandbox).toBeUndefined();
    expect(local.environment.CLEARENT_BASE_URL).toBe(clearentBaseUrl);
    expect(secret).toEqual({ apiKey: 'test_clearent_api_key_not_secret' });
  });

  it('wires the local routes it is given', async () => {
    // Prepare
    const runs: unknown[] = [];
    const local = await startLocalRuntime({
      port: 0,
      sandboxPort: 0,
      dataDir: null,
      storefronts,
      loadFunction: async () => ({ handler: async () => ({ statusCode: 200 }) }),
      localRoutes: {
        '/_local/run-recurring': async (body) => {
          runs.push(body);
          return { statusCode: 200, body: { charged: 0 } };
        },
      },
    });

    // Act
    const response = await send(`${local.apiUrl}/_local/run-recurring`, {
      method: 'POST',
      body: '{"now":"2027-01-01T00:00:00Z"}',
    });
    await local.close();

    // Assess
    expect(response.status).toBe(200);
    expect(runs).toEqual([{ now: '2027-01-01T00:00:00Z' }]);
    expect(local.localRoutePaths).toEqual(['/_local/run-recurring']);
  });
});
