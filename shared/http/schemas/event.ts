/**
 * The Event resource (contract: Webhooks): what `GET /v1/events` lists and what every webhook delivery
 * carries. One schema per event type, each with the resource that type describes.
 */
import * as z from 'zod';
import { type EventType, eventTypes } from '../../events/event';
import { cursorSchema, eventIdSchema, limitSchema } from '../validation';
import { cardSchema } from './card';
import { nextCursorSchema, timestampSchema } from './fields';
import { subscriptionSchema, subscriptionStatusSchema } from './subscription';
import { transactionSchema, transactionStatusSchema } from './transaction';

/** Any of the three resources (the TypeScript type; each event type's schema says which, in what state). */
type EventObjectSchema = z.ZodType<
  z.infer<typeof transactionSchema> | z.infer<typeof subscriptionSchema> | z.infer<typeof cardSchema>
>;

/**
 * The resource an event of `type` carries, as `GET` showed it when the change happened: a transaction
 * of that type and status, a subscription in the status the event names, or a card.
 */
function objectSchemaOf(type: EventType): EventObjectSchema {
  const [subject, change] = type.split('.') as [string, string];
  if (type === 'card.saved' || type === 'card.deleted') return cardSchema;
  // A card that could not be saved is told with the approved sale that could not save it.
  if (type === 'card.save_failed') {
    return z.intersection(
      transactionSchema,
      z.looseObject({
        type: z.literal('sale'),
        status: z.literal('approved'),
        cardSaveFailed: z.literal(true),
      }),
    );
  }
  if (subject === 'sale' || subject === 'refund') {
    return z.intersection(
      transactionSchema,
      z.looseObject({
        type: z.literal(subject),
        status: transactionStatusSchema.extract([change as 'approved']),
      }),
    );
  }
  if (change === 'created' || change === 'updated') return subscriptionSchema;
  return z.intersection(
    subscriptionSchema,
    z.looseObject({ status: subscriptionStatusSchema.extract([change as 'canceled']) }),
  );
}

function eventSchemaOf(type: EventType) {
  return z
    .strictObject({
      id: eventIdSchema,
      type: z.literal(type),
      createdAt: timestampSchema,
      data: z.strictObject({ object: objectSchemaOf(type) }),
    })
    .meta({ description: `The \`${type}\` event` });
}

/** Each event type's schema. */
export const eventSchemas = Object.fromEntries(
  eventTypes.map((type) => [type, eventSchemaOf(type)]),
) as Record<EventType, ReturnType<typeof eventSchemaOf>>;

export const eventSchema = z
  .discriminatedUnion(
    'type',
    eventTypes.map((type) => eventSchemas[type]) as [
      ReturnType<typeof eventSchemaOf>,
      ...ReturnType<typeof eventSchemaOf>[],
    ],
  )
  .meta({ description: 'A state change of a transaction, subscription or card; kept 30 days' });

/** `GET /v1/events`: newest first. */
export const eventListSchema = z.strictObject({ data: z.array(eventSchema), nextCursor: nextCursorSchema });

/** The query of `GET /v1/events`. */
export const eventListQuerySchema = z.strictObject({
  type: z.enum(eventTypes, { error: 'type must be an event type such as "sale.approved"' }).optional(),
  limit: limitSchema.optional(),
  cursor: cursorSchema.optional(),
});
