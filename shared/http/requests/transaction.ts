/**
 * The requests that create transactions or read them: the JWT and token sales, the refund, and the
 * list's query. The Transaction resource they answer with is in ../schemas/transaction.ts (types and
 * the OpenAPI document only). Nothing is built at import: each schema is built when first asked for.
 */
import { lazy } from '../../lazy';
import type { Cents } from '../../money';
import * as z from '../../zod';
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

/** The body of `POST /v1/sales/jwt`; amounts above `max` are refused. */
export function jwtSaleRequestSchema(max: Cents) {
  return z.strictObject({
    amount: amountSchema(max),
    jwt: jwtSchema(),
    customerId: z
      .optional(customerIdSchema())
      .check(z.meta({ description: 'Saves the card to this customer, unless `saveCard` is `false`' })),
    saveCard: z
      .optional(z.boolean())
      .check(z.meta({ description: 'Default `true`; `true` needs a `customerId`' })),
    orderId: z.optional(orderIdSchema()),
    description: z.optional(descriptionSchema()),
  });
}

/** The body of `POST /v1/sales/token`: a charge of a saved card. */
export function tokenSaleRequestSchema(max: Cents) {
  return z.strictObject({
    amount: amountSchema(max),
    customerId: customerIdSchema(),
    cardId: cardIdSchema(),
    orderId: z.optional(orderIdSchema()),
    description: z.optional(descriptionSchema()),
  });
}

/** The body of `POST /v1/refunds`. */
export function refundRequestSchema(max: Cents) {
  return z.strictObject({
    transactionId: transactionIdSchema().check(z.meta({ description: 'The sale to refund' })),
    amount: z
      .optional(amountSchema(max))
      .check(z.meta({ description: 'Default: all that remains unrefunded on the sale' })),
    reason: z.optional(descriptionSchema()),
  });
}

/** The query of `GET /v1/transactions`. */
export const transactionListQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    customerId: z.optional(customerIdSchema()),
    subscriptionId: z.optional(subscriptionIdSchema()),
    limit: z.optional(limitSchema()),
    cursor: z.optional(cursorSchema()),
  }),
);
