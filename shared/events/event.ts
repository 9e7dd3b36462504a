/**
 * Events: what a storefront is told about each state change of its transactions, subscriptions and
 * cards (contract: Webhooks). An event is kept 30 days, listed by `GET /v1/events`, and delivered to
 * every webhook endpoint of its storefront subscribed to its type.
 */

import type { eventSchema } from '../http/schemas/event';
import type * as z from '../zod';

export const eventTypes = [
  'sale.approved',
  'sale.declined',
  'sale.pending',
  'sale.failed',
  'refund.approved',
  'refund.declined',
  'refund.failed',
  'subscription.created',
  'subscription.updated',
  'subscription.past_due',
  'subscription.unpaid',
  'subscription.canceled',
  'card.saved',
  'card.deleted',
  'card.save_failed',
] as const;

export type EventType = (typeof eventTypes)[number];

/** How long events are kept (and listed). */
export const EVENT_RETENTION_DAYS = 30;

/** The public representation (contract: Webhooks), as its schema says. */
export type EventResource = z.infer<typeof eventSchema>;

/** The resource an event describes, exactly as `GET` showed it when the change happened. */
export type EventObject = EventResource['data']['object'];

export interface StoredEvent {
  id: string;
  storefrontId: string;
  type: EventType;
  createdAt: string;
  object: EventObject;
}

export function toEventResource(event: StoredEvent): EventResource {
  return { id: event.id, type: event.type, createdAt: event.createdAt, data: { object: event.object } };
}
