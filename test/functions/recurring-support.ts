/**
 * The local runtime (real handlers, embedded DynamoDB, simulator) with one storefront, and the calls the
 * subscription and recurring function tests share: a card saved by a sale, a subscription on it.
 */
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { send, type TestResponse } from '../infra/local/http-client';
import { checkAnswer } from '../support/openapi-check';

export const storefrontKey = 'sk_test_subscriptions_key_not_secret';
export const otherStorefrontKey = 'sk_test_other_shop_key_not_secret';

export function startRuntime(): Promise<LocalRuntime> {
  return startLocalRuntime({
    port: 0,
    sandboxPort: 0,
    dataDir: null,
    storefronts: [
      { storefrontId: 'shop1', apiKey: storefrontKey },
      { storefrontId: 'shop2', apiKey: otherStorefrontKey },
    ],
  });
}

export interface ApiCall {
  method?: string;
  body?: unknown;
  /** The Idempotency-Key header. */
  key?: string;
  apiKey?: string;
}

/** Sends a request to the API; its answer must be one the OpenAPI document describes. */
export async function callApi(local: LocalRuntime, path: string, call: ApiCall = {}): Promise<TestResponse> {
  const method = call.method ?? 'GET';
  const response = await send(`${local.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${call.apiKey ?? storefrontKey}`,
      'content-type': 'application/json',
      ...(call.key ? { 'idempotency-key': call.key } : {}),
    },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  checkAnswer(method, path, response);
  return response;
}

/** Saves the simulator's test card to `customerId` with a $5.00 JWT sale; returns its card id. */
export async function saveCard(local: LocalRuntime, customerId: string): Promise<string> {
  const issued = await send(`${local.sandbox?.url}/rest/v2/mobilejwt/manual`, {
    method: 'POST',
    headers: { 'public-key': 'any', 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ card: '4111111111111111', 'exp-date': '1228', csc: '999' }),
  });
  const { payload } = issued.json() as { payload: { 'mobile-jwt': { jwt: string } } };
  const sale = await callApi(local, '/v1/sales/jwt', {
    method: 'POST',
    key: `card-for-${customerId}`,
    body: { amount: '5.00', jwt: payload['mobile-jwt'].jwt, customerId },
  });
  if (sale.status !== 201) throw new Error(`saving a card failed: ${sale.status} ${sale.text}`);
  return (sale.json() as { cardId: string }).cardId;
}
