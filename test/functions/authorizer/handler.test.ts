import { send } from '../../infra/local/http-client';
import { checkAnswer } from '../../support/openapi-check';
import { type ErrorAnswer, gatewayRequestTotal, shopA, shopB, startApi, type TestApi } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MISSING = {
  error: {
    type: 'authentication_error',
    code: 'missing_api_key',
    message: 'Send your API key as "Authorization: Bearer <key>"',
  },
};
const INVALID = {
  error: { type: 'authentication_error', code: 'invalid_api_key', message: 'The API key is not valid' },
};

/** Every /v1 route, with a body that would otherwise be valid enough to reach the gateway. */
const routes: [method: string, path: string][] = [
  ['POST', '/v1/sales/jwt'],
  ['POST', '/v1/sales/token'],
  ['POST', '/v1/refunds'],
  ['GET', '/v1/transactions'],
  ['GET', '/v1/transactions/txn_1'],
  ['GET', '/v1/customers/cus_1/cards'],
  ['DELETE', '/v1/customers/cus_1/cards/card_1'],
];

async function callWith(method: string, path: string, authorization: string | undefined) {
  const body = method === 'POST' ? JSON.stringify({ amount: '1.00', jwt: api.jwt() }) : undefined;
  const response = await send(`${api.runtime.apiUrl}${path}`, {
    method,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      'idempotency-key': 'auth-test',
      'content-type': 'application/json',
    },
    body,
  });
  checkAnswer(method, path, response);
  return response;
}

describe('Function: authorizer handler', () => {
  it.each(routes)('answers %s %s without a key 401 missing_api_key', async (method, path) => {
    // Act
    const response = await callWith(method, path, undefined);

    // Assess
    expect(response.status).toBe(401);
    expect(response.json()).toEqual(MISSING);
  });

  it.each(routes)('answers %s %s with a wrong key 401 invalid_api_key', async (method, path) => {
    // Act
    const response = await callWith(method, path, 'Bearer sk_test_wrong_key_not_secret');

    // Assess
    expect(response.status).toBe(401);
    expect(response.json()).toEqual(INVALID);
  });

  it.each([
    ['a Basic credential', `Basic ${shopA.apiKey}`],
    ['the key without the Bearer scheme', shopA.apiKey],
    ['an empty Bearer', 'Bearer '],
    ['a key too short to be one', 'Bearer sk_1'],
  ])('answers %s 401 missing_api_key', async (_case, authorization) => {
    // Act
    const response = await callWith('GET', '/v1/transactions', authorization);

    // Assess
    expect(response.status).toBe(401);
    expect(response.json()).toEqual(MISSING);
  });

  it('reaches neither the gateway nor the table when the key is refused', async () => {
    // Prepare
    const requestsBefore = gatewayRequestTotal(api.sandbox);
    const itemsBefore = await api.store.itemCount();

    // Act
    const response = await callWith('POST', '/v1/sales/jwt', 'Bearer sk_test_wrong_key_not_secret');

    // Assess
    expect(response.status).toBe(401);
    expect(gatewayRequestTotal(api.sandbox)).toBe(requestsBefore);
    expect(await api.store.itemCount()).toBe(itemsBefore);
  });

  it('accepts each storefront its own keys, and refuses a revoked key', async () => {
    // Prepare
    const extraKey = 'sk_test_shop_b_second_key_not_secret';
    const entry = await api.store.storefronts.addApiKey(shopB.storefrontId, extraKey);
    const accepted = await api.get('/v1/transactions', { apiKey: extraKey });
    await api.store.storefronts.revokeApiKey(shopB.storefrontId, entry.keyId);

    // Act
    const refused = await api.get('/v1/transactions', { apiKey: extraKey });
    const stillValid = await api.get('/v1/transactions', { apiKey: shopB.apiKey });

    // Assess
    expect(accepted.status).toBe(200);
    expect(refused.status).toBe(401);
    expect(refused.json<ErrorAnswer>()).toEqual(INVALID);
    expect(stillValid.status).toBe(200);
  });
});
