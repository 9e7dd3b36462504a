/**
 * POST /v1/subscriptions, GET /v1/subscriptions/{subscriptionId} and DELETE /v1/subscriptions/{subscriptionId}.
 * Creating and canceling charge nothing; the scheduled run makes the charges.
 */
import * as z from 'zod';
import { maxAmount, tableName } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { NotFoundError } from '../../shared/http/errors';
import { idempotentResult } from '../../shared/http/idempotency';
import {
  amountSchema,
  cardIdSchema,
  customerIdSchema,
  descriptionSchema,
  parseWith,
  subscriptionIdSchema,
} from '../../shared/http/validation';
import { livePorts } from '../../shared/payments/live-ports';
import { documentClient } from '../../shared/store/dynamo';
import { DynamoSubscriptionRepository } from '../../shared/store/subscriptions';
import { cancelSubscription, createSubscription } from '../../shared/subscriptions/create';
import { intervals, maxIntervalCount, parseCalendarDate } from '../../shared/subscriptions/schedule';
import { toSubscriptionResource } from '../../shared/subscriptions/subscription';

const ports = {
  ...livePorts(),
  subscriptions: new DynamoSubscriptionRepository(documentClient(), tableName()),
};

const startDateSchema = z.string().transform((text, context) => {
  const date = parseCalendarDate(text);
  if (!date) {
    context.addIssue({ code: 'custom', message: 'startDate must be a date like "2026-12-24"' });
    return z.NEVER;
  }
  return date;
});

const bodySchema = z
  .strictObject({
    customerId: customerIdSchema,
    cardId: cardIdSchema,
    amount: amountSchema(maxAmount()),
    interval: z.enum(intervals, { error: `interval must be one of ${intervals.join(', ')}` }),
    intervalCount: z.number().int('intervalCount must be a whole number').min(1).optional(),
    startDate: startDateSchema.optional(),
    description: descriptionSchema.optional(),
  })
  .refine((body) => (body.intervalCount ?? 1) <= maxIntervalCount[body.interval], {
    message: 'the interval may be at most one year (365 days, 52 weeks, 12 months or 1 year)',
    path: ['intervalCount'],
  });

export const handler = apiHandler(async (request) => {
  const { subscriptionId } = request.pathParameters;
  if (subscriptionId === undefined) {
    const body = parseWith(bodySchema, request.body);
    const operation = createSubscription(ports, {
      storefrontId: request.storefrontId,
      ...body,
      intervalCount: body.intervalCount ?? 1,
    });
    return idempotentResult(ports, request, 'sub', operation);
  }
  const id = parseWith(subscriptionIdSchema, subscriptionId, 'subscriptionId');
  if (request.routeKey.startsWith('DELETE ')) {
    const canceled = await cancelSubscription(ports, request.storefrontId, id);
    return { statusCode: 200, body: toSubscriptionResource(canceled) };
  }
  const subscription = await ports.subscriptions.get(request.storefrontId, id);
  if (!subscription) throw new NotFoundError('subscription', 'subscriptionId');
  return { statusCode: 200, body: toSubscriptionResource(subscription) };
});
