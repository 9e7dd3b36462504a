/**
 * The one list of the API's routes, read by the CDK stack (API Gateway) and by the local runtime,
 * so that both route the same requests to the same handlers.
 */

/** Every Lambda function, named as its folder under `functions/`. */
export const functionNames = [
  'authorizer',
  'health',
  'jwt-sale',
  'token-sale',
  'refund',
  'transactions',
  'cards',
  'subscriptions',
  'recurring-selector',
  'recurring-worker',
  'reconciliation',
  'events',
  'webhook-endpoints',
  'events-relay',
  'webhook-sweep',
  'webhook-delivery',
] as const;

export type FunctionName = (typeof functionNames)[number];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  method: HttpMethod;
  /** API Gateway syntax: `{name}` is a path parameter. */
  path: string;
  functionName: FunctionName;
  /** Behind the storefront authorizer. */
  authorized: boolean;
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'GET', path: '/health', functionName: 'health', authorized: false },
  // The OpenAPI document (docs/openapi.json), served by the same dependency-free function as /health.
  { method: 'GET', path: '/openapi.json', functionName: 'health', authorized: false },
  { method: 'POST', path: '/v1/sales/jwt', functionName: 'jwt-sale', authorized: true },
  { method: 'POST', path: '/v1/sales/token', functionName: 'token-sale', authorized: true },
  { method: 'POST', path: '/v1/refunds', functionName: 'refund', authorized: true },
  { method: 'GET', path: '/v1/transactions', functionName: 'transactions', authorized: true },
  { method: 'GET', path: '/v1/transactions/{transactionId}', functionName: 'transactions', authorized: true },
  { method: 'GET', path: '/v1/customers/{customerId}/cards', functionName: 'cards', authorized: true },
  {
    method: 'DELETE',
    path: '/v1/customers/{customerId}/cards/{cardId}',
    functionName: 'cards',
    authorized: true,
  },
  { method: 'POST', path: '/v1/subscriptions', functionName: 'subscriptions', authorized: true },
  { method: 'GET', path: '/v1/subscriptions', functionName: 'subscriptions', authorized: true },
  {
    method: 'GET',
    path: '/v1/subscriptions/{subscriptionId}',
    functionName: 'subscriptions',
    authorized: true,
  },
  {
    method: 'PATCH',
    path: '/v1/subscriptions/{subscriptionId}',
    functionName: 'subscriptions',
    authorized: true,
  },
  {
    method: 'DELETE',
    path: '/v1/subscriptions/{subscriptionId}',
    functionName: 'subscriptions',
    authorized: true,
  },
  { method: 'POST', path: '/v1/webhook-endpoints', functionName: 'webhook-endpoints', authorized: true },
  { method: 'GET', path: '/v1/webhook-endpoints', functionName: 'webhook-endpoints', authorized: true },
  {
    method: 'DELETE',
    path: '/v1/webhook-endpoints/{endpointId}',
    functionName: 'webhook-endpoints',
    authorized: true,
  },
  { method: 'GET', path: '/v1/events', functionName: 'events', authorized: true },
  { method: 'GET', path: '/v1/events/{eventId}', functionName: 'events', authorized: true },
];
