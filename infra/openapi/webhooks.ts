/**
 * The `webhooks` section of the OpenAPI document (contract: Webhooks): one entry per event type, the
 * POST this API makes to a storefront's endpoint, signed as Standard Webhooks v1.
 */
import { type EventType, eventTypes } from '../../shared/events/event';
import { eventIdSchema } from '../../shared/http/validation';
import { WEBHOOK_TIMEOUT_MS } from '../../shared/webhooks/post';
import { defaultRetrySchedule, parseRetrySchedule } from '../../shared/webhooks/retry-schedule';
import { eventComponentName, type JsonSchema, parameterSchema, schemaRef } from './components';

/** `#/components/parameters`: the three Standard Webhooks headers of every delivery. */
export const webhookHeaderParameters: Record<string, JsonSchema> = {
  WebhookId: {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The event id: the same on every attempt of one event, so a receiver can drop duplicates',
    // The event id, as the API validates it in `GET /v1/events/{eventId}`.
    schema: parameterSchema(eventIdSchema()),
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

/** The delivery timeout as the document says it, from the one the deliveries use: `15 seconds`. */
const timeoutText = `${WEBHOOK_TIMEOUT_MS / 1000} seconds`;

/** A delay in its largest whole unit up to hours, as the document writes it: `5 s`, `30 min`, `24 h`. */
function delayText(ms: number): string {
  const units = [
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ] as const;
  const [size, unit] = units.find(([unitMs]) => ms % unitMs === 0) ?? [1, 'ms'];
  return `${ms / size} ${unit}`;
}

/**
 * The default retry schedule, read as the deliveries read it (shared/webhooks/retry-schedule.ts):
 * `5 s, 5 min, ... and 24 h`. A stage may deploy another; the contract is the default.
 */
function retryScheduleText(): string {
  const delays = parseRetrySchedule(defaultRetrySchedule).map(delayText);
  const last = delays.pop();
  return delays.length === 0 ? (last ?? '') : `${delays.join(', ')} and ${last}`;
}

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
        '2XX': { description: `Delivered, when answered within ${timeoutText}` },
        '410': { description: 'Gone: the endpoint is disabled and nothing more is delivered to it' },
        default: {
          description:
            `Anything else (a redirect is not followed, and no answer in ${timeoutText} counts too) is retried ` +
            `after ${retryScheduleText()}, then given up; the event stays in \`GET /v1/events\``,
        },
      },
    },
  };
}

/** `webhooks`: every event type, in the contract's order. */
export function webhooks(): Record<string, JsonSchema> {
  return Object.fromEntries(eventTypes.map((type) => [type, webhookOf(type)]));
}
