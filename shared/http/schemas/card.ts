/**
 * The Card resource (contract: Resources > Card): a saved card as the API shows it. The Clearent token
 * id is never part of it: the schema is strict, so a mapper that leaked it would fail the tests. Runtime
 * code imports it with `import type` only (it is built here, at import, for the OpenAPI document and the
 * tests).
 */
import * as z from '../../zod';
import { cardIdSchema, customerIdSchema } from '../validation';
import { timestampSchema } from './fields';

export const cardSchema = z
  .strictObject({
    id: cardIdSchema(),
    customerId: customerIdSchema(),
    brand: z.nullable(z.string()).check(z.meta({ examples: ['VISA'] })),
    last4: z.nullable(z.string()).check(z.meta({ examples: ['1111'] })),
    expDate: z.nullable(z.string()).check(z.meta({ description: 'MMYY', examples: ['0228'] })),
    createdAt: timestampSchema,
  })
  .check(
    z.meta({ description: "A card saved to a storefront's customer (a Clearent token kept on our side)" }),
  );

/** `GET /v1/customers/{customerId}/cards`: every active card, not paginated. */
export const cardListSchema = z.strictObject({ data: z.array(cardSchema) });
