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
  timeoutMs: number;
  /** Secrets Manager name of a storefront's Clearent credentials is this prefix + storefront id. */
  secretPrefix: string;
  softwareType: string;
}

export function gatewayConfig(): GatewayConfig {
  return {
    baseUrl: required('CLEARENT_BASE_URL'),
    timeoutMs: positiveInteger('CLEARENT_TIMEOUT_MS', 10_000),
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
