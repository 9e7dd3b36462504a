/** The answers of `GET /health` and `GET /openapi.json`, both served by functions/health. */
import * as z from '../../zod';

export const healthSchema = z
  .strictObject({ status: z.literal('ok') })
  .check(z.meta({ description: 'The API is up' }));

/** The answer of `GET /openapi.json`: an OpenAPI 3.1 document (this API's, docs/openapi.json). */
export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string().check(z.regex(/^3\.1\.\d+$/)),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .check(z.meta({ description: 'An OpenAPI 3.1 document' }));
