/**
 * The `webhooks` section of the OpenAPI document (contract: Webhooks): one entry per event type, the
 * POST this API makes to a storefront's endpoint, signed as Standard Webhooks v1.
 */
import { type EventType, eventTypes } from '../../shared/events/event';
import { eventComponentName, type JsonSchema, schemaRef } from './components';

/** `#/components/parameters`: the three Standard Webhooks headers of every delivery. */
export const webhookHeaderParameters: Record<string, JsonSchema> = {
  WebhookId: {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The event id: the same on every attempt of one event, so a receiver can drop duplicates',
    schema: { type: 'string', pattern: '^evt_[0-9A-Za-z]{1,40}$' },
  },
  WebhookTimestamp: {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'When this attempt was signed, in Unix seconds; refuse old ones to stop replays',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  WebhookSignature: {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      '`v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64 ' +
      "after `whsec_` of the endpoint's secret. Any Standard Webhooks library verifies it.",
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/]+={0,2}$' },
  },
};

const words = (type: EventType): string => type.replace(/[._]/g, ' ');

function webhookOf(type: EventType): JsonSchema {
  const name = eventComponentName(type);
  return {
    post: {
      operationId: `${name.charAt(0).toLowerCase()}${name.slice(1)}Webhook`,
      summary: `Deliver a ${words(type)} event`,
      tags: ['Webhooks'],
      security: [],
      parameters: Object.keys(webhookHeaderParameters).map((id) => ({
        $ref: `#/components/parameters/${id}`,
      })),
      requestBody: { required: true, content: { 'application/json': { schema: schemaRef(name) } } },
      responses: {
        '2XX': { description: 'Delivered, when answered within 15 seconds' },
        '410': { description: 'Gone: the endpoint is disabled and nothing more is delivered to it' },
        default: {
          description:
            'Anything else (a redirect is not followed, and no answer in 15 seconds counts too) is retried after ' +
            '5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h, then given up; the event stays in `GET /v1/events`',
        },
      },
    },
  };
}

/** `webhooks`: every event type, in the contract's order. */
export function webhooks(): Record<string, JsonSchema> {
  return Object.fromEntries(eventTypes.map((type) => [type, webhookOf(type)]));
}
