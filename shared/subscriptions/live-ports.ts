/**
 * The real adapters behind the recurring ports, built once per container from the environment: the
 * payments ports plus the subscriptions table and the dunning schedule.
 */
import { dunningRetryDays, tableName } from '../config';
import { livePorts } from '../payments/live-ports';
import { documentClient } from '../store/dynamo';
import { DynamoIdempotencyRepository } from '../store/idempotency';
import { DynamoSubscriptionRepository } from '../store/subscriptions';
import type { RecurringPorts } from './ports';

/**
 * Recurring charges keep their idempotency records far longer than API requests do: a charge whose
 * answer was lost is resolved by a later delivery or run, which after an outage may be days later.
 */
export const RECURRING_KEY_TTL_SECONDS = 35 * 24 * 60 * 60;

let ports: RecurringPorts | undefined;

/** The ports of the subscriptions API and the recurring functions. */
export function liveRecurringPorts(): RecurringPorts {
  ports ??= createRecurringPorts();
  return ports;
}

function createRecurringPorts(): RecurringPorts {
  const db = documentClient();
  const table = tableName();
  return {
    ...livePorts(),
    idempotency: new DynamoIdempotencyRepository(db, table, RECURRING_KEY_TTL_SECONDS),
    subscriptions: new DynamoSubscriptionRepository(db, table),
    dunning: { retryDays: dunningRetryDays() },
  };
}
