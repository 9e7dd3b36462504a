/**
 * The query of `GET /v1/events`. The Event resource it answers with is in ../schemas/event.ts (types
 * and the OpenAPI document only). Nothing is built at import: the schema is built when first asked for.
 */
import { eventTypes } from '../../events/event';
import { lazy } from '../../lazy';
import * as z from '../../zod';
import { cursorSchema, limitSchema } from '../validation';

/** The query of `GET /v1/events`. */
export const eventListQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    type: z.optional(z.enum(eventTypes, { error: 'type must be an event type such as "sale.approved"' })),
    limit: z.optional(limitSchema()),
    cursor: z.optional(cursorSchema()),
  }),
);
