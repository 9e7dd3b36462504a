/**
 * The Transaction resource (contract: Resources > Transaction), and the requests that create one or
 * read them: the JWT and token sales, the refund, and the list's query.
 */
import * as z from 'zod';
import type { Cents } from '../../money';
import {
  amountSchema,
  cardIdSchema,
  cursorSchema,
  customerIdSchema,
  descriptionSchema,
  jwtSchema,
  limitSchema,
  orderIdSchema,
  subscriptionIdSchema,
  transactionIdSchema,
} from '../validation';
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
  brand: z.string().optional(),
  last4: z.string().optional(),
  expDate: z.string().optional().meta({ description: 'MMYY' }),
});

/** The gateway's own record of the transaction; any part may be missing. */
export const gatewayReferenceSchema = z.strictObject({
  transactionId: z.string().optional(),
  authorizationCode: z.string().optional(),
  resultCode: z.string().optional(),
  message: z.string().optional(),
  exchangeId: z.string().optional(),
});

export const transactionSchema = z
  .strictObject({
    id: transactionIdSchema,
    type: transactionTypeSchema,
    status: transactionStatusSchema,
    amount: moneySchema,
    currency: currencySchema,
    refundedAmount: moneySchema.meta({
      description: 'On a sale: approved refunds plus refunds still in flight',
      examples: ['0.00'],
    }),
    saleId: transactionIdSchema.nullable().meta({ description: 'The sale a refund refunds' }),
    customerId: customerIdSchema.nullable(),
    cardId: cardIdSchema.nullable().meta({ description: 'The saved card charged, or saved by this sale' }),
    subscriptionId: subscriptionIdSchema.nullable().meta({ description: 'Set on a recurring charge' }),
    card: cardSummarySchema.nullable(),
    orderId: z.string().nullable(),
    description: z.string().nullable(),
    gateway: gatewayReferenceSchema.nullable(),
    failureCode: failureCodeSchema.nullable().meta({ description: 'Set when `status` is `failed`' }),
    cardSaveFailed: z.boolean().meta({
      description:
        'A JWT sale recovered by search whose gateway record carried no token: the card was not saved',
    }),
    createdAt: timestampSchema,
  })
  .meta({ description: 'A sale or a refund' });

/** A transaction in `status`: what an answer that follows from the status shows (201 approved, 402 declined...). */
export const transactionInStatus = (status: z.infer<typeof transactionStatusSchema>) =>
  z.intersection(transactionSchema, z.looseObject({ status: z.literal(status) }));

/** `GET /v1/transactions`: newest first. */
export const transactionListSchema = z.strictObject({
  data: z.array(transactionSchema),
  nextCursor: nextCursorSchema,
});

/** The body of `POST /v1/sales/jwt`; amounts above `max` are refused. */
export function jwtSaleRequestSchema(max: Cents) {
  return z.strictObject({
    amount: amountSchema(max),
    jwt: jwtSchema,
    customerId: customerIdSchema
      .optional()
      .meta({ description: 'Saves the card to this customer, unless `saveCard` is `false`' }),
    saveCard: z.boolean().optional().meta({ description: 'Default `true`; `true` needs a `customerId`' }),
    orderId: orderIdSchema.optional(),
    description: descriptionSchema.optional(),
  });
}

/** The body of `POST /v1/sales/token`: a charge of a saved card. */
export function tokenSaleRequestSchema(max: Cents) {
  return z.strictObject({
    amount: amountSchema(max),
    customerId: customerIdSchema,
    cardId: cardIdSchema,
    orderId: orderIdSchema.optional(),
    description: descriptionSchema.optional(),
  });
}

/** The body of `POST /v1/refunds`. */
export function refundRequestSchema(max: Cents) {
  return z.strictObject({
    transactionId: transactionIdSchema.meta({ description: 'The sale to refund' }),
    amount: amountSchema(max)
      .optional()
      .meta({ description: 'Default: all that remains unrefunded on the sale' }),
    reason: descriptionSchema.optional(),
  });
}

/** The query of `GET /v1/transactions`. */
export const transactionListQuerySchema = z.strictObject({
  customerId: customerIdSchema.optional(),
  subscriptionId: subscriptionIdSchema.optional(),
  limit: limitSchema.optional(),
  cursor: cursorSchema.optional(),
});
