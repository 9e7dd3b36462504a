/**
 * The pipeline every API function runs (middy): Powertools' structured log with the API request id as the
 * correlation id, metrics, the storefront from the authorizer, the storefront's rate limit, the JSON
 * body, and one error mapping.
 *
 * @example
 * export const handler = apiHandler(async (request) => ({ statusCode: 200, body: { ok: true } }));
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { storefrontRateLimit, tableName } from '../config';
import { logger } from '../observability/logger';
import { metrics } from '../observability/metrics';
import { documentClient } from '../store/dynamo';
import { DynamoRateLimiter } from '../store/rate-limit';
import { errorResponse } from './error-response';
import { AuthenticationError, InvalidRequestError, PayloadTooLargeError, RateLimitError } from './errors';
import { type ApiEvent, type ApiRequest, type ApiResult, MAX_BODY_BYTES } from './request';

type Result = APIGatewayProxyStructuredResultV2;
type Route = (request: ApiRequest) => Promise<ApiResult>;

const JSON_HEADERS = { 'content-type': 'application/json' };

function toResult(result: ApiResult): Result {
  const serialized = result.rawBody ?? (result.body === undefined ? undefined : JSON.stringify(result.body));
  return {
    statusCode: result.statusCode,
    headers: { ...(serialized === undefined ? {} : JSON_HEADERS), ...result.headers },
    ...(serialized === undefined ? {} : { body: serialized }),
  };
}

function storefrontOf(event: ApiEvent): string {
  const authorization = event.requestContext.authorizer?.lambda;
  if (authorization?.storefrontId) return authorization.storefrontId;
  if (authorization?.authError === 'invalid_api_key') {
    throw new AuthenticationError('invalid_api_key', 'The API key is not valid');
  }
  throw new AuthenticationError('missing_api_key', 'Send your API key as "Authorization: Bearer <key>"');
}

/** Methods whose requests carry a JSON body (and an Idempotency-Key); GET and DELETE carry neither. */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH']);

function parseBody(event: ApiEvent): unknown {
  if (!BODY_METHODS.has(event.requestContext.http.method)) return undefined;
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError('payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError('invalid_json', 'The body must be a JSON object');
  }
  return parsed;
}

/** Answers every error with the contract's body; only 5xx are logged as errors (with the details). */
const apiErrors = (): MiddlewareObj<ApiEvent, Result> => ({
  onError: async (request) => {
    const response = errorResponse(request.error);
    if (response.statusCode >= 500) logger.error('request failed', { error: request.error });
    else logger.info('request refused', { statusCode: response.statusCode });
    request.response = toResult({
      statusCode: response.statusCode,
      rawBody: response.body,
      ...(response.headers ? { headers: response.headers } : {}),
    });
  },
});

/** Flushes the request's metrics (nothing is written when it recorded none, such as a read). */
const flushMetrics = (): MiddlewareObj<ApiEvent, Result> => {
  const flush = async () => {
    metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

const correlationId = (): MiddlewareObj<ApiEvent, Result> => ({
  before: async (request) => {
    logger.setCorrelationId(request.event.requestContext.requestId);
    logger.appendKeys({ routeKey: request.event.routeKey });
  },
});

/**
 * The storefront's request budget, read at cold start; `undefined` when the rate limit is off
 * (`STOREFRONT_RATE_PER_SECOND` unset: locally, unless set).
 */
function storefrontLimiter(): DynamoRateLimiter | undefined {
  const limit = storefrontRateLimit();
  return limit === undefined ? undefined : new DynamoRateLimiter(documentClient(), tableName(), limit);
}

/**
 * A request over the storefront's rate limit answers 429 before anything else runs: its body is not
 * read, its Idempotency-Key not claimed (the same request may be sent again later), nothing is stored.
 */
async function takeToken(limiter: DynamoRateLimiter | undefined, storefrontId: string): Promise<void> {
  if (limiter === undefined) return;
  const decision = await limiter.take(storefrontId);
  if (!decision.allowed) throw new RateLimitError(decision.retryAfterSeconds);
}

export function apiHandler(route: Route): middy.MiddyfiedHandler<ApiEvent, Result, Error, Context> {
  const limiter = storefrontLimiter();
  return middy<ApiEvent, Result>()
    .use(logger.lambdaContext())
    .use(correlationId())
    .use(flushMetrics())
    .use(apiErrors())
    .handler(async (event) => {
      const storefrontId = storefrontOf(event);
      logger.appendKeys({ storefrontId });
      await takeToken(limiter, storefrontId);
      const result = await route({
        storefrontId,
        routeKey: event.routeKey,
        body: parseBody(event),
        pathParameters: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers: event.headers ?? {},
      });
      return toResult(result);
    });
}
