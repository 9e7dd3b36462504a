/**
 * The WebhookEndpoint resource (contract: Routes, webhook-endpoints), with its secret in the answer to
 * its creation only, and the request that creates one.
 */
import { eventTypes } from '../../events/event';
import {
  checkEndpointUrl,
  type DestinationPolicy,
  MAX_ENDPOINT_URL_LENGTH,
} from '../../webhooks/destination';
import * as z from '../../zod';
import { endpointIdSchema } from '../validation';
import { timestampSchema } from './fields';

export const eventTypeSchema = z.enum(eventTypes);

export const webhookEndpointSchema = z
  .strictObject({
    id: endpointIdSchema,
    url: z.url(),
    events: z.array(z.union([eventTypeSchema, z.literal('*')])).check(
      z.meta({
        description: 'The event types delivered to it; `["*"]` for every type, present and future',
      }),
    ),
    status: z
      .enum(['enabled', 'disabled'])
      .check(z.meta({ description: 'Disabled when it answered `410 Gone`' })),
    createdAt: timestampSchema,
  })
  .check(
    z.meta({ description: 'A URL of the storefront that events are delivered to (without its secret)' }),
  );

/** The answer to `POST /v1/webhook-endpoints` (and to its replays): the only one that shows the secret. */
export const webhookEndpointWithSecretSchema = z
  .extend(webhookEndpointSchema, {
    secret: z.string().check(
      z.regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
      z.meta({
        description: 'Verifies the Standard Webhooks signature of every delivery; shown only here',
      }),
    ),
  })
  .check(z.meta({ description: 'A new webhook endpoint, with its signing secret' }));

/** `GET /v1/webhook-endpoints`: every endpoint, not paginated. */
export const webhookEndpointListSchema = z.strictObject({ data: z.array(webhookEndpointSchema) });

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
