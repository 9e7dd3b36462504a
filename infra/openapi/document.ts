/**
 * The OpenAPI 3.1 document of the API, built from infra/routes.ts (every route, nothing else), the
 * answers each route gives (./operations.ts), and the zod schemas that validate its requests and shape
 * its answers (./components.ts). `npm run openapi` writes it to docs/openapi.json, which
 * `GET /openapi.json` serves; a test fails when that file is not what this builds.
 *
 * @example const document = openApiDocument(); document.paths['/v1/refunds'].post.operationId; // 'createRefund'
 */

import { MAX_BODY_BYTES } from '../../shared/http/request';
import {
  cardIdSchema,
  customerIdSchema,
  endpointIdSchema,
  eventIdSchema,
  idempotencyKeySchema,
  subscriptionIdSchema,
  transactionIdSchema,
} from '../../shared/http/validation';
import type * as z from '../../shared/zod';
import { type ApiRoute, apiRoutes } from '../routes';
import { componentSchemas, type JsonSchema, parameterSchema, schemaRef } from './components';
import { type AnswerSpec, type OperationSpec, operations, type Tag } from './operations';
import { webhookHeaderParameters, webhooks } from './webhooks';

export interface OpenApiDocument {
  openapi: string;
  info: JsonSchema;
  paths: Record<string, Record<string, JsonSchema>>;
  webhooks: Record<string, JsonSchema>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    parameters: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
  [key: string]: unknown;
}

/** The path parameters of infra/routes.ts, validated by the handlers with these schemas. */
const pathParameters: Record<string, { schema: z.ZodMiniType; description: string }> = {
  transactionId: { schema: transactionIdSchema(), description: 'A transaction id' },
  customerId: { schema: customerIdSchema(), description: "The storefront's own id of its customer" },
  cardId: { schema: cardIdSchema(), description: 'A saved card id' },
  subscriptionId: { schema: subscriptionIdSchema(), description: 'A subscription id' },
  endpointId: { schema: endpointIdSchema(), description: 'A webhook endpoint id' },
  eventId: { schema: eventIdSchema(), description: 'An event id' },
};

const tags: Record<Tag | 'Webhooks', string> = {
  Sales: 'Charging cards: a one-time JWT from the browser SDK, or a saved card',
  Refunds: 'Giving back all or part of an approved sale',
  Transactions: 'Reading sales and refunds',
  Cards: "A customer's saved cards (Clearent tokens kept on our side)",
  Subscriptions: 'Recurring charges to a saved card',
  'Webhook endpoints': 'Where events are delivered',
  Events: 'State changes of transactions, subscriptions and cards, kept 30 days',
  Service: 'The API itself',
  Webhooks: 'What this API sends to webhook endpoints',
};

const description = `Card payments for storefronts, through the Clearent gateway.

**Authentication.** \`Authorization: Bearer <API key>\` on every \`/v1\` route; a missing or wrong key answers
\`401\`. What a storefront creates is visible to it alone: another storefront's resources answer \`404\`.

**Money.** Amounts are decimal strings in US dollars (\`"25.55"\`); answers always show two decimals.

**Idempotency.** Every \`POST\` and \`PATCH\` needs an \`Idempotency-Key\` header (1 to 255 visible ASCII
characters). The same key with the same request answers the first answer again, with
\`Idempotent-Replayed: true\`; with another request, \`422\`; while the first is still running, \`409\` with
\`Retry-After\`. A sale or refund whose outcome at the gateway is unknown answers \`504\` with the \`pending\`
transaction and \`Retry-After\`: retry with the same key, it is never charged twice.

**Errors.** Every error answer is \`{"error": {"type", "code", "message", "param"?}}\`; a declined, failed or
pending sale or refund carries its \`transaction\` beside \`error\`.

**Rate limits.** A storefront above its request rate gets \`429\` \`rate_limit_error\` with \`Retry-After\`.

**Webhooks.** Events are delivered to registered endpoints at least once, in no guaranteed order, signed as
Standard Webhooks v1 (see \`webhooks\`).`;

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

function bodySchemaOf(body: NonNullable<AnswerSpec['body']>): JsonSchema {
  if (typeof body === 'string') return schemaRef(body);
  // `anyOf`: they exclude each other by `error.type` or by `transaction`, deeper than linters look for `oneOf`.
  return { anyOf: body.map((name) => schemaRef(name)) };
}

function responseOf(answer: AnswerSpec, replayable: boolean): JsonSchema {
  const retryAfter = { always: 'RetryAfter', sometimes: 'RetryAfterWhenRateLimited' } as const;
  const headers: Record<string, JsonSchema> = {
    ...(answer.retryAfter === undefined
      ? {}
      : { 'Retry-After': { $ref: `#/components/headers/${retryAfter[answer.retryAfter]}` } }),
    ...(replayable ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } : {}),
  };
  return {
    description: answer.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(answer.body === undefined ? {} : { content: json(bodySchemaOf(answer.body)) }),
  };
}

/** Which routes give a shared answer (`#/components/responses`), besides their own answers. */
type Applies = (route: ApiRoute, spec: OperationSpec) => boolean;
const authorized: Applies = (route) => route.authorized;
const withBody: Applies = (_route, spec) => spec.body !== undefined;

/** The answers every route of a kind gives, by their name in `#/components/responses`. */
const sharedAnswers: Record<string, { status: number; applies: Applies; answer: AnswerSpec }> = {
  Unauthorized: {
    status: 401,
    applies: authorized,
    answer: { description: 'The API key is missing or wrong', body: 'AuthenticationError' },
  },
  IdempotencyKeyInUse: {
    status: 409,
    applies: withBody,
    answer: {
      description: 'A request with this Idempotency-Key is still running: retry after `Retry-After` seconds',
      body: 'IdempotencyError',
      retryAfter: 'always',
    },
  },
  PayloadTooLarge: {
    status: 413,
    applies: withBody,
    answer: {
      description: `The body is larger than ${MAX_BODY_BYTES / 1024} KB`,
      body: 'InvalidRequestError',
    },
  },
  IdempotencyKeyReused: {
    status: 422,
    applies: withBody,
    answer: { description: 'The Idempotency-Key was used for another request', body: 'IdempotencyError' },
  },
  RateLimited: {
    status: 429,
    applies: authorized,
    answer: {
      description:
        "The storefront's rate limit is exceeded (`rate_limit_error`, with `Retry-After`; nothing was done), " +
        "or the API's stage is (API Gateway's own answer): slow down and send the same request again",
      body: ['RateLimitError', 'ApiGatewayMessage'],
      retryAfter: 'sometimes',
    },
  },
  Throttled: {
    status: 429,
    applies: (route) => !route.authorized,
    answer: {
      description: "Too many requests for the API's stage: API Gateway's own answer. Slow down and retry",
      body: 'ApiGatewayMessage',
    },
  },
  ServerError: {
    status: 500,
    applies: authorized,
    answer: {
      description: 'Something failed on our side; nothing reached the card gateway',
      body: 'ApiError',
    },
  },
};

function parametersOf(route: ApiRoute, spec: OperationSpec): JsonSchema[] {
  const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const parameter = name === undefined ? undefined : pathParameters[name];
    if (name === undefined || parameter === undefined)
      throw new Error(`no schema for path parameter ${name}`);
    // The parameter describes itself; its schema need not say it again.
    const { description: _same, ...schema } = parameterSchema(parameter.schema);
    return { name, in: 'path', required: true, description: parameter.description, schema };
  });
  const query = spec.query === undefined ? { properties: {}, required: [] } : parameterSchema(spec.query);
  const required = new Set((query.required ?? []) as string[]);
  const inQuery = Object.entries(query.properties as Record<string, JsonSchema>).map(
    ([name, { description: text, ...schema }]) => ({
      name,
      in: 'query',
      required: required.has(name),
      ...(text === undefined ? {} : { description: text }),
      schema,
    }),
  );
  const idempotency = spec.body === undefined ? [] : [{ $ref: '#/components/parameters/IdempotencyKey' }];
  return [...inPath, ...inQuery, ...idempotency];
}

function operationOf(route: ApiRoute, spec: OperationSpec): JsonSchema {
  const replayable = spec.body !== undefined;
  const own = Object.entries(spec.answers).map(([status, answer]) => [
    status,
    responseOf(answer, replayable),
  ]);
  const shared = Object.entries(sharedAnswers)
    .filter(([, { status, applies }]) => applies(route, spec) && !(status in spec.answers))
    .map(([name, { status }]) => [String(status), { $ref: `#/components/responses/${name}` }]);
  const responses = Object.fromEntries([...own, ...shared].sort(([a], [b]) => Number(a) - Number(b)));
  const parameters = parametersOf(route, spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    tags: [spec.tag],
    ...(route.authorized ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body === undefined
      ? {}
      : { requestBody: { required: true, content: json(schemaRef(spec.body)) } }),
    responses,
  };
}

function paths(): OpenApiDocument['paths'] {
  const unused = new Set(Object.keys(operations));
  const result: OpenApiDocument['paths'] = {};
  for (const route of apiRoutes) {
    const key = `${route.method} ${route.path}`;
    const spec = operations[key];
    if (spec === undefined) throw new Error(`infra/openapi/operations.ts does not describe ${key}`);
    unused.delete(key);
    result[route.path] = { ...result[route.path], [route.method.toLowerCase()]: operationOf(route, spec) };
  }
  if (unused.size > 0)
    throw new Error(
      `infra/openapi/operations.ts describes routes that do not exist: ${[...unused].join(', ')}`,
    );
  return result;
}

/** The whole document, the same every time it is built from the same code. */
export function openApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.1',
    info: { title: 'Payments API', version: '1', summary: 'Card payments for storefronts', description },
    servers: [{ url: '/', description: 'The API that serves this document' }],
    security: [{ storefrontKey: [] }],
    tags: Object.entries(tags).map(([name, text]) => ({ name, description: text })),
    paths: paths(),
    webhooks: webhooks(),
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(
        Object.entries(sharedAnswers).map(([name, { answer }]) => [name, responseOf(answer, false)]),
      ),
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'Scoped to the storefront and kept at least 24 hours (and while the transaction it created is pending)',
          schema: parameterSchema(idempotencyKeySchema()),
        },
        ...webhookHeaderParameters,
      },
      headers: {
        RetryAfter: {
          description: 'Seconds to wait before retrying with the same Idempotency-Key',
          required: true,
          schema: { type: 'integer', minimum: 1 },
        },
        RetryAfterWhenRateLimited: {
          description: 'With `rate_limit_error`: seconds to wait before sending the request again',
          schema: { type: 'integer', minimum: 1 },
        },
        IdempotentReplayed: {
          description: 'Present on an answer replayed for a repeated Idempotency-Key',
          schema: { type: 'string', const: 'true' },
        },
      },
      securitySchemes: {
        storefrontKey: {
          type: 'http',
          scheme: 'bearer',
          description: "The storefront's API key: `Authorization: Bearer <key>`",
        },
      },
    },
  };
}
