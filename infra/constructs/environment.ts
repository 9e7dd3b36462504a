import * as budget from '../../shared/time-budget';
import { parseRetrySchedule } from '../../shared/webhooks/retry-schedule';
import type { FunctionPermissions } from '../permissions';
import type { FunctionName } from '../routes';
import type { StageSettings } from '../stages';
import { functionTimeoutSeconds } from '../timeouts';

/** Namespace of the functions' custom metrics (EMF, shared/observability/emf.ts), e.g. `GatewayErrors`. */
export const metricsNamespace = 'ClearentPayments';

/** Powertools service name: the `service` dimension of every custom metric and field of every log line. */
export function serviceName(stage: StageSettings): string {
  return `payments-${stage.name}`;
}

/**
 * Prefix of a stage's storefront credentials in Secrets Manager. A storefront's Clearent secret is
 * named `${prefix}${storefrontId}/clearent`, e.g. `/payments/prod/storefronts/acme/clearent`.
 */
export function storefrontSecretPrefix(stage: StageSettings): string {
  return `/payments/${stage.name}/storefronts/`;
}

export interface EnvironmentResources {
  tableName: string;
  recurringQueueUrl: string;
  /** The webhook delivery queue's URL, told to the functions that may send to it. */
  webhookQueueUrl: string;
  /** The cursor-signing secret's ARN: GetSecretValue takes it wherever it takes a name. */
  cursorSecretName: string;
}

/**
 * The stage's webhook retry schedule, checked as `shared/config.ts` will read it: a bad one fails
 * synthesis, not every delivery after the deploy.
 */
function webhookRetrySchedule(stage: StageSettings): string {
  try {
    parseRetrySchedule(stage.webhookRetrySchedule);
  } catch (error) {
    throw new Error(`stage ${stage.name}: webhookRetrySchedule: ${(error as Error).message}`);
  }
  return stage.webhookRetrySchedule;
}

/**
 * The stage's per-storefront rate limit, checked as `shared/config.ts` will read it, and below the
 * stage's own throttle (a storefront limit above it would never be reached).
 */
function storefrontRateLimit(stage: StageSettings): Record<string, string> {
  const { requestsPerSecond, burst } = stage.storefrontRateLimit;
  const wholePositive = (value: number) => Number.isSafeInteger(value) && value > 0;
  if (!wholePositive(requestsPerSecond) || !wholePositive(burst)) {
    throw new Error(`stage ${stage.name}: storefrontRateLimit must be positive whole numbers`);
  }
  if (requestsPerSecond > stage.apiThrottle.rateLimit || burst > stage.apiThrottle.burstLimit) {
    throw new Error(`stage ${stage.name}: storefrontRateLimit must not exceed the stage's apiThrottle`);
  }
  return { STOREFRONT_RATE_PER_SECOND: String(requestsPerSecond), STOREFRONT_RATE_BURST: String(burst) };
}

/**
 * The environment of a function, the variables `shared/config.ts` reads; every time value comes from the
 * time budget, the lock from the function's own timeout. Only a function allowed to send to the
 * recurring queue is told its URL, only one allowed to read the cursor secret its name, and only one
 * allowed to send to the webhook queue its URL and the retry schedule (those run the webhook ports), and
 * only one that takes from its storefront's request budget the stage's rate limit.
 * `WEBHOOK_ALLOW_LOOPBACK` is local only and never deployed.
 */
export function functionEnvironment(
  functionName: FunctionName,
  stage: StageSettings,
  resources: EnvironmentResources,
  permissions: FunctionPermissions,
): Record<string, string> {
  return {
    TABLE_NAME: resources.tableName,
    CLEARENT_BASE_URL: stage.clearentBaseUrl,
    CLEARENT_TIMEOUT_MS: String(budget.gatewayCallTimeoutMs),
    CLEARENT_LOOKUP_ATTEMPTS: String(budget.lookupAttempts),
    CLEARENT_SECRET_PREFIX: storefrontSecretPrefix(stage),
    CLEARENT_SOFTWARE_TYPE: 'clearent-payments',
    MAX_AMOUNT: stage.maxAmount,
    IDEMPOTENCY_TTL_HOURS: String(stage.idempotencyTtlHours),
    IDEMPOTENCY_LOCK_MS: String(budget.idempotencyLockMsFor(functionTimeoutSeconds[functionName])),
    GATEWAY_SETTLE_SECONDS: String(budget.gatewaySettleSeconds),
    POWERTOOLS_SERVICE_NAME: serviceName(stage),
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    ...(permissions.recurringQueue === 'send' ? { RECURRING_QUEUE_URL: resources.recurringQueueUrl } : {}),
    ...(permissions.storefrontRateLimit === true ? storefrontRateLimit(stage) : {}),
    ...(permissions.cursorSecret === true ? { CURSOR_SECRET_NAME: resources.cursorSecretName } : {}),
    ...(permissions.webhookQueue?.includes('send')
      ? {
          WEBHOOK_QUEUE_URL: resources.webhookQueueUrl,
          WEBHOOK_RETRY_SCHEDULE: webhookRetrySchedule(stage),
        }
      : {}),
  };
}
