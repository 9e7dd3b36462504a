/**
 * GET /health and GET /openapi.json: no authentication, no dependencies. /health answers that the API
 * is up; /openapi.json answers the OpenAPI document committed as docs/openapi.json (bundled into the
 * function; written by `npm run openapi`, and a test fails when it is not what the code builds).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import openApiDocument from '../../docs/openapi.json';
import type { healthSchema } from '../../shared/http/schemas/health';
import { lazy } from '../../shared/lazy';
import type * as z from '../../shared/zod';

const up: z.infer<typeof healthSchema> = { status: 'ok' };
const JSON_HEADERS = { 'content-type': 'application/json' };
/** Serialized on the first GET /openapi.json, not at a cold start that only answers /health. */
const documentBody = /* @__PURE__ */ lazy(() => JSON.stringify(openApiDocument));

export const handler = async (event?: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  event?.routeKey === 'GET /openapi.json'
    ? { statusCode: 200, headers: JSON_HEADERS, body: documentBody() }
    : { statusCode: 200, headers: JSON_HEADERS, body: JSON.stringify(up) };
