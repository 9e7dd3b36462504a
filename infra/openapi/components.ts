/**
 * The schemas the OpenAPI document names (`#/components/schemas/<name>`), converted from the zod schemas
 * that validate the requests and shape the answers, with zod's own JSON Schema output (draft 2020-12, the
 * dialect of OpenAPI 3.1). Requests are converted as zod reads them (`io: input`: a transformed field is
 * shown as what the caller sends); answers as the mappers write them (`io: output`).
 */

import { maxAmount } from '../../shared/config';
import type { EventType } from '../../shared/events/event';
import {
  createSubscriptionRequestSchema,
  updateSubscriptionRequestSchema,
} from '../../shared/http/requests/subscription';
import {
  jwtSaleRequestSchema,
  refundRequestSchema,
  tokenSaleRequestSchema,
} from '../../shared/http/requests/transaction';
import { createWebhookEndpointRequestSchema } from '../../shared/http/requests/webhook-endpoint';
import { cardListSchema, cardSchema } from '../../shared/http/schemas/card';
import {
  apiErrorSchema,
  apiGatewayMessageSchema,
  authenticationErrorSchema,
  cardErrorSchema,
  gatewayErrorSchema,
  idempotencyErrorSchema,
  invalidJwtErrorSchema,
  invalidRequestErrorSchema,
  outcomeUnknownErrorSchema,
  rateLimitErrorSchema,
  transactionFailedErrorSchema,
} from '../../shared/http/schemas/error';
import { eventListSchema, eventSchema, eventSchemas } from '../../shared/http/schemas/event';
import { healthSchema, openApiDocumentSchema } from '../../shared/http/schemas/health';
import {
  subscriptionFailureSchema,
  subscriptionListSchema,
  subscriptionSchema,
} from '../../shared/http/schemas/subscription';
import {
  cardSummarySchema,
  gatewayReferenceSchema,
  transactionInStatus,
  transactionListSchema,
  transactionSchema,
} from '../../shared/http/schemas/transaction';
import {
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from '../../shared/http/schemas/webhook-endpoint';
import * as z from '../../shared/zod';

export type JsonSchema = Record<string, unknown>;

/** `sale.approved` → `SaleApprovedEvent`. */
export const eventComponentName = (type: EventType): `${string}Event` =>
  `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Event`;

export const responseComponents = {
  Transaction: transactionSchema,
  ApprovedTransaction: transactionInStatus('approved'),
  CardSummary: cardSummarySchema,
  GatewayReference: gatewayReferenceSchema,
  TransactionList: transactionListSchema,
  Card: cardSchema,
  CardList: cardListSchema,
  Subscription: subscriptionSchema,
  SubscriptionFailure: subscriptionFailureSchema,
  SubscriptionList: subscriptionListSchema,
  WebhookEndpoint: webhookEndpointSchema,
  WebhookEndpointWithSecret: webhookEndpointWithSecretSchema,
  WebhookEndpointList: webhookEndpointListSchema,
  Event: eventSchema,
  EventList: eventListSchema,
  Health: healthSchema,
  OpenApiDocument: openApiDocumentSchema,
  InvalidRequestError: invalidRequestErrorSchema,
  InvalidJwtError: invalidJwtErrorSchema,
  AuthenticationError: authenticationErrorSchema,
  IdempotencyError: idempotencyErrorSchema,
  CardError: cardErrorSchema,
  GatewayError: gatewayErrorSchema,
  TransactionFailedError: transactionFailedErrorSchema,
  OutcomeUnknownError: outcomeUnknownErrorSchema,
  RateLimitError: rateLimitErrorSchema,
  ApiError: apiErrorSchema,
  ApiGatewayMessage: apiGatewayMessageSchema,
} satisfies Record<string, z.ZodMiniType>;

/**
 * The request bodies, built as the handlers build them. The amount limit and the URL policy only show in
 * what zod refuses, never in the JSON Schema, so the document does not depend on the configuration.
 */
export const requestComponents = {
  JwtSaleRequest: jwtSaleRequestSchema(maxAmount()),
  TokenSaleRequest: tokenSaleRequestSchema(maxAmount()),
  RefundRequest: refundRequestSchema(maxAmount()),
  CreateSubscriptionRequest: createSubscriptionRequestSchema(maxAmount()),
  UpdateSubscriptionRequest: updateSubscriptionRequestSchema(maxAmount()),
  CreateWebhookEndpointRequest: createWebhookEndpointRequestSchema({ allowLoopback: false }),
} satisfies Record<string, z.ZodMiniType>;

export type ResponseComponent = keyof typeof responseComponents | `${string}Event`;
export type RequestComponent = keyof typeof requestComponents;

/** Where a component is referred to from anywhere in the document. */
export const schemaRef = (name: ResponseComponent | RequestComponent): JsonSchema => ({
  $ref: `#/components/schemas/${name}`,
});

const baseOptions = {
  target: 'draft-2020-12',
  unrepresentable: 'throw',
  // zod writes out the regex it checks ISO times with (400 characters); `format: date-time` says it.
  override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  },
} as const;

/** A request parameter's zod schema as JSON Schema, inline (it names no component). */
export function parameterSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    ...baseOptions,
    io: 'input',
  }) as JsonSchema;
  return json;
}

function convert(
  components: Record<string, z.ZodMiniType>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    ...baseOptions,
    io,
    uri: (id) => `#/components/schemas/${id}`,
  });
  if ('__shared' in schemas)
    throw new Error('a schema is shared between components without a name of its own');
  // Each is a part of the document, not a document of its own: no dialect or id of its own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...json }]) => [id, json as JsonSchema]),
  );
}

/** `#/components/schemas`: every answer's and every request body's schema, by name. */
export function componentSchemas(): Record<string, JsonSchema> {
  const responses: Record<string, z.ZodMiniType> = { ...responseComponents };
  for (const [type, schema] of Object.entries(eventSchemas)) {
    responses[eventComponentName(type as EventType)] = schema;
  }
  return { ...convert(responses, 'output'), ...convert(requestComponents, 'input') };
}
