/**
 * The Subscription resource (contract: Resources > Subscription, with `lastFailure`). Runtime code
 * imports it with `import type` only (it is built here, at import, for the OpenAPI document and the
 * tests); the requests that create, change and list subscriptions are in ../requests/subscription.ts.
 */
import { intervals } from '../../subscriptions/schedule';
import { subscriptionStatuses } from '../../subscriptions/subscription';
import * as z from '../../zod';
import { cardIdSchema, customerIdSchema, subscriptionIdSchema, transactionIdSchema } from '../validation';
import { currencySchema, moneySchema, nextCursorSchema, timestampSchema } from './fields';

export const subscriptionStatusSchema = z.enum(subscriptionStatuses);
export const intervalSchema = z.enum(intervals);

/** Why the latest charge failed, so that a storefront can tell its customer. */
export const subscriptionFailureSchema = z.strictObject({
  code: z.enum(['card_declined', 'card_removed', 'card_expired', 'gateway_error']),
  declineCode: z.nullable(z.string()).check(z.meta({ description: "Clearent's result code of a decline" })),
  message: z.string(),
  transactionId: z
    .nullable(transactionIdSchema())
    .check(z.meta({ description: 'The failed charge; `null` when it was refused before the gateway' })),
  at: timestampSchema,
});

export const subscriptionSchema = z
  .strictObject({
    id: subscriptionIdSchema(),
    status: subscriptionStatusSchema,
    customerId: customerIdSchema(),
    cardId: cardIdSchema(),
    amount: moneySchema,
    currency: currencySchema,
    interval: intervalSchema,
    intervalCount: z.int().check(z.gte(1)),
    description: z.nullable(z.string()),
    nextChargeAt: z
      .nullable(timestampSchema)
      .check(z.meta({ description: '`null` once nothing will be charged again (canceled or unpaid)' })),
    failedAttempts: z.int().check(z.gte(0)),
    lastFailure: z
      .nullable(subscriptionFailureSchema)
      .check(z.meta({ description: 'The latest failed charge; cleared by an approval' })),
    createdAt: timestampSchema,
    canceledAt: z.nullable(timestampSchema),
  })
  .check(z.meta({ description: "A customer's recurring charge to a saved card" }));

/** `GET /v1/subscriptions`: newest first. */
export const subscriptionListSchema = z.strictObject({
  data: z.array(subscriptionSchema),
  nextCursor: nextCursorSchema,
});
