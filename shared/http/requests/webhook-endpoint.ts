/**
 * The request that creates a webhook endpoint. The WebhookEndpoint resource it answers with is in
 * ../schemas/webhook-endpoint.ts (types and the OpenAPI document only). Nothing is built at import.
 */
import { eventTypes } from '../../events/event';
import {
  checkEndpointUrl,
  type DestinationPolicy,
  MAX_ENDPOINT_URL_LENGTH,
} from '../../webhooks/destination';
import * as z from '../../zod';

/** The body of `POST /v1/webhook-endpoints`; `policy` says which URLs may receive events. */
export function createWebhookEndpointRequestSchema(policy: DestinationPolicy) {
  return z.strictObject({
    url: z
      .pipe(
        z.string({ error: 'url must be a string' }),
        z.transform((text: string, context) => {
          const checked = checkEndpointUrl(text, policy);
          if (checked.ok) return checked.url.toString();
          context.issues.push({ code: 'custom', message: `url ${checked.reason}`, input: text });
          return z.NEVER;
        }),
      )
      .check(
        z.meta({
          format: 'uri',
          maxLength: MAX_ENDPOINT_URL_LENGTH,
          description:
            'An `https` URL of a public host (locally, `http` to 127.0.0.1 or localhost is allowed too). ' +
            'Redirects are not followed.',
        }),
      ),
    events: z
      .optional(
        z
          .array(z.enum(eventTypes, { error: 'events must be event types such as "sale.approved"' }))
          .check(
            z.minLength(1, 'events must name at least one event type (leave it out for every type)'),
            z.maxLength(eventTypes.length),
          ),
      )
      .check(z.meta({ description: 'The event types to deliver; default every type, present and future' })),
  });
}
