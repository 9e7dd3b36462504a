/**
 * The Subscription resource (contract: Resources > Subscription, with `lastFailure`), and the requests
 * that create, change and list subscriptions.
 */
import * as z from 'zod';
import type { Cents } from '../../money';
import { intervals, maxIntervalCount, parseCalendarDate } from '../../subscriptions/schedule';
import { subscriptionStatuses } from '../../subscriptions/subscription';
import {
  amountSchema,
  cardIdSchema,
  cursorSchema,
  customerIdSchema,
  descriptionSchema,
  limitSchema,
  subscriptionIdSchema,
  transactionIdSchema,
} from '../validation';
import { currencySchema, moneySchema, nextCursorSchema, timestampSchema } from './fields';

export const subscriptionStatusSchema = z.enum(subscriptionStatuses);
export const intervalSchema = z.enum(intervals);

/** Why the latest charge failed, so that a storefront can tell its customer. */
export const subscriptionFailureSchema = z.strictObject({
  code: z.enum(['card_declined', 'card_removed', 'card_expired', 'gateway_error']),
  declineCode: z.string().nullable().meta({ description: "Clearent's result code of a decline" }),
  message: z.string(),
  transactionId: transactionIdSchema
    .nullable()
    .meta({ description: 'The failed charge; `null` when it was refused before the gateway' }),
  at: timestampSchema,
});

export const subscriptionSchema = z
  .strictObject({
    id: subscriptionIdSchema,
    status: subscriptionStatusSchema,
    customerId: customerIdSchema,
    cardId: cardIdSchema,
    amount: moneySchema,
    currency: currencySchema,
    interval: intervalSchema,
    intervalCount: z.int().min(1),
    description: z.string().nullable(),
    nextChargeAt: timestampSchema
      .nullable()
      .meta({ description: '`null` once nothing will be charged again (canceled or unpaid)' }),
    failedAttempts: z.int().min(0),
    lastFailure: subscriptionFailureSchema
      .nullable()
      .meta({ description: 'The latest failed charge; cleared by an approval' }),
    createdAt: timestampSchema,
    canceledAt: timestampSchema.nullable(),
  })
  .meta({ description: "A customer's recurring charge to a saved card" });

/** `GET /v1/subscriptions`: newest first. */
export const subscriptionListSchema = z.strictObject({
  data: z.array(subscriptionSchema),
  nextCursor: nextCursorSchema,
});

const startDateSchema = z
  .string()
  .transform((text, context) => {
    const date = parseCalendarDate(text);
    if (!date) {
      context.addIssue({ code: 'custom', message: 'startDate must be a date like "2026-12-24"' });
      return z.NEVER;
    }
    return date;
  })
  .meta({ format: 'date', description: 'The first charge day (UTC); today or later; default today' });

/** The body of `POST /v1/subscriptions`; amounts above `max` are refused. */
export function createSubscriptionRequestSchema(max: Cents) {
  return z
    .strictObject({
      customerId: customerIdSchema,
      cardId: cardIdSchema,
      amount: amountSchema(max),
      interval: z.enum(intervals, { error: `interval must be one of ${intervals.join(', ')}` }),
      intervalCount: z
        .number()
        .int('intervalCount must be a whole number')
        .min(1)
        .optional()
        .meta({ description: 'Default 1; the period may be at most one year' }),
      startDate: startDateSchema.optional(),
      description: descriptionSchema.optional(),
    })
    .refine((body) => (body.intervalCount ?? 1) <= maxIntervalCount[body.interval], {
      message: 'the interval may be at most one year (365 days, 52 weeks, 12 months or 1 year)',
      path: ['intervalCount'],
    });
}

/** The body of `PATCH /v1/subscriptions/{subscriptionId}`: the fields to change, validated as when creating; at least one. */
export function updateSubscriptionRequestSchema(max: Cents) {
  return z
    .strictObject({
      cardId: cardIdSchema
        .optional()
        .meta({ description: 'A new card; a `past_due` or `unpaid` subscription is then due at once' }),
      amount: amountSchema(max).optional().meta({ description: 'Applies from the next charge' }),
      description: descriptionSchema.optional(),
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: 'send at least one of cardId, amount, description',
    })
    .meta({ minProperties: 1 });
}

/** The query of `GET /v1/subscriptions`. */
export const subscriptionListQuerySchema = z.strictObject({
  customerId: customerIdSchema.optional(),
  status: z
    .enum(subscriptionStatuses, { error: `status must be one of ${subscriptionStatuses.join(', ')}` })
    .optional(),
  limit: limitSchema.optional(),
  cursor: cursorSchema.optional(),
});
