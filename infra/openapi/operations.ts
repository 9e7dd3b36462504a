/**
 * What each route of infra/routes.ts takes and answers, for the OpenAPI document: one entry per route
 * key. The answers every route shares (401, 429, 500, and for a POST or PATCH 409, 413 and 422) are
 * added by the document (./document.ts), so each entry lists only its own.
 */

import { eventListQuerySchema } from '../../shared/http/requests/event';
import { subscriptionListQuerySchema } from '../../shared/http/requests/subscription';
import { transactionListQuerySchema } from '../../shared/http/requests/transaction';
import type * as z from '../../shared/zod';
import type { RequestComponent, ResponseComponent } from './components';

export type Tag =
  | 'Sales'
  | 'Refunds'
  | 'Transactions'
  | 'Cards'
  | 'Subscriptions'
  | 'Webhook endpoints'
  | 'Events'
  | 'Service';

export interface AnswerSpec {
  description: string;
  /** The body's schema; several: one of them (they exclude each other). Absent: no body. */
  body?: ResponseComponent | readonly ResponseComponent[];
  /** Carries `Retry-After`: always, or only with some of its bodies. */
  retryAfter?: 'always' | 'sometimes';
}

export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  /** The JSON body of a POST or PATCH. */
  body?: RequestComponent;
  query?: z.ZodMiniObject;
  answers: Record<number, AnswerSpec>;
}

const invalid = (description: string): AnswerSpec => ({ description, body: 'InvalidRequestError' });
const notFound = (what: string): AnswerSpec =>
  invalid(`No such ${what} for this storefront (another storefront's look exactly the same)`);
const badParameter = invalid('A path or query parameter is malformed');

/** The answers of a route that sends a sale or a refund to the card gateway. */
const chargeAnswers = (resource: string): Record<number, AnswerSpec> => ({
  201: { description: `The approved ${resource}`, body: 'ApprovedTransaction' },
  400: invalid('The request is malformed; nothing was sent to the card gateway'),
  402: {
    description: `The card was declined: the \`declined\` ${resource} is stored and replayed`,
    body: 'CardError',
  },
  502: {
    description: `The card gateway failed and nothing was charged: the \`failed\` ${resource}`,
    body: 'TransactionFailedError',
  },
  504: {
    description:
      `The outcome at the card gateway is not known yet: the \`pending\` ${resource}. Retry with the same ` +
      'Idempotency-Key after `Retry-After` seconds: the retry resolves it first, and it is never charged twice',
    body: 'OutcomeUnknownError',
    retryAfter: 'always',
  },
});

export const operations: Record<string, OperationSpec> = {
  'GET /health': {
    operationId: 'getHealth',
    summary: 'Check that the API is up',
    description: 'No authentication and no dependencies.',
    tag: 'Service',
    answers: { 200: { description: 'The API is up', body: 'Health' } },
  },
  'GET /openapi.json': {
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    description: 'No authentication.',
    tag: 'Service',
    answers: { 200: { description: 'The OpenAPI 3.1 document of this API', body: 'OpenApiDocument' } },
  },
  'POST /v1/sales/jwt': {
    operationId: 'createJwtSale',
    summary: 'Charge a card given as a one-time JWT',
    description:
      "Charges the one-time JWT from Clearent's JavaScript SDK, and saves the card to `customerId` (unless " +
      '`saveCard` is `false`). Our transaction id travels to Clearent as `invoice`, the `orderId` as `order-id`.',
    tag: 'Sales',
    body: 'JwtSaleRequest',
    answers: {
      ...chargeAnswers('sale'),
      201: {
        description: 'The approved sale; `cardId` is set when the card was saved',
        body: 'ApprovedTransaction',
      },
      400: {
        description:
          'The request is malformed, or the card gateway refused the JWT (`invalid_jwt`, with the `failed` ' +
          'sale: nothing was charged; send a fresh JWT under a new Idempotency-Key)',
        body: ['InvalidRequestError', 'InvalidJwtError'],
      },
    },
  },
  'POST /v1/sales/token': {
    operationId: 'createTokenSale',
    summary: "Charge a customer's saved card",
    tag: 'Sales',
    body: 'TokenSaleRequest',
    answers: { ...chargeAnswers('sale'), 404: notFound('card of this customer') },
  },
  'POST /v1/refunds': {
    operationId: 'createRefund',
    summary: 'Refund all or part of an approved sale',
    description: 'The approved refunds of a sale never add up to more than the sale, however many race.',
    tag: 'Refunds',
    body: 'RefundRequest',
    answers: {
      ...chargeAnswers('refund'),
      404: notFound('sale'),
      422: {
        description:
          'More than remains unrefunded (`amount_exceeds_refundable`), a sale that is not `approved` ' +
          '(`sale_not_refundable`), or an Idempotency-Key used for another request',
        body: ['InvalidRequestError', 'IdempotencyError'],
      },
    },
  },
  'GET /v1/transactions': {
    operationId: 'listTransactions',
    summary: 'List transactions, newest first',
    tag: 'Transactions',
    query: transactionListQuerySchema(),
    answers: {
      200: { description: 'A page of transactions', body: 'TransactionList' },
      400: invalid('A query parameter is malformed, or the cursor is not one this list handed out'),
    },
  },
  'GET /v1/transactions/{transactionId}': {
    operationId: 'getTransaction',
    summary: 'Get a transaction',
    tag: 'Transactions',
    answers: {
      200: { description: 'The transaction', body: 'Transaction' },
      400: badParameter,
      404: notFound('transaction'),
    },
  },
  'GET /v1/customers/{customerId}/cards': {
    operationId: 'listCards',
    summary: "List a customer's saved cards",
    tag: 'Cards',
    answers: {
      200: { description: "The customer's active cards", body: 'CardList' },
      400: badParameter,
    },
  },
  'DELETE /v1/customers/{customerId}/cards/{cardId}': {
    operationId: 'deleteCard',
    summary: 'Delete a saved card',
    description:
      'The token is deleted at Clearent too; later charges to the card get `404`. Subscriptions on it are not ' +
      'changed by the delete: their next charge fails as `card_removed`, which makes them `unpaid` until a new ' +
      'card is set.',
    tag: 'Cards',
    answers: {
      204: { description: 'Deleted' },
      400: badParameter,
      404: notFound('card of this customer'),
      502: {
        description: 'The card gateway could not delete the token; nothing changed, retry',
        body: 'GatewayError',
      },
      504: {
        description: 'The card gateway did not answer in time; nothing changed here, retry',
        body: 'GatewayError',
      },
    },
  },
  'POST /v1/subscriptions': {
    operationId: 'createSubscription',
    summary: 'Create a subscription',
    description:
      'Charges nothing: the first scheduled run at or after `startDate` 00:00 UTC makes the first charge, ' +
      'through the saved card.',
    tag: 'Subscriptions',
    body: 'CreateSubscriptionRequest',
    answers: {
      201: { description: 'The new subscription', body: 'Subscription' },
      400: invalid('The request is malformed'),
      404: notFound('card of this customer'),
    },
  },
  'GET /v1/subscriptions': {
    operationId: 'listSubscriptions',
    summary: 'List subscriptions, newest first',
    tag: 'Subscriptions',
    query: subscriptionListQuerySchema(),
    answers: {
      200: { description: 'A page of subscriptions', body: 'SubscriptionList' },
      400: invalid('A query parameter is malformed, or the cursor is not one this list handed out'),
    },
  },
  'GET /v1/subscriptions/{subscriptionId}': {
    operationId: 'getSubscription',
    summary: 'Get a subscription',
    tag: 'Subscriptions',
    answers: {
      200: { description: 'The subscription', body: 'Subscription' },
      400: badParameter,
      404: notFound('subscription'),
    },
  },
  'PATCH /v1/subscriptions/{subscriptionId}': {
    operationId: 'updateSubscription',
    summary: "Change a subscription's card, amount or description",
    description:
      'A new amount applies from the next charge. A new card on a `past_due` or `unpaid` subscription makes ' +
      'it due at once (`past_due` until that charge succeeds, failures counted afresh).',
    tag: 'Subscriptions',
    body: 'UpdateSubscriptionRequest',
    answers: {
      200: { description: 'The changed subscription', body: 'Subscription' },
      400: invalid('The request is malformed'),
      404: notFound('subscription, or card of its customer'),
      422: {
        description:
          'The subscription is canceled (`subscription_canceled`), or the Idempotency-Key was used for another request',
        body: ['InvalidRequestError', 'IdempotencyError'],
      },
    },
  },
  'DELETE /v1/subscriptions/{subscriptionId}': {
    operationId: 'cancelSubscription',
    summary: 'Cancel a subscription',
    description: 'Nothing is charged after this. Canceling a canceled subscription answers it unchanged.',
    tag: 'Subscriptions',
    answers: {
      200: { description: 'The canceled subscription', body: 'Subscription' },
      400: badParameter,
      404: notFound('subscription'),
    },
  },
  'POST /v1/webhook-endpoints': {
    operationId: 'createWebhookEndpoint',
    summary: 'Register a webhook endpoint',
    description:
      'Every event of the types it asks for is delivered to it, signed as Standard Webhooks v1 with the ' +
      '`secret` of the answer (see `webhooks`).',
    tag: 'Webhook endpoints',
    body: 'CreateWebhookEndpointRequest',
    answers: {
      201: {
        description: 'The new endpoint, with its secret (shown only here)',
        body: 'WebhookEndpointWithSecret',
      },
      400: invalid('The request is malformed, or the URL may not receive events'),
    },
  },
  'GET /v1/webhook-endpoints': {
    operationId: 'listWebhookEndpoints',
    summary: 'List webhook endpoints',
    tag: 'Webhook endpoints',
    answers: { 200: { description: 'Every endpoint, without secrets', body: 'WebhookEndpointList' } },
  },
  'DELETE /v1/webhook-endpoints/{endpointId}': {
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
    description: 'Nothing more is delivered to it.',
    tag: 'Webhook endpoints',
    answers: {
      204: { description: 'Deleted' },
      400: badParameter,
      404: notFound('webhook endpoint'),
    },
  },
  'GET /v1/events': {
    operationId: 'listEvents',
    summary: 'List events of the last 30 days, newest first',
    tag: 'Events',
    query: eventListQuerySchema(),
    answers: {
      200: { description: 'A page of events', body: 'EventList' },
      400: invalid('A query parameter is malformed, or the cursor is not one this list handed out'),
    },
  },
  'GET /v1/events/{eventId}': {
    operationId: 'getEvent',
    summary: 'Get an event',
    tag: 'Events',
    answers: {
      200: { description: 'The event', body: 'Event' },
      400: badParameter,
      404: notFound('event'),
    },
  },
};
