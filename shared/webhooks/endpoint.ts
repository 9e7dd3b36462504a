/**
 * A webhook endpoint: a URL of a storefront's, subscribed to some event types (or all), with its own
 * signing secret. The secret itself lives in Secrets Manager under `secretName`, never in the table.
 */

import type { EventType } from '../events/event';
import type { webhookEndpointSchema } from '../http/schemas/webhook-endpoint';
import type * as z from '../zod';

export interface WebhookEndpoint {
  id: string;
  storefrontId: string;
  url: string;
  /** The event types delivered to it; `undefined` means every type, present and future. */
  events?: EventType[];
  status: 'enabled' | 'disabled';
  /** Where its `whsec_` secret is kept in Secrets Manager. */
  secretName: string;
  createdAt: string;
  /** Why it was disabled: it answered `410 Gone`. */
  disabledReason?: 'gone';
  disabledAt?: string;
  /** When its current run of failed attempts began; absent while it is delivered to. */
  failingSince?: string;
}

export const wantsEvent = (endpoint: WebhookEndpoint, type: EventType): boolean =>
  endpoint.status === 'enabled' && (endpoint.events === undefined || endpoint.events.includes(type));

/** The public representation: everything but the secret, which is shown once, at creation. */
export type WebhookEndpointResource = z.infer<typeof webhookEndpointSchema>;

export function toEndpointResource(endpoint: WebhookEndpoint): WebhookEndpointResource {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events ?? ['*'],
    status: endpoint.status,
    createdAt: endpoint.createdAt,
  };
}
