/**
 * The storefront authorizer (API Gateway HTTP API, simple responses).
 *
 * It always lets the request through, with either the storefront id or the reason the key was refused,
 * and the API pipeline answers a refusal with the contract's 401 `authentication_error` body. An HTTP
 * API cannot shape the body of an authorizer's denial (it answers a bare 403 "Forbidden"), and the
 * contract requires 401 with our error model; no route can run without a storefront id, since the only
 * way a route gets one is `storefrontOf` in shared/http/api-handler.ts.
 */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { tableName } from '../../shared/config';
import type { StorefrontAuthorization } from '../../shared/http/request';
import { logger } from '../../shared/observability/logger';
import { documentClient } from '../../shared/store/dynamo';
import { DynamoStorefrontRepository } from '../../shared/store/storefronts';
import { bearerKey } from '../../shared/storefronts/api-keys';

const storefronts = new DynamoStorefrontRepository(documentClient(), tableName());

interface SimpleAuthorizerResult {
  isAuthorized: boolean;
  context: StorefrontAuthorization;
}

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult> => {
  const apiKey = bearerKey(event.headers?.authorization);
  if (!apiKey) return { isAuthorized: true, context: { authError: 'missing_api_key' } };
  const storefrontId = await storefronts.findByApiKey(apiKey);
  if (!storefrontId) {
    logger.info('api key refused', { requestId: event.requestContext.requestId });
    return { isAuthorized: true, context: { authError: 'invalid_api_key' } };
  }
  return { isAuthorized: true, context: { storefrontId } };
};
