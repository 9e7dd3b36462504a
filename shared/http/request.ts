/**
 * What a route handler gets from API Gateway's event, already authenticated and parsed.
 */
import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';

/**
 * The contract's body limit: larger bodies answer 413 and never reach a route. Here, in a module that
 * loads nothing, so that the OpenAPI document can say it without loading the request pipeline.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/** What the storefront authorizer puts in the request context. */
export interface StorefrontAuthorization {
  /** Set when the API key is valid. */
  storefrontId?: string;
  /** Why the key was refused: the handler answers 401 with the contract's body. */
  authError?: 'missing_api_key' | 'invalid_api_key';
}

export type ApiEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<StorefrontAuthorization>;

export interface ApiRequest {
  storefrontId: string;
  /** e.g. "POST /v1/sales/jwt". */
  routeKey: string;
  /** The parsed JSON body (POST and PATCH only). */
  body: unknown;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
}

export interface ApiResult {
  statusCode: number;
  /** Serialized as JSON; omitted for 204. */
  body?: unknown;
  /** Already serialized (an idempotent replay returns the stored bytes). */
  rawBody?: string;
  headers?: Record<string, string>;
}
