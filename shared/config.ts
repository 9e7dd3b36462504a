/**
 * The one place that reads the environment. Each reader fails fast, at module load in a handler,
 * with a message naming the missing variable, rather than mid-request.
 */
import { type Cents, parseAmount } from './money';

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
  /**
   * Per gateway call. A request that resolves an unknown sale makes at most two lookups and one sale:
   * 3 × 7 s stays inside the API functions' 25 s timeout and API Gateway's 29 s.
   */
  timeoutMs: number;
  /**
   * Prefix of the storefronts' Clearent secrets, e.g. `/payments/prod/storefronts/`; a storefront's
   * secret is named `${secretPrefix}${storefrontId}/clearent` (the stack grants exactly that pattern).
   */
  secretPrefix: string;
  softwareType: string;
}

export function gatewayConfig(): GatewayConfig {
  return {
    baseUrl: required('CLEARENT_BASE_URL'),
    timeoutMs: positiveInteger('CLEARENT_TIMEOUT_MS', 7_000),
    secretPrefix: required('CLEARENT_SECRET_PREFIX'),
    softwareType: optional('CLEARENT_SOFTWARE_TYPE', 'clearent-payments'),
  };
}

/** The largest amount a single charge may have; default $99,999.99. */
export function maxAmount(): Cents {
  return parseAmount(optional('MAX_AMOUNT', '99999.99'));
}

/** How long idempotency records are kept, in hours (contract: at least 24). */
export function idempotencyTtlHours(): number {
  return positiveInteger('IDEMPOTENCY_TTL_HOURS', 24);
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
