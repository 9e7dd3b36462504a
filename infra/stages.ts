/**
 * Every setting that differs between environments, in one typed place. The CDK app picks one with
 * `-c stage=dev|staging|prod`; nothing else in `infra/` branches on the stage name.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { defaultRetrySchedule } from '../shared/webhooks/retry-schedule';

export const stageNames = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof stageNames)[number];

/** Requests per second and burst for the API's default stage; above them API Gateway answers 429. */
export interface ApiThrottle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * Requests per second and burst of each storefront on its own, in front of every `/v1` route
 * (shared/http/api-handler.ts, shared/store/rate-limit.ts); above them the API answers 429
 * `rate_limit_error`. Below the stage's `apiThrottle`, so that one storefront cannot use it all.
 */
export interface StorefrontRateLimit {
  requestsPerSecond: number;
  burst: number;
}

/** Reserved concurrency per kind of function: a runaway caller cannot starve the rest of the account. */
export interface ReservedConcurrency {
  /** Each function behind an API route (health included). */
  api: number;
  authorizer: number;
  /** One at a time: overlapping runs would only queue the same due subscriptions twice. */
  recurringSelector: number;
  recurringWorker: number;
  /** One at a time: two runs would resolve the same pending attempts side by side, for nothing. */
  reconciliation: number;
  /** Invoked by the table's stream, one batch per stream shard at a time. */
  eventsRelay: number;
  /** One at a time: two sweeps would relay the same outboxes and queue the same attempts twice. */
  webhookSweep: number;
  /** At least `webhookMaxConcurrency`, so that the queue's event source is never throttled. */
  webhookDelivery: number;
}

export interface StageSettings {
  name: StageName;
  /** Account and region of the stack; unset account synthesizes an environment-agnostic template. */
  env: { account: string | undefined; region: string };
  functionMemoryMb: number;
  logRetention: RetentionDays;
  /** Prod keeps the table, keys and logs when the stack goes, with deletion protection on the table. */
  retainData: boolean;
  /** E-mail subscribed to the alarm topic; other destinations subscribe to the topic output. */
  alarmEmail: string | undefined;
  clearentBaseUrl: string;
  /** EventBridge Scheduler expression for recurring charge runs. */
  recurringSchedule: string;
  /**
   * EventBridge Scheduler expression for reconciliation runs (resolving pending attempts past the settle
   * window); a `rate()` must be longer than the reconciliation function's timeout.
   */
  reconciliationSchedule: string;
  /** Upper bound on concurrent worker invocations the SQS event source may use (2 or more). */
  workerMaxConcurrency: number;
  /**
   * EventBridge Scheduler expression for webhook sweeps (publishing outbox entries the stream missed,
   * queueing delivery attempts that are due); a `rate()` must be longer than the sweep's timeout.
   */
  webhookSweepSchedule: string;
  /**
   * The webhook retry delays (`WEBHOOK_RETRY_SCHEDULE`), e.g. `5s,5m,30m`; default the contract's
   * `5s,5m,30m,2h,5h,10h,14h,20h,24h`.
   */
  webhookRetrySchedule: string;
  /** Upper bound on concurrent webhook-delivery invocations the SQS event source may use (2 or more). */
  webhookMaxConcurrency: number;
  reservedConcurrency: ReservedConcurrency;
  apiThrottle: ApiThrottle;
  storefrontRateLimit: StorefrontRateLimit;
  /**
   * How long a storefront key's authorizer answer is cached; a revoked key works at most this long.
   * While caching, API Gateway itself answers a request without `Authorization` (a bare 401 body);
   * 0 turns caching off so the authorizer, and the contract's error body, sees every request.
   */
  authorizerCacheSeconds: number;
  /** Largest amount a single charge may have, a decimal dollar string. */
  maxAmount: string;
  idempotencyTtlHours: number;
}

const clearentSandbox = 'https://gateway-sb.clearent.net';
const clearentProduction = 'https://gateway.clearent.net';

type Environment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The settings of one stage. Account and region come from the CDK CLI's environment
 * (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`, overridable with `PAYMENTS_ACCOUNT`/`PAYMENTS_REGION`),
 * the alarm e-mail from `PAYMENTS_ALARM_EMAIL`.
 *
 * @example stageSettings('prod').clearentBaseUrl // 'https://gateway.clearent.net'
 */
export function stageSettings(name: string, environment: Environment = process.env): StageSettings {
  if (!isStageName(name)) {
    throw new Error(`unknown stage "${name}": use -c stage=${stageNames.join('|')}`);
  }
  const shared = {
    env: {
      account: nonEmpty(environment.PAYMENTS_ACCOUNT) ?? nonEmpty(environment.CDK_DEFAULT_ACCOUNT),
      region:
        nonEmpty(environment.PAYMENTS_REGION) ?? nonEmpty(environment.CDK_DEFAULT_REGION) ?? 'us-east-1',
    },
    alarmEmail: nonEmpty(environment.PAYMENTS_ALARM_EMAIL),
    recurringSchedule: 'rate(15 minutes)',
    reconciliationSchedule: 'rate(5 minutes)',
    webhookSweepSchedule: 'rate(1 minute)',
    webhookRetrySchedule: defaultRetrySchedule,
    // The contract answers a missing key with its own 401 body, which only an uncached authorizer can give.
    authorizerCacheSeconds: 0,
    maxAmount: '99999.99',
    idempotencyTtlHours: 24,
  };
  switch (name) {
    case 'dev':
      return {
        ...shared,
        name,
        functionMemoryMb: 512,
        logRetention: RetentionDays.ONE_WEEK,
        retainData: false,
        clearentBaseUrl: clearentSandbox,
        workerMaxConcurrency: 2,
        webhookMaxConcurrency: 2,
        reservedConcurrency: {
          api: 5,
          authorizer: 10,
          recurringSelector: 1,
          recurringWorker: 2,
          reconciliation: 1,
          eventsRelay: 2,
          webhookSweep: 1,
          webhookDelivery: 2,
        },
        apiThrottle: { rateLimit: 20, burstLimit: 40 },
        storefrontRateLimit: { requestsPerSecond: 10, burst: 20 },
      };
    case 'staging':
      return {
        ...shared,
        name,
        functionMemoryMb: 1024,
        logRetention: RetentionDays.ONE_MONTH,
        retainData: false,
        clearentBaseUrl: clearentSandbox,
        workerMaxConcurrency: 2,
        webhookMaxConcurrency: 2,
        reservedConcurrency: {
          api: 10,
          authorizer: 20,
          recurringSelector: 1,
          recurringWorker: 2,
          reconciliation: 1,
          eventsRelay: 2,
          webhookSweep: 1,
          webhookDelivery: 2,
        },
        apiThrottle: { rateLimit: 50, burstLimit: 100 },
        storefrontRateLimit: { requestsPerSecond: 25, burst: 50 },
      };
    case 'prod':
      return {
        ...shared,
        name,
        functionMemoryMb: 1024,
        // PCI DSS 10.7: a year of audit trail.
        logRetention: RetentionDays.ONE_YEAR,
        retainData: true,
        clearentBaseUrl: clearentProduction,
        workerMaxConcurrency: 10,
        webhookMaxConcurrency: 10,
        reservedConcurrency: {
          api: 50,
          authorizer: 100,
          recurringSelector: 1,
          recurringWorker: 10,
          reconciliation: 1,
          eventsRelay: 10,
          webhookSweep: 1,
          webhookDelivery: 10,
        },
        apiThrottle: { rateLimit: 200, burstLimit: 400 },
        storefrontRateLimit: { requestsPerSecond: 50, burst: 100 },
      };
  }
}

export function isStageName(name: string): name is StageName {
  return (stageNames as readonly string[]).includes(name);
}
