/**
 * The real adapters behind the recurring worker's ports, built once per container from the environment:
 * the payments ports plus the subscriptions it charges and the dunning schedule. The selector builds
 * its own (functions/recurring-selector): the due index and the queue.
 */
import { dunningRetryDays, tableName } from '../config';
import { livePorts } from '../payments/live-ports';
import { DynamoDueSubscriptions } from '../store/due-subscriptions';
import { documentClient } from '../store/dynamo';
import { DynamoIdempotencyRepository } from '../store/idempotency';
import { DynamoSubscriptionBilling } from '../store/subscription-billing';
import type { DueSubscriptions, RecurringPorts } from './ports';

/**
 * Recurring charges keep their idempotency records far longer than API requests do: a charge whose
 * answer was lost is resolved by a later delivery or run, which after an outage may be days later.
 */
export const RECURRING_KEY_TTL_SECONDS = 35 * 24 * 60 * 60;

let ports: RecurringPorts | undefined;
let due: DueSubscriptions | undefined;

/** The ports of the recurring worker. */
export function liveRecurringPorts(): RecurringPorts {
  ports ??= createRecurringPorts();
  return ports;
}

/**
 * The due index, for the local run (infra/local/recurring.ts), which runs the selector beside the worker.
 * The worker's bundle leaves it out: nothing of the worker calls it.
 */
export function liveDueSubscriptions(): DueSubscriptions {
  due ??= new DynamoDueSubscriptions(documentClient(), tableName());
  return due;
}

function createRecurringPorts(): RecurringPorts {
  const db = documentClient();
  const table = tableName();
  return {
    ...livePorts(),
    idempotency: new DynamoIdempotencyRepository(db, table, RECURRING_KEY_TTL_SECONDS),
    billing: new DynamoSubscriptionBilling(db, table),
    dunning: { retryDays: dunningRetryDays() },
  };
}
