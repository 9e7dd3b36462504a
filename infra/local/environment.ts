/**
 * The environment the handlers get locally: the same variables the CDK stack gives them in Lambda
 * (read by shared/config.ts), plus the AWS SDK's standard endpoint variables pointing at the local
 * stand-ins, so no handler knows where it runs.
 */
import { localCredentials, localRegion } from './local-aws';

export const localTableName = 'payments-local';
/** A storefront's secret is `${localSecretPrefix}${storefrontId}/clearent`, as in every stage. */
export const localSecretPrefix = '/payments/local/storefronts/';
/** The secret that signs list cursors; seeded with a random value kept in the data folder (infra/local/seed.ts). */
export const localCursorSecretName = '/payments/local/cursor-secret';

export interface LocalServiceEndpoints {
  dynamoDbEndpoint: string;
  secretsManagerEndpoint: string;
  clearentBaseUrl: string;
}

/** The variables to set before any handler module is loaded. */
export function localEnvironment(endpoints: LocalServiceEndpoints): Record<string, string> {
  return {
    TABLE_NAME: localTableName,
    CLEARENT_BASE_URL: endpoints.clearentBaseUrl,
    CLEARENT_SECRET_PREFIX: localSecretPrefix,
    CURSOR_SECRET_NAME: localCursorSecretName,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManagerEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'payments-local',
    // Same namespace as the stack's (infra/constructs/environment.ts), not imported to keep the CDK out of `npm start`.
    POWERTOOLS_METRICS_NAMESPACE: 'ClearentPayments',
    // Metrics would print an EMF JSON document per request; locally they only clutter the console.
    POWERTOOLS_METRICS_DISABLED: 'true',
    // Every function shares this process: as on Lambda Managed Instances, Powertools keeps each
    // invocation's logger context in its own scope (infra/local/invocation-store.ts).
    AWS_LAMBDA_MAX_CONCURRENCY: '10',
    // Local only: webhook endpoints may be http on this machine (never set by the stack).
    WEBHOOK_ALLOW_LOOPBACK: 'true',
  };
}

/**
 * Sets `variables` in `process.env` and returns a function restoring what was there before.
 * @example const restore = applyEnvironment(localEnvironment(endpoints)); ...; restore();
 */
export function applyEnvironment(variables: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
