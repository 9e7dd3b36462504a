/**
 * The one place that reads the environment. Each reader fails fast, at module load in a handler,
 * with a message naming the missing variable, rather than mid-request.
 */
import { type Cents, parseAmount } from './money';
import * as budget from './time-budget';
import { defaultRetrySchedule, parseRetrySchedule } from './webhooks/retry-schedule';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(`environment variable ${name} is not set`);
  }
  return value;
}

function optional(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function positiveInteger(name: string, fallback: number): number {
  const text = optional(name, String(fallback));
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`environment variable ${name} must be a positive whole number, got "${text}"`);
  }
  return value;
}

/** The DynamoDB table holding storefronts, cards, transactions, subscriptions and idempotency records. */
export function tableName(): string {
  return required('TABLE_NAME');
}

export interface GatewayConfig {
  baseUrl: string;
  /** Per gateway call (shared/time-budget.ts: how it fits in the function timeouts). */
  timeoutMs: number;
  /** Attempts of a gateway call that cannot charge (a search, a token read). */
  lookupAttempts: number;
  /**
   * Prefix of the storefronts' Clearent secrets, e.g. `/payments/prod/storefronts/`; a storefront's
   * secret is named `${secretPrefix}${storefrontId}/clearent` (the stack grants exactly that pattern).
   */
  secretPrefix: string;
  softwareType: string;
}

/** A gateway call allowed longer than API Gateway waits could never be answered to the storefront. */
const maxGatewayTimeoutMs = budget.apiGatewayLimitSeconds * 1000;
/** More lookups than this could not fit in any function timeout of the budget. */
const maxLookupAttempts = 5;

function gatewayTimeoutMs(): number {
  const timeoutMs = positiveInteger('CLEARENT_TIMEOUT_MS', budget.gatewayCallTimeoutMs);
  if (timeoutMs > maxGatewayTimeoutMs) {
    throw new ConfigError(
      `environment variable CLEARENT_TIMEOUT_MS must be at most ${maxGatewayTimeoutMs}, got "${timeoutMs}"`,
    );
  }
  return timeoutMs;
}

function lookupAttempts(): number {
  const attempts = positiveInteger('CLEARENT_LOOKUP_ATTEMPTS', budget.lookupAttempts);
  if (attempts > maxLookupAttempts) {
    throw new ConfigError(
      `environment variable CLEARENT_LOOKUP_ATTEMPTS must be at most ${maxLookupAttempts}, got "${attempts}"`,
    );
  }
  return attempts;
}

export function gatewayConfig(): GatewayConfig {
  return {
    baseUrl: required('CLEARENT_BASE_URL'),
    timeoutMs: gatewayTimeoutMs(),
    lookupAttempts: lookupAttempts(),
    secretPrefix: required('CLEARENT_SECRET_PREFIX'),
    softwareType: optional('CLEARENT_SOFTWARE_TYPE', 'clearent-payments'),
  };
}

/**
 * How long an attempt holds an idempotency key, in ms: the stack deploys each function's timeout plus a
 * margin (default: the API functions', 29 s). Whether it outlives the function is checked on the stack's
 * template (the function cannot see its own timeout); here, only that it outlives one gateway call.
 */
export function idempotencyLockMs(): number {
  const lockMs = positiveInteger('IDEMPOTENCY_LOCK_MS', budget.idempotencyLockMs);
  const callMs = gatewayTimeoutMs();
  if (lockMs <= callMs) {
    throw new ConfigError(
      `environment variable IDEMPOTENCY_LOCK_MS must be longer than a gateway call (${callMs} ms), got "${lockMs}"`,
    );
  }
  return lockMs;
}

/**
 * Seconds after an attempt was last sent before a search that finds nothing means "not charged" (contract:
 * `GATEWAY_SETTLE_SECONDS`, default 120). Must be longer than a gateway call may take.
 */
export function gatewaySettleSeconds(): number {
  const seconds = positiveInteger('GATEWAY_SETTLE_SECONDS', budget.gatewaySettleSeconds);
  const timeoutMs = gatewayTimeoutMs();
  if (seconds * 1000 <= timeoutMs) {
    throw new ConfigError(
      `environment variable GATEWAY_SETTLE_SECONDS must be longer than a gateway call (${timeoutMs} ms), ` +
        `got "${seconds}"`,
    );
  }
  return seconds;
}

/**
 * The Secrets Manager secret holding the key that signs list cursors (a string of at least 32
 * characters). Read only by the functions that list, on their first list, not at cold start.
 */
export function cursorSecretName(): string {
  return required('CURSOR_SECRET_NAME');
}

/** The largest amount a single charge may have; default $99,999.99. */
export function maxAmount(): Cents {
  return parseAmount(optional('MAX_AMOUNT', '99999.99'));
}

/** How long idempotency records are kept, in hours (contract: at least 24). */
export function idempotencyTtlHours(): number {
  return positiveInteger('IDEMPOTENCY_TTL_HOURS', 24);
}

/** A storefront's request budget: `requestsPerSecond` on average, up to `burst` at once. */
export interface StorefrontRateLimit {
  requestsPerSecond: number;
  burst: number;
}

/**
 * The per-storefront rate limit in front of every `/v1` route, or `undefined` when it is off: off
 * unless `STOREFRONT_RATE_PER_SECOND` is set (every deployed stage sets it; locally it is off unless
 * set). `STOREFRONT_RATE_BURST` defaults to one second's worth.
 *
 * @example process.env.STOREFRONT_RATE_PER_SECOND = '50'; storefrontRateLimit() // { requestsPerSecond: 50, burst: 50 }
 */
export function storefrontRateLimit(): StorefrontRateLimit | undefined {
  const rate = process.env.STOREFRONT_RATE_PER_SECOND;
  if (rate === undefined || rate === '') {
    if (optional('STOREFRONT_RATE_BURST', '') !== '') {
      throw new ConfigError('environment variable STOREFRONT_RATE_BURST needs STOREFRONT_RATE_PER_SECOND');
    }
    return undefined;
  }
  const requestsPerSecond = positiveInteger('STOREFRONT_RATE_PER_SECOND', 1);
  return { requestsPerSecond, burst: positiveInteger('STOREFRONT_RATE_BURST', requestsPerSecond) };
}

/** The SQS queue the recurring selector sends one message per due subscription to. */
export function recurringQueueUrl(): string {
  return required('RECURRING_QUEUE_URL');
}

/**
 * Days after a period's first attempt when a declined recurring charge is retried, e.g. "1,3,5" (the
 * default): positive whole numbers, increasing.
 */
export function dunningRetryDays(): number[] {
  const text = optional('DUNNING_RETRY_DAYS', '1,3,5');
  const days = text.split(',').map((part) => Number(part.trim()));
  const valid = days.every(
    (day, index) => Number.isSafeInteger(day) && day > 0 && (index === 0 || day > (days[index - 1] ?? 0)),
  );
  if (!valid) {
    throw new ConfigError(
      `environment variable DUNNING_RETRY_DAYS must be increasing positive whole numbers like "1,3,5", got "${text}"`,
    );
  }
  return days;
}

/** The SQS queue of webhook delivery attempts. */
export function webhookQueueUrl(): string {
  return required('WEBHOOK_QUEUE_URL');
}

/** Delays before each webhook retry, in ms (contract default `5s,5m,30m,2h,5h,10h,14h,20h,24h`). */
export function webhookRetrySchedule(): number[] {
  const text = optional('WEBHOOK_RETRY_SCHEDULE', defaultRetrySchedule);
  try {
    return parseRetrySchedule(text);
  } catch (error) {
    throw new ConfigError(`environment variable WEBHOOK_RETRY_SCHEDULE: ${(error as Error).message}`);
  }
}

/**
 * Whether webhook endpoints may be `http` on this machine (127.0.0.1, ::1, localhost). Set only by the
 * local runtime; deployed, endpoints are `https` to public addresses.
 */
export function webhookAllowLoopback(): boolean {
  return optional('WEBHOOK_ALLOW_LOOPBACK', 'false') === 'true';
}

/**
 * The Secrets Manager name of a webhook endpoint's signing secret, under the storefront's prefix:
 * `${CLEARENT_SECRET_PREFIX}${storefrontId}/webhooks/${endpointId}`.
 */
export function webhookSecretName(storefrontId: string, endpointId: string): string {
  return `${required('CLEARENT_SECRET_PREFIX')}${storefrontId}/webhooks/${endpointId}`;
}
