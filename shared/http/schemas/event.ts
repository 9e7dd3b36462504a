/**
 * The Event resource (contract: Webhooks): what `GET /v1/events` lists and what every webhook delivery
 * carries. One schema per event type, each with the resource that type describes. Runtime code imports
 * it with `import type` only (it is built here, at import, for the OpenAPI document and the tests); the
 * list's query is in ../requests/event.ts.
 */
import { type EventType, eventTypes } from '../../events/event';
import * as z from '../../zod';
import { eventIdSchema } from '../validation';
import { cardSchema } from './card';
import { nextCursorSchema, timestampSchema } from './fields';
import { subscriptionSchema, subscriptionStatusSchema } from './subscription';
import { transactionSchema, transactionStatusSchema } from './transaction';

/** Any of the three resources (the TypeScript type; each event type's schema says which, in what state). */
type EventObjectSchema = z.ZodMiniType<
  z.infer<typeof transactionSchema> | z.infer<typeof subscriptionSchema> | z.infer<typeof cardSchema>
>;

/** The one option `value` of `schema` (classic zod's `.extract([value])`); throws if it is not one. */
function only<Entries extends Record<string, string>>(schema: z.ZodMiniEnum<Entries>, value: string) {
  if (!(schema.options as string[]).includes(value)) throw new Error(`Key ${value} not found in enum`);
  return z.enum([value as Entries[keyof Entries]]);
}

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
        status: only(transactionStatusSchema, change),
      }),
    );
  }
  if (change === 'created' || change === 'updated') return subscriptionSchema;
  return z.intersection(
    subscriptionSchema,
    z.looseObject({ status: only(subscriptionStatusSchema, change) }),
  );
}

function eventSchemaOf(type: EventType) {
  return z
    .strictObject({
      id: eventIdSchema(),
      type: z.literal(type),
      createdAt: timestampSchema,
      data: z.strictObject({ object: objectSchemaOf(type) }),
    })
    .check(z.meta({ description: `The \`${type}\` event` }));
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
  .check(z.meta({ description: 'A state change of a transaction, subscription or card; kept 30 days' }));

/** `GET /v1/events`: newest first. */
export const eventListSchema = z.strictObject({ data: z.array(eventSchema), nextCursor: nextCursorSchema });
