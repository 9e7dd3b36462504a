/**
 * The Transaction resource (contract: Resources > Transaction). Runtime code imports it with
 * `import type` only (it is built here, at import, for the OpenAPI document and the tests); the requests
 * that create and list transactions are in ../requests/transaction.ts.
 */
import * as z from '../../zod';
import { cardIdSchema, customerIdSchema, subscriptionIdSchema, transactionIdSchema } from '../validation';
import { currencySchema, moneySchema, nextCursorSchema, timestampSchema } from './fields';

export const transactionTypeSchema = z.enum(['sale', 'refund']);
export const transactionStatusSchema = z.enum(['approved', 'declined', 'pending', 'failed']);

/**
 * Why a transaction `failed`. `gateway_rejected_request` is final (the request itself is wrong); the
 * others mean the gateway is known not to have moved money, so the same attempt may be sent again.
 */
export const failureCodeSchema = z.enum([
  'gateway_unavailable',
  'gateway_authentication_failed',
  'gateway_rejected_request',
  'not_charged',
]);

/** What the gateway told about the card; any part may be missing. */
export const cardSummarySchema = z.strictObject({
  brand: z.optional(z.string()),
  last4: z.optional(z.string()),
  expDate: z.optional(z.string()).check(z.meta({ description: 'MMYY' })),
});

/** The gateway's own record of the transaction; any part may be missing. */
export const gatewayReferenceSchema = z.strictObject({
  transactionId: z.optional(z.string()),
  authorizationCode: z.optional(z.string()),
  resultCode: z.optional(z.string()),
  message: z.optional(z.string()),
  exchangeId: z.optional(z.string()),
});

export const transactionSchema = z
  .strictObject({
    id: transactionIdSchema(),
    type: transactionTypeSchema,
    status: transactionStatusSchema,
    amount: moneySchema,
    currency: currencySchema,
    refundedAmount: moneySchema.check(
      z.meta({
        description: 'On a sale: approved refunds plus refunds still in flight',
        examples: ['0.00'],
      }),
    ),
    saleId: z.nullable(transactionIdSchema()).check(z.meta({ description: 'The sale a refund refunds' })),
    customerId: z.nullable(customerIdSchema()),
    cardId: z
      .nullable(cardIdSchema())
      .check(z.meta({ description: 'The saved card charged, or saved by this sale' })),
    subscriptionId: z
      .nullable(subscriptionIdSchema())
      .check(z.meta({ description: 'Set on a recurring charge' })),
    card: z.nullable(cardSummarySchema),
    orderId: z.nullable(z.string()),
    description: z.nullable(z.string()),
    gateway: z.nullable(gatewayReferenceSchema),
    failureCode: z
      .nullable(failureCodeSchema)
      .check(z.meta({ description: 'Set when `status` is `failed`' })),
    cardSaveFailed: z.boolean().check(
      z.meta({
        description:
          'A JWT sale recovered by search whose gateway record carried no token: the card was not saved',
      }),
    ),
    createdAt: timestampSchema,
  })
  .check(z.meta({ description: 'A sale or a refund' }));

/** A transaction in `status`: what an answer that follows from the status shows (201 approved, 402 declined...). */
export const transactionInStatus = (status: z.infer<typeof transactionStatusSchema>) =>
  z.intersection(transactionSchema, z.looseObject({ status: z.literal(status) }));

/** `GET /v1/transactions`: newest first. */
export const transactionListSchema = z.strictObject({
  data: z.array(transactionSchema),
  nextCursor: nextCursorSchema,
});
