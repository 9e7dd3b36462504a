/**
 * The requests that create, change and list subscriptions. The Subscription resource they answer with
 * is in ../schemas/subscription.ts (types and the OpenAPI document only). Nothing is built at import:
 * each schema is built when first asked for.
 */
import { lazy } from '../../lazy';
import type { Cents } from '../../money';
import { intervals, maxIntervalCount, parseCalendarDate } from '../../subscriptions/schedule';
import { subscriptionStatuses } from '../../subscriptions/subscription';
import * as z from '../../zod';
import {
  amountSchema,
  cardIdSchema,
  cursorSchema,
  customerIdSchema,
  descriptionSchema,
  limitSchema,
} from '../validation';

const startDateSchema = /* @__PURE__ */ lazy(() =>
  z
    .pipe(
      z.string(),
      z.transform((text: string, context) => {
        const date = parseCalendarDate(text);
        if (!date) {
          context.issues.push({
            code: 'custom',
            message: 'startDate must be a date like "2026-12-24"',
            input: text,
          });
          return z.NEVER;
        }
        return date;
      }),
    )
    .check(
      z.meta({ format: 'date', description: 'The first charge day (UTC); today or later; default today' }),
    ),
);

/** The body of `POST /v1/subscriptions`; amounts above `max` are refused. */
export function createSubscriptionRequestSchema(max: Cents) {
  return z
    .strictObject({
      customerId: customerIdSchema(),
      cardId: cardIdSchema(),
      amount: amountSchema(max),
      interval: z.enum(intervals, { error: `interval must be one of ${intervals.join(', ')}` }),
      intervalCount: z
        .optional(z.number().check(z.int('intervalCount must be a whole number'), z.gte(1)))
        .check(z.meta({ description: 'Default 1; the period may be at most one year' })),
      startDate: z.optional(startDateSchema()),
      description: z.optional(descriptionSchema()),
    })
    .check(
      z.refine((body) => (body.intervalCount ?? 1) <= maxIntervalCount[body.interval], {
        message: 'the interval may be at most one year (365 days, 52 weeks, 12 months or 1 year)',
        path: ['intervalCount'],
      }),
    );
}

/** The body of `PATCH /v1/subscriptions/{subscriptionId}`: the fields to change, validated as when creating; at least one. */
export function updateSubscriptionRequestSchema(max: Cents) {
  return z
    .strictObject({
      cardId: z
        .optional(cardIdSchema())
        .check(
          z.meta({ description: 'A new card; a `past_due` or `unpaid` subscription is then due at once' }),
        ),
      amount: z.optional(amountSchema(max)).check(z.meta({ description: 'Applies from the next charge' })),
      description: z.optional(descriptionSchema()),
    })
    .check(
      z.refine((body) => Object.values(body).some((value) => value !== undefined), {
        message: 'send at least one of cardId, amount, description',
      }),
      z.meta({ minProperties: 1 }),
    );
}

/** The query of `GET /v1/subscriptions`. */
export const subscriptionListQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    customerId: z.optional(customerIdSchema()),
    status: z.optional(
      z.enum(subscriptionStatuses, { error: `status must be one of ${subscriptionStatuses.join(', ')}` }),
    ),
    limit: z.optional(limitSchema()),
    cursor: z.optional(cursorSchema()),
  }),
);
