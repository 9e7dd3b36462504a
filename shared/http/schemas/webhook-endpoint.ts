/**
 * The WebhookEndpoint resource (contract: Routes, webhook-endpoints), with its secret in the answer to
 * its creation only. Runtime code imports it with `import type` only (it is built here, at import, for
 * the OpenAPI document and the tests); the request that creates one is in ../requests/webhook-endpoint.ts.
 */
import { eventTypes } from '../../events/event';
import * as z from '../../zod';
import { endpointIdSchema } from '../validation';
import { timestampSchema } from './fields';

export const eventTypeSchema = z.enum(eventTypes);

export const webhookEndpointSchema = z
  .strictObject({
    id: endpointIdSchema(),
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
