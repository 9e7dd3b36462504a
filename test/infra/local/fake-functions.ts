/** Fake Lambda functions for the local API Gateway tests. */
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { FunctionLoader } from '../../../infra/local/function-loader';
import type { LambdaFunctionModule } from '../../../infra/local/lambda-context';
import type { FunctionName } from '../../../infra/routes';

export const storefrontKey = 'test_api_key_not_secret';

/** Fake functions by name; a name not given fails to load, like a module that does not exist. */
export function fakeFunctions(
  modules: Partial<Record<FunctionName, LambdaFunctionModule['handler']>>,
): FunctionLoader {
  return async (name) => {
    const handler = modules[name];
    if (!handler) throw new Error(`no fake for ${name}`);
    return { handler };
  };
}

/** Lets through only the test key, naming the storefront `demo`. */
export const allowTestKey = async (event: APIGatewayRequestAuthorizerEventV2) =>
  event.headers?.authorization === `Bearer ${storefrontKey}`
    ? { isAuthorized: true, context: { storefrontId: 'demo' } }
    : { isAuthorized: false };

/** A sale function's answer. */
export const created = async () => ({
  statusCode: 201,
  headers: { 'content-type': 'application/json' },
  body: '{"id":"txn_1"}',
});
